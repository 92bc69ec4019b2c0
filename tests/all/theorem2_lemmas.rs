//! The proof of Theorem 2 as a lemma chain (proofs/theorem2.md), one property per lemma, each
//! decided exactly in rationals (docs/math.md §6, "Proof, as a chain of lemmas").

use crate::theorem2_support;

use std::cell::Cell;

use mlcsc::coherence::mutual_coherence;
use mlcsc::enclosure::{Decision, ScaledRoot};
use mlcsc::generate::filters::FirstLayerDesign;
use mlcsc::generate::theorem2::case_rng;
use mlcsc::io::Instance;
use mlcsc::model::{Layer, LayerVector, Model};
use mlcsc::norms::{patch_norm_squared, patch_sparsity, stripe_count_at, stripe_sparsity};
use mlcsc::operators::{analysis, synthesis};
use mlcsc::pursuit::{Thresholding, layered_thresholding};
use mlcsc::scalar::{Rational, Scalar};
use mlcsc::theorems::theorem2::check_theorem2;
use mlcsc::theorems::verdict::Verdict;
use num_bigint::BigInt;
use num_traits::{Signed, Zero};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

fn r(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

/// A designed first layer, a signal length `N ≥ 2n − 1`, and a random sparse rational vector
/// of the layer's coefficients and of its input.
struct LocalCase {
    layer: Layer<Rational>,
    gamma: LayerVector<Rational>,
    z: LayerVector<Rational>,
}

fn sparse_vector(
    rng: &mut ChaCha8Rng,
    length: usize,
    channels: usize,
    density: f64,
) -> LayerVector<Rational> {
    let mut v = LayerVector::zeros(length, channels);
    for p in 0..length {
        for c in 0..channels {
            if rng.random_bool(density) {
                let numerator =
                    rng.random_range(1..=24i64) * if rng.random_bool(0.5) { 1 } else { -1 };
                v.set(p, c, r(numerator, 8));
            }
        }
    }
    v
}

fn local_case(seed: u64) -> LocalCase {
    let mut rng = case_rng(seed, 0);
    let design = FirstLayerDesign::ALL[rng.random_range(0..FirstLayerDesign::ALL.len())];
    let (filters, _) = design.filters(&mut rng);
    let layer = Layer::new(1, filters).expect("designed");
    let length = rng.random_range(2 * layer.filter_length() - 1..=48);
    let density = rng.random_range(0.02..0.3);
    let gamma = sparse_vector(&mut rng, length, layer.filter_count(), density);
    let z = sparse_vector(&mut rng, length, layer.input_channels(), 0.5);
    LocalCase { layer, gamma, z }
}

fn runner() -> TestRunner {
    TestRunner::new(theorem2_support::config(file!(), 96))
}

fn square(x: &Rational) -> Rational {
    x * x
}

/// L1: `|⟨d, Z⟩| ≤ ‖R_{i,p} Z‖_2 ≤ ‖Z‖^P_{2,∞}(n_i)` for every unit atom `d` at position `p`.
#[test]
fn lemma_local_inner_product_is_bounded_by_the_patch_norm() {
    let atoms = Cell::new(0usize);
    runner()
        .run(&any::<u64>(), |seed| {
            let LocalCase { layer, z, .. } = local_case(seed);
            let n = layer.filter_length();
            let correlations = analysis(&layer, &z);
            let global = patch_norm_squared(&z, n);
            for p in 0..z.length() {
                let mut local = Rational::zero();
                for t in 0..n {
                    for v in z.at_position(p + t) {
                        local += &square(v);
                    }
                }
                prop_assert!(local <= global);
                for c in 0..layer.filter_count() {
                    atoms.set(atoms.get() + 1);
                    prop_assert!(square(correlations.get(p, c)) <= local, "atom ({p}, {c})");
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!("L1: {} atoms checked", atoms.get());
    assert!(atoms.get() > 1000);
}

/// L2: `|(DᵀDΓ)_k − Γ_k| ≤ μ |Γ^max| · #(supp Γ ∩ stripe(k) \ {k})`.
#[test]
fn lemma_interference_is_bounded_by_coherence_times_stripe_count() {
    let nontrivial = Cell::new(0usize);
    runner()
        .run(&any::<u64>(), |seed| {
            let LocalCase { layer, gamma, .. } = local_case(seed);
            let Some((_, gamma_max)) = gamma.support_magnitude_range() else {
                return Ok(());
            };
            let mu = mutual_coherence(&layer);
            let gram_gamma = analysis(&layer, &synthesis(&layer, &gamma));
            let n = layer.filter_length();
            for p in 0..gamma.length() {
                for c in 0..layer.filter_count() {
                    let here = usize::from(!gamma.get(p, c).is_zero());
                    let others = stripe_count_at(&gamma, n, p) - here;
                    let deviation = (gram_gamma.get(p, c) - gamma.get(p, c)).abs();
                    let bound = &mu * &gamma_max * Rational::from_integer(others.into());
                    prop_assert!(deviation <= bound, "atom ({p}, {c}): {deviation} > {bound}");
                    if !deviation.is_zero() {
                        nontrivial.set(nontrivial.get() + 1);
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!("L2: {} atoms with nonzero interference", nontrivial.get());
    assert!(
        nontrivial.get() > 100,
        "the property must meet real interference"
    );
}

/// L3: with `Y = DΓ + Z`, `ε = ‖Z‖^P_{2,∞}(n)`: on the support `|(DᵀY)_k| ≥ |Γ^min| −
/// (s − 1)μ|Γ^max| − ε` with the sign of `Γ_k`; off it `|(DᵀY)_k| ≤ sμ|Γ^max| + ε`.
#[test]
fn lemma_correlations_separate_support_from_off_support() {
    let met = Cell::new(0usize);
    runner()
        .run(&any::<u64>(), |seed| {
            let LocalCase { layer, gamma, z } = local_case(seed);
            let Some((gamma_min, gamma_max)) = gamma.support_magnitude_range() else {
                return Ok(());
            };
            let n = layer.filter_length();
            let mu = mutual_coherence(&layer);
            let s = Rational::from_integer(stripe_sparsity(&gamma, n).into());
            let epsilon = ScaledRoot::sqrt_of(patch_norm_squared(&z, n));
            let y = synthesis(&layer, &gamma).sum(&z);
            let correlations = analysis(&layer, &y);
            let one = Rational::from_integer(1.into());
            for (k, (value, truth)) in correlations
                .entries()
                .iter()
                .zip(gamma.entries())
                .enumerate()
            {
                if truth.is_zero() {
                    // ε ≥ |(DᵀY)_k| − sμ|Γ^max|.
                    let excess = value.abs() - &s * &mu * &gamma_max;
                    prop_assert!(
                        !excess.is_positive()
                            || epsilon.greater_or_equal(&excess) == Decision::True,
                        "off-support atom {k}"
                    );
                } else {
                    // ε ≥ |Γ^min| − (s − 1)μ|Γ^max| − (DᵀY)_k · sign(Γ_k).
                    let signed = value * truth.signum();
                    let shortfall = &gamma_min - (&s - &one) * &mu * &gamma_max - signed;
                    prop_assert!(
                        !shortfall.is_positive()
                            || epsilon.greater_or_equal(&shortfall) == Decision::True,
                        "support atom {k}"
                    );
                }
            }
            met.set(met.get() + 1);
            Ok(())
        })
        .unwrap();
    eprintln!("L3: {} cases with a nonzero Γ", met.get());
    assert!(met.get() > 50);
}

/// L4: the window of (b) is non-empty if and only if (a) holds, in the seed's own form
/// `s < ½ (1 + (1/μ)|Γ^min|/|Γ^max|) − (1/μ) ε/|Γ^max|` (μ > 0).
#[test]
fn lemma_window_is_nonempty_exactly_when_condition_a_holds() {
    let both = Cell::new((0usize, 0usize));
    let strategy = (1i64..40, 1i64..6, 1i64..30, 0i64..30, 0i64..30, 1i64..30);
    runner()
        .run(&strategy, |(mu_num, s, gmax, gmin_part, eps, den)| {
            let mu = r(mu_num, 200);
            let s = Rational::from_integer(s.into());
            let gamma_max = r(gmax, 10);
            let gamma_min = &gamma_max * r(gmin_part.min(29) + 1, 30);
            let epsilon = r(eps, den * 100);
            let one = Rational::from_integer(1.into());
            let half = r(1, 2);
            let condition_a = s.clone()
                < &half * (&one + &gamma_min / (&mu * &gamma_max)) - &epsilon / (&mu * &gamma_max);
            let low = &s * &mu * &gamma_max + &epsilon;
            let high = &gamma_min - (&s - &one) * &mu * &gamma_max - &epsilon;
            prop_assert_eq!(condition_a, low < high);
            let (yes, no) = both.get();
            both.set(if condition_a {
                (yes + 1, no)
            } else {
                (yes, no + 1)
            });
            Ok(())
        })
        .unwrap();
    let (yes, no) = both.get();
    eprintln!("L4: (a) true in {yes} cases, false in {no}");
    assert!(
        yes > 5 && no > 5,
        "both sides of the equivalence must be exercised"
    );
}

/// A single-layer generated instance whose noise budget is declared (rational `ε_0`), so the
/// window's ends are exact rationals.
fn single_layer_with_rational_budget(seed: u64, variant: Thresholding) -> Instance<Rational> {
    let entry = theorem2_support::paper_entry(variant);
    let mut instance = entry.generate(&mut case_rng(seed, 1));
    if instance.model.depth() > 1 {
        let layers = instance.model.layers()[..1].to_vec();
        let chain = instance
            .model
            .synthesis_chain(&instance.deepest_representation)
            .expect("valid");
        instance.deepest_representation = chain[1].clone();
        instance.model = Model::new(
            instance.model.signal_length(),
            instance.model.input_channels(),
            layers,
        )
        .expect("valid");
        instance.thresholds.truncate(1);
    }
    let energy = patch_norm_squared(&instance.noise, instance.model.layer(1).filter_length());
    let (_, above) = energy.sqrt_bounds(64);
    instance.noise_budget = Some(instance.noise_budget.clone().unwrap_or(above));
    instance
}

/// The exact window `(low, high)` of layer 1 with the instance's rational `ε_0`, or `None` if
/// it is empty.
fn exact_window(instance: &Instance<Rational>) -> Option<(Rational, Rational, Rational, usize)> {
    let layer = instance.model.layer(1);
    let gamma = &instance.deepest_representation;
    let (gamma_min, gamma_max) = gamma.support_magnitude_range()?;
    let mu = mutual_coherence(layer);
    let s = stripe_sparsity(gamma, layer.filter_length());
    let s_rational = Rational::from_integer(s.into());
    let epsilon = instance.noise_budget.clone().expect("declared");
    let low = &s_rational * &mu * &gamma_max + &epsilon;
    let one = Rational::from_integer(1.into());
    let interference = (&s_rational - &one) * &mu * &gamma_max;
    let high = gamma_min - &interference - &epsilon;
    (low < high).then_some((low, high, interference + epsilon, s))
}

/// L5 and L6: for every `β` inside the window, `S_β(DᵀY)`, `H_β(DᵀY)` (and `S⁺_β(DᵀY)` when
/// `Γ ≥ 0`) have exactly the support and signs of `Γ`; on the support the soft error is at most
/// `ε + (s − 1)μ|Γ^max| + β`.
#[test]
fn lemma_thresholds_inside_the_window_recover_the_support_with_bounded_error() {
    let windows = Cell::new(0usize);
    let thresholds = Cell::new(0usize);
    runner()
        .run(&(any::<u64>(), any::<bool>()), |(seed, nonnegative)| {
            let variant = if nonnegative {
                Thresholding::Nonnegative
            } else {
                Thresholding::Soft
            };
            let instance = single_layer_with_rational_budget(seed, variant);
            let Some((low, high, slack, _)) = exact_window(&instance) else {
                return Ok(());
            };
            windows.set(windows.get() + 1);
            let (signal, chain) = instance.signal_and_chain();
            let gamma = &chain[1];
            let correlations = analysis(instance.model.layer(1), &signal);
            let all_nonnegative = gamma.entries().iter().all(|v| !v.is_negative());
            let width = &high - &low;
            for fraction in [r(1, 1_000_000), r(1, 3), r(1, 2), r(999_999, 1_000_000)] {
                let beta = &low + &width * fraction;
                thresholds.set(thresholds.get() + 1);
                let mut operators = vec![Thresholding::Soft, Thresholding::Hard];
                if all_nonnegative {
                    operators.push(Thresholding::Nonnegative);
                }
                for operator in operators {
                    let estimate = operator.apply_vector(&correlations, &beta);
                    for (k, (e, t)) in estimate.entries().iter().zip(gamma.entries()).enumerate() {
                        prop_assert_eq!(
                            e.signum(),
                            t.signum(),
                            "{:?} at atom {}, β = {}",
                            operator,
                            k,
                            beta
                        );
                        if operator == Thresholding::Soft && !t.is_zero() {
                            prop_assert!((e - t).abs() <= &slack + &beta, "L6 at atom {}", k);
                        }
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "L5/L6: {} non-empty windows, {} thresholds",
        windows.get(),
        thresholds.get()
    );
    assert!(
        windows.get() >= 48,
        "at least half the cases must have a window"
    );
}

/// L7: if `supp V ⊆ supp Γ` then `‖V‖^P_{2,∞}(w) ≤ sqrt(‖Γ‖^P_{0,∞}(w)) · ‖V‖_∞`.
#[test]
fn lemma_patch_norm_from_entrywise_bound() {
    let cases = Cell::new(0usize);
    runner()
        .run(&(any::<u64>(), 1usize..6), |(seed, width)| {
            let LocalCase { gamma, z, .. } = local_case(seed);
            // V: Γ's support with other values (some zeroed), so supp V ⊆ supp Γ.
            let mut v = gamma.clone();
            for (k, entry) in v.entries_mut().iter_mut().enumerate() {
                if !entry.is_zero() {
                    *entry = if k % 3 == 0 {
                        Rational::zero()
                    } else {
                        &*entry * r(k as i64 % 7 + 1, 5)
                    };
                }
            }
            let _ = z;
            let width = width.min(v.length());
            let p = Rational::from_integer(patch_sparsity(&gamma, width).into());
            prop_assert!(patch_norm_squared(&v, width) <= p * square(&v.max_abs()));
            cases.set(cases.get() + 1);
            Ok(())
        })
        .unwrap();
    assert!(cases.get() >= 96);
}

/// L8: the induction step. At layer `i ≥ 2` the input is `Γ̂_{i-1} = D_i Γ_i + Z` with
/// `Z = Γ̂_{i-1} − Γ_{i-1}`, so layer `i` is a single-layer instance with noise `Z`; when the
/// multi-layer hypotheses hold, that instance meets the single-layer hypotheses and holds.
#[test]
fn lemma_each_deeper_layer_is_a_first_layer_with_the_previous_error_as_noise() {
    let steps = Cell::new(0usize);
    runner()
        .run(&any::<u64>(), |seed| {
            let entry = theorem2_support::paper_entry(Thresholding::Soft);
            let instance = entry.generate(&mut case_rng(seed, 2));
            if instance.model.depth() < 2 || !check_theorem2(&instance).verdict.hypotheses_met() {
                return Ok(());
            }
            let (signal, chain) = instance.signal_and_chain();
            let estimates = layered_thresholding(
                &instance.model,
                &signal,
                &instance.thresholds,
                instance.thresholding,
            );
            for i in 2..=instance.model.depth() {
                let layer = instance.model.layer(i).clone();
                let error = estimates[i - 2].difference(&chain[i - 1]);
                let single = Instance {
                    name: format!("layer {i} alone"),
                    source: "L8".into(),
                    model: Model::new(
                        instance.model.signal_length(),
                        layer.input_channels(),
                        vec![layer.clone()],
                    )
                    .expect("valid"),
                    thresholding: instance.thresholding,
                    thresholds: vec![instance.thresholds[i - 1].clone()],
                    deepest_representation: chain[i].clone(),
                    noise: error,
                    noise_budget: None,
                    last_patch_width: if i < instance.model.depth() {
                        instance.model.layer(i + 1).filter_length()
                    } else {
                        instance.last_patch_width
                    },
                    last_patch_rows: 1,
                };
                // The same input reaches layer i either way.
                prop_assert_eq!(&single.signal_and_chain().0, &estimates[i - 2]);
                let verdict = check_theorem2(&single).verdict;
                prop_assert_eq!(verdict, Verdict::Holds, "layer {} as a single layer", i);
                steps.set(steps.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    eprintln!("L8: {} induction steps checked", steps.get());
    assert!(steps.get() >= 40);
}

/// An instance with `N = 8`, the given layers (JSON), one atom of value `value` at position 1
/// of `Γ_K`, the given pursuit, noise entries (`(position, value)`) and declared budget.
fn instance_with(
    thresholding: &str,
    layers: &str,
    value: &str,
    noise: &[(usize, &str)],
    budget: &str,
) -> Instance<Rational> {
    let noise: Vec<String> = noise
        .iter()
        .map(|(p, v)| format!(r#"{{ "position": {p}, "channel": 0, "value": "{v}" }}"#))
        .collect();
    let text = format!(
        r#"{{
  "format": "mlcsc-instance-1",
  "name": "theorem2-hypotheses",
  "source": "tests/all/theorem2_lemmas.rs",
  "signal-length": 8,
  "input-channels": 1,
  "thresholding": "{thresholding}",
  "layers": {layers},
  "deepest-representation": [{{ "position": 1, "channel": 0, "value": "{value}" }}],
  "noise": [{}],
  "noise-budget": {budget},
  "last-patch-width": 1
}}"#,
        noise.join(", ")
    );
    mlcsc::io::InstanceFile::parse(&text)
        .and_then(|f| f.to_exact())
        .expect("a valid instance")
}

/// One Dirac layer `[1]` with threshold `threshold`.
fn dirac_layer(threshold: &str) -> String {
    format!(r#"[{{ "filters": [[["1"]]], "threshold": "{threshold}" }}]"#)
}

/// The Dirac layer `[1]` with `β = 1/10`.
fn dirac_instance(
    thresholding: &str,
    value: &str,
    noise: &str,
    budget: &str,
) -> Instance<Rational> {
    instance_with(
        thresholding,
        &dirac_layer("1/10"),
        value,
        &[(2, noise)],
        budget,
    )
}

/// The failed hypothesis of a vacuous verdict: its layer, its name and its shortfall.
fn failed(instance: &Instance<Rational>) -> Option<(usize, String, f64)> {
    match check_theorem2(instance).verdict {
        Verdict::Vacuous(f) => Some((f.layer, f.hypothesis.to_string(), f.shortfall)),
        _ => None,
    }
}

#[test]
fn structural_hypotheses_name_their_layer_and_shortfall_and_a_budget_may_be_met_exactly() {
    // ‖E‖^P_{2,∞} = 3/100 exactly: a budget of 3/100 is met (the hypothesis is ≤).
    let at_budget = dirac_instance("soft", "1", "3/100", r#""3/100""#);
    assert_eq!(check_theorem2(&at_budget).verdict, Verdict::Holds);
    // A budget of 1/50 is exceeded by 1/100.
    let (layer, name, shortfall) =
        failed(&dirac_instance("soft", "1", "-3/100", r#""1/50""#)).expect("vacuous");
    assert_eq!((layer, name.as_str()), (0, "noise-budget"));
    assert!((shortfall - 0.01).abs() < 1e-12, "{shortfall}");
    // The ReLU variant with Γ_1 = -2: layer 1, short by 2.
    let (layer, name, shortfall) =
        failed(&dirac_instance("nonnegative", "-2", "0", "null")).expect("vacuous");
    assert_eq!(
        (layer, name.as_str(), shortfall),
        (1, "nonnegative-representation", 2.0)
    );
    // An all-zero Γ_1: layer 1.
    let (layer, name, _) = failed(&dirac_instance("soft", "0", "0", "null")).expect("vacuous");
    assert_eq!((layer, name.as_str()), (1, "nonzero-representation"));
}

#[test]
fn a_threshold_outside_the_window_is_short_by_its_distance_to_the_window() {
    // Dirac layer, Γ = 1, noise 1/10: the window is (1/10, 9/10).
    for (threshold, shortfall) in [("1/20", 0.05), ("2", 1.1)] {
        let instance = instance_with("soft", &dirac_layer(threshold), "1", &[(2, "1/10")], "null");
        let (layer, name, found) = failed(&instance).expect("vacuous");
        assert_eq!((layer, name.as_str()), (1, "b"), "β = {threshold}");
        assert!(
            (found - shortfall).abs() < 1e-12,
            "β = {threshold}: {found}"
        );
        // (a) holds, (b) does not: the report says which.
        let report = &check_theorem2(&instance).layers[0];
        assert!(report.hypothesis_a, "β = {threshold}");
        assert!(!report.hypothesis_holds, "β = {threshold}");
    }
}

#[test]
fn hypotheses_within_2_to_the_minus_64_of_a_tie_are_refined_never_assumed() {
    // Layer 1 is the filter [1, 0] (patches of width 2), layer 2 the Dirac [1]; μ = 0, Γ = 1 at
    // position 1, noise 1/8 at positions 2 and 3, so ε_0 = sqrt(1/32) ≈ 0.1767766952966 is
    // irrational and ε_1 = ε_0 + β_1. Layer 1's hypotheses are decided on squares at once.
    // With β_1 = 1/2 − sqrt(1/32) rounded to 30 decimals, layer 2's hypotheses, (a) 2 ε_1 < 1
    // and the window ε_1 < β_2 = 1/2 < 1 − ε_1, are within 10^-30 of a tie, closer than a
    // 64-bit enclosure of ε_0 (about 3e-21 wide) can tell.
    let layers = |beta_1: &str| {
        format!(
            r#"[{{ "filters": [[["1"], ["0"]]], "threshold": "{beta_1}" }},
                {{ "filters": [[["1"]]], "threshold": "1/2" }}]"#
        )
    };
    let noise = [(2, "1/8"), (3, "1/8")];
    // sqrt(1/32) rounded up: ε_1 is just below 1/2, so the hypotheses hold.
    let holds = instance_with(
        "soft",
        &layers("0.323223304703363118899788909473"),
        "1",
        &noise,
        "null",
    );
    let report = check_theorem2(&holds);
    assert_eq!(report.verdict, Verdict::Holds);
    // Refinement doubles the precision: 64 bits leave it open, 128 decide it.
    assert_eq!(report.enclosure_bits, 128);
    // sqrt(1/32) rounded down: ε_1 is just above 1/2, so (a) fails at layer 2, although the
    // pursuit still recovers the support and meets the bound: the verdict is vacuous.
    let fails = instance_with(
        "soft",
        &layers("0.323223304703363118899788909474"),
        "1",
        &noise,
        "null",
    );
    let report = check_theorem2(&fails);
    let Verdict::Vacuous(failed) = &report.verdict else {
        panic!("expected vacuous, got {:?}", report.verdict);
    };
    assert_eq!((failed.layer, failed.hypothesis.as_str()), (2, "a"));
    assert!(
        report.enclosure_bits > 64,
        "decided at {} bits",
        report.enclosure_bits
    );
}

#[test]
fn a_conclusion_within_2_to_the_minus_64_of_its_bound_is_refined_never_assumed() {
    // The same two layers with β_1 = 1/4, β_2 = 1/2; noise 1/8 at positions 4 and 5 makes
    // ε_0 = sqrt(1/32), and e_1 = −0.176776695296636881100211090526 at position 1 (|e_1| just
    // below ε_0) lowers the atom. Layer 2's error is β_1 + β_2 + |e_1| and its entrywise bound
    // ε_1 + β_2 = ε_0 + β_1 + β_2: the conclusion holds by less than 10^-30.
    let layers = r#"[{ "filters": [[["1"], ["0"]]], "threshold": "1/4" },
                     { "filters": [[["1"]]], "threshold": "1/2" }]"#;
    let noise = [
        (1, "-0.176776695296636881100211090526"),
        (4, "1/8"),
        (5, "1/8"),
    ];
    let report = check_theorem2(&instance_with("soft", layers, "1", &noise, "null"));
    assert_eq!(report.verdict, Verdict::Holds);
    assert_eq!(report.enclosure_bits, 128);
    assert!(
        report
            .layers
            .iter()
            .all(|l| l.hypothesis_holds && l.support_recovered)
    );
    assert!((report.layers[1].tightness - 1.0).abs() < 1e-12);
}

#[test]
fn a_zero_bound_met_exactly_has_tightness_zero() {
    // Hard thresholding, no noise, μ = 0: ε_1 = sqrt(p)(ε_0 + μ (s − 1)|Γ^max|) = 0, and the
    // pursuit is exact, so the bound 0 is met with tightness 0 (not 0/0).
    let report = check_theorem2(&instance_with(
        "hard",
        &dirac_layer("1/2"),
        "1",
        &[],
        "null",
    ));
    assert_eq!(report.verdict, Verdict::Holds);
    assert_eq!(
        (report.layers[0].epsilon, report.layers[0].tightness),
        (0.0, 0.0)
    );
    assert_eq!(report.largest_tightness(), 0.0);
}

#[test]
fn the_first_failed_conclusion_is_the_witness_when_several_fail() {
    // Without the factor sqrt(p_i) (a known-false form), two adjacent atoms of value 4 through
    // the filters [1] then [1, 0], β = (1/2, 1), no noise: every entry errs by β_1 at layer 1
    // and by β_1 + β_2 at layer 2, so with p_1 = p_2 = 2 the patch bound fails at both layers.
    // The witness is the first failure, at layer 1.
    let text = r#"{
  "format": "mlcsc-instance-1",
  "name": "two-failed-conclusions",
  "source": "tests/all/theorem2_lemmas.rs",
  "signal-length": 8,
  "input-channels": 1,
  "thresholding": "soft",
  "layers": [
    { "filters": [[["1"]]], "threshold": "1/2" },
    { "filters": [[["1"], ["0"]]], "threshold": "1" }
  ],
  "deepest-representation": [
    { "position": 1, "channel": 0, "value": "4" },
    { "position": 2, "channel": 0, "value": "4" }
  ],
  "noise": [],
  "noise-budget": null,
  "last-patch-width": 2
}"#;
    let instance = mlcsc::io::InstanceFile::parse(text)
        .and_then(|f| f.to_exact())
        .expect("a valid instance");
    let without_factor = mlcsc::theorems::theorem2::Statement::PAPER
        .without(mlcsc::theorems::variant::Part::PatchSparsityFactor);
    let report = mlcsc::theorems::theorem2::check_theorem2_statement(&instance, without_factor);
    let failures: Vec<usize> = report
        .layers
        .iter()
        .filter(|l| l.error_patch_norm > l.epsilon)
        .map(|l| l.layer)
        .collect();
    assert_eq!(failures, vec![1, 2], "both layers exceed the bound");
    let Verdict::Violated(witness) = &report.verdict else {
        panic!("expected violated, got {:?}", report.verdict);
    };
    assert_eq!(
        (witness.layer, witness.conclusion.as_str()),
        (1, "patch-error")
    );
    // The paper's statement holds on the same instance.
    assert_eq!(check_theorem2(&instance).verdict, Verdict::Holds);
}

/// The exact per-layer quantities of the depth budget (`proofs/theorem2_depth.md`): `μ_i`,
/// `s_i`, `p_i`, `|Γ_i^min|`, `|Γ_i^max|` for `i = 1..=K`, or `None` when some `Γ_i` is zero.
struct DepthProfile {
    mu: Vec<Rational>,
    s: Vec<usize>,
    p: Vec<usize>,
    min: Vec<Rational>,
    max: Vec<Rational>,
}

fn depth_profile(instance: &Instance<Rational>) -> Option<DepthProfile> {
    let depth = instance.model.depth();
    let (_, chain) = instance.signal_and_chain();
    let mut profile = DepthProfile {
        mu: Vec::new(),
        s: Vec::new(),
        p: Vec::new(),
        min: Vec::new(),
        max: Vec::new(),
    };
    for (i, gamma) in chain.iter().enumerate().skip(1) {
        let layer = instance.model.layer(i);
        let width = if i < depth {
            instance.model.layer(i + 1).filter_length()
        } else {
            instance.last_patch_width
        };
        let (lo, hi) = gamma.support_magnitude_range()?;
        profile.mu.push(mutual_coherence(layer));
        profile
            .s
            .push(stripe_sparsity(gamma, layer.filter_length()));
        profile.p.push(patch_sparsity(gamma, width));
        profile.min.push(lo);
        profile.max.push(hi);
    }
    Some(profile)
}

impl DepthProfile {
    /// `L_l = max(0, 1 − (s_{l+1} − 1) μ_{l+1})`, the lower bound of lemma D1 on the
    /// amplification `λ_l = sqrt(p_l) |Γ_l^max| / |Γ_{l+1}^max|` (index `l` from 1).
    fn amplification_bound(&self, l: usize) -> Rational {
        let one = Rational::from_integer(1.into());
        let value = &one - Rational::from_integer(((self.s[l] as i64) - 1).into()) * &self.mu[l];
        if value.is_negative() {
            Rational::zero()
        } else {
            value
        }
    }

    /// The left side of the depth budget at layer `i` (theorem D2): soft and nonnegative
    /// thresholding `Σ_{j ≤ i} 2^{i-j} (Π_{l=j}^{i-1} L_l) (2 s_j − 1) μ_j`; hard thresholding
    /// `(2 s_i − 1) μ_i + 2 Σ_{j < i} (Π_{l=j}^{i-1} L_l) (s_j − 1) μ_j`.
    fn budget_used(&self, i: usize, hard: bool) -> Rational {
        let term = |j: usize, doubled: bool| -> Rational {
            let s = self.s[j - 1] as i64;
            let weight = if doubled { 2 * s - 1 } else { s - 1 };
            Rational::from_integer(weight.into()) * &self.mu[j - 1]
        };
        let mut total = term(i, true);
        for j in 1..i {
            let mut factor = Rational::from_integer(if hard {
                2.into()
            } else {
                (1i64 << (i - j)).into()
            });
            for l in j..i {
                factor *= self.amplification_bound(l);
            }
            total += factor * term(j, !hard);
        }
        total
    }

    fn contrast(&self, i: usize) -> Rational {
        &self.min[i - 1] / &self.max[i - 1]
    }
}

/// Cases `0..count` of the paper's entry for a variant, with seed 2017.
fn paper_cases(variant: Thresholding, count: u64) -> Vec<Instance<Rational>> {
    let entry = theorem2_support::paper_entry(variant);
    (0..count)
        .map(|case| entry.generate(&mut case_rng(2017, case)))
        .collect()
}

/// D1: `|Γ_{i+1}^max| (1 − (s_{i+1} − 1) μ_{i+1}) ≤ sqrt(p_i) |Γ_i^max|`, on every generated
/// instance (hypotheses met or not), compared on squares.
#[test]
fn lemma_amplification_between_layers_is_bounded_below() {
    let mut checked = 0;
    for variant in [Thresholding::Soft, Thresholding::Hard] {
        for instance in paper_cases(variant, 150) {
            let Some(profile) = depth_profile(&instance) else {
                continue;
            };
            for l in 1..instance.model.depth() {
                let left = &profile.max[l] * profile.amplification_bound(l);
                let p = Rational::from_integer((profile.p[l - 1] as i64).into());
                assert!(
                    square(&left) <= p * square(&profile.max[l - 1]),
                    "{}: D1 fails between layers {l} and {}",
                    instance.name,
                    l + 1
                );
                checked += 1;
            }
        }
    }
    eprintln!("D1: {checked} pairs of layers checked");
    assert!(checked >= 200);
}

/// D2: whenever the hypotheses hold at layers `1..=i`, the depth budget at layer `i` is below
/// the contrast `ρ_i`. Decided exactly on every generated case meeting the hypotheses; the
/// largest share of the budget used is printed per depth, and must reach a half, so that the
/// doubled budget (the negative control) is refuted by a real case.
#[test]
fn depth_budget_holds_whenever_the_hypotheses_do() {
    for variant in [
        Thresholding::Soft,
        Thresholding::Nonnegative,
        Thresholding::Hard,
    ] {
        let hard = variant == Thresholding::Hard;
        let mut met = 0;
        let mut doubled_refuted = 0;
        let mut largest_share = [0.0f64; 5];
        let mut largest_min_coherence = [0.0f64; 5];
        for instance in paper_cases(variant, 200) {
            if !check_theorem2(&instance).verdict.hypotheses_met() {
                continue;
            }
            let profile = depth_profile(&instance).expect("met cases have nonzero layers");
            let depth = instance.model.depth();
            met += 1;
            let mut refuted = false;
            for i in 1..=depth {
                let used = profile.budget_used(i, hard);
                let contrast = profile.contrast(i);
                assert!(
                    used < contrast,
                    "{}: depth budget {used} is not below ρ_{i} = {contrast}",
                    instance.name
                );
                refuted |= Rational::from_integer(2.into()) * &used >= contrast;
                let share = used.to_f64() / contrast.to_f64();
                largest_share[depth] = largest_share[depth].max(share);
            }
            doubled_refuted += usize::from(refuted);
            // Corollary D3: with s_j = 1 at every layer (soft), min μ_j < 1 / (2^K − 1).
            if profile.s.iter().all(|&s| s == 1) {
                let least = profile.mu.iter().min().expect("K ≥ 1").clone();
                if !hard {
                    let bound = Rational::new(1.into(), ((1i64 << depth) - 1).into());
                    assert!(least < bound, "{}: D3 fails", instance.name);
                }
                largest_min_coherence[depth] = largest_min_coherence[depth].max(least.to_f64());
            }
        }
        eprintln!(
            "D2 ({}): {met} met cases; doubled budget refuted by {doubled_refuted}",
            variant.name()
        );
        for depth in 1..=4 {
            eprintln!(
                "  K = {depth}: largest share of the budget used {:.3}; largest min μ_j with every s_j = 1: {:.2e} (D3 bound {:.4})",
                largest_share[depth],
                largest_min_coherence[depth],
                1.0 / ((1u32 << depth) - 1) as f64
            );
        }
        assert!(met >= 100, "{}: only {met} met cases", variant.name());
        assert!(
            doubled_refuted > 0,
            "{}: no case uses half of its depth budget, so the check is not near its edge",
            variant.name()
        );
    }
}

/// The depth study's equal-tap ladders: an atom of layer `i ≥ 2` writes `k` entries into one
/// stripe of layer `i − 1`, so there `(2s − 1) μ ≥ (2k − 1)/k > 1` and (a) fails at every depth
/// `K ≥ 2` (`src/campaign/depth_study.rs`), while thresholds chosen with knowledge of the
/// supports still recover every support in some cases: the theorem is conservative there.
#[test]
fn equal_tap_ladders_never_meet_hypothesis_a_below_the_last_layer_yet_are_sometimes_recoverable() {
    use mlcsc::campaign::depth_study::{
        DepthDesign, depth_study_instance, recoverable_by_some_thresholds,
    };
    let mut recoverable = 0;
    for k in [4, 9] {
        for stream in 0..24 {
            let instance = depth_study_instance(7, stream, 2, DepthDesign::EqualTaps(k));
            let report = check_theorem2(&instance);
            let layer1 = &report.layers[0];
            assert!(
                layer1.stripe_sparsity >= k,
                "s_1 = {}",
                layer1.stripe_sparsity
            );
            assert!(
                !layer1.hypothesis_a,
                "{}: (a) holds at layer 1",
                instance.name
            );
            recoverable += usize::from(recoverable_by_some_thresholds(&instance));
        }
    }
    eprintln!("equal-tap ladders, K = 2: {recoverable} of 48 recoverable by some thresholds");
    assert!(recoverable > 0);
}
