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
        self.record(K::sign(self.classes, x), negative, open, what)
    }

    /// [`Self::decide`] for `x + c`, `c` rational ([`Kernels::sign_plus_rational`]).
    pub(crate) fn decide_plus(
        &mut self,
        x: &Surd<S>,
        c: &S,
        negative: bool,
        open: &mut Option<String>,
        what: impl Fn() -> String,
    ) -> Decision {
        let decision = K::sign_plus_rational(self.classes, x, c);
        self.record(decision, negative, open, what)
    }

    /// [`Self::decide`] for `x² − c`, `c` rational ([`Kernels::sign_square_minus`]).
    pub(crate) fn decide_square_minus(
        &mut self,
        x: &Surd<S>,
        c: &S,
        negative: bool,
        open: &mut Option<String>,
        what: impl Fn() -> String,
    ) -> Decision {
        let decision = K::sign_square_minus(self.classes, x, c);
        self.record(decision, negative, open, what)
    }

    /// The decision a sign gives, keeping its precision and the first comparison left open.
    fn record(
        &mut self,
        decision: SignDecision,
        negative: bool,
        open: &mut Option<String>,
        what: impl Fn() -> String,
    ) -> Decision {
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
