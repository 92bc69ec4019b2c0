//! The report files `mlcsc merge` is given: files, folders (their `*.json` files) and globs
//! whose file name holds `*` or `?` (so that `'shards/*.json'` works quoted, past the
//! length limit of a command line, and the same in every shell).

use std::path::{Path, PathBuf};

use super::super::output::{CliError, resolved_path};

/// The report files named: each file given, the `*.json` files of each folder given, and
/// the files each glob matches, those of a folder or glob in name order (the merged report
/// itself left out).
pub(super) fn report_files(given: &[PathBuf], out: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut paths = Vec::new();
    for path in given {
        let is_folder = std::fs::metadata(path).is_ok_and(|m| m.is_dir());
        let found = if is_folder {
            let found = folder_files(path, out, |name| name.ends_with(".json"))?;
            if found.is_empty() {
                return Err(CliError::Input(format!(
                    "{}: a folder, not a regular file, and it holds no .json file: no shard report to merge",
                    path.display()
                )));
            }
            found
        } else if is_glob(path) && std::fs::symlink_metadata(path).is_err() {
            glob_files(path, out)?
        } else {
            vec![path.clone()]
        };
        paths.extend(found);
    }
    Ok(paths)
}

/// Whether a path's file name holds a wildcard.
fn is_glob(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains(['*', '?']))
}

/// The regular files of `folder` whose names `keep` accepts, sorted, `out` left out.
fn folder_files(
    folder: &Path,
    out: &Path,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<PathBuf>, CliError> {
    let read_error = |e: std::io::Error| CliError::Input(format!("{}: {e}", folder.display()));
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(read_error)?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_str().is_some_and(&keep))
        .map(|e| e.path())
        .filter(|p| p.is_file() && resolved_path(p) != resolved_path(out))
        .collect();
    found.sort();
    Ok(found)
}

/// The files a glob matches (wildcards in its file name only).
fn glob_files(pattern: &Path, out: &Path) -> Result<Vec<PathBuf>, CliError> {
    let name = pattern
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a glob has a file name");
    let folder = match pattern.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if folder.to_str().is_some_and(|f| f.contains(['*', '?'])) {
        return Err(CliError::Input(format!(
            "{}: only the file name may hold * or ?, not the folders",
            pattern.display()
        )));
    }
    if !std::fs::metadata(folder).is_ok_and(|m| m.is_dir()) {
        return Err(CliError::Input(format!(
            "{}: the folder {} does not exist",
            pattern.display(),
            folder.display()
        )));
    }
    let found = folder_files(folder, out, |file| {
        matches(name.as_bytes(), file.as_bytes())
    })?;
    if found.is_empty() {
        return Err(CliError::Input(format!(
            "{}: no file matches, so no shard report to merge",
            pattern.display()
        )));
    }
    Ok(found)
}

/// Whether `name` matches `pattern` (`*` any run of characters, `?` one byte).
fn matches(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|k| matches(rest, &name[k..])),
        Some((b'?', rest)) => !name.is_empty() && matches(rest, &name[1..]),
        Some((c, rest)) => name.first() == Some(c) && matches(rest, &name[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn globs_match_runs_and_single_characters() {
        for (pattern, name, expected) in [
            ("shard-*.json", "shard-12.json", true),
            ("shard-*.json", "shard-12.jsonl", false),
            ("shard-?.json", "shard-1.json", true),
            ("shard-?.json", "shard-10.json", false),
            ("*", "", true),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "aXbY", false),
        ] {
            assert_eq!(
                matches(pattern.as_bytes(), name.as_bytes()),
                expected,
                "{pattern} {name}"
            );
        }
    }
}
