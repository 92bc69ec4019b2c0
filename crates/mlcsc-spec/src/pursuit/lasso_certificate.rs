//! The exact optimality certificate of a LASSO minimiser (`proofs/layered_basis_pursuit.md`,
//! C1), written plainly:
//!
//! > `x` minimises the convex function `½‖y − Dx‖² + ξ‖x‖_1` if and only if `0` lies in its
//! > subdifferential: `Dᵀ(y − Dx) = ξ sign(x)` on the support and `|Dᵀ(y − Dx)| ≤ ξ` off it.
//! > Given a support `S` and signs `z`, `x_S` solves `D_Sᵀ D_S x_S = D_Sᵀ y − ξ z` exactly; the
//! > certificate checks `sign(x_S) = z` and the off-support inequalities in rationals. The
//! > minimiser is unique when `D_Sᵀ D_S` is nonsingular and every off-support inequality is
//! > strict (Fuchs).
//!
//! Here the dense Gram matrix of the support is formed and solved by exact elimination, and
//! `Dᵀ(y − Dx)` is one synthesis and one analysis: the definition, for any exact field. A
//! solver proposes the support and signs; only this check decides.

use nalgebra::DVector;

use crate::exact_linear_algebra::{ExactField, columns_on_support, gram_matrix, solve};
use crate::model::{Layer, LayerVector};
use crate::operators::{analysis, dense_dictionary, synthesis};
use crate::scalar::Rational;

/// The exact verdict on one support and sign guess.
#[derive(Clone, Debug, PartialEq)]
pub enum LassoSupportCheck<S = Rational> {
    /// Every optimality condition holds: `estimate` is a minimiser, `unique` when `D_Sᵀ D_S` is
    /// nonsingular and every off-support inequality is strict.
    Certified {
        /// The minimiser, exactly.
        estimate: LayerVector<S>,
        /// Certified unique.
        unique: bool,
    },
    /// The solution of the normal equations has the wrong sign (or is zero) at `support[entry]`.
    SignChanges {
        /// The index into the support.
        entry: usize,
        /// The atom `p · m + c`.
        atom: usize,
    },
    /// `|D_kᵀ (y − D x)| > ξ` at atom `k` off the support (the most violated one, the first of
    /// equal ones), whose correlation has sign `sign`.
    OffSupportViolation {
        /// The atom `p · m + c`.
        atom: usize,
        /// The sign of `D_kᵀ (y − D x)`.
        sign: i64,
    },
    /// `D_Sᵀ D_S` is singular.
    Singular,
}

/// Decides one support and sign guess `S, z` for `min_Γ ½ ‖y − DΓ‖² + ξ ‖Γ‖_1` (`D` the
/// layer's dictionary, `ξ = weight`), exactly: `x_S` solves `D_Sᵀ D_S x_S = D_Sᵀ y − ξ z`, and
/// the guess is certified when `sign(x_S) = z` and `|D_kᵀ (y − D x)| ≤ ξ` for every atom `k`
/// off `S`. `support` lists atoms `p · m + c` with signs `±1`, each atom once.
pub fn check_lasso_support<S: ExactField>(
    layer: &Layer<S>,
    y: &LayerVector<S>,
    weight: &S,
    support: &[(usize, i64)],
) -> LassoSupportCheck<S> {
    let (length, m) = (y.length(), layer.filter_count());
    let atoms: Vec<usize> = support.iter().map(|&(k, _)| k).collect();
    let restricted =
        columns_on_support(&dense_dictionary(layer, length), &atoms).expect("atoms in range");
    let correlations = analysis(layer, y);
    let right = DVector::from_fn(atoms.len(), |a, _| {
        correlations.entries()[atoms[a]].clone() - weight.product(&S::from_integer(support[a].1))
    });
    let Ok(solution) = solve(&gram_matrix(&restricted), &right) else {
        return LassoSupportCheck::Singular;
    };
    if let Some(entry) =
        (0..atoms.len()).find(|&a| solution[a].signum() != S::from_integer(support[a].1))
    {
        let atom = atoms[entry];
        return LassoSupportCheck::SignChanges { entry, atom };
    }
    let mut estimate = LayerVector::zeros(length, m);
    for (a, &k) in atoms.iter().enumerate() {
        estimate.set(k / m, k % m, solution[a].clone());
    }
    let residual_correlations = analysis(layer, &y.difference(&synthesis(layer, &estimate)));
    let mut strict = true;
    let mut worst: Option<(usize, S)> = None;
    for (k, c) in residual_correlations.entries().iter().enumerate() {
        if !estimate.entries()[k].is_zero() {
            continue;
        }
        let magnitude = c.abs();
        if magnitude > *weight {
            if worst.as_ref().is_none_or(|(_, w)| magnitude > *w) {
                worst = Some((k, magnitude));
            }
        } else if magnitude == *weight {
            strict = false;
        }
    }
    match worst {
        Some((atom, _)) => LassoSupportCheck::OffSupportViolation {
            atom,
            sign: if residual_correlations.entries()[atom].is_positive() {
                1
            } else {
                -1
            },
        },
        None => LassoSupportCheck::Certified {
            estimate,
            unique: strict,
        },
    }
}
