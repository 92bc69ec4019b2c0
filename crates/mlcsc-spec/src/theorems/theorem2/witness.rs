//! What a Theorem 2 check says when a clause fails: the failed hypothesis (a) or (b) of a
//! layer, or the witness of a failed conclusion, with the two exact values compared.

use super::Statement;
use super::conclusions::LayerErrors;
use super::hypotheses::LayerBounds;
use crate::enclosure::Decision;
use crate::model::LayerVector;
use crate::norms::worst_patch;
use crate::scalar::Scalar;
use crate::theorems::clause::Theorem2Clause;
use crate::theorems::surd::{SquareClasses, Surd};
use crate::theorems::theorem2_bounds::LayerProfile;
use crate::theorems::variant::Part;
use crate::theorems::verdict::{Clause, FailedHypothesis, Witness};

/// A sum of square roots as exact text, with its value when it is not rational.
pub(crate) fn surd_text<S: Scalar>(classes: &SquareClasses<S>, x: &Surd<S>) -> String {
    let value = classes.to_f64(x);
    match classes.text(x, exact_text) {
        Some(exact) if x.rational_value().is_some() => exact,
        Some(exact) => format!("{exact} ≈ {value:e}"),
        None => format!("{value:e}"),
    }
}

/// Hypothesis (a) failed at layer `number`: `2 ε_{i-1}` is not below
/// `|Γ^min| − (2s − 1) μ |Γ^max|` (`a_right`).
pub(super) fn hypothesis_a_failure<S: Scalar>(
    number: usize,
    classes: &SquareClasses<S>,
    epsilon_previous: &Surd<S>,
    a_right: &S,
    profile: &LayerProfile<S>,
) -> FailedHypothesis {
    let doubled = epsilon_previous.scale(&S::from_integer(2));
    FailedHypothesis {
        layer: number,
        hypothesis: Theorem2Clause::A.into(),
        detail: format!(
            "2 ε_(i-1) = {} is not below |Γ^min| − (2s − 1) μ |Γ^max| = {} (s = {}, μ = {}, |Γ^min| = {}, |Γ^max| = {})",
            surd_text(classes, &doubled),
            text(a_right),
            profile.stripe_sparsity,
            text(&profile.coherence),
            text(&profile.gamma_min),
            text(&profile.gamma_max)
        ),
        shortfall: classes.to_f64(&doubled) - a_right.to_f64(),
    }
}

/// Hypothesis (b) failed at layer `number`: `β` is not strictly inside the window.
pub(super) fn window_failure<S: Scalar>(
    number: usize,
    classes: &SquareClasses<S>,
    beta: &S,
    window_low: &Surd<S>,
    window_high: &Surd<S>,
) -> FailedHypothesis {
    let (low, high) = (classes.to_f64(window_low), classes.to_f64(window_high));
    FailedHypothesis {
        layer: number,
        hypothesis: Theorem2Clause::B.into(),
        detail: format!(
            "β = {} is not strictly inside the window ({}, {})",
            text(beta),
            surd_text(classes, window_low),
            surd_text(classes, window_high)
        ),
        shortfall: (low - beta.to_f64()).max(beta.to_f64() - high).max(0.0),
    }
}

/// Conclusion 3 failed at layer `number`: the largest entry of `Γ_i − Γ̂_i` exceeds the
/// entrywise bound.
pub(super) fn entrywise_witness<S: Scalar>(
    number: usize,
    classes: &SquareClasses<S>,
    layer: &LayerErrors<S>,
    entrywise_bound: &Surd<S>,
) -> Witness {
    Witness {
        layer: number,
        conclusion: Theorem2Clause::EntrywiseError.into(),
        location: "largest entry of Γ_i − Γ̂_i".into(),
        observed: text(&layer.error_max),
        bound: surd_text(classes, entrywise_bound),
    }
}

/// Conclusion 2 failed at layer `number`: the worst patch of `error = Γ_i − Γ̂_i` (located
/// here, only for the witness) has a squared norm above `ε_i²` (expanded here, only for the
/// witness).
pub(super) fn patch_witness<S: Scalar>(
    number: usize,
    classes: &SquareClasses<S>,
    layer: &LayerErrors<S>,
    error: &LayerVector<S>,
    width: usize,
    epsilon: &Surd<S>,
) -> Witness {
    let (position, _) = worst_patch(error, width);
    let epsilon_squared = classes.mul(epsilon, epsilon);
    Witness {
        layer: number,
        conclusion: Theorem2Clause::PatchError.into(),
        location: format!(
            "patch at positions {}..{} (width {})",
            position,
            position + width - 1,
            width
        ),
        observed: format!("squared norm {}", text(&layer.error_patch_squared)),
        bound: format!("ε_i² = {}", surd_text(classes, &epsilon_squared)),
    }
}

/// The declared budget does not cover the noise: `(‖E‖^P_{2,∞})² > ε_0²`.
pub(crate) fn noise_budget_failure<S: Scalar>(
    noise_energy: &S,
    budget: &S,
    clause: impl Into<Clause>,
) -> FailedHypothesis {
    FailedHypothesis {
        layer: 0,
        hypothesis: clause.into(),
        detail: format!(
            "(‖E‖^P_2,∞)² = {} exceeds the declared budget squared {}",
            text(noise_energy),
            text(&(budget.clone() * budget.clone()))
        ),
        shortfall: (noise_energy.to_f64().sqrt() - budget.to_f64()).max(0.0),
    }
}

/// `Γ_i = 0`: `|Γ_i^min|` and `|Γ_i^max|` are undefined.
pub(crate) fn zero_representation_failure(i: usize, clause: impl Into<Clause>) -> FailedHypothesis {
    FailedHypothesis {
        layer: i,
        hypothesis: clause.into(),
        detail: "Γ_i is all zero, so |Γ_i^min| and |Γ_i^max| are undefined".into(),
        shortfall: 0.0,
    }
}

/// A negative entry of `Γ_i`, which the ReLU form excludes.
pub(crate) fn negative_entry_failure<S: Scalar>(
    i: usize,
    negative: &S,
    clause: impl Into<Clause>,
) -> FailedHypothesis {
    FailedHypothesis {
        layer: i,
        hypothesis: clause.into(),
        detail: format!(
            "the ReLU variant needs Γ_i ≥ 0; Γ_i has the entry {}",
            text(negative)
        ),
        shortfall: -negative.to_f64(),
    }
}

/// The failure of (a), else of (b), at one layer, when certainly false.
pub(super) fn first_failure<S: Scalar>(
    classes: &SquareClasses<S>,
    bounds: &LayerBounds<S>,
    form: Statement,
) -> Option<FailedHypothesis> {
    let i = bounds.profile.layer;
    if bounds.hypothesis_a == Decision::False {
        let formulas = bounds.profile.for_statement(form.keeps(Part::ContrastTerm));
        let a_right = formulas.hypothesis_a_slack(&S::zero());
        return Some(hypothesis_a_failure(
            i,
            classes,
            &bounds.epsilon_previous,
            &a_right,
            &bounds.profile,
        ));
    }
    (bounds.hypothesis_b == Decision::False).then(|| {
        window_failure(
            i,
            classes,
            &bounds.threshold,
            &bounds.window_low,
            &bounds.window_high,
        )
    })
}

/// The canonical text `"p/q"` (or `"p"`) of an exact value; `None` in `f64`.
pub fn exact_text<S: Scalar>(x: &S) -> Option<String> {
    x.exact_text()
}

/// The exact text of a value, or its `f64` in scientific notation.
pub fn text<S: Scalar>(x: &S) -> String {
    exact_text(x).unwrap_or_else(|| format!("{:e}", x.to_f64()))
}
