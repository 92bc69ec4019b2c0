//! The numbers the model is computed in: exact rationals, and `f64` for the sound `f64` check.
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

/// An exact rational number of arbitrary size.
pub type Rational = num_rational::BigRational;

/// A field the model is computed in: [`Rational`] (exact) or `f64` (rounded).
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

    /// An `f64` for the value (for reports; see [`rational_to_f64`]).
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

    /// The canonical text `"p/q"` (or `"p"`) of an exact value ([`rational_to_text`]); `None`
    /// for `f64`.
    fn exact_text(&self) -> Option<String> {
        if Self::EXACT {
            self.to_rational().map(|r| rational_to_text(&r))
        } else {
            None
        }
    }

    /// `Σ_k a_k b_k` over the pairs `(a_k, b_k)`: [`Scalar::multiply_accumulate`] in order
    /// (a number type may sum the same exact value in its own way).
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
mod tests;
