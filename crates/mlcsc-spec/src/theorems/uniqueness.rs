//! Uniqueness of the deep coding problem, verified exhaustively on tiny instances (docs/math.md §7,
//! RECALLED).
//!
//! > If `‖Γ_i‖^S_{0,∞} ≤ λ_i < ½ (1 + 1/μ_i)` for all `i`, the set `{Γ_i}` is the only solution
//! > of `DCP_λ`.
//!
//! The check does not use the proof (two solutions differ by a null vector of stripe sparsity at
//! most `2λ_i`, below the stripe spark): it enumerates every candidate. At layer `i`, given the
//! layer above `Γ̂_{i-1}` (with `Γ̂_0 = X`), every support `T` of stripe sparsity at most `λ_i`
//! is visited and `D_T x = Γ̂_{i-1}` is solved exactly. Each solution is a candidate `Γ̂_i` (its
//! own support is a subset of `T`, so it is within the budget). A rank-deficient consistent
//! system gives an affine family of solutions, all within the budget: infinitely many. The
//! distinct finite solutions are carried to the next layer. The true chain is the only solution
//! exactly when this search finds one complete chain and no family.
//!
//! The hypothesis `λ < ½ (1 + 1/μ)` is decided exactly as `(2λ - 1) μ < 1`.
//!
//! Everything is generic over the exact field `S` ([`ExactField`]): the enumeration, each
//! solve and the coherence are the same values in every exact field, so the verdict is too.
//!
//! [notation]: crate::theorems::notation
//!
#![doc = include_str!("../../../../proofs/uniqueness.md")]

use super::clause::DeepCodingClause;
pub use super::uniqueness_enumeration::{
    DcpSolutions, LayerSolutions, enumerate_dcp_solutions, layer_solutions_within_budget,
};
use super::verdict::{FailedHypothesis, Verdict, Witness};
use crate::coherence::mutual_coherence;
use crate::exact_linear_algebra::ExactField;
use crate::model::{LayerVector, Model};
use crate::norms::stripe_sparsity;
use crate::scalar::{Rational, Scalar, rational_to_text};

/// Whether `λ < ½ (1 + 1/μ)`, exactly: `(2λ - 1) μ < 1` (always true for `μ = 0`).
pub fn below_uniqueness_bound<S: Scalar>(lambda: usize, coherence: &S) -> bool {
    let factor = S::from_integer(2 * lambda as i64 - 1);
    factor * coherence.clone() < S::one()
}

/// The bound `½ (1 + 1/μ)` of the hypothesis in `f64`, for reports on filters that exist only
/// in `f64`; `None` (every `λ`) for `μ = 0`. Verdicts use [`below_uniqueness_bound`].
pub fn uniqueness_sparsity_bound(coherence: f64) -> Option<f64> {
    (coherence > 0.0).then(|| 0.5 * (1.0 + 1.0 / coherence))
}

/// Why the uniqueness theorem does not apply to an instance.
#[derive(Clone, Debug, PartialEq)]
pub enum UniquenessHypothesisFailure<S = Rational> {
    /// `‖Γ_i‖^S_{0,∞} > λ_i`.
    StripeAboveBudget {
        /// The layer.
        layer: usize,
        /// `‖Γ_i‖^S_{0,∞}`.
        stripe_sparsity: usize,
        /// `λ_i`.
        lambda: usize,
    },
    /// `λ_i ≥ ½ (1 + 1/μ_i)`, that is `(2λ_i - 1) μ_i ≥ 1`.
    BudgetBeyondBound {
        /// The layer.
        layer: usize,
        /// `λ_i`.
        lambda: usize,
        /// `μ_i`.
        coherence: S,
    },
}

/// The verdict of the exhaustive uniqueness check.
#[derive(Clone, Debug, PartialEq)]
pub enum UniquenessVerdict<S = Rational> {
    /// Hypotheses met and the true `{Γ_i}` is the only solution, certified by enumeration.
    Holds,
    /// A hypothesis fails (the enumeration still ran; see the solutions).
    Vacuous(UniquenessHypothesisFailure<S>),
    /// Hypotheses met and a second solution exists: `{Γ_i}` and this one.
    Violated(Vec<LayerVector<S>>),
    /// Hypotheses met, no second complete solution found, but a family of solutions at an
    /// inner layer was not followed.
    Undecided {
        /// The layer of the family.
        layer: usize,
    },
}

/// The exhaustive check of the uniqueness theorem on one instance.
#[derive(Clone, Debug, PartialEq)]
pub struct UniquenessCheck<S = Rational> {
    /// The verdict.
    pub verdict: UniquenessVerdict<S>,
    /// The true chain `[Γ_1, …, Γ_K]`.
    pub truth: Vec<LayerVector<S>>,
    /// The enumeration of `DCP_λ` for `X` (at most two complete solutions are sought).
    pub solutions: DcpSolutions<S>,
}

/// The hypotheses of the uniqueness theorem for the true chain `[Γ_1, …, Γ_K]`.
pub fn uniqueness_hypotheses<S: ExactField>(
    model: &Model<S>,
    representations: &[LayerVector<S>],
    lambda: &[usize],
) -> Result<(), UniquenessHypothesisFailure<S>> {
    for i in 1..=model.depth() {
        let layer = model.layer(i);
        let sparsity = stripe_sparsity(&representations[i - 1], layer.filter_length());
        if sparsity > lambda[i - 1] {
            return Err(UniquenessHypothesisFailure::StripeAboveBudget {
                layer: i,
                stripe_sparsity: sparsity,
                lambda: lambda[i - 1],
            });
        }
        let coherence = mutual_coherence(layer);
        if !below_uniqueness_bound(lambda[i - 1], &coherence) {
            return Err(UniquenessHypothesisFailure::BudgetBeyondBound {
                layer: i,
                lambda: lambda[i - 1],
                coherence,
            });
        }
    }
    Ok(())
}

/// The uniqueness theorem on the instance with deepest representation `Γ_K`: the hypotheses,
/// then an exhaustive enumeration of `DCP_λ` for `X = D_1 ⋯ D_K Γ_K`.
///
/// # Panics
///
/// If `λ` does not have one entry per layer or `Γ_K` has the wrong shape.
pub fn uniqueness_theorem<S: ExactField>(
    model: &Model<S>,
    deepest: &LayerVector<S>,
    lambda: &[usize],
) -> UniquenessCheck<S> {
    assert_eq!(lambda.len(), model.depth(), "one budget per layer");
    let chain = model
        .synthesis_chain(deepest)
        .expect("Γ_K has the shape of the last layer");
    let truth = &chain[1..];
    let solutions = enumerate_dcp_solutions(model, &chain[0], lambda, 2);
    let hypotheses = uniqueness_hypotheses(model, truth, lambda);
    UniquenessCheck::decide(truth, solutions, hypotheses)
}

impl<S: ExactField> UniquenessCheck<S> {
    /// The check from the true chain, the enumeration of `DCP_λ` for its signal (at least two
    /// complete solutions sought) and the hypotheses' decision.
    pub fn decide(
        truth: &[LayerVector<S>],
        solutions: DcpSolutions<S>,
        hypotheses: Result<(), UniquenessHypothesisFailure<S>>,
    ) -> Self {
        let verdict = match hypotheses {
            Err(failure) => UniquenessVerdict::Vacuous(failure),
            Ok(()) => match solutions.complete.iter().find(|s| s.as_slice() != truth) {
                Some(other) => UniquenessVerdict::Violated(other.clone()),
                None => match solutions.unresolved_families.first() {
                    Some(&layer) => UniquenessVerdict::Undecided { layer },
                    None => {
                        assert_eq!(solutions.complete.len(), 1, "the true chain solves DCP_λ");
                        UniquenessVerdict::Holds
                    }
                },
            },
        };
        UniquenessCheck {
            verdict,
            truth: truth.to_vec(),
            solutions,
        }
    }
}

impl<S: ExactField> UniquenessCheck<S> {
    /// The verdict in the crate's common form ([`Verdict`]), certified by exact enumeration.
    pub fn to_verdict(&self) -> Verdict {
        match &self.verdict {
            UniquenessVerdict::Holds => Verdict::Holds,
            UniquenessVerdict::Vacuous(failure) => Verdict::Vacuous(match failure {
                UniquenessHypothesisFailure::StripeAboveBudget {
                    layer,
                    stripe_sparsity,
                    lambda,
                } => FailedHypothesis {
                    layer: *layer,
                    hypothesis: DeepCodingClause::StripeBudget.into(),
                    detail: format!("‖Γ_{layer}‖^S_0,∞ = {stripe_sparsity} > λ_{layer} = {lambda}"),
                    shortfall: (*stripe_sparsity - *lambda) as f64,
                },
                UniquenessHypothesisFailure::BudgetBeyondBound {
                    layer,
                    lambda,
                    coherence,
                } => {
                    let product = S::from_integer(2 * *lambda as i64 - 1) * coherence.clone();
                    FailedHypothesis {
                        layer: *layer,
                        hypothesis: DeepCodingClause::UniquenessBound.into(),
                        detail: format!(
                            "(2λ_{layer} - 1) μ_{layer} = {} ≥ 1 with λ_{layer} = {lambda}, μ_{layer} = {}",
                            text(&product),
                            text(coherence)
                        ),
                        shortfall: (product - S::one()).to_f64(),
                    }
                }
            }),
            UniquenessVerdict::Violated(other) => {
                let (layer, atom) = self
                    .truth
                    .iter()
                    .zip(other)
                    .enumerate()
                    .find_map(|(k, (a, b))| {
                        let atom = a
                            .entries()
                            .iter()
                            .zip(b.entries())
                            .position(|(x, y)| x != y)?;
                        Some((k + 1, (atom / a.channels(), atom % a.channels())))
                    })
                    .expect("a violation differs from the truth");
                Verdict::Violated(Witness {
                    layer,
                    conclusion: DeepCodingClause::UniqueSolution.into(),
                    location: format!("position {}, channel {}", atom.0, atom.1),
                    observed: text(other[layer - 1].get(atom.0, atom.1)),
                    bound: text(self.truth[layer - 1].get(atom.0, atom.1)),
                })
            }
            UniquenessVerdict::Undecided { layer } => Verdict::Undecided {
                layer: *layer,
                comparison: "an affine family of solutions at an inner layer".into(),
            },
        }
    }
}

/// The canonical text of an exact value ([`rational_to_text`]).
fn text<S: Scalar>(value: &S) -> String {
    rational_to_text(&value.to_rational().expect("an exact field holds rationals"))
}
