//! `examples/own-crate/`, a crate outside the workspace that depends on mlcsc by path
//! (docs/own-crate.md), builds and runs as a user's would: `cargo run --release --offline
//! --manifest-path examples/own-crate/Cargo.toml`, in the workspace's target folder so that
//! the compiled dependencies are reused.
//!
//! Cost: warm (nothing changed since the last run) the build is a check of fingerprints and
//! the run takes about a second. Cold it compiles `mlcsc-spec`, `mlcsc-engines` and `mlcsc`
//! once more (about 3 minutes on two busy cores): Cargo hashes a path dependency by its path
//! from the workspace root, which differs for the example's own workspace, so those three
//! are built again under other names (the registry's crates are reused). The test is
//! therefore ignored in a plain `cargo test`, and `.ci/run` runs it on its own with
//! `--ignored`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::cli::root;

/// The `(name, version)` pairs of a `Cargo.lock`.
fn locked_packages(path: &Path) -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(path).expect("a Cargo.lock");
    let mut packages = BTreeSet::new();
    let mut name = None;
    for line in text.lines() {
        if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_string());
        } else if let (Some(value), Some(n)) = (line.strip_prefix("version = "), name.take()) {
            packages.insert((n, value.trim_matches('"').to_string()));
        }
    }
    packages
}

#[test]
fn the_example_crate_locks_the_versions_the_workspace_locks() {
    let root = root();
    let workspace = locked_packages(&root.join("Cargo.lock"));
    let example = locked_packages(&root.join("examples/own-crate/Cargo.lock"));
    let other: Vec<_> = (example.iter())
        .filter(|(name, _)| name != "own-crate")
        .filter(|package| !workspace.contains(*package))
        .collect();
    assert!(
        other.is_empty(),
        "examples/own-crate/Cargo.lock has versions Cargo.lock does not (copy Cargo.lock there and build it once, offline): {other:?}"
    );
    assert!(example.iter().any(|(name, _)| name == "mlcsc"));
}

#[test]
#[ignore = "compiles mlcsc a second time when cold (minutes); .ci/run runs it with --ignored"]
fn a_crate_of_its_own_states_a_conjecture_and_runs_it() {
    let root = root();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = std::time::Instant::now();
    let output = std::process::Command::new(cargo)
        .args([
            "run",
            "--release",
            "--offline",
            "--quiet",
            "--manifest-path",
        ])
        .arg(root.join("examples/own-crate/Cargo.toml"))
        .arg("--")
        .arg("300")
        .env("CARGO_TARGET_DIR", root.join("target"))
        .current_dir(&root)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("built and ran in {:.1} s", started.elapsed().as_secs_f64());
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    let count = |label: &str| -> usize {
        let line = (stdout.lines())
            .find_map(|line| line.strip_prefix(&format!("{label} ")))
            .unwrap_or_else(|| panic!("no line {label:?} in:\n{stdout}"));
        line.parse().expect("a count")
    };
    assert!(stdout.starts_with("soft-thresholding-recovers-under-theorem2 (open)"));
    assert_eq!(count("cases"), 300, "{stdout}");
    assert_eq!(count("violated"), 0, "{stdout}");
    let met = count("hypotheses met");
    assert!(met >= 100, "only {met} cases met the hypotheses:\n{stdout}");
    assert_eq!(count("holds") + count("undecided"), met, "{stdout}");
    assert!(stdout.contains("event deep: "), "{stdout}");
}
