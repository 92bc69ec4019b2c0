//! The arithmetic policy, in one place: which arithmetic decides a case, and how a fast screen
//! hands over to the exact check (docs/math.md §8).
//!
//! - [`Arithmetic::Exact`]: the entry's exact check decides; every verdict is certified.
//! - [`Arithmetic::F64`]: the entry's `f64` screen runs first, where it has one. A screened
//!   `holds` or `vacuous` is kept (and reported as not certified unless the screen proved it);
//!   a screened `violated` or `undecided` is never reported as such: the exact check decides it.
//!   An entry without a screen is decided exactly.

use serde::{Deserialize, Serialize};

use super::{Entry, Outcome};
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
pub fn decide(entry: &Entry, instance: &Instance<Rational>, arithmetic: Arithmetic) -> Outcome {
    match arithmetic {
        Arithmetic::Exact => entry.check(instance),
        Arithmetic::F64 if entry.has_screen() => match entry.screen(&instance.to_f64()) {
            Some(Ok(screened)) if settled(&screened) => screened,
            _ => entry.check(instance),
        },
        Arithmetic::F64 => entry.check(instance),
    }
}

/// How a case known by its `f64` image was decided.
#[derive(Clone, Debug)]
pub struct Decided {
    /// The outcome.
    pub outcome: Outcome,
    /// Whether the screen's verdict was decided again exactly.
    pub rechecked_exactly: bool,
}

/// The outcome of `entry` by the `f64` policy above on an instance known by its `f64` image
/// (a file read in `f64`) and, when it has one, an exact twin, made only if needed and checked
/// against the entry's size limit. `Err` says why the screen cannot decide an instance without
/// an exact twin, or why the twin is beyond the limit. An entry without a screen
/// is decided on the twin, which it then needs.
pub fn decide_image(
    entry: &Entry,
    image: &Instance<f64>,
    exact: impl FnOnce() -> Option<Instance<Rational>>,
) -> Result<Decided, String> {
    let screened = match entry.screen(image) {
        Some(Ok(outcome)) if settled(&outcome) => {
            return Ok(Decided {
                outcome,
                rechecked_exactly: false,
            });
        }
        Some(screened) => screened,
        None => Err("the entry has no f64 screen".to_string()),
    };
    match (exact(), screened) {
        (Some(instance), _) => {
            entry
                .within_limits(&instance)
                .map_err(|limit| format!("its exact twin is beyond the entry's limit: {limit}"))?;
            Ok(Decided {
                outcome: entry.check(&instance),
                rechecked_exactly: true,
            })
        }
        (None, Ok(outcome)) => Ok(Decided {
            outcome,
            rechecked_exactly: false,
        }),
        (None, Err(reason)) => Err(reason),
    }
}

/// Whether a screened outcome stands: `holds` and `vacuous` do; a `violated` or `undecided`
/// one is decided again exactly.
pub fn settled(screened: &Outcome) -> bool {
    !matches!(
        screened.verdict,
        Verdict::Violated(_) | Verdict::Undecided { .. }
    )
}
