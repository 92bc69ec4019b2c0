//! The stripe spark lemma (docs/math.md §7; `proofs/uniqueness.md`) as a [`Statement`]: every
//! nonzero `Δ` with `D Δ = 0` has `‖Δ‖^S_{0,∞} ≥ 1 + 1/μ(D)`, decided by exact enumeration of
//! the stripe spark of every layer ([`crate::theorems::stripe_spark`]).

use super::clause::DeepCodingClause;
use super::statement::Statement;
use super::stripe_spark::{spark_lower_bound_holds, stripe_spark};
use super::support_enumeration::exact_coherence;
use super::verdict::{Clause, FailedHypothesis, Witness};
use crate::instance::Instance;
use crate::scalar::Rational;

/// The stripe spark lemma.
#[derive(Clone, Copy, Debug)]
pub struct StripeSparkLemma;

impl Statement for StripeSparkLemma {
    fn name(&self) -> &str {
        "stripe-spark-lemma"
    }

    fn citation(&self) -> &str {
        "Recalled from the full papers of Papyan, Romano, Elad: the stripe spark bound σ_S(D) ≥ 1 + 1/μ(D); docs/math.md §7"
    }

    /// A statement about every valid layer: no hypothesis beyond the model's own checks.
    fn hypotheses(&self, _instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        Ok(())
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        let length = instance.model.signal_length();
        for (index, layer) in instance.model.layers().iter().enumerate() {
            let coherence = exact_coherence(layer);
            let spark = stripe_spark(layer, length);
            if !spark_lower_bound_holds(spark.spark, &coherence, 0) {
                return Err(Witness {
                    layer: index + 1,
                    conclusion: DeepCodingClause::StripeSpark.into(),
                    location: "a null vector of D".into(),
                    observed: format!("σ_S = {:?}", spark.spark),
                    bound: format!("1 + 1/μ with μ = {coherence}"),
                });
            }
        }
        Ok(())
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(Vec::new())
    }
}
