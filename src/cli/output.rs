//! Errors, exit codes and shared input/output helpers of the command line.

use std::fmt;
use std::path::Path;

pub use super::output_folder::{ClaimedFolder, output_folder};
use crate::io::{Instance, InstanceError, InstanceFile};
use crate::scalar::Rational;

/// A command's failure on bad input or usage (exit code 2). A failed check is not an error:
/// commands return exit code 1 for it with their report printed.
#[derive(Debug)]
pub enum CliError {
    /// Bad input or usage.
    Input(String),
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let CliError::Input(m) = self;
        f.write_str(m)
    }
}

impl From<InstanceError> for CliError {
    fn from(e: InstanceError) -> Self {
        CliError::Input(e.to_string())
    }
}

/// Reads an instance file, naming the file in any error.
pub fn read_instance_file(path: &Path) -> Result<InstanceFile, CliError> {
    InstanceFile::read(path).map_err(|e| match e {
        InstanceError::Io { .. } => CliError::Input(e.to_string()),
        other => CliError::Input(format!("{}: {other}", path.display())),
    })
}

/// Refuses a file with a layer that is not the paper's (stride 1, circular padding) for a
/// command defined for the paper's layers only, naming the layer and its geometry.
pub fn paper_layers_for(command: &str, path: &Path, file: &InstanceFile) -> Result<(), CliError> {
    let layer = file
        .first_real_layer()
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    match layer {
        None => Ok(()),
        Some(layer) => Err(CliError::Input(format!(
            "{}: {layer}; `mlcsc {command}` is defined for the paper's layers, stride 1 with circular padding",
            path.display()
        ))),
    }
}

/// The exact instance of a file.
/// Refused before any work when its exact check would exceed
/// [`crate::io::work_limits::MAX_EXACT_WORK`].
pub fn exact_instance(path: &Path, file: &InstanceFile) -> Result<Instance<Rational>, CliError> {
    let instance = file
        .to_exact()
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    within_exact_work(path, instance)
}

/// The exact instance, refused when its exact check would exceed
/// [`crate::io::work_limits::MAX_EXACT_WORK`] (numbers' growth through the layers included).
pub fn within_exact_work(
    path: &Path,
    instance: Instance<Rational>,
) -> Result<Instance<Rational>, CliError> {
    crate::io::work_limits::check_exact_work(&instance)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    Ok(instance)
}

/// The `f64` instance of a file; refused before any work when one pass would exceed
/// [`crate::io::work_limits::MAX_F64_WORK`].
pub fn float_instance(path: &Path, file: &InstanceFile) -> Result<Instance<f64>, CliError> {
    let instance = file
        .to_f64()
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    crate::io::work_limits::check_f64_work(&instance)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    Ok(instance)
}

/// Prints a value as pretty JSON on standard output, written as it is serialised (no copy of
/// the document is built); a closed pipe ends the process quietly and another write error
/// exits 2, as [`write_line`].
pub fn print_json(value: &impl serde::Serialize) {
    use std::io::Write;
    if super::capture::captured_json(value) {
        return;
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let formatter = serde_json::ser::PrettyFormatter::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    if let Err(e) = value.serialize(&mut serializer) {
        standard_output_failed(std::io::Error::from(e));
    }
    if let Err(e) = writeln!(out).and_then(|()| out.flush()) {
        standard_output_failed(e);
    }
}

/// Ends the process after a failed write to standard output: quietly with exit code 0 when
/// the reader closed the pipe (`mlcsc … | head`), since the output it wanted was written;
/// otherwise (a full disk, a closed descriptor) with the error on standard error and exit
/// code 2, so a truncated output never passes for a complete one.
fn standard_output_failed(error: std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    write_error_line(&format!("mlcsc: standard output: {error}"));
    std::process::exit(2);
}

/// Writes text to a file atomically (`crate::io::write_atomically`: a temporary file in the
/// same folder, synced, then renamed), creating its folder when absent. Without `overwrite` an
/// existing file is never replaced, even one that appears while the command runs; with it the
/// old file stays whole until the new one is complete. A folder, a device and a symbolic link
/// at `path` are refused: the tool never writes through a link.
pub fn write_new_file(path: &Path, text: &str, overwrite: bool) -> Result<(), CliError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| CliError::Input(format!("{}: {e}", parent.display())))?;
    }
    crate::io::write_atomically(path, text.as_bytes(), overwrite).map_err(CliError::Input)
}

/// Checks an output file before any work is done: `path` must be absent, or a regular file
/// that mlcsc wrote ([`written_by_mlcsc`]) when `overwrite` is `Some(true)` (`None`: the
/// command has no `--overwrite`), never a
/// symbolic link (dangling or not), a folder or a device; and the folder it goes in must be
/// a folder the tool can write in (or be creatable in one). `flag` names the option in
/// messages.
pub fn check_output_file(path: &Path, flag: &str, overwrite: Option<bool>) -> Result<(), CliError> {
    let refuse = |why: String| Err(CliError::Input(format!("{flag} {}: {why}", path.display())));
    if path.as_os_str().is_empty() {
        return Err(CliError::Input(format!("{flag}: the path is empty")));
    }
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            return refuse(
                "is a symbolic link; mlcsc never writes through a link nor replaces one: give the path of its target, or another path"
                    .into(),
            );
        }
        if meta.is_dir() {
            return refuse("exists and is a directory; give the path of a file".into());
        }
        if !meta.is_file() {
            return refuse(
                "is not a regular file (a device, pipe or socket); give the path of a file".into(),
            );
        }
        // A checkpoint is resumed, not replaced (the campaign checks its header).
        if overwrite == Some(true) && flag != "--checkpoint" && !written_by_mlcsc(path) {
            return refuse(format!(
                "exists and is not a file mlcsc wrote (it does not begin with {{\"format\": \"{OWN_FORMAT_PREFIX}…\"}}); --overwrite replaces only mlcsc's own reports, never another file: choose another path, or move the file away"
            ));
        }
        if overwrite != Some(true) {
            return refuse(format!(
                "exists; choose another path{}",
                if overwrite.is_some() {
                    " or pass --overwrite"
                } else {
                    ""
                }
            ));
        }
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    check_writable_folder(parent)
        .map_err(|why| CliError::Input(format!("{flag} {}: {why}", path.display())))
}

/// The beginning of the format tag of every file mlcsc writes (`mlcsc-campaign-3`, …).
pub const OWN_FORMAT_PREFIX: &str = "mlcsc-";

/// The most bytes read to recognise a file mlcsc wrote.
const OWN_MARKER_BYTES: u64 = 4096;

/// Whether the file begins as every report mlcsc writes: a JSON object whose first key is
/// `format`, with a tag beginning [`OWN_FORMAT_PREFIX`] (only its first
/// [`OWN_MARKER_BYTES`] bytes are read). An empty file is not mlcsc's.
pub fn written_by_mlcsc(path: &Path) -> bool {
    use std::io::Read;
    let mut prefix = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|file| file.take(OWN_MARKER_BYTES).read_to_end(&mut prefix));
    if read.is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&prefix);
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.starts_with(&format!("{{\"format\":\"{OWN_FORMAT_PREFIX}"))
}

/// Checks an output folder before any work is done: absent (its nearest existing ancestor
/// must be a folder the tool can write in), or a folder it can write in, empty when
/// `must_be_empty`. A link to a folder is followed, as any folder above an output is; a
/// dangling link or a file is refused.
pub fn check_output_folder(path: &Path, flag: &str, must_be_empty: bool) -> Result<(), CliError> {
    let refuse = |why: &str| Err(CliError::Input(format!("{flag} {}: {why}", path.display())));
    if path.as_os_str().is_empty() {
        return Err(CliError::Input(format!("{flag}: the path is empty")));
    }
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_dir() => refuse("exists and is not a folder; give a folder"),
        Ok(_) => {
            if must_be_empty
                && std::fs::read_dir(path)
                    .map_err(|e| CliError::Input(format!("{flag} {}: {e}", path.display())))?
                    .next()
                    .is_some()
            {
                return refuse("exists and is not an empty folder; choose a new one");
            }
            check_writable_folder(path)
                .map_err(|why| CliError::Input(format!("{flag} {}: {why}", path.display())))
        }
        Err(_) if std::fs::symlink_metadata(path).is_ok() => {
            refuse("is a symbolic link to nothing; give a folder")
        }
        Err(_) => check_writable_folder(path)
            .map_err(|why| CliError::Input(format!("{flag} {}: {why}", path.display()))),
    }
}

/// `Ok` when `folder`, or its nearest existing ancestor if it is absent, is a folder in which a
/// file can be created (tried with a temporary file, removed at once).
fn check_writable_folder(folder: &Path) -> Result<(), String> {
    let mut existing = folder;
    while std::fs::symlink_metadata(existing).is_err() {
        match existing.parent() {
            Some(p) if !p.as_os_str().is_empty() => existing = p,
            _ => {
                existing = Path::new(".");
                break;
            }
        }
    }
    match std::fs::metadata(existing) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(format!("{} is not a folder", existing.display())),
        Err(e) => return Err(format!("{}: {e}", existing.display())),
    }
    tempfile::Builder::new()
        .prefix(".mlcsc-")
        .suffix(".probe")
        .tempfile_in(existing)
        .map(drop)
        .map_err(|e| format!("cannot write in {}: {e}", existing.display()))
}

/// The path as it will be resolved when written: absolute, with its existing part's links
/// resolved (so `a/../r.json`, `./r.json` and a linked folder name the same file).
pub fn resolved_path(path: &Path) -> std::path::PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Writes one line to standard output. A closed pipe (`mlcsc … | head`) ends the process
/// quietly with exit code 0 instead of a panic; any other write error exits 2.
pub fn write_line(line: &str) {
    use std::io::Write;
    if super::capture::captured(super::capture::Stream::Output, &format!("{line}\n")) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{line}") {
        standard_output_failed(e);
    }
}

/// Writes one line to standard error, never panicking: when standard error itself cannot be
/// written (a full disk, a closed descriptor), there is nowhere left to say so, and the exit
/// code alone tells (`eprintln!` would panic with exit code 101).
pub fn write_error_line(line: &str) {
    use std::io::Write;
    if super::capture::captured(super::capture::Stream::Error, &format!("{line}\n")) {
        return;
    }
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `println!` through [`write_line`].
macro_rules! outln {
    () => { $crate::cli::output::write_line("") };
    ($($arg:tt)*) => { $crate::cli::output::write_line(&format!($($arg)*)) };
}
pub(crate) use outln;
