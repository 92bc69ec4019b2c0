//! A vector of [`SmallRational`] as big integers over one common denominator, for the vectors
//! whose common denominator does not fit an `i128` ([`super::over_common_denominator`]): the
//! estimates of deep layers, whose entries carry the denominators of every layer above them.
//!
//! Only the nonzero entries are listed (a thresholded estimate is mostly zeros), with their
//! numerators over `D`, the least common multiple of their denominators.

use num_bigint::{BigInt, Sign};
use num_traits::{One, ToPrimitive, Zero};

use super::Representation::{Big, Small, Wide};
use super::{SmallRational, big};
use crate::scalar::Rational;

/// The parts `(n, d)` of a value as big integers.
fn big_parts(value: &SmallRational) -> (BigInt, BigInt) {
    match &value.0 {
        Small(n, d) => (BigInt::from(*n), BigInt::from(*d)),
        Wide(n, d) => (BigInt::from(*n), BigInt::from(*d)),
        Big(r) => (r.numer().clone(), r.denom().clone()),
    }
}

/// `(nonzero, D)`: `values[k] = n / D` for every `(k, n)` of `nonzero`, in order, and every
/// other value zero; `D ≥ 1` the least common multiple of the nonzero values' denominators.
pub(crate) fn over_big_common_denominator(
    values: &[SmallRational],
) -> (Vec<(usize, BigInt)>, BigInt) {
    let parts: Vec<(usize, BigInt, BigInt)> = (values.iter().enumerate())
        .filter(|(_, v)| !v.is_zero())
        .map(|(k, v)| {
            let (n, d) = big_parts(v);
            (k, n, d)
        })
        .collect();
    let mut denominator = BigInt::one();
    for (position, (_, _, d)) in parts.iter().enumerate() {
        let repeated = position > 0 && parts[position - 1].2 == *d;
        if !repeated && !(&denominator % d).is_zero() {
            let g = big::gcd(denominator.magnitude(), d.magnitude());
            denominator = denominator / BigInt::from_biguint(Sign::Plus, g) * d;
        }
    }
    let mut nonzero = Vec::with_capacity(parts.len());
    let mut factor: Option<(BigInt, BigInt)> = None;
    for (k, n, d) in parts {
        let same = factor.as_ref().is_some_and(|(last, _)| *last == d);
        if !same {
            let quotient = &denominator / &d;
            factor = Some((d, quotient));
        }
        let (_, quotient) = factor.as_ref().expect("set above");
        nonzero.push((k, n * quotient));
    }
    (nonzero, denominator)
}

/// `numerator / denominator` for `denominator ≥ 1`, reduced by one gcd: the common powers of
/// two are shifted out first (the denominators of sums over a common denominator carry dozens
/// of them), then the gcd of what remains, one of them odd, and a division by it when it is
/// not one (by one machine word when it fits one).
pub(crate) fn from_big_fraction(numerator: &BigInt, denominator: &BigInt) -> SmallRational {
    let Some(zeros) = numerator.trailing_zeros() else {
        return SmallRational::ZERO;
    };
    let shift = zeros.min(denominator.trailing_zeros().unwrap_or(0));
    let (numerator, denominator) = (numerator >> shift, denominator >> shift);
    let g = big::gcd(numerator.magnitude(), denominator.magnitude());
    let reduced = match g.to_u64() {
        Some(1) => Rational::new_raw(numerator, denominator),
        Some(g) => Rational::new_raw(numerator / g, denominator / g),
        None => {
            let g = BigInt::from_biguint(Sign::Plus, g);
            Rational::new_raw(numerator / &g, denominator / &g)
        }
    };
    SmallRational::from_big(reduced)
}

/// `numerator / denominator` reduced by one full gcd, with no other step.
#[cfg(test)]
fn by_full_gcd(numerator: &BigInt, denominator: &BigInt) -> SmallRational {
    if numerator.is_zero() {
        return SmallRational::ZERO;
    }
    let g = BigInt::from_biguint(
        Sign::Plus,
        big::gcd(numerator.magnitude(), denominator.magnitude()),
    );
    SmallRational::from_big(Rational::new_raw(numerator / &g, denominator / &g))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Scalar;

    fn value(n: &str, d: &str) -> SmallRational {
        let parse = |s: &str| s.parse::<BigInt>().expect("a whole number");
        SmallRational::from_rational(&Rational::new(parse(n), parse(d)))
    }

    #[test]
    fn numerators_over_the_big_common_denominator_give_back_the_values() {
        let values = vec![
            value("3", "170141183460469231731687303715884105727"),
            SmallRational::zero(),
            value("-5", "340282366920938463463374607431768211457"),
            value("-7", "340282366920938463463374607431768211457"),
            value("1", "6"),
            SmallRational::new(-9, 4),
            SmallRational::zero(),
        ];
        let (nonzero, denominator) = over_big_common_denominator(&values);
        let positions: Vec<usize> = nonzero.iter().map(|(k, _)| *k).collect();
        assert_eq!(positions, vec![0, 2, 3, 4, 5]);
        for (k, n) in &nonzero {
            assert_eq!(from_big_fraction(n, &denominator), values[*k], "entry {k}");
        }
        // The least common multiple, not the product: 12 = lcm(6, 4) appears once.
        let product: BigInt = "170141183460469231731687303715884105727"
            .parse::<BigInt>()
            .unwrap()
            * "340282366920938463463374607431768211457"
                .parse::<BigInt>()
                .unwrap()
            * 12;
        assert_eq!(denominator, product);
        assert_eq!(
            over_big_common_denominator(&[]),
            (Vec::new(), BigInt::one())
        );
    }

    /// The reduction with the powers of two shifted out first equals the reduction by one
    /// full gcd, for big sums `± c a 2^i` over `c b 2^j` (`c` a common odd factor, of one
    /// word or of several) of either sign; counted: odd gcds of one word and of more.
    #[test]
    fn fractions_with_the_twos_shifted_out_equal_fractions_reduced_by_a_gcd() {
        let mut next = crate::test_stream::xorshift(0xb16_2026);
        let mut odd = |limbs: u64| -> BigInt {
            let mut x = BigInt::one();
            for _ in 0..limbs {
                x = (x << 61) + (next() >> (next() % 64));
            }
            x | BigInt::one()
        };
        let (mut small_odd, mut big_odd) = (0, 0);
        for round in 0..20_000u64 {
            let common = odd(round % 4);
            let (a, b) = (odd(round / 4 % 4), odd(round / 16 % 4));
            let numerator = (&common * a) << (round * 7 % 90);
            let denominator = (&common * b) << (round * 13 % 97);
            let numerator = match round % 5 {
                0 => BigInt::zero(),
                1 | 2 => -numerator,
                _ => numerator,
            };
            let expected = by_full_gcd(&numerator, &denominator);
            let reduced = from_big_fraction(&numerator, &denominator);
            assert_eq!(reduced, expected, "{numerator} / {denominator}");
            assert_eq!(reduced.is_big(), expected.is_big());
            assert_eq!(reduced.is_small(), expected.is_small());
            if !numerator.is_zero() {
                let o = big::gcd(
                    (&numerator >> numerator.trailing_zeros().unwrap_or(0)).magnitude(),
                    (&denominator >> denominator.trailing_zeros().unwrap_or(0)).magnitude(),
                );
                small_odd += usize::from(o.bits() > 1 && o.bits() <= 64);
                big_odd += usize::from(o.bits() > 64);
            }
        }
        assert!(
            small_odd >= 1000 && big_odd >= 1000,
            "{small_odd}, {big_odd}"
        );
    }
}
