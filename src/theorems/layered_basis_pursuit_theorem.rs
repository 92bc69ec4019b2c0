//! Layered basis pursuit (docs/math.md §7) as a [`Statement`]: the statement of
//! [`crate::theorems::layered_basis_pursuit`] in a form ([`Variant`]), with its tightness,
//! margins, coverage features and per-layer report.

use serde_json::json;

use super::clause::BasisPursuitClause;
use super::layered_basis_pursuit::{BasisPursuitReport, check_layered_basis_pursuit_with};
use super::outcome::{Cell, Details, Outcome, Report, Table, shape_features};
use super::statement::Statement;
use super::variant::Variant;
use super::verdict::{Clause, FailedHypothesis, Verdict, Witness};
use crate::instance::Instance;
use crate::scalar::{Rational, rational_to_f64};

/// The layered basis pursuit theorem, recalled from the full paper and checked as stated.
#[derive(Clone, Copy, Debug)]
pub struct LayeredBasisPursuit {
    /// The form checked.
    pub variant: Variant,
}

impl LayeredBasisPursuit {
    /// The statement as recalled.
    pub const PAPER: LayeredBasisPursuit = LayeredBasisPursuit {
        variant: Variant::PAPER,
    };

    /// The full report on one instance.
    pub fn report(&self, instance: &Instance<Rational>) -> BasisPursuitReport {
        check_layered_basis_pursuit_with(instance, &self.variant)
    }
}

/// Hypotheses and conclusions are decided in one pass along the chain (each layer's LASSO
/// reads the previous estimate): [`LayeredBasisPursuit::report`] decides both.
impl Statement for LayeredBasisPursuit {
    fn name(&self) -> &str {
        "layered-basis-pursuit"
    }

    fn citation(&self) -> &str {
        "Recalled from the full papers of Papyan, Romano, Elad: stability of layered basis pursuit; docs/math.md §7"
    }

    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        self.report(instance).verdict.into_hypotheses()
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        self.report(instance).verdict.into_conclusions()
    }

    fn verdict(&self, instance: &Instance<Rational>) -> Verdict {
        self.report(instance).verdict
    }

    /// The report's verdict; where the hypotheses hold the tightness `max_i ‖Γ̂_i − Γ_i‖^P / ε_i`;
    /// per layer the margin `⅓ (1 + 1/μ_i) − s_i`; and the depth, contrast, noise, stripe
    /// sparsity and channels as coverage features.
    fn outcome(&self, instance: &Instance<Rational>) -> Outcome {
        let report = self.report(instance);
        let tightness = report
            .layers
            .iter()
            .map(|l| {
                if l.epsilon > 0.0 {
                    l.error_patch_norm / l.epsilon
                } else {
                    0.0
                }
            })
            .reduce(f64::max);
        let contrast = instance
            .deepest_representation
            .support_magnitude_range()
            .map_or(0.0, |(lo, hi)| rational_to_f64(&(lo / hi)));
        Outcome {
            tightness: tightness.filter(|_| report.verdict.hypotheses_met()),
            certified: report.certified,
            margins: report
                .layers
                .iter()
                .map(|l| {
                    (
                        format!("sparsity-margin-layer{}", l.layer),
                        l.sparsity_bound.min(1e9) - l.stripe_sparsity as f64,
                    )
                })
                .collect(),
            features: {
                let mut features =
                    shape_features(instance, report.layers.iter().map(|l| l.stripe_sparsity));
                features.push(("contrast".into(), contrast));
                features
            },
            ..Outcome::from_verdict(report.verdict.clone())
        }
        .with_details(report)
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(
            BasisPursuitClause::HYPOTHESES
                .map(Clause::BasisPursuit)
                .to_vec(),
        )
    }
}

/// Per layer: `s_i` against `⅓ (1 + 1/μ_i)`, the LASSO weight, uniqueness, the support, and
/// the errors against their bounds.
impl Details for BasisPursuitReport {
    fn render(&self) -> Report {
        Report {
            fields: Vec::new(),
            lines: Vec::new(),
            table: Some(Table {
                columns: vec![
                    ("layer", 5),
                    ("s", 4),
                    ("⅓(1+1/μ)", 8),
                    ("ξ_i", 10),
                    ("unique", 7),
                    ("support", 8),
                    ("‖err‖∞", 10),
                    ("7.5ε", 10),
                    ("‖err‖P", 10),
                    ("ε_i", 10),
                ],
                rows: self
                    .layers
                    .iter()
                    .map(|l| {
                        vec![
                            Cell::Count(l.layer),
                            Cell::Count(l.stripe_sparsity),
                            Cell::Number(l.sparsity_bound),
                            Cell::Number(l.lasso_weight),
                            Cell::Text(l.unique.to_string()),
                            Cell::Count(l.support_size),
                            Cell::Number(l.error_max),
                            Cell::Number(l.entrywise_bound),
                            Cell::Number(l.error_patch_norm),
                            Cell::Number(l.epsilon),
                        ]
                    })
                    .collect(),
                json: json!(self.layers),
            }),
        }
    }
}
