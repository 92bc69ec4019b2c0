//! Soundness guards tested at their edges: the `i128` bound of the integer views (inputs whose
//! sums sit at and just past the range of `i128`, against `BigRational`), the ReLU variant's
//! nonnegativity requirement and the modular stripe-spark shortcut (more than one test each),
//! and random instances that produce exact ties: a threshold equal to a correlation, a noise
//! budget equal to the measured noise.

use num_bigint::BigInt;
use proptest::prelude::*;

use mlcsc::conjecture::find;
use mlcsc::exact_linear_algebra::SPAN_MODULUS;
use mlcsc::io::InstanceFile;
use mlcsc::operators::{analysis, thresholded_analysis};
use mlcsc::small_rational::SmallRational;
use mlcsc::theorems::stripe_spark::{
    stripe_spark, stripe_spark_by_all_supports, stripe_spark_in_rationals, stripe_spark_modulo,
};
use mlcsc::theorems::theorem2::check_theorem2;
use mlcsc::theorems::verdict::Verdict;
use mlcsc::thresholding::Thresholding;
use mlcsc::{Layer, LayerVector, Rational, Threshold};

use crate::common::config;

const REGRESSIONS: &str = "proptest-regressions/soundness_edges.txt";

/// `2^bits − 1`, the largest integer of `bits` bits, with the given sign.
fn all_ones(bits: u32, negative: bool) -> Rational {
    let value: BigInt = (BigInt::from(1) << bits) - BigInt::from(1);
    Rational::from_integer(if negative { -value } else { value })
}

/// A layer of one filter of `taps` taps, each `tap` (not unit: the operators do not need it),
/// and a signal of `2 taps − 1` entries, each `entry`: every correlation sums `taps` products
/// of the same sign, `taps · tap · entry`.
fn edge_case(
    taps: usize,
    tap: &Rational,
    entry: &Rational,
) -> (Layer<Rational>, LayerVector<Rational>) {
    let filters = vec![vec![vec![tap.clone()]; taps]];
    let layer = Layer::new_unchecked_norm(1, filters).expect("a layer");
    let length = 2 * taps - 1;
    let signal =
        LayerVector::from_entries(length, 1, vec![entry.clone(); length]).expect("a vector");
    (layer, signal)
}

fn small(
    layer: &Layer<Rational>,
    v: &LayerVector<Rational>,
) -> (Layer<SmallRational>, LayerVector<SmallRational>) {
    (
        layer.map(|x: &Rational| SmallRational::from(x)),
        v.map(|x: &Rational| SmallRational::from(x)),
    )
}

/// The integer views form sums in `i128` only when `bits(f) + bits(z) + bits(n m_{i-1}) ≤ 126`
/// (src/operators/integer.rs). Sums of `n` products of all-ones integers of `a` and `b` bits
/// reach `n (2^a − 1)(2^b − 1)`: past `2^127` (outside `i128`) for `a + b + bits(n) ≥ 128`.
/// Every total from 120 to 134 bits is checked against `BigRational`: a bound relaxed to 127
/// would still be exact, one relaxed to 128 or more (130) would wrap and fail here.
#[test]
fn integer_views_are_exact_at_and_past_the_i128_bound() {
    let taps = 4; // bits(4) = 3
    let mut compared = 0;
    for total in 120u32..=134 {
        let product_bits = total - 3;
        for tap_bits in [product_bits / 2, 1, product_bits - 1] {
            let entry_bits = product_bits - tap_bits;
            for negative in [false, true] {
                let tap = all_ones(tap_bits, negative);
                let entry = all_ones(entry_bits, false);
                let (layer, signal) = edge_case(taps, &tap, &entry);
                let exact = analysis(&layer, &signal);
                let (small_layer, small_signal) = small(&layer, &signal);
                let viewed = analysis(&small_layer, &small_signal).map(SmallRational::to_big);
                assert_eq!(
                    viewed, exact,
                    "analysis, {total} bits ({tap_bits} + {entry_bits} + 3)"
                );
                // Thresholded, with a threshold just below every sum: every entry survives.
                let sum = &exact.entries()[0];
                let beta = num_traits::Signed::abs(sum) - Rational::from_integer(1.into());
                for thresholding in [
                    Thresholding::Soft,
                    Thresholding::Hard,
                    Thresholding::Nonnegative,
                ] {
                    let expected = thresholding.apply_vector(&exact, &beta);
                    let found = thresholded_analysis(
                        &small_layer,
                        &small_signal,
                        thresholding,
                        &Threshold::Shared(SmallRational::from(&beta)),
                    )
                    .map(SmallRational::to_big);
                    assert_eq!(found, expected, "{thresholding:?}, {total} bits");
                }
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 15 * 3 * 2);
}

/// The same edge over a common denominator: entries `p / q` with numerators and the view's
/// common denominator making up the bits.
#[test]
fn integer_views_over_a_common_denominator_are_exact_past_the_bound() {
    for total in 124u32..=132 {
        let product_bits = total - 3;
        let tap = all_ones(product_bits / 2, false);
        // Entries (2^b − 1) / 3 and 1 / 3: over the common denominator 3 the numerators keep b bits.
        let entry =
            all_ones(product_bits - product_bits / 2, true) / Rational::from_integer(3.into());
        let (layer, signal) = edge_case(4, &tap, &entry);
        let exact = analysis(&layer, &signal);
        let (small_layer, small_signal) = small(&layer, &signal);
        assert_eq!(
            analysis(&small_layer, &small_signal).map(SmallRational::to_big),
            exact,
            "{total} bits"
        );
    }
}

/// A one-layer instance over `N = 8` (a Dirac first layer, then `filters`), Γ_K with `gamma`
/// at position 1, in the given variant.
fn two_layer(variant: &str, second: &str, gamma: &str) -> String {
    format!(
        r#"{{"format":"mlcsc-instance-1","signal-length":8,"thresholding":"{variant}","layers":[{{"filters":[[["1"]]],"threshold":"1/10"}},{{"filters":[{second}],"threshold":"1/10"}}],"deepest-representation":[{{"position":1,"channel":0,"value":"{gamma}"}}],"noise":[]}}"#
    )
}

/// A failed hypothesis: its layer and its name.
type Failure = Option<(usize, String)>;

/// The failed hypothesis of the exact check and of the `f64` screen of `theorem2-nonnegative`.
fn relu_failures(text: &str) -> (Failure, Failure) {
    let file = InstanceFile::parse(text).expect("parses");
    let exact = file.to_exact().expect("exact");
    let entry = find("theorem2-nonnegative").expect("registered");
    let name = |verdict: &Verdict| match verdict {
        Verdict::Vacuous(f) => Some((f.layer, f.hypothesis.to_string())),
        _ => None,
    };
    let exact_failure = name(&check_theorem2(&exact).verdict);
    let screened = entry
        .screen(&file.to_f64().expect("f64"))
        .expect("a screen")
        .expect("decided");
    (exact_failure, name(&screened.verdict))
}

#[test]
fn the_relu_variant_refuses_a_negative_inner_layer_exactly_and_in_f64() {
    // Γ_2 = 1 ≥ 0, but the second layer's filter (3/5, −4/5) makes Γ_1 hold −4/5.
    let text = two_layer("nonnegative", r#"[["3/5"],["-4/5"]]"#, "1");
    let expected = Some((1, "nonnegative-representation".to_string()));
    assert_eq!(relu_failures(&text), (expected.clone(), expected));
    // The soft variant has no such hypothesis.
    let soft = InstanceFile::parse(&two_layer("soft", r#"[["3/5"],["-4/5"]]"#, "1"))
        .and_then(|f| f.to_exact())
        .expect("exact");
    assert!(!matches!(
        check_theorem2(&soft).verdict,
        Verdict::Vacuous(ref f) if f.hypothesis == "nonnegative-representation"
    ));
}

#[test]
fn the_relu_variant_accepts_zero_entries_and_names_the_first_negative_layer() {
    // (3/5, 4/5) and Γ_2 = 1: Γ_1 ≥ 0 with zeros elsewhere: the requirement is Γ_i ≥ 0, and 0
    // passes it.
    let nonnegative = two_layer("nonnegative", r#"[["3/5"],["4/5"]]"#, "1");
    let (exact, screened) = relu_failures(&nonnegative);
    for failure in [exact, screened] {
        assert!(
            failure
                .as_ref()
                .is_none_or(|(_, name)| name != "nonnegative-representation"),
            "{failure:?}"
        );
    }
    // Γ_2 = −1: Γ_1 = D_2 Γ_2 is negative too, and the first negative layer is named.
    let negative = two_layer("nonnegative", r#"[["3/5"],["4/5"]]"#, "-1");
    let expected = Some((1, "nonnegative-representation".to_string()));
    let (exact, screened) = relu_failures(&negative);
    assert_eq!((exact.clone(), screened), (expected.clone(), expected));
}

/// `(3/5, 4/5)` over `N = 3`: the circulant has determinant `7 · 13`, so its columns are
/// independent over `Q` but dependent modulo 7 and modulo 13.
fn full_rank_but_singular_modulo_7_and_13() -> Layer<Rational> {
    let (a, b) = (
        Rational::new(3.into(), 5.into()),
        Rational::new(4.into(), 5.into()),
    );
    Layer::new(1, vec![vec![vec![a], vec![b]]]).expect("unit")
}

#[test]
fn a_false_dependency_modulo_a_prime_is_never_reported_as_a_circuit() {
    let layer = full_rank_but_singular_modulo_7_and_13();
    let exact = stripe_spark_in_rationals(&layer, 3);
    assert_eq!(exact.spark, None, "independent columns have no circuit");
    for modulus in [7, 13] {
        assert!(
            stripe_spark_modulo(&layer, 3, modulus).is_none(),
            "modulo {modulus}: the dependency must be refuted, not reported"
        );
    }
    for modulus in [11, SPAN_MODULUS] {
        let spark = stripe_spark_modulo(&layer, 3, modulus).expect("no false dependency");
        let summary = |s: &mlcsc::theorems::stripe_spark::StripeSpark| {
            (s.spark, s.witness.clone(), s.coverage.supports_enumerated)
        };
        assert_eq!(summary(&spark), summary(&exact), "modulo {modulus}");
        assert_eq!(summary(&stripe_spark(&layer, 3)), summary(&exact));
    }
}

#[test]
fn the_modular_search_meets_the_definition_on_a_dependent_dictionary() {
    // Two copies of the Dirac filter: atom (p, 0) = atom (p, 1), a circuit of stripe sparsity 2.
    let one = Rational::from_integer(1.into());
    let layer = Layer::new(1, vec![vec![vec![one.clone()]], vec![vec![one]]]).expect("unit");
    for length in [1, 2, 3] {
        let definition = stripe_spark_by_all_supports(&layer, length);
        assert_eq!(definition.spark, Some(2), "N = {length}");
        for modulus in [2, 3, SPAN_MODULUS] {
            let spark = stripe_spark_modulo(&layer, length, modulus).expect("true dependencies");
            assert_eq!(spark.spark, definition.spark, "N = {length}, p = {modulus}");
            assert_eq!(stripe_spark(&layer, length).spark, Some(2));
        }
    }
}

proptest! {
    #![proptest_config(config(64, REGRESSIONS))]

    /// A threshold equal to a correlation `|(D^T Z)_k|`, drawn at random: the integer views
    /// decide the tie as the operator's formula does, in every variant.
    #[test]
    fn thresholds_tied_with_a_correlation_are_decided_by_the_formula(
        taps in proptest::collection::vec(-9i64..=9, 1..=4),
        entries in proptest::collection::vec(-20i64..=20, 7),
        denominator in 1i64..=12,
        pick in 0usize..7,
    ) {
        prop_assume!(taps.iter().any(|&t| t != 0));
        let r = |n: i64, d: i64| Rational::new(n.into(), d.into());
        let filters = vec![taps.iter().map(|&t| vec![r(t, 5)]).collect()];
        let layer = Layer::new_unchecked_norm(1, filters).expect("a layer");
        let length = entries.len().max(2 * taps.len() - 1);
        let mut values: Vec<Rational> = entries.iter().map(|&e| r(e, denominator)).collect();
        values.resize(length, r(0, 1));
        let signal = LayerVector::from_entries(length, 1, values).expect("a vector");
        let exact = analysis(&layer, &signal);
        let beta = num_traits::Signed::abs(&exact.entries()[pick % length]);
        let (small_layer, small_signal) = small(&layer, &signal);
        for thresholding in [Thresholding::Soft, Thresholding::Hard, Thresholding::Nonnegative] {
            let expected = thresholding.apply_vector(&exact, &beta);
            let found = thresholded_analysis(&small_layer, &small_signal, thresholding, &Threshold::Shared(SmallRational::from(&beta)))
                .map(SmallRational::to_big);
            prop_assert_eq!(&found, &expected, "{:?}", thresholding);
            // At the tie itself: soft and hard give 0.
            if thresholding != Thresholding::Nonnegative {
                prop_assert_eq!(found.entries()[pick % length].clone(), r(0, 1));
            }
        }
    }

    /// A declared noise budget equal to the measured `‖E‖^P_{2,∞}` (one noise entry per patch,
    /// so the norm is rational), drawn at random: the hypothesis `ε_0 ≥ ‖E‖` is met at
    /// equality, and a budget one part in a thousand smaller is not.
    #[test]
    fn a_noise_budget_equal_to_the_measured_noise_meets_the_hypothesis(
        numerator in 1i64..=40,
        denominator in 1i64..=64,
        negative in any::<bool>(),
    ) {
        let noise = format!("{}{numerator}/{denominator}", if negative { "-" } else { "" });
        let budget = |b: String| format!(
            r#"{{"format":"mlcsc-instance-1","signal-length":8,"thresholding":"soft","layers":[{{"filters":[[["1"]]],"threshold":"1/10"}}],"deepest-representation":[{{"position":1,"channel":0,"value":"1"}}],"noise":[{{"position":4,"channel":0,"value":"{noise}"}}],"noise-budget":"{b}"}}"#
        );
        let vacuous_for_budget = |text: String| {
            let instance = InstanceFile::parse(&text).and_then(|f| f.to_exact()).expect("valid");
            matches!(check_theorem2(&instance).verdict, Verdict::Vacuous(ref f) if f.hypothesis == "noise-budget")
        };
        let at_budget = budget(format!("{numerator}/{denominator}"));
        let below = budget(format!("{}/{}", 999 * numerator, 1000 * denominator));
        let met = !vacuous_for_budget(at_budget);
        let short = vacuous_for_budget(below);
        prop_assert!(met);
        prop_assert!(short);
    }
}
