//! The coherences of a ladder chosen from the top down, each within the budget the layers
//! above leave (the module's documentation gives the budget), with the synthesis chain and the
//! exact profile of every layer computed once on the way down.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::{ladder_layer, parameter_for_coherence, pythagorean_coherence, sign};
use crate::generate::sparse_chain::{nonzero_indices, sparse_statistics, sparse_synthesis};
use crate::model::{Layer, LayerVector, stripe_width};
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;
use crate::theorems::theorem2_bounds::LayerProfile;
use num_traits::{Signed, Zero};

/// The structure of a ladder the budget reads: channels, gaps, filter lengths, `w_K`, and
/// whether taps are nonnegative.
pub(super) struct Structure<'a> {
    pub channels: usize,
    pub gaps: &'a [usize],
    pub lengths: &'a [usize],
    pub last_patch_width: usize,
    pub nonnegative: bool,
}

/// The per-layer quantities of the budget, in `f64`, read off an exact profile.
struct Placement {
    stripe_sparsity: f64,
    patch_sparsity: f64,
    contrast: f64,
    gamma_max: f64,
}

impl Placement {
    /// The quantities of `profile` (contrast 0 over 1 for an all-zero `Γ_i`).
    fn of(profile: &LayerProfile<SmallRational>) -> Self {
        let (lo, hi) = if profile.gamma_max.is_zero() {
            (0.0, 1.0)
        } else {
            (profile.gamma_min.to_f64(), profile.gamma_max.to_f64())
        };
        Placement {
            stripe_sparsity: profile.stripe_sparsity as f64,
            patch_sparsity: profile.patch_sparsity as f64,
            contrast: lo / hi,
            gamma_max: hi,
        }
    }
}

/// The exact profile of layer `layer` (filter length `filter_length`, patch width `width`) on
/// `Γ_i` with the given sorted nonzeros; the coherence is set when the layer is drawn.
fn level_profile(
    layer: usize,
    gamma: &LayerVector<SmallRational>,
    nonzeros: &[usize],
    filter_length: usize,
    width: usize,
) -> LayerProfile<SmallRational> {
    let (gamma_min, gamma_max, [stripe_sparsity, patch_sparsity]) =
        sparse_statistics(gamma, nonzeros, [stripe_width(filter_length), width]);
    LayerProfile {
        layer,
        coherence: SmallRational::zero(),
        stripe_sparsity,
        patch_sparsity,
        patch_width: width,
        gamma_min,
        gamma_max,
    }
}

/// `μ = a b` of the pair of `q` exactly: the two atoms of a ladder layer that meet share one
/// entry, where one holds `± b` and the other `± a` (`q ≤ 2^30` keeps `q² + 1` in a word).
fn exact_coherence(q: i64) -> SmallRational {
    let denominator = q * q + 1;
    (SmallRational::new(q * q - 1, denominator) * SmallRational::new(2 * q, denominator)).abs()
}

/// The layers `1..=K` a ladder's budget chose, exact and in machine-word rationals, with the
/// chain of `Γ_K` and the profiles on it.
pub(super) struct ChosenLayers {
    /// The layers `1..=K`.
    pub layers: Vec<Layer<Rational>>,
    /// The same layers in machine-word rationals (converted once, for the chain and the model).
    pub small_layers: Vec<Layer<SmallRational>>,
    /// `[Γ_0, …, Γ_K]`.
    pub levels: Vec<LayerVector<SmallRational>>,
    /// The profile of each layer `1..=K` on that chain.
    pub profiles: Vec<LayerProfile<SmallRational>>,
}

/// Draws the layers `K, …, 1` of a ladder on `Γ_K` (`gamma`), capping the early window
/// positions `thetas` by the budget; returns the layers `1..=K` with the chain and profiles.
pub(super) fn choose_coherences(
    rng: &mut ChaCha8Rng,
    structure: &Structure,
    gamma: &LayerVector<Rational>,
    thetas: &mut [f64],
) -> ChosenLayers {
    let Structure {
        channels,
        gaps,
        lengths,
        last_patch_width,
        nonnegative,
    } = *structure;
    let depth = lengths.len();
    let mut current = gamma.map(|v| SmallRational::from(v));
    let mut nonzeros = nonzero_indices(&current);
    let mut next = Some(level_profile(
        depth,
        &current,
        &nonzeros,
        lengths[depth - 1],
        last_patch_width,
    ));
    // `Γ_K, …, Γ_1` and their profiles as the loop passes them; reversed below.
    let mut levels = Vec::with_capacity(depth + 1);
    let mut profiles = Vec::with_capacity(depth);
    let mut layers = Vec::with_capacity(depth);
    let mut small_layers = Vec::with_capacity(depth);
    let mut budget = f64::INFINITY;
    for i in (1..=depth).rev() {
        let mut here = next.take().expect("the profile of every level is computed");
        let placement = Placement::of(&here);
        let mut limit = placement.contrast;
        if i < depth {
            thetas[i - 1] = thetas[i - 1].min(budget / (4.0 * placement.contrast));
            limit = limit.min(budget - thetas[i - 1] * placement.contrast);
        }
        let share = rng.random_range(0.3..0.6);
        let target = share * limit / (2.0 * placement.stripe_sparsity - 1.0);
        let q = parameter_for_coherence(target);
        let coherence = pythagorean_coherence(q);
        let interference = (2.0 * placement.stripe_sparsity - 1.0) * coherence;
        let signs = (sign(rng, nonnegative), sign(rng, nonnegative));
        let layer = ladder_layer(i, channels, gaps[i - 1], q, signs);
        let small_layer = layer.map(|v| SmallRational::from(v));
        let (below, below_nonzeros) = sparse_synthesis(&small_layer, &current, &nonzeros);
        next = (i > 1).then(|| {
            level_profile(
                i - 1,
                &below,
                &below_nonzeros,
                lengths[i - 2],
                lengths[i - 1],
            )
        });
        if let Some(next) = &next {
            let next = Placement::of(next);
            let amplification = next.patch_sparsity.sqrt() * next.gamma_max / placement.gamma_max;
            budget = (limit - interference).max(0.0) / (2.0 * amplification);
        }
        layers.push(layer);
        small_layers.push(small_layer);
        here.coherence = exact_coherence(q);
        profiles.push(here);
        levels.push(std::mem::replace(&mut current, below));
        nonzeros = below_nonzeros;
    }
    levels.push(current);
    levels.reverse();
    profiles.reverse();
    layers.reverse();
    small_layers.reverse();
    ChosenLayers {
        layers,
        small_layers,
        levels,
        profiles,
    }
}
