//! Theorem 2 for real layers (`proofs/theorem2_real_layers.md`): the lemma R1 against the
//! dense dictionary, the generated strided ladders meeting the hypotheses and holding with
//! floors on the hard cases, the three negative controls refuted, the paper's instances
//! meeting both statements (R5), and the plain definition equal to the fast engine.

use mlcsc::conjecture::find;
use mlcsc::exact_engine::IntegerViews;
use mlcsc::generate::seed::case_rng;
use mlcsc::instance::small_instance;
use mlcsc::kernels::Plain;
use mlcsc::model::{Geometry, Layer, Padding};
use mlcsc::scalar::Rational;
use mlcsc::small_rational::SmallRational;
use mlcsc::strided_coherence::displaced_correlation;
use mlcsc::strided_operators::strided_dense_dictionary;
use mlcsc::theorems::real_layers::{RealForm, decide_real};
use mlcsc::theorems::statement::Statement;
use mlcsc::theorems::theorem2_real_layers::RealLayersTheorem2;
use mlcsc::theorems::verdict::Verdict;
use mlcsc::thresholding::Thresholding;
use rand::RngExt;

use crate::common::r;

fn event(features: &[(String, f64)], name: &str) -> bool {
    features.iter().any(|(k, v)| k == name && *v == 1.0)
}

/// R1: for an interior atom `d_j` and any atom `d_k` of a zero-padded or valid layer,
/// `⟨d_k, d_j⟩` is the filters' correlation at `σ (p − q)`, and 0 outside the stripe.
#[test]
fn interior_atoms_meet_as_their_filters_correlate() {
    let mut pairs = 0;
    for case in 0..60u64 {
        let mut rng = case_rng(2026, case);
        let (n, m_prev, m) = (
            rng.random_range(1..=4usize),
            rng.random_range(1..=2usize),
            rng.random_range(1..=3usize),
        );
        let filters: Vec<Vec<Vec<Rational>>> = (0..m)
            .map(|_| {
                (0..n)
                    .map(|_| {
                        (0..m_prev)
                            .map(|_| r(rng.random_range(-3..=3), 4))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let stride = rng.random_range(1..=3usize);
        let padding = if rng.random_bool(0.7) {
            let left = rng.random_range(0..=n);
            Padding::Zero {
                left,
                right: rng.random_range(0..=n),
            }
        } else {
            Padding::Valid
        };
        let geometry = Geometry { stride, padding };
        let input_length = n + rng.random_range(0..=8usize);
        let layer = Layer::new_unchecked_norm(1, filters)
            .unwrap()
            .with_geometry(geometry);
        let Ok(dense) = strided_dense_dictionary(1, &layer, &geometry, input_length) else {
            continue;
        };
        let gram = dense.transpose() * &dense;
        let positions = dense.ncols() / m;
        for q in (0..positions).filter(|&q| geometry.is_interior(q, input_length, n)) {
            for p in 0..positions {
                for (c, c_j) in (0..m).flat_map(|c| (0..m).map(move |d| (c, d))) {
                    let delta = stride as isize * (p as isize - q as isize);
                    let expected = if delta.unsigned_abs() < n {
                        displaced_correlation(&layer, c, c_j, delta)
                    } else {
                        r(0, 1)
                    };
                    assert_eq!(
                        gram[(p * m + c, q * m + c_j)],
                        expected,
                        "case {case}: atoms ({p},{c}), ({q},{c_j})"
                    );
                    pairs += 1;
                }
            }
        }
    }
    assert!(pairs >= 1000, "only {pairs} pairs compared");
}

/// The theorem for each thresholding on generated strided ladders: every case meets the
/// hypotheses and holds, with floors on the cases that reach the hard parts of the statement.
#[test]
fn generated_ladders_meet_the_hypotheses_hold_and_reach_the_hard_cases() {
    let floors = [
        ("event:strided", 30),
        ("event:zero-padding", 30),
        ("event:differing-thresholds", 50),
        ("event:coherent-every-layer", 30),
        ("event:deep-interference", 20),
    ];
    for variant in ["soft", "nonnegative", "hard"] {
        let entry = find(&format!("theorem2-real-layers-{variant}")).expect("registered");
        let cases = 80u64;
        let mut counts = [0usize; 5];
        let mut met = 0;
        for case in 0..cases {
            let instance = entry.generate(&mut case_rng(31, case));
            let outcome = entry.check(&instance);
            assert!(
                matches!(outcome.verdict, Verdict::Holds),
                "{variant} case {case}: {:?}",
                outcome.verdict
            );
            met += 1;
            for (k, (name, _)) in floors.iter().enumerate() {
                counts[k] += usize::from(event(&outcome.features, name));
            }
        }
        eprintln!(
            "{variant}: {met} met; {:?}",
            floors.iter().map(|f| f.0).zip(counts).collect::<Vec<_>>()
        );
        for ((name, percent), count) in floors.iter().zip(counts) {
            assert!(
                count * 100 >= percent * met,
                "{variant}: {name} in {count} of {met} met cases, floor {percent}%"
            );
        }
    }
}

/// Runs a negative control on its own generator: the number of cases refuted. On every one
/// of its cases the theorem itself is vacuous, by the hypothesis the control drops.
fn refuted(name: &str, dropped: &str, cases: u64) -> usize {
    let entry = find(name).expect("registered");
    let stated = RealLayersTheorem2::stated(Thresholding::Soft);
    (0..cases)
        .filter(|&case| {
            let instance = entry.generate(&mut case_rng(32, case));
            let theorem = stated.with_thresholding_of(&instance).verdict(&instance);
            match &theorem {
                Verdict::Vacuous(failed) => {
                    assert_eq!(failed.hypothesis, dropped, "{name} case {case}")
                }
                other => panic!("{name} case {case}: the theorem says {other:?}"),
            }
            entry.check(&instance).verdict.is_violated()
        })
        .count()
}

#[test]
fn guard_band_dropped_is_refuted() {
    let count = refuted("theorem2-real-layers-without-guard-band", "guard-band", 60);
    assert!(count * 2 >= 60, "refuted in {count} of 60 cases");
}

#[test]
fn positive_bias_is_refuted() {
    let count = refuted("theorem2-real-layers-positive-bias", "channel-window", 60);
    assert!(count * 2 >= 60, "refuted in {count} of 60 cases");
}

#[test]
fn naive_global_coherence_is_refuted() {
    let count = refuted("theorem2-real-layers-naive-coherence", "guard-band", 60);
    assert!(count * 2 >= 60, "refuted in {count} of 60 cases");
}

/// R5: on Theorem 2's own instances (stride 1, circular, one threshold per layer), every case
/// that meets Theorem 2's hypotheses meets these, and both hold.
#[test]
fn paper_instances_meet_both_statements() {
    let mut both = 0;
    for variant in [
        Thresholding::Soft,
        Thresholding::Nonnegative,
        Thresholding::Hard,
    ] {
        let paper = find(&format!("theorem2-{}", variant.name())).expect("registered");
        let real = RealLayersTheorem2::stated(variant);
        for case in 0..40u64 {
            let instance = paper.generate(&mut case_rng(33, case));
            if !paper.check(&instance).verdict.hypotheses_met() {
                continue;
            }
            assert_eq!(
                real.verdict(&instance),
                Verdict::Holds,
                "{} case {case}",
                variant.name()
            );
            both += 1;
        }
    }
    assert!(
        both >= 60,
        "only {both} paper cases met Theorem 2's hypotheses"
    );
}

/// The specification's plain definition over big rationals and the fast exact engine over
/// machine-word rationals give the same verdict, form by form.
#[test]
fn the_plain_definition_and_the_engine_agree_on_real_layers() {
    let forms = [
        ("theorem2-real-layers-soft", RealForm::STATED),
        (
            "theorem2-real-layers-without-guard-band",
            RealForm::WITHOUT_GUARD_BAND,
        ),
        (
            "theorem2-real-layers-positive-bias",
            RealForm::WITHOUT_IDLE_CHANNEL_WINDOW,
        ),
        (
            "theorem2-real-layers-naive-coherence",
            RealForm::NAIVE_GLOBAL_COHERENCE,
        ),
    ];
    for (name, form) in forms {
        let entry = find(name).expect("registered");
        for case in 0..25u64 {
            let instance = entry.generate(&mut case_rng(34, case));
            let plain = decide_real::<Rational, Plain>(&instance, form).2;
            let fast =
                decide_real::<SmallRational, IntegerViews>(&small_instance(&instance), form).2;
            assert_eq!(plain, fast, "{name} case {case}");
        }
    }
}

/// The windows are decided exactly at their ends: on generated cases whose window ends are
/// rational, a threshold moved onto an end makes the case vacuous by `(b_c)`, and one moved
/// a hair inside keeps it met.
#[test]
fn channel_windows_are_exact_at_their_ends() {
    use mlcsc::threshold::Threshold;
    let entry = find("theorem2-real-layers-soft").expect("registered");
    let stated = RealLayersTheorem2::stated(Thresholding::Soft);
    let (mut ends, hair) = (0, r(1, 1 << 40));
    for case in 0..80u64 {
        let instance = entry.generate(&mut case_rng(35, case));
        let (chain, _, _) = stated.decide(&instance);
        for bounds in &chain.layers {
            let i = bounds.profile.layer;
            for c in bounds.profile.support_channels() {
                let epsilon = bounds.epsilon_previous.rational_value();
                let Some(epsilon) = epsilon.map(|e| e.to_big()) else {
                    continue;
                };
                let low = bounds.profile.window_low(c).to_big() + &epsilon;
                let high = bounds.profile.window_high(c).expect("support").to_big() - &epsilon;
                for (beta, vacuous) in [
                    (low.clone(), true),
                    (&low + &hair, false),
                    (high.clone(), true),
                    (&high - &hair, false),
                ] {
                    let mut moved = instance.clone();
                    let mut values: Vec<Rational> = (0..bounds.profile.channel_coherence.len())
                        .map(|k| moved.thresholds[i - 1].channel(k).clone())
                        .collect();
                    values[c] = beta;
                    moved.thresholds[i - 1] = Threshold::per_channel(values);
                    let failed = stated.hypotheses(&moved).err();
                    let at_this_window = failed
                        .as_ref()
                        .is_some_and(|f| f.hypothesis == "channel-window" && f.layer == i);
                    if vacuous {
                        assert!(
                            at_this_window,
                            "case {case}, layer {i}, channel {c}: β on a window end is not refused: {failed:?}"
                        );
                    } else {
                        assert!(
                            !at_this_window,
                            "case {case}, layer {i}, channel {c}: β inside the window is refused: {failed:?}"
                        );
                    }
                }
                ends += 1;
            }
        }
    }
    assert!(ends >= 40, "only {ends} windows with rational ends");
}

/// A generated real-layer instance written to a file: `inspect --json` reports each layer's
/// geometry, its per-channel thresholds, and the strided coherence as the largest per-channel
/// coherence; `check` decides the theorem on it as the library does (exit 0 when it holds).
#[test]
fn inspect_and_check_read_real_layer_files() {
    use mlcsc::io::ToInstanceFile;
    use mlcsc::scalar::Scalar;
    let entry = find("theorem2-real-layers-soft").expect("registered");
    let folder = tempfile::tempdir().expect("temporary folder");
    let (mut geometries, mut per_channel) = (0, 0);
    for case in 0..12u64 {
        let instance = entry.generate(&mut case_rng(36, case));
        let path = folder.path().join(format!("case{case}.json"));
        let text = serde_json::to_string(&instance.to_file()).expect("serialises");
        std::fs::write(&path, text).expect("written");
        let report = crate::common::cli::json_in(
            folder.path(),
            ["inspect", "--json", path.to_str().unwrap()],
        );
        for (i, layer) in report["layers"]
            .as_array()
            .expect("layers")
            .iter()
            .enumerate()
        {
            let channels = layer["channel-coherence"]
                .as_array()
                .expect("channel-coherence");
            let largest = channels
                .iter()
                .map(|v| v.as_f64().unwrap())
                .fold(0.0, f64::max);
            assert_eq!(
                layer["coherence"].as_f64(),
                Some(largest),
                "case {case}, layer {}",
                i + 1
            );
            geometries += usize::from(layer.get("geometry").is_some());
            if let Some(values) = layer.get("channel-thresholds") {
                let expected: Vec<f64> = instance.thresholds[i]
                    .values()
                    .iter()
                    .map(|b| b.to_f64())
                    .collect();
                let read: Vec<f64> = values
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap())
                    .collect();
                assert_eq!(read, expected, "case {case}, layer {}", i + 1);
                per_channel += 1;
            }
        }
        let output = crate::common::cli::run_in(
            folder.path(),
            [
                "check",
                path.to_str().unwrap(),
                "--theorem",
                "theorem2-real-layers-soft",
            ],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "case {case}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("holds"),
            "case {case}"
        );
    }
    assert!(
        geometries >= 6 && per_channel >= 6,
        "{geometries} strided or padded layers, {per_channel} per-channel ones"
    );
}
