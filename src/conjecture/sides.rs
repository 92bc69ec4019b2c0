//! Comparisons that carry both sides, each with its name: [`Check::at_most`]`("s_i", s, "w_i",
//! w)` and its kin ([`Check::below`], [`Check::at_least`], [`Check::above`], [`Check::equal`]),
//! and the same on a layer ([`LayerView::at_most`], …). A failure's detail reads
//! `observed s_i = 3 against w_i = 2`, so a counterexample names both values; a rule that
//! returns a plain `bool` has none to show, and its detail says so.
//!
//! A side is an exact rational, a count, or an `f64`. Finite `f64`s are compared exactly, as
//! the dyadic rationals they are, and written in their shortest round-trip form; a NaN makes
//! every comparison false (and is written `NaN`), an infinity compares as one.
//!
//! A per-layer rule reaches the whole instance through [`LayerView::whole`]: here every
//! layer's threshold is compared with the deepest layer's, and with the noise energy `ε_0²`.
//!
//! ```
//! use mlcsc::conjecture::prelude::*;
//! use mlcsc::theorems::verdict::Verdict;
//!
//! // Two Dirac layers with thresholds 1/4 and 1/2, and noise 1/8.
//! let instance = mlcsc::io::InstanceFile::parse(r#"{
//!     "format": "mlcsc-instance-1", "signal-length": 2, "thresholding": "soft",
//!     "layers": [{"filters": [[["1"]]], "threshold": "1/4"},
//!                {"filters": [[["1"]]], "threshold": "1/2"}],
//!     "deepest-representation": [{"position": 0, "channel": 0, "value": "1"}],
//!     "noise": [{"position": 1, "channel": 0, "value": "1/8"}]
//! }"#).unwrap().to_exact().unwrap();
//! let above_noise = conjecture("thresholds-above-the-noise").claim_each_layer("β_i² ≥ ε_0²", |l| {
//!     l.at_least("β_i²", l.beta * l.beta, "ε_0²", l.whole().epsilon_0_squared())
//! });
//! assert_eq!(above_noise.check(&instance).verdict, Verdict::Holds);
//! let deepest_is_smallest = conjecture("thresholds-fall-with-depth")
//!     .claim_each_layer("β_i ≥ β_K", |l| match l.whole().layers() {
//!         Ok(layers) => {
//!             let deepest = layers.last().expect("K ≥ 1").beta;
//!             l.at_least(&format!("β_{}", l.index()), l.beta, "β_K", deepest)
//!         }
//!         Err(why) => why,
//!     });
//! let Verdict::Violated(witness) = deepest_is_smallest.check(&instance).verdict else {
//!     panic!("β_1 = 1/4 < β_2 = 1/2")
//! };
//! assert_eq!((witness.layer, witness.observed.as_str()), (1, "β_1 = 1/4"));
//! assert_eq!(witness.bound, "β_K = 1/2");
//! ```

use std::cmp::Ordering;

use num_traits::Signed;

use super::check::{Check, Detail, Exact};
use super::layer_view::LayerView;
use crate::io::number::rational_to_text;
use crate::scalar::{Rational, rational_to_f64};

/// One side of a named comparison, as it is compared and as it is written.
#[derive(Clone, Debug, PartialEq)]
pub enum SideValue {
    /// An exact value (a rational, a count, a finite `f64`).
    Exact(Rational),
    /// An `f64` that is not finite (a NaN or an infinity).
    NotFinite(f64),
}

/// A value one side of a named comparison can be: [`Rational`], a count (`usize`, …) or an
/// `f64`.
pub trait Side {
    /// The value, with how it is written.
    fn side(self) -> (SideValue, String);
}

impl<T: Exact> Side for T {
    fn side(self) -> (SideValue, String) {
        let value = self.exact();
        let text = rational_to_text(&value);
        (SideValue::Exact(value), text)
    }
}

impl Side for f64 {
    fn side(self) -> (SideValue, String) {
        match Rational::from_float(self) {
            Some(value) => (SideValue::Exact(value), format!("{self}")),
            None => (SideValue::NotFinite(self), format!("{self}")),
        }
    }
}

impl SideValue {
    fn to_f64(&self) -> f64 {
        match self {
            SideValue::Exact(value) => rational_to_f64(value),
            SideValue::NotFinite(x) => *x,
        }
    }

    /// The order of two sides: exact when both are exact, else as `f64` (`None` with a NaN).
    fn compare(&self, other: &SideValue) -> Option<Ordering> {
        match (self, other) {
            (SideValue::Exact(a), SideValue::Exact(b)) => Some(a.cmp(b)),
            _ => self.to_f64().partial_cmp(&other.to_f64()),
        }
    }

    /// How far apart two sides are, in `f64`.
    fn distance(&self, other: &SideValue) -> f64 {
        match (self, other) {
            (SideValue::Exact(a), SideValue::Exact(b)) => rational_to_f64(&(a - b).abs()),
            _ => (self.to_f64() - other.to_f64()).abs(),
        }
    }
}

/// `left RELATION right`, where `holds` says which orders satisfy the relation: a failure
/// names both sides and their values.
fn named(
    left_name: &str,
    left: impl Side,
    right_name: &str,
    right: impl Side,
    holds: impl Fn(Ordering) -> bool,
) -> Check {
    let ((left, left_text), (right, right_text)) = (left.side(), right.side());
    if left.compare(&right).is_some_and(holds) {
        return Check::Pass;
    }
    let shortfall = left.distance(&right);
    Check::Fail(Detail {
        observed: format!("{left_name} = {left_text}"),
        bound: format!("{right_name} = {right_text}"),
        shortfall: if shortfall.is_nan() { 0.0 } else { shortfall },
        ..Detail::default()
    })
}

impl Check {
    /// `left ≤ right`, each side named: a failure's detail reads `LEFT_NAME = value` against
    /// `RIGHT_NAME = value`. For example `Check::at_most("s_i", l.s(), "w_i", l.w())`.
    pub fn at_most(left_name: &str, left: impl Side, right_name: &str, right: impl Side) -> Check {
        named(left_name, left, right_name, right, Ordering::is_le)
    }

    /// `left < right`, each side named (as [`Check::at_most`]).
    pub fn below(left_name: &str, left: impl Side, right_name: &str, right: impl Side) -> Check {
        named(left_name, left, right_name, right, Ordering::is_lt)
    }

    /// `left ≥ right`, each side named (as [`Check::at_most`]).
    pub fn at_least(left_name: &str, left: impl Side, right_name: &str, right: impl Side) -> Check {
        named(left_name, left, right_name, right, Ordering::is_ge)
    }

    /// `left > right`, each side named (as [`Check::at_most`]).
    pub fn above(left_name: &str, left: impl Side, right_name: &str, right: impl Side) -> Check {
        named(left_name, left, right_name, right, Ordering::is_gt)
    }

    /// `left = right`, each side named (as [`Check::at_most`]).
    pub fn equal(left_name: &str, left: impl Side, right_name: &str, right: impl Side) -> Check {
        named(left_name, left, right_name, right, Ordering::is_eq)
    }
}

/// The named comparisons at a layer: [`Check::at_most`] and its kin, said to be about this
/// layer.
impl LayerView<'_> {
    /// `left ≤ right` at this layer, each side named ([`Check::at_most`]).
    pub fn at_most(
        &self,
        left_name: &str,
        left: impl Side,
        right_name: &str,
        right: impl Side,
    ) -> Check {
        Check::at_most(left_name, left, right_name, right).at_layer(self.layer)
    }

    /// `left < right` at this layer, each side named ([`Check::below`]).
    pub fn below(
        &self,
        left_name: &str,
        left: impl Side,
        right_name: &str,
        right: impl Side,
    ) -> Check {
        Check::below(left_name, left, right_name, right).at_layer(self.layer)
    }

    /// `left ≥ right` at this layer, each side named ([`Check::at_least`]).
    pub fn at_least(
        &self,
        left_name: &str,
        left: impl Side,
        right_name: &str,
        right: impl Side,
    ) -> Check {
        Check::at_least(left_name, left, right_name, right).at_layer(self.layer)
    }

    /// `left > right` at this layer, each side named ([`Check::above`]).
    pub fn above(
        &self,
        left_name: &str,
        left: impl Side,
        right_name: &str,
        right: impl Side,
    ) -> Check {
        Check::above(left_name, left, right_name, right).at_layer(self.layer)
    }

    /// `left = right` at this layer, each side named ([`Check::equal`]).
    pub fn equal(
        &self,
        left_name: &str,
        left: impl Side,
        right_name: &str,
        right: impl Side,
    ) -> Check {
        Check::equal(left_name, left, right_name, right).at_layer(self.layer)
    }
}
