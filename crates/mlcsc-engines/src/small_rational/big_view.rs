//! A vector of [`SmallRational`] as big integers over one common denominator, for the vectors
//! whose common denominator does not fit an `i128` ([`super::over_common_denominator`]): the
//! estimates of deep layers, whose entries carry the denominators of every layer above them.
//!
//! Only the nonzero entries are listed (a thresholded estimate is mostly zeros), with their
//! numerators over `D`, the least common multiple of their denominators.

use num_bigint::{BigInt, Sign};
use num_traits::{One, Zero};

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

/// `numerator / denominator` for `denominator ≥ 1`, reduced by one gcd.
pub(crate) fn from_big_fraction(numerator: &BigInt, denominator: &BigInt) -> SmallRational {
    if numerator.is_zero() {
        return SmallRational::ZERO;
    }
    let g = BigInt::from_biguint(
        Sign::Plus,
        big::gcd(numerator.magnitude(), denominator.magnitude()),
    );
    if g.is_one() {
        return SmallRational::from_big(Rational::new_raw(numerator.clone(), denominator.clone()));
    }
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
}
