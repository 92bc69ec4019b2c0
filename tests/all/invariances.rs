//! Invariances of the convolutional model (docs/math.md §1–§3), exactly in rationals:
//!
//! - a sign flip of filter `c` flips channel `c` of `Dᵀ Z`, leaves `D Γ` unchanged when channel
//!   `c` of `Γ` flips with it, and leaves `μ` unchanged;
//! - a permutation of the filters permutes the channels of `Dᵀ Z` and `Γ` and leaves `μ`
//!   unchanged;
//! - circular shifts commute with the operators: `D (shift_k Γ) = shift_k (D Γ)` and
//!   `Dᵀ (shift_k Z) = shift_k (Dᵀ Z)`, and through the whole synthesis chain;
//! - patch and stripe norms are shift-invariant.

use crate::common::{
    check_with_hypotheses, config, find_counterexamples, negated_channel, permuted_channels,
    permuted_filters,
};
use mlcsc::coherence::mutual_coherence;
use mlcsc::generate::random::{layer_case_strategy, model_and_vectors_strategy, seeded_rng};
use mlcsc::norms::{patch_norm_squared, patch_sparsity, stripe_sparsity};
use mlcsc::operators::{analysis, synthesis};
use mlcsc::{Layer, Model, Rational};
use num_traits::Zero;
use proptest::prelude::*;
use rand::RngExt;

const REGRESSIONS: &str = "proptest-regressions/invariances.txt";

fn with_filter_negated(layer: &Layer<Rational>, number: usize, c: usize) -> Layer<Rational> {
    let mut filters = layer.nested_filters();
    for tap in &mut filters[c] {
        for v in tap.iter_mut() {
            *v = -v.clone();
        }
    }
    Layer::new(number, filters).expect("a negated unit filter is unit")
}

fn with_input_channel_negated(layer: &Layer<Rational>, number: usize, k: usize) -> Layer<Rational> {
    let mut filters = layer.nested_filters();
    for filter in &mut filters {
        for tap in filter.iter_mut() {
            tap[k] = -tap[k].clone();
        }
    }
    Layer::new(number, filters).expect("negating entries keeps unit norm")
}

/// A uniformly random permutation of `0..m` (Fisher–Yates on a seeded ChaCha stream).
fn random_permutation(m: usize, seed: u64) -> Vec<usize> {
    let mut rng = seeded_rng(seed);
    let mut order: Vec<usize> = (0..m).collect();
    for i in (1..m).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    order
}

/// Counted hypothesis: channel `c` of `Dᵀ Z` is nonzero, so that the flip is visible.
#[test]
fn flipping_the_sign_of_a_filter_flips_its_channel() {
    check_with_hypotheses(
        "flipping_the_sign_of_a_filter_flips_its_channel",
        config(256, REGRESSIONS),
        0.3,
        (layer_case_strategy(3, 3, 2, 4), any::<usize>()),
        |(case, choice)| {
            let c = choice % case.layer.filter_count();
            let flipped = with_filter_negated(&case.layer, 1, c);
            let correlations = analysis(&case.layer, &case.input);
            prop_assert_eq!(
                analysis(&flipped, &case.input),
                negated_channel(&correlations, c)
            );
            prop_assert_eq!(
                synthesis(&flipped, &negated_channel(&case.gamma, c)),
                synthesis(&case.layer, &case.gamma)
            );
            prop_assert_eq!(mutual_coherence(&flipped), mutual_coherence(&case.layer));
            let visible = (0..case.signal_length).any(|p| !correlations.get(p, c).is_zero());
            Ok(visible)
        },
    );
}

/// Counted hypothesis: the permutation is not the identity.
#[test]
fn permuting_the_filters_permutes_the_channels() {
    check_with_hypotheses(
        "permuting_the_filters_permutes_the_channels",
        config(256, REGRESSIONS),
        0.3,
        (layer_case_strategy(4, 3, 2, 4), any::<u64>()),
        |(case, seed)| {
            let order = random_permutation(case.layer.filter_count(), seed);
            let permuted = permuted_filters(&case.layer, &order);
            prop_assert_eq!(
                analysis(&permuted, &case.input),
                permuted_channels(&analysis(&case.layer, &case.input), &order)
            );
            prop_assert_eq!(
                synthesis(&permuted, &permuted_channels(&case.gamma, &order)),
                synthesis(&case.layer, &case.gamma)
            );
            prop_assert_eq!(mutual_coherence(&permuted), mutual_coherence(&case.layer));
            Ok(order.iter().enumerate().any(|(j, &source)| j != source))
        },
    );
}

/// Counted hypothesis: the shift is not a multiple of `N` and `Γ`, `Z` are not both zero.
#[test]
fn circular_shifts_commute_with_synthesis_and_analysis() {
    check_with_hypotheses(
        "circular_shifts_commute_with_synthesis_and_analysis",
        config(256, REGRESSIONS),
        0.3,
        (layer_case_strategy(3, 4, 3, 6), any::<usize>()),
        |(case, choice)| {
            let k = choice % case.signal_length;
            prop_assert_eq!(
                synthesis(&case.layer, &case.gamma.shifted(k)),
                synthesis(&case.layer, &case.gamma).shifted(k)
            );
            prop_assert_eq!(
                analysis(&case.layer, &case.input.shifted(k)),
                analysis(&case.layer, &case.input).shifted(k)
            );
            let nonzero = case.gamma.count_nonzeros() + case.input.count_nonzeros() > 0;
            Ok(k != 0 && nonzero)
        },
    );
}

/// Through all layers: the chain of `shift_k Γ_K` is the shifted chain of `Γ_K`. Counted
/// hypothesis: depth at least 2 and a shift that is not a multiple of `N`.
#[test]
fn circular_shifts_commute_with_the_synthesis_chain() {
    check_with_hypotheses(
        "circular_shifts_commute_with_the_synthesis_chain",
        config(128, REGRESSIONS),
        0.2,
        (model_and_vectors_strategy(3, 3, 3, 3), any::<usize>()),
        |(case, choice)| {
            let k = choice % case.model.signal_length();
            let chain = case
                .model
                .synthesis_chain(&case.deepest)
                .expect("valid shape");
            let shifted = case
                .model
                .synthesis_chain(&case.deepest.shifted(k))
                .expect("valid shape");
            for (a, b) in chain.iter().zip(&shifted) {
                prop_assert_eq!(&a.shifted(k), b);
            }
            Ok(case.model.depth() >= 2 && k != 0)
        },
    );
}

/// Negating filter `c` of layer `i` and input channel `c` of every filter of layer `i + 1`
/// leaves the signal `X = D_1 ⋯ D_K Γ_K` unchanged and negates channel `c` of `Γ_i` (the sign
/// ambiguity of a CNN's hidden channels). Counted hypothesis: depth at least 2.
#[test]
fn a_hidden_sign_flip_leaves_the_signal_unchanged() {
    check_with_hypotheses(
        "a_hidden_sign_flip_leaves_the_signal_unchanged",
        config(128, REGRESSIONS),
        0.3,
        (model_and_vectors_strategy(3, 3, 3, 3), any::<usize>()),
        |(case, choice)| {
            let model = &case.model;
            let depth = model.depth();
            if depth < 2 {
                return Ok(false);
            }
            let i = 1 + choice % (depth - 1);
            let c = (choice / depth) % model.channels(i);
            let mut layers = model.layers().to_vec();
            layers[i - 1] = with_filter_negated(model.layer(i), i, c);
            layers[i] = with_input_channel_negated(model.layer(i + 1), i + 1, c);
            let flipped = Model::new(model.signal_length(), model.input_channels(), layers)
                .expect("same shapes");
            let chain = model.synthesis_chain(&case.deepest).expect("valid shape");
            let flipped_chain = flipped.synthesis_chain(&case.deepest).expect("valid shape");
            for (j, (a, b)) in chain.iter().zip(&flipped_chain).enumerate() {
                if j == i {
                    prop_assert_eq!(&negated_channel(a, c), b);
                } else {
                    prop_assert_eq!(a, b, "Γ_{} changed", j);
                }
            }
            Ok(true)
        },
    );
}

/// Negative control: the shift commutation has a direction. `Dᵀ (shift_k Z)` is not
/// `shift_{-k} (Dᵀ Z)` in general, and the same exact comparison finds such cases.
#[test]
fn negative_control_a_shift_in_the_wrong_direction_is_caught() {
    find_counterexamples(
        "negative_control_a_shift_in_the_wrong_direction_is_caught",
        config(128, REGRESSIONS),
        0.2,
        (layer_case_strategy(3, 3, 2, 6), any::<usize>()),
        |(case, choice)| {
            let length = case.signal_length;
            let k = choice % length;
            let wrong = analysis(&case.layer, &case.input).shifted(length - k);
            Ok(analysis(&case.layer, &case.input.shifted(k)) != wrong)
        },
    );
}

/// `‖shift_k Z‖^P_{2,∞}(w) = ‖Z‖^P_{2,∞}(w)`, the same for `ℓ0,∞` at every width `w` (up to
/// `N + 1`), and `‖shift_k Γ‖^S_{0,∞} = ‖Γ‖^S_{0,∞}`. Counted hypothesis: a nonzero vector and
/// a shift that is not a multiple of `N`.
#[test]
fn patch_and_stripe_norms_are_shift_invariant() {
    check_with_hypotheses(
        "patch_and_stripe_norms_are_shift_invariant",
        config(256, REGRESSIONS),
        0.3,
        (layer_case_strategy(3, 4, 3, 6), any::<usize>()),
        |(case, choice)| {
            let length = case.signal_length;
            let k = choice % length;
            let z = &case.input;
            let shifted = z.shifted(k);
            for width in 1..=length + 1 {
                prop_assert_eq!(
                    patch_norm_squared(&shifted, width),
                    patch_norm_squared(z, width),
                    "ℓ2 at width {}",
                    width
                );
                prop_assert_eq!(
                    patch_sparsity(&shifted, width),
                    patch_sparsity(z, width),
                    "ℓ0 at width {}",
                    width
                );
            }
            let n = case.layer.filter_length();
            prop_assert_eq!(
                stripe_sparsity(&case.gamma.shifted(k), n),
                stripe_sparsity(&case.gamma, n)
            );
            Ok(k != 0 && z.count_nonzeros() > 0)
        },
    );
}
