//! Products and restrictions: columns on a support, Gram matrices, least squares on a support.

use super::*;

/// The columns of `A` listed in `support`, in that order.
pub fn columns_on_support<T: ExactField>(
    a: &DMatrix<T>,
    support: &[usize],
) -> Result<DMatrix<T>, LinearAlgebraError> {
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
pub fn gram_on_support<T: ExactField>(
    a: &DMatrix<T>,
    support: &[usize],
) -> Result<DMatrix<T>, LinearAlgebraError> {
    let restricted = columns_on_support(a, support)?;
    Ok(gram_matrix(&restricted))
}

/// The Gram matrix `Aᵀ A`.
pub fn gram_matrix<T: ExactField>(a: &DMatrix<T>) -> DMatrix<T> {
    let columns = a.ncols();
    let mut gram = DMatrix::from_element(columns, columns, T::zero());
    for i in 0..columns {
        for j in i..columns {
            let mut acc = T::zero();
            for r in 0..a.nrows() {
                T::multiply_accumulate(&mut acc, &a[(r, i)], &a[(r, j)]);
            }
            gram[(j, i)] = acc.clone();
            gram[(i, j)] = acc;
        }
    }
    gram
}

/// The least-squares solution on a support: the `x ∈ Q^{|S|}` minimising `‖A_S x - b‖`, from
/// the normal equations `A_Sᵀ A_S x = A_Sᵀ b`. Requires independent columns on the support.
pub fn least_squares_on_support<T: ExactField>(
    a: &DMatrix<T>,
    b: &DVector<T>,
    support: &[usize],
) -> Result<DVector<T>, LinearAlgebraError> {
    if b.len() != a.nrows() {
        return Err(LinearAlgebraError::DimensionMismatch {
            what: format!("A has {} rows but b has {} entries", a.nrows(), b.len()),
        });
    }
    let restricted = columns_on_support(a, support)?;
    let gram = gram_matrix(&restricted);
    let right = DVector::from_fn(support.len(), |k, _| {
        let mut acc = T::zero();
        for r in 0..restricted.nrows() {
            T::multiply_accumulate(&mut acc, &restricted[(r, k)], &b[r]);
        }
        acc
    });
    solve(&gram, &right).map_err(|_| LinearAlgebraError::DependentColumns {
        columns: support.len(),
        rank: rank(&restricted),
    })
}

/// The product `A x`, exactly.
pub fn matrix_vector_product<T: ExactField>(a: &DMatrix<T>, x: &DVector<T>) -> DVector<T> {
    DVector::from_fn(a.nrows(), |r, _| {
        let mut acc = T::zero();
        for c in 0..a.ncols() {
            T::multiply_accumulate(&mut acc, &a[(r, c)], &x[c]);
        }
        acc
    })
}

/// `A - t I` for a square `A`.
pub fn shifted_by_identity<T: ExactField>(a: &DMatrix<T>, t: &T) -> DMatrix<T> {
    let mut shifted = a.clone();
    for k in 0..a.nrows().min(a.ncols()) {
        shifted[(k, k)] -= t;
    }
    shifted
}
