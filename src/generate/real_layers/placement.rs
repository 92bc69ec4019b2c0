//! Thresholds and noise for a strided ladder: each channel's threshold at a drawn position of
//! its window, and the noise budget a drawn fraction of the largest `ε_0` the windows admit.
//! The `f64` arithmetic only places numbers; every verdict is decided exactly afterwards.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::generate::theorem2::{
    PLACEMENT_DENOMINATOR, draw_noise, rational_below, threshold_rational,
};
use crate::model::{FilterShape, Model};
use crate::scalar::{Rational, Scalar};
use crate::theorems::real_layers::{CoherenceSource, RealLayerProfile, real_layer_profile};
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

/// What placement fixes: the thresholds, the noise and its declared budget.
pub(crate) struct Placed {
    pub thresholds: Vec<Threshold<Rational>>,
    pub noise: crate::model::LayerVector<Rational>,
    pub noise_budget: Option<Rational>,
}

/// The per-layer profiles of the statement, in `f64` (the last patch `w_K`, a pair on images).
pub(crate) fn profiles(
    model: &Model<Rational>,
    gamma: &crate::model::LayerVector<Rational>,
    last_patch: FilterShape,
) -> Vec<RealLayerProfile<f64>> {
    let model = model.map(|v: &Rational| v.to_f64());
    let chain = model
        .synthesis_chain(&gamma.map(|v: &Rational| v.to_f64()))
        .expect("shapes fit");
    (1..=model.depth())
        .map(|i| real_layer_profile(&model, i, &chain[i], last_patch, CoherenceSource::PerAtom))
        .collect()
}

/// Runs the chain from `ε_0` with each threshold at position `θ_{i,c}` of its window;
/// `None` when some support channel's window is empty. Returns, per layer and channel,
/// `(β_{i,c}, β_{i,c} − low)`.
pub(crate) fn run_chain(
    profiles: &[RealLayerProfile<f64>],
    thetas: &[Vec<f64>],
    epsilon_0: f64,
    variant: Thresholding,
) -> Option<Vec<Vec<(f64, f64)>>> {
    let mut epsilon = epsilon_0;
    let mut placed = Vec::with_capacity(profiles.len());
    for (profile, thetas) in profiles.iter().zip(thetas) {
        let mut betas = Vec::with_capacity(thetas.len());
        for (c, &theta) in thetas.iter().enumerate() {
            let low = profile.window_low(c) + epsilon;
            let width = match profile.window_high(c) {
                Some(high) => high - epsilon - low,
                None => profile.gamma_max,
            };
            if width <= 1e-9 * profile.gamma_max {
                return None;
            }
            betas.push((low + theta * width, theta * width));
        }
        let threshold = Threshold::per_channel(betas.iter().map(|b| b.0).collect());
        let largest = profile.largest_entrywise_bound(&threshold, variant);
        epsilon = (profile.patch_sparsity as f64).sqrt() * (epsilon + largest);
        placed.push(betas);
    }
    Some(placed)
}

/// Draws the window positions (early layers at most their cap, the last anywhere inside),
/// the largest admissible `ε_0` by bisection, a fraction of it, and places every threshold.
pub(super) fn place(
    rng: &mut ChaCha8Rng,
    model: &Model<Rational>,
    gamma: &crate::model::LayerVector<Rational>,
    last_patch_width: usize,
    theta_caps: &[f64],
    variant: Thresholding,
) -> Placed {
    let profiles = profiles(model, gamma, FilterShape::line(last_patch_width));
    let depth = profiles.len();
    let thetas: Vec<Vec<f64>> = (0..depth)
        .map(|i| {
            let channels = profiles[i].channel_coherence.len();
            (0..channels)
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
                Threshold::per_channel(
                    betas
                        .iter()
                        .map(|&(b, room)| threshold_rational(b, room))
                        .collect(),
                )
            })
            .collect(),
        None => profiles
            .iter()
            .map(|p| Threshold::Shared(rational_below(p.gamma_max, PLACEMENT_DENOMINATOR)))
            .collect(),
    };
    let (noise, noise_budget) = if epsilon_0 > 0.0 {
        let (length, channels) = (model.length(0), model.input_channels());
        let width = model.layer(1).filter_length();
        (
            draw_noise(rng, length, channels, width, &budget),
            Some(budget),
        )
    } else {
        (
            crate::model::LayerVector::zeros(model.length(0), model.input_channels()),
            None,
        )
    };
    Placed {
        thresholds,
        noise,
        noise_budget,
    }
}

/// The largest `ε_0` at which every window stays non-empty, by bisection (0 when even the
/// noise-free chain fails).
pub(crate) fn largest_noise(
    profiles: &[RealLayerProfile<f64>],
    thetas: &[Vec<f64>],
    variant: Thresholding,
) -> f64 {
    if run_chain(profiles, thetas, 0.0, variant).is_none() {
        return 0.0;
    }
    let (mut low, mut high) = (0.0, profiles[0].gamma_max.max(1.0));
    for _ in 0..60 {
        let middle = 0.5 * (low + high);
        if run_chain(profiles, thetas, middle, variant).is_some() {
            low = middle;
        } else {
            high = middle;
        }
    }
    low
}
