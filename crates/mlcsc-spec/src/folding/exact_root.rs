//! The square root of a number when it lies in the number type: always for `f64` (rounded),
//! and for a rational exactly when it is the square of a rational.

use crate::scalar::Scalar;

/// `sqrt(x)` for `x ≥ 0`: the rounded root for `f64`; for an exact type, the root when it is
/// itself exact (`p/q` in lowest terms with `p` and `q` perfect squares), else `None`. `None`
/// for a negative `x`.
pub fn exact_square_root<S: Scalar>(x: &S) -> Option<S> {
    if x.is_negative() {
        return None;
    }
    let (low, high) = x.sqrt_bounds(0);
    if !S::EXACT {
        return Some(low);
    }
    (low == high && low.clone() * low.clone() == *x).then_some(low)
}
