//! Work limits on every entry and every arithmetic (docs/robustness.md): the exhaustive
//! entries count their enumeration before running it, `--arithmetic f64` keeps the `f64` and
//! the exact work limits on every path, and the exact work estimate bounds how numbers grow
//! through the layers. Each refusal exits 2 before the work and names the limit.

use mlcsc::io::InstanceFile;
use mlcsc::io::number_growth::longest_number_bits;
use mlcsc::io::support_count::{Enumeration, SupportCaps, count_supports};
use mlcsc::scalar::Rational;
use mlcsc::theorems::support_enumeration::for_each_support_within_budget;

use crate::common::cli::{command, fixture};

/// Runs `mlcsc ARGS FILE` on the text of an instance file; the exit code and standard error.
fn run(args: &[&str], name: &str, text: &str) -> (Option<i32>, String) {
    let folder = tempfile::tempdir().expect("scratch folder");
    let path = folder.path().join(name);
    std::fs::write(&path, text).expect("written");
    let output = command().args(args).arg(&path).output().expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const EXHAUSTIVE: [&str; 4] = [
    "stripe-rip",
    "dcp-stability",
    "stripe-spark-lemma",
    "dcp-uniqueness",
];

#[test]
fn the_exhaustive_entries_refuse_the_readme_fixture_before_enumerating() {
    // A Dirac first layer over N = 64 positions: 2^64 supports.
    let path = fixture("instances/two-layer-dirac-pythagorean.json");
    for entry in EXHAUSTIVE {
        let output = command()
            .args(["check", "--theorem", entry])
            .arg(&path)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{entry}: {stderr}");
        assert!(
            stderr.contains(&format!("layer 1: {entry} enumerates every support"))
                && stderr.contains("above the limit of")
                && stderr.contains("use a shorter signal"),
            "{entry}: {stderr}"
        );
    }
}

#[test]
fn the_exhaustive_entries_still_decide_tiny_instances() {
    for file in [
        "instances/dirac-exact-tie.json",
        "instances/binary4-two-atoms-noisy.json",
        "theorem2/two-layer-dirac-then-sparse.json",
    ] {
        for entry in EXHAUSTIVE {
            let output = command()
                .args(["check", "--theorem", entry])
                .arg(fixture(file))
                .output()
                .expect("runs");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(0), "{file} {entry}: {stderr}");
        }
    }
}

/// The count the limits use is the enumeration's own count: every support, once.
#[test]
fn the_support_count_is_the_enumerations_count() {
    let caps = SupportCaps {
        supports: u64::MAX,
        tries: u64::MAX,
        exact_work: u128::MAX,
    };
    for (length, channels, filter_length) in [(4, 1, 1), (5, 2, 2), (7, 3, 2), (9, 1, 3), (3, 4, 2)]
    {
        for budget in 0..=4 {
            let expected =
                for_each_support_within_budget(length, channels, filter_length, budget, |_| {});
            let shape = Enumeration {
                length,
                channels,
                filter_length,
                budget,
                dimension: length,
            };
            let counted = count_supports(&shape, &caps).expect("no cap");
            assert_eq!(
                counted.supports, expected,
                "N = {length}, m = {channels}, n = {filter_length}, budget {budget}"
            );
        }
    }
    // A cap stops the count at once (2^64 supports are never counted).
    let huge = Enumeration {
        length: 64,
        channels: 1,
        filter_length: 1,
        budget: 1,
        dimension: 64,
    };
    let capped = SupportCaps {
        supports: 1000,
        ..caps
    };
    assert_eq!(
        count_supports(&huge, &capped).err().map(|w| w.supports),
        Some(1001)
    );
}

/// A single-layer instance with a filter of `filter_length` taps (a Dirac) over `N`, with the
/// given threshold.
fn long_instance(filter_length: usize, signal_length: usize, threshold: &str) -> String {
    let mut taps = vec![r#"["1"]"#.to_string()];
    taps.extend(std::iter::repeat_n(
        r#"["0"]"#.to_string(),
        filter_length - 1,
    ));
    format!(
        r#"{{"format":"mlcsc-instance-1","name":"limits","signal-length":{signal_length},"thresholding":"soft","layers":[{{"filters":[[{}]],"threshold":"{threshold}"}}],"deepest-representation":[{{"position":0,"channel":0,"value":"1"}}],"noise":[]}}"#,
        taps.join(",")
    )
}

#[test]
fn f64_numbers_outside_the_screen_keep_the_exact_work_limit() {
    // A threshold below the f64 screen's magnitudes sends the case to the exact check, whose
    // work (N · n = 2 · 10^8) is beyond its limit.
    let text = long_instance(10_000, 20_000, "1e-400");
    let (code, stderr) = run(
        &["check", "--arithmetic", "f64"],
        "tiny-threshold.json",
        &text,
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("the exact check would take") && stderr.contains("above the limit of"),
        "{stderr}"
    );
}

#[test]
fn f64_beyond_its_own_work_limit_is_refused_not_checked_exactly() {
    // N · n = 5 · 10^10 multiply-adds per f64 pass, above the 30 s of the f64 limit.
    let text = long_instance(100_000, 500_000, "1/10");
    let (code, stderr) = run(&["check", "--arithmetic", "f64"], "long.json", &text);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("one f64 pass would take") && stderr.contains("above the limit of"),
        "{stderr}"
    );
}

/// A unit 2-tap filter `(a/c, b/c)` from a Pythagorean triple with `u, v` of `digits` digits.
fn pythagorean_filter(digits: usize, seed: u32) -> String {
    use num_bigint::BigInt;
    let base = BigInt::from(10).pow(digits as u32 - 1);
    let u = &base * 7 + seed * 13 + 1;
    let v = &base * 3 + seed * 29 + 2;
    let (a, b, c) = (
        &u * &u - &v * &v,
        BigInt::from(2) * &u * &v,
        &u * &u + &v * &v,
    );
    format!(r#"{{"filters":[[["{a}/{c}"],["{b}/{c}"]]],"threshold":"1/10"}}"#)
}

/// Ten layers of 2-tap filters with 2,000-digit numerators and denominators over N = 64:
/// every number in the file is short enough, but the layers multiply their denominators.
fn growing_instance() -> String {
    let layers: Vec<String> = (0..10).map(|k| pythagorean_filter(1000, k)).collect();
    let entries: Vec<String> = (0..64)
        .step_by(3)
        .map(|p| format!(r#"{{"position":{p},"channel":0,"value":"1"}}"#))
        .collect();
    format!(
        r#"{{"format":"mlcsc-instance-1","name":"growth","signal-length":64,"thresholding":"soft","layers":[{}],"deepest-representation":[{}],"noise":[]}}"#,
        layers.join(","),
        entries.join(",")
    )
}

#[test]
fn numbers_growing_through_the_layers_are_refused_by_every_exact_command() {
    let text = growing_instance();
    for args in [
        &["check"][..],
        &["inspect"][..],
        &["forward", "--pursuit", "cnn"][..],
        &["forward"][..],
    ] {
        let (code, stderr) = run(args, "growth.json", &text);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("denominators multiply through the layers")
                && stderr.contains("above the limit of"),
            "{args:?}: {stderr}"
        );
    }
}

/// The number-growth bound is a bound: at least the length of every number of the synthesis
/// chain and of the forward pass, on every committed instance.
#[test]
fn the_number_growth_bound_covers_the_numbers_computed() {
    let bits = |x: &Rational| x.numer().bits().max(x.denom().bits());
    for file in [
        "instances/two-layer-dirac-pythagorean.json",
        "instances/binary4-two-atoms-noisy.json",
        "theorem2/three-layers.json",
        "theorem2/multi-channel-householder.json",
        "theorem2/two-layer-binary16-then-sparse.json",
    ] {
        let instance = InstanceFile::read(&fixture(file))
            .expect("reads")
            .to_exact()
            .expect("exact");
        let bound = longest_number_bits(&instance);
        let (signal, chain) = instance.signal_and_chain();
        let estimates = mlcsc::pursuit::layered_thresholding(
            &instance.model,
            &signal,
            &instance.thresholds,
            instance.thresholding,
        );
        let computed = chain
            .iter()
            .chain(&estimates)
            .chain([&signal])
            .flat_map(|v| v.entries().iter())
            .map(bits)
            .max()
            .unwrap_or(0);
        assert!(computed <= bound, "{file}: {computed} bits > bound {bound}");
    }
    // The growing instance: each layer adds a ~6,650-bit denominator, twice (down and up).
    let grown = InstanceFile::parse(&growing_instance())
        .expect("parses")
        .to_exact()
        .expect("exact");
    assert!(
        longest_number_bits(&grown) > 2 * 10 * 6_600,
        "{}",
        longest_number_bits(&grown)
    );
}
