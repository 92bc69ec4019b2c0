//! The report folder of `verify`. A folder named with `--report` must be new or empty, as for
//! every command. Without it, `verify` replaces its own earlier report instead of piling up
//! `mlcsc-report-2`, `mlcsc-report-3`, …: the first of `mlcsc-report`, `mlcsc-report-2`, … that
//! is absent, or that `verify` wrote itself and nobody changed since, is used (an earlier
//! report is removed first). A folder `verify` wrote carries the marker file [`MARKER`], which
//! lists every file it wrote; a folder without the marker, or holding anything the marker does
//! not list (a file a user added, a link), is never touched.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::output::{ClaimedFolder, CliError, output_folder, write_new_file};
use super::output_folder::claim_numbered;

/// The default folder's name.
pub const STEM: &str = "mlcsc-report";

/// The marker file of a report folder `verify` wrote: the list of the files it wrote.
pub const MARKER: &str = ".mlcsc-verify";

/// The first line of [`MARKER`].
const MARKER_HEADING: &str = "# written by `mlcsc verify`; the next `mlcsc verify` without --report replaces this folder unless it holds a file not listed here";

/// The folder this run writes into (see the module's documentation). Concurrent runs never
/// share or remove each other's folders: a name is claimed by creating it, and an earlier
/// report is first moved aside by one atomic rename (only one run can move it), then
/// removed; a folder another run is still writing has no marker yet and is passed over.
pub fn report_folder(asked: Option<PathBuf>) -> Result<ClaimedFolder, CliError> {
    if asked.is_some() {
        return output_folder(asked, "--report", STEM);
    }
    claim_numbered(STEM, replace_earlier_report)
}

/// Moves an earlier report of `verify` at `path` aside and removes it: `true` when this run
/// did, `false` when `path` is not such a report or another run moved it first.
fn replace_earlier_report(path: &Path) -> Result<bool, CliError> {
    if !written_by_verify(path) {
        return Ok(false);
    }
    let aside = PathBuf::from(format!(
        ".{}-replaced-by-{}",
        path.display(),
        std::process::id()
    ));
    if std::fs::rename(path, &aside).is_err() {
        return Ok(false);
    }
    std::fs::remove_dir_all(&aside).map_err(|e| {
        CliError::Input(format!(
            "cannot remove the earlier report {} (moved to {}): {e}",
            path.display(),
            aside.display()
        ))
    })?;
    Ok(true)
}

/// Writes [`MARKER`] into `folder`, listing every file in it; the last file a run writes.
pub fn mark(folder: &Path) -> Result<(), CliError> {
    let files = files_under(folder).ok_or_else(|| {
        CliError::Input(format!(
            "{}: cannot list the report folder",
            folder.display()
        ))
    })?;
    let mut text = format!("{MARKER_HEADING}\n");
    for file in files {
        text.push_str(&file);
        text.push('\n');
    }
    write_new_file(&folder.join(MARKER), &text, false)
}

/// Whether `folder` is a real folder (not a link) with the marker, holding only the files the
/// marker lists.
fn written_by_verify(folder: &Path) -> bool {
    let is_folder = std::fs::symlink_metadata(folder).is_ok_and(|m| m.is_dir());
    let Ok(marker) = std::fs::read_to_string(folder.join(MARKER)) else {
        return false;
    };
    let mut lines = marker.lines();
    if !is_folder || lines.next() != Some(MARKER_HEADING) {
        return false;
    }
    let listed: BTreeSet<&str> = lines.chain([MARKER]).collect();
    files_under(folder).is_some_and(|files| files.iter().all(|f| listed.contains(f.as_str())))
}

/// The files under `folder`, as `/`-separated paths relative to it; `None` when something in
/// it is neither a plain file nor a folder (a link), or a name is not UTF-8, or it cannot be
/// read.
fn files_under(folder: &Path) -> Option<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    let mut pending = vec![(folder.to_path_buf(), String::new())];
    while let Some((path, prefix)) = pending.pop() {
        for entry in std::fs::read_dir(&path).ok()? {
            let entry = entry.ok()?;
            let name = format!("{prefix}{}", entry.file_name().to_str()?);
            let kind = entry.file_type().ok()?;
            if kind.is_dir() {
                pending.push((entry.path(), format!("{name}/")));
            } else if kind.is_file() {
                found.insert(name);
            } else {
                return None;
            }
        }
    }
    Some(found)
}
