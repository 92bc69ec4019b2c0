//! Stability of `DCP^E_λ` (docs/math.md §7, recalled; `proofs/uniqueness.md`) as a
//! [`Statement`]: with `‖Γ_i‖^S_{0,∞} ≤ λ_i < ½ (1 + 1/μ_i)` and
//! `E_i² = 4 E_{i-1}² / (1 − (2λ_i − 1) μ_i)`, every `Δ` with `‖Δ‖^S_{0,∞} ≤ 2λ_i` and
//! `‖D_i Δ‖² ≤ 4 E_{i-1}²` has `‖Δ‖² ≤ E_i²`, certified on every support
//! ([`crate::theorems::dcp_stability`]); `λ_i` is the largest budget below the bound,
//! `E_0² = ‖E‖²` (1 without noise: the certificate does not depend on the scale).

use super::clause::DeepCodingClause;
use super::dcp_stability::dcp_stability_theorem;
use super::statement::Statement;
use super::uniqueness_theorem::largest_budget_below_bound;
use super::verdict::{Clause, FailedHypothesis, Witness};
use crate::instance::{Instance, small_instance};
use crate::norms::stripe_sparsity;
use crate::scalar::Rational;
use crate::small_rational::SmallRational;

/// The stability theorem of `DCP^E_λ`, with budgets `λ_i` at most `most_budget`.
#[derive(Clone, Copy, Debug)]
pub struct DcpStability {
    /// The cap on every `λ_i`.
    pub most_budget: usize,
}

impl DcpStability {
    /// `λ_i` per layer: the largest budget below the bound, which must cover `‖Γ_i‖^S_{0,∞}`.
    fn budgets(&self, instance: &Instance<Rational>) -> Result<Vec<usize>, FailedHypothesis> {
        let vacuous = |layer: usize, detail: String| FailedHypothesis {
            layer,
            hypothesis: DeepCodingClause::StripeBudget.into(),
            detail,
            shortfall: 1.0,
        };
        let (_, chain) = instance.signal_and_chain();
        let mut lambda = Vec::with_capacity(instance.model.depth());
        for (index, layer) in instance.model.layers().iter().enumerate() {
            let Some(budget) = largest_budget_below_bound(layer, self.most_budget) else {
                return Err(vacuous(
                    index + 1,
                    "μ_i ≥ 1: no budget λ_i ≥ 1 lies below ½(1 + 1/μ_i)".into(),
                ));
            };
            let s = stripe_sparsity(&chain[index + 1], layer.filter_length());
            if s > budget {
                return Err(vacuous(
                    index + 1,
                    format!("‖Γ_i‖^S_0,∞ = {s} is above the largest budget λ_i = {budget}"),
                ));
            }
            lambda.push(budget);
        }
        Ok(lambda)
    }
}

impl Statement for DcpStability {
    fn name(&self) -> &str {
        "dcp-stability"
    }

    fn citation(&self) -> &str {
        "Recalled from the full papers of Papyan, Romano, Elad: stability of DCP^E_λ; docs/math.md §7"
    }

    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        self.budgets(instance).map(drop)
    }

    /// The certified worst case at every layer. `dcp_stability_theorem` refuses only budgets
    /// at or beyond the bound, which the hypotheses exclude; an instance outside the
    /// hypotheses has no conclusion to violate.
    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        let Ok(lambda) = self.budgets(instance) else {
            return Ok(());
        };
        let energy = instance.noise.inner_product(&instance.noise);
        let noise_squared = if energy == Rational::from_integer(0.into()) {
            Rational::from_integer(1.into())
        } else {
            energy
        };
        let (model, noise_squared) = (
            small_instance(instance).model,
            SmallRational::from(&noise_squared),
        );
        let Ok(layers) = dcp_stability_theorem(&model, &lambda, &noise_squared) else {
            return Ok(());
        };
        match layers.iter().position(|l| !l.holds()) {
            None => Ok(()),
            Some(index) => Err(Witness {
                layer: index + 1,
                conclusion: DeepCodingClause::Stability.into(),
                location: "a support of stripe sparsity at most 2λ_i".into(),
                observed: "the smallest eigenvalue of its Gram matrix".into(),
                bound: format!("1 − (2λ_i − 1) μ_i with λ_i = {}", layers[index].lambda),
            }),
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
