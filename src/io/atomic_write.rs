//! Atomic file output: a file is written to a temporary file in its own folder, synced, and
//! renamed into place, so a failure (a full disk, a kill) leaves either the old file or
//! nothing, never a partial file.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically. With `replace` false an existing `path` is never
/// replaced (the rename itself refuses, so a file that appears meanwhile is kept too); with
/// `replace` true the rename replaces the directory entry `path`, never writing through it, so
/// a symbolic link at `path` is replaced by the new file and its target is left unchanged.
pub fn write_atomically(path: &Path, bytes: &[u8], replace: bool) -> Result<(), String> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut temporary = tempfile::Builder::new()
        .prefix(".mlcsc-")
        .suffix(".partial")
        .tempfile_in(folder)
        .map_err(|e| failed(&e))?;
    temporary.write_all(bytes).map_err(|e| failed(&e))?;
    temporary.as_file().sync_all().map_err(|e| failed(&e))?;
    if replace {
        temporary.persist(path).map_err(|e| failed(&e.error))?;
    } else {
        temporary.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                format!("{} exists; it was not replaced", path.display())
            } else {
                failed(&e.error)
            }
        })?;
    }
    Ok(())
}
