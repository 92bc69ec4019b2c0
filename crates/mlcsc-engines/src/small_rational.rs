//! A fast exact rational scalar: machine-word numerators and denominators with checked
//! arithmetic, promoted to big integers on overflow.
//!
//! [`SmallRational`] holds a reduced fraction `n / d` (`d ≥ 1`) in the smallest of three forms
//! it fits: `i64` parts, `i128` parts, or a [`Rational`] (`BigRational`). Every operation is
//! exact: two `i64` fractions are combined in `i128`, where their product or cross sum cannot
//! overflow; `i128` fractions are combined with checked arithmetic, and an overflow redoes the
//! operation in big rationals. Results are demoted to the smallest form that holds them. So a `SmallRational` computation and the same
//! computation in [`Rational`] produce equal values step by step, and every verdict built on
//! them is the same (checked in `tests/all/fast_paths.rs`).
//!
//! Reductions are done only where needed: denominators that are both powers of two (the
//! thresholds, magnitudes and noise scales of generated instances) are aligned by shifts and
//! reduced by counting trailing zeros; sums over a common denominator, and sums whose
//! denominators are coprime, need one gcd or none (Knuth's reduction of `a/b + c/d` by
//! `gcd(b, d)`); products are reduced by cross-cancellation before multiplying.
//!
//! Square roots ([`Scalar::sqrt_bounds`]) use the big-rational enclosure of
//! [`crate::scalar::rational_sqrt_bounds`], so enclosures are identical in both types.
//!
//! [`small_instance`] converts an exact instance field by field, and [`rational_instance`]
//! converts it back.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Rem, Sub, SubAssign};
use std::sync::Arc;

use num_bigint::BigInt;
use num_traits::{Num, One, Signed, ToPrimitive, Zero};

mod big;
mod big_view;
mod dot;
mod instance;
mod integer_view;
mod lehmer;
mod limb_division;
mod odd_parts;
mod signed_sums;
mod to_f64;
mod traits;
mod word_gcd;

use crate::scalar::{Rational, Scalar, rational_sqrt_bounds};
pub(crate) use big_view::{from_big_fraction, over_big_common_denominator};
pub use instance::{rational_instance, small_instance};
pub(crate) use integer_view::over_common_denominator;
use word_gcd::{divide_i64, divide_i128, divide_wide, gcd_wide, is_power_of_two};
pub use word_gcd::{gcd_u64, gcd_u128};

/// An exact rational: a reduced `i64` fraction while it fits, a big rational otherwise.
#[derive(Clone)]
pub struct SmallRational(Representation);

#[derive(Clone)]
enum Representation {
    /// `numerator / denominator`, reduced, `denominator ≥ 1`, `numerator ≠ i64::MIN`.
    Small(i64, i64),
    /// The same in `i128` (`numerator ≠ i128::MIN`), for values that do not fit `Small`.
    Wide(i128, i128),
    /// A reduced value that fits neither, shared: a clone (the generic code clones operands
    /// freely) copies a pointer, not two big integers.
    Big(Arc<Rational>),
}

use Representation::{Big, Small, Wide};

impl SmallRational {
    const ZERO: SmallRational = SmallRational(Small(0, 1));

    /// The value `numerator / denominator` (any signs, `denominator ≠ 0`), reduced.
    ///
    /// # Panics
    ///
    /// If the denominator is zero.
    pub fn new(numerator: i64, denominator: i64) -> Self {
        assert!(denominator != 0, "a rational with denominator zero");
        let (n, d) = if denominator < 0 {
            (-i128::from(numerator), -i128::from(denominator))
        } else {
            (i128::from(numerator), i128::from(denominator))
        };
        Self::from_unreduced(n, d)
    }

    /// `numerator / 2^exponent` (`exponent < 127`), reduced by the common powers of two alone:
    /// no gcd is formed.
    pub fn dyadic(numerator: i128, exponent: u32) -> Self {
        if numerator == 0 {
            return Self::ZERO;
        }
        let shift = numerator.trailing_zeros().min(exponent);
        Self::from_reduced(numerator >> shift, 1i128 << (exponent - shift))
    }

    /// Whether the value is held in the machine-word form (for tests and diagnostics).
    pub fn is_small(&self) -> bool {
        matches!(self.0, Small(..))
    }

    /// Whether the value is held as a big rational (it fits no machine-word form).
    pub fn is_big(&self) -> bool {
        matches!(self.0, Big(_))
    }

    /// The exact value as a big rational.
    pub fn to_big(&self) -> Rational {
        match &self.0 {
            Small(n, d) => Rational::new_raw(BigInt::from(*n), BigInt::from(*d)),
            Wide(n, d) => Rational::new_raw(BigInt::from(*n), BigInt::from(*d)),
            Big(r) => (**r).clone(),
        }
    }

    /// The exact value as a big rational, borrowed when it is one.
    fn as_big(&self) -> Cow<'_, Rational> {
        match &self.0 {
            Big(r) => Cow::Borrowed(&**r),
            _ => Cow::Owned(self.to_big()),
        }
    }

    /// A reduced `i128` fraction with `d ≥ 1`, in the smallest form it fits.
    fn from_reduced(n: i128, d: i128) -> Self {
        if d <= i128::from(i64::MAX) && n > i128::from(i64::MIN) && n <= i128::from(i64::MAX) {
            SmallRational(Small(n as i64, d as i64))
        } else if n != i128::MIN {
            SmallRational(Wide(n, d))
        } else {
            SmallRational(Big(Arc::new(Rational::new_raw(
                BigInt::from(n),
                BigInt::from(d),
            ))))
        }
    }

    /// The value as an `i128` fraction, unless it is big.
    fn parts(&self) -> Option<(i128, i128)> {
        match self.0 {
            Small(n, d) => Some((i128::from(n), i128::from(d))),
            Wide(n, d) => Some((n, d)),
            Big(_) => None,
        }
    }

    /// An `i128` fraction with `d ≥ 1`, reduced here.
    pub(crate) fn from_unreduced(n: i128, d: i128) -> Self {
        if n == 0 {
            return Self::ZERO;
        }
        if let (Ok(small_n), Ok(small_d)) = (u64::try_from(n.unsigned_abs()), i64::try_from(d)) {
            // g ≤ d ≤ i64::MAX.
            let g = gcd_u64(small_n, small_d as u64) as i64;
            return Self::from_reduced(divide_wide(n, g), divide_wide(d, g));
        }
        let g = match u64::try_from(d) {
            Ok(small_d) => i128::from(gcd_wide(n, small_d)),
            Err(_) => gcd_u128(n.unsigned_abs(), d as u128) as i128,
        };
        Self::from_reduced(divide_i128(n, g), divide_i128(d, g))
    }

    /// `a/b + c/d` in checked `i128` arithmetic (`None` on overflow).
    fn add_parts(a: i128, b: i128, c: i128, d: i128) -> Option<Self> {
        if c == 0 {
            return Some(Self::from_reduced(a, b));
        }
        if a == 0 {
            return Some(Self::from_reduced(c, d));
        }
        if b == d {
            let n = a.checked_add(c)?;
            if n == 0 {
                return Some(Self::ZERO);
            }
            let g = gcd_u128(n.unsigned_abs(), b as u128) as i128;
            return Some(Self::from_reduced(divide_i128(n, g), divide_i128(b, g)));
        }
        if b & (b - 1) == 0 && d & (d - 1) == 0 {
            let denominator = b.max(d);
            let n = a
                .checked_mul(denominator >> b.trailing_zeros())?
                .checked_add(c.checked_mul(denominator >> d.trailing_zeros())?)?;
            if n == 0 {
                return Some(Self::ZERO);
            }
            let shift = n.trailing_zeros().min(denominator.trailing_zeros());
            return Some(Self::from_reduced(n >> shift, denominator >> shift));
        }
        let g = gcd_u128(b as u128, d as u128) as i128;
        let (b_g, d_g) = (divide_i128(b, g), divide_i128(d, g));
        let n = a.checked_mul(d_g)?.checked_add(c.checked_mul(b_g)?)?;
        if n == 0 {
            return Some(Self::ZERO);
        }
        let h = gcd_u128(n.unsigned_abs(), g as u128) as i128;
        Some(Self::from_reduced(
            divide_i128(n, h),
            b_g.checked_mul(divide_i128(d, h))?,
        ))
    }

    /// `(a/b)(c/d)` in checked `i128` arithmetic (`None` on overflow).
    fn multiply_parts(a: i128, b: i128, c: i128, d: i128) -> Option<Self> {
        if a == 0 || c == 0 {
            return Some(Self::ZERO);
        }
        let g1 = gcd_u128(a.unsigned_abs(), d as u128) as i128;
        let g2 = gcd_u128(c.unsigned_abs(), b as u128) as i128;
        Some(Self::from_reduced(
            divide_i128(a, g1).checked_mul(divide_i128(c, g2))?,
            divide_i128(b, g2).checked_mul(divide_i128(d, g1))?,
        ))
    }

    /// A reduced big rational, demoted to the small form when it fits.
    pub fn from_big(value: Rational) -> Self {
        match (value.numer().to_i128(), value.denom().to_i128()) {
            (Some(n), Some(d)) if n != i128::MIN => Self::from_reduced(n, d),
            _ => SmallRational(Big(Arc::new(value))),
        }
    }

    fn add_small(a: i64, b: i64, c: i64, d: i64) -> Self {
        if c == 0 {
            return SmallRational(Small(a, b));
        }
        if a == 0 {
            return SmallRational(Small(c, d));
        }
        let (a, c) = (i128::from(a), i128::from(c));
        if b == d {
            let n = a + c;
            if b == 1 || n == 0 {
                return Self::from_reduced(n, if n == 0 { 1 } else { i128::from(b) });
            }
            let g = if is_power_of_two(b) {
                1i64 << n.trailing_zeros().min(b.trailing_zeros())
            } else {
                gcd_wide(n, b as u64) as i64
            };
            return Self::from_reduced(divide_wide(n, g), i128::from(b / g));
        }
        if is_power_of_two(b) && is_power_of_two(d) {
            let denominator = i128::from(b.max(d));
            let n =
                a * (denominator >> b.trailing_zeros()) + c * (denominator >> d.trailing_zeros());
            if n == 0 {
                return Self::ZERO;
            }
            let shift = n.trailing_zeros().min(denominator.trailing_zeros());
            return Self::from_reduced(n >> shift, denominator >> shift);
        }
        let g = gcd_u64(b as u64, d as u64) as i64;
        if g == 1 {
            return Self::from_reduced(
                a * i128::from(d) + c * i128::from(b),
                i128::from(b) * i128::from(d),
            );
        }
        let n = a * i128::from(d / g) + c * i128::from(b / g);
        if n == 0 {
            return Self::ZERO;
        }
        let h = gcd_wide(n, g as u64) as i64;
        Self::from_reduced(divide_wide(n, h), i128::from(b / g) * i128::from(d / h))
    }

    fn multiply_small(a: i64, b: i64, c: i64, d: i64) -> Self {
        if a == 0 || c == 0 {
            return Self::ZERO;
        }
        if is_power_of_two(b) && is_power_of_two(d) {
            let n = i128::from(a) * i128::from(c);
            let exponent = b.trailing_zeros() + d.trailing_zeros();
            let shift = n.trailing_zeros().min(exponent);
            return Self::from_reduced(n >> shift, 1i128 << (exponent - shift));
        }
        let g1 = gcd_u64(a.unsigned_abs(), d as u64) as i64;
        let g2 = gcd_u64(c.unsigned_abs(), b as u64) as i64;
        Self::from_reduced(
            i128::from(divide_i64(a, g1)) * i128::from(divide_i64(c, g2)),
            i128::from(divide_i64(b, g2)) * i128::from(divide_i64(d, g1)),
        )
    }

    /// `(n/d)² = n²/d²`, reduced without a gcd: `n` and `d` are coprime, so are their squares.
    fn square(&self) -> Self {
        match &self.0 {
            Small(n, d) => {
                let (n, d) = (i128::from(*n), i128::from(*d));
                Self::from_reduced(n * n, d * d)
            }
            Wide(n, d) => match (n.checked_mul(*n), d.checked_mul(*d)) {
                (Some(n2), Some(d2)) => Self::from_reduced(n2, d2),
                _ => Self::from_big(big::square(&self.to_big())),
            },
            Big(r) => SmallRational(Big(Arc::new(big::square(r)))),
        }
    }

    fn add_reference(&self, other: &Self) -> Self {
        self.add_signed(other, false)
    }

    /// `self + other`, or `self − other` when `negate`: the sign is carried into the parts
    /// (no negated copy of `other` is formed; `−c` fits, as `c` is never the minimum).
    fn add_signed(&self, other: &Self, negate: bool) -> Self {
        let sign = |c: i128| if negate { -c } else { c };
        if let (Small(a, b), Small(c, d)) = (&self.0, &other.0) {
            return Self::add_small(*a, *b, if negate { -*c } else { *c }, *d);
        }
        if other.is_zero() {
            return self.clone();
        }
        if self.is_zero() {
            return if negate {
                -other.clone()
            } else {
                other.clone()
            };
        }
        if let (Some((a, b)), Some((c, d))) = (self.parts(), other.parts())
            && let Some(sum) = Self::add_parts(a, b, sign(c), d)
        {
            return sum;
        }
        Self::from_big(big::sum(&self.as_big(), &other.as_big(), negate))
    }

    fn subtract_reference(&self, other: &Self) -> Self {
        self.add_signed(other, true)
    }

    fn multiply_reference(&self, other: &Self) -> Self {
        if let (Small(a, b), Small(c, d)) = (&self.0, &other.0) {
            return Self::multiply_small(*a, *b, *c, *d);
        }
        if self.is_zero() || other.is_zero() {
            return Self::ZERO;
        }
        if let (Some((a, b)), Some((c, d))) = (self.parts(), other.parts())
            && let Some(product) = Self::multiply_parts(a, b, c, d)
        {
            return product;
        }
        match (&self.0, &other.0) {
            (Big(x), Small(n, d)) | (Small(n, d), Big(x)) => {
                Self::from_big(big::product_with_word(x, *n, *d))
            }
            _ => Self::from_big(big::product(&self.as_big(), &other.as_big())),
        }
    }

    fn divide_reference(&self, other: &Self) -> Self {
        assert!(!other.is_zero(), "division of a rational by zero");
        if let (Small(a, b), Small(c, d)) = (&self.0, &other.0) {
            // 1 / (c/d) = sign(c) d / |c|, which fits because c ≠ i64::MIN.
            let (reciprocal_n, reciprocal_d) = if *c < 0 { (-*d, -*c) } else { (*d, *c) };
            return Self::multiply_small(*a, *b, reciprocal_n, reciprocal_d);
        }
        if let (Some((a, b)), Some((c, d))) = (self.parts(), other.parts()) {
            let (reciprocal_n, reciprocal_d) = if c < 0 { (-d, -c) } else { (d, c) };
            if let Some(quotient) = Self::multiply_parts(a, b, reciprocal_n, reciprocal_d) {
                return quotient;
            }
        }
        Self::from_big(big::quotient(&self.as_big(), &other.as_big()))
    }

    fn add_assign_reference(&mut self, other: &Self, negate: bool) {
        if let (Small(a, b), Small(c, d)) = (&self.0, &other.0) {
            *self = Self::add_small(*a, *b, if negate { -*c } else { *c }, *d);
            return;
        }
        // A sum with zero is the other term as it stands (a big sum would reduce it again).
        if other.is_zero() {
            return;
        }
        *self = match &self.0 {
            Small(0, _) if negate => -other.clone(),
            Small(0, _) => other.clone(),
            Big(x) => Self::from_big(big::sum(x, &other.as_big(), negate)),
            _ => self.add_signed(other, negate),
        };
    }
}
