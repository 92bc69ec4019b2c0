//! Big-rational arithmetic for the values of [`super::SmallRational`] that fit no machine
//! word, with the fewest and smallest gcds an exact reduced result needs.
//!
//! For reduced `a/b` and `c/d` (`b, d > 0`):
//!
//! - **Sums** (Knuth, TAOCP vol. 2, §4.5.1): with `g = gcd(b, d)`, `t = a (d/g) + c (b/g)` and
//!   `h = gcd(t, g)`, the reduced sum is `(t/h) / ((b/g)(d/h))`; when `g = 1` it is
//!   `(ad + bc) / (bd)` with no further gcd. Denominators that are both powers of two are
//!   aligned by a shift and reduced by trailing zeros.
//! - **Products**: with `g₁ = gcd(a, d)` and `g₂ = gcd(c, b)`, the reduced product is
//!   `((a/g₁)(c/g₂)) / ((b/g₂)(d/g₁))`, with no gcd of the product.
//! - **Gcds** by Lehmer's algorithm (`lehmer.rs`): the quotients of Euclid's algorithm are
//!   taken from the leading 62 bits while they are certain to be those of the full numbers, and
//!   applied to the limbs in place as one 2×2 matrix; numbers of at most 128 bits finish on
//!   machine words.
//!
//! `num-rational` reduces every result by a full gcd of its numerator and denominator, and
//! `num-bigint`'s gcd shifts the whole numbers once per bit; the values of deep coherent
//! ladders (denominators of hundreds of bits) spent most of their time there.

use std::cmp::Ordering;

use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{One, ToPrimitive, Zero};

use crate::scalar::Rational;

/// `gcd(a, b)` of two naturals by Lehmer's algorithm (module documentation), on the numbers'
/// 64-bit limbs in place (`super::lehmer`).
pub fn gcd(a: &BigUint, b: &BigUint) -> BigUint {
    if let (Some(x), Some(y)) = (a.to_u128(), b.to_u128()) {
        return BigUint::from(super::gcd_u128(x, y));
    }
    let (a, b) = if a >= b { (a, b) } else { (b, a) };
    super::lehmer::gcd_of_naturals(a, b)
}

/// `gcd(|x|, |y|)` as a signed big integer.
fn gcd_signed(x: &BigInt, y: &BigInt) -> BigInt {
    BigInt::from_biguint(Sign::Plus, gcd(x.magnitude(), y.magnitude()))
}

/// `x / g` for a divisor `g` of `x`, without a division when `g` is one.
fn divided(x: &BigInt, g: &BigInt) -> BigInt {
    if g.is_one() { x.clone() } else { x / g }
}

/// `k` when the positive `d` is `2^k`.
fn power_of_two_exponent(d: &BigInt) -> Option<u64> {
    let zeros = d.trailing_zeros()?;
    (d.bits() == zeros + 1).then_some(zeros)
}

/// `n / 2^k` reduced by the trailing zeros of `n`.
fn over_power_of_two(n: BigInt, k: u64) -> Rational {
    match n.trailing_zeros() {
        None => Rational::zero(),
        Some(zeros) => {
            let shift = zeros.min(k);
            Rational::new_raw(n >> shift, BigInt::one() << (k - shift))
        }
    }
}

/// `x ± y` for reduced big rationals, reduced (module documentation).
pub fn sum(x: &Rational, y: &Rational, negate: bool) -> Rational {
    let (a, b) = (x.numer(), x.denom());
    let (d, c) = (y.denom(), y.numer());
    if let (Some(ex), Some(ey)) = (power_of_two_exponent(b), power_of_two_exponent(d)) {
        let exponent = ex.max(ey);
        let nx = a << (exponent - ex);
        let ny = c << (exponent - ey);
        return over_power_of_two(if negate { nx - ny } else { nx + ny }, exponent);
    }
    let combine = |left: BigInt, right: BigInt| if negate { left - right } else { left + right };
    if b == d {
        let n = combine(a.clone(), c.clone());
        if n.is_zero() {
            return Rational::zero();
        }
        let h = gcd_signed(&n, b);
        if h.is_one() {
            return Rational::new_raw(n, b.clone());
        }
        return Rational::new_raw(n / &h, b / &h);
    }
    let g = gcd_signed(b, d);
    if g.is_one() {
        return Rational::new_raw(combine(a * d, c * b), b * d);
    }
    let (b_g, d_g) = (b / &g, d / &g);
    let t = combine(a * &d_g, c * &b_g);
    if t.is_zero() {
        return Rational::zero();
    }
    let h = gcd_signed(&t, &g);
    if h.is_one() {
        return Rational::new_raw(t, b_g * d);
    }
    Rational::new_raw(t / &h, b_g * (d / &h))
}

/// `x · y` for reduced big rationals, reduced by cross-cancellation (module documentation).
pub fn product(x: &Rational, y: &Rational) -> Rational {
    let (a, b) = (x.numer(), x.denom());
    let (c, d) = (y.numer(), y.denom());
    if a.is_zero() || c.is_zero() {
        return Rational::zero();
    }
    if let (Some(ex), Some(ey)) = (power_of_two_exponent(b), power_of_two_exponent(d)) {
        return over_power_of_two(a * c, ex + ey);
    }
    let g1 = gcd_signed(a, d);
    let g2 = gcd_signed(c, b);
    Rational::new_raw(
        divided(a, &g1) * divided(c, &g2),
        divided(b, &g2) * divided(d, &g1),
    )
}

/// `x²` for a reduced big rational: `n²/d²` is reduced as it stands.
pub fn square(x: &Rational) -> Rational {
    Rational::new_raw(x.numer() * x.numer(), x.denom() * x.denom())
}

/// `x / y` for reduced big rationals, `y ≠ 0`: the product with `1/y`.
pub fn quotient(x: &Rational, y: &Rational) -> Rational {
    let reciprocal = if y.numer().sign() == Sign::Minus {
        Rational::new_raw(-y.denom(), -y.numer())
    } else {
        Rational::new_raw(y.denom().clone(), y.numer().clone())
    };
    product(x, &reciprocal)
}

/// The order of two big rationals by cross-multiplication (denominators are positive).
pub fn order(x: &Rational, y: &Rational) -> Ordering {
    if x.denom() == y.denom() {
        return x.numer().cmp(y.numer());
    }
    (x.numer() * y.denom()).cmp(&(y.numer() * x.denom()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_integer::Integer;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random_big(rng: &mut ChaCha8Rng, limbs: usize) -> BigUint {
        let digits: Vec<u64> = (0..limbs.max(1)).map(|_| rng.next_u64()).collect();
        let mut n = BigUint::zero();
        for d in digits {
            n = (n << 64u32) + BigUint::from(d);
        }
        n >> (rng.next_u32() % 64)
    }

    #[test]
    fn lehmer_gcd_equals_the_binary_gcd() {
        let mut rng = ChaCha8Rng::seed_from_u64(18);
        for case in 0..4000 {
            let common = random_big(&mut rng, 1 + case % 3);
            let a = random_big(&mut rng, 1 + case % 7) * &common;
            let b = random_big(&mut rng, 1 + (case / 7) % 7)
                * if case % 5 == 0 {
                    BigUint::one()
                } else {
                    common.clone()
                };
            assert_eq!(gcd(&a, &b), a.gcd(&b), "case {case}: gcd({a}, {b})");
            assert_eq!(gcd(&b, &a), a.gcd(&b), "case {case}: gcd({b}, {a})");
        }
        let zero = BigUint::zero();
        let big = BigUint::one() << 300u32;
        assert_eq!(gcd(&big, &zero), big);
        assert_eq!(gcd(&zero, &big), big);
        assert_eq!(gcd(&big, &(&big * 3u32)), big);
    }

    #[test]
    fn sums_products_and_quotients_equal_num_rational() {
        let mut rng = ChaCha8Rng::seed_from_u64(19);
        let value = |rng: &mut ChaCha8Rng, limbs: usize| {
            let numerator = BigInt::from(random_big(rng, limbs));
            let numerator = if rng.next_u32() % 2 == 0 {
                -numerator
            } else {
                numerator
            };
            let denominator = BigInt::from(random_big(rng, limbs)) + 1;
            let shared = BigInt::from(random_big(rng, 1)) + 1;
            Rational::new(numerator * &shared, denominator * &shared)
        };
        for case in 0..2000 {
            let x = value(&mut rng, 1 + case % 5);
            let y = if case % 4 == 0 {
                Rational::new(BigInt::from(rng.next_u32()), x.denom().clone())
            } else {
                value(&mut rng, 1 + (case / 5) % 5)
            };
            assert_eq!(sum(&x, &y, false), &x + &y, "{x} + {y}");
            assert_eq!(sum(&x, &y, true), &x - &y, "{x} - {y}");
            assert_eq!(sum(&x, &x, true), Rational::zero());
            assert_eq!(product(&x, &y), &x * &y, "{x} · {y}");
            assert_eq!(square(&x), &x * &x, "{x}²");
            if !y.is_zero() {
                assert_eq!(quotient(&x, &y), &x / &y, "{x} / {y}");
            }
            assert_eq!(order(&x, &y), x.cmp(&y));
        }
    }
}
