//! Directed rounding of `f64` operations: lower and upper bounds on the exact result of a sum,
//! difference, product, quotient or square root, exact where the rounded result is exact
//! (the error of `TwoSum` and of a fused multiply-add).

use crate::tolerance::{next_down, next_up};

/// The exact error `a + b − fl(a + b)` (Knuth's TwoSum), for finite operands and sum.
pub(super) fn two_sum_error(a: f64, b: f64, s: f64) -> f64 {
    let bb = s - a;
    (a - (s - bb)) + (b - bb)
}

/// A lower bound on `a + b`.
pub fn add_down(a: f64, b: f64) -> f64 {
    let s = a + b;
    if !s.is_finite() {
        return if s == f64::INFINITY && a.is_finite() && b.is_finite() {
            f64::MAX
        } else {
            s
        };
    }
    if two_sum_error(a, b, s) < 0.0 {
        next_down(s)
    } else {
        s
    }
}

/// An upper bound on `a + b`.
pub fn add_up(a: f64, b: f64) -> f64 {
    -add_down(-a, -b)
}

/// A lower bound on `a − b`.
pub fn sub_down(a: f64, b: f64) -> f64 {
    add_down(a, -b)
}

/// An upper bound on `a − b`.
pub fn sub_up(a: f64, b: f64) -> f64 {
    add_up(a, -b)
}

/// A lower bound on `a · b`.
pub fn mul_down(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        return 0.0;
    }
    let p = a * b;
    if !p.is_finite() {
        return if p == f64::INFINITY && a.is_finite() && b.is_finite() {
            f64::MAX
        } else {
            p
        };
    }
    if p.abs() < f64::MIN_POSITIVE {
        // Below the normal range the error of the product may not be representable.
        return next_down(p);
    }
    if a.mul_add(b, -p) < 0.0 {
        next_down(p)
    } else {
        p
    }
}

/// An upper bound on `a · b`.
pub fn mul_up(a: f64, b: f64) -> f64 {
    -mul_down(-a, b)
}

/// A lower bound on `sqrt(x)` for `x ≥ 0` (0 below zero).
pub(super) fn sqrt_down(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let r = x.sqrt();
    if x < 4.0 * f64::MIN_POSITIVE || !r.is_finite() {
        return next_down(r).max(0.0);
    }
    if r.mul_add(r, -x) > 0.0 {
        next_down(r)
    } else {
        r
    }
}

/// An upper bound on `sqrt(x)` for `x ≥ 0`.
pub(super) fn sqrt_up(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let r = x.sqrt();
    if x < 4.0 * f64::MIN_POSITIVE || !r.is_finite() {
        return next_up(r);
    }
    if r.mul_add(r, -x) < 0.0 {
        next_up(r)
    } else {
        r
    }
}

/// A lower bound on `a / b` for `b > 0`.
pub(super) fn div_down(a: f64, b: f64) -> f64 {
    let q = a / b;
    if !q.is_finite() || q.abs() < f64::MIN_POSITIVE * 4.0 {
        return next_down(q);
    }
    // a − q b exactly: negative when q is above a / b.
    if (-q).mul_add(b, a) < 0.0 {
        next_down(q)
    } else {
        q
    }
}

/// An upper bound on `a / b` for `b > 0`.
pub(super) fn div_up(a: f64, b: f64) -> f64 {
    -div_down(-a, b)
}

/// The smallest of the values, or NaN if one is NaN (`f64::min` would drop it).
pub(super) fn nan_min(values: &[f64]) -> f64 {
    values.iter().fold(f64::INFINITY, |acc, &v| {
        if v.is_nan() || acc.is_nan() {
            f64::NAN
        } else {
            acc.min(v)
        }
    })
}

/// The largest of the values, or NaN if one is NaN.
pub(super) fn nan_max(values: &[f64]) -> f64 {
    values.iter().fold(f64::NEG_INFINITY, |acc, &v| {
        if v.is_nan() || acc.is_nan() {
            f64::NAN
        } else {
            acc.max(v)
        }
    })
}
