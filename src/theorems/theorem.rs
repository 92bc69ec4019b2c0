//! What every result of the suite is: a statement with hypotheses and conclusions, each decided
//! exactly on an instance (docs/math.md §8).
//!
//! A [`Theorem`] knows no generator and no campaign. A registry entry
//! (`crate::conjecture::Entry`) pairs it with a generator of instances that meet its hypotheses
//! and with what the statement is believed to be; that pairing is all the rest of the suite
//! (`list`, `check`, `campaign`, `search`, `verify`, the reports) needs.

use crate::instance::Instance;
use crate::scalar::Rational;
use crate::theorems::verdict::{FailedHypothesis, Verdict, Witness};

/// A statement about ML-CSC instances, decided exactly.
///
/// [`Theorem::hypotheses`] names the first hypothesis that fails; [`Theorem::conclusions`],
/// called only when every hypothesis holds, names the first conclusion that fails. Both
/// compare exact values; a statement whose comparison needs a square root encloses it at a
/// certified precision ([`crate::enclosure`]).
pub trait Theorem: Send + Sync {
    /// A short unique name (`welch-bound`).
    fn name(&self) -> &str;

    /// Where the statement comes from.
    fn citation(&self) -> &str;

    /// The hypotheses: `Err` names the first one that fails, its layer and its shortfall.
    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis>;

    /// The conclusions on an instance that meets the hypotheses: `Err` is a counterexample.
    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness>;

    /// How close the instance came to the conclusion's bound, in `[0, 1]` when it holds (1 is
    /// equality), if the statement has one number to compare.
    fn tightness(&self, _instance: &Instance<Rational>) -> Option<f64> {
        None
    }

    /// Named features of the instance for the coverage statistics; a feature `event:NAME` with
    /// value 1 counts a case in which the event `NAME` happened.
    fn features(&self, _instance: &Instance<Rational>) -> Vec<(String, f64)> {
        Vec::new()
    }

    /// The verdict: vacuous, holds or violated.
    fn verdict(&self, instance: &Instance<Rational>) -> Verdict {
        match self.hypotheses(instance) {
            Err(failed) => Verdict::Vacuous(failed),
            Ok(()) => match self.conclusions(instance) {
                Ok(()) => Verdict::Holds,
                Err(witness) => Verdict::Violated(witness),
            },
        }
    }
}
