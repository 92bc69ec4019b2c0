//! The registered entry `certified-region` (`proofs/certified_region.md`, CR4, and
//! `proofs/certified_region_generator.md`): cases drawn inside their network's certified region
//! meet Theorem 2's hypotheses and hold, with coverage floors; the control one amplitude
//! outside is refuted; the generator's invariants and its closed-form thresholds; and a
//! widened band, planted, is caught.

use mlcsc::conjecture::find;
use mlcsc::generate::certified_region::network::every_two_layer_design;
use mlcsc::generate::certified_region::{
    first_patch_bound, second_channel_floor, second_layer_interval,
};
use mlcsc::generate::seed::case_rng;
use mlcsc::instance::Instance;
use mlcsc::model::{LayerVector, Model};
use mlcsc::scalar::Rational;
use mlcsc::theorems::certified_region_membership::{certificate, membership};
use mlcsc::theorems::certified_region_theorem::CertifiedRegionTheorem;
use mlcsc::theorems::statement::Statement;
use mlcsc::theorems::theorem2_real_layers::RealLayersTheorem2;
use mlcsc::theorems::verdict::Verdict;
use mlcsc::threshold::Threshold;
use mlcsc::thresholding::Thresholding;

fn event(features: &[(String, f64)], name: &str) -> bool {
    features.iter().any(|(k, v)| k == name && *v == 1.0)
}

/// Every case drawn inside the region meets Theorem 2's hypotheses, holds, and stays within
/// the certificate's bounds, with floors on the cases that reach the parts that matter (the
/// rates at 80 cases are near those at 2,000, each floor well below).
#[test]
fn cases_inside_the_region_hold_with_coverage_floors() {
    let floors = [
        ("event:two-layers", 30),
        ("event:strided", 50),
        ("event:zero-padding", 40),
        ("event:differing-thresholds", 40),
        ("event:coherent-every-layer", 30),
        ("event:noisy", 50),
        ("event:near-band-edge", 15),
    ];
    let entry = find("certified-region").expect("registered");
    let cases = 80u64;
    let mut counts = [0usize; 7];
    for case in 0..cases {
        let instance = entry.generate(&mut case_rng(31, case));
        let outcome = entry.check(&instance);
        assert!(
            matches!(outcome.verdict, Verdict::Holds),
            "case {case}: {:?}",
            outcome.verdict
        );
        let tightness = outcome.tightness.expect("measured");
        assert!(tightness <= 1.0, "case {case}: tightness {tightness}");
        for (k, (name, _)) in floors.iter().enumerate() {
            counts[k] += usize::from(event(&outcome.features, name));
        }
    }
    eprintln!(
        "{:?}",
        floors.iter().map(|f| f.0).zip(counts).collect::<Vec<_>>()
    );
    for ((name, percent), count) in floors.iter().zip(counts) {
        assert!(
            count * 100 >= percent * cases as usize,
            "{name} in {count} of {cases} cases, floor {percent}%"
        );
    }
}

/// The control, one amplitude just outside layer 1's band: Theorem 2 itself is vacuous on
/// every case (a channel's window fails), CR4's membership fails at the band, and the control's
/// conclusion (every support recovered) is refuted in nearly every case.
#[test]
fn cases_just_outside_the_region_are_refuted() {
    let entry = find("certified-region-outside").expect("registered");
    let stated = CertifiedRegionTheorem::stated();
    let theorem = RealLayersTheorem2::stated(Thresholding::Nonnegative);
    let cases = 100u64;
    let mut refuted = 0;
    for case in 0..cases {
        let instance = entry.generate(&mut case_rng(32, case));
        match theorem.verdict(&instance) {
            Verdict::Vacuous(failed) => {
                assert_eq!(failed.hypothesis, "channel-window", "case {case}")
            }
            other => panic!("case {case}: Theorem 2 says {other:?}"),
        }
        match stated.verdict(&instance) {
            Verdict::Vacuous(failed) => {
                assert_eq!(failed.hypothesis, "amplitude-band", "case {case}")
            }
            other => panic!("case {case}: CR4 says {other:?}"),
        }
        refuted += usize::from(entry.check(&instance).verdict.is_violated());
    }
    // Every case: the moved atom's coherent neighbour fires, or the atom is missed.
    assert_eq!(
        refuted, cases as usize,
        "refuted in {refuted} of {cases} cases"
    );
}

/// The generator's invariants: the region of every drawn network is non-empty, every drawn
/// case lies inside it (membership with the bands), and every control case keeps the structure
/// (membership without the bands) while leaving a band.
#[test]
fn generated_cases_lie_in_a_non_empty_region_by_construction() {
    let inside = find("certified-region").expect("registered");
    let outside = find("certified-region-outside").expect("registered");
    for case in 0..150u64 {
        let instance = inside.generate(&mut case_rng(33, case));
        let certified = certificate(&instance).expect("folds");
        assert!(!certified.region.is_empty(), "case {case}");
        if let Err(failed) = membership(&instance, &certified, true, 0.0) {
            panic!("case {case}: {failed:?}");
        }
        let control = outside.generate(&mut case_rng(33, case));
        let certified = certificate(&control).expect("folds");
        assert!(
            membership(&control, &certified, false, 0.0).is_ok(),
            "control {case}"
        );
        assert!(
            membership(&control, &certified, true, 0.0).is_err(),
            "control {case}"
        );
    }
}

/// A one-channel, two-layer instance of `design` with thresholds `β_1`, `β_2` (no code yet).
fn design_instance(
    design: &(
        mlcsc::generate::certified_region::network::FilterChoice,
        mlcsc::generate::certified_region::network::FilterChoice,
    ),
    thresholds: [f64; 2],
) -> Instance<Rational> {
    let layers = vec![design.0.layer(1, 1), design.1.layer(2, 1)];
    let model = (60..)
        .find_map(|n| Model::new(n, 1, layers.clone()).ok())
        .expect("a long enough signal");
    let exact = |v: f64| Threshold::per_channel(vec![Rational::from_float(v).expect("finite")]);
    Instance {
        name: "design".into(),
        source: "tests/all/certified_region_entry.rs".into(),
        thresholding: Thresholding::Nonnegative,
        thresholds: vec![exact(thresholds[0]), exact(thresholds[1])],
        deepest_representation: LayerVector::zeros(model.length(2), 1),
        noise: LayerVector::zeros(model.signal_length(), 1),
        noise_budget: None,
        last_patch_width: design.1.length(),
        last_patch_rows: 1,
        model,
    }
}

/// Whether, at zero noise, a synthesised pair `(w_min A, w_max A)` over `A` fits layer 1's band
/// and `A` layer 2's, by the certificate's own bands.
fn pair_fits(instance: &Instance<Rational>, taps: (f64, f64)) -> bool {
    let certified = certificate(instance).expect("folds");
    if certified.region.is_empty() {
        return false;
    }
    let band = |i: usize| {
        let (_, offset) = certified.chain[i];
        certified.figures[i].band(1, offset)
    };
    let (Some((low_1, high_1)), Some((low_2, high_2))) = (band(0), band(1)) else {
        return false;
    };
    let low = (low_1 / taps.0).max(low_2);
    let high = high_1
        .map_or(f64::INFINITY, |h| h / taps.1)
        .min(high_2.unwrap_or(f64::INFINITY));
    low < high
}

/// G1 and G2 (`proofs/certified_region_generator.md`): on every catalogued two-layer design,
/// `B_2` inside the closed-form interval gives a non-empty region and a synthesised pair that
/// fits both bands, and `B_2` 3 % outside either end gives none; `P_1(1)` is the certificate's,
/// and a second channel at its floor G2 keeps the pair (checked at the floor raised by 1 %).
#[test]
fn feasible_second_layer_thresholds_are_exact_at_both_ends() {
    let mut checked = 0;
    for design in every_two_layer_design() {
        for beta_1 in [0.25, 0.7] {
            let coherence_1 = design.0.coherence();
            let upper_1 = if coherence_1 > 0.0 {
                beta_1 / coherence_1
            } else {
                f64::INFINITY
            };
            let patch_bound = first_patch_bound(&design.0, &design.1);
            let taps = design.1.tap_range();
            let mu_2 = design.1.coherence();
            let (low, high) = second_layer_interval(beta_1, upper_1, patch_bound, taps, mu_2)
                .expect("every catalogued design is feasible");
            let probe = design_instance(&design, [beta_1, low]);
            let figures = certificate(&probe).expect("folds").figures;
            assert_eq!(figures[0].patch_bound(1), patch_bound, "{design:?}");
            let high_probe = if high.is_finite() { high } else { 3.0 * low };
            for u in [0.02, 0.5, 0.98] {
                let beta_2 = low + (high_probe - low) * u;
                let inside = design_instance(&design, [beta_1, beta_2]);
                assert!(pair_fits(&inside, taps), "{design:?} at B_2 = {beta_2}");
            }
            let below = design_instance(&design, [beta_1, 0.97 * low]);
            assert!(!pair_fits(&below, taps), "{design:?} below {low}");
            if high.is_finite() {
                let above = design_instance(&design, [beta_1, 1.03 * high]);
                assert!(!pair_fits(&above, taps), "{design:?} above {high}");
            }
            let beta_2 = 0.5 * (low + high_probe);
            let floor = second_channel_floor(beta_1, patch_bound, taps.0, mu_2, beta_2);
            assert!(floor < beta_2, "{design:?}");
            checked += 1;
        }
    }
    assert!(checked >= 500, "{checked}");
}

/// A planted fault: the membership check with every band widened by 5 % admits some control
/// cases, on which Theorem 2's hypotheses then fail: a counterexample to the (wrong)
/// certificate. The true check admits none of them.
#[test]
fn a_widened_band_is_caught() {
    let outside = find("certified-region-outside").expect("registered");
    let widened = CertifiedRegionTheorem::with_widened_band(0.05);
    let stated = CertifiedRegionTheorem::stated();
    let mut caught = 0;
    for case in 0..120u64 {
        let instance = outside.generate(&mut case_rng(34, case));
        assert!(!stated.verdict(&instance).hypotheses_met(), "case {case}");
        if let Verdict::Violated(witness) = widened.verdict(&instance) {
            assert_eq!(witness.conclusion, "theorem-2-hypotheses", "case {case}");
            caught += 1;
        }
    }
    eprintln!("the widened band was caught in {caught} of 120 cases");
    assert!(
        caught >= 10,
        "the widened band was caught in {caught} of 120 cases"
    );
}
