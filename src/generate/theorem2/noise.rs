//! Noise within a budget, exactly: integer entries scaled so that the largest patch energy
//! stays at most the budget squared.

use super::*;

/// A random noise vector whose largest patch energy at width `n_1` is at most `budget²`,
/// exactly: integer entries `e` scaled by `λ = k / 2^32`, with `k` the largest below the `f64`
/// estimate `budget / sqrt(P)` such that `λ² P ≤ budget²`, where `P` is the largest patch
/// energy of `e`. The energy and the scale are computed on machine words.
pub fn draw_noise(
    rng: &mut ChaCha8Rng,
    length: usize,
    channels: usize,
    width: usize,
    budget: &Rational,
) -> LayerVector<Rational> {
    if budget.to_f64() <= 0.0 {
        return LayerVector::zeros(length, channels);
    }
    let mut integers = LayerVector::zeros(length, channels);
    let density = rng.random_range(0.1..1.0);
    for p in 0..length {
        for c in 0..channels {
            if rng.random_bool(density) {
                integers.set(p, c, SmallRational::from_integer(rng.random_range(-8..=8)));
            }
        }
    }
    if integers.count_nonzeros() == 0 {
        integers.set(0, 0, SmallRational::one());
    }
    let energy = patch_norm_squared(&integers, width);
    let budget = SmallRational::from(budget);
    let budget_squared = &budget * &budget;
    let mut k = numerator_below(
        budget.to_f64() / energy.to_f64().sqrt(),
        PLACEMENT_DENOMINATOR,
    );
    let scale = |k: i64| SmallRational::new(k, PLACEMENT_DENOMINATOR);
    while scale(k) * scale(k) * energy.clone() > budget_squared {
        k -= 1;
    }
    let scale = scale(k);
    integers.map(|v| (v * &scale).to_big())
}
