//! Instances for the exhaustive results (uniqueness, stripe spark, stripe RIP, `DCP^E`
//! stability): one layer of the tiny catalogue ([`catalogue`]) at `N ∈ {2n − 1, 2n, 2n + 1}`
//! with at most [`MAX_ATOMS`] atoms, and a representation within a stripe budget, so that the
//! enumerations stay small; and the budgets they are drawn within.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::generate::catalogue::catalogue;
use crate::generate::random::random_representation_within_budget;
use crate::io::Instance;
use crate::model::stripe_width;
use crate::model::{Layer, LayerVector, Model};
use crate::pursuit::Thresholding;
use crate::scalar::Rational;
use crate::theorems::uniqueness_theorem::largest_budget_below_bound;
use crate::threshold::Threshold;

/// The most atoms `N · m` of a tiny instance.
pub const MAX_ATOMS: usize = 16;

/// The largest budget `λ ≥ 1` with `λ < ½ (1 + 1/μ)` for the layer, at most [`MAX_ATOMS`], or
/// 1 when even `λ = 1` is not below the bound.
pub fn budget_below_bound(layer: &Layer<Rational>) -> usize {
    largest_budget_below_bound(layer, MAX_ATOMS).unwrap_or(1)
}

/// A tiny instance within the largest budget below the uniqueness bound (uniqueness and
/// stability of the deep coding problem).
pub fn tiny_below_uniqueness_bound(rng: &mut ChaCha8Rng, name: &str) -> Instance<Rational> {
    tiny_instance(rng, name, budget_below_bound)
}

/// A tiny instance with one nonzero per stripe at most (the stripe spark lemma, which reads
/// only the layer).
pub fn tiny_one_per_stripe(rng: &mut ChaCha8Rng, name: &str) -> Instance<Rational> {
    tiny_instance(rng, name, |_| 1)
}

/// A tiny instance within a stripe budget `k` drawn from `1..=3` (the stripe RIP at `k`).
pub fn tiny_within_drawn_budget(rng: &mut ChaCha8Rng, name: &str) -> Instance<Rational> {
    let k = rng.random_range(1..=3usize);
    tiny_instance(rng, name, move |_| k)
}

/// A tiny one-layer instance: a catalogue layer at a small `N`, and `Γ_1` with stripe
/// sparsity at most `budget(layer)` (never zero). The thresholding fields are unused by the
/// exhaustive results.
pub fn tiny_instance(
    rng: &mut ChaCha8Rng,
    name: &str,
    budget: impl Fn(&Layer<Rational>) -> usize,
) -> Instance<Rational> {
    let choices: Vec<(Layer<Rational>, usize)> = catalogue()
        .into_iter()
        .flat_map(|(_, layer)| {
            let n = layer.filter_length();
            let count = layer.filter_count();
            let shortest = stripe_width(n);
            [shortest, shortest + 1, shortest + 2]
                .into_iter()
                .filter(move |length| length * count <= MAX_ATOMS)
                .map(move |length| (layer.clone(), length))
        })
        .collect();
    let (layer, length) = choices[rng.random_range(0..choices.len())].clone();
    let lambda = budget(&layer).max(1);
    let (channels, n) = (layer.filter_count(), layer.filter_length());
    let density = rng.random_range(0.2..0.9);
    let mut gamma =
        random_representation_within_budget(rng, length, channels, n, lambda, density, 4, false);
    if gamma.count_nonzeros() == 0 {
        gamma.set(0, 0, Rational::from_integer(1.into()));
    }
    let input_channels = layer.input_channels();
    let model = Model::new(length, input_channels, vec![layer]).expect("N ≥ 2n − 1");
    Instance {
        name: name.to_string(),
        source: name.to_string(),
        model,
        thresholding: Thresholding::Soft,
        thresholds: vec![Threshold::Shared(Rational::from_integer(0.into()))],
        deepest_representation: gamma,
        noise: LayerVector::zeros(length, input_channels),
        noise_budget: None,
        last_patch_width: 1,
        last_patch_rows: 1,
    }
}
