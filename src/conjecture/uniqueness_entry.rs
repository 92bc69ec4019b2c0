//! Uniqueness of `DCP_λ` (docs/math.md §7, recalled; `proofs/uniqueness.md`) as a registry
//! entry: if `‖Γ_i‖^S_{0,∞} ≤ λ_i < ½ (1 + 1/μ_i)` for every layer, the true `{Γ_i}` is the only
//! solution of `DCP_λ`, decided by exhaustive exact enumeration with `λ_i` the largest budget
//! below the bound (the strongest form of the claim).

use crate::theorems::clause::DeepCodingClause;
use rand_chacha::ChaCha8Rng;

use super::tiny_entry_instances::{largest_budget_below_bound, tiny_instance};
use super::{Conjecture, ExpectedStatus, Outcome};
use crate::io::Instance;
use crate::scalar::Rational;
use crate::theorems::uniqueness::uniqueness_theorem;
use crate::theorems::verdict::{FailedHypothesis, Verdict};

/// The uniqueness theorem of `DCP_λ`.
pub struct UniquenessEntry;

impl Conjecture for UniquenessEntry {
    fn name(&self) -> &str {
        "dcp-uniqueness"
    }

    fn citation(&self) -> &str {
        "Papyan, Romano, Elad, JMLR 18 (2017), uniqueness of DCP_λ (recalled); docs/math.md §7"
    }

    fn status(&self) -> ExpectedStatus {
        ExpectedStatus::Theorem
    }

    fn generate(&self, rng: &mut ChaCha8Rng) -> Instance<Rational> {
        tiny_instance(rng, self.name(), |layer| {
            largest_budget_below_bound(layer).unwrap_or(1)
        })
    }

    fn check(&self, instance: &Instance<Rational>) -> Outcome {
        let lambda: Option<Vec<usize>> = instance
            .model
            .layers()
            .iter()
            .map(largest_budget_below_bound)
            .collect();
        let Some(lambda) = lambda else {
            return Outcome::from_verdict(Verdict::Vacuous(FailedHypothesis {
                layer: 1,
                hypothesis: DeepCodingClause::BudgetBelowBound.into(),
                detail: "μ_i ≥ 1: no budget λ_i ≥ 1 lies below ½(1 + 1/μ_i)".into(),
                shortfall: 1.0,
            }));
        };
        let check = uniqueness_theorem(&instance.model, &instance.deepest_representation, &lambda);
        Outcome::from_verdict(check.to_verdict())
    }

    fn default_cases(&self) -> usize {
        100
    }
}
