//! Uniqueness of `DCP_λ` on images (`proofs/two_dimensions.md`, G16) as a [`Statement`]: on
//! layers circulant on both axes (the hypothesis of the stripe spark on images, G15), if
//! `‖Γ_i‖^S_{0,∞} ≤ λ_i < ½ (1 + 1/μ_i)` for every layer (stripes the products of the axes'
//! stripes, `μ_i` the largest `|⟨d_j, d_k⟩|` over distinct atoms of the exact grid dictionary),
//! the true `{Γ_i}` is the only solution of `DCP_λ`, decided by exhaustive exact enumeration on
//! the model's grids ([`mlcsc_spec::theorems::uniqueness_grid`]) with `λ_i` the largest budget
//! below the bound. Its negative control takes `λ_i` the smallest budget at or above the bound
//! and claims uniqueness all the same.

use mlcsc_spec::exact_linear_algebra::ExactField;
use mlcsc_spec::theorems::uniqueness::{UniquenessCheck, below_uniqueness_bound};
use mlcsc_spec::theorems::uniqueness_grid::{
    enumerate_dcp_solutions_on_grid, grid_coherence, stripe_budgets_on_grid,
    uniqueness_theorem_on_grid,
};

use super::clause::DeepCodingClause;
use super::outcome::image_events;
use super::statement::Statement;
use super::stripe_spark_image::ImageStripeSparkLemma;
use super::verdict::{Clause, FailedHypothesis, Verdict, Witness};
use crate::instance::{Instance, small_instance};
use crate::model::Model;
use crate::scalar::{Rational, rational_to_text};

/// Uniqueness of `DCP_λ` on images, or its negative control (budgets at or above the bound).
#[derive(Clone, Copy, Debug)]
pub struct ImageDcpUniqueness {
    /// `false` for the theorem (`λ_i` the largest budget below `½ (1 + 1/μ_i)`); `true` for the
    /// control (`λ_i` the smallest budget at or above it).
    pub beyond_bound: bool,
}

impl ImageDcpUniqueness {
    /// The theorem.
    pub const STATED: Self = ImageDcpUniqueness {
        beyond_bound: false,
    };
    /// The negative control: the smallest budgets at or above the bound.
    pub const BEYOND_BOUND: Self = ImageDcpUniqueness { beyond_bound: true };
}

/// The budget of a layer of `atoms` atoms and coherence `μ`: the largest `λ ≤ atoms` with
/// `(2λ − 1) μ < 1` (`beyond_bound` false), or the smallest `λ ≤ atoms` with `(2λ − 1) μ ≥ 1`
/// (`beyond_bound` true); `None` when there is none.
pub fn image_budget<S: ExactField>(
    coherence: &S,
    atoms: usize,
    beyond_bound: bool,
) -> Option<usize> {
    let mut budgets = 1..=atoms;
    if beyond_bound {
        budgets.find(|&lambda| !below_uniqueness_bound(lambda, coherence))
    } else {
        budgets
            .take_while(|&lambda| below_uniqueness_bound(lambda, coherence))
            .last()
    }
}

/// Per layer, [`image_budget`] with `μ_i` of the exact grid dictionary
/// ([`grid_coherence`]); the failed hypothesis `budget-below-bound` names the first layer
/// without one.
pub fn image_budgets<S: ExactField>(
    model: &Model<S>,
    beyond_bound: bool,
) -> Result<Vec<usize>, FailedHypothesis> {
    (1..=model.depth())
        .map(|i| {
            let coherence = grid_coherence(i, model.layer(i), model.grid(i - 1))
                .expect("the model's layers fit its grids");
            let atoms = model.grid(i).positions() * model.channels(i);
            image_budget(&coherence, atoms, beyond_bound).ok_or_else(|| FailedHypothesis {
                layer: i,
                hypothesis: DeepCodingClause::BudgetBelowBound.into(),
                detail: if beyond_bound {
                    format!(
                        "μ_{i} = {}: every budget up to the {atoms} atoms is below ½(1 + 1/μ_{i})",
                        text(&coherence)
                    )
                } else {
                    format!(
                        "μ_{i} = {} ≥ 1: no budget λ_{i} ≥ 1 lies below ½(1 + 1/μ_{i})",
                        text(&coherence)
                    )
                },
                shortfall: 1.0,
            })
        })
        .collect()
}

/// The canonical text of an exact value.
fn text<S: ExactField>(value: &S) -> String {
    rational_to_text(&value.to_rational().expect("an exact field holds rationals"))
}

impl Statement for ImageDcpUniqueness {
    fn name(&self) -> &str {
        if self.beyond_bound {
            "dcp-uniqueness-image-beyond-bound"
        } else {
            "dcp-uniqueness-image"
        }
    }

    fn citation(&self) -> &str {
        if self.beyond_bound {
            "Uniqueness of DCP_λ on images claimed with λ_i at or above ½(1 + 1/μ_i) (negative control); proofs/two_dimensions.md (G16)"
        } else {
            "Uniqueness of DCP_λ (docs/math.md §7) on image layers, stripes the products of the axes' stripes; proofs/two_dimensions.md (G16)"
        }
    }

    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        self.verdict(instance).into_hypotheses()
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        self.verdict(instance).into_conclusions()
    }

    /// Circulant layers (G15), then the budgets, then the exhaustive enumeration; the control
    /// reads only the stripe hypothesis.
    fn verdict(&self, instance: &Instance<Rational>) -> Verdict {
        if let Err(failed) = ImageStripeSparkLemma::STATED.hypotheses(instance) {
            return Verdict::Vacuous(failed);
        }
        let small = small_instance(instance);
        let (model, deepest) = (&small.model, &small.deepest_representation);
        let lambda = match image_budgets(model, self.beyond_bound) {
            Err(failed) => return Verdict::Vacuous(failed),
            Ok(lambda) => lambda,
        };
        if !self.beyond_bound {
            return uniqueness_theorem_on_grid(model, deepest, &lambda).to_verdict();
        }
        let chain = model
            .synthesis_chain(deepest)
            .expect("Γ_K has the shape of the last layer");
        let truth = &chain[1..];
        let solutions = enumerate_dcp_solutions_on_grid(model, &chain[0], &lambda, 2);
        let hypotheses = stripe_budgets_on_grid(model, truth, &lambda);
        UniquenessCheck::decide(truth, solutions, hypotheses).to_verdict()
    }

    /// Stated for image layers.
    fn states_real_layers(&self) -> bool {
        true
    }

    /// The image events.
    fn features(&self, instance: &Instance<Rational>) -> Vec<(String, f64)> {
        image_events(instance)
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        let mut clauses = vec![Clause::Named("circulant-image-layer".into())];
        clauses.extend(DeepCodingClause::HYPOTHESES.map(Clause::DeepCoding));
        Some(clauses)
    }
}
