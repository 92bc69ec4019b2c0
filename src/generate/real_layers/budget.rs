//! The coherences of a strided ladder, chosen from the top down against a budget, so that
//! every layer meets its windows noise-free with room left (the method of the paper-geometry
//! ladders, `crate::generate::coherent`, with the strided norms).
//!
//! With `u_i = ε_{i-1}/|Γ_i^max|`, `ρ_i = |Γ_i^min|/|Γ_i^max|` (the smallest over all
//! channels, so at most every channel's), `c_i = (2 s_i − 1) μ_i` and
//! `λ_{i-1} = sqrt(p_{i-1}) |Γ_{i-1}^max| / |Γ_i^max|`, every channel's window at layer `i` is
//! non-empty when `2 u_i + c_i < ρ_i`, and thresholds at positions at most `θ_i` of their
//! windows give `u_{i+1} ≤ λ_i (2 u_i + c_i + θ_i)` (each `β_{i,c} ≤ |Γ_i^max|`). Layer `i`
//! receives a budget `B_i` on `2 u_i + c_i + θ_i`, takes `θ_i ≤ B_i / 4`,
//! `L_i = min(ρ_i, B_i − θ_i)` and `c_i = f_i L_i` with `f_i ∈ [0.3, 0.6]`, and hands
//! `B_{i-1} = (L_i − c_i)/(2 λ_{i-1})` down.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::skeleton::Skeleton;
use crate::generate::coherent::{ladder_layer, parameter_for_coherence, pythagorean_pair, sign};
use crate::model::{Layer, LayerVector, Model};
use crate::scalar::{Rational, Scalar};
use crate::strided_norms::{strided_patch_sparsity, strided_stripe_sparsity};
use crate::strided_operators::strided_synthesis;

/// The model, and for each layer the largest window position its thresholds may take.
pub(super) struct Coherences {
    pub model: Model<Rational>,
    pub theta_caps: Vec<f64>,
}

/// `(ρ, |Γ^max|)` of a layer vector, `(1, 1)` when it is zero.
fn contrast_and_max(gamma: &LayerVector<Rational>) -> (f64, f64) {
    gamma
        .support_magnitude_range()
        .map_or((1.0, 1.0), |(lo, hi)| {
            (lo.to_f64() / hi.to_f64(), hi.to_f64())
        })
}

/// Chooses `μ_i` from the top down; the signs of the taps are drawn (`+` when nonnegative).
pub(super) fn choose_coherences(
    rng: &mut ChaCha8Rng,
    skeleton: &Skeleton,
    nonnegative: bool,
) -> Coherences {
    let depth = skeleton.gaps.len();
    let mut layers: Vec<Option<Layer<Rational>>> = vec![None; depth];
    let mut theta_caps = vec![0.98; depth];
    let mut current = skeleton.gamma.clone();
    let mut budget = f64::INFINITY;
    for i in (1..=depth).rev() {
        let (geometry, gap) = (skeleton.geometries[i - 1], skeleton.gaps[i - 1]);
        let signs = (sign(rng, nonnegative), sign(rng, nonnegative));
        let shape = |q| ladder_layer(i, skeleton.channels, gap, q, signs).with_geometry(geometry);
        let (contrast, gamma_max) = contrast_and_max(&current);
        let stripe = strided_stripe_sparsity(&current, &shape(2)) as f64;
        let mut limit = contrast;
        if i < depth {
            theta_caps[i - 1] = (budget / 4.0).min(0.25);
            limit = limit.min(budget - theta_caps[i - 1]);
        }
        let share = rng.random_range(0.3..0.6);
        let q = parameter_for_coherence(share * limit / (2.0 * stripe - 1.0));
        let layer = shape(q);
        let below = strided_synthesis(i, &layer, &geometry, skeleton.lengths[i - 1], &current)
            .expect("the skeleton's grids fit every layer");
        if i > 1 {
            let p = strided_patch_sparsity(i, &below, &layer).expect("the grids fit") as f64;
            let (_, below_max) = contrast_and_max(&below);
            let amplification = p.sqrt() * below_max / gamma_max;
            let interference = (2.0 * stripe - 1.0) * pythagorean_pair(q).2;
            budget = (limit - interference).max(0.0) / (2.0 * amplification);
        }
        layers[i - 1] = Some(layer);
        current = below;
    }
    let layers = layers
        .into_iter()
        .map(|l| l.expect("every layer is chosen"))
        .collect();
    let model = Model::new(skeleton.lengths[0], skeleton.channels, layers)
        .expect("a strided ladder meets every model rule");
    Coherences { model, theta_caps }
}
