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
//! - **Gcds** of the odd parts (`odd_parts.rs`), then by Lehmer's algorithm (`lehmer.rs`): the
//!   quotients of Euclid's algorithm are taken from the leading 62 bits while they are certain
//!   to be those of the full numbers, and applied to the limbs in place as one 2×2 matrix;
//!   numbers of at most 128 bits finish on machine words.
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
    // One number on a machine word (the other is longer than two): one pass of remainders.
    for (x, y) in [(a, b), (b, a)] {
        if let Some(word) = y.to_u64() {
            return match word {
                0 => x.clone(),
                _ => BigUint::from(gcd_with_word(x, word)),
            };
        }
    }
    let (a, b) = if a >= b { (a, b) } else { (b, a) };
    super::lehmer::gcd_of_naturals(a, b)
}

/// `x mod w` for a word `w ≥ 1`, from the most significant limb down.
pub(super) fn remainder_of_word(x: &BigUint, w: u64) -> u64 {
    (x.iter_u64_digits().rev()).fold(0u64, |r, limb| {
        (((u128::from(r) << 64) | u128::from(limb)) % u128::from(w)) as u64
    })
}

/// `gcd(x, w)` for a word `w ≥ 1`: `gcd(w, x mod w)` on machine words.
fn gcd_with_word(x: &BigUint, w: u64) -> u64 {
    super::gcd_u64(w, remainder_of_word(x, w))
}

/// `x / g` for a word `g ≥ 1` dividing `x`, without a division when `g` is one.
fn divided_by_word(x: &BigInt, g: u64) -> BigInt {
    if g == 1 { x.clone() } else { x / g }
}

/// `x · (n/d)` for a reduced big rational `x` and a reduced word fraction `n/d` (`d ≥ 1`):
/// [`product`]'s cross-cancellation, with its two gcds on machine words (`gcd(a, d)` and
/// `gcd(b, n)` each take one pass of remainders over the big number's limbs).
pub fn product_with_word(x: &Rational, n: i64, d: i64) -> Rational {
    let (a, b) = (x.numer(), x.denom());
    if a.is_zero() || n == 0 {
        return Rational::zero();
    }
    let g1 = gcd_with_word(a.magnitude(), d as u64);
    let g2 = gcd_with_word(b.magnitude(), n.unsigned_abs());
    // g₂ divides |n| ≤ 2^63 − 1 and g₁ divides d: both quotients are words.
    let (n, d) = (n / g2 as i64, d / g1 as i64);
    Rational::new_raw(divided_by_word(a, g1) * n, divided_by_word(b, g2) * d)
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
        // One number on a machine word: the pass of remainders, shared factors or none.
        for case in 0..4000u64 {
            let word = (u64::from(rng.next_u32()) << (case % 33)) | 1;
            let word = if case % 3 == 0 { word * 6 } else { word };
            let big = random_big(&mut rng, 2 + (case % 5) as usize)
                * if case % 2 == 0 { word } else { 1 }
                * 3u32;
            let word = BigUint::from(word);
            assert_eq!(gcd(&big, &word), big.gcd(&word), "gcd({big}, {word})");
            assert_eq!(gcd(&word, &big), big.gcd(&word), "gcd({word}, {big})");
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

    /// A big rational times a word fraction equals `num-rational`'s product, over values
    /// that share factors with the word's parts or not; counts the products whose two
    /// cross-cancellations both divided.
    #[test]
    fn products_with_a_word_fraction_equal_num_rational() {
        let mut rng = ChaCha8Rng::seed_from_u64(20);
        let mut both_cancelled = 0;
        for case in 0..4000usize {
            let (n, d) = loop {
                let n = i64::from(rng.next_u32() >> (case % 31)) * [1, -1][case % 2];
                let d = i64::from(rng.next_u32() >> (case % 29)).max(1) * [1, 6][case % 3 / 2];
                if n != 0 && BigInt::from(n).gcd(&BigInt::from(d)).is_one() {
                    break (n, d);
                }
            };
            let numerator = BigInt::from(random_big(&mut rng, 1 + case % 4) + 1u32)
                * if case % 4 == 0 { d } else { 1 }
                * [1, -1][case / 2 % 2];
            let denominator = BigInt::from(random_big(&mut rng, 1 + case % 5) + 1u32)
                * if case % 5 < 3 { n.abs() } else { 1 };
            let x = Rational::new(numerator, denominator);
            let y = Rational::new(BigInt::from(n), BigInt::from(d));
            // Parts compared, not values: the product must come out reduced.
            let (product, expected) = (product_with_word(&x, n, d), &x * &y);
            assert_eq!(product.numer(), expected.numer(), "{x} · {y}");
            assert_eq!(product.denom(), expected.denom(), "{x} · {y}");
            let cancelled = |p: &BigInt, q: i64| !p.gcd(&BigInt::from(q)).is_one();
            if cancelled(x.numer(), d) && cancelled(x.denom(), n) {
                both_cancelled += 1;
            }
        }
        assert!(
            both_cancelled >= 400,
            "{both_cancelled} products cancelled twice"
        );
        assert_eq!(product_with_word(&Rational::zero(), 3, 5), Rational::zero());
    }
}
