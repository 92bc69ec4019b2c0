//! A conjecture in a few lines: [`conjecture`] starts a [`Stated`], a builder that names the
//! instance family, the assumptions, the claims, the events and targets that feed the
//! statistics, and the coverage floors of its test. A [`Stated`] is an [`Entry`] whose
//! statement is its [`Claims`], so campaigns, shrinking, reports and the command line
//! (`mlcsc::cli::run_with`) take it as they take the built-in entries.
//!
//! ```
//! use mlcsc::conjecture::prelude::*;
//!
//! let stated = conjecture("soft-errors-stay-below-the-threshold-plus-noise")
//!     .family(Family::theorem2(Thresholding::Soft).max_depth(1))
//!     .assume("theorem2", |v| v.theorem2_hypotheses())
//!     .claim_each_layer("support recovered", |l| l.same_support())
//!     .event("noisy", |v| !v.noiseless());
//! let outcome = stated.check(&stated.generate(&mut mlcsc::generate::seed::case_rng(1, 0)));
//! assert!(!outcome.verdict.is_violated());
//! ```
//!
//! - An assumption that fails makes the case `vacuous`, named `NAME-layerLAYER` in statistics
//!   (with the part, as in `theorem2 (a)-layer2`, when the check names one).
//! - A claim that fails makes it `violated`, with a witness holding the layer, the location and
//!   both exact values.
//! - Events are counted over all cases and over those meeting the assumptions
//!   (`statistics.events`); targets are margins (histograms in `statistics.margins`, and what
//!   `search` drives toward). Both are recorded only as `f64`.

use super::claims::Rule;
pub use super::claims::{Claims, EVENT_PREFIX};
pub use super::family::Family;
use super::view::{Check, LayerView, Pursuit, View};
use super::{Entry, ExpectedStatus};
use crate::pursuit::Thresholding;

/// A conjecture stated with the builder (see the module documentation): an entry whose
/// statement is its [`Claims`]. Start one with [`conjecture`].
pub type Stated = Entry<Claims>;

/// Starts a conjecture named `name`: status `open`, the instances of `theorem2-soft`, the
/// estimates of the instance's own pursuit, 200 cases.
pub fn conjecture(name: &str) -> Stated {
    let family = Family::theorem2(Thresholding::Soft);
    let generator = move |rng: &mut _, source: &str| family.generate(rng, source);
    Entry::new(Claims::new(name), generator, ExpectedStatus::Open).with_default_cases(200)
}

/// The name of the floor on the fraction of cases meeting the assumptions.
pub const MET_FLOOR: &str = "hypotheses-met";

impl Stated {
    /// Where the claim comes from.
    pub fn with_citation(mut self, citation: &str) -> Self {
        self.statement.citation = citation.to_string();
        self
    }

    /// Proved: a counterexample fails the test, `campaign` and `verify`.
    pub fn theorem(mut self) -> Self {
        self.status = ExpectedStatus::Theorem;
        self
    }

    /// Unknown (the default): a counterexample answers it, and fails the test.
    pub fn open(mut self) -> Self {
        self.status = ExpectedStatus::Open;
        self
    }

    /// Believed false: the test, `campaign` and `verify` require a counterexample.
    pub fn known_false(mut self) -> Self {
        self.status = ExpectedStatus::KnownFalse;
        self
    }

    /// The instance family.
    pub fn family(mut self, family: Family) -> Self {
        self.generator = Box::new(move |rng, source| family.generate(rng, source));
        self
    }

    /// The pursuit whose estimates `Γ̂_i` the per-layer rules see.
    pub fn pursuit(mut self, pursuit: Pursuit) -> Self {
        self.statement.pursuit = pursuit;
        self
    }

    /// An assumption about the whole instance; if it fails the case is `vacuous`.
    pub fn assume<C: Into<Check>>(
        mut self,
        name: &str,
        rule: impl Fn(&View<'_>) -> C + Send + Sync + 'static,
    ) -> Self {
        self.statement.assumptions.push((
            name.to_string(),
            Rule::Whole(Box::new(move |v| rule(v).into())),
        ));
        self
    }

    /// An assumption at every layer; the first layer where it fails is named.
    pub fn assume_each_layer<C: Into<Check>>(
        mut self,
        name: &str,
        rule: impl Fn(&LayerView<'_>) -> C + Send + Sync + 'static,
    ) -> Self {
        self.statement.assumptions.push((
            name.to_string(),
            Rule::EachLayer(Box::new(move |l| rule(l).into())),
        ));
        self
    }

    /// A claim about the whole instance; if it fails (the assumptions holding) the case is
    /// `violated`.
    pub fn claim<C: Into<Check>>(
        mut self,
        name: &str,
        rule: impl Fn(&View<'_>) -> C + Send + Sync + 'static,
    ) -> Self {
        self.statement.claims.push((
            name.to_string(),
            Rule::Whole(Box::new(move |v| rule(v).into())),
        ));
        self
    }

    /// A claim at every layer; the first layer where it fails is the witness.
    pub fn claim_each_layer<C: Into<Check>>(
        mut self,
        name: &str,
        rule: impl Fn(&LayerView<'_>) -> C + Send + Sync + 'static,
    ) -> Self {
        self.statement.claims.push((
            name.to_string(),
            Rule::EachLayer(Box::new(move |l| rule(l).into())),
        ));
        self
    }

    /// An event, counted in the statistics (over all cases, and over those meeting the
    /// assumptions).
    pub fn event(
        mut self,
        name: &str,
        happened: impl Fn(&View<'_>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.statement
            .events
            .push((name.to_string(), Box::new(happened)));
        self
    }

    /// A target: a number measured on the cases meeting the assumptions, summarised as a
    /// histogram and driven to an end by `search NAME --margin TARGET`.
    pub fn target(
        mut self,
        name: &str,
        value: impl Fn(&View<'_>) -> f64 + Send + Sync + 'static,
    ) -> Self {
        self.statement
            .targets
            .push((name.to_string(), Box::new(value)));
        self
    }

    /// The tightness (observed / bound) of a case meeting the assumptions, shown by `verify`.
    pub fn tightness(mut self, value: impl Fn(&View<'_>) -> f64 + Send + Sync + 'static) -> Self {
        self.statement.tightness = Some(Box::new(value));
        self
    }

    /// A coverage floor of the test: among cases meeting the assumptions, the event `event`
    /// must happen in at least this fraction (or, for [`MET_FLOOR`], this fraction of all
    /// cases must meet the assumptions).
    pub fn floor(mut self, event: &str, fraction: f64) -> Self {
        self.statement.floors.push((event.to_string(), fraction));
        self
    }

    /// Cases of the test and of `verify` (`PROPTEST_CASES` overrides it in tests).
    pub fn cases(mut self, cases: usize) -> Self {
        self.default_cases = cases.max(1);
        self
    }

    /// The coverage floors, `(event, fraction)`.
    pub fn floors(&self) -> &[(String, f64)] {
        &self.statement.floors
    }

    /// The declared events.
    pub fn event_names(&self) -> impl Iterator<Item = &str> {
        self.statement.events.iter().map(|(name, _)| name.as_str())
    }

    /// The declared targets.
    pub fn target_names(&self) -> impl Iterator<Item = &str> {
        self.statement.targets.iter().map(|(name, _)| name.as_str())
    }
}
