//! Theorem 2 for real layers, first pass: the hypotheses, and the windows and bounds they fix
//! (`proofs/theorem2_real_layers.md`). It never looks at an estimate.

use super::RealForm;
use super::profile::{RealLayerProfile, real_layer_profile};
use super::witness::{exterior_atom_failure, window_failure};
use crate::enclosure::Decision;
use crate::instance::Instance;
use crate::kernels::Kernels;
use crate::model::LayerVector;
use crate::scalar::Scalar;
use crate::strided_norms::atom_support_patch_norm_squared;
use crate::theorems::clause::RealLayersClause;
use crate::theorems::signs::Signs;
use crate::theorems::surd::{SquareClasses, Surd};
use crate::theorems::theorem2::witness::{
    negative_entry_failure, noise_budget_failure, zero_representation_failure,
};
use crate::theorems::verdict::FailedHypothesis;
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

/// What the hypotheses fix at layer `i`, before any estimate is computed.
#[derive(Clone, Debug)]
pub struct RealLayerBounds<S> {
    /// `μ_{i,c}`, `s_i`, `p_i`, `|Γ_i^max|`, `|Γ^min_{i,c}|`.
    pub profile: RealLayerProfile<S>,
    /// `β_i`, shared or per channel.
    pub threshold: Threshold<S>,
    /// `ε_{i-1}`.
    pub epsilon_previous: Surd<S>,
    /// Every channel's `(b_c)` (true for the channels a form leaves unconstrained).
    pub windows: Decision,
    /// The first channel whose `(b_c)` is certainly false.
    pub failed_channel: Option<usize>,
    /// `δ_{i,c}` for every channel.
    pub entrywise: Vec<Surd<S>>,
    /// `ε_i = sqrt(p_i) max_c δ_{i,c}`, over the channels holding support.
    pub epsilon: Surd<S>,
    /// The first hypothesis comparison at this layer that no enclosure settled.
    pub open: Option<String>,
}

/// The typed `ε` chain of Theorem 2 for real layers.
#[derive(Debug)]
pub struct RealEpsilonChain<S> {
    /// The square classes every `ε_i` is written in.
    pub classes: SquareClasses<S>,
    /// `ε_0`: the declared budget, or the noise's largest energy over the first layer's atom
    /// supports, square-rooted.
    pub epsilon_0: Surd<S>,
    /// Layers `1..=K`.
    pub layers: Vec<RealLayerBounds<S>>,
    /// `[Γ_0 = X, Γ_1, …, Γ_K]`.
    pub representations: Vec<LayerVector<S>>,
    /// The first hypothesis certainly false, if any.
    pub failed: Option<FailedHypothesis>,
    /// The most bits an enclosure needed.
    pub bits: u32,
}

/// The hypotheses of a form of Theorem 2 for real layers and the `ε` chain they fix:
///
/// > `‖E‖^P_{2,∞} ≤ ε_0`; every `Γ_i ≠ 0` (`≥ 0` for the ReLU form); the guard band;
/// > `(b_c)  s_i μ_{i,c} |Γ_i^max| + ε_{i-1} < β_{i,c} < |Γ^min_{i,c}| − (s_i − 1) μ_{i,c} |Γ_i^max| − ε_{i-1}`;
/// > `δ_{i,c} = ε_{i-1} + (s_i − 1) μ_{i,c} |Γ_i^max| + β_{i,c}`; `ε_i = sqrt(p_i) max_c δ_{i,c}`.
pub fn real_epsilon_chain<S: Scalar, K: Kernels<S>>(
    instance: &Instance<S>,
    form: RealForm,
) -> RealEpsilonChain<S> {
    let model = &instance.model;
    let representations = model
        .synthesis_chain(&instance.deepest_representation)
        .expect("shapes validated at construction");
    let profiles: Vec<RealLayerProfile<S>> = (1..=model.depth())
        .map(|i| {
            let gamma = &representations[i];
            real_layer_profile(model, i, gamma, instance.last_patch(), form.coherence)
        })
        .collect();
    let noise_energy = atom_support_patch_norm_squared(1, model.layer(1), &instance.noise)
        .expect("shapes validated at construction");
    let roots: Vec<usize> = profiles.iter().map(|p| p.patch_sparsity).collect();
    let measured = instance.noise_budget.is_none().then_some(&noise_energy);
    let (classes, noise_root) = SquareClasses::new(&roots, measured);
    let epsilon_0 = match &instance.noise_budget {
        Some(budget) => Surd::rational(budget.clone()),
        None => noise_root.unwrap_or_else(Surd::zero),
    };
    let mut failed = structural_hypotheses(instance, &representations, &noise_energy, form);
    let mut signs = Signs::<S, K>::new(&classes);
    let mut layers: Vec<RealLayerBounds<S>> = Vec::with_capacity(profiles.len());
    for (profile, threshold) in profiles.into_iter().zip(&instance.thresholds) {
        let previous = layers.last().map_or(&epsilon_0, |l| &l.epsilon).clone();
        let threshold = threshold.clone();
        let bounds = layer_bounds(&mut signs, profile, threshold, previous, form, instance);
        if failed.is_none()
            && let Some(c) = bounds.failed_channel
        {
            let beta = bounds.threshold.channel(c);
            let window = (&bounds.profile, beta, &bounds.epsilon_previous);
            failed = Some(window_failure(&classes, window, c));
        }
        layers.push(bounds);
    }
    let bits = signs.bits;
    RealEpsilonChain {
        classes,
        epsilon_0,
        layers,
        representations,
        failed,
        bits,
    }
}

/// Layer `i` of the chain: every channel's `(b_c)`, `δ_{i,c}` and `ε_i` from `ε_{i-1}`.
fn layer_bounds<S: Scalar, K: Kernels<S>>(
    signs: &mut Signs<'_, S, K>,
    profile: RealLayerProfile<S>,
    threshold: Threshold<S>,
    epsilon_previous: Surd<S>,
    form: RealForm,
    instance: &Instance<S>,
) -> RealLayerBounds<S> {
    let mut open = None;
    let (mut windows, mut failed_channel) = (Decision::True, None);
    for c in 0..profile.channel_coherence.len() {
        let decision = channel_window(signs, &profile, &threshold, &epsilon_previous, form, c);
        let decision = decision.unwrap_or_else(|what| {
            open.get_or_insert(what);
            Decision::Undecided
        });
        if decision == Decision::False && failed_channel.is_none() {
            failed_channel = Some(c);
        }
        windows = windows.and(decision);
    }
    let thresholding = instance.thresholding;
    let entrywise = (0..profile.channel_coherence.len())
        .map(|c| {
            epsilon_previous.add_rational(&profile.entrywise_bound(c, &threshold, thresholding))
        })
        .collect();
    let largest =
        epsilon_previous.add_rational(&profile.largest_entrywise_bound(&threshold, thresholding));
    let root = signs.classes.sqrt_integer(profile.patch_sparsity);
    let epsilon = signs.classes.mul(&root, &largest);
    RealLayerBounds {
        profile,
        threshold,
        epsilon_previous,
        windows,
        failed_channel,
        entrywise,
        epsilon,
        open,
    }
}

/// `(b_c)` for channel `c`: `Ok` with the decision, or `Err` with the comparison no enclosure
/// settled. A channel without support needs only the lower end, and none under a form without
/// the idle channels' window.
fn channel_window<S: Scalar, K: Kernels<S>>(
    signs: &mut Signs<'_, S, K>,
    profile: &RealLayerProfile<S>,
    threshold: &Threshold<S>,
    epsilon_previous: &Surd<S>,
    form: RealForm,
    c: usize,
) -> Result<Decision, String> {
    let (i, h) = (profile.layer, profile.layer - 1);
    let beta = threshold.channel(c);
    let high = profile.window_high(c);
    let mut open = None;
    let below = if high.is_some() || form.idle_channel_window {
        let room_below = beta.clone() - profile.window_low(c);
        signs.decide(
            &epsilon_previous.add_rational(&-room_below),
            true,
            &mut open,
            || format!("(b_c) at layer {i}, channel {c}: s μ_c |Γ^max| + ε_{h} < β_{i},{c}"),
        )
    } else {
        Decision::True
    };
    let above = match high {
        Some(high) => {
            let room_above = high - beta.clone();
            signs.decide(&epsilon_previous.add_rational(&-room_above), true, &mut open, || {
                format!("(b_c) at layer {i}, channel {c}: β_{i},{c} < |Γ^min_c| − (s − 1) μ_c |Γ^max| − ε_{h}")
            })
        }
        None => Decision::True,
    };
    match open {
        Some(what) => Err(what),
        None => Ok(below.and(above)),
    }
}

/// The hypotheses that need no enclosure: a declared budget covers the noise, every `Γ_i` is
/// nonzero (and nonnegative for the ReLU form), and, when the form keeps it, the guard band.
fn structural_hypotheses<S: Scalar>(
    instance: &Instance<S>,
    representations: &[LayerVector<S>],
    noise_energy: &S,
    form: RealForm,
) -> Option<FailedHypothesis> {
    if let Some(budget) = &instance.noise_budget
        && *noise_energy > budget.clone() * budget.clone()
    {
        let clause = RealLayersClause::NoiseBudget;
        return Some(noise_budget_failure(noise_energy, budget, clause));
    }
    let model = &instance.model;
    representations
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, gamma)| {
            if gamma.count_nonzeros() == 0 {
                let clause = RealLayersClause::NonzeroRepresentation;
                return Some(zero_representation_failure(i, clause));
            }
            if instance.thresholding == Thresholding::Nonnegative
                && let Some(negative) = gamma.entries().iter().find(|v| v.is_negative())
            {
                let clause = RealLayersClause::NonnegativeRepresentation;
                return Some(negative_entry_failure(i, negative, clause));
            }
            let (layer, input, output) = (model.layer(i), model.grid(i - 1), model.grid(i));
            let (geometry, shape) = (layer.grid_geometry(), layer.filter_shape());
            let exterior = gamma
                .support()
                .find(|(p, _, _)| !geometry.is_interior(*p, input, output, shape));
            match exterior {
                Some((p, c, _)) if form.guard_band => {
                    Some(exterior_atom_failure(i, (p, c), layer, (input, output)))
                }
                _ => None,
            }
        })
}
