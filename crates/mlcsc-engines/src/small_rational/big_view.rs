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
#[cfg(test)]
fn big_parts(value: &SmallRational) -> (BigInt, BigInt) {
    match &value.0 {
        Small(n, d) => (BigInt::from(*n), BigInt::from(*d)),
        Wide(n, d) => (BigInt::from(*n), BigInt::from(*d)),
        Big(r) => (r.numer().clone(), r.denom().clone()),
    }
}

/// A nonzero value's denominator: on a machine word, or big.
#[derive(Clone, Copy, PartialEq)]
enum Denominator<'a> {
    Word(u128),
    Big(&'a BigInt),
}

/// The denominator of a value.
fn denominator_of(value: &SmallRational) -> Denominator<'_> {
    match &value.0 {
        Small(_, d) => Denominator::Word(*d as u128),
        Wide(_, d) => Denominator::Word(*d as u128),
        Big(r) => Denominator::Big(r.denom()),
    }
}

/// How many distinct denominators are searched for a repeat before one is listed again (a
/// repeat listed twice costs a division, not a wrong value).
const SEARCHED: usize = 32;

/// `D ← lcm(D, d)` for `D, d ≥ 1`: `D` unchanged when `d` divides it, else `(D / g) d` with
/// `g = gcd(D, d)`, on machine words when `d` is one.
fn lcm_with(denominator: &mut BigInt, d: Denominator<'_>) {
    match d {
        Denominator::Word(d) => match u64::try_from(d) {
            Ok(word) => {
                let r = big::remainder_of_word(denominator.magnitude(), word);
                if r != 0 {
                    let g = super::gcd_u64(word, r);
                    *denominator = &*denominator / g * word;
                }
            }
            Err(_) => lcm_with(denominator, Denominator::Big(&BigInt::from(d))),
        },
        Denominator::Big(d) => {
            if !(&*denominator % d).is_zero() {
                let g = big::gcd(denominator.magnitude(), d.magnitude());
                *denominator = &*denominator / BigInt::from_biguint(Sign::Plus, g) * d;
            }
        }
    }
}

/// `(nonzero, D)`: `values[k] = n / D` for every `(k, n)` of `nonzero`, in order, and every
/// other value zero; `D ≥ 1` the least common multiple of the nonzero values' denominators.
/// The distinct denominators are listed first, `D` formed from them (on machine words where
/// they are words) and each quotient `D / d` once; each numerator is one product.
pub(crate) fn over_big_common_denominator(
    values: &[SmallRational],
) -> (Vec<(usize, BigInt)>, BigInt) {
    let mut distinct: Vec<Denominator<'_>> = Vec::new();
    let mut listed: Vec<(usize, usize)> = Vec::new();
    let mut last = 0;
    for (k, value) in values.iter().enumerate() {
        if value.is_zero() {
            continue;
        }
        let d = denominator_of(value);
        if distinct.get(last) != Some(&d) {
            let found = distinct.iter().take(SEARCHED).position(|e| *e == d);
            last = found.unwrap_or_else(|| {
                distinct.push(d);
                distinct.len() - 1
            });
        }
        listed.push((k, last));
    }
    let mut denominator = BigInt::one();
    for &d in &distinct {
        lcm_with(&mut denominator, d);
    }
    let quotients: Vec<BigInt> = (distinct.iter())
        .map(|d| match *d {
            Denominator::Word(d) => match u64::try_from(d) {
                Ok(word) => &denominator / word,
                Err(_) => &denominator / d,
            },
            Denominator::Big(d) => &denominator / d,
        })
        .collect();
    let nonzero = (listed.into_iter())
        .map(|(k, slot)| {
            let quotient = &quotients[slot];
            let numerator = match &values[k].0 {
                Small(n, _) => quotient * *n,
                Wide(n, _) => quotient * *n,
                Big(r) => r.numer() * quotient,
            };
            (k, numerator)
        })
        .collect();
    (nonzero, denominator)
}

/// [`over_big_common_denominator`] formed plainly: every value's parts as big integers, the
/// least common multiple by a gcd per change of denominator, a quotient per change.
#[cfg(test)]
fn plain_over_big_common_denominator(values: &[SmallRational]) -> (Vec<(usize, BigInt)>, BigInt) {
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

    /// A value with a denominator drawn from a few shared ones (words, `i128` words beyond
    /// `i64`, big) or fresh (more than [`SEARCHED`] distinct ones in long vectors).
    fn drawn(next: &mut impl FnMut() -> u64, shared: &[BigInt]) -> SmallRational {
        let numerator = BigInt::from(next() >> (next() % 64)) * [1, -1][(next() % 2) as usize];
        let numerator = if next() % 4 == 0 {
            numerator << 100
        } else {
            numerator
        };
        let denominator = match next() % 5 {
            0 => BigInt::from(next() >> (next() % 64)) + 1,
            _ => shared[(next() % shared.len() as u64) as usize].clone(),
        };
        SmallRational::from_big(Rational::new(numerator, denominator))
    }

    /// The common denominator formed from the distinct denominators equals the plain one, for
    /// vectors of values of every form, zeros among them; counted: vectors with big
    /// denominators, with `i128` ones beyond `i64`, and with more than [`SEARCHED`] distinct.
    #[test]
    fn the_common_denominator_of_distinct_denominators_equals_the_plain_one() {
        let mut next = crate::test_stream::xorshift(0x000d_1571_11c7);
        let (mut big_ones, mut wide_ones, mut many) = (0, 0, 0);
        for round in 0..3000u64 {
            let shared: Vec<BigInt> = (0..1 + round % 6)
                .map(|i| match (round + i) % 4 {
                    0 => BigInt::from(3u8).pow(u32::try_from(next() % 30).unwrap()) << 20u32,
                    1 => BigInt::from(next() | 1) * (next() >> 20),
                    2 => BigInt::from(next() | 1) * (next() | 1) * (next() | 1),
                    _ => BigInt::from(1u8) << (next() % 90),
                })
                .collect();
            let length = (next() % [8, 40, 400][(round % 3) as usize]) as usize;
            let values: Vec<SmallRational> = (0..length)
                .map(|_| match next() % 3 {
                    0 => SmallRational::zero(),
                    _ => drawn(&mut next, &shared),
                })
                .collect();
            assert_eq!(
                over_big_common_denominator(&values),
                plain_over_big_common_denominator(&values),
                "{values:?}"
            );
            big_ones += usize::from(values.iter().any(SmallRational::is_big));
            wide_ones += usize::from(values.iter().any(|v| !v.is_small() && !v.is_big()));
            let mut denominators: Vec<BigInt> = (values.iter().filter(|v| !v.is_zero()))
                .map(|v| v.to_big().denom().clone())
                .collect();
            denominators.sort();
            denominators.dedup();
            many += usize::from(denominators.len() > SEARCHED);
        }
        assert!(
            big_ones >= 500 && wide_ones >= 500 && many >= 100,
            "{big_ones} {wide_ones} {many}"
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
