//! Theorem 2 in two passes, read clause by clause against the statement (docs/math.md §6).
//! This is the first: the hypotheses.
//!
//! - [`epsilon_chain`] decides the hypotheses and fixes, layer by layer, what they promise: the
//!   threshold window `(low_i, high_i)` and the bounds `entrywise_i` and `ε_i`. It never looks
//!   at an estimate.
//! - [`conclusions`](super::conclusions::conclusions) runs layered thresholding and checks its estimates against that chain.
//! - [`verdict`](super::conclusions::verdict) combines the two with the statement's precedence.
//!
//! Both passes are generic over the field `S` and the [`Kernels`] `K`; `K = Plain` is the
//! definition, and every engine is held equal to it (`tests/all/engines_agree.rs`).

use super::Statement;
use super::witness::{
    first_failure, negative_entry_failure, noise_budget_failure, zero_representation_failure,
};
use crate::enclosure::Decision;
use crate::instance::Instance;
use crate::kernels::Kernels;
use crate::model::LayerVector;
use crate::scalar::Scalar;
use crate::theorems::clause::Theorem2Clause::{
    NoiseBudget, NonnegativeRepresentation, NonzeroRepresentation,
};
use crate::theorems::signs::Signs;
use crate::theorems::surd::{SquareClasses, Surd};
use crate::theorems::theorem2_bounds::{LayerProfile, layer_profile};
use crate::theorems::variant::Part;
use crate::theorems::verdict::FailedHypothesis;
use crate::thresholding::Thresholding;

/// What the hypotheses fix at layer `i`, before any estimate is computed.
#[derive(Clone, Debug)]
pub struct LayerBounds<S> {
    /// `μ_i`, `s_i`, `p_i`, `w_i`, `|Γ_i^min|`, `|Γ_i^max|`, read off the instance.
    pub profile: LayerProfile<S>,
    /// `β_i`.
    pub threshold: S,
    /// `ε_{i-1}`.
    pub epsilon_previous: Surd<S>,
    /// The window's lower end `s_i μ_i |Γ_i^max| + ε_{i-1}`.
    pub window_low: Surd<S>,
    /// The window's upper end `|Γ_i^min| − (s_i − 1) μ_i |Γ_i^max| − ε_{i-1}`.
    pub window_high: Surd<S>,
    /// Hypothesis (a): `2 ε_{i-1} < |Γ_i^min| − (2 s_i − 1) μ_i |Γ_i^max|`.
    pub hypothesis_a: Decision,
    /// Hypothesis (b): `low_i < β_i < high_i` (true when the form drops it).
    pub hypothesis_b: Decision,
    /// `ε_{i-1} + μ_i (s_i − 1) |Γ_i^max| + β_i` (without `β_i` for hard thresholding).
    pub entrywise: Surd<S>,
    /// `ε_i = sqrt(p_i) · entrywise_i` (without `sqrt(p_i)` when the form drops it).
    pub epsilon: Surd<S>,
    /// The first hypothesis comparison at this layer that no enclosure settled.
    pub open: Option<String>,
}

/// The typed `ε` chain: what Theorem 2's hypotheses say of an instance.
#[derive(Debug)]
pub struct EpsilonChain<S> {
    /// The square classes every `ε_i` is written in.
    pub classes: SquareClasses<S>,
    /// `ε_0`: the declared budget, or `sqrt((‖E‖^P_{2,∞}(n_1))²)`.
    pub epsilon_0: Surd<S>,
    /// Layers `1..=K`.
    pub layers: Vec<LayerBounds<S>>,
    /// `[Γ_0 = X, Γ_1, …, Γ_K]`.
    pub representations: Vec<LayerVector<S>>,
    /// The first hypothesis certainly false, if any.
    pub failed: Option<FailedHypothesis>,
    /// The most bits an enclosure needed.
    pub bits: u32,
}

/// The hypotheses of a form of Theorem 2 and the `ε` chain they fix:
///
/// > `‖E‖^P_{2,∞} ≤ ε_0`; every `Γ_i ≠ 0` (`≥ 0` for the ReLU form);
/// > (a) `2 ε_{i-1} < |Γ_i^min| − (2 s_i − 1) μ_i |Γ_i^max|`;
/// > (b) `s_i μ_i |Γ_i^max| + ε_{i-1} < β_i < |Γ_i^min| − (s_i − 1) μ_i |Γ_i^max| − ε_{i-1}`;
/// > `ε_i = sqrt(p_i) (ε_{i-1} + μ_i (s_i − 1) |Γ_i^max| + β_i)`.
///
/// Panics on a layer with one threshold per channel (statements refuse it before any work).
pub fn epsilon_chain<S: Scalar, K: Kernels<S>>(
    instance: &Instance<S>,
    form: Statement,
) -> EpsilonChain<S> {
    let model = &instance.model;
    let representations = model
        .synthesis_chain(&instance.deepest_representation)
        .expect("shapes validated at construction");
    let profiles: Vec<LayerProfile<S>> = (1..=model.depth())
        .map(|i| layer_profile(model, i, &representations[i], instance.last_patch_width))
        .collect();
    let noise_energy = K::patch_norm_squared(&instance.noise, model.layer(1).filter_length());
    epsilon_chain_on::<S, K>(instance, form, (representations, profiles, noise_energy))
}

/// [`epsilon_chain`] with its first steps given (by a caller that has them): the synthesis
/// chain of `Γ_K`, the [`layer_profile`] of each `Γ_i` on it, `(‖E‖^P_{2,∞}(n_1))²`.
pub fn epsilon_chain_on<S: Scalar, K: Kernels<S>>(
    instance: &Instance<S>,
    form: Statement,
    (representations, profiles, noise_energy): (Vec<LayerVector<S>>, Vec<LayerProfile<S>>, S),
) -> EpsilonChain<S> {
    let roots: Vec<usize> = (profiles.iter().map(|p| p.patch_sparsity))
        .filter(|_| form.keeps(Part::PatchSparsityFactor))
        .collect();
    let measured = instance.noise_budget.is_none().then_some(&noise_energy);
    let (classes, noise_root) = SquareClasses::new(&roots, measured);
    let epsilon_0 = match &instance.noise_budget {
        Some(budget) => Surd::rational(budget.clone()),
        None => noise_root.unwrap_or_else(Surd::zero),
    };
    let mut signs = Signs::<S, K>::new(&classes);
    let mut layers: Vec<LayerBounds<S>> = Vec::with_capacity(profiles.len());
    let mut failed = structural_hypotheses(instance, &representations, &noise_energy);
    for (profile, beta) in profiles.into_iter().zip(&instance.thresholds) {
        let beta = beta.shared().expect("one threshold per layer");
        let previous = layers.last().map_or(&epsilon_0, |l| &l.epsilon).clone();
        let bounds = layer_bounds(
            &mut signs,
            profile,
            beta,
            previous,
            form,
            instance.thresholding,
        );
        if failed.is_none() {
            failed = first_failure(&classes, &bounds, form);
        }
        layers.push(bounds);
    }
    EpsilonChain {
        bits: signs.bits,
        classes,
        epsilon_0,
        layers,
        representations,
        failed,
    }
}

/// Layer `i` of the chain: (a), (b), `entrywise_i` and `ε_i` from `ε_{i-1}`.
fn layer_bounds<S: Scalar, K: Kernels<S>>(
    signs: &mut Signs<'_, S, K>,
    profile: LayerProfile<S>,
    beta: &S,
    epsilon_previous: Surd<S>,
    form: Statement,
    thresholding: Thresholding,
) -> LayerBounds<S> {
    let (i, mut open) = (profile.layer, None);
    let h = i - 1;
    // The formulas at ε_{i-1} = 0 give the rational parts; ε_{i-1} is added to them.
    let formulas = profile.for_statement(form.keeps(Part::ContrastTerm));
    let zero = S::zero();
    let (low, high) = (formulas.window_low(&zero), formulas.window_high(&zero));
    let window_low = epsilon_previous.add_rational(&low);
    let window_high = epsilon_previous.negated().add_rational(&high);
    // `ε_{i-1} − c` against zero, through the kernels.
    let x = &epsilon_previous;
    let plus = |c: S| move |classes: &SquareClasses<S>| K::sign_plus_rational(classes, x, &-c);
    // (a)'s slack at ε_{i-1} = 0 is the window's width (lemma L4, `hypothesis_a_slack`'s
    // definition), read from the ends just formed.
    let half_a_right = (high.clone() - low.clone()) / S::from_integer(2);
    let hypothesis_a = signs.decide_by(plus(half_a_right), true, &mut open, || {
        format!("hypothesis (a) at layer {i}: 2 ε_{h} < |Γ^min| − (2s − 1) μ |Γ^max|")
    });
    let hypothesis_b = if form.keeps(Part::ThresholdWindow) {
        let room_below = beta.clone() - low;
        let below = signs.decide_by(plus(room_below), true, &mut open, || {
            format!("hypothesis (b) at layer {i}: s μ |Γ^max| + ε_{h} < β_{i}")
        });
        let room_above = high - beta.clone();
        let above = signs.decide_by(plus(room_above), true, &mut open, || {
            format!("hypothesis (b) at layer {i}: β_{i} < |Γ^min| − (s − 1) μ |Γ^max| − ε_{h}")
        });
        below.and(above)
    } else {
        Decision::True
    };
    let entrywise =
        epsilon_previous.add_rational(&formulas.entrywise_bound(&zero, beta, thresholding));
    let epsilon = if form.keeps(Part::PatchSparsityFactor) {
        let root = signs.classes.sqrt_integer(profile.patch_sparsity);
        signs.classes.mul(&root, &entrywise)
    } else {
        entrywise.clone()
    };
    LayerBounds {
        profile,
        threshold: beta.clone(),
        epsilon_previous,
        window_low,
        window_high,
        hypothesis_a,
        hypothesis_b,
        entrywise,
        epsilon,
        open,
    }
}

/// The hypotheses that need no enclosure: a declared budget covers the noise, and every
/// `Γ_i` is nonzero (and nonnegative for the ReLU form).
fn structural_hypotheses<S: Scalar>(
    instance: &Instance<S>,
    representations: &[LayerVector<S>],
    noise_energy: &S,
) -> Option<FailedHypothesis> {
    if let Some(budget) = &instance.noise_budget
        && *noise_energy > budget.clone() * budget.clone()
    {
        return Some(noise_budget_failure(noise_energy, budget, NoiseBudget));
    }
    representations
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, gamma)| {
            if gamma.count_nonzeros() == 0 {
                return Some(zero_representation_failure(i, NonzeroRepresentation));
            }
            let negative = gamma.entries().iter().find(|v| v.is_negative())?;
            (instance.thresholding == Thresholding::Nonnegative)
                .then(|| negative_entry_failure(i, negative, NonnegativeRepresentation))
        })
}
