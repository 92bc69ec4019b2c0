//! What a Theorem 2 check computes once, exactly, before any enclosure: per layer the profile,
//! the pursuit's estimate and its errors; and the hypotheses that need no enclosure.

use crate::instance::Instance;
use crate::model::LayerVector;
use crate::norms::patch_norm_squared;
use crate::pursuit::{Thresholding, layered_thresholding};
use crate::scalar::Scalar;
use crate::theorems::clause::Theorem2Clause;
use crate::theorems::theorem2_bounds::{LayerProfile, layer_profile};
use crate::theorems::verdict::{FailedHypothesis, Witness};

/// What is computed once, exactly, before any enclosure.
pub(super) struct Layered<S> {
    /// `μ_i`, `s_i`, `p_i`, `w_i`, `|Γ_i^min|`, `|Γ_i^max|` (zero magnitudes for a zero `Γ_i`).
    pub(super) profile: LayerProfile<S>,
    pub(super) threshold: S,
    pub(super) representation: LayerVector<S>,
    pub(super) error_patch_squared: S,
    /// `Γ_i − Γ̂_i`, whose worst patch a witness names.
    pub(super) error: LayerVector<S>,
    pub(super) error_max: S,
    pub(super) support_mismatch: Option<Witness>,
}

/// The canonical text `"p/q"` (or `"p"`) of an exact value, formatted from machine words when
/// the value is an `i64` fraction (reduced, so the text is the same).
pub(super) fn exact_text<S: Scalar>(x: &S) -> Option<String> {
    if !S::EXACT {
        return None;
    }
    if let Some((numerators, denominator)) = S::over_common_denominator(std::slice::from_ref(x)) {
        return Some(if denominator == 1 {
            numerators[0].to_string()
        } else {
            format!("{}/{}", numerators[0], denominator)
        });
    }
    x.to_rational().map(|r| crate::scalar::rational_to_text(&r))
}

pub(super) fn text<S: Scalar>(x: &S) -> String {
    exact_text(x).unwrap_or_else(|| format!("{:e}", x.to_f64()))
}

/// The first atom where `estimate` and `truth` differ in support or sign.
fn support_mismatch<S: Scalar>(
    layer: usize,
    truth: &LayerVector<S>,
    estimate: &LayerVector<S>,
) -> Option<Witness> {
    let channels = truth.channels();
    truth
        .entries()
        .iter()
        .zip(estimate.entries())
        .position(|(t, e)| t.signum() != e.signum())
        .map(|k| Witness {
            layer,
            conclusion: Theorem2Clause::Support.into(),
            location: format!("atom (position {}, channel {})", k / channels, k % channels),
            observed: text(&estimate.entries()[k]),
            bound: format!("the sign of Γ = {}", text(&truth.entries()[k])),
        })
}

pub(super) fn prepare<S: Scalar>(instance: &Instance<S>) -> Vec<Layered<S>> {
    let (signal, chain) = instance.signal_and_chain();
    let estimates = layered_thresholding(
        &instance.model,
        &signal,
        &instance.thresholds,
        instance.thresholding,
    );
    (1..=instance.model.depth())
        .map(|i| {
            let profile = layer_profile(&instance.model, i, &chain[i], instance.last_patch_width);
            let patch_width = profile.patch_width;
            let representation = chain[i].clone();
            let estimate = estimates[i - 1].clone();
            let error = representation.difference(&estimate);
            Layered {
                profile,
                threshold: instance.thresholds[i - 1].clone(),
                support_mismatch: support_mismatch(i, &representation, &estimate),
                error_patch_squared: patch_norm_squared(&error, patch_width),
                error_max: error.max_abs(),
                error,
                representation,
            }
        })
        .collect()
}

/// Hypotheses that do not involve enclosures: nonzero (and, for the ReLU variant,
/// nonnegative) representations, and a declared noise budget that covers the noise.
pub(super) fn structural_hypotheses<S: Scalar>(
    instance: &Instance<S>,
    layers: &[Layered<S>],
    noise_energy: &S,
) -> Option<FailedHypothesis> {
    if let Some(budget) = &instance.noise_budget {
        let budget_squared = budget.clone() * budget.clone();
        if *noise_energy > budget_squared {
            return Some(FailedHypothesis {
                layer: 0,
                hypothesis: Theorem2Clause::NoiseBudget.into(),
                detail: format!(
                    "(‖E‖^P_2,∞)² = {} exceeds the declared budget squared {}",
                    text(noise_energy),
                    text(&budget_squared)
                ),
                shortfall: (noise_energy.to_f64().sqrt() - budget.to_f64()).max(0.0),
            });
        }
    }
    for (index, layer) in layers.iter().enumerate() {
        if layer.representation.count_nonzeros() == 0 {
            return Some(FailedHypothesis {
                layer: index + 1,
                hypothesis: Theorem2Clause::NonzeroRepresentation.into(),
                detail: "Γ_i is all zero, so |Γ_i^min| and |Γ_i^max| are undefined".into(),
                shortfall: 0.0,
            });
        }
        if instance.thresholding == Thresholding::Nonnegative
            && let Some(negative) = layer
                .representation
                .entries()
                .iter()
                .find(|v| v.is_negative())
        {
            return Some(FailedHypothesis {
                layer: index + 1,
                hypothesis: Theorem2Clause::NonnegativeRepresentation.into(),
                detail: format!(
                    "the ReLU variant needs Γ_i ≥ 0; Γ_i has the entry {}",
                    text(negative)
                ),
                shortfall: -negative.to_f64(),
            });
        }
    }
    None
}
