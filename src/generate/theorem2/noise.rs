//! Noise within a budget, exactly: integer entries scaled so that the largest patch energy
//! stays at most the budget squared.

use super::*;
use rand::distr::{Bernoulli, Distribution};

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
    draw_small_noise(rng, length, channels, width, budget)
        .0
        .map(SmallRational::to_big)
}

/// [`draw_noise`] in machine-word rationals, with its largest patch energy at width `width`:
/// `λ² P`, since every entry is `λ e` (the patch energy of `E` is `λ²` times that of `e`).
pub(crate) fn draw_small_noise(
    rng: &mut ChaCha8Rng,
    length: usize,
    channels: usize,
    width: usize,
    budget: &Rational,
) -> (LayerVector<SmallRational>, SmallRational) {
    if budget.to_f64() <= 0.0 {
        return (small_zeros(length, channels), SmallRational::zero());
    }
    let mut integers: LayerVector<f64> = LayerVector::zeros(length, channels);
    let density = rng.random_range(0.1..1.0);
    // `random_bool(density)` with its threshold computed once: the same draws.
    let coin = Bernoulli::new(density).expect("a density in [0.1, 1)");
    // Entries in storage order (position-major, channel fastest): the order of the draws.
    let mut any = false;
    for entry in integers.entries_mut() {
        if coin.sample(rng) {
            let value: i64 = rng.random_range(-8..=8);
            *entry = value as f64;
            any |= value != 0;
        }
    }
    if !any {
        integers.set(0, 0, 1.0);
    }
    // Integer entries of magnitude at most 8: each square is at most 64, so every partial sum
    // and every sliding-window update of a patch energy is an integer of magnitude at most
    // `64 N m_0`, which `f64` represents exactly while `64 N m_0 ≤ 2^53`.
    debug_assert!(64 * (integers.length() * integers.channels()) as u64 <= 1 << 53);
    let energy = SmallRational::from_integer(patch_norm_squared(&integers, width) as i64);
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
    (scaled(&integers, k), scale(k) * scale(k) * energy)
}

/// The noise `v k / 2^32` of integer entries `v` (`|v| ≤ 8`, `0 ≤ k < 2^63`), each reduced by
/// the common powers of two (the numerator is odd unless the denominator is 1): the seventeen
/// values `v k / 2^32` are formed once, and each entry is a copy of its own.
fn scaled(integers: &LayerVector<f64>, k: i64) -> LayerVector<SmallRational> {
    let exponent = PLACEMENT_DENOMINATOR.trailing_zeros();
    let values: [SmallRational; 17] = std::array::from_fn(|i| {
        SmallRational::dyadic(i128::from(i as i64 - 8) * i128::from(k), exponent)
    });
    let entries = integers
        .entries()
        .iter()
        .map(|&v| values[(v as i64 + 8) as usize].clone())
        .collect();
    LayerVector::from_entries(integers.length(), integers.channels(), entries)
        .expect("the noise's shape")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// A Bernoulli coin built once draws what `random_bool` draws, call for call, so the
    /// noise's stream is the same; counts the draws of each outcome.
    #[test]
    fn a_coin_built_once_draws_what_random_bool_draws() {
        let (mut heads, mut tails) = (0, 0);
        for seed in 0..200 {
            let mut first = ChaCha8Rng::seed_from_u64(seed);
            let mut second = ChaCha8Rng::seed_from_u64(seed);
            let density = first.random_range(0.1..1.0);
            assert_eq!(density, second.random_range(0.1..1.0));
            let coin = Bernoulli::new(density).expect("a density in [0.1, 1)");
            for _ in 0..100 {
                let drawn = coin.sample(&mut first);
                assert_eq!(drawn, second.random_bool(density), "seed {seed}");
                heads += usize::from(drawn);
                tails += usize::from(!drawn);
            }
        }
        assert!(
            heads >= 5000 && tails >= 5000,
            "{heads} heads, {tails} tails"
        );
    }

    /// The scaled noise is each integer entry times `k / 2^32` as [`SmallRational::dyadic`]
    /// gives it, zeros included, over random vectors and scales of every size; counts the
    /// zero and nonzero entries compared.
    #[test]
    fn scaled_noise_is_the_dyadic_of_every_entry() {
        let mut rng = ChaCha8Rng::seed_from_u64(41);
        let (mut zeros, mut nonzeros) = (0, 0);
        for _ in 0..400 {
            let length = rng.random_range(1..=20usize);
            let channels = rng.random_range(1..=3usize);
            let mut integers: LayerVector<f64> = LayerVector::zeros(length, channels);
            for p in 0..length {
                for c in 0..channels {
                    if rng.random_bool(0.6) {
                        integers.set(p, c, rng.random_range(-8..=8i64) as f64);
                    }
                }
            }
            let k = rng.random_range(0..i64::MAX) >> rng.random_range(0..63u32);
            let plain =
                integers.map(|&v| SmallRational::dyadic(i128::from(v as i64) * i128::from(k), 32));
            assert_eq!(scaled(&integers, k), plain);
            zeros += integers.entries().iter().filter(|v| **v == 0.0).count();
            nonzeros += integers.count_nonzeros();
        }
        assert!(
            zeros >= 1000 && nonzeros >= 2000,
            "{zeros} zeros, {nonzeros} nonzeros"
        );
    }
}
