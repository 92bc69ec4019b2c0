//! Conjectures as first-class citizens: anything with a generator, hypotheses and conclusions
//! gets the same machinery as the paper's theorems (campaigns, statistics, shrinking, saved
//! counterexamples, reports).
//!
//! The short way is [`conjecture`]: a builder ([`Stated`]) of a family, assumptions, claims,
//! events, targets and coverage floors over a per-layer [`View`] of each instance, which runs as
//! a test with domain shrinking ([`property`]) and is itself a [`Conjecture`]; see
//! `examples/conjectures/`. The long way implements [`Conjecture`]: a name, a citation, an
//! expected status, a generator drawing an exact instance from a seeded stream, and a check,
//! which may be written as two parts, [`Conjecture::hypotheses`] and
//! [`Conjecture::conclusions`], which the default [`Conjecture::check`] combines.

mod check;
mod decide;
mod entry;
mod family;
mod layer_view;
pub mod property;
mod registry;
pub mod shrink;
pub mod simplify;
mod simplify_structure;
pub mod stated;
mod stated_details;
mod theorem2_entries;
mod tiny_entry_instances;
pub mod view;

use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::io::Instance;
use crate::scalar::Rational;
use crate::theorems::verdict::{FailedHypothesis, Verdict, Witness};

pub use crate::exact_engine::{reference_engine, use_reference_engine};
pub use crate::theorems::outcome::Outcome;
pub use decide::{Arithmetic, Decided, decide, decide_image, settled};
pub use entry::{Entry, Generator, SizeLimit};
pub use registry::{find, registry};
pub use stated::{Family, Stated, conjecture};
pub use theorem2_entries::Theorem2Entry;
pub use view::{Check, LayerView, Pursuit, View};

/// Everything a stated conjecture needs, in one import:
/// `use mlcsc::conjecture::prelude::*;`.
pub mod prelude {
    pub use super::property::{PropertyReport, explore, save_folder, test_conjecture};
    pub use super::stated::{Family, Stated, conjecture};
    pub use super::view::{
        Check, Exact, LayerView, Pursuit, View, above, at_least, at_most, below, equal,
    };
    pub use super::{Conjecture, ExpectedStatus};
    pub use crate::generate::ChaCha8Rng;
    pub use crate::generate::filters::FirstLayerDesign;
    pub use crate::pursuit::Thresholding;
    pub use crate::scalar::{Rational, Scalar};
}

/// What a conjecture is believed to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExpectedStatus {
    /// Proved: a violation is a bug in the code or the proof.
    Theorem,
    /// Unknown: the campaign is the evidence.
    Open,
    /// Believed false: `verify` requires a counterexample.
    KnownFalse,
}

impl ExpectedStatus {
    /// `theorem`, `open` or `known-false`.
    pub fn name(self) -> &'static str {
        match self {
            ExpectedStatus::Theorem => "theorem",
            ExpectedStatus::Open => "open",
            ExpectedStatus::KnownFalse => "known-false",
        }
    }
}

/// A claim about ML-CSC instances that the harness can test.
pub trait Conjecture: Send + Sync {
    /// A short unique name (`theorem2-soft`).
    fn name(&self) -> &str;

    /// Where the claim comes from.
    fn citation(&self) -> &str;

    /// What the claim is believed to be.
    fn status(&self) -> ExpectedStatus;

    /// Draws one exact instance from a seeded stream (case `k` of a campaign uses
    /// `crate::generate::theorem2::case_rng(seed, k)`).
    fn generate(&self, rng: &mut ChaCha8Rng) -> Instance<Rational>;

    /// The hypotheses on an instance: `Err` names the first one that fails.
    fn hypotheses(&self, _instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        Ok(())
    }

    /// The conclusions on an instance that meets the hypotheses: `Err` is a counterexample.
    fn conclusions(&self, _instance: &Instance<Rational>) -> Result<(), Witness> {
        Ok(())
    }

    /// The verdict on one instance, exactly. The default combines [`Conjecture::hypotheses`]
    /// and [`Conjecture::conclusions`].
    fn check(&self, instance: &Instance<Rational>) -> Outcome {
        let verdict = match self.hypotheses(instance) {
            Err(failed) => Verdict::Vacuous(failed),
            Ok(()) => match self.conclusions(instance) {
                Ok(()) => Verdict::Holds,
                Err(witness) => Verdict::Violated(witness),
            },
        };
        Outcome::from_verdict(verdict)
    }

    /// A fast `f64` screen of the instance's `f64` image, if the conjecture has one: `Err`
    /// says why it cannot decide this instance. [`decide`] keeps a screened `holds` or
    /// `vacuous` and re-decides anything else with [`Conjecture::check`].
    fn screen(&self, _instance: &Instance<f64>) -> Option<Result<Outcome, String>> {
        None
    }

    /// Whether [`Conjecture::screen`] gives an outcome.
    fn has_screen(&self) -> bool {
        false
    }

    /// The entry as [`Any`](std::any::Any), for a command that treats one kind of entry
    /// specially by its type (never by its name); `None` by default.
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
    }

    /// `Err` says why the instance is too large for the exact check, which is then not run.
    fn within_limits(&self, _instance: &Instance<Rational>) -> Result<(), String> {
        Ok(())
    }

    /// The number of cases `verify` runs by default.
    fn default_cases(&self) -> usize {
        400
    }
}
