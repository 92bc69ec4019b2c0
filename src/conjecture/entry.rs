//! A registry entry: a theorem, a generator and an expected status.
//!
//! Adding a result to the suite is a theorem file (an implementation of
//! [`Theorem`](crate::theorems::theorem::Theorem)), its proof under `proofs/`, its test file, and
//! one line in the registry that makes an [`Entry`] of it. `list`, `check`, `campaign`,
//! `search`, `verify` and the reports then see it like every other result.

use rand_chacha::ChaCha8Rng;

use super::{Conjecture, ExpectedStatus, Outcome};
use crate::instance::Instance;
use crate::scalar::Rational;
use crate::theorems::theorem::Theorem;
use crate::theorems::verdict::{FailedHypothesis, Witness};

/// A generator: case `k` of a campaign draws its instance from `case_rng(seed, k)`; the second
/// argument is the entry's name, which the instance carries.
pub type Generator = Box<dyn Fn(&mut ChaCha8Rng, &str) -> Instance<Rational> + Send + Sync>;

/// A size limit: `Err` says why an instance is too large for the entry's exact decision.
pub type SizeLimit = fn(&Instance<Rational>) -> Result<(), String>;

/// A theorem with its generator and expected status.
pub struct Entry<T> {
    theorem: T,
    generator: Generator,
    status: ExpectedStatus,
    default_cases: usize,
    size_limit: Option<SizeLimit>,
}

impl<T: Theorem> Entry<T> {
    /// The entry of `theorem`, drawing instances with `generator`; `verify` runs 400 cases.
    pub fn new(
        theorem: T,
        generator: impl Fn(&mut ChaCha8Rng, &str) -> Instance<Rational> + Send + Sync + 'static,
        status: ExpectedStatus,
    ) -> Self {
        Entry {
            theorem,
            generator: Box::new(generator),
            status,
            default_cases: 400,
            size_limit: None,
        }
    }

    /// The same entry with another number of cases for `verify`.
    pub fn with_default_cases(mut self, cases: usize) -> Self {
        self.default_cases = cases;
        self
    }

    /// The same entry refusing instances beyond `limit` before any work.
    pub fn with_size_limit(mut self, limit: SizeLimit) -> Self {
        self.size_limit = Some(limit);
        self
    }

    /// The theorem.
    pub fn theorem(&self) -> &T {
        &self.theorem
    }
}

impl<T: Theorem + 'static> Conjecture for Entry<T> {
    fn name(&self) -> &str {
        self.theorem.name()
    }

    fn citation(&self) -> &str {
        self.theorem.citation()
    }

    fn status(&self) -> ExpectedStatus {
        self.status
    }

    fn generate(&self, rng: &mut ChaCha8Rng) -> Instance<Rational> {
        (self.generator)(rng, self.theorem.name())
    }

    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        self.theorem.hypotheses(instance)
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        self.theorem.conclusions(instance)
    }

    fn check(&self, instance: &Instance<Rational>) -> Outcome {
        self.theorem.outcome(instance)
    }

    fn screen(&self, instance: &Instance<f64>) -> Option<Result<Outcome, String>> {
        self.theorem.screen(instance)
    }

    fn has_screen(&self) -> bool {
        self.theorem.has_screen()
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }

    fn within_limits(&self, instance: &Instance<Rational>) -> Result<(), String> {
        self.size_limit.map_or(Ok(()), |limit| limit(instance))
    }

    fn default_cases(&self) -> usize {
        self.default_cases
    }
}
