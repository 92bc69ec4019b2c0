//! Numeric extremes (issue 8): magnitudes near the ends of the `f64` range, exact numbers with
//! denominators of `10^200`, `N` exactly `2n − 1`, a single filter with a single channel, and an
//! all-zero `Γ`. Each must give the correct verdict or a clear error, never a wrong pass
//! (docs/math.md §1 for the conventions, §6 for Theorem 2).
//!
//! The reference verdicts come from exact arithmetic and from scale invariance: Theorem 2's
//! hypotheses and conclusions are homogeneous of degree 1 in `(Γ, E, β)`, so scaling an
//! instance by any `c > 0` leaves its exact verdict unchanged.

use std::path::{Path, PathBuf};

use mlcsc::coherence::mutual_coherence_with_witness;
use mlcsc::io::InstanceFile;
use mlcsc::io::number::{parse_rational, rational_to_text};
use mlcsc::norms::{patch_norm_squared, patch_sparsity};
use mlcsc::operators::{dense_apply, dense_dictionary};
use mlcsc::pursuit::Thresholding;
use mlcsc::theorems::theorem2::{Statement, check_theorem2, check_theorem2_statement};
use mlcsc::theorems::variant::Part;
use mlcsc::theorems::verdict::Verdict;
use mlcsc::{LayerVector, Rational, Scalar};
use num_traits::Signed;
use serde_json::{Value, json};

/// Theorem 2 with `ε_i` lacking `sqrt(p_i)`: refuted by the exact tie below.
const WITHOUT_FACTOR: Statement = Statement::PAPER.without(Part::PatchSparsityFactor);

fn rational(text: &str) -> Rational {
    parse_rational(text).expect("a rational")
}

fn text(value: &Rational) -> String {
    rational_to_text(value)
}

/// The exact tie of `fixtures/instances/dirac-exact-tie.json` scaled by `c`: a Dirac layer,
/// `Γ = (c, −c, 0, 0)`, `β = c/10`, patch width 2. Theorem 2 holds with the patch bound met with
/// equality (`sqrt(2) c/10`); without `sqrt(p_i)` it is violated.
fn scaled_tie(c: &Rational, filters: Value) -> String {
    let beta = c / Rational::from_integer(10.into());
    json!({
        "format": "mlcsc-instance-1",
        "name": "scaled-dirac-tie",
        "source": "tests/all/numeric_extremes.rs",
        "signal-length": 4,
        "thresholding": "soft",
        "layers": [{ "filters": filters, "threshold": text(&beta) }],
        "deepest-representation": [
            { "position": 0, "channel": 0, "value": text(c) },
            { "position": 1, "channel": 0, "value": text(&-c) }
        ],
        "last-patch-width": 2
    })
    .to_string()
}

fn dirac() -> Value {
    json!([[["1"]]])
}

fn scratch(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("numeric_extremes")
        .join(name);
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).expect("scratch folder");
    path
}

/// `mlcsc check FILE --json ARGS…`: exit code, the JSON document (if any) and standard error.
fn check_command(file: &Path, args: &[&str]) -> (i32, Option<Value>, String) {
    let output = crate::common::cli::command()
        .arg("check")
        .arg(file)
        .arg("--json")
        .args(args)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{file:?} {args:?}: {stderr}");
    let document = serde_json::from_slice(&output.stdout).ok();
    (output.status.code().expect("exit code"), document, stderr)
}

fn verdict_name(document: &Option<Value>) -> String {
    document.as_ref().expect("a JSON report")["verdict"]
        .as_str()
        .expect("verdict")
        .to_string()
}

#[test]
fn the_f64_screen_near_1e300_and_1e_minus_300_gives_the_exact_verdict() {
    let folder = scratch("f64-command");
    let mut decided = 0;
    for scale in ["1", "1e300", "1e-300", "1e150", "1e-150", "3e307", "1e-306"] {
        let path = folder.join(format!("tie-{scale}.json"));
        std::fs::write(&path, scaled_tie(&rational(scale), dirac())).expect("write");
        for (theorem, expected, code) in [
            ("theorem2", "holds", 0),
            ("theorem2-without-patch-sparsity-factor", "violated", 1),
        ] {
            let (exit, document, stderr) =
                check_command(&path, &["--arithmetic", "f64", "--theorem", theorem]);
            assert_eq!(exit, code, "scale {scale}, {theorem}: {stderr}");
            assert_eq!(
                verdict_name(&document),
                expected,
                "scale {scale}, {theorem}"
            );
            let exact = check_command(&path, &["--theorem", theorem]);
            assert_eq!(
                verdict_name(&exact.1),
                expected,
                "scale {scale}, {theorem}, exact"
            );
            decided += 1;
        }
    }
    eprintln!("f64 screen at extreme scales: {decided} verdicts equal to the exact ones");
}

#[test]
fn an_f64_only_instance_beyond_the_screens_range_is_a_clear_error() {
    let folder = scratch("f64-only");
    // Unit within 1e-5 but not exactly: only the f64 screen accepts these filters.
    let filters = json!([[["0.6"], ["0.8000001"]]]);
    for (scale, accepted) in [("1", true), ("1e300", false), ("1e-300", false)] {
        let path = folder.join(format!("f64-only-{scale}.json"));
        std::fs::write(&path, scaled_tie(&rational(scale), filters.clone())).expect("write");
        let (exit, document, stderr) = check_command(&path, &["--arithmetic", "f64"]);
        if accepted {
            assert!([0, 1, 3].contains(&exit), "scale {scale}: {stderr}");
            assert!(document.is_some());
        } else {
            assert_eq!(exit, 2, "scale {scale}: {document:?}");
            assert!(document.is_none(), "a verdict was printed at scale {scale}");
            assert!(
                stderr.contains("layers[0].threshold")
                    && stderr.contains("outside [1e-100, 1e100]"),
                "{stderr}"
            );
        }
        let (exit, _, stderr) = check_command(&path, &[]);
        assert_eq!(exit, 2, "exact arithmetic accepted a filter of norm ≠ 1");
        assert!(stderr.contains("squared norm"), "{stderr}");
    }
}

#[test]
fn library_f64_instances_near_the_ends_of_the_range_are_refused_or_never_pass_wrongly() {
    let mut compared = 0;
    for scale in [
        "1", "1e100", "1e-100", "1e50", "1e-50", "1e300", "1e-300", "3e307", "1e-306",
    ] {
        let file = InstanceFile::parse(&scaled_tie(&rational(scale), dirac())).expect("parses");
        let exact = file.to_exact().expect("exact-valid");
        let float = match file.to_f64() {
            Ok(float) => float,
            Err(error) => {
                let (low, high) = InstanceFile::F64_MAGNITUDES;
                let beta = rational(scale).to_f64() / 10.0;
                assert!(
                    !(low..=high).contains(&beta),
                    "scale {scale} refused: {error}"
                );
                assert!(
                    error.to_string().contains("layers[0].threshold (layer 1)"),
                    "{error}"
                );
                continue;
            }
        };
        assert_eq!(
            float,
            exact.to_f64(),
            "the two routes to Instance<f64> differ at scale {scale}"
        );
        // The instance is an exact tie, which rounding may tip either way: the screen, whose
        // comparisons carry rigorous rounding-error bounds, leaves it open (re-decided exactly
        // by `check`) or decides it as exact arithmetic does, never otherwise.
        for statement in [Statement::PAPER, WITHOUT_FACTOR] {
            let truth = check_theorem2_statement(&exact, statement).verdict;
            let screen = check_theorem2_statement(&float, statement).verdict;
            if !matches!(screen, Verdict::Undecided { .. }) {
                assert_eq!(
                    screen.name(),
                    truth.name(),
                    "scale {scale}, {statement:?}: the f64 verdict contradicts the exact one"
                );
            }
            if truth.is_violated() {
                assert!(
                    !matches!(screen, Verdict::Holds),
                    "scale {scale}: f64 passed a violated statement: {screen:?}"
                );
            }
            compared += 1;
        }
    }
    assert!(compared >= 6, "scales inside the range were refused");
    eprintln!(
        "library f64 at extreme scales: {compared} verdicts without a wrong pass, the rest refused"
    );
}

/// The `f64` image of an exact instance is not re-validated (`Instance::<Rational>::to_f64`),
/// so at `1e±300` the checks in `f64` see squares that overflow to `inf` or underflow to 0;
/// the screen must then say undecided, never holds.
#[test]
fn unvalidated_f64_images_at_1e300_never_pass_a_violated_statement() {
    for scale in ["1e300", "1e-300"] {
        let file = InstanceFile::parse(&scaled_tie(&rational(scale), dirac())).expect("parses");
        let exact = file.to_exact().expect("exact-valid");
        assert!(
            check_theorem2_statement(&exact, WITHOUT_FACTOR)
                .verdict
                .is_violated()
        );
        let screen = check_theorem2_statement(&exact.to_f64(), WITHOUT_FACTOR).verdict;
        let Verdict::Undecided { comparison, .. } = &screen else {
            panic!("scale {scale}: the f64 screen gave {screen:?} for a violated statement");
        };
        assert!(comparison.contains("outside"), "{comparison}");
    }
}

#[test]
fn numbers_that_rounding_to_f64_would_change_are_rejected_by_field() {
    let folder = scratch("f64-loader");
    for (value, words) in [
        ("1e400", "beyond the range of f64"),
        ("1e-320", "below the normal range of f64"),
        ("1e-400", "below the normal range of f64"),
        ("1e150", "outside [1e-100, 1e100]"),
        ("1e-150", "outside [1e-100, 1e100]"),
    ] {
        let instance = scaled_tie(&rational(value), dirac());
        let file = InstanceFile::parse(&instance).expect("parses");
        assert!(file.to_exact().is_ok(), "{value} is a fine exact number");
        let error = file.to_f64().expect_err(value).to_string();
        assert!(
            error.contains("layers[0].threshold (layer 1)") && error.contains(words),
            "{error}"
        );
        let path = folder.join(format!("value-{value}.json"));
        std::fs::write(&path, &instance).expect("write");
        for theorem in ["theorem2", "theorem2-hard"] {
            // The f64 image is refused, so the verdict is decided exactly.
            let (exit, document, stderr) =
                check_command(&path, &["--arithmetic", "f64", "--theorem", theorem]);
            assert_eq!(exit, 0, "{value}: {stderr}");
            let document = document.expect("a report");
            let decided = (
                document["verdict"].as_str(),
                document["rechecked-exactly"].as_bool(),
            );
            assert_eq!(decided, (Some("holds"), Some(true)), "{value}, {theorem}");
        }
        for command in ["inspect", "forward"] {
            let output = crate::common::cli::command()
                .args([command, "--arithmetic", "f64"])
                .arg(&path)
                .output()
                .expect("runs");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{command} {value}");
            assert!(
                stderr.contains(words) && output.stdout.is_empty(),
                "{stderr}"
            );
        }
    }
}

/// A single noisy Dirac layer whose window `(ε_0, |Γ^min| − ε_0)` has ends `10^-200` apart
/// from the threshold: the exact verdict must see the difference.
fn dirac_with_margins(beta: &Rational) -> InstanceFile {
    let tiny = rational("1e-200");
    let one_and_a_bit = Rational::from_integer(1.into()) + &tiny;
    InstanceFile::parse(
        &json!({
            "format": "mlcsc-instance-1",
            "signal-length": 3,
            "thresholding": "soft",
            "layers": [{ "filters": [[["1"]]], "threshold": text(beta) }],
            "deepest-representation": [{ "position": 0, "channel": 0, "value": text(&one_and_a_bit) }],
            "noise": [{ "position": 2, "channel": 0, "value": text(&-&tiny) }]
        })
        .to_string(),
    )
    .expect("parses")
}

#[test]
fn exact_verdicts_decide_margins_of_10_to_the_minus_200() {
    let tiny = rational("1e-200");
    let gamma = Rational::from_integer(1.into()) + &tiny;
    let two = Rational::from_integer(2.into());
    // The window is (10^-200, 1): its ends and the points 10^-200 inside them.
    for (beta, holds) in [
        (tiny.clone(), false),
        (&tiny * &two, true),
        (&gamma - &tiny - &tiny, true),
        (&gamma - &tiny, false),
    ] {
        let report = check_theorem2(&dirac_with_margins(&beta).to_exact().expect("valid"));
        assert!(report.certified);
        match (&report.verdict, holds) {
            (Verdict::Holds, true) => {}
            (Verdict::Vacuous(failed), false) => assert_eq!(failed.hypothesis, "b"),
            (other, _) => panic!("β = {}: {other:?}", text(&beta)),
        }
    }
    // The scaled tie with denominators 10^200: still an exact tie.
    let c = rational("7e-200");
    let file = InstanceFile::parse(&scaled_tie(&c, dirac())).expect("parses");
    let exact = file.to_exact().expect("valid");
    assert_eq!(check_theorem2(&exact).verdict, Verdict::Holds);
    assert!(
        check_theorem2_statement(&exact, WITHOUT_FACTOR)
            .verdict
            .is_violated()
    );
}

/// One layer of two filters of length 3 on `N = 2n − 1 = 5` (the shortest signal the
/// conventions allow), or on the given `N`.
fn short_signal(signal_length: usize) -> String {
    json!({
        "format": "mlcsc-instance-1",
        "signal-length": signal_length,
        "thresholding": "soft",
        "layers": [{
            "filters": [[["2/3"], ["-2/3"], ["-1/3"]], [["1/3"], ["2/3"], ["2/3"]]],
            "threshold": "1/2"
        }],
        "deepest-representation": [
            { "position": 0, "channel": 0, "value": "2" },
            { "position": 3, "channel": 1, "value": "-3/2" }
        ],
        "noise": [{ "position": 4, "channel": 0, "value": "1/50" }]
    })
    .to_string()
}

#[test]
fn signal_length_exactly_2n_minus_1_is_computed_like_the_dense_dictionary() {
    let file = InstanceFile::parse(&short_signal(5)).expect("parses");
    let instance = file.to_exact().expect("N = 2n − 1 is allowed");
    let layer = instance.model.layer(1);
    let dictionary = dense_dictionary(layer, 5);
    let (signal, chain) = instance.signal_and_chain();
    assert_eq!(
        chain[0],
        dense_apply(&dictionary, &chain[1], 1),
        "X = D Γ at N = 2n − 1"
    );
    // Γ̂ = S_β(Dᵀ Y), with Dᵀ the dense transpose.
    let correlations = dense_apply(&dictionary.transpose(), &signal, 2);
    let beta = instance.thresholds[0].shared().expect("one threshold");
    let estimate = correlations.map(|z| Thresholding::Soft.apply(z, beta));
    let report = check_theorem2(&instance);
    let error = chain[1].difference(&estimate);
    assert_eq!(report.layers[0].error_max, error.max_abs().to_f64());
    let same_signs = chain[1]
        .entries()
        .iter()
        .zip(estimate.entries())
        .all(|(t, e)| t.signum() == e.signum());
    assert_eq!(report.layers[0].support_recovered, same_signs);
    assert!(report.certified);
    eprintln!("N = 2n − 1 = 5: verdict {}", report.verdict.name());
    let error = InstanceFile::parse(&short_signal(4))
        .expect("parses")
        .to_exact()
        .expect_err("N = 4 < 2n − 1");
    assert!(error.to_string().contains("2n - 1 = 5"), "{error}");
}

/// One filter, one channel: `f` of length `n`, `Γ` a single atom `1`, noiseless.
fn single_filter(filter: Value, beta: &str) -> InstanceFile {
    InstanceFile::parse(
        &json!({
            "format": "mlcsc-instance-1",
            "signal-length": 6,
            "thresholding": "soft",
            "layers": [{ "filters": [filter], "threshold": beta }],
            "deepest-representation": [{ "position": 2, "channel": 0, "value": "1" }]
        })
        .to_string(),
    )
    .expect("parses")
}

#[test]
fn a_single_filter_with_a_single_channel_gets_the_verdict_worked_by_hand() {
    // f = (1): μ = 0, the window is (0, 1); the estimate is 1 − β, the error β = ε_1.
    for (beta, expected) in [("1/2", "holds"), ("0", "vacuous"), ("1", "vacuous")] {
        let report = check_theorem2(
            &single_filter(json!([["1"]]), beta)
                .to_exact()
                .expect("valid"),
        );
        assert_eq!(report.verdict.name(), expected, "Dirac, β = {beta}");
        assert_eq!(report.layers[0].coherence_exact.as_deref(), Some("0"));
    }
    // f = (3/5, 4/5): μ = 12/25, the window is (12/25, 1); at β = 1/2 the neighbours'
    // correlations 12/25 are thresholded away and the error 1/2 equals ε_1 = 1/2 (a tie).
    for (beta, expected) in [("1/2", "holds"), ("12/25", "vacuous"), ("1", "vacuous")] {
        let report = check_theorem2(
            &single_filter(json!([["3/5"], ["4/5"]]), beta)
                .to_exact()
                .expect("valid"),
        );
        assert_eq!(report.verdict.name(), expected, "(3/5, 4/5), β = {beta}");
        assert_eq!(report.layers[0].coherence_exact.as_deref(), Some("12/25"));
        if expected == "holds" {
            assert_eq!(report.layers[0].tightness, 1.0);
            assert!(report.layers[0].support_recovered);
        }
    }
}

#[test]
fn an_all_zero_representation_is_vacuous_and_never_holds() {
    let folder = scratch("all-zero");
    let mut verdicts = 0;
    for thresholding in ["soft", "nonnegative", "hard"] {
        for noise in [
            json!([]),
            json!([{ "position": 1, "channel": 0, "value": "1/10" }]),
        ] {
            let instance = json!({
                "format": "mlcsc-instance-1",
                "signal-length": 4,
                "thresholding": thresholding,
                "layers": [{ "filters": [[["3/5"], ["4/5"]]], "threshold": "1/4" }],
                "deepest-representation": [],
                "noise": noise
            })
            .to_string();
            let file = InstanceFile::parse(&instance).expect("parses");
            let exact = file.to_exact().expect("valid");
            let float = file.to_f64().expect("valid");
            for statement in [Statement::PAPER, WITHOUT_FACTOR] {
                for verdict in [
                    check_theorem2_statement(&exact, statement).verdict,
                    check_theorem2_statement(&float, statement).verdict,
                ] {
                    match verdict {
                        Verdict::Vacuous(failed) => {
                            assert_eq!(failed.hypothesis, "nonzero-representation")
                        }
                        other => panic!("{thresholding}: all-zero Γ gave {other:?}"),
                    }
                    verdicts += 1;
                }
            }
            let path = folder.join(format!("zero-{thresholding}-{verdicts}.json"));
            std::fs::write(&path, &instance).expect("write");
            for args in [
                &[][..],
                &["--arithmetic", "f64"],
                &["--theorem", "theorem2-without-contrast-term"],
            ] {
                let (exit, document, stderr) = check_command(&path, args);
                assert_eq!(exit, 0, "{stderr}");
                let document = document.expect("a report");
                assert_eq!(document["verdict"], "vacuous");
                assert_eq!(
                    document["failed-hypothesis"]["hypothesis"],
                    "nonzero-representation"
                );
                verdicts += 1;
            }
        }
    }
    eprintln!("all-zero Γ: {verdicts} verdicts, every one vacuous by nonzero_representation");
}

#[test]
fn a_nonzero_layer_is_not_confused_with_an_all_zero_one_at_the_bottom_of_the_range() {
    // Γ = 1e-300 is nonzero: exactly it is decided like Γ = 1 (scale invariance).
    let tiny = rational("1e-300");
    let exact = InstanceFile::parse(&scaled_tie(&tiny, dirac()))
        .expect("parses")
        .to_exact()
        .expect("valid");
    assert!(exact.deepest_representation.support().count() == 2);
    assert_eq!(check_theorem2(&exact).verdict, Verdict::Holds);
    let float: LayerVector<f64> = exact.deepest_representation.to_f64();
    assert!(
        float
            .entries()
            .iter()
            .all(|x| *x == 0.0 || x.abs() == 1e-300)
    );
}

#[test]
fn number_texts_at_the_length_limit_are_read_or_refused_by_their_written_form() {
    // `1e4095` is a 1 and 4095 zeros: 4096 characters as p/q, the most accepted.
    let at_limit = rational("1e4095");
    assert_eq!(text(&at_limit).len(), 4096);
    assert_eq!(rational(&text(&at_limit)), at_limit);
    let error = parse_rational("1e4096").expect_err("4097 characters as p/q");
    assert!(error.contains("4097 characters"), "{error}");
    // `1e-4093` is `1/` and a 1 with 4093 zeros: 4096 characters again.
    let tiny = rational("1e-4093");
    assert_eq!(text(&tiny).len(), 4096);
    assert!(parse_rational("1e-4094").is_err());
    // Only ASCII digits: Rust's integer parsers also take `_` and `+` in places.
    for bad in ["1_000/3", "1/1_0", "1_0", "+-1/2", "1/+-2", "١/2", "0x10"] {
        assert!(parse_rational(bad).is_err(), "{bad:?} was accepted");
    }
    assert_eq!(rational("+1/-2"), rational("-1/2"));
    assert_eq!(rational("+2.5e-1"), rational("5/8") - rational("3/8"));
    // Not numbers at all, rather than numbers with a bad exponent.
    for bad in ["1e", "1e+", "1e+-5", "1e5.5", "e5"] {
        let error = parse_rational(bad).expect_err(bad);
        assert!(error.contains("is not a number"), "{bad}: {error}");
    }
}

#[test]
fn a_patch_of_width_zero_is_empty_and_a_patch_wider_than_n_counts_each_position_once() {
    // docs/math.md §2: a patch of w positions; w = 0 holds none, w > N is read as N.
    let mut z: LayerVector<Rational> = LayerVector::zeros(5, 2);
    z.set(1, 0, rational("3"));
    z.set(1, 1, rational("-4"));
    z.set(3, 1, rational("1/2"));
    assert_eq!(patch_norm_squared(&z, 0), rational("0"));
    assert_eq!(patch_sparsity(&z, 0), 0);
    assert_eq!(patch_norm_squared(&z, 1), rational("25"));
    assert_eq!(patch_sparsity(&z, 1), 2);
    for wide in [5, 6, 50] {
        assert_eq!(
            patch_norm_squared(&z, wide),
            rational("101/4"),
            "width {wide}"
        );
        assert_eq!(patch_sparsity(&z, wide), 3, "width {wide}");
    }
}

#[test]
fn a_coherence_of_zero_keeps_the_witness_that_names_no_pair() {
    // docs/math.md §3: two orthogonal Dirac channels have μ = 0; the witness stays (0, 0, shift 0).
    let file = single_filter(json!([["1"]]), "1/2");
    let mut document: Value = serde_json::to_value(&file).expect("serialises");
    document["input-channels"] = json!(2);
    document["layers"][0]["filters"] = json!([[["1", "0"]], [["0", "1"]]]);
    let instance = InstanceFile::parse(&document.to_string())
        .expect("parses")
        .to_exact()
        .expect("valid");
    let witness = mutual_coherence_with_witness(instance.model.layer(1));
    assert_eq!(witness.coherence, rational("0"));
    assert_eq!((witness.first, witness.second, witness.shift), (0, 0, 0));
}
