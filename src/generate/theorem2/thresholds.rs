//! Threshold placement: each `β_i` inside its window of hypothesis (b), rounded onto a grid
//! fine enough that rounding never leaves the window.

use super::*;
use crate::theorems::theorem2_bounds::{NextEpsilon, WindowPlacement};

/// The largest admissible `ε_0` for thresholds at the window positions `thetas`, by bisection
/// (the chain is increasing in `ε_0`); 0 when even the noise-free chain fails.
pub(super) fn largest_noise_budget(
    layer_placements: &[Placement],
    thetas: &[f64],
    variant: Thresholding,
) -> f64 {
    let mut high = layer_placements.first().map_or(0.0, |l| l.gamma_min);
    let mut low = 0.0;
    if !chain_holds(layer_placements, thetas, 0.0, variant) {
        high = 0.0;
    }
    for _ in 0..60 {
        let mid = 0.5 * (low + high);
        if chain_holds(layer_placements, thetas, mid, variant) {
            low = mid;
        } else {
            high = mid;
        }
    }
    low
}

/// Whether the `ε` chain from `ε_0` with thresholds at positions `θ_i` meets (a) at every
/// layer, with no thresholds kept (the bisection of the noise budget asks this sixty times a
/// case).
pub(super) fn chain_holds(
    layers: &[Placement],
    thetas: &[f64],
    epsilon_0: f64,
    variant: Thresholding,
) -> bool {
    let mut epsilon = epsilon_0;
    for (layer, &theta) in layers.iter().zip(thetas) {
        if layer.hypothesis_a_slack(&epsilon) <= 0.0 {
            return false;
        }
        let beta = layer.threshold_at(&epsilon, &theta);
        epsilon = layer.next_epsilon(epsilon, beta, variant);
    }
    true
}

/// Runs the `ε` chain from `ε_0` with thresholds at positions `θ_i`: each `β_i` and its room
/// above its window's lower end. The chain runs on through layers where (a) fails, which
/// places thresholds for a case that is vacuous by (a) at a deep layer.
pub(super) fn place_thresholds(
    layers: &[Placement],
    thetas: &[f64],
    epsilon_0: f64,
    variant: Thresholding,
) -> Vec<(f64, f64)> {
    let mut epsilon = epsilon_0;
    let mut betas = Vec::with_capacity(layers.len());
    for (layer, &theta) in layers.iter().zip(thetas) {
        let beta = layer.threshold_at(&epsilon, &theta);
        betas.push((beta, beta - layer.window_low(&epsilon)));
        epsilon = layer.next_epsilon(epsilon, beta, variant);
    }
    betas
}

/// A threshold `β` as a rational just below it: over [`PLACEMENT_DENOMINATOR`] when it lies
/// more than `2^-30` above its window's lower end (four steps of that grid), otherwise over
/// [`FINE_PLACEMENT_DENOMINATOR`], so that rounding down never moves `β` below a window it was
/// placed in (deep coherent ladders place early thresholds within `10^-9` of the lower end).
pub(crate) fn threshold_rational(beta: f64, room_below: f64) -> Rational {
    if room_below > (2.0f64).powi(-30) || beta >= 64.0 {
        rational_below(beta, PLACEMENT_DENOMINATOR)
    } else {
        rational_below(beta, FINE_PLACEMENT_DENOMINATOR)
    }
}
