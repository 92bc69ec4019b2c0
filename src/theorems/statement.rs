//! What every result of the suite is: a statement with hypotheses and conclusions, each decided
//! exactly on an instance (docs/math.md §8).
//!
//! [`Statement`] is the one trait of the suite's results and of users' conjectures alike. A
//! statement knows no generator and no campaign. An entry (`crate::conjecture::Entry`) pairs
//! it with a generator of instances and with what the statement is believed to be (theorem,
//! open, known false); that pairing is all the rest of the suite (`list`, `check`,
//! `campaign`, `search`, `verify`, the reports) needs.

use crate::instance::Instance;
use crate::scalar::Rational;
use crate::theorems::outcome::Outcome;
use crate::theorems::verdict::{Clause, FailedHypothesis, Verdict, Witness};
use crate::thresholding::Thresholding;

/// Why `statement` cannot be decided on an instance whose first layer that is not the paper's
/// is `layer` (as [`crate::instance::Instance::first_real_layer`] words it: another stride or
/// padding, or one threshold per output channel), or `Ok` when it can.
pub fn paper_layers_only(
    statement: &(impl Statement + ?Sized),
    layer: Option<String>,
) -> Result<(), String> {
    match layer {
        Some(layer) if !statement.states_real_layers() => Err(format!(
            "{} is stated for the paper's layers (stride 1, circular padding), but this instance has {layer}; `mlcsc forward` runs layers of any stride and padding",
            statement.name()
        )),
        _ => Ok(()),
    }
}

/// A statement about ML-CSC instances, decided exactly.
///
/// [`Statement::hypotheses`] names the first hypothesis that fails; [`Statement::conclusions`],
/// called only when every hypothesis holds, names the first conclusion that fails. Both
/// compare exact values; a statement whose comparison needs a square root encloses it at a
/// certified precision ([`crate::enclosure`]).
///
/// [`Statement::outcome`] is what a campaign and `check` see: by default the verdict with the
/// tightness, margins and features; a result with a report of its own (per-layer numbers)
/// overrides it. [`Statement::screen`] is an optional fast `f64` decision, which the arithmetic
/// policy (`crate::conjecture::decide`) trusts only where it is provably right.
pub trait Statement: Send + Sync {
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

    /// Named margins: how far the instance is from each hypothesis's boundary (≥ 0 inside).
    fn margins(&self, _instance: &Instance<Rational>) -> Vec<(String, f64)> {
        Vec::new()
    }

    /// Named features of the instance for the coverage statistics; a feature `event:NAME` with
    /// value 1 counts a case in which the event `NAME` happened.
    fn features(&self, _instance: &Instance<Rational>) -> Vec<(String, f64)> {
        Vec::new()
    }

    /// The verdict: by default vacuous, holds or violated from [`Statement::hypotheses`] and
    /// [`Statement::conclusions`]; a result whose decision can stay open overrides it to say
    /// `undecided`.
    fn verdict(&self, instance: &Instance<Rational>) -> Verdict {
        match self.hypotheses(instance) {
            Err(failed) => Verdict::Vacuous(failed),
            Ok(()) => match self.conclusions(instance) {
                Ok(()) => Verdict::Holds,
                Err(witness) => Verdict::Violated(witness),
            },
        }
    }

    /// The outcome on one instance, decided exactly: the verdict, and where the hypotheses
    /// hold the tightness, with the margins and features.
    fn outcome(&self, instance: &Instance<Rational>) -> Outcome {
        let verdict = self.verdict(instance);
        let tightness = if verdict.hypotheses_met() {
            self.tightness(instance)
        } else {
            None
        };
        Outcome {
            tightness,
            margins: self.margins(instance),
            features: self.features(instance),
            ..Outcome::from_verdict(verdict)
        }
    }

    /// A fast `f64` decision on the instance's `f64` image, if the result has one: `None`
    /// without a screen, `Some(Err(reason))` when the screen cannot decide this instance
    /// (numbers outside its range), else its outcome, not certified. Its `holds` and
    /// `vacuous` must be right whenever given; its `violated` and `undecided` are re-decided
    /// exactly.
    fn screen(&self, _instance: &Instance<f64>) -> Option<Result<Outcome, String>> {
        None
    }

    /// Whether [`Statement::screen`] gives an outcome (`false`: the result is decided exactly
    /// in every arithmetic).
    fn has_screen(&self) -> bool {
        false
    }

    /// Every hypothesis a vacuous case of this statement can name, so that a record read
    /// back can be checked against the list; `None` for a statement that does not declare
    /// them, whose names are then checked for their form only. A statement with no hypothesis
    /// declares the empty list.
    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        None
    }

    /// Whether the statement speaks of layers of any stride and padding, with one threshold per
    /// output channel. `false` (the default): it is stated for the paper's layers, stride 1
    /// with circular padding and one threshold per layer, and an instance with another layer is
    /// refused before any work ([`paper_layers_only`]).
    fn states_real_layers(&self) -> bool {
        false
    }

    /// The thresholding whose designed instances `search` can tune knob by knob, for a
    /// statement of Theorem 2 with one fixed thresholding; `None` for every other statement.
    fn searchable_thresholding(&self) -> Option<Thresholding> {
        None
    }
}
