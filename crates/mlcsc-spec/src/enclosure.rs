//! Certified enclosures: closed intervals `[lo, hi]` with endpoints in a [`Scalar`].
//!
//! Square roots enter Theorem 2 in `ε_0 = ‖E‖^P_{2,∞}`, in `sqrt(p_i)` and in patch norms. A
//! quantity built from them is carried as an interval that certainly contains it; a comparison
//! of two intervals is decided when they do not overlap, and is refined (more bits in every
//! square root) otherwise. With `f64` endpoints the interval is a point and every comparison is
//! decided, uncertified: that is the fast screen.

use crate::scalar::Scalar;

/// The outcome of a comparison between enclosures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Certainly true.
    True,
    /// Certainly false.
    False,
    /// The enclosures overlap: not decided at this precision.
    Undecided,
}

impl Decision {
    /// From a plain boolean (a comparison of exact values).
    pub fn from_bool(value: bool) -> Self {
        if value {
            Decision::True
        } else {
            Decision::False
        }
    }

    /// Logical conjunction: false dominates, then undecided.
    pub fn and(self, other: Decision) -> Decision {
        match (self, other) {
            (Decision::False, _) | (_, Decision::False) => Decision::False,
            (Decision::True, Decision::True) => Decision::True,
            _ => Decision::Undecided,
        }
    }
}

/// A closed interval `[lo, hi]` that certainly contains a real quantity.
#[derive(Clone, Debug, PartialEq)]
pub struct Enclosure<S> {
    /// Lower end.
    pub lo: S,
    /// Upper end.
    pub hi: S,
}

impl<S: Scalar> Enclosure<S> {
    /// The point interval `[x, x]`.
    pub fn point(x: S) -> Self {
        Enclosure {
            lo: x.clone(),
            hi: x,
        }
    }

    /// `[0, 0]`.
    pub fn zero() -> Self {
        Self::point(S::zero())
    }

    /// An enclosure of `sqrt(x)` for an exact `x ≥ 0` at the given precision.
    pub fn sqrt_of(x: &S, bits: u32) -> Self {
        let (lo, hi) = x.sqrt_bounds(bits);
        Enclosure { lo, hi }
    }

    /// An enclosure of `sqrt(self)` for a non-negative enclosure.
    pub fn sqrt(&self, bits: u32) -> Self {
        let (lo, _) = self.lo.sqrt_bounds(bits);
        let (_, hi) = self.hi.sqrt_bounds(bits);
        Enclosure { lo, hi }
    }

    /// Sum of two enclosures.
    pub fn add(&self, other: &Self) -> Self {
        let mut lo = self.lo.clone();
        lo += &other.lo;
        let mut hi = self.hi.clone();
        hi += &other.hi;
        Enclosure { lo, hi }
    }

    /// Sum with an exact value.
    pub fn add_exact(&self, x: &S) -> Self {
        self.add(&Self::point(x.clone()))
    }

    /// Difference `self - other`.
    pub fn sub(&self, other: &Self) -> Self {
        let mut lo = self.lo.clone();
        lo -= &other.hi;
        let mut hi = self.hi.clone();
        hi -= &other.lo;
        Enclosure { lo, hi }
    }

    /// Product of two non-negative enclosures.
    pub fn mul_nonnegative(&self, other: &Self) -> Self {
        Enclosure {
            lo: self.lo.clone() * other.lo.clone(),
            hi: self.hi.clone() * other.hi.clone(),
        }
    }

    /// Product with an exact value `c ≥ 0`.
    pub fn scale(&self, c: &S) -> Self {
        Enclosure {
            lo: self.lo.clone() * c.clone(),
            hi: self.hi.clone() * c.clone(),
        }
    }

    /// The square of a non-negative enclosure.
    pub fn square_nonnegative(&self) -> Self {
        self.mul_nonnegative(self)
    }

    /// `self < other`, certainly, certainly not, or undecided.
    pub fn less_than(&self, other: &Self) -> Decision {
        if self.hi < other.lo {
            Decision::True
        } else if self.lo >= other.hi {
            Decision::False
        } else {
            Decision::Undecided
        }
    }

    /// `self ≤ other`.
    pub fn less_or_equal(&self, other: &Self) -> Decision {
        if self.hi <= other.lo {
            Decision::True
        } else if self.lo > other.hi {
            Decision::False
        } else {
            Decision::Undecided
        }
    }

    /// The midpoint as an `f64`, for reports.
    pub fn to_f64(&self) -> f64 {
        let lo = self.lo.to_f64();
        let hi = self.hi.to_f64();
        if lo == hi { lo } else { lo + (hi - lo) / 2.0 }
    }

    /// Whether the enclosure is a single point (the quantity is known exactly).
    pub fn is_point(&self) -> bool {
        self.lo == self.hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Rational;
    use num_bigint::BigInt;

    fn r(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn square_root_comparison_is_decided_by_refinement() {
        // sqrt(2) < 1.41422 but not < 1.41421.
        let root = Enclosure::sqrt_of(&r(2, 1), 64);
        assert_eq!(
            root.less_than(&Enclosure::point(r(141422, 100000))),
            Decision::True
        );
        assert_eq!(
            root.less_than(&Enclosure::point(r(141421, 100000))),
            Decision::False
        );
    }

    #[test]
    fn an_exact_tie_is_decided_exactly() {
        let root = Enclosure::sqrt_of(&r(9, 4), 64);
        assert!(root.is_point());
        assert_eq!(root.less_than(&Enclosure::point(r(3, 2))), Decision::False);
        assert_eq!(
            root.less_or_equal(&Enclosure::point(r(3, 2))),
            Decision::True
        );
    }

    #[test]
    fn overlapping_enclosures_are_undecided() {
        let a = Enclosure {
            lo: r(1, 1),
            hi: r(2, 1),
        };
        let b = Enclosure {
            lo: r(3, 2),
            hi: r(3, 1),
        };
        assert_eq!(a.less_than(&b), Decision::Undecided);
    }

    #[test]
    fn a_scaled_root_is_compared_with_an_exact_number_on_squares() {
        let scaled = |p: i64, b: Rational| ScaledRoot {
            radicand: r(p, 1),
            factor: Enclosure::point(b),
        };
        // sqrt(4) · 1/2 = 1: an exact tie, decided both ways.
        let one = scaled(4, r(1, 2));
        assert_eq!(one.less_or_equal(&r(1, 1)), Decision::True);
        assert_eq!(one.less_than(&r(1, 1)), Decision::False);
        assert_eq!(one.greater_or_equal(&r(1, 1)), Decision::True);
        // sqrt(5) ≤ 3 (5 ≤ 9) but sqrt(1/2) > 1/2 (1/2 > 1/4).
        assert_eq!(scaled(5, r(1, 1)).less_or_equal(&r(3, 1)), Decision::True);
        let root_half = ScaledRoot::sqrt_of(r(1, 2));
        assert_eq!(root_half.less_or_equal(&r(1, 2)), Decision::False);
        assert_eq!(root_half.less_than(&r(1, 2)), Decision::False);
        assert_eq!(root_half.less_than(&r(3, 4)), Decision::True);
        // Nothing is below a negative number; only zero is at most zero.
        assert_eq!(root_half.less_or_equal(&r(-1, 1)), Decision::False);
        assert_eq!(scaled(0, r(1, 1)).less_or_equal(&r(0, 1)), Decision::True);
        assert_eq!(scaled(0, r(1, 1)).less_than(&r(0, 1)), Decision::False);
        // The square and the enclosure of the value.
        assert_eq!(scaled(3, r(2, 1)).square(), Enclosure::point(r(12, 1)));
        let value = scaled(2, r(3, 1)).enclosure(64);
        let (lo, hi) = (value.lo.clone(), value.hi.clone());
        assert!(lo.clone() * lo <= r(18, 1) && r(18, 1) <= hi.clone() * hi);
    }

    #[test]
    fn enclosures_that_touch_at_one_end_are_decided_only_where_the_touch_cannot_matter() {
        let interval = |lo: i64, hi: i64| Enclosure {
            lo: r(lo, 1),
            hi: r(hi, 1),
        };
        // [1, 2] against [0, 1]: the quantities may both be 1, so `≤` is open and `<` is false.
        assert_eq!(
            interval(1, 2).less_or_equal(&interval(0, 1)),
            Decision::Undecided
        );
        assert_eq!(interval(1, 2).less_than(&interval(0, 1)), Decision::False);
        // [0, 1] against [1, 2]: `≤` certainly holds, `<` is open.
        assert_eq!(
            interval(0, 1).less_or_equal(&interval(1, 2)),
            Decision::True
        );
        assert_eq!(
            interval(0, 1).less_than(&interval(1, 2)),
            Decision::Undecided
        );
        // The midpoint, for reports.
        assert_eq!(interval(1, 2).to_f64(), 1.5);
        assert_eq!(interval(-3, 5).to_f64(), 1.0);
        // Disjoint both ways.
        assert_eq!(interval(3, 4).less_than(&interval(0, 2)), Decision::False);
        assert_eq!(
            interval(3, 4).less_or_equal(&interval(0, 2)),
            Decision::False
        );
        assert_eq!(interval(0, 2).less_than(&interval(3, 4)), Decision::True);
    }
}

/// A quantity `sqrt(p) · B` with `p ≥ 0` exact and `B ≥ 0` an enclosure, kept in this form so
/// that comparisons with an exact number `R` are decided on squares, `p B² < R²`. This settles
/// exact ties such as `sqrt(2) · sqrt(2) = 2` that separate enclosures of the two roots never
/// could.
#[derive(Clone, Debug, PartialEq)]
pub struct ScaledRoot<S> {
    /// The radicand `p`.
    pub radicand: S,
    /// The factor `B`.
    pub factor: Enclosure<S>,
}

impl<S: Scalar> ScaledRoot<S> {
    /// `sqrt(x)`.
    pub fn sqrt_of(x: S) -> Self {
        ScaledRoot {
            radicand: x,
            factor: Enclosure::point(S::one()),
        }
    }

    /// `B` itself (`p = 1`).
    pub fn from_enclosure(factor: Enclosure<S>) -> Self {
        ScaledRoot {
            radicand: S::one(),
            factor,
        }
    }

    /// An enclosure of the value.
    pub fn enclosure(&self, bits: u32) -> Enclosure<S> {
        Enclosure::sqrt_of(&self.radicand, bits).mul_nonnegative(&self.factor)
    }

    /// An enclosure of the square `p B²`, without any root.
    pub fn square(&self) -> Enclosure<S> {
        self.factor.square_nonnegative().scale(&self.radicand)
    }

    /// `self < r` for an exact `r`.
    pub fn less_than(&self, r: &S) -> Decision {
        if !r.is_positive() {
            return Decision::False;
        }
        let r_squared = Enclosure::point(r.clone() * r.clone());
        self.square().less_than(&r_squared)
    }

    /// `self ≤ r` for an exact `r`.
    pub fn less_or_equal(&self, r: &S) -> Decision {
        if r.is_negative() {
            return Decision::False;
        }
        let r_squared = Enclosure::point(r.clone() * r.clone());
        self.square().less_or_equal(&r_squared)
    }

    /// The value as exact text when it is rational (`p` a perfect square and `B` a point), as
    /// `sqrt(p) * B` when `B` is a point, and `None` otherwise. `text` renders an exact value.
    pub fn exact_text(&self, text: impl Fn(&S) -> Option<String>) -> Option<String> {
        if !self.factor.is_point() {
            return None;
        }
        let factor = text(&self.factor.lo)?;
        let (lo, hi) = self.radicand.sqrt_bounds(64);
        if lo == hi {
            let mut value = lo;
            value = value * self.factor.lo.clone();
            return text(&value);
        }
        Some(format!("sqrt({}) * {factor}", text(&self.radicand)?))
    }

    /// `self ≥ r` for an exact `r`.
    pub fn greater_or_equal(&self, r: &S) -> Decision {
        match self.less_than(r) {
            Decision::True => Decision::False,
            Decision::False => Decision::True,
            Decision::Undecided => Decision::Undecided,
        }
    }
}
