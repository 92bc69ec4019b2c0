//! `Σ_k v_k²` of exact rationals on machine words: with `L` the least common multiple of the
//! denominators `b_k`, `Σ (a_k / b_k)² = Σ (a_k · L / b_k)² / L²`, a sum of integer squares over
//! one denominator. Used for `‖f‖²` of filters, whose denominators are few and small.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::ToPrimitive;

use super::Rational;

/// `Σ v²` as a reduced rational when `L` fits 64 bits and every scaled numerator
/// `|a_k| · L / b_k` fits 64 bits and their squares sum within 128 bits; `None` otherwise (the
/// caller then sums in big rationals).
pub(super) fn sum_of_squares_on_words(values: &[Rational]) -> Option<Rational> {
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
