//! Thresholds and noise for a separable ladder, as for the strided ladders on a line
//! (`crate::generate::real_layers`), read off the image: each channel's threshold at a drawn
//! position of its window, the noise budget a drawn fraction of the largest `ε_0` the windows
//! admit, and the noise on rows `0, n_h, 2 n_h, …` of the signal (`n_h` the first layer's
//! filter height), so that every atom support of layer 1 meets at most one noisy row and the
//! noise's energy over it is at most that row's (G13). The `f64` arithmetic only places
//! numbers; every verdict is decided exactly afterwards.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::generate::real_layers::placement::{Placed, largest_noise, profiles, run_chain};
use crate::generate::theorem2::{
    PLACEMENT_DENOMINATOR, draw_noise, rational_below, threshold_rational,
};
use crate::model::{FilterShape, LayerVector, Model};
use crate::scalar::{Rational, Scalar};
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

/// Draws the window positions (early layers at most their cap, the last anywhere inside),
/// the largest admissible `ε_0` by bisection, a fraction of it, and places every threshold.
pub(super) fn place_on_image(
    rng: &mut ChaCha8Rng,
    model: &Model<Rational>,
    gamma: &LayerVector<Rational>,
    last_patch: FilterShape,
    theta_caps: &[f64],
    variant: Thresholding,
) -> Placed {
    let profiles = profiles(model, gamma, last_patch);
    let depth = profiles.len();
    let thetas: Vec<Vec<f64>> = (0..depth)
        .map(|i| {
            (0..profiles[i].channel_coherence.len())
                .map(|_| {
                    if i + 1 < depth {
                        rng.random_range(1e-6..theta_caps[i].max(2e-6))
                    } else {
                        rng.random_range(0.02..0.98)
                    }
                })
                .collect()
        })
        .collect();
    let largest = largest_noise(&profiles, &thetas, variant);
    let fraction = if rng.random_bool(0.2) {
        0.0
    } else {
        rng.random_range(0.05..0.95)
    };
    let budget = rational_below(fraction * largest, PLACEMENT_DENOMINATOR);
    let epsilon_0 = budget.to_f64();
    let placed = run_chain(&profiles, &thetas, epsilon_0, variant)
        .or_else(|| run_chain(&profiles, &thetas, 0.0, variant));
    let thresholds = match placed {
        Some(layers) => layers
            .iter()
            .map(|betas| {
                let values = betas.iter().map(|&(b, room)| threshold_rational(b, room));
                Threshold::per_channel(values.collect())
            })
            .collect(),
        None => profiles
            .iter()
            .map(|p| Threshold::Shared(rational_below(p.gamma_max, PLACEMENT_DENOMINATOR)))
            .collect(),
    };
    let noise = if epsilon_0 > 0.0 {
        noise_on_rows(rng, model, &budget)
    } else {
        LayerVector::zeros_on(model.grid(0), model.input_channels())
    };
    Placed {
        thresholds,
        noise,
        noise_budget: (epsilon_0 > 0.0).then_some(budget),
    }
}

/// Noise on rows `0, n_h, 2 n_h, …` (while `k n_h + n_h ≤ H_0`, so that cyclically too every
/// `n_h` consecutive rows hold at most one), each row a line whose largest energy over windows
/// of `n_w` columns is at most `budget²`.
fn noise_on_rows(
    rng: &mut ChaCha8Rng,
    model: &Model<Rational>,
    budget: &Rational,
) -> LayerVector<Rational> {
    let (grid, channels) = (model.grid(0), model.input_channels());
    let shape = model.layer(1).filter_shape();
    let mut noise = LayerVector::zeros_on(grid, channels);
    let mut row = 0;
    while row + shape.rows <= grid.rows {
        let line = draw_noise(rng, grid.columns, channels, shape.columns, budget);
        for (p, c, value) in line.support() {
            noise.set(grid.position(row, p), c, value.clone());
        }
        row += shape.rows;
    }
    noise
}
