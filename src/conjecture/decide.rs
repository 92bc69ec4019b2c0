//! The arithmetic policy, in one place: which arithmetic decides a case, and how a fast screen
//! hands over to the exact check (docs/math.md §8).
//!
//! - [`Arithmetic::Exact`]: the entry's exact check decides; every verdict is certified.
//! - [`Arithmetic::F64`]: the entry's `f64` screen runs first, where it has one. A screened
//!   `holds` or `vacuous` is kept (and reported as not certified unless the screen proved it);
//!   a screened `violated` or `undecided` is never reported as such: the exact check decides it.
//!   An entry without a screen is decided exactly.

use serde::{Deserialize, Serialize};

use super::{Conjecture, Outcome};
use crate::instance::Instance;
use crate::scalar::Rational;
use crate::theorems::verdict::Verdict;

/// Which arithmetic decides the cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Arithmetic {
    /// Exact rationals: every verdict certified.
    Exact,
    /// An `f64` screen; its violations and open comparisons are re-decided exactly.
    F64,
}

impl Arithmetic {
    /// `exact` or `f64`.
    pub fn name(self) -> &'static str {
        match self {
            Arithmetic::Exact => "exact",
            Arithmetic::F64 => "f64",
        }
    }
}

/// The outcome of `entry` on `instance` in `arithmetic`, by the policy above.
pub fn decide(
    entry: &dyn Conjecture,
    instance: &Instance<Rational>,
    arithmetic: Arithmetic,
) -> Outcome {
    match arithmetic {
        Arithmetic::Exact => entry.check(instance),
        Arithmetic::F64 => match entry.screen(instance) {
            Some(screened)
                if !matches!(
                    screened.verdict,
                    Verdict::Violated(_) | Verdict::Undecided { .. }
                ) =>
            {
                screened
            }
            _ => entry.check(instance),
        },
    }
}
