//! Theorem 2 for real layers, second pass: layered thresholding's estimates checked against
//! the windows and bounds the hypotheses fixed ([`real_epsilon_chain`](super::real_epsilon_chain)),
//! and the verdict.

use super::hypotheses::{RealEpsilonChain, RealLayerBounds};
use super::witness::witness;
use crate::enclosure::Decision;
use crate::error_norms::first_sign_mismatch;
use crate::instance::Instance;
use crate::kernels::Kernels;
use crate::model::{FilterShape, LayerVector, Model};
use crate::scalar::Scalar;
use crate::strided_norms::{atom_support_patch_norm_squared, periodic_patch_norm_squared};
use crate::theorems::clause::RealLayersClause;
use crate::theorems::signs::Signs;
use crate::theorems::surd::Surd;
use crate::theorems::theorem2::conclusions::support_mismatch;
use crate::theorems::theorem2::text;
use crate::theorems::theorem2::witness::surd_text;
use crate::theorems::verdict::{Verdict, Witness, by_precedence};

/// What the conclusions say of layer `i`'s estimate `Γ̂_i`.
#[derive(Clone, Debug)]
pub struct RealLayerErrors<S> {
    /// `Γ_i − Γ̂_i`.
    pub error: LayerVector<S>,
    /// The largest `|Γ_i − Γ̂_i|` in each channel.
    pub channel_error_max: Vec<S>,
    /// `(‖Γ_i − Γ̂_i‖^P_{2,∞})²` over the supports of layer `i + 1`'s atoms (`w_K` positions
    /// at the last layer).
    pub error_patch_squared: S,
    /// `ε_i²`.
    pub epsilon_squared: Surd<S>,
    /// The first conclusion certainly false at this layer, if any.
    pub violation: Option<Witness>,
    /// The first conclusion comparison at this layer that no enclosure settled.
    pub open: Option<String>,
}

/// The conclusions at every layer.
#[derive(Clone, Debug)]
pub struct RealConclusions<S> {
    /// Layers `1..=K`.
    pub layers: Vec<RealLayerErrors<S>>,
    /// The first conclusion certainly false, if any.
    pub violation: Option<Witness>,
    /// The most bits an enclosure needed.
    pub bits: u32,
}

/// The conclusions, for `Γ̂_i = T_{β_i}(D_iᵀ Γ̂_{i-1})` (each channel at its own threshold) and
/// `Γ̂_0 = Y = X + E`:
///
/// > (1) `supp(Γ̂_i) = supp(Γ_i)` with equal signs; (2) `‖Γ_i − Γ̂_i‖^P_{2,∞} ≤ ε_i` over the
/// > supports of layer `i + 1`'s atoms; (3) the error of every atom of channel `c` is at most
/// > `δ_{i,c}`.
pub fn real_conclusions<S: Scalar, K: Kernels<S>>(
    instance: &Instance<S>,
    chain: &RealEpsilonChain<S>,
) -> RealConclusions<S> {
    let mut signs = Signs::<S, K>::new(&chain.classes);
    let mut estimate = chain.representations[0].sum(&instance.noise);
    let mut layers = Vec::with_capacity(chain.layers.len());
    for (bounds, layer) in chain.layers.iter().zip(instance.model.layers()) {
        estimate =
            K::thresholded_analysis(layer, &estimate, instance.thresholding, &bounds.threshold);
        let gamma = &chain.representations[bounds.profile.layer];
        layers.push(layer_errors(&mut signs, instance, bounds, gamma, &estimate));
    }
    let violation = layers.iter().find_map(|l| l.violation.clone());
    RealConclusions {
        layers,
        violation,
        bits: signs.bits,
    }
}

/// `(‖Z‖^P_{2,∞})²` of layer `i`'s error over the supports of layer `i + 1`'s atoms, or over
/// the periodic last patches at the last layer (`w_K` consecutive positions on a line, by the
/// kernels; `h × w_K` rectangles on an image).
fn error_patch_squared<S: Scalar, K: Kernels<S>>(
    model: &Model<S>,
    i: usize,
    last_patch: FilterShape,
    error: &LayerVector<S>,
) -> S {
    if i < model.depth() {
        atom_support_patch_norm_squared(i + 1, model.layer(i + 1), error)
            .expect("shapes validated at construction")
    } else if error.is_line() && last_patch.rows == 1 {
        K::patch_norm_squared(error, last_patch.columns)
    } else {
        periodic_patch_norm_squared(error, last_patch)
    }
}

/// Conclusions (1)–(3) at one layer; the first violated in that order is its witness.
fn layer_errors<S: Scalar, K: Kernels<S>>(
    signs: &mut Signs<'_, S, K>,
    instance: &Instance<S>,
    bounds: &RealLayerBounds<S>,
    gamma: &LayerVector<S>,
    estimate: &LayerVector<S>,
) -> RealLayerErrors<S> {
    let i = bounds.profile.layer;
    let error = gamma.difference(estimate);
    let mut channel_error_max = vec![S::zero(); error.channels()];
    for (_, c, value) in error.support() {
        if value.abs() > channel_error_max[c] {
            channel_error_max[c] = value.abs();
        }
    }
    let patch = instance.last_patch();
    let error_patch_squared = error_patch_squared::<S, K>(&instance.model, i, patch, &error);
    let epsilon_squared = signs.classes.mul(&bounds.epsilon, &bounds.epsilon);
    let mut open = None;
    let support = RealLayersClause::Support.into();
    let mismatch = first_sign_mismatch(gamma, estimate);
    let mut violation = support_mismatch(i, gamma, estimate, mismatch, support);
    for (c, bound) in bounds.entrywise.iter().enumerate() {
        let slack = bound.add_rational(&-channel_error_max[c].clone());
        let decision = signs.decide(&slack, false, &mut open, || {
            format!("conclusion 3 at layer {i}, channel {c}: |Γ − Γ̂| ≤ δ_{i},{c}")
        });
        if decision == Decision::False && violation.is_none() {
            let location = format!("largest entry of Γ_{i} − Γ̂_{i} in channel {c}");
            let observed = text(&channel_error_max[c]);
            let bound = surd_text(signs.classes, bound);
            violation = Some(witness(
                i,
                RealLayersClause::EntrywiseError,
                location,
                observed,
                bound,
            ));
        }
    }
    let slack = epsilon_squared.add_rational(&-error_patch_squared.clone());
    let patch = signs.decide(&slack, false, &mut open, || {
        format!("conclusion 2 at layer {i}: (‖Γ_{i} − Γ̂_{i}‖^P_2,∞)² ≤ ε_{i}²")
    });
    if patch == Decision::False && violation.is_none() {
        let location = "the worst atom support of the next layer".to_string();
        let observed = format!("squared norm {}", text(&error_patch_squared));
        let bound = format!("ε_i² = {}", surd_text(signs.classes, &epsilon_squared));
        violation = Some(witness(
            i,
            RealLayersClause::PatchError,
            location,
            observed,
            bound,
        ));
    }
    RealLayerErrors {
        error,
        channel_error_max,
        error_patch_squared,
        epsilon_squared,
        violation,
        open,
    }
}

/// The verdict, by the statement's precedence ([`by_precedence`]).
pub fn real_verdict<S>(chain: &RealEpsilonChain<S>, conclusions: &RealConclusions<S>) -> Verdict {
    let layers = chain.layers.iter().zip(&conclusions.layers);
    let open = layers.map(|(h, c)| (h.profile.layer, h.open.as_ref(), c.open.as_ref()));
    by_precedence(chain.failed.as_ref(), conclusions.violation.as_ref(), open)
}

/// Decides the form of Theorem 2 for real layers on an instance: both passes and the verdict.
pub fn decide_real<S: Scalar, K: Kernels<S>>(
    instance: &Instance<S>,
    form: super::RealForm,
) -> (RealEpsilonChain<S>, RealConclusions<S>, Verdict) {
    let chain = super::real_epsilon_chain::<S, K>(instance, form);
    let conclusions = real_conclusions::<S, K>(instance, &chain);
    let verdict = real_verdict(&chain, &conclusions);
    (chain, conclusions, verdict)
}
