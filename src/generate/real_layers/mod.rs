//! Instances that meet the hypotheses of Theorem 2 for real layers by construction
//! (`proofs/theorem2_real_layers.md`): *strided ladders*.
//!
//! Every layer has `m ∈ {1, 2}` filters over `m` input channels; filter `c` of layer `i` is the
//! Pythagorean pair `b` at tap 0 on channel `c` and `a` at tap `g_i` on channel `c + 1 (mod m)`,
//! with the gap `g_i` a multiple of the stride `σ_i ∈ {1, 2}`, so that two atoms meet in one
//! entry, at a displacement in `σ_i ℤ`, and `μ_{i,c} = a b > 0` at every layer exactly. The
//! paddings are circular, zero or valid.
//!
//! 1. **Skeleton** (`skeleton`). Strides, paddings and gaps (*paired*, to put interference at
//!    the layer below, or *spread*); `Γ_K` as one or two clusters, each one atom or two atoms
//!    that meet (`s_K = 2`); clusters spaced so that their images never meet; the grids sized
//!    from the top down so that every atom holding support, at every layer, is interior (the
//!    guard band).
//! 2. **Coherences** (`budget`), from the top down against a budget, so that every channel's
//!    window is non-empty noise-free with room left.
//! 3. **Thresholds and noise** (`placement`): each channel's threshold at its own drawn
//!    position in its own window, so the thresholds of a layer differ; the largest admissible
//!    `ε_0` by bisection, and the noise budget a fraction of it.
//!
//! The negative controls' instances are built the same way, with one change each:
//! [`RealControl::BorderAtom`] puts a cluster on the truncated atom at position 0 of a
//! zero-padded last layer; [`RealControl::NegativeIdleThreshold`] gives the last layer's empty
//! channel a negative threshold (a positive bias).

use rand_chacha::ChaCha8Rng;

mod budget;
pub(crate) mod placement;
mod skeleton;

use crate::instance::Instance;
use crate::scalar::{Rational, ratio as r};
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

/// What a generated case departs from, for a negative control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RealControl {
    /// Nothing: the cases meet the theorem's hypotheses.
    None,
    /// A cluster of `Γ_K` on the truncated border atom at position 0 (the guard band broken).
    BorderAtom,
    /// The last layer's channel without support gets the threshold `−1/8`.
    NegativeIdleThreshold,
}

/// Choices a generated case is drawn from.
#[derive(Clone, Copy, Debug)]
pub struct RealLayersSettings {
    /// The pursuit's operator.
    pub variant: Thresholding,
    /// The negative control the case serves, if any.
    pub control: RealControl,
}

/// A strided ladder for `settings`.
pub fn generate_real_layers_instance(
    rng: &mut ChaCha8Rng,
    settings: &RealLayersSettings,
    name: &str,
) -> Instance<Rational> {
    let skeleton = skeleton::draw_skeleton(rng, settings);
    let nonnegative = settings.variant == Thresholding::Nonnegative;
    let coherences = budget::choose_coherences(rng, &skeleton, nonnegative);
    let mut placed = placement::place(
        rng,
        &coherences.model,
        &skeleton.gamma,
        skeleton.last_patch_width,
        &coherences.theta_caps,
        settings.variant,
    );
    if settings.control == RealControl::NegativeIdleThreshold {
        let last = placed.thresholds.last_mut().expect("at least one layer");
        let mut values: Vec<Rational> = (0..skeleton.channels)
            .map(|c| last.channel(c).clone())
            .collect();
        values[skeleton.channels - 1] = r(-1, 8);
        *last = Threshold::per_channel(values);
    }
    Instance {
        name: format!("{name}{}", skeleton.gaps.len()),
        source: "generated: a strided ladder (mlcsc::generate::real_layers)".into(),
        model: coherences.model,
        thresholding: settings.variant,
        thresholds: placed.thresholds,
        deepest_representation: skeleton.gamma,
        noise: placed.noise,
        noise_budget: placed.noise_budget,
        last_patch_width: skeleton.last_patch_width,
        last_patch_rows: 1,
    }
}
