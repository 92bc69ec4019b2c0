//! The stripe RIP (docs/math.md §7, derived) as a [`Statement`]: for every `Δ` with
//! `‖Δ‖^S_{0,∞} ≤ k`, `(1 − (k−1)μ) ‖Δ‖² ≤ ‖DΔ‖² ≤ (1 + (k−1)μ) ‖Δ‖²`, certified exactly on every
//! support ([`crate::theorems::stripe_rip`]), with `k` the stripe sparsity of the instance's
//! `Γ_i`.

use super::clause::DeepCodingClause;
use super::statement::Statement;
use super::stripe_rip::stripe_rip;
use super::verdict::{Clause, FailedHypothesis, Witness};
use crate::instance::{Instance, small_instance};
use crate::norms::stripe_sparsity;
use crate::scalar::Rational;

/// The stripe RIP.
#[derive(Clone, Copy, Debug)]
pub struct StripeRip;

impl Statement for StripeRip {
    fn name(&self) -> &str {
        "stripe-rip"
    }

    fn citation(&self) -> &str {
        "the stripe restricted isometry (1 ∓ (k−1)μ), derived from Gershgorin's theorem; docs/math.md §7"
    }

    /// A statement about every valid layer and every `k ≥ 1`: no hypothesis.
    fn hypotheses(&self, _instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        Ok(())
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        let instance = small_instance(instance);
        let (_, chain) = instance.signal_and_chain();
        let length = instance.model.signal_length();
        for (index, layer) in instance.model.layers().iter().enumerate() {
            let k = stripe_sparsity(&chain[index + 1], layer.filter_length()).max(1);
            let check = stripe_rip(layer, length, k);
            if !check.certificate.holds() {
                let support = check
                    .certificate
                    .lower_violation
                    .clone()
                    .or(check.certificate.upper_violation.clone())
                    .unwrap_or_default();
                return Err(Witness {
                    layer: index + 1,
                    conclusion: DeepCodingClause::StripeRip.into(),
                    location: format!("support {support:?}"),
                    observed: "an eigenvalue of the support's Gram matrix".into(),
                    bound: format!("1 ∓ (k − 1) μ with k = {k}, μ = {}", check.coherence),
                });
            }
        }
        Ok(())
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(Vec::new())
    }
}
