//! Filters of exactly unit norm near given ones: exact checks demand filters whose squared
//! `ℓ2` norm is exactly 1 as a rational, and filters trained or written in floating point are
//! not. [`unit_rational_near`] maps a filter `x ∈ ℚ^d` to a rational point `q` of the unit
//! sphere near `u = x/‖x‖`, by inverse stereographic projection of a rational approximation
//! of `u`'s stereographic coordinates; [`distance_bound_squared`] bounds `‖q − u‖` exactly.
//! The construction and both bounds are proved in `proofs/rationalize.md`.
//!
//! With `k` the first coordinate of largest magnitude and `σ` its sign, the projection is
//! from the pole `−σ e_k`, so `u` is never near the pole: its coordinates `y_j = x_j / (‖x‖ +
//! |x_k|)` (`j ≠ k`) lie in `(−1, 1)`. Rounded to a common denominator `D`, `y_j ≈ a_j / D`,
//! and with `s = Σ a_j²` the filter written is
//!
//! ```text
//! q_j = 2 a_j D / (D² + s)   (j ≠ k),      q_k = σ (D² − s) / (D² + s),
//! ```
//!
//! whose squared norm is `(4 s D² + (D² − s)²) / (D² + s)² = 1` exactly.

use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::scalar::Rational;

/// The relative precision, in bits, of the rational upper bound on `‖x‖` that the
/// construction and the distance bound use: the bound on `‖q − u‖²` exceeds the true value by
/// at most `2^(1 − PRECISION_BITS)` (`proofs/rationalize.md`, R3), far below the smallest
/// tolerance accepted ([`SMALLEST_TOLERANCE`] squared, `10^-60 ≈ 2^-199`); on the distance
/// itself the excess is at most `2^-127.5 < 10^-38`.
pub const PRECISION_BITS: u64 = 256;

/// The smallest tolerance accepted: its square, `10^-60`, is still `2^57` times the excess
/// of the computed bound over the true squared distance.
pub const SMALLEST_TOLERANCE: f64 = 1e-30;

/// The largest stereographic denominator tried while searching for a tolerance: the a priori
/// bound `√(d − 1) / D + 2^(2 − PRECISION_BITS)` (R4) meets every tolerance down to
/// [`SMALLEST_TOLERANCE`] for filters of up to `2^40` taps below it.
pub const LARGEST_DENOMINATOR_BITS: u64 = 160;

/// A filter made exactly unit.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitFilter {
    /// The taps, flattened in the filter's order, of squared norm exactly 1.
    pub taps: Vec<Rational>,
    /// The common denominator `D` of the stereographic coordinates (1 for a filter kept as
    /// it was, already of exactly unit norm).
    pub denominator: BigInt,
    /// An exact upper bound on `‖q − x/‖x‖‖²` (0 for a kept filter).
    pub distance_squared_bound: Rational,
}

impl UnitFilter {
    /// `‖q − x/‖x‖‖` in `f64`, rounded to nearest from the exact bound (which exceeds the
    /// true squared distance by at most `2^(1 − PRECISION_BITS)`).
    pub fn distance(&self) -> f64 {
        self.distance_squared_bound.to_f64().unwrap_or(4.0).sqrt()
    }

    /// An `f64` at least `‖q − x/‖x‖‖`: the square root of the exact bound, rounded up (its
    /// square is checked against the bound exactly).
    pub fn distance_bound(&self) -> f64 {
        upward_square_root(&self.distance_squared_bound)
    }
}

/// The smallest `f64` found by stepping up from the rounded square root whose exact square is
/// at least `value ≥ 0`.
pub fn upward_square_root(value: &Rational) -> f64 {
    let mut root = value.to_f64().unwrap_or(f64::MAX).max(0.0).sqrt();
    loop {
        let exact = Rational::from_float(root).expect("a finite f64");
        if &(&exact * &exact) >= value {
            return root;
        }
        // The next f64 above a non-negative finite one.
        root = f64::from_bits(root.to_bits() + 1);
    }
}

/// A rational `U ≥ √value` with `U ≤ √value · (1 + 2^-bits)`, for `value > 0`.
pub fn square_root_above(value: &Rational, bits: u64) -> Rational {
    // √(a/b) = √(a b) / b, and √(a b 4^e) is taken with at least `bits + 1` bits.
    let product = value.numer() * value.denom();
    let shift = (2 * bits + 2).saturating_sub(product.bits()).div_ceil(2);
    let scaled = product << (2 * shift);
    let root = scaled.sqrt() + BigInt::one();
    Rational::new(root, value.denom() << shift)
}

/// Why a filter has no unit twin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RationalizeError {
    /// Every tap is zero: a zero filter has no direction to keep.
    ZeroFilter,
    /// No stereographic denominator up to `2^LARGEST_DENOMINATOR_BITS` met the tolerance.
    ToleranceNotMet,
}

impl std::fmt::Display for RationalizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RationalizeError::ZeroFilter => f.write_str(
                "every tap is zero: a zero filter has no direction, so no unit filter is near it",
            ),
            RationalizeError::ToleranceNotMet => write!(
                f,
                "no stereographic denominator up to 2^{LARGEST_DENOMINATOR_BITS} meets the tolerance"
            ),
        }
    }
}

/// The filter's axis: the first coordinate of largest magnitude, and its sign (±1).
fn axis(filter: &[Rational]) -> (usize, Rational) {
    let mut k = 0;
    for (j, value) in filter.iter().enumerate() {
        if value.abs() > filter[k].abs() {
            k = j;
        }
    }
    let sign = if filter[k].is_negative() {
        -Rational::one()
    } else {
        Rational::one()
    };
    (k, sign)
}

/// The nearest integer to `value`, halves away from zero.
fn nearest_integer(value: &Rational) -> BigInt {
    value.round().to_integer()
}

/// The unit filter of stereographic denominator `denominator ≥ 1` near `x/‖x‖`, with `norm`
/// an upper bound on `‖x‖` (R1, R2 of `proofs/rationalize.md`). `filter` must not be zero.
pub fn unit_rational_near(
    filter: &[Rational],
    norm: &Rational,
    denominator: &BigInt,
) -> Vec<Rational> {
    let (k, sign) = axis(filter);
    let scale = norm + filter[k].abs();
    let d = Rational::from_integer(denominator.clone());
    let numerators: Vec<BigInt> = (filter.iter().enumerate())
        .map(|(j, value)| {
            if j == k {
                BigInt::zero()
            } else {
                nearest_integer(&(value / &scale * &d))
            }
        })
        .collect();
    let s: BigInt = numerators.iter().map(|a| a * a).sum();
    let d_squared = denominator * denominator;
    let common = &d_squared + &s;
    (numerators.iter().enumerate())
        .map(|(j, a)| {
            if j == k {
                &sign * Rational::new(&d_squared - &s, common.clone())
            } else {
                Rational::new(BigInt::from(2) * a * denominator, common.clone())
            }
        })
        .collect()
}

/// An exact upper bound on `‖q − x/‖x‖‖²` for a unit `q`, with `norm ≥ ‖x‖` (R3):
/// `2 − 2 ⟨q, x⟩ / norm` when `⟨q, x⟩ > 0`, else 4.
pub fn distance_bound_squared(filter: &[Rational], unit: &[Rational], norm: &Rational) -> Rational {
    let inner: Rational = filter.iter().zip(unit).map(|(x, q)| x * q).sum();
    if inner.is_positive() {
        Rational::from_integer(BigInt::from(2)) * (Rational::one() - inner / norm)
    } else {
        Rational::from_integer(BigInt::from(4))
    }
}

/// What the construction aims at.
#[derive(Clone, Debug)]
pub enum Aim {
    /// The smallest power-of-two stereographic denominator whose bound on the distance is at
    /// most this tolerance (`SMALLEST_TOLERANCE ≤ tolerance`).
    Tolerance(f64),
    /// This stereographic denominator (at least 1).
    Denominator(BigInt),
}

/// `filter` made exactly unit as `aim` asks; a filter already of exactly unit norm is kept.
pub fn unit_filter(filter: &[Rational], aim: &Aim) -> Result<UnitFilter, RationalizeError> {
    let norm_squared: Rational = filter.iter().map(|x| x * x).sum();
    if norm_squared.is_zero() {
        return Err(RationalizeError::ZeroFilter);
    }
    if norm_squared.is_one() {
        return Ok(UnitFilter {
            taps: filter.to_vec(),
            denominator: BigInt::one(),
            distance_squared_bound: Rational::zero(),
        });
    }
    let norm = square_root_above(&norm_squared, PRECISION_BITS);
    let make = |denominator: BigInt| {
        let taps = unit_rational_near(filter, &norm, &denominator);
        let distance_squared_bound = distance_bound_squared(filter, &taps, &norm);
        UnitFilter {
            taps,
            denominator,
            distance_squared_bound,
        }
    };
    match aim {
        Aim::Denominator(denominator) => Ok(make(denominator.clone())),
        Aim::Tolerance(tolerance) => {
            let tolerance = Rational::from_float(*tolerance).expect("a finite tolerance");
            let goal = &tolerance * &tolerance;
            let mut denominator = BigInt::one();
            while denominator.bits() <= LARGEST_DENOMINATOR_BITS {
                let made = make(denominator.clone());
                if made.distance_squared_bound <= goal {
                    return Ok(made);
                }
                denominator <<= 1;
            }
            Err(RationalizeError::ToleranceNotMet)
        }
    }
}
