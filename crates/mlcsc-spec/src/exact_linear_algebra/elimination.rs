//! Gauss–Jordan elimination: the reduced row echelon form, rank, null space and solutions.

use super::*;

/// The reduced row echelon form of a matrix and the columns of its pivots.
#[derive(Clone, Debug, PartialEq)]
pub struct RowEchelonForm<T = Rational> {
    /// The reduced matrix: every pivot is 1 and is the only nonzero of its column.
    pub reduced: DMatrix<T>,
    /// The pivot column of each nonzero row, increasing.
    pub pivot_columns: Vec<usize>,
}

impl<T> RowEchelonForm<T> {
    /// The rank: the number of pivots.
    pub fn rank(&self) -> usize {
        self.pivot_columns.len()
    }
}

/// Gauss–Jordan elimination to the reduced row echelon form, exactly.
pub fn reduced_row_echelon_form<T: ExactField>(matrix: &DMatrix<T>) -> RowEchelonForm<T> {
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
        let inverse = T::one().quotient(&a[(row, column)]);
        for c in column..columns {
            let scaled = a[(row, c)].product(&inverse);
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
                let update = factor.product(&a[(row, c)]);
                a[(r, c)] -= &update;
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
pub fn rank<T: ExactField>(matrix: &DMatrix<T>) -> usize {
    reduced_row_echelon_form(matrix).rank()
}

/// A basis of the null space `{x : A x = 0}`: one vector per free column, with a 1 at that
/// column and zeros at the other free columns.
pub fn null_space<T: ExactField>(matrix: &DMatrix<T>) -> Vec<DVector<T>> {
    let echelon = reduced_row_echelon_form(matrix);
    null_space_from_echelon(&echelon, matrix.ncols())
}

pub(super) fn null_space_from_echelon<T: ExactField>(
    echelon: &RowEchelonForm<T>,
    columns: usize,
) -> Vec<DVector<T>> {
    let free: Vec<usize> = (0..columns)
        .filter(|c| !echelon.pivot_columns.contains(c))
        .collect();
    free.iter()
        .map(|&f| {
            let mut v = DVector::from_element(columns, T::zero());
            v[f] = T::one();
            for (row, &pivot) in echelon.pivot_columns.iter().enumerate() {
                v[pivot] = -echelon.reduced[(row, f)].clone();
            }
            v
        })
        .collect()
}

/// The solution set of `A x = b`.
#[derive(Clone, Debug, PartialEq)]
pub enum LinearSystemSolution<T = Rational> {
    /// No `x` solves the system.
    Inconsistent,
    /// Exactly one `x` solves it (the columns of `A` are independent).
    Unique(DVector<T>),
    /// The solutions are `particular + span(null_space)`, with a non-empty null space.
    Affine {
        /// One solution (the free variables set to zero).
        particular: DVector<T>,
        /// A basis of the null space of `A`.
        null_space: Vec<DVector<T>>,
    },
}

/// Every solution of `A x = b`, exactly: inconsistent, unique, or an affine family.
pub fn solve_linear_system<T: ExactField>(
    a: &DMatrix<T>,
    b: &DVector<T>,
) -> Result<LinearSystemSolution<T>, LinearAlgebraError> {
    let (rows, columns) = a.shape();
    if b.len() != rows {
        return Err(LinearAlgebraError::DimensionMismatch {
            what: format!("A has {rows} rows but b has {} entries", b.len()),
        });
    }
    let mut augmented = DMatrix::from_element(rows, columns + 1, T::zero());
    augmented.view_mut((0, 0), (rows, columns)).copy_from(a);
    for r in 0..rows {
        augmented[(r, columns)] = b[r].clone();
    }
    let echelon = reduced_row_echelon_form(&augmented);
    if echelon.pivot_columns.last() == Some(&columns) {
        return Ok(LinearSystemSolution::Inconsistent);
    }
    let mut particular = DVector::from_element(columns, T::zero());
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
pub fn solve<T: ExactField>(
    a: &DMatrix<T>,
    b: &DVector<T>,
) -> Result<DVector<T>, LinearAlgebraError> {
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
