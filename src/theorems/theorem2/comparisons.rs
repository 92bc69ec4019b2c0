//! The enclosure decisions of one exact Theorem 2 check: each comparison of a sum of square
//! roots with zero, decided exactly or by enclosures refined to a certified precision, with
//! the first one left open.

use std::cmp::Ordering;

use crate::enclosure::Decision;
use crate::scalar::Scalar;
use crate::theorems::surd::{SquareClasses, Surd};
use crate::tolerance;

/// The comparisons of one exact evaluation: the largest precision any of them needed, the
/// first one left open with the precision it reached, and whether a hypothesis is open.
pub(super) struct Comparisons<'a, S> {
    pub(super) classes: &'a SquareClasses<S>,
    pub(super) bits: u32,
    pub(super) open: Option<(usize, String)>,
    pub(super) hypotheses_open: bool,
}

impl<S: Scalar> Comparisons<'_, S> {
    /// The sign of `x`, recording its precision; `None` (and the first such comparison, named
    /// `what` at `layer`) when the certified precision is above the limit.
    fn sign(&mut self, x: &Surd<S>, layer: usize, what: impl Fn() -> String) -> Option<Ordering> {
        let decision = self.classes.sign(x);
        self.bits = self.bits.max(decision.bits);
        if decision.sign.is_none() && self.open.is_none() {
            self.open = Some((
                layer,
                format!(
                    "{}: not decided with {}-bit enclosures (deciding it needs {} bits; the limit is {})",
                    what(),
                    decision.bits,
                    decision.needed_bits,
                    tolerance::ENCLOSURE_LIMIT_BITS
                ),
            ));
        }
        decision.sign
    }

    /// `x < 0`, for a hypothesis.
    pub(super) fn negative(
        &mut self,
        x: &Surd<S>,
        layer: usize,
        what: impl Fn() -> String,
    ) -> Decision {
        match self.sign(x, layer, what) {
            Some(Ordering::Less) => Decision::True,
            Some(_) => Decision::False,
            None => {
                self.hypotheses_open = true;
                Decision::Undecided
            }
        }
    }

    /// `x ≥ 0`, for a conclusion.
    pub(super) fn nonnegative(
        &mut self,
        x: &Surd<S>,
        layer: usize,
        what: impl Fn() -> String,
    ) -> Decision {
        match self.sign(x, layer, what) {
            Some(Ordering::Less) => Decision::False,
            Some(_) => Decision::True,
            None => Decision::Undecided,
        }
    }
}
