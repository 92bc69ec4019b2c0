//! The signs of the sums of square roots a check of Theorem 2 (or of Theorem 2 for real layers)
//! compares with zero, through the kernels, with the largest precision used and the first
//! comparison left open.

use crate::enclosure::Decision;
use crate::kernels::Kernels;
use crate::scalar::Scalar;
use crate::theorems::surd::{SignDecision, SquareClasses, Surd};
use crate::tolerance;

/// Signs of sums of square roots, through the kernels, keeping the largest precision used.
pub(crate) struct Signs<'a, S, K> {
    pub(crate) classes: &'a SquareClasses<S>,
    pub(crate) bits: u32,
    kernels: std::marker::PhantomData<K>,
}

impl<'a, S: Scalar, K: Kernels<S>> Signs<'a, S, K> {
    /// No comparison yet: the first enclosures start at [`tolerance::ENCLOSURE_START_BITS`].
    pub(crate) fn new(classes: &'a SquareClasses<S>) -> Self {
        Signs {
            classes,
            bits: tolerance::ENCLOSURE_START_BITS,
            kernels: std::marker::PhantomData,
        }
    }

    /// `x < 0` (`negative`) or `x ≥ 0`, recording the first comparison left open in `open`.
    pub(crate) fn decide(
        &mut self,
        x: &Surd<S>,
        negative: bool,
        open: &mut Option<String>,
        what: impl Fn() -> String,
    ) -> Decision {
        self.decide_by(|classes| K::sign(classes, x), negative, open, what)
    }

    /// [`Self::decide`] with the sign given by `sign` (a method of [`Kernels`]).
    pub(crate) fn decide_by(
        &mut self,
        sign: impl FnOnce(&SquareClasses<S>) -> SignDecision,
        negative: bool,
        open: &mut Option<String>,
        what: impl Fn() -> String,
    ) -> Decision {
        let decision = sign(self.classes);
        self.bits = self.bits.max(decision.bits);
        match decision.sign {
            Some(sign) => Decision::from_bool(sign.is_lt() == negative),
            None => {
                open.get_or_insert_with(|| {
                    format!(
                        "{}: not decided with {}-bit enclosures (deciding it needs {} bits; the limit is {})",
                        what(),
                        decision.bits,
                        decision.needed_bits,
                        tolerance::ENCLOSURE_LIMIT_BITS
                    )
                });
                Decision::Undecided
            }
        }
    }
}
