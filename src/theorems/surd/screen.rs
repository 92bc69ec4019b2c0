//! An `f64` screen of the sign of a sum of square roots `Σ_k c_k sqrt(m_k)`.
//!
//! Each coefficient and radicand is read as an `f64` within [`tolerance::F64_INPUT_RELATIVE`]
//! of itself, and `sqrt` is correctly rounded, so each term `c sqrt(m)` is evaluated within
//! about `8u` of itself; the sum of the terms adds at most `γ_k Σ |terms|`. So the exact
//! value lies within `r Σ |terms|` of the `f64` sum, `r` =
//! [`tolerance::f64_screen_relative`]. When the sum is farther from zero than that, its sign
//! is the exact sign; otherwise the exact enclosures decide. Coefficients and radicands outside
//! [`tolerance::SCREEN_MAGNITUDES`] are not screened (rounding must be the only error).

use std::cmp::Ordering;

use super::{Radicand, SquareClasses, Surd};
use crate::scalar::Scalar;
use crate::tolerance;

/// Whether a nonzero `f64` lies in [`tolerance::SCREEN_MAGNITUDES`].
fn in_range(x: f64) -> bool {
    let (smallest, largest) = tolerance::SCREEN_MAGNITUDES;
    (smallest..=largest).contains(&x.abs())
}

impl<S: Scalar> SquareClasses<S> {
    /// `sqrt(m)` of a class in `f64`, cached (`None` when `m` is outside the screen's range).
    fn root_f64(&self, radicand: &Radicand) -> Option<f64> {
        if let Some(found) = self.roots_f64.borrow().get(radicand) {
            return *found;
        }
        let m = self.radicand_value(radicand).to_f64();
        let root = in_range(m).then(|| m.sqrt());
        self.roots_f64.borrow_mut().insert(radicand.clone(), root);
        root
    }

    /// The `f64` sum of the terms and a bound on its distance from the exact value, or `None`
    /// when a coefficient or radicand is outside the screen's range.
    pub(super) fn f64_estimate(&self, x: &Surd<S>) -> Option<(f64, f64)> {
        let mut sum = 0.0;
        let mut magnitude = 0.0;
        for (radicand, c) in &x.terms {
            let c = c.to_f64();
            if !in_range(c) {
                return None;
            }
            let term = if radicand.is_one() {
                c
            } else {
                c * self.root_f64(radicand)?
            };
            sum += term;
            magnitude += term.abs();
        }
        Some((
            sum,
            magnitude * tolerance::f64_screen_relative(x.terms.len()),
        ))
    }

    /// The sign of `x` when the `f64` screen decides it.
    pub(super) fn screened_sign(&self, x: &Surd<S>) -> Option<Ordering> {
        let (value, error) = self.f64_estimate(x)?;
        if value > error {
            Some(Ordering::Greater)
        } else if value < -error {
            Some(Ordering::Less)
        } else {
            None
        }
    }
}
