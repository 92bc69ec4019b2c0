//! Definition 1: the deep coding problems `DCP_λ` and `DCP^E_λ` as exact feasibility
//! predicates (docs/math.md §5).
//!
//! > `DCP_λ`: find `{Γ_i}` with `X = D_1 Γ_1`, `Γ_{i-1} = D_i Γ_i` (`2 ≤ i ≤ K`) and
//! > `‖Γ_i‖^S_{0,∞} ≤ λ_i` for all `i`. (SEED)
//!
//! > `DCP^E_λ`: `‖Y - D_1 Γ_1‖_2 ≤ E_0`, `‖Γ_{i-1} - D_i Γ_i‖_2 ≤ E_{i-1}`,
//! > `‖Γ_i‖^S_{0,∞} ≤ λ_i`. (RECALLED)
//!
//! Given the signal, the dictionaries, a candidate `{Γ_i}` and `λ`, the predicates decide
//! feasibility exactly: the residual of layer `i` is compared by its squared norm
//! `‖Γ_{i-1} - D_i Γ_i‖²` with the squared budget (`0` for `DCP_λ`, `E_{i-1}²` for `DCP^E_λ`),
//! so no square root is taken. Every failed constraint is reported with its layer, the two
//! numbers compared and where it fails.
//!
//! One entry point per problem, [`deep_coding_problem`] and [`noisy_deep_coding_problem`],
//! generic over the field `S`. Over an exact field ([`Rational`], or an engine's exact type of
//! the same values) the verdict is a decision, and the same verdict in every exact field. The
//! definitions used are the plain ones: [`synthesis_onto_grid`] for `D_i Γ_i` and
//! [`strided_stripe_sparsity`] for `‖Γ_i‖^S_{0,∞}` (docs/math.md §1 and §2), each read on the
//! model's own grids, so that the predicates speak of layers of any stride and padding and of
//! image layers (the stripe of an atom on a grid is the product of its two axes' stripes,
//! `proofs/two_dimensions.md`, G7, G14); at the paper's geometry they are the paper's
//! synthesis and stripe sparsity (`proofs/strided_norms.md`, N4).

use thiserror::Error;

use crate::model::{LayerVector, Model};
use crate::operators::synthesis_onto_grid;
use crate::scalar::{Rational, Scalar};
use crate::strided_norms::{strided_stripe_count_at, strided_stripe_sparsity};

/// Which constraint of Definition 1 fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DcpConstraint {
    /// `Γ_{i-1} = D_i Γ_i` (with `Γ_0 = X`), in `DCP_λ`: the squared residual is compared with 0.
    Reconstruction,
    /// `‖Γ_{i-1} - D_i Γ_i‖² ≤ E_{i-1}²` (with `Γ_0 = Y`), in `DCP^E_λ`.
    ResidualBudget,
    /// `‖Γ_i‖^S_{0,∞} ≤ λ_i`.
    StripeSparsity,
}

/// One failed constraint: where, and the two numbers compared (`found > allowed`), in the
/// field `S` the predicate was decided in.
#[derive(Clone, Debug, PartialEq)]
pub struct DcpViolation<S = Rational> {
    /// The layer `i`, from 1.
    pub layer: usize,
    /// The constraint.
    pub constraint: DcpConstraint,
    /// The left side: a squared residual norm, or a stripe sparsity.
    pub found: S,
    /// The right side: a squared budget (0 in `DCP_λ`), or `λ_i`.
    pub allowed: S,
    /// For a residual, the first `(position, channel)` where it is nonzero; for a stripe, the
    /// `(position, 0)` of the first stripe that attains the sparsity.
    pub location: (usize, usize),
}

/// The verdict of a feasibility predicate.
#[derive(Clone, Debug, PartialEq)]
pub enum DcpVerdict<S = Rational> {
    /// Every constraint holds, exactly.
    Feasible,
    /// The constraints that fail, by layer, residual before stripe.
    Infeasible(Vec<DcpViolation<S>>),
}

impl<S> DcpVerdict<S> {
    /// Whether the candidate is feasible.
    pub fn is_feasible(&self) -> bool {
        matches!(self, DcpVerdict::Feasible)
    }

    /// The failed constraints (empty when feasible).
    pub fn violations(&self) -> &[DcpViolation<S>] {
        match self {
            DcpVerdict::Feasible => &[],
            DcpVerdict::Infeasible(violations) => violations,
        }
    }

    /// The same verdict with its numbers carried into another field by `f` (for example an
    /// engine's exact type back to [`Rational`], to compare verdicts).
    pub fn map<T>(&self, f: impl Fn(&S) -> T) -> DcpVerdict<T> {
        match self {
            DcpVerdict::Feasible => DcpVerdict::Feasible,
            DcpVerdict::Infeasible(violations) => DcpVerdict::Infeasible(
                violations
                    .iter()
                    .map(|v| DcpViolation {
                        layer: v.layer,
                        constraint: v.constraint,
                        found: f(&v.found),
                        allowed: f(&v.allowed),
                        location: v.location,
                    })
                    .collect(),
            ),
        }
    }
}

/// Why the inputs of a predicate do not fit the model.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum DcpInputError {
    /// A list with one entry per layer has the wrong length.
    #[error("{what}: {found} entries for a model of depth {depth}")]
    Count {
        /// Which list.
        what: String,
        /// Its length.
        found: usize,
        /// `K`.
        depth: usize,
    },
    /// A vector of the wrong shape.
    #[error(
        "{what}: shape {found_length} × {found_channels}, expected {expected_length} × {expected_channels}"
    )]
    Shape {
        /// Which vector.
        what: String,
        /// Expected `N`.
        expected_length: usize,
        /// Expected channels.
        expected_channels: usize,
        /// Found `N`.
        found_length: usize,
        /// Found channels.
        found_channels: usize,
    },
}

/// `DCP_λ` as a predicate: whether `{Γ_i}` (`candidate[i-1] = Γ_i`) satisfies `X = D_1 Γ_1`,
/// `Γ_{i-1} = D_i Γ_i` and `‖Γ_i‖^S_{0,∞} ≤ λ_i` for every layer, exactly.
pub fn deep_coding_problem<S: Scalar>(
    model: &Model<S>,
    signal: &LayerVector<S>,
    candidate: &[LayerVector<S>],
    lambda: &[usize],
) -> Result<DcpVerdict<S>, DcpInputError> {
    check_shapes(model, signal, candidate, lambda)?;
    Ok(verdict(model, signal, candidate, lambda, None))
}

/// `DCP^E_λ` as a predicate, with squared budgets `squared_budgets[i-1] = E_{i-1}²`: whether
/// `‖Y - D_1 Γ_1‖² ≤ E_0²`, `‖Γ_{i-1} - D_i Γ_i‖² ≤ E_{i-1}²` and `‖Γ_i‖^S_{0,∞} ≤ λ_i`,
/// exactly.
pub fn noisy_deep_coding_problem<S: Scalar>(
    model: &Model<S>,
    signal: &LayerVector<S>,
    candidate: &[LayerVector<S>],
    lambda: &[usize],
    squared_budgets: &[S],
) -> Result<DcpVerdict<S>, DcpInputError> {
    check_shapes(model, signal, candidate, lambda)?;
    if squared_budgets.len() != model.depth() {
        return Err(DcpInputError::Count {
            what: "squared budgets E_0², …, E_(K-1)²".into(),
            found: squared_budgets.len(),
            depth: model.depth(),
        });
    }
    Ok(verdict(
        model,
        signal,
        candidate,
        lambda,
        Some(squared_budgets),
    ))
}

/// The verdict on inputs of the right shapes: layer by layer, the residual constraint
/// (`‖Γ_{i-1} - D_i Γ_i‖²` against `0`, or against `E_{i-1}²` when budgets are given), then
/// the stripe constraint.
fn verdict<S: Scalar>(
    model: &Model<S>,
    signal: &LayerVector<S>,
    candidate: &[LayerVector<S>],
    lambda: &[usize],
    squared_budgets: Option<&[S]>,
) -> DcpVerdict<S> {
    let zero = S::zero();
    let mut violations = Vec::new();
    for i in 1..=model.depth() {
        let previous = if i == 1 { signal } else { &candidate[i - 2] };
        let image = synthesis_onto_grid(model.layer(i), &candidate[i - 1], model.grid(i - 1));
        let residual = previous.difference(&image);
        let squared_residual = residual.inner_product(&residual);
        let (constraint, allowed) = match squared_budgets {
            None => (DcpConstraint::Reconstruction, &zero),
            Some(budgets) => (DcpConstraint::ResidualBudget, &budgets[i - 1]),
        };
        if squared_residual > *allowed {
            let location = residual.support().next().map_or((0, 0), |(p, c, _)| (p, c));
            violations.push(DcpViolation {
                layer: i,
                constraint,
                found: squared_residual,
                allowed: allowed.clone(),
                location,
            });
        }
        violations.extend(stripe_violation(model, &candidate[i - 1], i, lambda[i - 1]));
    }
    if violations.is_empty() {
        DcpVerdict::Feasible
    } else {
        DcpVerdict::Infeasible(violations)
    }
}

/// `‖Γ_i‖^S_{0,∞} > λ_i`, with the first stripe that attains the sparsity; `None` when the
/// constraint holds.
fn stripe_violation<S: Scalar>(
    model: &Model<S>,
    gamma: &LayerVector<S>,
    i: usize,
    lambda: usize,
) -> Option<DcpViolation<S>> {
    let layer = model.layer(i);
    let sparsity = strided_stripe_sparsity(gamma, layer);
    (sparsity > lambda).then(|| {
        let position = (0..gamma.length())
            .find(|&p| strided_stripe_count_at(gamma, layer, p) == sparsity)
            .unwrap_or(0);
        DcpViolation {
            layer: i,
            constraint: DcpConstraint::StripeSparsity,
            found: S::from_integer(sparsity as i64),
            allowed: S::from_integer(lambda as i64),
            location: (position, 0),
        }
    })
}

/// Refuses a candidate or a `λ` without one entry per layer, and a signal or `Γ_i` whose shape
/// is not the model's grid `N_i` with `m_i` channels (`N_0`, `m_0` for the signal).
fn check_shapes<S: Scalar>(
    model: &Model<S>,
    signal: &LayerVector<S>,
    candidate: &[LayerVector<S>],
    lambda: &[usize],
) -> Result<(), DcpInputError> {
    let depth = model.depth();
    for (what, found) in [("candidate {Γ_i}", candidate.len()), ("λ", lambda.len())] {
        if found != depth {
            return Err(DcpInputError::Count {
                what: what.into(),
                found,
                depth,
            });
        }
    }
    let vectors = std::iter::once(("signal", 0, signal))
        .chain(candidate.iter().enumerate().map(|(k, g)| ("Γ", k + 1, g)));
    for (name, i, vector) in vectors {
        let expected_channels = model.channels(i);
        if vector.grid() != model.grid(i) || vector.channels() != expected_channels {
            return Err(DcpInputError::Shape {
                what: if i == 0 {
                    name.into()
                } else {
                    format!("{name}_{i}")
                },
                expected_length: model.length(i),
                expected_channels,
                found_length: vector.length(),
                found_channels: vector.channels(),
            });
        }
    }
    Ok(())
}
