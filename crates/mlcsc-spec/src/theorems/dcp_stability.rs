//! Stability of the noisy deep coding problem `DCP^E_λ`, certified against the exact worst case
//! on tiny dictionaries (docs/math.md §7, RECALLED).
//!
//! > With `‖E‖_2 ≤ E_0`, `‖Γ_i‖^S_{0,∞} ≤ λ_i < ½(1 + 1/μ_i)` and
//! > `E_i² = 4 E_{i-1}² / (1 - (2λ_i - 1) μ_i)`, every solution `{Γ̂_i}` of `DCP^E_λ` satisfies
//! > `‖Γ_i - Γ̂_i‖_2 ≤ E_i`.
//!
//! At layer `i`, `Δ = Γ_i - Γ̂_i` has stripe sparsity at most `2λ_i` (each of the two has at
//! most `λ_i` nonzeros in a stripe) and `‖D_i Δ‖ ≤ 2 E_{i-1}` (the triangle inequality through
//! `Γ̂_{i-1}`, whose distance to `Γ_{i-1}` is at most `E_{i-1}` by induction). The exact worst
//! case of `‖Δ‖²` under these two constraints is, support by support, a generalized eigenvalue
//! problem: on a support `T`, `max { ‖Δ‖² : ‖D_T Δ‖² ≤ 4E² } = 4E² / λ_min(G_T)`. So the bound
//! `E_i²` holds on every support iff `λ_min(G_T) ≥ 4 E_{i-1}² / E_i²` for each `T` of stripe
//! sparsity at most `2λ_i`: an exact semidefiniteness test per support. The worst case itself,
//! `4E² / min_T λ_min(G_T)`, is enclosed between rationals.

use super::stripe_rip::{GramBoundsCertificate, certify_gram_bounds};
use super::support_enumeration::Coverage;
use super::uniqueness::below_uniqueness_bound;
use crate::coherence::mutual_coherence;
use crate::exact_linear_algebra::ExactField;
use crate::model::{Layer, Model};
use crate::scalar::Rational;

/// `E_i² = 4 E_{i-1}² / (1 - (2λ - 1) μ)`, or `None` when `1 - (2λ - 1) μ ≤ 0` (the budget is
/// at or beyond `½(1 + 1/μ)`).
pub fn stability_squared_budget<S: ExactField>(
    previous_squared: &S,
    lambda: usize,
    coherence: &S,
) -> Option<S> {
    let denominator = S::one() - S::from_integer(2 * lambda as i64 - 1).product(coherence);
    denominator.is_positive().then(|| {
        S::from_integer(4)
            .product(previous_squared)
            .quotient(&denominator)
    })
}

/// `[E_0², E_1², …, E_K²]` from the noise budget `E_0²`, or `None` if some layer's budget is
/// at or beyond the bound.
pub fn stability_budgets<S: ExactField>(
    model: &Model<S>,
    lambda: &[usize],
    noise_squared: &S,
) -> Option<Vec<S>> {
    let mut budgets = vec![noise_squared.clone()];
    for (i, &l) in (1..=model.depth()).zip(lambda) {
        let coherence = mutual_coherence(model.layer(i));
        let next = stability_squared_budget(budgets.last().expect("non-empty"), l, &coherence)?;
        budgets.push(next);
    }
    Some(budgets)
}

/// The certified worst case of one layer.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerStability<S = Rational> {
    /// `λ_i`.
    pub lambda: usize,
    /// `μ_i`.
    pub coherence: S,
    /// `E_{i-1}²`.
    pub previous_squared: S,
    /// The bound `E_i²` checked.
    pub bound_squared: S,
    /// An enclosure `[lo, hi]` of the exact worst case `max ‖Δ‖²` over every `Δ` with
    /// `‖Δ‖^S_{0,∞} ≤ 2λ_i` and `‖D_i Δ‖² ≤ 4 E_{i-1}²`, or `None` when it is unbounded (some
    /// support carries a null vector).
    pub worst_case_squared: Option<(S, S)>,
    /// The per-support certificate: `λ_min(G_T) ≥ 4 E_{i-1}² / E_i²` for every support.
    pub certificate: GramBoundsCertificate<S>,
}

impl<S> LayerStability<S> {
    /// Whether the bound holds on every support, certified.
    pub fn holds(&self) -> bool {
        self.certificate.holds()
    }

    /// The coverage of the enumeration.
    pub fn coverage(&self) -> &Coverage {
        &self.certificate.coverage
    }
}

/// Checks that every `Δ` with `‖Δ‖^S_{0,∞} ≤ 2λ` and `‖DΔ‖² ≤ 4 E_{i-1}²` has
/// `‖Δ‖² ≤ bound_squared`, exactly, over every support (`bound_squared > 0`).
pub fn layer_stability<S: ExactField>(
    layer: &Layer<S>,
    length: usize,
    lambda: usize,
    previous_squared: &S,
    bound_squared: &S,
) -> LayerStability<S> {
    assert!(bound_squared.is_positive(), "a positive bound");
    let four_e_squared = S::from_integer(4).product(previous_squared);
    let required = four_e_squared.quotient(bound_squared);
    let certificate = certify_gram_bounds(layer, length, 2 * lambda, &required, None);
    let worst_case_squared = certificate.smallest.lo.is_positive().then(|| {
        (
            four_e_squared.quotient(&certificate.smallest.hi),
            four_e_squared.quotient(&certificate.smallest.lo),
        )
    });
    LayerStability {
        lambda,
        coherence: mutual_coherence(layer),
        previous_squared: previous_squared.clone(),
        bound_squared: bound_squared.clone(),
        worst_case_squared,
        certificate,
    }
}

/// Why the stability theorem does not apply.
#[derive(Clone, Debug, PartialEq)]
pub struct StabilityHypothesisFailure<S = Rational> {
    /// The layer whose budget is at or beyond `½(1 + 1/μ_i)`.
    pub layer: usize,
    /// `λ_i`.
    pub lambda: usize,
    /// `μ_i`.
    pub coherence: S,
}

/// The stability theorem for a model, budgets `λ` and noise budget `E_0²`: the recursion
/// `E_i² = 4 E_{i-1}² / (1 - (2λ_i - 1) μ_i)` and, at every layer, the certified worst case.
pub fn dcp_stability_theorem<S: ExactField>(
    model: &Model<S>,
    lambda: &[usize],
    noise_squared: &S,
) -> Result<Vec<LayerStability<S>>, StabilityHypothesisFailure<S>> {
    for (i, &l) in (1..=model.depth()).zip(lambda) {
        let coherence = mutual_coherence(model.layer(i));
        if !below_uniqueness_bound(l, &coherence) {
            return Err(StabilityHypothesisFailure {
                layer: i,
                lambda: l,
                coherence,
            });
        }
    }
    let budgets =
        stability_budgets(model, lambda, noise_squared).expect("every budget below the bound");
    Ok((1..=model.depth())
        .map(|i| {
            layer_stability(
                model.layer(i),
                model.signal_length(),
                lambda[i - 1],
                &budgets[i - 1],
                &budgets[i],
            )
        })
        .collect())
}
