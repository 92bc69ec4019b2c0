//! The `f64` value of a [`SmallRational`] outside the machine-word fast path, the same `f64` as
//! the specification's `rational_to_f64` of the same value, without its big-integer shifts.
//!
//! That conversion takes `⌊n / 2^{s_n}⌋` and `⌊d / 2^{s_d}⌋` with `s = max(bits − 64, 0)` (a
//! floor: `num-bigint` shifts a negative number toward −∞), converts each to the nearest `f64`
//! and scales their quotient by `2^{s_n − s_d}` in two factors. Here the leading 64 bits are read
//! off the limbs, the floor of a negative number is its magnitude's quotient plus one when a bit
//! was shifted out, and the conversion of that integer (at most `2^64`) is `u128 as f64`, which
//! rounds to nearest like `num-bigint`'s round-to-odd conversion of the same integer.

use num_bigint::{BigInt, BigUint, Sign};

use super::SmallRational;
use super::{Big, Small, Wide};

/// `⌊x / 2^s⌋` as the nearest `f64`, and `s`, for `x = ±magnitude` with `s = max(bits − 64, 0)`:
/// `leading` the magnitude's leading bits (its value when `s = 0`), `lost` whether a bit below
/// `2^s` is set.
fn leading_value(negative: bool, leading: u64, shift: u64, lost: bool) -> (f64, i64) {
    if negative {
        (
            -((u128::from(leading) + u128::from(lost)) as f64),
            shift as i64,
        )
    } else {
        (leading as f64, shift as i64)
    }
}

/// [`leading_value`] of `±m` for a machine-word magnitude.
fn leading_of_u128(negative: bool, m: u128) -> (f64, i64) {
    let bits = u64::from(u128::BITS - m.leading_zeros());
    let shift = bits.saturating_sub(64);
    let lost = shift > 0 && u64::from(m.trailing_zeros()) < shift;
    leading_value(negative, (m >> shift) as u64, shift, lost)
}

/// [`leading_value`] of a big integer.
fn leading_of_big(x: &BigInt) -> (f64, i64) {
    let magnitude: &BigUint = x.magnitude();
    let bits = magnitude.bits();
    if bits <= 64 {
        let value = magnitude.iter_u64_digits().next().unwrap_or(0);
        return leading_value(x.sign() == Sign::Minus, value, 0, false);
    }
    let shift = bits - 64;
    let mut limbs = magnitude.iter_u64_digits().rev();
    let (high, low) = (limbs.next().unwrap_or(0), limbs.next().unwrap_or(0));
    // The top limb holds `top_bits` bits; the leading 64 start `top_bits` bits into the next.
    let top_bits = bits - 64 * (magnitude.iter_u64_digits().len() as u64 - 1);
    let leading = if top_bits == 64 {
        high
    } else {
        (high << (64 - top_bits)) | (low >> top_bits)
    };
    let negative = x.sign() == Sign::Minus;
    let lost = negative
        && magnitude
            .trailing_zeros()
            .is_some_and(|zeros| zeros < shift);
    leading_value(negative, leading, shift, lost)
}

/// The quotient of the two leading values, scaled as the specification scales it.
fn scaled((n, shift_n): (f64, i64), (d, shift_d): (f64, i64)) -> f64 {
    let exponent = (shift_n - shift_d).clamp(-2200, 2200) as i32;
    let half = exponent / 2;
    n / d * 2f64.powi(half) * 2f64.powi(exponent - half)
}

/// `n / d` (`d ≥ 1`) when both parts are below `9·10^15`, as the specification divides them.
fn machine_quotient(n: i128, d: i128) -> Option<f64> {
    let (n, d) = (n as f64, d as f64);
    (n.abs() < 9.0e15 && d < 9.0e15).then_some(n / d)
}

/// The specification's `rational_to_f64` of the value, bit for bit.
pub(super) fn to_f64(value: &SmallRational) -> f64 {
    match &value.0 {
        Small(n, d) => {
            let (n, d) = (i128::from(*n), i128::from(*d));
            machine_quotient(n, d).unwrap_or_else(|| {
                scaled(
                    leading_of_u128(n < 0, n.unsigned_abs()),
                    leading_of_u128(false, d as u128),
                )
            })
        }
        Wide(n, d) => machine_quotient(*n, *d).unwrap_or_else(|| {
            scaled(
                leading_of_u128(*n < 0, n.unsigned_abs()),
                leading_of_u128(false, *d as u128),
            )
        }),
        // A big value has a part of at least 127 bits: never the machine-word quotient.
        Big(r) => scaled(leading_of_big(r.numer()), leading_of_big(r.denom())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::{Rational, Scalar, rational_to_f64};
    use num_traits::One;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A random natural of up to `limbs` limbs, sometimes all ones or a power of two, shifted.
    fn natural(rng: &mut ChaCha8Rng, limbs: u32) -> BigInt {
        let count = 1 + rng.next_u32() % limbs;
        let mut x = BigInt::from(0);
        for _ in 0..count {
            let limb = match rng.next_u32() % 4 {
                0 => u64::MAX,
                1 => 1 << (rng.next_u32() % 64),
                _ => rng.next_u64(),
            };
            x = (x << 64u32) + BigInt::from(limb);
        }
        let x = x >> (rng.next_u32() % 64);
        let x = x << (rng.next_u32() % 96);
        if x == BigInt::from(0) {
            BigInt::one()
        } else {
            x
        }
    }

    /// `to_f64` of `exact`'s `SmallRational` is the specification's `rational_to_f64`, bit for bit.
    fn converts_as_the_specification(exact: &Rational, case: u32) {
        let small = SmallRational::from_rational(exact);
        let expected = rational_to_f64(exact);
        assert_eq!(
            to_f64(&small).to_bits(),
            expected.to_bits(),
            "case {case}: {exact}"
        );
    }

    #[test]
    fn every_form_converts_as_the_specification_does() {
        let mut rng = ChaCha8Rng::seed_from_u64(64);
        for case in 0..20_000u32 {
            let limbs = [1, 2, 3, 6, 40][(case % 5) as usize];
            let n = natural(&mut rng, limbs);
            let n = if rng.next_u32() % 2 == 0 { -n } else { n };
            let d = natural(&mut rng, [1, 2, 4, 40][(case / 5 % 4) as usize]);
            converts_as_the_specification(&Rational::new(n, d), case);
        }
    }

    /// Negative numerators whose leading 64 bits sit one below a rounding boundary of `f64`
    /// (low bits `0x3ff` or `0x7ff`, or all ones) with bits shifted out below them: the floor
    /// (magnitude plus one) crosses the boundary, the truncated magnitude does not.
    #[test]
    fn negative_floors_that_cross_a_rounding_boundary() {
        let mut rng = ChaCha8Rng::seed_from_u64(65);
        for case in 0..3_000u32 {
            let low = [0x3ff, 0x7ff, 0xbff, 0xfff][(case % 4) as usize];
            let leading = if case % 7 == 0 {
                u64::MAX
            } else {
                (rng.next_u64() | 1 << 63) & !0xfff | low
            };
            let shift = 1 + rng.next_u32() % 300;
            let below = BigInt::from(rng.next_u64() >> (rng.next_u32() % 64)) + 1;
            let below = below % (BigInt::one() << shift);
            let below = if below == BigInt::from(0) {
                BigInt::one()
            } else {
                below
            };
            let n = -((BigInt::from(leading) << shift) + below);
            let d = natural(&mut rng, [1, 2, 5][(case % 3) as usize]);
            converts_as_the_specification(&Rational::new(n, d), case);
        }
    }
}
