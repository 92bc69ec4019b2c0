//! Exact linear algebra over the rationals: elimination, rank, null spaces, solving, and
//! certified eigenvalue bounds of symmetric matrices.
//!
//! Everything here is exact: no pivot is compared with a tolerance, so a rank, a null vector or
//! an eigenvalue bound computed here is a certificate. The matrices are small (a dictionary
//! restricted to a support, its Gram matrix), and the algorithms are the textbook ones:
//!
//! - Gauss–Jordan elimination to the reduced row echelon form, from which the rank, a basis of
//!   the null space and the solutions of `A x = b` are read off;
//! - least squares on a support `S` by the normal equations `A_Sᵀ A_S x = A_Sᵀ b`;
//! - positive (semi)definiteness by symmetric Gaussian elimination (the `LDLᵀ` pivots): a
//!   symmetric `A` is positive definite iff every pivot is positive (Sylvester), and positive
//!   semidefinite iff every pivot is non-negative and a zero pivot has a zero row in its Schur
//!   complement;
//! - eigenvalue bounds: `λ_min(A) ≥ t` iff `A - tI` is positive semidefinite, and
//!   `λ_min(A) > t` iff `A - tI` is positive definite, so bisection on `t` encloses `λ_min`
//!   between two rationals, each end certified.
//!
//! Every algorithm is generic over an [`ExactField`]: the big rationals [`Rational`], or any
//! other exact type of the same values (an engine's machine-word fractions, say). Every step
//! computes equal values in every exact field, so a rank, a null vector or a definiteness
//! verdict does not depend on the type.

use nalgebra::{DMatrix, DVector};
use num_traits::One;
use thiserror::Error;

use crate::scalar::{Rational, Scalar};

/// A field whose arithmetic is exact, so that elimination decides every zero and every sign
/// with certainty: [`Rational`], or another exact type of the same values step by step.
pub trait ExactField: Scalar + Ord {
    /// `self · other`.
    fn product(&self, other: &Self) -> Self;
    /// `self / other` (`other ≠ 0`).
    fn quotient(&self, other: &Self) -> Self;
}

impl ExactField for Rational {
    fn product(&self, other: &Self) -> Self {
        self * other
    }

    fn quotient(&self, other: &Self) -> Self {
        self / other
    }
}

/// Why an exact solve could not be carried out.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum LinearAlgebraError {
    /// The sizes of the operands do not fit together.
    #[error("dimension mismatch: {what}")]
    DimensionMismatch {
        /// What did not fit.
        what: String,
    },
    /// A square system whose matrix is singular.
    #[error("the {size} × {size} matrix is singular (rank {rank})")]
    Singular {
        /// The order of the matrix.
        size: usize,
        /// Its rank.
        rank: usize,
    },
    /// The columns on the support are linearly dependent, so the least-squares solution on the
    /// support is not unique.
    #[error("the columns on the support are dependent: rank {rank} < {columns}")]
    DependentColumns {
        /// The number of columns on the support.
        columns: usize,
        /// Their rank.
        rank: usize,
    },
    /// A support index beyond the number of columns.
    #[error("support index {index} is out of range 0..{columns}")]
    SupportOutOfRange {
        /// The offending index.
        index: usize,
        /// The number of columns.
        columns: usize,
    },
}

mod definiteness;
mod elimination;
mod products;
mod span;

pub use definiteness::*;
pub use elimination::*;
pub use products::*;
pub use span::*;
