//! Counterexamples saved as instance files that are never overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::ToInstanceFile;
use crate::instance::Instance;
use crate::scalar::Rational;

/// Writes a counterexample into `directory` as `NAME.json`, or `NAME-2.json`, … when that
/// exists: an existing file is never overwritten. The file is written whole to a temporary
/// file in the folder, synced, and then given its name, so a failure leaves no partial file.
/// Returns the path written. A name that is not a plain file name
/// ([`super::file_names::check_file_name`]: `../x`, `a/b`, `.hidden`) is refused, so nothing
/// is ever written outside `directory`.
pub fn save_counterexample(
    directory: &Path,
    name: &str,
    instance: &Instance<Rational>,
) -> Result<PathBuf, String> {
    super::file_names::check_file_name(name)?;
    std::fs::create_dir_all(directory).map_err(|e| format!("{}: {e}", directory.display()))?;
    let mut text = serde_json::to_string_pretty(&instance.to_file()).expect("instances serialise");
    text.push('\n');
    let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", directory.display());
    let mut temporary = super::partial_file(directory).map_err(|e| failed(&e))?;
    temporary
        .write_all(text.as_bytes())
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|e| failed(&e))?;
    for attempt in 1..10_000 {
        let file_name = if attempt == 1 {
            format!("{name}.json")
        } else {
            format!("{name}-{attempt}.json")
        };
        let path = directory.join(file_name);
        match temporary.persist_noclobber(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => temporary = e.file,
            Err(e) => return Err(format!("{}: {}", path.display(), e.error)),
        }
    }
    Err(format!(
        "{}: too many counterexamples named {name}",
        directory.display()
    ))
}

/// As [`save_counterexample`], unless a file `NAME.json` or `NAME-K.json` in `directory`
/// already holds exactly this instance: then that file's path is returned and nothing is
/// written, so a deterministic test that finds the same counterexample on every run does not
/// pile up copies. Returns the path and whether it was written now.
pub fn save_counterexample_once(
    directory: &Path,
    name: &str,
    instance: &Instance<Rational>,
) -> Result<(PathBuf, bool), String> {
    let mut text = serde_json::to_string_pretty(&instance.to_file()).expect("instances serialise");
    text.push('\n');
    if let Ok(entries) = std::fs::read_dir(directory) {
        let mut same: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|path| {
                let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
                    return false;
                };
                let Some(stem) = file.strip_suffix(".json") else {
                    return false;
                };
                let ours = stem == name
                    || stem
                        .strip_prefix(name)
                        .and_then(|rest| rest.strip_prefix('-'))
                        .is_some_and(|k| !k.is_empty() && k.chars().all(|d| d.is_ascii_digit()));
                ours && std::fs::read_to_string(path).is_ok_and(|t| t == text)
            })
            .collect();
        same.sort();
        if let Some(path) = same.into_iter().next() {
            return Ok((path, false));
        }
    }
    save_counterexample(directory, name, instance).map(|path| (path, true))
}
