//! The `f64` of the reduced sum `±a/b + c/d` of an enclosure end and a rational term, computed
//! on fixed arrays of limbs: the same sum as `word_ends::sum_with_word_denominator` (the same
//! gcds, `g = gcd(b, d)` and `h = gcd(t, g)` with `t = ±a (d/g) + c (b/g)`, split into powers of
//! two and odd parts) and the same `f64` as the specification's `rational_to_f64` of the
//! reduced fraction, without a big integer built on the way.
//!
//! The conversion depends on the reduced numerator and denominator (it rounds their leading 64
//! bits before dividing), so the sum is reduced exactly as before; only its representation
//! changes. It is taken when every number fits the fixed limbs and `d < 2^128` has an odd part
//! below `2^96` (so that every remainder is a pass over the limbs with a machine-word divisor);
//! `None` otherwise, and the caller takes another way.

use mlcsc_spec::scalar::{Rational, rational_to_f64};
use num_bigint::Sign;

use super::fixed_limbs::Natural;
use crate::small_rational::gcd_u128;

/// `(−1)^x.0 x.1 + (−1)^y.0 y.1` as a sign and a magnitude, when it fits.
fn signed_sum(x: (bool, Natural), y: (bool, Natural)) -> Option<(bool, Natural)> {
    if x.0 == y.0 {
        return Some((x.0, x.1.plus(&y.1)?));
    }
    Some(match x.1.compare(&y.1) {
        std::cmp::Ordering::Less => (y.0, y.1.minus(&x.1)),
        _ => (x.0, x.1.minus(&y.1)),
    })
}

/// A reduced fraction `±n/d` (`d ≥ 1`) on fixed limbs.
#[derive(Clone, Copy)]
pub(super) struct Fraction {
    negative: bool,
    numerator: Natural,
    denominator: Natural,
}

impl Fraction {
    /// `x` on fixed limbs, when it fits.
    pub(super) fn of(x: &Rational) -> Option<Fraction> {
        Some(Fraction {
            negative: x.numer().sign() == Sign::Minus,
            numerator: Natural::of_big(x.numer())?,
            denominator: Natural::of_big(x.denom())?,
        })
    }

    /// The specification's `rational_to_f64` of the fraction (of its negative when `negate`).
    pub(super) fn value_in_f64(&self, negate: bool) -> f64 {
        if self.numerator.is_zero() {
            return 0.0;
        }
        fraction_to_f64(self.negative != negate, &self.numerator, &self.denominator)
    }
}

/// [`sum_of_fractions`] of two big rationals.
#[cfg(test)]
pub(super) fn sum_in_f64(ab: &Rational, negate: bool, cd: &Rational) -> Option<f64> {
    sum_of_fractions(&Fraction::of(ab)?, negate, &Fraction::of(cd)?)
}

/// The `f64` of `±a/b + c/d` (`−a/b` when `negate`) for reduced `a/b` and `c/d`, as the
/// specification's `rational_to_f64` converts the reduced sum (module documentation); `None`
/// when a number does not fit or `d` does not (an odd part below `2^96` of `d < 2^128`).
pub(super) fn sum_of_fractions(ab: &Fraction, negate: bool, cd: &Fraction) -> Option<f64> {
    let d = cd.denominator.two_words()?;
    let d_twos = d.trailing_zeros();
    let d_odd = d >> d_twos;
    if d_odd >> 96 != 0 {
        return None;
    }
    let (a, b, c) = (&ab.numerator, &ab.denominator, &cd.numerator);
    // g = gcd(b, d) = 2^twos · g_odd.
    let twos = (b.trailing_zeros()?).min(u64::from(d_twos));
    let g_odd = if d_odd == 1 {
        1
    } else {
        gcd_u128(b.remainder(d_odd), d_odd)
    };
    let b_g = b.divided(g_odd, twos);
    let left = a.times(&Natural::of_u128((d / g_odd) >> twos))?;
    let right = c.times(&b_g)?;
    let (negative, t) = signed_sum((ab.negative != negate, left), (cd.negative, right))?;
    // h = gcd(t, g) = 2^h_twos · h_odd; a zero sum is the rational zero.
    let Some(t_zeros) = t.trailing_zeros() else {
        return Some(0.0);
    };
    let h_twos = t_zeros.min(twos);
    let h_odd = if g_odd == 1 {
        1
    } else {
        gcd_u128(t.remainder(g_odd), g_odd)
    };
    let numerator = t.divided(h_odd, h_twos);
    let denominator = b_g.times(&Natural::of_u128((d / h_odd) >> h_twos))?;
    Some(fraction_to_f64(negative, &numerator, &denominator))
}

/// The specification's `rational_to_f64` of `x` (of `−x` when `negate`), read off its limbs
/// when they fit.
pub(super) fn rational_in_f64(x: &Rational, negate: bool) -> f64 {
    match Fraction::of(x) {
        Some(fraction) => fraction.value_in_f64(negate),
        None if negate => rational_to_f64(&-x),
        None => rational_to_f64(x),
    }
}

/// `rational_to_f64` of the reduced `±n/d` (`d ≥ 1`): `n / d` in `f64` when both are below
/// `9·10^15`; otherwise the nearest `f64` of each part's floor at its leading 64 bits (a
/// negative numerator's floor is its magnitude's plus one when a bit was shifted out), divided,
/// and scaled by `2^{s_n − s_d}` in two factors.
fn fraction_to_f64(negative: bool, n: &Natural, d: &Natural) -> f64 {
    const BELOW: u64 = 9_000_000_000_000_000;
    if n.len <= 1 && d.len <= 1 && n.limbs[0] < BELOW && d.limbs[0] < BELOW {
        let magnitude = n.limbs[0] as f64;
        let numerator = if negative { -magnitude } else { magnitude };
        return numerator / d.limbs[0] as f64;
    }
    let (n, shift_n) = leading_value(negative, n);
    let (d, shift_d) = leading_value(false, d);
    let exponent = (shift_n - shift_d).clamp(-2200, 2200) as i32;
    let half = exponent / 2;
    n / d * power_of_two(half) * power_of_two(exponent - half)
}

/// `2f64.powi(e)`: the power of two itself, built from its bits, in the range of normal
/// numbers (where `powi`, by squarings and products of powers of two, is exact); `powi` beyond.
fn power_of_two(e: i32) -> f64 {
    if (-1022..=1023).contains(&e) {
        f64::from_bits(((1023 + e) as u64) << 52)
    } else {
        2f64.powi(e)
    }
}

/// `⌊±x / 2^s⌋` as the nearest `f64`, with `s = max(bits(x) − 64, 0)`.
fn leading_value(negative: bool, x: &Natural) -> (f64, i64) {
    let shift = x.bits().saturating_sub(64);
    let leading = x.shifted_right(shift).limbs[0];
    if !negative {
        return (leading as f64, shift as i64);
    }
    let lost = shift > 0 && x.trailing_zeros().is_some_and(|zeros| zeros < shift);
    (
        -((u128::from(leading) + u128::from(lost)) as f64),
        shift as i64,
    )
}

#[cfg(test)]
mod tests;
