//! Theorem 2 for real layers on images (`proofs/two_dimensions.md`, G9): a ladder lifted to an
//! image keeps its profile, its `ε` chain, its estimates and its verdict; the image entries
//! meet their hypotheses, hold, and reach the hard cases above their floors; their negative
//! controls find counterexamples; and every registered generator's instances, read as
//! columns, keep every quantity and verdict (the one-dimensional-as-two-dimensional identity).

use mlcsc::conjecture::{find, registry};
use mlcsc::exact_engine::IntegerViews;
use mlcsc::generate::image_lift::{as_column, lift_to_image};
use mlcsc::generate::seed::case_rng;
use mlcsc::instance::{Instance, small_instance};
use mlcsc::io::ToInstanceFile;
use mlcsc::scalar::{Rational, Scalar};
use mlcsc::small_rational::SmallRational;
use mlcsc::theorems::real_layers::{RealForm, decide_real};
use mlcsc::theorems::statement::Statement;
use mlcsc::theorems::theorem2_real_layers::RealLayersTheorem2;
use mlcsc::theorems::verdict::Verdict;

/// Everything the two passes say of an instance that does not name a position: per layer the
/// profile (`s_i`, `p_i`, `μ_{i,c}`, `|Γ^max|`, `|Γ^min_c|`), `ε_i` and `δ_{i,c}` (as `f64`
/// images of exact surds), the support values of `Γ_i − Γ̂_i` in position order, and the
/// verdict's kind with its clause and layer.
fn summary(instance: &Instance<Rational>, form: RealForm) -> Vec<String> {
    let small = small_instance(instance);
    let (chain, conclusions, verdict) = decide_real::<SmallRational, IntegerViews>(&small, form);
    let classes = &chain.classes;
    let mut lines = vec![format!("ε_0 = {}", classes.to_f64(&chain.epsilon_0))];
    for (bounds, errors) in chain.layers.iter().zip(&conclusions.layers) {
        let p = &bounds.profile;
        lines.push(format!(
            "layer {}: s {} p {} μ {:?} max {:?} min {:?} ε {} δ {:?}",
            p.layer,
            p.stripe_sparsity,
            p.patch_sparsity,
            p.channel_coherence,
            p.gamma_max,
            p.channel_min,
            classes.to_f64(&bounds.epsilon),
            bounds
                .entrywise
                .iter()
                .map(|d| classes.to_f64(d))
                .collect::<Vec<_>>()
        ));
        let error: Vec<String> = errors
            .error
            .support()
            .map(|(_, c, v)| format!("{c}:{}", v.to_f64()))
            .collect();
        lines.push(format!("error {}: {error:?}", p.layer));
    }
    lines.push(match verdict {
        Verdict::Holds => "holds".into(),
        Verdict::Vacuous(failed) => format!("vacuous {} at {}", failed.hypothesis, failed.layer),
        Verdict::Violated(witness) => {
            format!("violated {} at {}", witness.conclusion, witness.layer)
        }
        Verdict::Undecided { layer, .. } => format!("undecided at {layer}"),
    });
    lines
}

/// G9: on the ladders of every one-dimensional form (the positive-bias control's negative
/// threshold excepted, outside G9), the lift keeps every quantity and the verdict.
#[test]
fn a_lifted_ladder_keeps_its_profile_chain_estimates_and_verdict() {
    let forms = [
        ("theorem2-real-layers-soft", RealForm::STATED),
        ("theorem2-real-layers-nonnegative", RealForm::STATED),
        ("theorem2-real-layers-hard", RealForm::STATED),
        (
            "theorem2-real-layers-without-guard-band",
            RealForm::WITHOUT_GUARD_BAND,
        ),
        (
            "theorem2-real-layers-naive-coherence",
            RealForm::NAIVE_GLOBAL_COHERENCE,
        ),
    ];
    let (mut lifts, mut tall) = (0, 0);
    for (name, form) in forms {
        let entry = find(name).expect("registered");
        for case in 0..40 {
            let line = entry.generate(&mut case_rng(41, case));
            let image = lift_to_image(&mut case_rng(42, case), &line);
            let (signal, deepest) = (image.model.grid(0), image.model.grid(image.model.depth()));
            assert!(signal.rows > 1 || signal.columns > 1);
            assert_eq!(
                summary(&image, form),
                summary(&line, form),
                "{name} case {case}"
            );
            lifts += 1;
            tall += usize::from(signal.rows > 1 && signal.columns > 1 && deepest.positions() > 1);
        }
    }
    assert!(
        tall * 2 >= lifts,
        "{tall} of {lifts} lifts are images of several rows and columns"
    );
}

fn event(features: &[(String, f64)], name: &str) -> bool {
    features.iter().any(|(n, v)| n == name && *v == 1.0)
}

/// The image entries: every case meets the hypotheses and holds, with the one-dimensional
/// floors, `image-strided` (a layer of stride ≥ 2 on both axes, σ_h ≥ 2 and σ_w ≥ 2) in 30%
/// of met cases, and `image-separable-overlap` (atoms overlapping across rows and columns, the
/// separable ladders of G13) in 40%.
#[test]
fn image_entries_meet_the_hypotheses_hold_and_reach_the_hard_cases() {
    let floors = [
        ("event:image-strided", 30),
        ("event:image-separable-overlap", 40),
        ("event:image-padded", 30),
        ("event:strided", 30),
        ("event:zero-padding", 30),
        ("event:differing-thresholds", 50),
        ("event:coherent-every-layer", 30),
        ("event:deep-interference", 20),
    ];
    for variant in ["soft", "nonnegative", "hard"] {
        let entry = find(&format!("theorem2-real-layers-image-{variant}")).expect("registered");
        let cases = 60;
        let mut counts = [0usize; 8];
        for case in 0..cases {
            let instance = entry.generate(&mut case_rng(43, case));
            let outcome = entry.check(&instance);
            assert!(
                matches!(outcome.verdict, Verdict::Holds),
                "{variant} case {case}: {:?}",
                outcome.verdict
            );
            for (k, (name, _)) in floors.iter().enumerate() {
                counts[k] += usize::from(event(&outcome.features, name));
            }
        }
        eprintln!(
            "image {variant}: {cases} met; {:?}",
            floors.iter().map(|f| f.0).zip(counts).collect::<Vec<_>>()
        );
        for ((name, percent), count) in floors.iter().zip(counts) {
            assert!(
                count * 100 >= percent * cases as usize,
                "{variant}: {name} in {count} of {cases}, floor {percent}%"
            );
        }
    }
}

/// Each image control finds counterexamples in at least half its cases, on which the theorem
/// itself is vacuous by the hypothesis the control drops.
#[test]
fn image_negative_controls_find_counterexamples() {
    for (name, dropped) in [
        (
            "theorem2-real-layers-image-without-guard-band",
            "guard-band",
        ),
        ("theorem2-real-layers-image-positive-bias", "channel-window"),
        ("theorem2-real-layers-image-naive-coherence", "guard-band"),
    ] {
        let entry = find(name).expect("registered");
        let cases = 40;
        let refuted = (0..cases)
            .filter(|&case| {
                let instance = entry.generate(&mut case_rng(44, case));
                let stated = RealLayersTheorem2::stated(instance.thresholding);
                match stated.verdict(&instance) {
                    Verdict::Vacuous(failed) => {
                        assert_eq!(failed.hypothesis, dropped, "{name} case {case}")
                    }
                    other => panic!("{name} case {case}: the theorem says {other:?}"),
                }
                entry.check(&instance).verdict.is_violated()
            })
            .count();
        assert!(
            refuted * 2 >= cases as usize,
            "{name}: refuted in {refuted} of {cases}"
        );
    }
}

/// The one-dimensional-as-two-dimensional identity over the generators: every registered
/// entry's instances (one-dimensional ones), read as columns (G2, G3), give Theorem 2 for
/// real layers the same quantities and verdict, under its own thresholding.
#[test]
fn every_generator_read_as_columns_keeps_every_quantity_and_verdict() {
    let (mut compared, mut met) = (0, 0);
    for entry in registry() {
        for case in 0..6 {
            let instance = entry.generate(&mut case_rng(45, case));
            if instance.model.grid(0).rows > 1 || instance.model.layers().is_empty() {
                continue;
            }
            let line = summary(&instance, RealForm::STATED);
            assert_eq!(
                summary(&as_column(&instance), RealForm::STATED),
                line,
                "{} case {case}",
                entry.name()
            );
            compared += 1;
            met += usize::from(
                line.last()
                    .is_some_and(|v| v == "holds" || v.starts_with("violated")),
            );
        }
    }
    eprintln!("{compared} instances read as columns, {met} meeting the hypotheses");
    assert!(
        compared >= 100 && met >= 40,
        "{compared} compared, {met} met"
    );
}

/// Every image entry's instances (and so its saved counterexamples) are written in the image
/// form of the instance format and read back to the same quantities and verdict (the
/// positive-bias control excepted: its negative threshold is outside the format, as on a line).
#[test]
fn image_instances_are_written_and_read_back_to_the_same_verdict() {
    let names = [
        "theorem2-real-layers-image-soft",
        "theorem2-real-layers-image-without-guard-band",
        "cnn-forward-pass-image",
        "cnn-forward-pass-image-soft-form",
    ];
    for name in names {
        let entry = find(name).expect("registered");
        for case in 0..30 {
            let instance = entry.generate(&mut case_rng(46, case));
            let read = instance
                .to_file()
                .to_exact()
                .unwrap_or_else(|e| panic!("{name} case {case}: {e}"));
            assert_eq!(
                summary(&read, RealForm::WITHOUT_GUARD_BAND),
                summary(&instance, RealForm::WITHOUT_GUARD_BAND),
                "{name} case {case}"
            );
            assert_eq!(
                entry.check(&read).verdict,
                entry.check(&instance).verdict,
                "{name} case {case}"
            );
        }
    }
}
