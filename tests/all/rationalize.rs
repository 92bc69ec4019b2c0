//! `mlcsc rationalize` and `mlcsc::rationalize`: filters made exactly unit, within the distance
//! asked (`proofs/rationalize.md`).

use mlcsc::Rational;
use mlcsc::rationalize::{Aim, unit_filter};
use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};

use crate::common::cli::{fixture, json_in, run_in};

/// A small deterministic generator (SplitMix64), so the cases replay.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A float filter of 1 to 9 taps: about a third of the taps zero, the others of any sign
    /// and magnitudes over six decades; at least one tap nonzero.
    fn filter(&mut self) -> Vec<f64> {
        let length = 1 + (self.next() % 9) as usize;
        let mut taps: Vec<f64> = (0..length)
            .map(|_| {
                if self.next() % 3 == 0 {
                    return 0.0;
                }
                let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
                let magnitude = 10f64.powf(6.0 * unit - 3.0);
                if self.next() % 2 == 0 {
                    magnitude
                } else {
                    -magnitude
                }
            })
            .collect();
        if taps.iter().all(|t| *t == 0.0) {
            taps[0] = -0.25;
        }
        taps
    }
}

fn exact(taps: &[f64]) -> Vec<Rational> {
    taps.iter()
        .map(|t| Rational::from_float(*t).expect("finite"))
        .collect()
}

fn norm_squared(taps: &[Rational]) -> Rational {
    taps.iter().map(|t| t * t).sum()
}

/// `‖q − x/‖x‖‖ ≤ τ`, decided exactly without square roots: `⟨q, x⟩ > 0` and
/// `⟨q, x⟩² ≥ (1 − τ²/2)² ‖x‖²` (for `τ² < 2`, with unit `q`).
fn within(q: &[Rational], x: &[Rational], tolerance: f64) -> bool {
    let inner: Rational = q.iter().zip(x).map(|(a, b)| a * b).sum();
    let t = Rational::from_float(tolerance).expect("finite");
    let cosine = Rational::one() - &t * &t / Rational::from_integer(2.into());
    inner.is_positive() && &inner * &inner >= &cosine * &cosine * norm_squared(x)
}

#[test]
fn random_filters_become_exactly_unit_within_the_tolerance() {
    let mut generator = Generator(2017);
    let mut with_zero = 0;
    for case in 0..300 {
        let x = exact(&generator.filter());
        with_zero += usize::from(x.iter().any(Zero::is_zero));
        for tolerance in [0.5, 1e-3, 1e-9, 1e-20] {
            let unit = unit_filter(&x, &Aim::Tolerance(tolerance)).expect("a nonzero filter");
            assert_eq!(norm_squared(&unit.taps), Rational::one(), "case {case}");
            assert!(unit.distance_bound() <= tolerance, "case {case}: {unit:?}");
            assert!(unit.distance() <= unit.distance_bound(), "case {case}");
            assert!(within(&unit.taps, &x, tolerance), "case {case} {tolerance}");
            // The bound is a bound: the true distance is within it, exactly.
            assert!(within(&unit.taps, &x, unit.distance_bound()), "case {case}");
        }
    }
    assert!(with_zero >= 100, "only {with_zero} filters with a zero tap");
}

#[test]
fn a_filter_on_an_axis_is_written_as_that_axis_exactly() {
    for (x, expected) in [
        (vec![0.0, 0.0, -1.5, 0.0], vec![0.0, 0.0, -1.0, 0.0]),
        (vec![2.0], vec![1.0]),
        (vec![-1e-3], vec![-1.0]),
        (vec![0.0, 7.0], vec![0.0, 1.0]),
    ] {
        let unit = unit_filter(&exact(&x), &Aim::Tolerance(1e-12)).expect("nonzero");
        assert_eq!(unit.taps, exact(&expected), "{x:?}");
        assert_eq!(unit.denominator, BigInt::one(), "{x:?}");
        // √B exceeds the distance 0 by at most √(2δ) = 2^-127.5 (R3).
        assert!(
            unit.distance_bound() < 1e-38,
            "{x:?}: {}",
            unit.distance_bound()
        );
    }
    // Two taps of the largest magnitude: the first is the axis, the filter still exact.
    let unit = unit_filter(&exact(&[-1.0, 1.0]), &Aim::Tolerance(1e-12)).expect("nonzero");
    assert_eq!(norm_squared(&unit.taps), Rational::one());
    assert!(unit.taps[0].is_negative() && unit.taps[1].is_positive());
}

#[test]
fn a_given_denominator_meets_the_a_priori_bound_and_bounds_the_denominators() {
    let mut generator = Generator(7);
    for case in 0..200 {
        let x = exact(&generator.filter());
        let d = x.len();
        for denominator in [1u64, 3, 1000, 1 << 40] {
            let unit = unit_filter(&x, &Aim::Denominator(denominator.into())).expect("nonzero");
            assert_eq!(norm_squared(&unit.taps), Rational::one(), "case {case}");
            let a_priori = ((d - 1) as f64).sqrt() / denominator as f64;
            assert!(
                unit.distance_bound() <= a_priori * (1.0 + 1e-12) + 1e-38,
                "case {case}: {} > {a_priori}",
                unit.distance_bound()
            );
            let largest = BigInt::from(d) * BigInt::from(denominator).pow(2);
            assert!(
                unit.taps.iter().all(|t| t.denom() <= &largest),
                "case {case}"
            );
        }
    }
}

#[test]
fn a_zero_filter_has_no_unit_twin() {
    let zero = exact(&[0.0, -0.0, 0.0]);
    assert!(unit_filter(&zero, &Aim::Tolerance(1e-9)).is_err());
}

/// A two-layer instance with float filters, one with a zero tap, and the filter taps given.
fn float_instance(first: &str, second: &str) -> String {
    format!(
        r#"{{
  "format": "mlcsc-instance-2",
  "name": "floats",
  "signal-shape": [16],
  "input-channels": 1,
  "thresholding": "soft",
  "layers": [
    {{ "filters": [[[0.6000001], [0.79999]], {first}], "threshold": "1/5" }},
    {{ "filters": [[[0.2, 0.0], [-0.9, 0.4]], {second}], "threshold": 0.125 }}
  ],
  "deepest-representation": [ {{ "position": 3, "channel": 1, "value": "5/4" }} ],
  "noise": []
}}
"#
    )
}

#[test]
fn a_float_instance_is_written_with_unit_filters_that_check_reads() {
    let folder = tempfile::tempdir().expect("a folder");
    let input = folder.path().join("floats.json");
    let text = float_instance("[[0.0], [-2.5]]", "[[1e-3, 0.7], [0.0, 0.0]]");
    std::fs::write(&input, &text).expect("write");
    let args = ["rationalize", "floats.json", "--out", "unit.json"];
    let report = json_in(
        folder.path(),
        args.iter().chain(&["--tolerance", "1e-12", "--json"]),
    );
    let filters = report["filters"].as_array().expect("filters");
    assert_eq!(filters.len(), 4);
    for filter in filters {
        assert!(
            filter["distance-bound"].as_f64().expect("bound") <= 1e-12,
            "{filter}"
        );
        assert_eq!(filter["kept"], false);
    }
    assert!(report["largest-distance-bound"].as_f64().expect("bound") <= 1e-12);
    let written = mlcsc::io::InstanceFile::read(&folder.path().join("unit.json")).expect("read");
    let instance = written.to_exact().expect("an exact instance");
    for layer in instance.model.layers() {
        for filter in layer.nested_filters() {
            let taps: Vec<Rational> = filter.into_iter().flatten().collect();
            assert_eq!(norm_squared(&taps), Rational::one());
        }
    }
    // Round trip: `check` reads the file written (a verdict, not a refusal).
    let checked = run_in(folder.path(), ["check", "unit.json"]);
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(matches!(checked.status.code(), Some(0 | 1 | 3)), "{stderr}");
    assert_eq!(std::fs::read_to_string(&input).expect("input"), text);
    let partial = std::fs::read_dir(folder.path()).expect("folder").any(|e| {
        e.expect("entry")
            .file_name()
            .to_string_lossy()
            .ends_with(".partial")
    });
    assert!(!partial, "a temporary file was left behind");
}

#[test]
fn an_exact_instance_is_kept_as_it_is() {
    let folder = tempfile::tempdir().expect("a folder");
    let source = fixture("instances/two-layer-dirac-pythagorean.json");
    let source = source.display().to_string();
    let report = json_in(
        folder.path(),
        ["rationalize", &source, "--out", "u.json", "--json"],
    );
    assert!(
        report["filters"]
            .as_array()
            .expect("filters")
            .iter()
            .all(|f| f["kept"] == true)
    );
    assert_eq!(report["largest-distance-bound"], 0.0);
    let read = |path: &std::path::Path| {
        mlcsc::io::InstanceFile::read(path)
            .expect("read")
            .to_exact()
            .expect("exact")
    };
    let (before, after) = (
        read(std::path::Path::new(&source)),
        read(&folder.path().join("u.json")),
    );
    assert_eq!(before.model, after.model);
}

/// Runs `rationalize` on an instance with these second filters of layers 1 and 2; returns the
/// exit code and standard error, and checks that nothing was written.
fn refused(first: &str, second: &str) -> (Option<i32>, String) {
    let folder = tempfile::tempdir().expect("a folder");
    std::fs::write(folder.path().join("in.json"), float_instance(first, second)).expect("write");
    let output = run_in(
        folder.path(),
        ["rationalize", "in.json", "--out", "out.json"],
    );
    assert!(
        !folder.path().join("out.json").exists(),
        "written despite the refusal"
    );
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn bad_filters_are_refused_by_layer_and_filter_before_anything_is_written() {
    let (code, stderr) = refused("[[0.5], [0.5]]", "[[0, 0.0], [\"0\", -0.0]]");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("layer 2, filter 1") && stderr.contains("every tap is zero"),
        "{stderr}"
    );
    for bad in ["\"NaN\"", "\"-inf\"", "\"Infinity\""] {
        let (code, stderr) = refused(&format!("[[0.5], [{bad}]]"), "[[1, 0], [0, 0]]");
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.contains("layers[0].filters[1][1][0] (layer 1, filter 1)"),
            "{stderr}"
        );
        assert!(stderr.contains("not a finite number"), "{stderr}");
    }
    let folder = tempfile::tempdir().expect("a folder");
    std::fs::write(
        folder.path().join("in.json"),
        float_instance("[[1], [0]]", "[[1, 0], [0, 0]]"),
    )
    .expect("write");
    for (flag, value) in [
        ("--tolerance", "0"),
        ("--tolerance", "NaN"),
        ("--max-denominator", "0"),
    ] {
        let output = run_in(
            folder.path(),
            ["rationalize", "in.json", "--out", "o.json", flag, value],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(flag), "{stderr}");
    }
}

#[test]
fn an_existing_file_is_kept_unless_overwrite_and_the_input_never_replaced() {
    let folder = tempfile::tempdir().expect("a folder");
    let input = float_instance("[[1], [0]]", "[[1, 0], [0, 0.5]]");
    std::fs::write(folder.path().join("in.json"), &input).expect("write");
    std::fs::write(folder.path().join("mine.txt"), "a user's notes\n").expect("write");
    let run = |extra: &[&str]| {
        let args = ["rationalize", "in.json"]
            .iter()
            .chain(extra)
            .copied()
            .collect::<Vec<_>>();
        let output = run_in(folder.path(), args);
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    assert_eq!(run(&["--out", "out.json"]).0, Some(0));
    let first = std::fs::read_to_string(folder.path().join("out.json")).expect("written");
    let (code, stderr) = run(&["--out", "out.json", "--max-denominator", "3"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("exists") && stderr.contains("--overwrite"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(folder.path().join("out.json")).expect("kept"),
        first
    );
    let (code, _) = run(&["--out", "out.json", "--max-denominator", "3", "--overwrite"]);
    assert_eq!(code, Some(0));
    assert_ne!(
        std::fs::read_to_string(folder.path().join("out.json")).expect("new"),
        first
    );
    let (code, stderr) = run(&["--out", "mine.txt", "--overwrite"]);
    assert_eq!(code, Some(2), "{stderr}");
    let (code, stderr) = run(&["--out", "./in.json", "--overwrite"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("is the input file"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(folder.path().join("in.json")).expect("in"),
        input
    );
    assert_eq!(
        std::fs::read_to_string(folder.path().join("mine.txt")).expect("notes"),
        "a user's notes\n"
    );
}

#[test]
fn the_norm_bound_is_above_the_norm_and_within_its_precision() {
    use mlcsc::rationalize::{PRECISION_BITS, square_root_above};
    let mut generator = Generator(11);
    let epsilon = Rational::new(BigInt::one(), BigInt::one() << PRECISION_BITS);
    for case in 0..500 {
        let value = norm_squared(&exact(&generator.filter()));
        let upper = square_root_above(&value, PRECISION_BITS);
        // U ≥ ‖x‖, which makes B an upper bound (R3), and U ≤ ‖x‖ (1 + 2^-256).
        assert!(&upper * &upper >= value, "case {case}");
        let most = Rational::one() + &epsilon;
        assert!(&upper * &upper <= &value * &most * &most, "case {case}");
    }
}
