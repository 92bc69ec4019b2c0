//! Instances that meet the hypotheses of Theorem 2 by construction (docs/math.md §6).
//!
//! The construction runs from the deepest layer up and keeps every quantity of the theorem
//! under control:
//!
//! 1. **Filters.** A low-coherence first layer ([`FirstLayerDesign`]) and, for `K ≥ 2`, sparse
//!    equal-magnitude deeper filters whose cells are disjoint between filters.
//! 2. **Support of `Γ_K`.** Clusters of atoms (one position, one or two channels) spaced so that
//!    the images of two clusters never meet at any layer; a second cluster inside the same stripe
//!    is placed only on layers with `μ = 0`, or for `K = 1` to reach `s_1 ≥ 2`. The chain is
//!    computed once with unit magnitudes to measure `s_i`, `μ_i` and the magnitude spread `ρ_i`
//!    that the filters add.
//! 3. **Contrast.** Magnitudes of `Γ_K` are drawn in `[c, 1]` with the contrast `c` chosen above
//!    the smallest value (a) allows noise-free, `max_i (2 s_i − 1) μ_i / ρ_i`.
//! 4. **Noise and thresholds.** Each threshold sits at a chosen position `θ_i` of its window
//!    (low in early layers, anywhere in the last, sometimes within `10^-6` of an end). With the
//!    `θ_i` fixed, `ε_i` is an increasing affine function of `ε_{i-1}`, so the largest admissible
//!    `ε_0` follows by bisection; the noise budget is a chosen fraction of it, and the noise is a
//!    random vector scaled exactly into that budget.
//!
//! The `f64` arithmetic here only places numbers; every verdict is decided exactly afterwards.

use num_traits::Zero;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

mod coherence;
mod complete;
mod model;
mod noise;
mod support;
mod thresholds;
mod unit_chain;

#[cfg(test)]
mod fingerprint;

use complete::{Design, Known, complete_instance};
use model::draw_model;
pub use noise::draw_noise;
use support::draw_support;
pub(crate) use thresholds::*;
use unit_chain::unit_profiles;

use super::coherent::{LadderChain, MAX_LADDER_DEPTH, draw_ladder};
use super::dyadic::dyadic_ratio;
use super::filters::{FirstLayerDesign, designed_layer, sparse_deeper_filters};
pub use super::seed::case_rng;
use super::sparse_chain::{small_zeros, sparse_profile, sparse_synthesis_chain};
use crate::coherence::mutual_coherence;
use crate::instance::Instance;
use crate::model::{Layer, LayerVector, Model};
use crate::norms::patch_norm_squared;
use crate::pursuit::Thresholding;
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;
use crate::theorems::theorem2_bounds::{LayerProfile, patch_width};
use crate::theorems::theorem2_small::PreparedTheorem2;
use crate::threshold::Threshold;

/// Denominator of generated thresholds and noise budgets (`2^32`): fine enough to sit `10^-6`
/// of a window's width from its end, small enough to keep exact arithmetic cheap.
pub(crate) const PLACEMENT_DENOMINATOR: i64 = 1 << 32;

/// The finer denominator (`2^56`) of thresholds within `2^-30` of their window's lower end;
/// `β < 64` keeps the numerator within a machine word.
pub(super) const FINE_PLACEMENT_DENOMINATOR: i64 = 1 << 56;

/// Choices a generated case is drawn from; the defaults serve the property tests and `verify`.
#[derive(Clone, Debug)]
pub struct Theorem2Settings {
    /// The pursuit's operator.
    pub variant: Thresholding,
    /// Largest depth `K` (cases use `min_depth..=max_depth`).
    pub max_depth: usize,
    /// Least depth `K` of a case that is not a coherent ladder (at least 1; the default).
    pub min_depth: usize,
    /// Largest signal length `N`.
    pub max_signal_length: usize,
    /// Probability of a noise-free case.
    pub noiseless_probability: f64,
    /// A fixed first-layer design instead of a random one.
    pub first_layer: Option<FirstLayerDesign>,
    /// A fixed contrast `|Γ_K^min| / |Γ_K^max|` instead of one above what (a) requires: with
    /// two or more atoms the first has magnitude 1 and the second exactly this contrast.
    pub contrast: Option<f64>,
    /// The least number of atom clusters in `Γ_K` (where the signal length leaves room).
    pub min_clusters: usize,
    /// A fixed position `θ_K` of the last threshold in its window; values outside `[0, 1]`
    /// place it outside the window (for negative controls).
    pub last_window_position: Option<f64>,
    /// Place thresholds in the window with `|Γ^min|` replaced by `|Γ^max|` (the contrast-free
    /// window of a negative control).
    pub contrast_free_window: bool,
    /// The range of the noise budget as a fraction of the largest `ε_0` that Theorem 2 admits
    /// (or of `|Γ_1^min| / 2` when it admits none); above 1 the noise breaks its hypotheses.
    pub noise_fraction: (f64, f64),
    /// Probability that a case is a coherent ladder ([`super::coherent`]: `μ_i > 0` at every
    /// layer, depth `2..=4`, interference placed at layer 1 and deeper). At 0 (the default of
    /// [`Theorem2Settings::new`]) no choice is drawn, so the streams of the other cases are
    /// unchanged.
    pub coherent_probability: f64,
}

impl Theorem2Settings {
    /// Default settings for a variant.
    pub fn new(variant: Thresholding) -> Self {
        Theorem2Settings {
            variant,
            max_depth: 3,
            min_depth: 1,
            max_signal_length: 256,
            noiseless_probability: 0.1,
            first_layer: None,
            contrast: None,
            last_window_position: None,
            contrast_free_window: false,
            noise_fraction: (0.05, 0.9),
            min_clusters: 1,
            coherent_probability: 0.0,
        }
    }

    /// The settings of the paper's Theorem 2 entries: [`Theorem2Settings::new`] with half the
    /// cases drawn as coherent ladders, so that the hard part of the statement (interference at
    /// every layer, `ε_i` growing with depth) is covered (`proofs/theorem2_depth.md`).
    pub fn paper(variant: Thresholding) -> Self {
        Theorem2Settings {
            coherent_probability: 0.5,
            ..Theorem2Settings::new(variant)
        }
    }

    /// Whether a case may be drawn as a coherent ladder: the settings fix no first layer, no
    /// contrast and no contrast-free window, and allow depth 2.
    fn ladders_allowed(&self) -> bool {
        self.coherent_probability > 0.0
            && self.max_depth >= 2
            && self.first_layer.is_none()
            && self.contrast.is_none()
            && !self.contrast_free_window
    }
}

pub(super) use crate::scalar::ratio as r;

/// The numerator of the largest rational with the given denominator not above `x ≥ 0`.
pub(super) fn numerator_below(x: f64, denominator: i64) -> i64 {
    (x.max(0.0) * denominator as f64).floor() as i64
}

/// The largest rational with the given denominator (a power of two) not above `x ≥ 0`.
pub(crate) fn rational_below(x: f64, denominator: i64) -> Rational {
    dyadic_ratio(numerator_below(x, denominator), denominator)
}

/// The per-layer quantities of the theorem in `f64`, for placement.
type Placement = LayerProfile<f64>;

/// An instance on a coherent ladder (an adversarial model with its own `Γ_K` and windows).
fn ladder_instance(
    rng: &mut ChaCha8Rng,
    settings: &Theorem2Settings,
    source: &str,
) -> (Instance<Rational>, PreparedTheorem2) {
    let nonnegative = settings.variant == Thresholding::Nonnegative;
    let ladder = draw_ladder(
        rng,
        MAX_LADDER_DEPTH,
        nonnegative,
        settings.last_window_position,
    );
    let LadderChain {
        model: small,
        levels,
        profiles,
    } = ladder.chain.expect("a drawn ladder keeps its chain");
    complete_instance(
        rng,
        settings,
        Design {
            model: ladder.model,
            small,
            known: Known::Chain { levels, profiles },
        },
        ladder.gamma,
        ladder.thetas,
        ladder.last_patch_width,
        format!("theorem2-{}-ladder-K", settings.variant.name()),
        source,
    )
}

/// Window positions `θ_i`: early layers low, the last anywhere, sometimes at an edge.
fn draw_window_positions(
    rng: &mut ChaCha8Rng,
    settings: &Theorem2Settings,
    depth: usize,
) -> Vec<f64> {
    (1..=depth)
        .map(|i| {
            if i < depth {
                rng.random_range(0.0..0.25) + 1e-6
            } else if let Some(theta) = settings.last_window_position {
                theta
            } else {
                match rng.random_range(0..10) {
                    0 => 1e-6,
                    1 => 1.0 - 1e-6,
                    _ => rng.random_range(0.02..0.98),
                }
            }
        })
        .collect()
}

/// Generates one Theorem 2 instance from a seeded stream (exact rationals throughout).
pub fn generate_theorem2_instance(
    rng: &mut ChaCha8Rng,
    settings: &Theorem2Settings,
    source: &str,
) -> Instance<Rational> {
    generate_theorem2_prepared(rng, settings, source).0
}

/// [`generate_theorem2_instance`], with what drawing it computed in machine-word rationals
/// (the model, the synthesis chain and the layer profiles) for the exact check to take over.
pub fn generate_theorem2_prepared(
    rng: &mut ChaCha8Rng,
    settings: &Theorem2Settings,
    source: &str,
) -> (Instance<Rational>, PreparedTheorem2) {
    if settings.ladders_allowed() && rng.random_bool(settings.coherent_probability.min(1.0)) {
        return ladder_instance(rng, settings, source);
    }
    let min_depth = settings.min_depth.max(1);
    let depth = rng.random_range(min_depth..=settings.max_depth.max(min_depth));
    let nonnegative = settings.variant == Thresholding::Nonnegative;
    let (filters, input_channels) = draw_model(rng, settings, depth);
    let layers: Vec<_> = filters
        .into_iter()
        .enumerate()
        .map(|(i, f)| designed_layer(i + 1, f))
        .collect();
    let minimum_length = layers.iter().map(Layer::stripe_width).max().unwrap_or(1);
    let signal_length = if rng.random_bool(0.15) {
        minimum_length
    } else {
        rng.random_range(minimum_length..=settings.max_signal_length.max(minimum_length))
    };
    let model = Model::new(signal_length, input_channels, layers).expect("designed model is valid");
    let small = model.map(|v| SmallRational::from(v));
    let last_patch_width = rng.random_range(1..=3usize).min(signal_length);
    let support = draw_support(rng, &model, nonnegative, settings.min_clusters);
    let deepest_channels = model.channels(depth);

    // Unit magnitudes first: measure s_i, μ_i and the spread ρ_i the filters add.
    let unit_profiles = unit_profiles(&small, &support, last_patch_width);
    let required_contrast = unit_profiles
        .iter()
        .map(LayerProfile::to_f64)
        .map(|l| {
            let spread = if l.gamma_max > 0.0 {
                l.gamma_min / l.gamma_max
            } else {
                1.0
            };
            (2.0 * l.stripe_sparsity as f64 - 1.0) * l.coherence / spread.max(1e-12)
        })
        .fold(0.0, f64::max);
    let contrast = if let Some(contrast) = settings.contrast {
        contrast
    } else if required_contrast < 0.95 {
        required_contrast + (1.0 - required_contrast) * rng.random_range(0.15..1.0)
    } else {
        1.0
    };
    let mut gamma = LayerVector::zeros(signal_length, deepest_channels);
    // The same `Γ_K` in machine-word rationals, written at the support only.
    let mut small_gamma = small_zeros(signal_length, deepest_channels);
    for (k, &(p, c, sign)) in support.iter().enumerate() {
        let magnitude = match (settings.contrast.is_some(), k) {
            (true, 0) => 1.0,
            (true, 1) => contrast,
            _ => contrast + (1.0 - contrast) * rng.random_range(0.0..1.0),
        };
        // The largest multiple of 2^-16 not above it, at least 2^-16.
        let magnitude = dyadic_ratio(numerator_below(magnitude, 1 << 16).max(1), 1 << 16);
        let value = if sign < 0 { -magnitude } else { magnitude };
        small_gamma.set(p, c, SmallRational::from(&value));
        gamma.set(p, c, value);
    }
    let thetas = draw_window_positions(rng, settings, depth);
    complete_instance(
        rng,
        settings,
        Design {
            model,
            small,
            known: Known::Coherences {
                profiles: unit_profiles,
                gamma: small_gamma,
            },
        },
        gamma,
        thetas,
        last_patch_width,
        format!("theorem2-{}-K", settings.variant.name()),
        source,
    )
}
