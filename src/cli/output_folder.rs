//! Output folders: a folder named by the user must be new or empty; without a name, the first
//! free `STEM`, `STEM-2`, … is claimed by creating it, and removed again if the command ends
//! with it still empty.

use std::path::{Path, PathBuf};

use super::output::{CliError, check_output_folder};

/// The output folder of a command, by the one policy of every command that writes a folder:
/// the folder given with `flag` must be new or empty (checked by [`check_output_folder`] before
/// any work); without it, the first of `STEM`, `STEM-2`, `STEM-3`, … with nothing at its path
/// (not even a dangling link) in the working folder is taken, so a rerun never meets or
/// changes an earlier run's files. The folder is claimed at once by creating it
/// (`create_dir` fails on an existing path, so of several runs started together each gets its
/// own name), and removed again if the command ends with it still empty.
pub fn output_folder(
    asked: Option<PathBuf>,
    flag: &str,
    stem: &str,
) -> Result<ClaimedFolder, CliError> {
    if let Some(path) = asked {
        check_output_folder(&path, flag, true)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| CliError::Input(format!("{flag} {}: {e}", parent.display())))?;
        }
        let created = match std::fs::create_dir(&path) {
            Ok(()) => true,
            // Present and empty (checked above), or made empty by another run just now.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                check_output_folder(&path, flag, true)?;
                false
            }
            Err(e) => return Err(CliError::Input(format!("{flag} {}: {e}", path.display()))),
        };
        return Ok(ClaimedFolder { path, created });
    }
    claim_numbered(stem, |_| Ok(false))
}

/// The first of `stem`, `stem-2`, `stem-3`, … that this command creates. A name that exists
/// is retried once when `free(path)` has made it free (an earlier report moved away);
/// creating the folder is the claim, so concurrent runs never share one.
pub(super) fn claim_numbered(
    stem: &str,
    free: impl Fn(&Path) -> Result<bool, CliError>,
) -> Result<ClaimedFolder, CliError> {
    for k in 1..10_000 {
        let path = match k {
            1 => PathBuf::from(stem),
            _ => PathBuf::from(format!("{stem}-{k}")),
        };
        if create_new_folder(&path)? || (free(&path)? && create_new_folder(&path)?) {
            return Ok(ClaimedFolder {
                path,
                created: true,
            });
        }
    }
    Err(CliError::Input(format!("no free {stem} folder name")))
}

/// Creates `path`: `true` when this command made it, `false` when it exists.
fn create_new_folder(path: &Path) -> Result<bool, CliError> {
    match std::fs::create_dir(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(CliError::Input(format!(
            "cannot create the folder {} in the working folder: {e}",
            path.display()
        ))),
    }
}

/// An output folder claimed by [`output_folder`]: its path, removed when the command ends
/// with the folder still empty and it was this command that created it.
#[derive(Debug)]
pub struct ClaimedFolder {
    path: PathBuf,
    created: bool,
}

impl std::ops::Deref for ClaimedFolder {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl Drop for ClaimedFolder {
    fn drop(&mut self) {
        if self.created {
            // Fails, and keeps the folder, unless it is empty.
            let _ = std::fs::remove_dir(&self.path);
        }
    }
}
