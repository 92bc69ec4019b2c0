//! Integer views: exact values written as integers over one common denominator, so that
//! sums of products run on machine words (`integer_views`), and `‖f‖²` of filters summed on
//! words. `f64` has no integer view.
//!
//! `Σ_k v_k²` of exact rationals on machine words: with `L` the least common multiple of the
//! denominators `b_k`, `Σ (a_k / b_k)² = Σ (a_k · L / b_k)² / L²`, a sum of integer squares over
//! one denominator. Used for `‖f‖²` of filters, whose denominators are few and small.

use mlcsc_spec::scalar::{Rational, Scalar};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::ToPrimitive;

use crate::model::{Layer, ModelError};
use crate::small_rational::SmallRational;

/// A number type with integer views: the same values, faster on machine words.
///
/// # Laws
///
/// `over_common_denominator(v)`, when `Some((n, d))`, has `v[k] = n[k] / d` for every `k`;
/// `nonzero_over_common_denominator` the same for the nonzero entries, and
/// `over_big_common_denominator` in big integers;
/// `from_integer_fraction(n, d)` and `from_big_fraction(n, d)` are `n / d`; `sum_of_squares(v)` is `Σ v²`, exactly.
pub trait IntegerView: Scalar {
    /// The values as integers over one common denominator, `values[k] = numerators[k] / D`,
    /// when `i128` holds them (`None` for `f64`, and when they do not fit).
    fn over_common_denominator(_values: &[Self]) -> Option<(Vec<i128>, i128)> {
        None
    }

    /// The nonzero values as `(k, n)` over one common denominator `D` in `i128`:
    /// `values[k] = n / D` for every `(k, n)` listed, in order, and every other value zero
    /// (`None` where [`IntegerView::over_common_denominator`] has none).
    fn nonzero_over_common_denominator(values: &[Self]) -> Option<(Vec<(usize, i128)>, i128)> {
        let (numerators, denominator) = Self::over_common_denominator(values)?;
        let nonzero = (numerators.into_iter().enumerate())
            .filter(|(_, n)| *n != 0)
            .collect();
        Some((nonzero, denominator))
    }

    /// The fraction `numerator / denominator` for `denominator ≥ 1`.
    fn from_integer_fraction(numerator: i128, denominator: i128) -> Self {
        Self::from_rational(&Rational::new(
            BigInt::from(numerator),
            BigInt::from(denominator),
        ))
    }

    /// The nonzero values as big integers over one common denominator `D` (their denominators'
    /// least common multiple): `values[k] = n / D` for every `(k, n)` listed, in order, and
    /// every other value zero. `None` where there is no such view (`f64`, big rationals).
    fn over_big_common_denominator(_values: &[Self]) -> Option<(Vec<(usize, BigInt)>, BigInt)> {
        None
    }

    /// The fraction `numerator / denominator` of big integers, `denominator ≥ 1`.
    fn from_big_fraction(numerator: &BigInt, denominator: &BigInt) -> Self {
        Self::from_rational(&Rational::new(numerator.clone(), denominator.clone()))
    }

    /// `Σ v²` over `values` (a filter's `‖f‖²`).
    fn sum_of_squares(values: &[Self]) -> Self {
        let mut acc = Self::zero();
        for v in values {
            Self::multiply_accumulate(&mut acc, v, v);
        }
        acc
    }
}

impl IntegerView for f64 {}

/// [`Layer::new`] with `‖f‖²` summed on machine words where they suffice: the same layer or
/// the same error.
pub fn unit_layer<S: IntegerView>(
    layer: usize,
    filters: Vec<Vec<Vec<S>>>,
) -> Result<Layer<S>, ModelError> {
    Layer::new_with_norm(layer, filters, S::sum_of_squares)
}

/// Big rationals take no integer view (their values are converted to [`SmallRational`] once,
/// where speed matters); only `‖f‖²` is summed on words.
impl IntegerView for Rational {
    /// On integer numerators over the common denominator when machine words suffice, else in
    /// big rationals.
    fn sum_of_squares(values: &[Self]) -> Self {
        sum_of_squares_on_words(values).unwrap_or_else(|| {
            let mut acc = Rational::from_integer(0.into());
            for v in values {
                Rational::multiply_accumulate(&mut acc, v, v);
            }
            acc
        })
    }
}

impl IntegerView for SmallRational {
    fn over_common_denominator(values: &[Self]) -> Option<(Vec<i128>, i128)> {
        crate::small_rational::over_common_denominator(values)
    }

    fn nonzero_over_common_denominator(values: &[Self]) -> Option<(Vec<(usize, i128)>, i128)> {
        SmallRational::nonzero_over_common_denominator(values)
    }

    fn from_integer_fraction(numerator: i128, denominator: i128) -> Self {
        SmallRational::from_fraction_by_odd_part(numerator, denominator)
    }

    fn over_big_common_denominator(values: &[Self]) -> Option<(Vec<(usize, BigInt)>, BigInt)> {
        Some(crate::small_rational::over_big_common_denominator(values))
    }

    fn from_big_fraction(numerator: &BigInt, denominator: &BigInt) -> Self {
        crate::small_rational::from_big_fraction(numerator, denominator)
    }
}

/// `Σ v²` as a reduced rational when `L` fits 64 bits and every scaled numerator
/// `|a_k| · L / b_k` fits 64 bits and their squares sum within 128 bits; `None` otherwise (the
/// caller then sums in big rationals).
fn sum_of_squares_on_words(values: &[Rational]) -> Option<Rational> {
    let mut common: u64 = 1;
    for v in values {
        let b = v.denom().to_u64()?;
        common = (common / common.gcd(&b)).checked_mul(b)?;
    }
    let mut sum: u128 = 0;
    for v in values {
        let a = v.numer().to_i64()?.unsigned_abs();
        let scaled = u128::from(a.checked_mul(common / v.denom().to_u64()?)?);
        sum = sum.checked_add(scaled * scaled)?;
    }
    let denominator = u128::from(common) * u128::from(common);
    let g = sum.gcd(&denominator);
    Some(Rational::new_raw(
        BigInt::from(sum / g),
        BigInt::from(denominator / g),
    ))
}

#[cfg(test)]
mod tests {
    use num_traits::{One, Zero};

    use super::*;

    fn r(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    fn in_big_rationals(values: &[Rational]) -> Rational {
        values.iter().map(|v| v * v).sum()
    }

    #[test]
    fn sums_on_words_equal_sums_in_big_rationals() {
        let cases: Vec<Vec<Rational>> = vec![
            vec![],
            vec![r(0, 1)],
            vec![r(3, 5), r(-4, 5)],
            vec![r(1, 2), r(-1, 2), r(1, 2), r(1, 2)],
            vec![r(12, 13), r(5, 13), r(0, 1)],
            vec![r(2, 3), r(-1, 7), r(5, 11)],
            vec![r(i64::MAX, 1 << 62), r(1, 1 << 61)],
            vec![r(i64::MAX, 1); 3],
            vec![r(1, 1 << 31), r(1, (1 << 31) + 1)],
        ];
        for values in cases {
            let expected = in_big_rationals(&values);
            assert_eq!(sum_of_squares_on_words(&values), Some(expected.clone()));
        }
        assert!(
            sum_of_squares_on_words(&[r(3, 5), r(-4, 5)])
                .unwrap()
                .is_one()
        );
        assert!(sum_of_squares_on_words(&[]).unwrap().is_zero());
    }

    #[test]
    fn sums_beyond_machine_words_are_left_to_big_rationals() {
        let huge = Rational::from_integer(BigInt::from(10).pow(30));
        assert_eq!(sum_of_squares_on_words(&[huge]), None);
        // Denominators whose common multiple exceeds 64 bits.
        let values = [r(1, (1 << 40) - 87), r(1, (1 << 40) - 57)];
        assert_eq!(sum_of_squares_on_words(&values), None);
        // A scaled numerator beyond 64 bits.
        assert_eq!(
            sum_of_squares_on_words(&[r(i64::MAX, 1 << 62), r(1, 3)]),
            None
        );
        // Squares whose sum exceeds 128 bits.
        assert_eq!(sum_of_squares_on_words(&vec![r(i64::MAX, 1); 5]), None);
    }
}
