//! The comparisons of the `f64` check left open: the first one, named, and whether a
//! hypothesis is among them.

use super::interval::Interval;
use crate::enclosure::Decision;

/// The first comparison left open, with its layer, and whether a hypothesis is among the open
/// comparisons (a certain violation is a counterexample only when every hypothesis certainly
/// holds).
#[derive(Default)]
pub(super) struct Open(pub(super) Option<(usize, String)>, pub(super) bool);

impl Open {
    pub(super) fn note(&mut self, layer: usize, what: impl FnOnce() -> String) {
        if self.0.is_none() {
            self.0 = Some((layer, what()));
        }
    }

    /// As [`Open::note`], for a hypothesis.
    pub(super) fn note_hypothesis(&mut self, layer: usize, what: impl FnOnce() -> String) {
        self.1 = true;
        self.note(layer, what);
    }

    /// As [`Open::compare`], for a hypothesis.
    pub(super) fn hypothesis(
        &mut self,
        decision: Decision,
        layer: usize,
        what: impl FnOnce() -> String,
        left: Interval,
        right: Interval,
    ) -> Decision {
        self.1 |= decision == Decision::Undecided;
        self.compare(decision, layer, what, left, right)
    }

    /// Records an open comparison `left ⋚ right` named `what`.
    pub(super) fn compare(
        &mut self,
        decision: Decision,
        layer: usize,
        what: impl FnOnce() -> String,
        left: Interval,
        right: Interval,
    ) -> Decision {
        if decision == Decision::Undecided {
            self.note(layer, || {
                format!(
                    "{}: not decided in f64 (53-bit arithmetic with rigorous rounding-error bounds): {} against {}",
                    what(),
                    left.text(),
                    right.text()
                )
            });
        }
        decision
    }
}
