//! The pieces of a report's surd values that machine words compute exactly: the
//! specification's 64-bit enclosure of `sqrt(m)` for a whole `m < 2^64`, its ends times a
//! rational coefficient, and the sum of a reduced big rational and a fraction whose
//! denominator fits two words, each reduced with gcds of words alone.
//!
//! **Roots.** The specification (`rational_sqrt_bounds` at `b` bits) encloses `sqrt(m)` of a
//! whole `m` between `r / 2^k` and `(r + 1) / 2^k` (one point `r / 2^k` when `r² = m 4^k`), with
//! `k = max(b − ⌊bits(m) / 2⌋ + 2, 0)` and `r = ⌊sqrt(m 4^k)⌋`. For `m < 2^64` at 64 bits,
//! `k ≤ 66` and `m 4^k < 2^134`: `s = ⌊sqrt(m 4^(k−4))⌋` is a root of `u128`, `r` lies in
//! `[16 s, 16 s + 15]` (`16 s ≤ sqrt(m 4^k) < 16 (s + 1)`), and its four low bits are set one by
//! one from the highest, each kept when the square stays at most `m 4^k` (compared in 256 bits).
//!
//! **Products.** For reduced `a/b` and `r/2^j`, the reduced product is
//! `((a/g₁)(r/g₂)) / ((b/g₂)(2^j/g₁))` with `g₁ = gcd(a, 2^j)` (from the trailing zeros of `a`)
//! and `g₂ = gcd(r, b) = gcd(b mod r, r)`, with `r < 2^68`.
//!
//! **Sums.** For reduced `a/b` and `c/d` (`b, d > 0`), with `g = gcd(b, d)`,
//! `t = a (d/g) + c (b/g)` and `h = gcd(t, g)`, the reduced sum is `(t/h) / ((b/g)(d/h))`
//! (Knuth, TAOCP vol. 2, §4.5.1). When `d < 2^128`, `g = gcd(b mod d, d)` and
//! `h = gcd(t mod g, g)` are gcds of words after one remainder of `b` and of `t` (a pass over
//! the limbs when the divisor is one word).

use mlcsc_spec::scalar::Rational;
use num_bigint::{BigInt, BigUint};
use num_traits::{Signed, ToPrimitive, Zero};

use crate::small_rational::gcd_u128;

/// `k` and `r = ⌊sqrt(m 4^k)⌋` of the specification's enclosure of `sqrt(m)` at `bits` bits,
/// for `1 ≤ m < 2^64`, with whether `r² = m 4^k`; `None` unless `k ≥ 4` and
/// `bits(m) + 2k ≤ 133` (always so at 64 bits).
pub(super) fn scaled_root(m: u64, bits: u32) -> Option<(u32, u128, bool)> {
    let width = i64::from(u64::BITS - m.leading_zeros());
    let k = (i64::from(bits) - width / 2 + 2).max(0);
    if m == 0 || k < 4 || width + 2 * k > 133 {
        return None;
    }
    let k = k as u32;
    // m 4^(k−4) < 2^126.
    let s = (u128::from(m) << (2 * k - 8)).isqrt();
    let mut r = s << 4;
    for bit in (0..4).rev() {
        let candidate = r | 1 << bit;
        if square(candidate) <= scaled(m, k) {
            r = candidate;
        }
    }
    Some((k, r, square(r) == scaled(m, k)))
}

/// `c²` for `c < 2^68`, as `(high, low)` halves of 128 bits.
fn square(c: u128) -> (u128, u128) {
    let (high, low) = (c >> 64, c & u128::from(u64::MAX));
    let cross = 2 * high * low;
    let low_square = low * low;
    let bottom = low_square.wrapping_add(cross << 64);
    let carry = u128::from(bottom < low_square);
    (high * high + (cross >> 64) + carry, bottom)
}

/// `m 4^k` for `k ≤ 66`, as `(high, low)` halves of 128 bits.
fn scaled(m: u64, k: u32) -> (u128, u128) {
    let (m, shift) = (u128::from(m), 2 * k);
    match shift {
        0 => (0, m),
        1..128 => (m >> (128 - shift), m << shift),
        _ => (m << (shift - 128), 0),
    }
}

/// The reduced `c · n / 2^k` for a reduced nonzero `c = a/b` and `n ≥ 1`, by
/// cross-cancellation: with `n / 2^k` reduced to `r / 2^j`, `gcd(a, 2^j)` is a power of two
/// from the trailing zeros of `a`, and `gcd(r, b) = gcd(b mod r, r)` a gcd of words.
pub(super) fn times_dyadic(c: &Rational, n: u128, k: u32) -> Rational {
    let shift = n.trailing_zeros().min(k);
    let (r, j) = (n >> shift, u64::from(k - shift));
    let (a, b) = (c.numer(), c.denom());
    let twos = a.trailing_zeros().unwrap_or(0).min(j);
    let odd = gcd_u128(remainder(b, r), r);
    Rational::new_raw((a >> twos) * (r / odd), divided(b, odd, 0) << (j - twos))
}

/// `|x| mod m` for `m ≥ 1`: one pass over the limbs from the top for a word `m`, a division of
/// big integers otherwise.
fn remainder(x: &BigInt, m: u128) -> u128 {
    if let Ok(word) = u64::try_from(m) {
        let word = u128::from(word);
        let rest = (x.iter_u64_digits().rev())
            .fold(0u128, |rest, limb| ((rest << 64) | u128::from(limb)) % word);
        return rest;
    }
    (x.magnitude() % BigUint::from(m))
        .to_u128()
        .expect("a remainder below a u128")
}

/// `x / (odd 2^twos)` for a divisor `odd 2^twos` of `x`, by a shift alone when `odd` is one.
fn divided(x: &BigInt, odd: u128, twos: u64) -> BigInt {
    match (odd, u64::try_from(odd)) {
        (1, _) => x >> twos,
        (_, Ok(word)) => (x / word) >> twos,
        _ => (x / odd) >> twos,
    }
}

/// The reduced `±a/b + c/d` (module documentation; `−` when `negate`) for a reduced `a/b` and a
/// reduced `c/d` whose denominator fits two words; `None` when it does not. The gcds are split
/// into a power of two, from trailing zeros, and an odd part, from a remainder.
pub(super) fn sum_with_word_denominator(
    ab: &Rational,
    negate: bool,
    cd: &Rational,
) -> Option<Rational> {
    let d = cd.denom().to_u128()?;
    let (a, b, c) = (ab.numer(), ab.denom(), cd.numer());
    debug_assert!(b.is_positive() && d > 0);
    // g = gcd(b, d) = 2^twos · g_odd.
    let twos = (b.trailing_zeros().unwrap_or(0)).min(u64::from(d.trailing_zeros()));
    let d_odd = d >> d.trailing_zeros();
    let g_odd = if d_odd == 1 {
        1
    } else {
        gcd_u128(remainder(b, d_odd), d_odd)
    };
    let b_g = divided(b, g_odd, twos);
    let mut t = a * ((d / g_odd) >> twos);
    if negate {
        t = -t;
    }
    t += c * &b_g;
    let Some(t_zeros) = t.trailing_zeros() else {
        return Some(Rational::zero());
    };
    // h = gcd(t, g) = 2^h_twos · h_odd.
    let h_twos = t_zeros.min(twos);
    let h_odd = if g_odd == 1 {
        1
    } else {
        gcd_u128(remainder(&t, g_odd), g_odd)
    };
    Some(Rational::new_raw(
        divided(&t, h_odd, h_twos),
        b_g * ((d / h_odd) >> h_twos),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mlcsc_spec::scalar::rational_sqrt_bounds;
    use num_traits::One;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// `n / 2^k`, reduced by the trailing zeros of `n`.
    fn dyadic(n: u128, k: u32) -> Rational {
        let shift = n.trailing_zeros().min(k);
        Rational::new_raw(BigInt::from(n >> shift), BigInt::one() << (k - shift))
    }

    /// The enclosure on words is the specification's, for every `m` up to 5000, squares and
    /// their neighbours up to `2^64`, and random `m` of every width.
    #[test]
    fn roots_on_words_are_the_specification_enclosures() {
        let mut rng = ChaCha8Rng::seed_from_u64(64);
        let squares = (0..64u32).flat_map(|j| {
            let s = (1u64 << (j / 2)) + u64::from(j);
            let square = s.saturating_mul(s);
            [square.saturating_sub(1), square, square.saturating_add(1)]
        });
        let random = (0..20_000).map(|_| rng.next_u64() >> (rng.next_u32() % 64));
        let extremes = [u64::MAX, u64::MAX - 1, 1 << 63, (1 << 63) - 1, 1 << 62];
        let (mut points, mut words) = (0, 0);
        for m in (1..5000).chain(squares).chain(random).chain(extremes) {
            if m == 0 {
                continue;
            }
            let expected = rational_sqrt_bounds(&Rational::from_integer(BigInt::from(m)), 64);
            let (k, r, exact) = scaled_root(m, 64).expect("every m ≥ 1 at 64 bits");
            let hi = if exact { r } else { r + 1 };
            assert_eq!((dyadic(r, k), dyadic(hi, k)), expected, "sqrt({m})");
            points += usize::from(exact);
            words += 1;
        }
        assert!(
            points >= 70 && words >= 24_000,
            "{points} points of {words}"
        );
    }

    /// Products with `n / 2^k` equal big-rational products.
    #[test]
    fn products_with_dyadic_fractions_equal_big_rational_products() {
        let mut rng = ChaCha8Rng::seed_from_u64(66);
        let word = |rng: &mut ChaCha8Rng| BigInt::from(rng.next_u64() >> (rng.next_u32() % 64));
        let mut cancelled = 0;
        for case in 0..20_000u32 {
            let n = (u128::from(rng.next_u64()) << (rng.next_u32() % 68)) >> (rng.next_u32() % 64);
            let n = n.max(1) * [1, 3, 5, 7, 2][case as usize % 5];
            let k = rng.next_u32() % 70;
            let shared = BigInt::from([1u64, 3, 5, 9, 25, 1 << 20][case as usize % 6]);
            let a = word(&mut rng) * word(&mut rng) - word(&mut rng) * word(&mut rng);
            let b = word(&mut rng) * &shared + 1;
            let b = if case % 2 == 0 { b * shared } else { b };
            if a == BigInt::zero() {
                continue;
            }
            let c = Rational::new(a, b);
            let expected = &c * Rational::new(BigInt::from(n), BigInt::one() << k);
            let product = times_dyadic(&c, n, k);
            assert_eq!(product.numer(), expected.numer(), "{c} · {n} / 2^{k}");
            assert_eq!(product.denom(), expected.denom(), "{c} · {n} / 2^{k}");
            cancelled += usize::from(product.denom() < &(c.denom() << k));
        }
        assert!(cancelled >= 5_000, "{cancelled}");
    }

    /// Sums with a denominator of one or two words equal big-rational sums, with either sign of
    /// the first term.
    #[test]
    fn sums_with_word_denominators_equal_big_rational_sums() {
        let mut rng = ChaCha8Rng::seed_from_u64(65);
        let word = |rng: &mut ChaCha8Rng| BigInt::from(rng.next_u64() >> (rng.next_u32() % 64));
        let small = [1u64, 2, 3, 5, 6, 15, 25, 64, 75, 1 << 40];
        let (mut reduced, mut taken) = (0, 0);
        for case in 0..20_000 {
            let shared = BigInt::from(small[case % small.len()]);
            let b = word(&mut rng) * word(&mut rng) * &shared + 1;
            let b = if case % 3 == 0 { b * &shared } else { b };
            let ab = Rational::new(word(&mut rng) * word(&mut rng) - word(&mut rng), b);
            let d = if case % 2 == 0 {
                shared * word(&mut rng) + 1
            } else {
                word(&mut rng) + 1
            };
            let cd = Rational::new(word(&mut rng) - word(&mut rng), d);
            let negate = case % 4 < 2;
            let expected = if negate { &cd - &ab } else { &ab + &cd };
            if let Some(sum) = sum_with_word_denominator(&ab, negate, &cd) {
                assert_eq!(sum.numer(), expected.numer(), "{ab} {cd}");
                assert_eq!(sum.denom(), expected.denom(), "{ab} {cd}");
                taken += 1;
                reduced += usize::from(sum.denom() < &(ab.denom() * cd.denom()));
            }
            let negative = -ab.clone();
            let zero = sum_with_word_denominator(&negative, true, &(-ab.clone()));
            if ab.denom().to_u128().is_some() {
                assert_eq!(zero, Some(Rational::zero()));
            }
        }
        assert!(taken == 20_000 && reduced >= 2_000, "{reduced} of {taken}");
    }
}
