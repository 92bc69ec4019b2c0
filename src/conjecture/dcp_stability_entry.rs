//! Stability of `DCP^E_λ` (docs/math.md §7, recalled; `proofs/uniqueness.md`) as a registry
//! entry: with `‖Γ_i‖^S_{0,∞} ≤ λ_i < ½ (1 + 1/μ_i)` and `E_i² = 4 E_{i-1}² / (1 − (2λ_i − 1) μ_i)`,
//! every `Δ` with `‖Δ‖^S_{0,∞} ≤ 2λ_i` and `‖D_i Δ‖² ≤ 4 E_{i-1}²` has `‖Δ‖² ≤ E_i²`, certified on
//! every support; `λ_i` is the largest budget below the bound, `E_0² = ‖E‖²` (1 without noise:
//! the certificate does not depend on the scale).

use crate::theorems::clause::DeepCodingClause;
use rand_chacha::ChaCha8Rng;

use super::tiny_entry_instances::{largest_budget_below_bound, tiny_instance};
use super::{Conjecture, ExpectedStatus, Outcome};
use crate::io::Instance;
use crate::norms::stripe_sparsity;
use crate::scalar::Rational;
use crate::theorems::dcp_stability::dcp_stability_theorem;
use crate::theorems::verdict::{FailedHypothesis, Verdict, Witness};

/// The stability theorem of `DCP^E_λ`.
pub struct DcpStabilityEntry;

impl Conjecture for DcpStabilityEntry {
    fn name(&self) -> &str {
        "dcp-stability"
    }

    fn citation(&self) -> &str {
        "Papyan, Romano, Elad, JMLR 18 (2017), stability of DCP^E_λ (recalled); docs/math.md §7"
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
        let model = &instance.model;
        let (_, chain) = instance.signal_and_chain();
        let mut lambda = Vec::with_capacity(model.depth());
        for (index, layer) in model.layers().iter().enumerate() {
            let Some(budget) = largest_budget_below_bound(layer) else {
                return vacuous(
                    index + 1,
                    "μ_i ≥ 1: no budget λ_i ≥ 1 lies below ½(1 + 1/μ_i)",
                );
            };
            let s = stripe_sparsity(&chain[index + 1], layer.filter_length());
            if s > budget {
                return vacuous(
                    index + 1,
                    &format!("‖Γ_i‖^S_0,∞ = {s} is above the largest budget λ_i = {budget}"),
                );
            }
            lambda.push(budget);
        }
        let energy = instance.noise.inner_product(&instance.noise);
        let noise_squared = if energy == Rational::from_integer(0.into()) {
            Rational::from_integer(1.into())
        } else {
            energy
        };
        let verdict = match dcp_stability_theorem(model, &lambda, &noise_squared) {
            Err(failure) => {
                return vacuous(failure.layer, "λ_i is not below ½(1 + 1/μ_i)");
            }
            Ok(layers) => match layers.iter().position(|l| !l.holds()) {
                None => Verdict::Holds,
                Some(index) => Verdict::Violated(Witness {
                    layer: index + 1,
                    conclusion: DeepCodingClause::Stability.into(),
                    location: "a support of stripe sparsity at most 2λ_i".into(),
                    observed: "the smallest eigenvalue of its Gram matrix".into(),
                    bound: format!("1 − (2λ_i − 1) μ_i with λ_i = {}", layers[index].lambda),
                }),
            },
        };
        Outcome::from_verdict(verdict)
    }

    fn default_cases(&self) -> usize {
        60
    }
}

fn vacuous(layer: usize, detail: &str) -> Outcome {
    Outcome::from_verdict(Verdict::Vacuous(FailedHypothesis {
        layer,
        hypothesis: DeepCodingClause::StripeBudget.into(),
        detail: detail.into(),
        shortfall: 1.0,
    }))
}
