//! Uniqueness of `DCP_λ` (docs/math.md §7, recalled; `proofs/uniqueness.md`) as a [`Statement`]:
//! if `‖Γ_i‖^S_{0,∞} ≤ λ_i < ½ (1 + 1/μ_i)` for every layer, the true `{Γ_i}` is the only
//! solution of `DCP_λ`, decided by exhaustive exact enumeration
//! ([`crate::theorems::uniqueness`]) with `λ_i` the largest budget below the bound (the
//! strongest form of the claim).

use super::clause::DeepCodingClause;
use super::statement::Statement;
use super::support_enumeration::exact_coherence;
use super::uniqueness::{below_uniqueness_bound, uniqueness_theorem};
use super::verdict::{Clause, FailedHypothesis, Verdict, Witness};
use crate::instance::{Instance, small_instance};
use crate::model::Layer;
use crate::scalar::Rational;

/// The largest budget `λ` with `1 ≤ λ ≤ most` and `λ < ½ (1 + 1/μ)` for the layer, or `None`
/// when even `λ = 1` is not below the bound (`μ ≥ 1`). The cap `most` is needed where `μ = 0`
/// makes the bound infinite.
pub fn largest_budget_below_bound(layer: &Layer<Rational>, most: usize) -> Option<usize> {
    let coherence = exact_coherence(layer);
    let mut lambda = 0;
    while lambda < most && below_uniqueness_bound(lambda + 1, &coherence) {
        lambda += 1;
    }
    (lambda > 0).then_some(lambda)
}

/// Per layer, the largest budget below the uniqueness bound, at most `most`; or the failed
/// hypothesis `budget_below_bound` at layer 1 when some layer has `μ_i ≥ 1`.
pub fn largest_budgets(
    instance: &Instance<Rational>,
    most: usize,
) -> Result<Vec<usize>, FailedHypothesis> {
    instance
        .model
        .layers()
        .iter()
        .map(|layer| largest_budget_below_bound(layer, most))
        .collect::<Option<Vec<usize>>>()
        .ok_or_else(|| FailedHypothesis {
            layer: 1,
            hypothesis: DeepCodingClause::BudgetBelowBound.into(),
            detail: "μ_i ≥ 1: no budget λ_i ≥ 1 lies below ½(1 + 1/μ_i)".into(),
            shortfall: 1.0,
        })
}

/// The uniqueness theorem of `DCP_λ`, with budgets `λ_i` at most `most_budget`.
#[derive(Clone, Copy, Debug)]
pub struct DcpUniqueness {
    /// The cap on every `λ_i`.
    pub most_budget: usize,
}

/// The enumeration decides the stripe hypothesis and the conclusion together (and can leave
/// an affine family of solutions open: `undecided`); [`Statement::verdict`] is the one decision
/// and the two parts read it.
impl Statement for DcpUniqueness {
    fn name(&self) -> &str {
        "dcp-uniqueness"
    }

    fn citation(&self) -> &str {
        "Recalled from the full papers of Papyan, Romano, Elad: uniqueness of DCP_λ; docs/math.md §7"
    }

    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        self.verdict(instance).into_hypotheses()
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        self.verdict(instance).into_conclusions()
    }

    fn verdict(&self, instance: &Instance<Rational>) -> Verdict {
        match largest_budgets(instance, self.most_budget) {
            Err(failed) => Verdict::Vacuous(failed),
            Ok(lambda) => {
                let small = small_instance(instance);
                uniqueness_theorem(&small.model, &small.deepest_representation, &lambda)
                    .to_verdict()
            }
        }
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(
            DeepCodingClause::HYPOTHESES
                .map(Clause::DeepCoding)
                .to_vec(),
        )
    }
}
