//! The stripe spark lemma (docs/math.md §7; `proofs/uniqueness.md`) as a registry entry: every
//! nonzero `Δ` with `D Δ = 0` has `‖Δ‖^S_{0,∞} ≥ 1 + 1/μ(D)`, decided by exact enumeration of
//! the stripe spark of every layer.

use crate::theorems::clause::DeepCodingClause;
use rand_chacha::ChaCha8Rng;

use super::tiny_entry_instances::tiny_instance;
use super::{Conjecture, ExpectedStatus, Outcome};
use crate::coherence::mutual_coherence;
use crate::io::Instance;
use crate::scalar::Rational;
use crate::theorems::stripe_spark::{spark_lower_bound_holds, stripe_spark};
use crate::theorems::verdict::{Verdict, Witness};

/// The stripe spark lemma.
pub struct StripeSparkEntry;

impl Conjecture for StripeSparkEntry {
    fn name(&self) -> &str {
        "stripe-spark-lemma"
    }

    fn citation(&self) -> &str {
        "Papyan, Romano, Elad, JMLR 18 (2017), the stripe spark bound σ_S(D) ≥ 1 + 1/μ(D) (recalled); docs/math.md §7"
    }

    fn status(&self) -> ExpectedStatus {
        ExpectedStatus::Theorem
    }

    fn generate(&self, rng: &mut ChaCha8Rng) -> Instance<Rational> {
        tiny_instance(rng, self.name(), |_| 1)
    }

    fn check(&self, instance: &Instance<Rational>) -> Outcome {
        let length = instance.model.signal_length();
        for (index, layer) in instance.model.layers().iter().enumerate() {
            let coherence = mutual_coherence(layer);
            let spark = stripe_spark(layer, length);
            if !spark_lower_bound_holds(spark.spark, &coherence, 0) {
                return Outcome::from_verdict(Verdict::Violated(Witness {
                    layer: index + 1,
                    conclusion: DeepCodingClause::StripeSpark.into(),
                    location: "a null vector of D".into(),
                    observed: format!("σ_S = {:?}", spark.spark),
                    bound: format!("1 + 1/μ with μ = {coherence}"),
                }));
            }
        }
        Outcome::from_verdict(Verdict::Holds)
    }

    /// The spark search is the slowest enumeration: 40 cases keep `verify` within seconds.
    fn default_cases(&self) -> usize {
        40
    }
}
