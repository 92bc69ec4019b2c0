//! A conjecture in a few lines: [`conjecture`] starts a [`Stated`], a builder that names the
//! instance family, the assumptions, the claims, the events and targets that feed the
//! statistics, and the coverage floors of its test. A [`Stated`] is a [`Conjecture`], so
//! campaigns, shrinking, reports and the command line (`mlcsc::cli::run_with`) take it as they
//! take the built-in entries.
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

use rand_chacha::ChaCha8Rng;

pub use super::family::Family;
use super::stated_details::EventsAndTargets;
use super::view::{Check, Detail, LayerView, Pursuit, View};
use super::{Conjecture, ExpectedStatus, Outcome};
use crate::io::Instance;
use crate::pursuit::Thresholding;
use crate::scalar::Rational;
use crate::theorems::verdict::{Clause, FailedHypothesis, Verdict, Witness};

/// The prefix of a feature that records an event a conjecture declares (`event:NAME`, 1 when
/// the event happened, 0 when not).
pub const EVENT_PREFIX: &str = "event:";

type WholeRule = Box<dyn Fn(&View<'_>) -> Check + Send + Sync>;
type LayerRule = Box<dyn Fn(&LayerView<'_>) -> Check + Send + Sync>;

enum Rule {
    Whole(WholeRule),
    EachLayer(LayerRule),
}

impl Rule {
    fn evaluate(&self, view: &View<'_>, pursuit: Pursuit) -> Check {
        match self {
            Rule::Whole(rule) => rule(view),
            Rule::EachLayer(rule) => view.each_layer(pursuit, rule),
        }
    }
}

type EventRule = Box<dyn Fn(&View<'_>) -> bool + Send + Sync>;
type TargetRule = Box<dyn Fn(&View<'_>) -> f64 + Send + Sync>;

/// A conjecture stated with the builder (see the module documentation); start one with
/// [`conjecture`].
pub struct Stated {
    name: String,
    citation: String,
    status: ExpectedStatus,
    family: Family,
    pursuit: Pursuit,
    assumptions: Vec<(String, Rule)>,
    claims: Vec<(String, Rule)>,
    events: Vec<(String, EventRule)>,
    targets: Vec<(String, TargetRule)>,
    tightness: Option<TargetRule>,
    floors: Vec<(String, f64)>,
    cases: usize,
}

/// Starts a conjecture named `name`: status `open`, the instances of `theorem2-soft`, the
/// estimates of the instance's own pursuit, 200 cases.
pub fn conjecture(name: &str) -> Stated {
    Stated {
        name: name.to_string(),
        citation: "a conjecture stated with mlcsc::conjecture::conjecture".into(),
        status: ExpectedStatus::Open,
        family: Family::theorem2(Thresholding::Soft),
        pursuit: Pursuit::Instance,
        assumptions: Vec::new(),
        claims: Vec::new(),
        events: Vec::new(),
        targets: Vec::new(),
        tightness: None,
        floors: Vec::new(),
        cases: 200,
    }
}

/// The name of the floor on the fraction of cases meeting the assumptions.
pub const MET_FLOOR: &str = "hypotheses-met";

impl Stated {
    /// Where the claim comes from.
    pub fn citation(mut self, citation: &str) -> Self {
        self.citation = citation.to_string();
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
        self.family = family;
        self
    }

    /// The pursuit whose estimates `Γ̂_i` the per-layer rules see.
    pub fn pursuit(mut self, pursuit: Pursuit) -> Self {
        self.pursuit = pursuit;
        self
    }

    /// An assumption about the whole instance; if it fails the case is `vacuous`.
    pub fn assume<C: Into<Check>>(
        mut self,
        name: &str,
        rule: impl Fn(&View<'_>) -> C + Send + Sync + 'static,
    ) -> Self {
        self.assumptions.push((
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
        self.assumptions.push((
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
        self.claims.push((
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
        self.claims.push((
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
        self.events.push((name.to_string(), Box::new(happened)));
        self
    }

    /// A target: a number measured on the cases meeting the assumptions, summarised as a
    /// histogram and driven to an end by `search NAME --margin TARGET`.
    pub fn target(
        mut self,
        name: &str,
        value: impl Fn(&View<'_>) -> f64 + Send + Sync + 'static,
    ) -> Self {
        self.targets.push((name.to_string(), Box::new(value)));
        self
    }

    /// The tightness (observed / bound) of a case meeting the assumptions, shown by `verify`.
    pub fn tightness(mut self, value: impl Fn(&View<'_>) -> f64 + Send + Sync + 'static) -> Self {
        self.tightness = Some(Box::new(value));
        self
    }

    /// A coverage floor of the test: among cases meeting the assumptions, the event `event`
    /// must happen in at least this fraction (or, for [`MET_FLOOR`], this fraction of all
    /// cases must meet the assumptions).
    pub fn floor(mut self, event: &str, fraction: f64) -> Self {
        self.floors.push((event.to_string(), fraction));
        self
    }

    /// Cases of the test and of `verify` (`PROPTEST_CASES` overrides it in tests).
    pub fn cases(mut self, cases: usize) -> Self {
        self.cases = cases.max(1);
        self
    }

    /// The coverage floors, `(event, fraction)`.
    pub fn floors(&self) -> &[(String, f64)] {
        &self.floors
    }

    /// The declared events.
    pub fn event_names(&self) -> impl Iterator<Item = &str> {
        self.events.iter().map(|(name, _)| name.as_str())
    }

    /// The declared targets.
    pub fn target_names(&self) -> impl Iterator<Item = &str> {
        self.targets.iter().map(|(name, _)| name.as_str())
    }

    /// The first rule that does not pass, as a verdict.
    fn first_failure(
        &self,
        view: &View<'_>,
        rules: &[(String, Rule)],
        failed: impl Fn(&str, Detail) -> Verdict,
    ) -> Option<Verdict> {
        for (name, rule) in rules {
            match rule.evaluate(view, self.pursuit) {
                Check::Pass => {}
                Check::Fail(detail) => {
                    let name = match &detail.part {
                        Some(part) => format!("{name} ({part})"),
                        None => name.clone(),
                    };
                    return Some(failed(&name, detail));
                }
                Check::Undecided(detail) => {
                    return Some(Verdict::Undecided {
                        layer: detail.layer.unwrap_or(0),
                        comparison: format!("{name}: {}", describe(&detail)),
                    });
                }
            }
        }
        None
    }
}

/// A detail in words: `LOCATION: observed O against B`.
fn describe(detail: &Detail) -> String {
    let place = if detail.location.is_empty() {
        String::new()
    } else {
        format!("{}: ", detail.location)
    };
    format!(
        "{place}observed {} against {}",
        detail.observed, detail.bound
    )
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

impl Conjecture for Stated {
    fn name(&self) -> &str {
        &self.name
    }

    fn citation(&self) -> &str {
        &self.citation
    }

    fn status(&self) -> ExpectedStatus {
        self.status
    }

    fn generate(&self, rng: &mut ChaCha8Rng) -> Instance<Rational> {
        self.family.generate(rng, &self.name)
    }

    fn check(&self, instance: &Instance<Rational>) -> Outcome {
        let view = View::new(instance, self.pursuit);
        let verdict = self
            .first_failure(&view, &self.assumptions, |name, d| {
                Verdict::Vacuous(FailedHypothesis {
                    layer: d.layer.unwrap_or(0),
                    hypothesis: Clause::Named(name.to_string()),
                    detail: describe(&d),
                    shortfall: d.shortfall,
                })
            })
            .or_else(|| {
                self.first_failure(&view, &self.claims, |name, d| {
                    Verdict::Violated(Witness {
                        layer: d.layer.unwrap_or(0),
                        conclusion: Clause::Named(name.to_string()),
                        location: if d.location.is_empty() {
                            "the whole layer".into()
                        } else {
                            d.location
                        },
                        observed: d.observed,
                        bound: d.bound,
                    })
                })
            })
            .unwrap_or(Verdict::Holds);
        let met = verdict.hypotheses_met();
        let model = &instance.model;
        let mut features = vec![
            ("depth".to_string(), model.depth() as f64),
            ("noisy".to_string(), flag(!instance.is_noiseless())),
            (
                "max-channels".to_string(),
                (0..=model.depth())
                    .map(|i| model.channels(i))
                    .max()
                    .unwrap_or(1) as f64,
            ),
            ("signal-length".to_string(), model.signal_length() as f64),
        ];
        let mut events = Vec::with_capacity(self.events.len());
        for (name, happened) in &self.events {
            let happened = happened(&view);
            features.push((format!("{EVENT_PREFIX}{name}"), flag(happened)));
            events.push((name.clone(), happened));
        }
        let margins = if met {
            self.targets
                .iter()
                .map(|(name, value)| (name.clone(), value(&view)))
                .collect()
        } else {
            Vec::new()
        };
        let shown = EventsAndTargets {
            events,
            targets: margins.clone(),
        };
        Outcome {
            certified: !matches!(verdict, Verdict::Undecided { .. }),
            tightness: self.tightness.as_ref().filter(|_| met).map(|t| t(&view)),
            margins,
            features,
            ..Outcome::from_verdict(verdict)
        }
        .with_details(shown)
    }

    fn default_cases(&self) -> usize {
        self.cases
    }
}
