//! Errors, exit codes and shared input/output helpers of the command line.

use std::fmt;
use std::path::Path;

use mlcsc::io::{Instance, InstanceError, InstanceFile};
use mlcsc::scalar::Rational;

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

/// The exact instance of a file.
pub fn exact_instance(path: &Path, file: &InstanceFile) -> Result<Instance<Rational>, CliError> {
    file.to_exact()
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

/// The `f64` instance of a file.
pub fn float_instance(path: &Path, file: &InstanceFile) -> Result<Instance<f64>, CliError> {
    file.to_f64()
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

/// Prints a value as pretty JSON on standard output.
pub fn print_json(value: &impl serde::Serialize) {
    write_line(&serde_json::to_string_pretty(value).expect("reports serialise"));
}

/// Writes text to a new file, refusing to replace an existing one unless `overwrite`. The
/// refusal is atomic (the file is created with `create_new`), so a file that appears between
/// a check and the write is not replaced either; a directory is never replaced.
pub fn write_new_file(path: &Path, text: &str, overwrite: bool) -> Result<(), CliError> {
    use std::io::Write;
    let exists = || {
        CliError::Input(format!(
            "{} exists; choose another path or pass --overwrite",
            path.display()
        ))
    };
    if path.is_dir() {
        return Err(CliError::Input(format!(
            "{} is a directory, not a file",
            path.display()
        )));
    }
    if path.exists() && !overwrite {
        return Err(exists());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| CliError::Input(format!("{}: {e}", parent.display())))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists(),
        _ => CliError::Input(format!("{}: {e}", path.display())),
    })?;
    file.write_all(text.as_bytes())
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

/// A number for a text table: 4 significant digits.
pub fn short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        format!("{x}")
    } else if x.abs() >= 1e-3 && x.abs() < 1e5 {
        format!("{x:.4}")
    } else {
        format!("{x:.3e}")
    }
}

/// Writes one line to standard output. A closed pipe (`mlcsc … | head`) ends the process
/// quietly with exit code 0 instead of a panic.
pub fn write_line(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{line}").is_err() {
        std::process::exit(0);
    }
}

/// `println!` through [`write_line`].
macro_rules! outln {
    () => { $crate::cli::output::write_line("") };
    ($($arg:tt)*) => { $crate::cli::output::write_line(&format!($($arg)*)) };
}
pub(crate) use outln;
