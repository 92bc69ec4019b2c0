//! `Σ_k a_k b_k` in [`SmallRational`] over one common denominator.
//!
//! Each product of two machine-word fractions `(n₁/d₁)(n₂/d₂)` is the integer pair
//! `(n₁n₂, d₁d₂)` in `i128`, unreduced. The sum is kept as one unreduced fraction `N / D`: a
//! term whose denominator `q` equals `D` adds its numerator; when `q` divides `D` (or `D`
//! divides `q`) one side is scaled by the exact quotient; otherwise both are brought to
//! `lcm(D, q)`. The fraction is reduced once, at the end. A term that is not on machine words,
//! or whose addition overflows `i128`, goes to a second accumulator by
//! [`Scalar::multiply_accumulate`] (which promotes to big rationals), so the result is the same
//! exact rational as the plain multiply-accumulate loop.

use super::Representation::Small;
use super::{SmallRational, gcd_u128};
use crate::scalar::Scalar;

/// An unreduced fraction `numerator / denominator` with `denominator ≥ 1`.
struct CommonDenominator {
    numerator: i128,
    denominator: i128,
}

impl CommonDenominator {
    /// `N/D += p/q` for `q ≥ 1`, or `false` (unchanged) when a step would overflow `i128`.
    fn add(&mut self, p: i128, q: i128) -> bool {
        let (n, d) = (self.numerator, self.denominator);
        let sum = if n == 0 {
            Some((p, q))
        } else if q == d {
            n.checked_add(p).map(|n| (n, d))
        } else if d % q == 0 {
            p.checked_mul(d / q)
                .and_then(|scaled| n.checked_add(scaled))
                .map(|n| (n, d))
        } else if q % d == 0 {
            n.checked_mul(q / d)
                .and_then(|scaled| scaled.checked_add(p))
                .map(|n| (n, q))
        } else {
            let g = gcd_u128(d as u128, q as u128) as i128;
            let (d_over_g, q_over_g) = (d / g, q / g);
            n.checked_mul(q_over_g)
                .zip(p.checked_mul(d_over_g))
                .and_then(|(a, b)| a.checked_add(b))
                .zip(d_over_g.checked_mul(q))
        };
        match sum {
            Some((numerator, denominator)) => {
                self.numerator = numerator;
                self.denominator = denominator;
                true
            }
            None => false,
        }
    }

    /// The exact value, reduced.
    fn value(&self) -> SmallRational {
        SmallRational::from_unreduced(self.numerator, self.denominator)
    }
}

/// `Σ_k a_k b_k` as the same exact rational as `multiply_accumulate` in order.
pub(super) fn dot<'a, I>(terms: I) -> SmallRational
where
    I: Iterator<Item = (&'a SmallRational, &'a SmallRational)>,
{
    let mut common = CommonDenominator {
        numerator: 0,
        denominator: 1,
    };
    let mut rest: Option<SmallRational> = None;
    for (a, b) in terms {
        if let (Small(n1, d1), Small(n2, d2)) = (&a.0, &b.0) {
            if *n1 == 0 || *n2 == 0 {
                continue;
            }
            // |n₁n₂| < 2^126 and d₁d₂ < 2^126: both fit `i128`.
            let p = i128::from(*n1) * i128::from(*n2);
            let q = i128::from(*d1) * i128::from(*d2);
            if common.add(p, q) {
                continue;
            }
            // Overflow: move the common-denominator sum aside and start again from this term.
            let moved = common.value();
            *rest.get_or_insert(SmallRational::ZERO) += &moved;
            common = CommonDenominator {
                numerator: p,
                denominator: q,
            };
            continue;
        }
        SmallRational::multiply_accumulate(rest.get_or_insert(SmallRational::ZERO), a, b);
    }
    let value = common.value();
    match rest {
        Some(mut rest) => {
            rest += &value;
            rest
        }
        None => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Rational;
    use num_bigint::BigInt;

    fn plain(pairs: &[(SmallRational, SmallRational)]) -> SmallRational {
        let mut acc = SmallRational::ZERO;
        for (a, b) in pairs {
            SmallRational::multiply_accumulate(&mut acc, a, b);
        }
        acc
    }

    fn check(pairs: &[(SmallRational, SmallRational)]) {
        let fast = dot(pairs.iter().map(|(a, b)| (a, b)));
        let reference = plain(pairs);
        assert_eq!(fast.to_big(), reference.to_big());
        assert_eq!(fast.is_small(), reference.is_small());
        assert_eq!(fast.is_big(), reference.is_big());
    }

    #[test]
    fn equals_the_multiply_accumulate_loop() {
        let mut next = crate::test_stream::xorshift(0x9e37_79b9_7f4a_7c15);
        let denominators = [
            1i64,
            2,
            3,
            4,
            6,
            7,
            8,
            12,
            1 << 20,
            1 << 40,
            999_983,
            (1 << 61) - 1,
        ];
        for round in 0..2000 {
            let length = (next() % 12) as usize;
            let pairs: Vec<_> = (0..length)
                .map(|_| {
                    let mut value = || {
                        let magnitude = if round % 3 == 0 { i64::MAX } else { 1000 };
                        let n = (next() % (magnitude as u64)) as i64 - magnitude / 2;
                        let d = denominators[(next() % denominators.len() as u64) as usize];
                        SmallRational::new(n, d)
                    };
                    (value(), value())
                })
                .collect();
            check(&pairs);
        }
    }

    #[test]
    fn big_terms_and_overflow_give_the_same_value() {
        let huge = SmallRational::from_big(Rational::new(BigInt::from(3) << 200, BigInt::from(7)));
        let near = SmallRational::new(i64::MAX - 1, (1 << 62) + 1);
        let tiny = SmallRational::new(1, i64::MAX);
        let pairs = vec![
            (near.clone(), near.clone()),
            (tiny.clone(), near.clone()),
            (huge.clone(), tiny.clone()),
            (near.clone(), tiny.clone()),
            (SmallRational::new(-5, 3), SmallRational::new(2, 9)),
            (SmallRational::ZERO, huge.clone()),
        ];
        check(&pairs);
        check(&pairs[..2]);
        check(&[
            (near.clone(), near.clone()),
            (SmallRational::new(0, 1), near),
        ]);
        check(&[]);
    }
}
