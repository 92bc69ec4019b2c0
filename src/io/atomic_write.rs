//! Atomic file output: a file is written to a temporary file in its own folder, synced, and
//! renamed into place, so a failure (a full disk, a kill) leaves either the old file or
//! nothing at the path written.
//!
//! Temporary files: a temporary file is named `.mlcsc-*.partial` and holds an exclusive
//! advisory lock for as long as its writer has it open. A `kill -9` between its creation and
//! its rename leaves it behind (no name can be given atomically to a file that is still being
//! written), unlocked: the next temporary file made in that folder first removes every
//! `.mlcsc-*.partial` file there that nobody holds locked and that is older than
//! [`ABANDONED_AFTER`] ([`partial_file`]).
//!
//! Symbolic links: the tool never writes through a link and never replaces one. A link (even
//! a dangling one) at the path written is refused, before anything is written; folders above
//! the path may be links.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use fs4::FileExt;
use tempfile::NamedTempFile;

/// How old an unlocked temporary file must be before it counts as abandoned: a writer locks
/// its temporary file microseconds after creating it, so an older unlocked one was left by a
/// process that died.
pub const ABANDONED_AFTER: Duration = Duration::from_secs(2);

/// Whether a file name is that of a temporary file of mlcsc.
fn is_partial_name(name: &str) -> bool {
    name.starts_with(".mlcsc-") && name.ends_with(".partial")
}

/// Removes the temporary files a killed mlcsc left in `folder`: every regular
/// `.mlcsc-*.partial` file that no process holds locked and that is older than
/// `ABANDONED_AFTER`. Returns how many were removed; a folder that cannot be read removes
/// none.
pub fn remove_abandoned_partials(folder: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        if !name.to_str().is_some_and(is_partial_name) {
            continue;
        }
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age >= ABANDONED_AFTER);
        if !meta.is_file() || !old {
            continue;
        }
        let Ok(file) = File::open(&path) else {
            continue;
        };
        // Held by a live writer: kept. Removed while we hold its lock, so no writer can take
        // it up meanwhile.
        if FileExt::try_lock(&file).is_ok() && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// A new temporary file `.mlcsc-*.partial` in `folder`, locked for as long as it is open and
/// with the permissions of a file created as usual (the umask applies), not a temporary
/// file's 0600. Abandoned temporary files in the folder are removed first
/// ([`remove_abandoned_partials`]).
pub fn partial_file(folder: &Path) -> std::io::Result<NamedTempFile> {
    remove_abandoned_partials(folder);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mlcsc-").suffix(".partial");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let temporary = builder.tempfile_in(folder)?;
    // A file system without locks still gets its file; its temporary files are then never
    // taken for abandoned ones, since they cannot be locked by the cleaner either.
    let _ = FileExt::try_lock(temporary.as_file());
    Ok(temporary)
}

/// Writes `bytes` to `path` atomically. With `replace` false an existing `path` is never
/// replaced (the rename itself refuses, so a file that appears meanwhile is kept too); with
/// `replace` true an existing regular file is replaced by the rename, only once the new
/// content is complete and synced. A symbolic link at `path` is refused either way, and so
/// is anything at `path` that is not a regular file (a folder, `/dev/null`, a pipe).
pub fn write_atomically(path: &Path, bytes: &[u8], replace: bool) -> Result<(), String> {
    write_atomically_with(path, replace, |file| file.write_all(bytes))
}

/// [`write_atomically`] with the content written by `fill` into the temporary file, so a
/// large file is written as a stream (the tests give it a writer that fails, as a full disk
/// does).
pub fn write_atomically_with(
    path: &Path,
    replace: bool,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<(), String> {
    refuse_non_regular(path)?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let failed = |e: &dyn std::fmt::Display| {
        format!(
            "{}: {e}; nothing was written there (a file already there is unchanged)",
            path.display()
        )
    };
    let mut temporary = partial_file(folder).map_err(|e| failed(&e))?;
    fill(temporary.as_file_mut()).map_err(|e| failed(&e))?;
    temporary.as_file().sync_all().map_err(|e| failed(&e))?;
    if replace {
        // Checked again just before the rename, which replaces the entry and never writes
        // through it.
        refuse_non_regular(path)?;
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
    // The rename is durable once the folder's entry is: a failure here loses nothing.
    if let Ok(handle) = File::open(folder) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// An error unless `path` is absent or a regular file (never followed through a link).
fn refuse_non_regular(path: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Err(_) => Ok(()),
        Ok(meta) if meta.file_type().is_symlink() => Err(format!(
            "{} is a symbolic link; mlcsc never writes through a link nor replaces one: give the path of its target, or another path",
            path.display()
        )),
        Ok(meta) if meta.is_dir() => Err(format!("{} is a directory, not a file", path.display())),
        Ok(meta) if !meta.is_file() => Err(format!(
            "{} is not a regular file (a device, pipe or socket); give the path of a file",
            path.display()
        )),
        Ok(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("mlcsc-atomic-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("folder");
        path
    }

    fn leftovers(folder: &Path) -> Vec<String> {
        std::fs::read_dir(folder)
            .expect("folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".partial"))
            .collect()
    }

    #[test]
    fn a_write_that_fails_like_a_full_disk_keeps_the_old_file_and_leaves_no_partial_file() {
        let dir = folder("full-disk");
        let path = dir.join("report.json");
        std::fs::write(&path, "the old report\n").expect("write");
        let error = write_atomically_with(&path, true, |file| {
            file.write_all(b"half of the new")?;
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "No space left on device",
            ))
        })
        .expect_err("the write failed");
        assert!(error.contains("No space left"), "{error}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("old"),
            "the old report\n"
        );
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        write_atomically(&path, b"the new report\n", true).expect("replaced");
        assert_eq!(
            std::fs::read_to_string(&path).expect("new"),
            "the new report\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn links_folders_and_devices_are_refused_and_existing_files_kept_without_replace() {
        let dir = folder("refusals");
        let target = dir.join("target.json");
        std::fs::write(&target, "target\n").expect("write");
        let kept = dir.join("kept.json");
        std::fs::write(&kept, "kept\n").expect("write");
        let refused = write_atomically(&kept, b"new", false).expect_err("exists");
        assert!(refused.contains("exists"), "{refused}");
        assert_eq!(std::fs::read_to_string(&kept).expect("kept"), "kept\n");
        #[cfg(unix)]
        {
            let link = dir.join("link.json");
            std::os::unix::fs::symlink(&target, &link).expect("link");
            let dangling = dir.join("dangling.json");
            std::os::unix::fs::symlink(dir.join("absent.json"), &dangling).expect("link");
            for (path, replace) in [(&link, true), (&link, false), (&dangling, true)] {
                let error = write_atomically(path, b"new", replace).expect_err("a link");
                assert!(error.contains("symbolic link"), "{error}");
                assert!(
                    std::fs::symlink_metadata(path)
                        .expect("still there")
                        .file_type()
                        .is_symlink()
                );
            }
            assert!(!dir.join("absent.json").exists());
            if Path::new("/dev/null").exists() {
                let error =
                    write_atomically(Path::new("/dev/null"), b"x", true).expect_err("a device");
                assert!(error.contains("not a regular file"), "{error}");
            }
        }
        assert_eq!(std::fs::read_to_string(&target).expect("t"), "target\n");
        let error = write_atomically(&dir, b"x", true).expect_err("a folder");
        assert!(error.contains("directory"), "{error}");
        assert!(leftovers(&dir).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A temporary file as a `kill -9` leaves it: unlocked, and `age` old.
    fn left_partial(folder: &Path, name: &str, age: Duration) -> std::path::PathBuf {
        let path = folder.join(name);
        let file = File::create(&path).expect("partial");
        file.set_modified(std::time::SystemTime::now() - age)
            .expect("mtime");
        path
    }

    #[test]
    fn a_partial_file_left_by_a_killed_writer_is_removed_by_the_next_write_and_a_live_one_kept() {
        let dir = folder("abandoned");
        let abandoned = left_partial(&dir, ".mlcsc-killed.partial", Duration::from_secs(60));
        let young = left_partial(&dir, ".mlcsc-young.partial", Duration::ZERO);
        let live = partial_file(&dir).expect("a live temporary file");
        let live_path = live.path().to_path_buf();
        live.as_file()
            .set_modified(std::time::SystemTime::now() - Duration::from_secs(60))
            .expect("mtime");
        let other = left_partial(&dir, "notes.partial", Duration::from_secs(60));
        write_atomically(&dir.join("report.json"), b"report\n", false).expect("written");
        assert!(
            !abandoned.exists(),
            "the abandoned temporary file is removed"
        );
        assert!(
            young.exists(),
            "a temporary file just made may not be locked yet"
        );
        assert!(
            live_path.exists(),
            "a locked temporary file belongs to a live writer"
        );
        assert!(
            other.exists(),
            "only mlcsc's own temporary files are touched"
        );
        drop(live);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
