//! An entry: a statement, a generator of instances and what the statement is believed to be.
//!
//! Adding a result to the suite is a statement file (an implementation of
//! [`Statement`]), its proof under `proofs/`, its test file, and one line in the registry that
//! makes an [`Entry`] of it. A conjecture stated with [`super::conjecture`] is an entry too.
//! `list`, `check`, `campaign`, `search`, `verify` and the reports then see every entry alike:
//! `&Entry` (that is, `&Entry<dyn Statement>`) is what they take, and an `&Entry<T>` of any
//! statement `T` is one without a conversion.

use rand_chacha::ChaCha8Rng;

use super::{ExpectedStatus, Outcome};
use crate::instance::Instance;
use crate::scalar::Rational;
use crate::theorems::statement::{Statement, paper_layers_only};
use crate::theorems::verdict::{FailedHypothesis, Witness};

/// A generator: case `k` of a campaign draws its instance from `case_rng(seed, k)`; the second
/// argument is the entry's name, which the instance carries.
pub type Generator = Box<dyn Fn(&mut ChaCha8Rng, &str) -> Instance<Rational> + Send + Sync>;

/// A generator and the exact check in one: the outcome of [`Entry::check`] on the instance
/// the entry's generator draws from the same stream, with what drawing it computed taken over
/// by the check.
pub type PreparedRun = Box<dyn Fn(&mut ChaCha8Rng, &str) -> Outcome + Send + Sync>;

/// A size limit: `Err` says why an instance is too large for the entry's exact decision.
pub type SizeLimit = fn(&Instance<Rational>) -> Result<(), String>;

/// A statement with its generator and expected status. `Entry` alone is
/// `Entry<dyn Statement>`, the form every command takes.
pub struct Entry<T: ?Sized + Statement = dyn Statement> {
    pub(super) generator: Generator,
    prepared_run: Option<PreparedRun>,
    pub(super) status: ExpectedStatus,
    pub(super) default_cases: usize,
    size_limit: Option<SizeLimit>,
    pub(super) statement: T,
}

impl<T: Statement> Entry<T> {
    /// The entry of `statement`, drawing instances with `generator`; `verify` runs 400 cases.
    pub fn new(
        statement: T,
        generator: impl Fn(&mut ChaCha8Rng, &str) -> Instance<Rational> + Send + Sync + 'static,
        status: ExpectedStatus,
    ) -> Self {
        Entry {
            generator: Box::new(generator),
            prepared_run: None,
            status,
            default_cases: 400,
            size_limit: None,
            statement,
        }
    }

    /// The same entry with another number of cases for `verify`.
    pub fn with_default_cases(mut self, cases: usize) -> Self {
        self.default_cases = cases;
        self
    }

    /// The same entry deciding a drawn case exactly by `run` ([`Entry::generate_and_check`]),
    /// which must give the outcome of [`Entry::check`] on the instance [`Entry::generate`]
    /// draws from the same stream.
    pub fn with_prepared_run(
        mut self,
        run: impl Fn(&mut ChaCha8Rng, &str) -> Outcome + Send + Sync + 'static,
    ) -> Self {
        self.prepared_run = Some(Box::new(run));
        self
    }

    /// The same entry refusing instances beyond `limit` before any work.
    pub fn with_size_limit(mut self, limit: SizeLimit) -> Self {
        self.size_limit = Some(limit);
        self
    }
}

impl<T: ?Sized + Statement> Entry<T> {
    /// The statement.
    pub fn statement(&self) -> &T {
        &self.statement
    }

    /// A short unique name (`theorem2-soft`).
    pub fn name(&self) -> &str {
        self.statement.name()
    }

    /// Where the statement comes from.
    pub fn citation(&self) -> &str {
        self.statement.citation()
    }

    /// What the statement is believed to be.
    pub fn status(&self) -> ExpectedStatus {
        self.status
    }

    /// Draws one exact instance from a seeded stream (case `k` of a campaign uses
    /// `crate::generate::seed::case_rng(seed, k)`).
    pub fn generate(&self, rng: &mut ChaCha8Rng) -> Instance<Rational> {
        (self.generator)(rng, self.statement.name())
    }

    /// [`Entry::check`] of [`Entry::generate`] from one stream, by the entry's prepared run
    /// where it has one (the same outcome, without computing twice what drawing computed).
    pub fn generate_and_check(&self, rng: &mut ChaCha8Rng) -> Outcome {
        match &self.prepared_run {
            Some(run) => run(rng, self.statement.name()),
            None => self.check(&self.generate(rng)),
        }
    }

    /// The hypotheses on an instance: `Err` names the first one that fails.
    pub fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        self.statement.hypotheses(instance)
    }

    /// The conclusions on an instance that meets the hypotheses: `Err` is a counterexample.
    pub fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        self.statement.conclusions(instance)
    }

    /// The outcome on one instance, decided exactly ([`Statement::outcome`]).
    pub fn check(&self, instance: &Instance<Rational>) -> Outcome {
        self.statement.outcome(instance)
    }

    /// The statement's fast `f64` screen ([`Statement::screen`]).
    pub fn screen(&self, instance: &Instance<f64>) -> Option<Result<Outcome, String>> {
        self.statement.screen(instance)
    }

    /// Whether [`Entry::screen`] gives an outcome.
    pub fn has_screen(&self) -> bool {
        self.statement.has_screen()
    }

    /// `Err` says why the instance is too large for the exact check, which is then not run.
    /// An instance with a layer that is not the paper's (another stride or padding, or one
    /// threshold per output channel) is refused unless the statement speaks of such layers
    /// ([`crate::theorems::statement::paper_layers_only`]).
    pub fn within_limits(&self, instance: &Instance<Rational>) -> Result<(), String> {
        paper_layers_only(&self.statement, instance.first_real_layer())?;
        self.size_limit.map_or(Ok(()), |limit| limit(instance))
    }

    /// The number of cases `verify` runs by default.
    pub fn default_cases(&self) -> usize {
        self.default_cases
    }
}
