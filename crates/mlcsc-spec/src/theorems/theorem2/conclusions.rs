//! Theorem 2 in two passes (docs/math.md §6). This is the second: layered thresholding's
//! estimates checked against the `ε` chain that the hypotheses fixed
//! ([`epsilon_chain`](super::hypotheses::epsilon_chain)), and the verdict.

use super::hypotheses::{EpsilonChain, LayerBounds};
use super::witness::text;
use super::witness::{entrywise_witness, patch_witness};
use crate::enclosure::Decision;
use crate::instance::Instance;
use crate::kernels::Kernels;
use crate::model::LayerVector;
use crate::scalar::Scalar;
use crate::theorems::clause::Theorem2Clause;
use crate::theorems::signs::Signs;
use crate::theorems::surd::SquareClasses;
use crate::theorems::verdict::{Clause, Verdict, Witness, by_precedence};

/// What the conclusions say of layer `i`'s estimate `Γ̂_i`.
#[derive(Clone, Debug)]
pub struct LayerErrors<S> {
    /// `‖Γ_i − Γ̂_i‖_∞`.
    pub error_max: S,
    /// `(‖Γ_i − Γ̂_i‖^P_{2,∞}(w_i))²`.
    pub error_patch_squared: S,
    /// The first atom whose support or sign `Γ̂_i` gets wrong.
    pub support_mismatch: Option<Witness>,
    /// `‖Γ_i − Γ̂_i‖_∞ ≤ entrywise_i`.
    pub entrywise: Decision,
    /// `(‖Γ_i − Γ̂_i‖^P_{2,∞})² ≤ ε_i²`.
    pub patch: Decision,
    /// The first conclusion comparison at this layer that no enclosure settled.
    pub open: Option<String>,
}

/// The conclusions at every layer.
#[derive(Clone, Debug)]
pub struct Conclusions<S> {
    /// Layers `1..=K`.
    pub layers: Vec<LayerErrors<S>>,
    /// The first conclusion certainly false, if any.
    pub violation: Option<Witness>,
    /// The most bits an enclosure needed.
    pub bits: u32,
}

/// The conclusions, for `Γ̂_i = T_{β_i}(D_iᵀ Γ̂_{i-1})` and `Γ̂_0 = Y = X + E`:
///
/// > (1) `supp(Γ̂_i) = supp(Γ_i)` with equal signs; (2) `‖Γ_i − Γ̂_i‖^P_{2,∞}(w_i) ≤ ε_i`;
/// > (3) `‖Γ_i − Γ̂_i‖_∞ ≤ ε_{i-1} + μ_i (s_i − 1) |Γ_i^max| + β_i`.
pub fn conclusions<S: Scalar, K: Kernels<S>>(
    instance: &Instance<S>,
    chain: &EpsilonChain<S>,
) -> Conclusions<S> {
    let mut signs = Signs::<S, K>::new(&chain.classes);
    let mut estimate = chain.representations[0].sum(&instance.noise);
    let mut layers = Vec::with_capacity(chain.layers.len());
    let mut violation = None;
    let layers_and_thresholds = instance.model.layers().iter().zip(&instance.thresholds);
    for (bounds, (layer, beta)) in chain.layers.iter().zip(layers_and_thresholds) {
        estimate = K::thresholded_analysis(layer, &estimate, instance.thresholding, beta);
        let gamma = &chain.representations[bounds.profile.layer];
        let errors = layer_errors(&mut signs, bounds, gamma, &estimate);
        if violation.is_none() {
            violation = first_violation(&chain.classes, bounds, &errors, (gamma, &estimate));
        }
        layers.push(errors);
    }
    Conclusions {
        layers,
        violation,
        bits: signs.bits,
    }
}

/// Conclusions (1)–(3) at one layer.
fn layer_errors<S: Scalar, K: Kernels<S>>(
    signs: &mut Signs<'_, S, K>,
    bounds: &LayerBounds<S>,
    gamma: &LayerVector<S>,
    estimate: &LayerVector<S>,
) -> LayerErrors<S> {
    let i = bounds.profile.layer;
    let h = i - 1;
    let norms = K::error_norms(gamma, estimate, bounds.profile.patch_width);
    let mut open = None;
    let entrywise = signs.decide_by(
        |classes| K::sign_plus_rational(classes, &bounds.entrywise, &-norms.max.clone()),
        false,
        &mut open,
        || {
            format!(
                "conclusion 3 at layer {i}: ‖Γ_{i} − Γ̂_{i}‖_∞ ≤ ε_{h} + μ (s − 1) |Γ^max| + β_{i}"
            )
        },
    );
    let patch = signs.decide_by(
        |classes| K::sign_square_minus(classes, &bounds.epsilon, &norms.patch_squared),
        false,
        &mut open,
        || format!("conclusion 2 at layer {i}: (‖Γ_{i} − Γ̂_{i}‖^P_2,∞)² ≤ ε_{i}²"),
    );
    let support = Theorem2Clause::Support.into();
    LayerErrors {
        support_mismatch: support_mismatch(i, gamma, estimate, norms.sign_mismatch, support),
        error_max: norms.max,
        error_patch_squared: norms.patch_squared,
        entrywise,
        patch,
        open,
    }
}

/// The violated conclusion at one layer: support first, then (3), then (2) (whose witness
/// forms the error `Γ_i − Γ̂_i` of `(Γ_i, Γ̂_i)` to locate its worst patch).
fn first_violation<S: Scalar>(
    classes: &SquareClasses<S>,
    bounds: &LayerBounds<S>,
    errors: &LayerErrors<S>,
    (gamma, estimate): (&LayerVector<S>, &LayerVector<S>),
) -> Option<Witness> {
    let i = bounds.profile.layer;
    if let Some(witness) = &errors.support_mismatch {
        return Some(witness.clone());
    }
    if errors.entrywise == Decision::False {
        return Some(entrywise_witness(i, classes, errors, &bounds.entrywise));
    }
    let width = bounds.profile.patch_width;
    (errors.patch == Decision::False).then(|| {
        let error = gamma.difference(estimate);
        patch_witness(i, classes, errors, &error, width, &bounds.epsilon)
    })
}

/// The witness of the support conclusion `clause` at entry `k` (if any) where `estimate` and
/// `truth` differ in sign ([`first_sign_mismatch`](crate::error_norms::first_sign_mismatch)).
pub(crate) fn support_mismatch<S: Scalar>(
    layer: usize,
    truth: &LayerVector<S>,
    estimate: &LayerVector<S>,
    k: Option<usize>,
    clause: Clause,
) -> Option<Witness> {
    let k = k?;
    Some(Witness {
        layer,
        conclusion: clause,
        location: truth.atom_text(k),
        observed: text(&estimate.entries()[k]),
        bound: format!("the sign of Γ = {}", text(&truth.entries()[k])),
    })
}

/// The verdict, by the statement's precedence ([`by_precedence`]).
pub fn verdict<S>(chain: &EpsilonChain<S>, conclusions: &Conclusions<S>) -> Verdict {
    let layers = chain.layers.iter().zip(&conclusions.layers);
    let open = layers.map(|(h, c)| (h.profile.layer, h.open.as_ref(), c.open.as_ref()));
    by_precedence(chain.failed.as_ref(), conclusions.violation.as_ref(), open)
}
