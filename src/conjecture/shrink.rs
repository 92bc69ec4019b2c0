//! Shrinking a counterexample: a greedy walk through the one-step simplifications of
//! [`super::simplify`] that keeps each one still violated.

use super::Entry;
use super::simplify::{Simplification, simplification_steps};
use crate::instance::Instance;
use crate::scalar::Rational;
use crate::theorems::verdict::Verdict;

/// The largest number of exact checks one shrink may spend.
pub const SHRINK_CHECK_BUDGET: usize = 400;

/// A greedy walk through one-step simplifications: candidates are tried in turn, cyclically;
/// a kept one replaces the instance, and the walk goes on from the same place in the new list
/// (the same kind of step), instead of retrying from the start the steps that just failed.
/// It ends when a whole round keeps nothing, or after its budget of tries
/// ([`SHRINK_CHECK_BUDGET`] unless given). Both
/// [`shrink_counterexample`] and the proptest value tree of
/// [`crate::conjecture::property::instances`] walk this way.
#[derive(Clone, Debug)]
pub struct SimplificationWalk {
    current: Instance<Rational>,
    /// The simplifications of `current`, listed when first needed and each built only when
    /// proposed.
    candidates: Option<Vec<Simplification>>,
    next: usize,
    misses: usize,
    tries: usize,
    last: usize,
    budget: usize,
    stopped_at_budget: bool,
}

impl SimplificationWalk {
    /// A walk from `instance`, within [`SHRINK_CHECK_BUDGET`] tries.
    pub fn new(instance: Instance<Rational>) -> Self {
        SimplificationWalk::with_budget(instance, SHRINK_CHECK_BUDGET)
    }

    /// A walk from `instance`, within `budget` tries.
    pub fn with_budget(instance: Instance<Rational>, budget: usize) -> Self {
        SimplificationWalk {
            current: instance,
            candidates: None,
            next: 0,
            misses: 0,
            tries: 0,
            last: 0,
            budget,
            stopped_at_budget: false,
        }
    }

    /// Whether the walk ended at its budget with candidates still untried in its round: the
    /// instance may simplify further with a larger budget. `false` while the walk goes on, and
    /// when it ended because a whole round kept nothing.
    pub fn stopped_at_budget(&self) -> bool {
        self.stopped_at_budget
    }

    /// The instance kept last (the start, until a candidate is kept).
    pub fn current(&self) -> &Instance<Rational> {
        &self.current
    }

    /// Candidates tried so far.
    pub fn tries(&self) -> usize {
        self.tries
    }

    /// The next candidate to try, or `None` when the walk is over.
    pub fn propose(&mut self) -> Option<Instance<Rational>> {
        let candidates = self
            .candidates
            .get_or_insert_with(|| simplification_steps(&self.current));
        let count = candidates.len();
        if count == 0 || self.misses >= count {
            return None;
        }
        if self.tries >= self.budget {
            self.stopped_at_budget = true;
            return None;
        }
        let k = self.next % count;
        self.last = k;
        self.next = k + 1;
        self.misses += 1;
        self.tries += 1;
        Some(candidates[k].apply(&self.current))
    }

    /// Keeps the candidate last proposed: it becomes the instance the walk simplifies.
    pub fn keep(&mut self, candidate: Instance<Rational>) {
        self.candidates = None;
        self.current = candidate;
        self.next = self.last;
        self.misses = 0;
    }
}

/// A shrunk counterexample: the simplest instance found, and what the shrink spent.
#[derive(Clone, Debug)]
pub struct Shrunk {
    /// The simplest instance found that is still a counterexample.
    pub instance: Instance<Rational>,
    /// Its verdict (`violated`).
    pub verdict: Verdict,
    /// The exact checks spent.
    pub checks: usize,
    /// The most checks the shrink could spend.
    pub budget: usize,
    /// Whether it stopped at its budget with simplifications still untried: the instance may
    /// shrink further with a larger budget.
    pub stopped_at_budget: bool,
}

/// Greedily simplifies a counterexample while it stays a counterexample
/// ([`SimplificationWalk`]), spending at most [`SHRINK_CHECK_BUDGET`] exact checks. Returns
/// the simplest found and the checks spent.
pub fn shrink_counterexample(
    conjecture: &Entry,
    instance: &Instance<Rational>,
) -> (Instance<Rational>, usize) {
    let shrunk = shrink_within(conjecture, instance, SHRINK_CHECK_BUDGET);
    (shrunk.instance, shrunk.checks)
}

/// As [`shrink_counterexample`], spending at most `budget` exact checks, and saying whether it
/// stopped at that budget. `instance` must be a counterexample (its verdict is checked once,
/// beyond the budget, when no simplification is kept).
pub fn shrink_within(conjecture: &Entry, instance: &Instance<Rational>, budget: usize) -> Shrunk {
    let mut walk = SimplificationWalk::with_budget(instance.clone(), budget);
    let mut verdict = None;
    while let Some(candidate) = walk.propose() {
        let checked = conjecture.check(&candidate).verdict;
        if checked.is_violated() {
            walk.keep(candidate);
            verdict = Some(checked);
        }
    }
    let checks = walk.tries();
    let stopped_at_budget = walk.stopped_at_budget();
    let verdict = verdict.unwrap_or_else(|| conjecture.check(walk.current()).verdict);
    Shrunk {
        instance: walk.current,
        verdict,
        checks,
        budget,
        stopped_at_budget,
    }
}
