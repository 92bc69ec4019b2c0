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

use num_traits::Zero;
use thiserror::Error;

use crate::model::{LayerVector, Model};
use crate::norms::{stripe_count_at, stripe_sparsity};
use crate::operators::synthesis;
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;

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

/// One failed constraint: where, and the two numbers compared (`found > allowed`).
#[derive(Clone, Debug, PartialEq)]
pub struct DcpViolation {
    /// The layer `i`, from 1.
    pub layer: usize,
    /// The constraint.
    pub constraint: DcpConstraint,
    /// The left side: a squared residual norm, or a stripe sparsity.
    pub found: Rational,
    /// The right side: a squared budget (0 in `DCP_λ`), or `λ_i`.
    pub allowed: Rational,
    /// For a residual, the first `(position, channel)` where it is nonzero; for a stripe, the
    /// `(position, 0)` of the first stripe that attains the sparsity.
    pub location: (usize, usize),
}

/// The verdict of a feasibility predicate.
#[derive(Clone, Debug, PartialEq)]
pub enum DcpVerdict {
    /// Every constraint holds, exactly.
    Feasible,
    /// The constraints that fail, by layer, residual before stripe.
    Infeasible(Vec<DcpViolation>),
}

impl DcpVerdict {
    /// Whether the candidate is feasible.
    pub fn is_feasible(&self) -> bool {
        matches!(self, DcpVerdict::Feasible)
    }

    /// The failed constraints (empty when feasible).
    pub fn violations(&self) -> &[DcpViolation] {
        match self {
            DcpVerdict::Feasible => &[],
            DcpVerdict::Infeasible(violations) => violations,
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
        if vector.length() != model.signal_length() || vector.channels() != expected_channels {
            return Err(DcpInputError::Shape {
                what: if i == 0 {
                    name.into()
                } else {
                    format!("{name}_{i}")
                },
                expected_length: model.signal_length(),
                expected_channels,
                found_length: vector.length(),
                found_channels: vector.channels(),
            });
        }
    }
    Ok(())
}

fn check_budget_count<S: Scalar>(
    model: &Model<S>,
    squared_budgets: &[S],
) -> Result<(), DcpInputError> {
    if squared_budgets.len() != model.depth() {
        return Err(DcpInputError::Count {
            what: "squared budgets E_0², …, E_(K-1)²".into(),
            found: squared_budgets.len(),
            depth: model.depth(),
        });
    }
    Ok(())
}

/// `‖Γ_{i-1} - D_i Γ_i‖²` for every layer, with the first nonzero of each residual.
fn squared_residuals(
    model: &Model<SmallRational>,
    signal: &LayerVector<SmallRational>,
    candidate: &[LayerVector<SmallRational>],
) -> Vec<(SmallRational, (usize, usize))> {
    (1..=model.depth())
        .map(|i| {
            let previous = if i == 1 { signal } else { &candidate[i - 2] };
            let residual = previous.difference(&synthesis(model.layer(i), &candidate[i - 1]));
            let location = residual.support().next().map_or((0, 0), |(p, c, _)| (p, c));
            (residual.inner_product(&residual), location)
        })
        .collect()
}

fn stripe_violation(
    model: &Model<SmallRational>,
    gamma: &LayerVector<SmallRational>,
    i: usize,
    lambda: usize,
) -> Option<DcpViolation> {
    let n = model.layer(i).filter_length();
    let sparsity = stripe_sparsity(gamma, n);
    (sparsity > lambda).then(|| {
        let position = (0..gamma.length())
            .find(|&p| stripe_count_at(gamma, n, p) == sparsity)
            .unwrap_or(0);
        DcpViolation {
            layer: i,
            constraint: DcpConstraint::StripeSparsity,
            found: Rational::from_integer((sparsity as i64).into()),
            allowed: Rational::from_integer((lambda as i64).into()),
            location: (position, 0),
        }
    })
}

/// The verdict, decided in [`SmallRational`] (the same values as in [`Rational`], in machine
/// words while they fit); the numbers of a violation are converted to [`Rational`] only then.
fn verdict(
    model: &Model<SmallRational>,
    signal: &LayerVector<SmallRational>,
    candidate: &[LayerVector<SmallRational>],
    lambda: &[usize],
    squared_budgets: Option<&[SmallRational]>,
) -> DcpVerdict {
    let zero = SmallRational::zero();
    let mut violations = Vec::new();
    for (k, (residual, location)) in squared_residuals(model, signal, candidate)
        .into_iter()
        .enumerate()
    {
        let i = k + 1;
        let (constraint, allowed) = match squared_budgets {
            None => (DcpConstraint::Reconstruction, &zero),
            Some(b) => (DcpConstraint::ResidualBudget, &b[k]),
        };
        if residual > *allowed {
            violations.push(DcpViolation {
                layer: i,
                constraint,
                found: residual.to_big(),
                allowed: allowed.to_big(),
                location,
            });
        }
        violations.extend(stripe_violation(model, &candidate[k], i, lambda[k]));
    }
    if violations.is_empty() {
        DcpVerdict::Feasible
    } else {
        DcpVerdict::Infeasible(violations)
    }
}

fn small(value: &Rational) -> SmallRational {
    SmallRational::from(value)
}

fn small_vectors(vectors: &[LayerVector<Rational>]) -> Vec<LayerVector<SmallRational>> {
    vectors.iter().map(|v| v.map(small)).collect()
}

/// `DCP_λ` as a predicate: whether `{Γ_i}` (`candidate[i-1] = Γ_i`) satisfies `X = D_1 Γ_1`,
/// `Γ_{i-1} = D_i Γ_i` and `‖Γ_i‖^S_{0,∞} ≤ λ_i` for every layer, exactly.
pub fn deep_coding_problem(
    model: &Model<Rational>,
    signal: &LayerVector<Rational>,
    candidate: &[LayerVector<Rational>],
    lambda: &[usize],
) -> Result<DcpVerdict, DcpInputError> {
    check_shapes(model, signal, candidate, lambda)?;
    Ok(verdict(
        &model.map(small),
        &signal.map(small),
        &small_vectors(candidate),
        lambda,
        None,
    ))
}

/// [`deep_coding_problem`] on inputs already in [`SmallRational`]: the same verdict.
pub fn deep_coding_problem_small(
    model: &Model<SmallRational>,
    signal: &LayerVector<SmallRational>,
    candidate: &[LayerVector<SmallRational>],
    lambda: &[usize],
) -> Result<DcpVerdict, DcpInputError> {
    check_shapes(model, signal, candidate, lambda)?;
    Ok(verdict(model, signal, candidate, lambda, None))
}

/// `DCP^E_λ` as a predicate, with squared budgets `squared_budgets[i-1] = E_{i-1}²`: whether
/// `‖Y - D_1 Γ_1‖² ≤ E_0²`, `‖Γ_{i-1} - D_i Γ_i‖² ≤ E_{i-1}²` and `‖Γ_i‖^S_{0,∞} ≤ λ_i`,
/// exactly.
pub fn noisy_deep_coding_problem(
    model: &Model<Rational>,
    signal: &LayerVector<Rational>,
    candidate: &[LayerVector<Rational>],
    lambda: &[usize],
    squared_budgets: &[Rational],
) -> Result<DcpVerdict, DcpInputError> {
    check_shapes(model, signal, candidate, lambda)?;
    check_budget_count(model, squared_budgets)?;
    let squared_budgets: Vec<SmallRational> = squared_budgets.iter().map(small).collect();
    Ok(verdict(
        &model.map(small),
        &signal.map(small),
        &small_vectors(candidate),
        lambda,
        Some(&squared_budgets),
    ))
}

/// [`noisy_deep_coding_problem`] on inputs already in [`SmallRational`]: the same verdict.
pub fn noisy_deep_coding_problem_small(
    model: &Model<SmallRational>,
    signal: &LayerVector<SmallRational>,
    candidate: &[LayerVector<SmallRational>],
    lambda: &[usize],
    squared_budgets: &[SmallRational],
) -> Result<DcpVerdict, DcpInputError> {
    check_shapes(model, signal, candidate, lambda)?;
    check_budget_count(model, squared_budgets)?;
    Ok(verdict(
        model,
        signal,
        candidate,
        lambda,
        Some(squared_budgets),
    ))
}
