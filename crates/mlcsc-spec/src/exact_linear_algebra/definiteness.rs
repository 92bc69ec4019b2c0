//! Positive (semi)definiteness by symmetric elimination, and certified eigenvalue bounds.

use super::*;

/// The signs of the pivots met by symmetric elimination, stopping at the first that decides.
pub(super) fn symmetric_elimination_is_nonnegative<T: ExactField>(
    a: &DMatrix<T>,
    strict: bool,
) -> bool {
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
            let factor = work[(i, k)].quotient(&pivot);
            for j in k + 1..n {
                if work[(k, j)].is_zero() {
                    continue;
                }
                let update = factor.product(&work[(k, j)]);
                work[(i, j)] -= &update;
            }
        }
    }
    true
}

/// Whether a symmetric matrix is positive definite (every `LDLᵀ` pivot positive), exactly.
pub fn is_positive_definite<T: ExactField>(a: &DMatrix<T>) -> bool {
    symmetric_elimination_is_nonnegative(a, true)
}

/// Whether a symmetric matrix is positive semidefinite, exactly.
pub fn is_positive_semidefinite<T: ExactField>(a: &DMatrix<T>) -> bool {
    symmetric_elimination_is_nonnegative(a, false)
}

/// Whether `λ_min(A) ≥ t` for a symmetric `A` (`A - tI ⪰ 0`), exactly.
pub fn smallest_eigenvalue_at_least<T: ExactField>(a: &DMatrix<T>, t: &T) -> bool {
    is_positive_semidefinite(&shifted_by_identity(a, t))
}

/// Whether `λ_max(A) ≤ t` for a symmetric `A` (`tI - A ⪰ 0`), exactly.
pub fn largest_eigenvalue_at_most<T: ExactField>(a: &DMatrix<T>, t: &T) -> bool {
    let negated = a.map(|x| -x);
    is_positive_semidefinite(&shifted_by_identity(&negated, &-t.clone()))
}

/// A certified enclosure `lo < λ ≤ hi` of an eigenvalue (here the smallest of a symmetric
/// matrix): `A - lo I` is positive definite and `A - hi I` is not.
#[derive(Clone, Debug, PartialEq)]
pub struct EigenvalueEnclosure<T = Rational> {
    /// A certified strict lower bound.
    pub lo: T,
    /// A certified upper bound.
    pub hi: T,
}

/// Encloses `λ_min(A)` of a symmetric `A` by `bisection_steps` bisections of a dyadic grid,
/// starting from an integer below the Gershgorin lower bound and an integer at or above the
/// smallest diagonal entry (so the ends stay dyadic rationals, cheap to test). Each step halves
/// the width; each end stays certified by an exact definiteness test.
pub fn smallest_eigenvalue_enclosure<T: ExactField>(
    a: &DMatrix<T>,
    bisection_steps: u32,
) -> EigenvalueEnclosure<T> {
    let n = a.nrows();
    assert!(n > 0 && n == a.ncols(), "a non-empty square matrix");
    let smallest_diagonal = (0..n).map(|k| a[(k, k)].clone()).min().expect("n > 0");
    let gershgorin = (0..n)
        .map(|i| {
            let mut radius = T::zero();
            for j in (0..n).filter(|&j| j != i) {
                radius += &a[(i, j)].abs();
            }
            a[(i, i)].clone() - radius
        })
        .min()
        .expect("n > 0");
    // λ_min ≥ gershgorin > lo, and λ_min ≤ smallest diagonal ≤ hi.
    let exact = |x: &T| x.to_rational().expect("an exact field holds rationals");
    let mut lo = T::from_rational(&(exact(&gershgorin).floor() - Rational::one()));
    let mut hi = T::from_rational(&exact(&smallest_diagonal).ceil());
    let two = T::from_integer(2);
    for _ in 0..bisection_steps {
        let middle = (lo.clone() + hi.clone()).quotient(&two);
        if is_positive_definite(&shifted_by_identity(a, &middle)) {
            lo = middle;
        } else {
            hi = middle;
        }
    }
    EigenvalueEnclosure { lo, hi }
}

/// The dyadic rational `⌊x · 2^bits⌋ / 2^bits + offset / 2^bits` (with `⌈·⌉` when `up`), for a
/// finite `x`, exactly.
pub fn dyadic_near(x: f64, bits: u32, offset: i64, up: bool) -> Rational {
    let scaled = x * 2f64.powi(bits as i32);
    let whole = if up { scaled.ceil() } else { scaled.floor() };
    let numerator = Rational::from_float(whole).expect("a finite value")
        + Rational::from_integer(offset.into());
    numerator / Rational::from_integer(num_bigint::BigInt::from(1u8) << bits)
}

/// Encloses `λ_min(A)` of a symmetric `A` around an estimate `e` (an `f64` eigenvalue, say):
/// `lo = (⌊e · 2^b⌋ − 1) / 2^b` and `hi = (⌈e · 2^b⌉ + 1) / 2^b`, a width of at most `3 · 2^-b`,
/// each end certified like those of [`smallest_eigenvalue_enclosure`]: `A − lo I` is positive
/// definite and `A − hi I` is not. The estimate only places the ends and never decides: `None`
/// when it is not finite or either test fails (the estimate was off by more than `2^-b`).
pub fn smallest_eigenvalue_enclosure_near<T: ExactField>(
    a: &DMatrix<T>,
    estimate: f64,
    bits: u32,
) -> Option<EigenvalueEnclosure<T>> {
    if !estimate.is_finite() {
        return None;
    }
    let lo = T::from_rational(&dyadic_near(estimate, bits, -1, false));
    let hi = T::from_rational(&dyadic_near(estimate, bits, 1, true));
    (is_positive_definite(&shifted_by_identity(a, &lo))
        && !is_positive_definite(&shifted_by_identity(a, &hi)))
    .then_some(EigenvalueEnclosure { lo, hi })
}
