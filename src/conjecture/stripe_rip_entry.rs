//! The stripe RIP (docs/math.md §7, derived) as a registry entry: for every `Δ` with
//! `‖Δ‖^S_{0,∞} ≤ k`, `(1 − (k−1)μ) ‖Δ‖² ≤ ‖DΔ‖² ≤ (1 + (k−1)μ) ‖Δ‖²`, certified exactly on every
//! support, with `k` the stripe sparsity of the instance's `Γ_i`.

use crate::theorems::clause::DeepCodingClause;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::tiny_entry_instances::tiny_instance;
use super::{Conjecture, ExpectedStatus, Outcome};
use crate::io::Instance;
use crate::norms::stripe_sparsity;
use crate::scalar::Rational;
use crate::theorems::stripe_rip::stripe_rip;
use crate::theorems::verdict::{Verdict, Witness};

/// The stripe RIP.
pub struct StripeRipEntry;

impl Conjecture for StripeRipEntry {
    fn name(&self) -> &str {
        "stripe-rip"
    }

    fn citation(&self) -> &str {
        "the stripe restricted isometry (1 ∓ (k−1)μ), derived from Gershgorin's theorem; docs/math.md §7"
    }

    fn status(&self) -> ExpectedStatus {
        ExpectedStatus::Theorem
    }

    fn generate(&self, rng: &mut ChaCha8Rng) -> Instance<Rational> {
        let k = rng.random_range(1..=3usize);
        tiny_instance(rng, self.name(), move |_| k)
    }

    fn check(&self, instance: &Instance<Rational>) -> Outcome {
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
                return Outcome::from_verdict(Verdict::Violated(Witness {
                    layer: index + 1,
                    conclusion: DeepCodingClause::StripeRip.into(),
                    location: format!("support {support:?}"),
                    observed: "an eigenvalue of the support's Gram matrix".into(),
                    bound: format!("1 ∓ (k − 1) μ with k = {k}, μ = {}", check.coherence),
                }));
            }
        }
        Outcome::from_verdict(Verdict::Holds)
    }

    fn default_cases(&self) -> usize {
        100
    }
}
