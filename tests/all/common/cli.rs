//! The `mlcsc` binary under test, launched through `snapbox`: one place that names the binary,
//! so every test that runs the command line builds its commands the same way.

use std::path::{Path, PathBuf};
use std::process::Output;

use snapbox::cmd::Command;

/// The binary Cargo built for the tests.
pub const BINARY: &str = env!("CARGO_BIN_EXE_mlcsc");

/// The package root (where `fixtures/` is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A committed fixture, by its path under `fixtures/`.
pub fn fixture(path: &str) -> PathBuf {
    root().join("fixtures").join(path)
}

/// `mlcsc`, not yet run: chain `.args`, `.current_dir`, `.env`, `.assert()` or `.output()`.
pub fn command() -> Command {
    Command::new(BINARY)
}

/// `mlcsc ARGS`, not yet run: chain `.current_dir`, `.env`, `.assert()` or `.output()`.
pub fn mlcsc<I, A>(args: I) -> Command
where
    I: IntoIterator<Item = A>,
    A: AsRef<std::ffi::OsStr>,
{
    command().args(args)
}

/// Runs `mlcsc ARGS` in `folder` and returns what it printed and its status.
pub fn run_in<I, A>(folder: &Path, args: I) -> Output
where
    I: IntoIterator<Item = A>,
    A: AsRef<std::ffi::OsStr>,
{
    mlcsc(args)
        .current_dir(folder)
        .output()
        .expect("the mlcsc binary runs")
}

/// Standard output of `mlcsc ARGS` run in `folder` as JSON; panics with standard error when the
/// command failed (exit code other than 0, 1 or 3) or printed something else.
pub fn json_in<I, A>(folder: &Path, args: I) -> serde_json::Value
where
    I: IntoIterator<Item = A>,
    A: AsRef<std::ffi::OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().into()).collect();
    let output = run_in(folder, &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1 | 3)),
        "{args:?}: exit {:?}: {stderr}",
        output.status.code()
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: standard output is not JSON ({e}): {stderr}"))
}
