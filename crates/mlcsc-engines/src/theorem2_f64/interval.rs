//! Closed intervals with `f64` ends and outward rounding: the arithmetic of the sound `f64`
//! check, in which Theorem 2's clause formulas ([`crate::theorems::theorem2_bounds`]) are
//! evaluated.

use super::hoisted::UpperBound;
use super::rounding::{
    add_down, add_up, mul_down, mul_up, nan_max, nan_min, sqrt_down, sqrt_up, sub_down, sub_up,
};
use crate::bounds::CountRoot;
use crate::enclosure::Decision;
use crate::theorems::theorem2_bounds::BoundArithmetic;
use crate::tolerance::F64_INPUT_RELATIVE;

/// A closed interval `[lo, hi]` with `f64` ends that certainly contains a real quantity; every
/// operation rounds its ends outward. A NaN end makes every comparison undecided.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Interval {
    /// `[x, x]`.
    pub fn point(x: f64) -> Self {
        Interval { lo: x, hi: x }
    }

    /// `[mid − rad, mid + rad]`, rounded outward.
    pub fn around(mid: f64, rad: f64) -> Self {
        if rad == 0.0 {
            Interval::point(mid)
        } else {
            Interval {
                lo: sub_down(mid, rad),
                hi: add_up(mid, rad),
            }
        }
    }

    /// `sqrt(self)` (the part at or above zero).
    pub fn sqrt(self) -> Self {
        Interval {
            lo: sqrt_down(self.lo),
            hi: sqrt_up(self.hi),
        }
    }

    /// The square of a nonnegative interval.
    pub(super) fn square(self) -> Self {
        self * self
    }

    /// `self < other`: certainly, certainly not, or open.
    pub fn less_than(self, other: Self) -> Decision {
        if self.hi < other.lo {
            Decision::True
        } else if self.lo >= other.hi {
            Decision::False
        } else {
            Decision::Undecided
        }
    }

    /// `self ≤ other`.
    pub fn less_or_equal(self, other: Self) -> Decision {
        if self.hi <= other.lo {
            Decision::True
        } else if self.lo > other.hi {
            Decision::False
        } else {
            Decision::Undecided
        }
    }

    pub(super) fn text(self) -> String {
        if self.lo == self.hi {
            format!("{:e}", self.lo)
        } else {
            format!("[{:e}, {:e}]", self.lo, self.hi)
        }
    }
}

impl std::ops::Add for Interval {
    type Output = Interval;

    /// `self + other`, rounded outward.
    fn add(self, other: Self) -> Self {
        Interval {
            lo: add_down(self.lo, other.lo),
            hi: add_up(self.hi, other.hi),
        }
    }
}

impl std::ops::Sub for Interval {
    type Output = Interval;

    /// `self − other`, rounded outward.
    fn sub(self, other: Self) -> Self {
        Interval {
            lo: sub_down(self.lo, other.hi),
            hi: sub_up(self.hi, other.lo),
        }
    }
}

impl std::ops::Mul for Interval {
    type Output = Interval;

    /// `self · other` for any signs, rounded outward.
    fn mul(self, other: Self) -> Self {
        let pairs = [
            (self.lo, other.lo),
            (self.lo, other.hi),
            (self.hi, other.lo),
            (self.hi, other.hi),
        ];
        Interval {
            lo: nan_min(&pairs.map(|(a, b)| mul_down(a, b))),
            hi: nan_max(&pairs.map(|(a, b)| mul_up(a, b))),
        }
    }
}

/// The exact value of an `f64` input is within [`F64_INPUT_RELATIVE`] of it.
pub(super) fn input(x: f64) -> Interval {
    Interval::around(x, input_radius(x, UpperBound::new(1)))
}

/// The radius of an input `x`: `f64_upper_bound(|x| · F64_INPUT_RELATIVE, 1)`, `bound` being
/// [`UpperBound::new`]`(1)` (computed once by a caller with many inputs).
pub(super) fn input_radius(x: f64, bound: UpperBound) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        bound.of(x.abs() * F64_INPUT_RELATIVE)
    }
}

pub(super) fn integer(n: usize) -> Interval {
    // Counts are far below 2^53, so exact.
    Interval::point(n as f64)
}

impl BoundArithmetic for Interval {
    fn count(n: usize) -> Self {
        integer(n)
    }

    /// Exact, except below the normal range, where the ends are rounded outward.
    fn half(self) -> Self {
        self * Interval::point(0.5)
    }
}

impl CountRoot for Interval {
    fn sqrt_count(n: usize) -> Self {
        integer(n).sqrt()
    }
}
