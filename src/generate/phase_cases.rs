//! Single-layer Theorem 2 instances built inside a cell of a phase-transition grid
//! ([`crate::campaign::phase`]): a stripe sparsity `s`, a contrast range and, optionally, a
//! noise-level range.
//!
//! Every case is built exactly, by construction, inside its cell: one cluster of `s` atoms whose
//! positions span at most `n − 1`, further clusters of at most `s` atoms farther than `2n − 2`
//! apart (so no stripe meets two clusters and the stripe sparsity is exactly `s`), one atom of
//! magnitude `c`, one of magnitude 1, the rest drawn in `[c, 1]`. The threshold is the midpoint
//! `β = (|Γ^min| + μ |Γ^max|) / 2` of the window of (b)
//! ([`crate::theorems::theorem2_bounds::LayerProfile::window_midpoint`]), which for one layer
//! does not depend on `s` or `ε_0`: inside the window whenever (a) holds, and the natural guess
//! (midway between the off-support and on-support correlation bounds) where the window is
//! empty. Noise, when asked for, is drawn as integers and scaled exactly to a declared level.

use num_traits::Signed;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::generate::filters::{FirstLayerDesign, designed_layer};
use crate::instance::Instance;
use crate::model::{LayerVector, Model};
use crate::norms::patch_norm_squared;
use crate::scalar::{Rational, Scalar};
use crate::theorems::theorem2_bounds::WindowPlacement;
use crate::theorems::theorem2_bounds::layer_profile;
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

/// Denominator of drawn contrasts, magnitudes and noise levels (`2^16`).
pub const DRAW_DENOMINATOR: i64 = 1 << 16;
/// Denominator of the noise scale (`2^32`), as in the Theorem 2 generator.
const NOISE_DENOMINATOR: i64 = 1 << 32;
/// Largest number of clusters of atoms in one case.
const MOST_CLUSTERS: usize = 3;

/// One cell's parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct PhaseCase {
    /// The design of `D_1`.
    pub design: FirstLayerDesign,
    /// The thresholding.
    pub variant: Thresholding,
    /// `s = ‖Γ_1‖^S_{0,∞}`.
    pub sparsity: usize,
    /// The range of the declared noise level `ε_0`, or `None` for noise-free cases.
    pub noise: Option<(Rational, Rational)>,
    /// The range of the contrast `c = |Γ^min| / |Γ^max|` (with `|Γ^max| = 1`).
    pub contrast: (Rational, Rational),
}

use crate::scalar::ratio as r;

/// A rational with denominator `2^16` drawn uniformly in `[low, high]`, clamped into the range.
fn draw_between(rng: &mut ChaCha8Rng, low: &Rational, high: &Rational) -> Rational {
    let x = low.to_f64() + (high.to_f64() - low.to_f64()) * rng.random_range(0.0..1.0);
    let drawn = r(
        (x * DRAW_DENOMINATOR as f64).floor() as i64,
        DRAW_DENOMINATOR,
    );
    drawn.clamp(low.clone(), high.clone())
}

fn shuffle<T>(rng: &mut ChaCha8Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

/// Builds one case (module documentation), named `name` with the provenance `source`.
pub fn phase_instance(
    case: &PhaseCase,
    name: String,
    source: String,
    rng: &mut ChaCha8Rng,
) -> Instance<Rational> {
    let (filters, input_channels) = case.design.filters(rng);
    let layer = designed_layer(1, filters);
    let n = layer.filter_length();
    let m = layer.filter_count();
    // Clusters start `3n − 2` apart: atoms of two clusters are at least `2n − 1` apart, beyond
    // the reach of any stripe (width `2n − 1`).
    let block = 3 * n - 2;
    let signal_length = (MOST_CLUSTERS * block).max(layer.stripe_width());
    let s = case.sparsity;
    let clusters = rng.random_range(if s == 1 { 2 } else { 1 }..=MOST_CLUSTERS);
    let mut atoms: Vec<(usize, usize)> = Vec::new();
    for k in 0..clusters {
        let size = if k == 0 { s } else { rng.random_range(1..=s) };
        let mut cells: Vec<(usize, usize)> =
            (0..n).flat_map(|t| (0..m).map(move |c| (t, c))).collect();
        shuffle(rng, &mut cells);
        atoms.extend(
            cells
                .into_iter()
                .take(size)
                .map(|(t, c)| (k * block + t, c)),
        );
    }
    // One atom at the contrast c, one at 1, the rest in [c, 1].
    let contrast =
        draw_between(rng, &case.contrast.0, &case.contrast.1).max(r(1, DRAW_DENOMINATOR));
    let one = r(1, 1);
    let mut magnitudes: Vec<Rational> = (0..atoms.len())
        .map(|k| match k {
            0 => contrast.clone(),
            1 => one.clone(),
            _ => draw_between(rng, &contrast, &one),
        })
        .collect();
    shuffle(rng, &mut magnitudes);
    let nonnegative = case.variant == Thresholding::Nonnegative;
    let mut gamma = LayerVector::zeros(signal_length, m);
    for (&(p, c), magnitude) in atoms.iter().zip(magnitudes) {
        let negative = !nonnegative && rng.random_bool(0.5);
        gamma.set(p, c, if negative { -magnitude } else { magnitude });
    }
    let (noise, budget) = match &case.noise {
        None => (LayerVector::zeros(signal_length, input_channels), None),
        Some((low, high)) => {
            let level = draw_between(rng, low, high);
            (
                draw_noise(rng, signal_length, input_channels, n, &level),
                Some(level),
            )
        }
    };
    let model =
        Model::new(signal_length, input_channels, vec![layer]).expect("designed model is valid");
    let beta = layer_profile(&model, 1, &gamma, 1).window_midpoint();
    Instance {
        name,
        source,
        model,
        thresholding: case.variant,
        thresholds: vec![Threshold::Shared(beta)],
        deepest_representation: gamma,
        noise,
        noise_budget: budget,
        last_patch_width: 1,
        last_patch_rows: 1,
    }
}

/// Random integer noise scaled exactly so that `(‖E‖^P_{2,∞}(n))² ≤ level²`, as close to the
/// level as a scale with denominator `2^32` allows.
fn draw_noise(
    rng: &mut ChaCha8Rng,
    length: usize,
    channels: usize,
    width: usize,
    level: &Rational,
) -> LayerVector<Rational> {
    let mut noise = LayerVector::zeros(length, channels);
    if !level.is_positive() {
        return noise;
    }
    for p in 0..length {
        for c in 0..channels {
            noise.set(p, c, r(rng.random_range(-8..=8), 1));
        }
    }
    if noise.count_nonzeros() == 0 {
        noise.set(0, 0, r(1, 1));
    }
    let energy = patch_norm_squared(&noise, width);
    let estimate = level.to_f64() / energy.to_f64().sqrt();
    let mut scale = r(
        (estimate * NOISE_DENOMINATOR as f64).floor() as i64,
        NOISE_DENOMINATOR,
    );
    let level_squared = level * level;
    while &scale * &scale * &energy > level_squared {
        scale -= r(1, NOISE_DENOMINATOR);
    }
    noise.map(|v| v * &scale)
}
