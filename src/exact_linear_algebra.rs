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

use nalgebra::{DMatrix, DVector};
use num_traits::{One, Signed, Zero};
use thiserror::Error;

use crate::scalar::Rational;

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

/// The reduced row echelon form of a matrix and the columns of its pivots.
#[derive(Clone, Debug, PartialEq)]
pub struct RowEchelonForm {
    /// The reduced matrix: every pivot is 1 and is the only nonzero of its column.
    pub reduced: DMatrix<Rational>,
    /// The pivot column of each nonzero row, increasing.
    pub pivot_columns: Vec<usize>,
}

impl RowEchelonForm {
    /// The rank: the number of pivots.
    pub fn rank(&self) -> usize {
        self.pivot_columns.len()
    }
}

/// Gauss–Jordan elimination to the reduced row echelon form, exactly.
pub fn reduced_row_echelon_form(matrix: &DMatrix<Rational>) -> RowEchelonForm {
    let mut a = matrix.clone();
    let (rows, columns) = a.shape();
    let mut pivot_columns = Vec::new();
    let mut row = 0;
    for column in 0..columns {
        if row == rows {
            break;
        }
        let Some(pivot_row) = (row..rows).find(|&r| !a[(r, column)].is_zero()) else {
            continue;
        };
        a.swap_rows(row, pivot_row);
        let inverse = a[(row, column)].recip();
        for c in column..columns {
            let scaled = &a[(row, c)] * &inverse;
            a[(row, c)] = scaled;
        }
        for r in 0..rows {
            if r == row || a[(r, column)].is_zero() {
                continue;
            }
            let factor = a[(r, column)].clone();
            for c in column..columns {
                if a[(row, c)].is_zero() {
                    continue;
                }
                let update = &factor * &a[(row, c)];
                a[(r, c)] -= update;
            }
        }
        pivot_columns.push(column);
        row += 1;
    }
    RowEchelonForm {
        reduced: a,
        pivot_columns,
    }
}

/// The rank of a matrix, exactly.
pub fn rank(matrix: &DMatrix<Rational>) -> usize {
    reduced_row_echelon_form(matrix).rank()
}

/// A basis of the null space `{x : A x = 0}`: one vector per free column, with a 1 at that
/// column and zeros at the other free columns.
pub fn null_space(matrix: &DMatrix<Rational>) -> Vec<DVector<Rational>> {
    let echelon = reduced_row_echelon_form(matrix);
    null_space_from_echelon(&echelon, matrix.ncols())
}

fn null_space_from_echelon(echelon: &RowEchelonForm, columns: usize) -> Vec<DVector<Rational>> {
    let free: Vec<usize> = (0..columns)
        .filter(|c| !echelon.pivot_columns.contains(c))
        .collect();
    free.iter()
        .map(|&f| {
            let mut v = DVector::from_element(columns, Rational::zero());
            v[f] = Rational::one();
            for (row, &pivot) in echelon.pivot_columns.iter().enumerate() {
                v[pivot] = -echelon.reduced[(row, f)].clone();
            }
            v
        })
        .collect()
}

/// The solution set of `A x = b`.
#[derive(Clone, Debug, PartialEq)]
pub enum LinearSystemSolution {
    /// No `x` solves the system.
    Inconsistent,
    /// Exactly one `x` solves it (the columns of `A` are independent).
    Unique(DVector<Rational>),
    /// The solutions are `particular + span(null_space)`, with a non-empty null space.
    Affine {
        /// One solution (the free variables set to zero).
        particular: DVector<Rational>,
        /// A basis of the null space of `A`.
        null_space: Vec<DVector<Rational>>,
    },
}

/// Every solution of `A x = b`, exactly: inconsistent, unique, or an affine family.
pub fn solve_linear_system(
    a: &DMatrix<Rational>,
    b: &DVector<Rational>,
) -> Result<LinearSystemSolution, LinearAlgebraError> {
    let (rows, columns) = a.shape();
    if b.len() != rows {
        return Err(LinearAlgebraError::DimensionMismatch {
            what: format!("A has {rows} rows but b has {} entries", b.len()),
        });
    }
    let mut augmented = DMatrix::from_element(rows, columns + 1, Rational::zero());
    augmented.view_mut((0, 0), (rows, columns)).copy_from(a);
    for r in 0..rows {
        augmented[(r, columns)] = b[r].clone();
    }
    let echelon = reduced_row_echelon_form(&augmented);
    if echelon.pivot_columns.last() == Some(&columns) {
        return Ok(LinearSystemSolution::Inconsistent);
    }
    let mut particular = DVector::from_element(columns, Rational::zero());
    for (row, &pivot) in echelon.pivot_columns.iter().enumerate() {
        particular[pivot] = echelon.reduced[(row, columns)].clone();
    }
    let pivots_of_a = RowEchelonForm {
        reduced: echelon.reduced.columns(0, columns).into_owned(),
        pivot_columns: echelon.pivot_columns.clone(),
    };
    let null_space = null_space_from_echelon(&pivots_of_a, columns);
    if null_space.is_empty() {
        Ok(LinearSystemSolution::Unique(particular))
    } else {
        Ok(LinearSystemSolution::Affine {
            particular,
            null_space,
        })
    }
}

/// The unique solution of a square nonsingular system `A x = b`.
pub fn solve(
    a: &DMatrix<Rational>,
    b: &DVector<Rational>,
) -> Result<DVector<Rational>, LinearAlgebraError> {
    let (rows, columns) = a.shape();
    if rows != columns {
        return Err(LinearAlgebraError::DimensionMismatch {
            what: format!("solve needs a square matrix, got {rows} × {columns}"),
        });
    }
    match solve_linear_system(a, b)? {
        LinearSystemSolution::Unique(x) => Ok(x),
        _ => Err(LinearAlgebraError::Singular {
            size: rows,
            rank: rank(a),
        }),
    }
}

/// The columns of `A` listed in `support`, in that order.
pub fn columns_on_support(
    a: &DMatrix<Rational>,
    support: &[usize],
) -> Result<DMatrix<Rational>, LinearAlgebraError> {
    if let Some(&index) = support.iter().find(|&&k| k >= a.ncols()) {
        return Err(LinearAlgebraError::SupportOutOfRange {
            index,
            columns: a.ncols(),
        });
    }
    Ok(DMatrix::from_fn(a.nrows(), support.len(), |r, k| {
        a[(r, support[k])].clone()
    }))
}

/// The Gram matrix `A_Sᵀ A_S` of the columns on a support.
pub fn gram_on_support(
    a: &DMatrix<Rational>,
    support: &[usize],
) -> Result<DMatrix<Rational>, LinearAlgebraError> {
    let restricted = columns_on_support(a, support)?;
    Ok(gram_matrix(&restricted))
}

/// The Gram matrix `Aᵀ A`.
pub fn gram_matrix(a: &DMatrix<Rational>) -> DMatrix<Rational> {
    let columns = a.ncols();
    let mut gram = DMatrix::from_element(columns, columns, Rational::zero());
    for i in 0..columns {
        for j in i..columns {
            let mut acc = Rational::zero();
            for r in 0..a.nrows() {
                if !a[(r, i)].is_zero() && !a[(r, j)].is_zero() {
                    acc += &a[(r, i)] * &a[(r, j)];
                }
            }
            gram[(j, i)] = acc.clone();
            gram[(i, j)] = acc;
        }
    }
    gram
}

/// The least-squares solution on a support: the `x ∈ Q^{|S|}` minimising `‖A_S x - b‖`, from
/// the normal equations `A_Sᵀ A_S x = A_Sᵀ b`. Requires independent columns on the support.
pub fn least_squares_on_support(
    a: &DMatrix<Rational>,
    b: &DVector<Rational>,
    support: &[usize],
) -> Result<DVector<Rational>, LinearAlgebraError> {
    if b.len() != a.nrows() {
        return Err(LinearAlgebraError::DimensionMismatch {
            what: format!("A has {} rows but b has {} entries", a.nrows(), b.len()),
        });
    }
    let restricted = columns_on_support(a, support)?;
    let gram = gram_matrix(&restricted);
    let right = DVector::from_fn(support.len(), |k, _| {
        let mut acc = Rational::zero();
        for r in 0..restricted.nrows() {
            if !restricted[(r, k)].is_zero() && !b[r].is_zero() {
                acc += &restricted[(r, k)] * &b[r];
            }
        }
        acc
    });
    solve(&gram, &right).map_err(|_| LinearAlgebraError::DependentColumns {
        columns: support.len(),
        rank: rank(&restricted),
    })
}

/// The product `A x`, exactly.
pub fn matrix_vector_product(a: &DMatrix<Rational>, x: &DVector<Rational>) -> DVector<Rational> {
    DVector::from_fn(a.nrows(), |r, _| {
        let mut acc = Rational::zero();
        for c in 0..a.ncols() {
            if !a[(r, c)].is_zero() && !x[c].is_zero() {
                acc += &a[(r, c)] * &x[c];
            }
        }
        acc
    })
}

/// `A - t I` for a square `A`.
pub fn shifted_by_identity(a: &DMatrix<Rational>, t: &Rational) -> DMatrix<Rational> {
    let mut shifted = a.clone();
    for k in 0..a.nrows().min(a.ncols()) {
        shifted[(k, k)] -= t;
    }
    shifted
}

/// The signs of the pivots met by symmetric elimination, stopping at the first that decides.
fn symmetric_elimination_is_nonnegative(a: &DMatrix<Rational>, strict: bool) -> bool {
    let n = a.nrows();
    assert_eq!(n, a.ncols(), "a symmetric matrix is square");
    let mut work = a.clone();
    for k in 0..n {
        let pivot = work[(k, k)].clone();
        if pivot.is_negative() || (strict && pivot.is_zero()) {
            return false;
        }
        if pivot.is_zero() {
            // A positive semidefinite matrix with a zero diagonal entry has a zero row there.
            if (k + 1..n).any(|j| !work[(k, j)].is_zero()) {
                return false;
            }
            continue;
        }
        for i in k + 1..n {
            if work[(i, k)].is_zero() {
                continue;
            }
            let factor = &work[(i, k)] / &pivot;
            for j in k + 1..n {
                if work[(k, j)].is_zero() {
                    continue;
                }
                let update = &factor * &work[(k, j)];
                work[(i, j)] -= update;
            }
        }
    }
    true
}

/// Whether a symmetric matrix is positive definite (every `LDLᵀ` pivot positive), exactly.
pub fn is_positive_definite(a: &DMatrix<Rational>) -> bool {
    symmetric_elimination_is_nonnegative(a, true)
}

/// Whether a symmetric matrix is positive semidefinite, exactly.
pub fn is_positive_semidefinite(a: &DMatrix<Rational>) -> bool {
    symmetric_elimination_is_nonnegative(a, false)
}

/// Whether `λ_min(A) ≥ t` for a symmetric `A` (`A - tI ⪰ 0`), exactly.
pub fn smallest_eigenvalue_at_least(a: &DMatrix<Rational>, t: &Rational) -> bool {
    is_positive_semidefinite(&shifted_by_identity(a, t))
}

/// Whether `λ_max(A) ≤ t` for a symmetric `A` (`tI - A ⪰ 0`), exactly.
pub fn largest_eigenvalue_at_most(a: &DMatrix<Rational>, t: &Rational) -> bool {
    let negated = a.map(|x| -x);
    is_positive_semidefinite(&shifted_by_identity(&negated, &-t.clone()))
}

/// A certified enclosure `lo < λ ≤ hi` of an eigenvalue (here the smallest of a symmetric
/// matrix): `A - lo I` is positive definite and `A - hi I` is not.
#[derive(Clone, Debug, PartialEq)]
pub struct EigenvalueEnclosure {
    /// A certified strict lower bound.
    pub lo: Rational,
    /// A certified upper bound.
    pub hi: Rational,
}

/// Encloses `λ_min(A)` of a symmetric `A` by `bisection_steps` bisections of a dyadic grid,
/// starting from an integer below the Gershgorin lower bound and an integer at or above the
/// smallest diagonal entry (so the ends stay dyadic rationals, cheap to test). Each step halves
/// the width; each end stays certified by an exact definiteness test.
pub fn smallest_eigenvalue_enclosure(
    a: &DMatrix<Rational>,
    bisection_steps: u32,
) -> EigenvalueEnclosure {
    let n = a.nrows();
    assert!(n > 0 && n == a.ncols(), "a non-empty square matrix");
    let smallest_diagonal = (0..n).map(|k| a[(k, k)].clone()).min().expect("n > 0");
    let gershgorin = (0..n)
        .map(|i| {
            let mut radius = Rational::zero();
            for j in (0..n).filter(|&j| j != i) {
                radius += a[(i, j)].abs();
            }
            &a[(i, i)] - radius
        })
        .min()
        .expect("n > 0");
    // λ_min ≥ gershgorin > lo, and λ_min ≤ smallest diagonal ≤ hi.
    let mut lo = gershgorin.floor() - Rational::one();
    let mut hi = smallest_diagonal.ceil();
    let two = Rational::from_integer(2.into());
    for _ in 0..bisection_steps {
        let middle = (&lo + &hi) / &two;
        if is_positive_definite(&shifted_by_identity(a, &middle)) {
            lo = middle;
        } else {
            hi = middle;
        }
    }
    EigenvalueEnclosure { lo, hi }
}

/// A growing set of vectors kept in echelon form, to test linear independence one vector at a
/// time (as a depth-first search over supports adds and removes columns).
///
/// Each stored vector is zero at the pivots of the vectors stored before it, so reducing a new
/// vector by the stored ones in order leaves zero exactly when it lies in their span.
#[derive(Clone, Debug, Default)]
pub struct IncrementalSpan {
    basis: Vec<(usize, DVector<Rational>)>,
}

impl IncrementalSpan {
    /// The span of no vectors.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of vectors stored (the dimension of the span).
    pub fn dimension(&self) -> usize {
        self.basis.len()
    }

    /// `v` minus its projection along the stored vectors (zero iff `v` is in the span).
    pub fn reduce(&self, v: &DVector<Rational>) -> DVector<Rational> {
        let mut residual = v.clone();
        for (pivot, b) in &self.basis {
            if residual[*pivot].is_zero() {
                continue;
            }
            let factor = &residual[*pivot] / &b[*pivot];
            for k in 0..residual.len() {
                if !b[k].is_zero() {
                    let update = &factor * &b[k];
                    residual[k] -= update;
                }
            }
        }
        residual
    }

    /// Adds `v` if it is independent of the stored vectors and returns whether it was.
    pub fn insert(&mut self, v: &DVector<Rational>) -> bool {
        let residual = self.reduce(v);
        match residual.iter().position(|x| !x.is_zero()) {
            Some(pivot) => {
                self.basis.push((pivot, residual));
                true
            }
            None => false,
        }
    }

    /// Removes the most recently inserted vector.
    pub fn remove_last(&mut self) {
        self.basis.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    fn r(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    fn matrix(rows: usize, columns: usize, entries: &[i64]) -> DMatrix<Rational> {
        DMatrix::from_row_iterator(rows, columns, entries.iter().map(|&e| r(e, 1)))
    }

    #[test]
    fn rank_and_null_space_of_a_dependent_matrix() {
        let a = matrix(2, 3, &[1, 2, 3, 2, 4, 6]);
        assert_eq!(rank(&a), 1);
        let basis = null_space(&a);
        assert_eq!(basis.len(), 2);
        for v in &basis {
            assert!(matrix_vector_product(&a, v).iter().all(Zero::is_zero));
        }
    }

    #[test]
    fn solving_reports_every_kind_of_solution_set() {
        let a = matrix(2, 2, &[2, 1, 1, 3]);
        let b = DVector::from_vec(vec![r(3, 1), r(4, 1)]);
        assert_eq!(
            solve(&a, &b).unwrap(),
            DVector::from_vec(vec![r(1, 1), r(1, 1)])
        );
        let singular = matrix(2, 2, &[1, 1, 1, 1]);
        let inconsistent = DVector::from_vec(vec![r(1, 1), r(2, 1)]);
        assert_eq!(
            solve_linear_system(&singular, &inconsistent).unwrap(),
            LinearSystemSolution::Inconsistent
        );
        let consistent = DVector::from_vec(vec![r(1, 1), r(1, 1)]);
        assert!(matches!(
            solve_linear_system(&singular, &consistent).unwrap(),
            LinearSystemSolution::Affine { .. }
        ));
        assert!(matches!(
            solve(&singular, &consistent),
            Err(LinearAlgebraError::Singular { size: 2, rank: 1 })
        ));
    }

    #[test]
    fn least_squares_on_a_support_solves_the_normal_equations() {
        // Columns e1, e2 of R³ and b = (1, 2, 3): the fit on {0, 1} is (1, 2).
        let a = matrix(3, 3, &[1, 0, 1, 0, 1, 1, 0, 0, 0]);
        let b = DVector::from_vec(vec![r(1, 1), r(2, 1), r(3, 1)]);
        let x = least_squares_on_support(&a, &b, &[0, 1]).unwrap();
        assert_eq!(x, DVector::from_vec(vec![r(1, 1), r(2, 1)]));
        assert!(matches!(
            least_squares_on_support(
                &matrix(2, 2, &[1, 1, 1, 1]),
                &b.rows(0, 2).into_owned(),
                &[0, 1]
            ),
            Err(LinearAlgebraError::DependentColumns {
                columns: 2,
                rank: 1
            })
        ));
    }

    #[test]
    fn definiteness_tests_are_exact_at_the_boundary() {
        // [[1, 1], [1, 1]] has eigenvalues 0 and 2.
        let a = matrix(2, 2, &[1, 1, 1, 1]);
        assert!(is_positive_semidefinite(&a));
        assert!(!is_positive_definite(&a));
        assert!(smallest_eigenvalue_at_least(&a, &r(0, 1)));
        assert!(!smallest_eigenvalue_at_least(&a, &r(1, 1_000_000)));
        assert!(largest_eigenvalue_at_most(&a, &r(2, 1)));
        assert!(!largest_eigenvalue_at_most(&a, &r(1999, 1000)));
        // A zero pivot with a nonzero row is indefinite.
        assert!(!is_positive_semidefinite(&matrix(2, 2, &[0, 1, 1, 5])));
    }

    #[test]
    fn smallest_eigenvalue_is_enclosed_by_bisection() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
        let a = matrix(2, 2, &[2, 1, 1, 2]);
        let enclosure = smallest_eigenvalue_enclosure(&a, 30);
        assert!(enclosure.lo < r(1, 1) && r(1, 1) <= enclosure.hi);
        assert!(&enclosure.hi - &enclosure.lo < r(1, 1 << 24));
    }

    #[test]
    fn incremental_span_detects_dependence() {
        let mut span = IncrementalSpan::new();
        let v = |e: [i64; 3]| DVector::from_vec(e.iter().map(|&x| r(x, 1)).collect());
        assert!(span.insert(&v([1, 1, 0])));
        assert!(span.insert(&v([0, 1, 1])));
        assert!(!span.insert(&v([1, 2, 1])));
        assert!(span.insert(&v([1, 0, 0])));
        span.remove_last();
        assert_eq!(span.dimension(), 2);
        assert!(!span.insert(&v([2, 3, 1])));
    }
}
