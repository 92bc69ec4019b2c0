//! The numbers the model is computed in: `f64` for speed, exact rationals for certainty.
//!
//! Everything that decides a verdict is generic over [`Scalar`]. The trait is kept small: it
//! holds only what differs between the two arithmetics (exactness, conversion, and a square
//! root, which is exact-to-the-last-bit in `f64` and a certified enclosure in rationals).
//!
//! # Laws
//!
//! For both implementations, `from_rational(r).to_f64()` is an `f64` within two units in the
//! last place of `r` (see [`rational_to_f64`]), `sqrt_bounds(x, b)` returns `(lo, hi)` with
//! `lo ≤ hi`, and for the exact type `lo² ≤ x ≤ hi²` with `hi - lo ≤ 2^-b · max(1, hi)`.

use std::fmt::Debug;
use std::ops::{AddAssign, SubAssign};

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

mod sum_of_squares;

/// An exact rational number of arbitrary size.
pub type Rational = num_rational::BigRational;

/// A field the model is computed in: `f64` (a fast screen) or [`Rational`] (exact).
pub trait Scalar:
    Clone
    + Debug
    + PartialOrd
    + Send
    + Sync
    + Signed
    + for<'a> AddAssign<&'a Self>
    + for<'a> SubAssign<&'a Self>
    + 'static
{
    /// `true` when arithmetic in this type is exact, so that its comparisons are certified.
    const EXACT: bool;

    /// The value of an exact rational in this type ([`rational_to_f64`], or itself).
    fn from_rational(value: &Rational) -> Self;

    /// A small integer in this type.
    fn from_integer(value: i64) -> Self;

    /// An `f64` for the value (for reports and screens; see [`rational_to_f64`]).
    fn to_f64(&self) -> f64;

    /// Whether the value is finite (always true for rationals).
    fn is_finite_value(&self) -> bool;

    /// `acc += a · b`, without cloning the operands where the type allows.
    fn multiply_accumulate(acc: &mut Self, a: &Self, b: &Self);

    /// Bounds `(lo, hi)` on `sqrt(self)` for `self ≥ 0`: certified with `hi - lo` of relative
    /// size about `2^-bits` for rationals (a point when the root is rational), and the rounded
    /// root twice for `f64`.
    fn sqrt_bounds(&self, bits: u32) -> (Self, Self);

    /// An exact rational equal to this value (the `f64` value itself, exactly), or `None` for a
    /// non-finite `f64`.
    fn to_rational(&self) -> Option<Rational>;

    /// The values as integers over one common denominator, `values[k] = numerators[k] / D`,
    /// when machine words hold them (exact types only; `None` by default).
    fn over_common_denominator(_values: &[Self]) -> Option<(Vec<i64>, i64)> {
        None
    }

    /// The fraction `numerator / denominator` for `denominator ≥ 1`.
    fn from_integer_fraction(numerator: i128, denominator: i128) -> Self {
        Self::from_rational(&Rational::new(
            BigInt::from(numerator),
            BigInt::from(denominator),
        ))
    }

    /// `Σ v²` over `values` (a filter's `‖f‖²`): [`Scalar::multiply_accumulate`] in order, or
    /// the same exact value by a faster route.
    fn sum_of_squares(values: &[Self]) -> Self {
        accumulated_squares(values)
    }

    /// `Σ_k a_k b_k` over the pairs `(a_k, b_k)`: [`Scalar::multiply_accumulate`] in order, or
    /// the same exact value by a faster route.
    fn dot<'a, I>(terms: I) -> Self
    where
        I: Iterator<Item = (&'a Self, &'a Self)>,
        Self: 'a,
    {
        let mut acc = Self::zero();
        for (a, b) in terms {
            Self::multiply_accumulate(&mut acc, a, b);
        }
        acc
    }
}

/// `Σ v²` by [`Scalar::multiply_accumulate`] in order.
fn accumulated_squares<S: Scalar>(values: &[S]) -> S {
    let mut acc = S::zero();
    for v in values {
        S::multiply_accumulate(&mut acc, v, v);
    }
    acc
}

impl Scalar for f64 {
    const EXACT: bool = false;

    fn from_rational(value: &Rational) -> Self {
        rational_to_f64(value)
    }

    fn from_integer(value: i64) -> Self {
        value as f64
    }

    fn to_f64(&self) -> f64 {
        *self
    }

    fn is_finite_value(&self) -> bool {
        self.is_finite()
    }

    fn multiply_accumulate(acc: &mut Self, a: &Self, b: &Self) {
        *acc += a * b;
    }

    fn sqrt_bounds(&self, _bits: u32) -> (Self, Self) {
        let root = self.max(0.0).sqrt();
        (root, root)
    }

    fn to_rational(&self) -> Option<Rational> {
        Rational::from_float(*self)
    }
}

impl Scalar for Rational {
    const EXACT: bool = true;

    fn from_rational(value: &Rational) -> Self {
        value.clone()
    }

    fn from_integer(value: i64) -> Self {
        Rational::from_integer(BigInt::from(value))
    }

    fn to_f64(&self) -> f64 {
        rational_to_f64(self)
    }

    fn is_finite_value(&self) -> bool {
        true
    }

    fn multiply_accumulate(acc: &mut Self, a: &Self, b: &Self) {
        if !a.is_zero() && !b.is_zero() {
            *acc += &(a * b);
        }
    }

    fn sqrt_bounds(&self, bits: u32) -> (Self, Self) {
        rational_sqrt_bounds(self, bits)
    }

    fn to_rational(&self) -> Option<Rational> {
        Some(self.clone())
    }

    /// On integer numerators over the common denominator when machine words suffice, else in
    /// big rationals.
    fn sum_of_squares(values: &[Self]) -> Self {
        sum_of_squares::sum_of_squares_on_words(values)
            .unwrap_or_else(|| accumulated_squares(values))
    }
}

/// An `f64` for an exact rational: the nearest one when numerator and denominator are below
/// `9·10^15` (one correctly rounded division), and otherwise within two units in the last place
/// (both parts rounded to 64 significant bits, divided, and scaled by a power of two), for every
/// magnitude, including parts that alone would overflow `f64`.
pub fn rational_to_f64(value: &Rational) -> f64 {
    if let (Some(n), Some(d)) = (value.numer().to_f64(), value.denom().to_f64())
        && n.is_finite()
        && d.is_finite()
        && n.abs() < 9.0e15
        && d < 9.0e15
    {
        return n / d;
    }
    // Scale both parts to about 64 significant bits before dividing.
    let n_bits = value.numer().bits() as i64;
    let d_bits = value.denom().bits() as i64;
    let shift_n = (n_bits - 64).max(0);
    let shift_d = (d_bits - 64).max(0);
    let n = (value.numer() >> shift_n as usize).to_f64().unwrap_or(0.0);
    let d = (value.denom() >> shift_d as usize).to_f64().unwrap_or(1.0);
    let exponent = (shift_n - shift_d).clamp(-2200, 2200) as i32;
    // In two factors, each within the range of f64, so that a finite result near 2^±1023 is
    // not lost to an infinite or zero power of two.
    let half = exponent / 2;
    n / d * 2f64.powi(half) * 2f64.powi(exponent - half)
}

/// Certified bounds on `sqrt(x)` for a rational `x ≥ 0` (negative input is treated as zero).
///
/// With `x = p/q`, `sqrt(x) = sqrt(p q) / q`. Scaling by `4^k` and taking the integer square
/// root `r = ⌊sqrt(p q 4^k)⌋` gives `r / (q 2^k) ≤ sqrt(x) ≤ (r + 1) / (q 2^k)`, and the
/// enclosure collapses to a point when `p q 4^k` is a perfect square.
pub fn rational_sqrt_bounds(x: &Rational, bits: u32) -> (Rational, Rational) {
    if !x.is_positive() {
        return (Rational::zero(), Rational::zero());
    }
    let p = x.numer();
    let q = x.denom();
    // Choose k so that the integer root has at least `bits` significant bits.
    let product = p * q;
    let current = product.bits() as i64 / 2;
    let k = (bits as i64 - current + 2).max(0) as usize;
    let scaled = &product << (2 * k);
    let root = scaled.sqrt();
    let exact = &root * &root == scaled;
    let bound = |n: BigInt| {
        if q.is_one() {
            over_power_of_two(n, k)
        } else {
            Rational::new(n, q << k)
        }
    };
    if exact {
        let low = bound(root);
        return (low.clone(), low);
    }
    (bound(root.clone()), bound(root + BigInt::one()))
}

/// `n / 2^k` reduced by a shift (the gcd of `n` and `2^k` is a power of two).
fn over_power_of_two(n: BigInt, k: usize) -> Rational {
    let Some(zeros) = n.trailing_zeros() else {
        return Rational::zero();
    };
    let shift = (zeros as usize).min(k);
    Rational::new_raw(n >> shift, BigInt::one() << (k - shift))
}

/// `numerator / denominator` (`denominator ≠ 0`), reduced on machine words: the same value as
/// `Rational::new`, without a big-integer gcd.
///
/// # Panics
///
/// If the denominator is zero.
pub fn ratio(numerator: i64, denominator: i64) -> Rational {
    assert!(denominator != 0, "a rational with denominator zero");
    let g = i128::from(numerator.unsigned_abs().gcd(&denominator.unsigned_abs()));
    let (n, d) = (i128::from(numerator) / g, i128::from(denominator) / g);
    let sign = d.signum();
    Rational::new_raw(BigInt::from(sign * n), BigInt::from(sign * d))
}

/// The canonical text of a rational: `"p/q"`, or `"p"` for an integer.
pub fn rational_to_text(value: &Rational) -> String {
    if value.denom().is_one() {
        value.numer().to_string()
    } else {
        format!("{}/{}", value.numer(), value.denom())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn square_root_of_a_rational_square_is_a_point() {
        let (lo, hi) = rational_sqrt_bounds(&r(9, 16), 64);
        assert_eq!(lo, r(3, 4));
        assert_eq!(hi, r(3, 4));
    }

    #[test]
    fn ratio_reduces_on_words_as_big_rationals_do() {
        for (n, d) in [
            (6, 4),
            (-6, 4),
            (6, -4),
            (-6, -4),
            (0, -7),
            (i64::MIN, 2),
            (5, i64::MIN),
        ] {
            assert_eq!(ratio(n, d), Rational::new(BigInt::from(n), BigInt::from(d)));
        }
    }

    #[test]
    fn square_roots_of_whole_numbers_are_reduced_like_big_rationals() {
        for (m, bits) in [
            (2u64, 64u32),
            (4, 64),
            (12, 64),
            (1 << 40, 70),
            (999_983, 128),
        ] {
            let (lo, hi) = rational_sqrt_bounds(&r(m as i64, 1), bits);
            // The same bounds built by Rational::new's own reduction.
            let product = BigInt::from(m);
            let k = (bits as i64 - product.bits() as i64 / 2 + 2).max(0) as usize;
            let root = (&product << (2 * k)).sqrt();
            let exact = &root * &root == (&product << (2 * k));
            let denominator = BigInt::one() << k;
            let low = Rational::new(root.clone(), denominator.clone());
            let high = if exact {
                low.clone()
            } else {
                Rational::new(root + 1, denominator)
            };
            assert_eq!((lo, hi), (low, high), "m = {m}");
        }
    }

    #[test]
    fn square_root_of_two_is_enclosed_tightly() {
        let (lo, hi) = rational_sqrt_bounds(&r(2, 1), 80);
        assert!(&lo * &lo < r(2, 1) && &hi * &hi > r(2, 1));
        let width = rational_to_f64(&(hi - lo));
        assert!(width > 0.0 && width < 1e-20);
    }

    #[test]
    fn f64_and_rational_implement_the_scalar_operations_alike() {
        // From and to exact values.
        assert_eq!(<f64 as Scalar>::from_rational(&r(3, 4)), 0.75);
        assert_eq!(<Rational as Scalar>::from_rational(&r(3, 4)), r(3, 4));
        assert_eq!(<f64 as Scalar>::from_integer(-7), -7.0);
        assert_eq!(<Rational as Scalar>::from_integer(-7), r(-7, 1));
        assert_eq!(Scalar::to_f64(&-2.5f64), -2.5);
        assert_eq!(Scalar::to_f64(&r(-5, 2)), -2.5);
        assert_eq!(
            0.1f64.to_rational(),
            Some(r(3602879701896397, 36028797018963968))
        );
        assert_eq!(f64::INFINITY.to_rational(), None);
        assert_eq!(r(2, 3).to_rational(), Some(r(2, 3)));
        // Finiteness.
        assert!(1.0f64.is_finite_value());
        assert!(!f64::INFINITY.is_finite_value() && !f64::NAN.is_finite_value());
        assert!(r(1, 3).is_finite_value());
        // acc += a · b, also with a zero operand.
        let mut acc = 1.0f64;
        f64::multiply_accumulate(&mut acc, &2.0, &3.0);
        assert_eq!(acc, 7.0);
        let mut acc = r(1, 1);
        Rational::multiply_accumulate(&mut acc, &r(2, 1), &r(3, 1));
        Rational::multiply_accumulate(&mut acc, &r(0, 1), &r(5, 1));
        assert_eq!(acc, r(7, 1));
        // Square roots: the rounded root twice in f64 (0 below zero), certified bounds exactly.
        assert_eq!(2.25f64.sqrt_bounds(64), (1.5, 1.5));
        assert_eq!((-1.0f64).sqrt_bounds(64), (0.0, 0.0));
        assert_eq!(r(9, 4).sqrt_bounds(64), (r(3, 2), r(3, 2)));
        let (lo, hi) = r(1, 32).sqrt_bounds(64);
        assert!(&lo * &lo < r(1, 32) && r(1, 32) < &hi * &hi);
        assert!(rational_to_f64(&(hi - lo)) < 1e-19);
        assert_eq!(r(-1, 2).sqrt_bounds(64), (r(0, 1), r(0, 1)));
    }

    #[test]
    fn conversion_of_unreduced_huge_parts_and_values_near_the_ends_of_the_range() {
        let ten = BigInt::from(10);
        // (10^400 + 1) / (2 · 10^400): both parts far beyond f64, the value 1/2.
        let half = Rational::new(ten.pow(400) + 1, ten.pow(400) * 2);
        assert_eq!(rational_to_f64(&half), 0.5);
        // 2^1087 / (2^64 − 1) ≈ 2^1023: finite although 2^1024 alone is not.
        let two = BigInt::from(2);
        let near_max = Rational::new(two.pow(1087), two.pow(64) - 1);
        let value = rational_to_f64(&near_max);
        assert!(value.is_finite() && (value / 2f64.powi(1023) - 1.0).abs() < 1e-15);
        // Its reciprocal is below the normal range, still not zero; beyond the range, 0 and inf.
        let reciprocal = rational_to_f64(&(Rational::from_integer(BigInt::from(1)) / near_max));
        assert!(reciprocal > 0.0 && (reciprocal * 2f64.powi(1023) - 1.0).abs() < 1e-12);
        assert_eq!(
            rational_to_f64(&Rational::new(BigInt::from(1), ten.pow(400))),
            0.0
        );
        assert_eq!(
            rational_to_f64(&Rational::new(ten.pow(400), BigInt::from(3))),
            f64::INFINITY
        );
        assert_eq!(
            rational_to_f64(&Rational::new(-ten.pow(400), BigInt::from(3))),
            f64::NEG_INFINITY
        );
    }

    #[test]
    fn conversion_handles_huge_parts() {
        let big = BigInt::from(10).pow(400);
        let value = Rational::new(big.clone() * 3, big * 4);
        assert_eq!(rational_to_f64(&value), 0.75);
    }
}
