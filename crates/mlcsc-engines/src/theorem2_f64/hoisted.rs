//! [`f64_upper_bound`](crate::tolerance::f64_upper_bound) and
//! [`f64_lower_bound`](crate::tolerance::f64_lower_bound) for one count of operations, applied to many
//! values: the factor `1 ± 2γ` (or `1 − γ`) and the underflow allowance are computed once,
//! and every value is bounded by the same operations in the same order, so each bound is the
//! very `f64` the functions of [`crate::tolerance`] give (tested bit for bit below). Only the
//! division of `γ_k` and the call per entry are saved.

use crate::tolerance::{F64_UNDERFLOW_PER_OPERATION, higham_gamma};

/// [`f64_upper_bound`](crate::tolerance::f64_upper_bound)`(·, operations)` with its constants computed once.
#[derive(Clone, Copy, Debug)]
pub(super) struct UpperBound {
    factor: f64,
    allowance: f64,
}

impl UpperBound {
    /// The bound for `operations` rounded operations.
    pub(super) fn new(operations: usize) -> Self {
        UpperBound {
            factor: 1.0 + 2.0 * higham_gamma(operations + 1),
            allowance: operations.max(1) as f64 * F64_UNDERFLOW_PER_OPERATION,
        }
    }

    /// `f64_upper_bound(computed, operations)`, bit for bit.
    #[inline]
    pub(super) fn of(self, computed: f64) -> f64 {
        up(up(computed * self.factor) + self.allowance)
    }
}

impl UpperBound {
    /// [`UpperBound::of`] for a `computed` above 0 (`+∞` included), bit for bit, without
    /// branches, so that a loop of them runs on vectors: `computed · factor` is then above 0,
    /// and so is the sum with the allowance, and the least `f64` above a positive `x` is the
    /// next bit pattern, or `x` itself for `+∞`. Any other `computed` gives some number, to be
    /// passed over by the caller.
    #[inline]
    pub(super) fn of_positive(self, computed: f64) -> f64 {
        up_positive(up_positive(computed * self.factor) + self.allowance)
    }
}

/// [`up`] for `x > 0`: the next bit pattern below `+∞`.
#[inline]
fn up_positive(x: f64) -> f64 {
    f64::from_bits(x.to_bits().wrapping_add(u64::from(x < f64::INFINITY)))
}

/// [`f64_lower_bound`](crate::tolerance::f64_lower_bound)`(·, operations)` with its constants computed once.
#[derive(Clone, Copy, Debug)]
pub(super) struct LowerBound {
    factor: f64,
    allowance: f64,
}

impl LowerBound {
    /// The bound for `operations` rounded operations.
    pub(super) fn new(operations: usize) -> Self {
        LowerBound {
            factor: 1.0 - higham_gamma(operations + 1),
            allowance: operations.max(1) as f64 * F64_UNDERFLOW_PER_OPERATION,
        }
    }

    /// `f64_lower_bound(computed, operations)`, bit for bit.
    #[inline]
    pub(super) fn of(self, computed: f64) -> f64 {
        down(down(computed * self.factor) - self.allowance).max(0.0)
    }
}

/// [`next_up`](crate::tolerance::next_up), inlined: the least `f64` above `x`.
#[inline]
fn up(x: f64) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        x
    } else if x == 0.0 {
        f64::from_bits(1)
    } else if x > 0.0 {
        f64::from_bits(x.to_bits() + 1)
    } else {
        f64::from_bits(x.to_bits() - 1)
    }
}

/// [`next_down`](crate::tolerance::next_down), inlined: the greatest `f64` below `x`.
#[inline]
fn down(x: f64) -> f64 {
    -up(-x)
}

/// Both bounds of this module against the functions they stand for.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::tolerance::{f64_lower_bound, f64_upper_bound};

    #[test]
    fn the_hoisted_bounds_are_the_tolerance_bounds_bit_for_bit() {
        let mut next = crate::test_stream::xorshift(0x2545_f491_4f6c_dd1d);
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
        ];
        for _ in 0..200_000 {
            let bits = next();
            values.push(f64::from_bits(bits).abs());
            values.push((bits >> 11) as f64 * 2f64.powi((bits % 80) as i32 - 60));
        }
        for operations in [0, 1, 3, 4, 7, 14, 33, 134, 1030, 4096] {
            let (upper, lower) = (UpperBound::new(operations), LowerBound::new(operations));
            for &x in &values {
                let (a, b) = (upper.of(x), f64_upper_bound(x, operations));
                if x > 0.0 {
                    assert_eq!(upper.of_positive(x).to_bits(), b.to_bits(), "{x:e}");
                }
                assert!(
                    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                    "{x:e}"
                );
                let (a, b) = (lower.of(x), f64_lower_bound(x, operations));
                assert!(
                    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                    "{x:e}"
                );
            }
        }
    }
}
