//! The command line's own robustness (docs/robustness.md): report folders claimed atomically
//! by concurrent runs, names that cannot leave their folder, bad options refused before the
//! work, and standard output or error that cannot be written (a full disk) never ending in a
//! panic nor in exit code 0.

use std::process::Stdio;

use mlcsc::cli::run_with_args_captured;
use mlcsc::conjecture::prelude::*;
use mlcsc::io::save_counterexample;

use crate::common::cli::{BINARY, fixture};

#[test]
fn concurrent_verify_runs_each_claim_their_own_report_folder() {
    let folder = tempfile::tempdir().expect("scratch");
    let runs: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(BINARY)
                .args(["verify", "--scale", "0.01", "--json"])
                .current_dir(folder.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("starts")
        })
        .collect();
    let mut reports: Vec<String> = Vec::new();
    for run in runs {
        let output = run.wait_with_output().expect("ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_ne!(output.status.code(), Some(2), "{stderr}");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        reports.push(
            json["report"]
                .as_str()
                .expect("a report folder")
                .to_string(),
        );
    }
    reports.sort();
    assert_eq!(
        reports,
        ["mlcsc-report", "mlcsc-report-2", "mlcsc-report-3"],
        "each run its own folder"
    );
}

#[test]
fn a_conjecture_named_out_of_its_folder_is_refused_before_anything_is_written() {
    let folder = tempfile::tempdir().expect("scratch");
    let inner = folder.path().join("a").join("b");
    std::fs::create_dir_all(&inner).expect("folders");
    let escaping = conjecture("../../escaped").family(Family::theorem2(Thresholding::Soft));
    let report = inner.join("report");
    let report = report.to_str().expect("UTF-8");
    for args in [
        &["verify", "--scale", "0.01", "--report", report][..],
        &["campaign", "../../escaped", "--cases", "2"][..],
    ] {
        let mut line = vec!["mlcsc"];
        line.extend_from_slice(args);
        let run = run_with_args_captured(line, &[&escaping]);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains("cannot name a file"), "{}", run.stderr);
    }
    assert!(!folder.path().join("escaped.json").exists());
    assert_eq!(
        std::fs::read_dir(&inner).expect("inner").count(),
        0,
        "nothing written"
    );
    // The library refuses such a name too.
    let instance = mlcsc::io::InstanceFile::read(&fixture("instances/dirac-exact-tie.json"))
        .expect("reads")
        .to_exact()
        .expect("exact");
    for name in ["../escaped", "a/b", ".hidden", "", "tab\there"] {
        assert!(
            save_counterexample(&inner, name, &instance).is_err(),
            "{name:?}"
        );
    }
    assert_eq!(std::fs::read_dir(&inner).expect("inner").count(), 0);
    assert!(!folder.path().join("a").join("escaped.json").exists());
}

#[test]
fn an_unplottable_noise_level_is_refused_before_the_grid_runs() {
    let folder = tempfile::tempdir().expect("scratch");
    let output = std::process::Command::new(BINARY)
        .args([
            "phase",
            "theorem2-noise-contrast",
            "--largest-noise",
            "1e-400",
        ])
        .current_dir(folder.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--largest-noise 1e-400: below the smallest normal f64"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(folder.path()).expect("folder").count(), 0);
}

/// `mlcsc ARGS` with standard output and standard error sent to the given files.
#[cfg(unix)]
fn run_into(args: &[&str], stdout: &str, stderr: &str) -> Option<i32> {
    let open = |path: &str| {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .expect("opens")
    };
    std::process::Command::new(BINARY)
        .args(args)
        .stdout(open(stdout))
        .stderr(open(stderr))
        .status()
        .expect("runs")
        .code()
}

#[cfg(unix)]
#[test]
fn a_full_disk_never_panics_and_never_passes_for_success() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    // Help and version that could not be written: exit 2, not 0.
    assert_eq!(run_into(&["--help"], "/dev/full", "/dev/null"), Some(2));
    assert_eq!(run_into(&["--version"], "/dev/full", "/dev/null"), Some(2));
    // An error message that could not be written: exit 2 all the same, not a panic (101).
    assert_eq!(
        run_into(&["check", "missing.json"], "/dev/null", "/dev/full"),
        Some(2)
    );
    assert_eq!(
        run_into(&["no-such-command"], "/dev/null", "/dev/full"),
        Some(2)
    );
    let tie = fixture("instances/dirac-exact-tie.json");
    let tie = tie.to_str().expect("UTF-8");
    assert_eq!(run_into(&["check", tie], "/dev/full", "/dev/full"), Some(2));
    // Written where it can be: the normal codes.
    assert_eq!(run_into(&["--help"], "/dev/null", "/dev/full"), Some(0));
}
