//! Shrinking a counterexample: a greedy walk through the one-step simplifications of
//! [`super::simplify`] that keeps each one still violated.

use super::Entry;
use super::simplify::{Simplification, simplification_steps};
use crate::instance::Instance;
use crate::scalar::Rational;

/// The largest number of exact checks one shrink may spend.
pub const SHRINK_CHECK_BUDGET: usize = 400;

fn still_violated(conjecture: &Entry, candidate: &Instance<Rational>) -> bool {
    conjecture.check(candidate).verdict.is_violated()
}

/// A greedy walk through one-step simplifications: candidates are tried in turn, cyclically;
/// a kept one replaces the instance, and the walk goes on from the same place in the new list
/// (the same kind of step), instead of retrying from the start the steps that just failed.
/// It ends when a whole round keeps nothing, or after [`SHRINK_CHECK_BUDGET`] tries. Both
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
}

impl SimplificationWalk {
    /// A walk from `instance`.
    pub fn new(instance: Instance<Rational>) -> Self {
        SimplificationWalk {
            current: instance,
            candidates: None,
            next: 0,
            misses: 0,
            tries: 0,
            last: 0,
        }
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
        if self.tries >= SHRINK_CHECK_BUDGET || count == 0 || self.misses >= count {
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

/// Greedily simplifies a counterexample while it stays a counterexample
/// ([`SimplificationWalk`]), spending at most [`SHRINK_CHECK_BUDGET`] exact checks. Returns
/// the simplest found and the checks spent.
pub fn shrink_counterexample(
    conjecture: &Entry,
    instance: &Instance<Rational>,
) -> (Instance<Rational>, usize) {
    let mut walk = SimplificationWalk::new(instance.clone());
    while let Some(candidate) = walk.propose() {
        if still_violated(conjecture, &candidate) {
            walk.keep(candidate);
        }
    }
    let spent = walk.tries();
    (walk.current, spent)
}
