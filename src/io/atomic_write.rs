//! Atomic file output: a file is written to a temporary file in its own folder, synced, and
//! renamed into place, so a failure (a full disk, a kill) leaves either the old file or
//! nothing, never a partial file.
//!
//! Symbolic links: the tool never writes through a link and never replaces one. A link (even
//! a dangling one) at the path written is refused, before anything is written; folders above
//! the path may be links.

use std::fs::File;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically. With `replace` false an existing `path` is never
/// replaced (the rename itself refuses, so a file that appears meanwhile is kept too); with
/// `replace` true an existing regular file is replaced by the rename, only once the new
/// content is complete and synced. A symbolic link at `path` is refused either way, and so
/// is anything at `path` that is not a regular file (a folder, `/dev/null`, a pipe).
pub fn write_atomically(path: &Path, bytes: &[u8], replace: bool) -> Result<(), String> {
    write_atomically_with(path, replace, |file| file.write_all(bytes))
}

/// [`write_atomically`] with the content written by `fill` into the temporary file (the
/// tests give it a writer that fails, as a full disk does).
fn write_atomically_with(
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
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mlcsc-").suffix(".partial");
    // The permissions of a file created as usual (the umask applies), not a temporary
    // file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(folder).map_err(|e| failed(&e))?;
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
}
