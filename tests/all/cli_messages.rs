//! Messages that name what is wrong with the value: subnormal `.npy` weights are not called
//! zero, a norm beyond `f64` is not printed as 0, `search --save` suggests no flag it lacks, and
//! a merge of two arithmetics shows both, and a failed write to standard output exits 2.

use std::path::Path;

use snapbox::cmd::Command;

fn mlcsc(folder: &Path) -> Command {
    crate::common::cli::command().current_dir(folder)
}

/// A `[1, 1, 2]` float64 bank holding `weights`.
fn write_bank(path: &Path, weights: [f64; 2]) {
    let data: Vec<u8> = weights.iter().flat_map(|w| w.to_le_bytes()).collect();
    let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 2), }";
    std::fs::write(path, crate::common::npy_bytes(header, &data)).expect("write");
}

#[test]
fn subnormal_npy_weights_are_named_with_their_value_not_called_zero() {
    let folder = tempfile::tempdir().expect("folder");
    write_bank(&folder.path().join("tiny.npy"), [1e-310, -5e-311]);
    mlcsc(folder.path())
        .args(["inspect", "--npy", "tiny.npy"])
        .assert()
        .code(2)
        .stdout_eq("")
        .stderr_eq("mlcsc: tiny.npy: filter 0 (out channel 0) is not zero, but its largest weight 1e-310 is subnormal in f64 (below 2.2e-308), too small to normalise without losing digits; rescale the bank[..]\n");
}

#[test]
fn a_filter_norm_beyond_f64_is_an_error_suggesting_exact_arithmetic() {
    let folder = tempfile::tempdir().expect("folder");
    write_bank(&folder.path().join("huge.npy"), [1.5e308, 1.5e308]);
    mlcsc(folder.path())
        .args(["inspect", "--npy", "huge.npy"])
        .assert()
        .code(2)
        .stdout_eq("")
        .stderr_eq("mlcsc: huge.npy: filter 0 (out channel 0) has an l2 norm that overflows f64 (largest weight 1.5e308); rescale the bank, or write the filters as exact rationals in an instance file and use --arithmetic exact\n");
}

#[test]
fn large_but_finite_npy_norms_are_exact_enough_and_never_zero() {
    let folder = tempfile::tempdir().expect("folder");
    // ‖(3, 4) · 1e200‖ = 5e200: each square overflows f64, the norm does not.
    write_bank(&folder.path().join("large.npy"), [3e200, 4e200]);
    let output = mlcsc(folder.path())
        .args(["inspect", "--npy", "large.npy", "--json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&output).expect("JSON");
    let layer = &report["layers"][0];
    let norm = layer["filter-norms"][0].as_f64().expect("a norm");
    assert!((norm / 5e200 - 1.0).abs() < 1e-15, "norm {norm}");
    // The normalised filter (0.6, 0.8) correlates with its shift by 0.48.
    let coherence = layer["coherence"].as_f64().expect("a coherence");
    assert!((coherence - 0.48).abs() < 1e-15, "coherence {coherence}");
}

#[test]
fn search_save_on_an_existing_file_suggests_no_flag_it_lacks() {
    let folder = tempfile::tempdir().expect("folder");
    std::fs::write(folder.path().join("kept.json"), "mine").expect("write");
    mlcsc(folder.path())
        .args([
            "search",
            "theorem2-soft",
            "--budget",
            "5",
            "--save",
            "kept.json",
        ])
        .assert()
        .code(2)
        .stdout_eq("")
        .stderr_eq("mlcsc: --save kept.json: exists; choose another path\n");
    assert_eq!(
        std::fs::read_to_string(folder.path().join("kept.json")).expect("kept"),
        "mine"
    );
}

#[test]
fn a_merge_of_two_arithmetics_prints_two_visibly_different_settings() {
    let folder = tempfile::tempdir().expect("folder");
    for (shard, arithmetic, report) in [("1/2", "exact", "a.json"), ("2/2", "f64", "b.json")] {
        mlcsc(folder.path())
            .args(["campaign", "theorem2-soft", "--cases", "4", "--seed", "3"])
            .args([
                "--shard",
                shard,
                "--arithmetic",
                arithmetic,
                "--report",
                report,
            ])
            .assert()
            .code(0);
    }
    mlcsc(folder.path())
        .args(["merge", "a.json", "b.json", "--report", "m.json"])
        .assert()
        .code(2)
        .stdout_eq("")
        .stderr_eq("mlcsc: report b.json is of another campaign (theorem2-soft seed 3 cases 4 arithmetic f64) than report a.json (theorem2-soft seed 3 cases 4 arithmetic exact)\n");
    assert!(!folder.path().join("m.json").exists());
}

/// A write to standard output that fails for a reason other than a closed pipe (here a full
/// device) exits 2 with the reason, so a truncated output never passes for a complete one.
#[test]
fn a_failed_write_to_standard_output_exits_2_with_the_reason() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full on this system");
        return;
    };
    for args in [&["list"][..], &["list", "--json"][..]] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_mlcsc"))
            .args(args)
            .stdout(full.try_clone().expect("descriptor"))
            .output()
            .expect("run mlcsc");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with("mlcsc: standard output: ") && stderr.contains("No space left"),
            "{args:?}: {stderr}"
        );
    }
}
