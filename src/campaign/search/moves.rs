//! The exact moves of the second stage on an instance: thresholds within their windows, noise
//! turned toward the support or rescaled, coefficients of `Γ_K` rescaled.

use super::*;
use crate::theorems::theorem2_bounds::{NextEpsilon, WindowPlacement};
use crate::threshold::Threshold;

pub(super) fn r(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

/// A step of random sign and a size spread over two orders of magnitude, `±10^-u` with
/// `u ∈ [0, 2)`: coarse steps move far, fine ones settle next to a boundary.
pub(super) fn signed_step(rng: &mut ChaCha8Rng) -> f64 {
    let size = 10f64.powf(-rng.random_range(0.0..2.0));
    if rng.random_bool(0.5) { size } else { -size }
}

/// The largest rational with denominator `2^32` not above `x ≥ 0`.
pub(super) fn rational_below(x: f64) -> Rational {
    r(
        (x.max(0.0) * MOVE_DENOMINATOR as f64).floor() as i64,
        MOVE_DENOMINATOR,
    )
}

/// `noise` scaled by the largest rational `λ` (denominator `2^32`) with
/// `λ² (‖noise‖^P_{2,∞})² ≤ level²`.
pub(super) fn scaled_into(
    noise: &LayerVector<Rational>,
    width: usize,
    level: &Rational,
) -> LayerVector<Rational> {
    let energy = patch_norm_squared(noise, width);
    if energy.is_zero() {
        return noise.clone();
    }
    let mut scale = rational_below(level.to_f64() / energy.to_f64().sqrt());
    let level_squared = level * level;
    while &scale * &scale * &energy > level_squared {
        scale -= r(1, MOVE_DENOMINATOR);
    }
    noise.map(|v| v * &scale)
}

/// One random exact move of an instance (see the module documentation).
pub(super) fn moved(
    instance: &Instance<Rational>,
    report: &Theorem2Report,
    rng: &mut ChaCha8Rng,
) -> Instance<Rational> {
    let mut next = instance.clone();
    let mut thetas: Vec<f64> = report
        .layers
        .iter()
        .map(|l| l.window_position.clamp(1e-6, 1.0 - 1e-6))
        .collect();
    let width = instance.model.layer(1).filter_length();
    let energy = patch_norm_squared(&instance.noise, width);
    // The noise level kept by noise moves: the declared budget, or the current patch norm; a
    // noise-free case starts from a sixteenth of its smallest coefficient at layer 1.
    let (_, chain) = instance.signal_and_chain();
    let mut level = instance
        .noise_budget
        .clone()
        .unwrap_or_else(|| rational_below(energy.to_f64().sqrt()));
    if !level.is_positive() {
        level = chain[1]
            .support_magnitude_range()
            .map_or(r(0, 1), |(low, _)| low / r(16, 1));
    }
    match rng.random_range(0..4) {
        0 => {
            let i = rng.random_range(0..thetas.len());
            thetas[i] = match rng.random_range(0..5) {
                0 => 1.0 - 1e-6,
                1 => 1e-6,
                _ => (thetas[i] + 0.1 * signed_step(rng)).clamp(1e-6, 1.0 - 1e-6),
            };
        }
        1 if level.is_positive() => {
            let support: Vec<(usize, usize, bool)> = chain[1]
                .support()
                .map(|(p, c, v)| (p, c, v.is_positive()))
                .collect();
            let (p, c, positive) = support[rng.random_range(0..support.len())];
            let mut unit = LayerVector::zeros(chain[1].length(), chain[1].channels());
            unit.set(p, c, r(if positive { -1 } else { 1 }, 1));
            let atom = synthesis(instance.model.layer(1), &unit).map(|v| v * &level);
            let weight = r(rng.random_range(1..=4), 4);
            let mixed = instance
                .noise
                .map(|v| v * (r(1, 1) - &weight))
                .sum(&atom.map(|v| v * &weight));
            next.noise = scaled_into(&mixed, width, &level);
            if instance.noise_budget.is_some() || instance.is_noiseless() {
                next.noise_budget = Some(level.clone());
            }
        }
        2 if level.is_positive() => {
            // The noise level (and a declared budget with it) scaled by a factor in (1/2, 3/2).
            let scaled = &level * rational_below(1.0 + 0.5 * signed_step(rng));
            next.noise = scaled_into(&instance.noise, width, &scaled);
            if instance.noise_budget.is_some() {
                next.noise_budget = Some(scaled);
            }
        }
        _ => {
            // One coefficient of Γ_K rescaled by a factor in (3/4, 5/4), or its sign flipped.
            let gamma = &instance.deepest_representation;
            let support: Vec<(usize, usize)> = gamma.support().map(|(p, c, _)| (p, c)).collect();
            let (p, c) = support[rng.random_range(0..support.len())];
            let flip = instance.thresholding != Thresholding::Nonnegative && rng.random_bool(0.25);
            let factor = if flip {
                r(-1, 1)
            } else {
                rational_below(1.0 + 0.25 * signed_step(rng))
            };
            let value = gamma.get(p, c) * factor;
            next.deepest_representation.set(p, c, value);
        }
    }
    placed(next, &thetas)
}

/// The instance with every threshold placed at the given position of its window, layer by
/// layer (each window depends on the thresholds above it through `ε_{i-1}`); placement in `f64`
/// from the instance's own quantities, the verdict is decided exactly afterwards.
pub(super) fn placed(mut instance: Instance<Rational>, thetas: &[f64]) -> Instance<Rational> {
    let report = check_theorem2_statement(&instance.to_f64(), Statement::PAPER);
    let mut epsilon = report.epsilon_0;
    for (i, (l, theta)) in report.layers.iter().zip(thetas).enumerate() {
        let profile = profile_of_report(l);
        let beta = rational_below(profile.threshold_at(&epsilon, theta));
        epsilon = profile.next_epsilon(epsilon, beta.to_f64(), instance.thresholding);
        instance.thresholds[i] = Threshold::Shared(beta);
    }
    instance
}
