//! The statement of a conjecture stated with [`super::conjecture`]: its named assumptions
//! and claims, decided on a per-layer [`View`] of each instance, with the events and targets
//! that feed the statistics and the coverage floors of its test.

use super::Outcome;
use super::stated_details::EventsAndTargets;
use super::view::{Check, Detail, LayerView, Pursuit, View};
use crate::io::Instance;
use crate::scalar::Rational;
use crate::theorems::statement::Statement;
use crate::theorems::verdict::{Clause, FailedHypothesis, Verdict, Witness};

/// The prefix of a feature that records an event a conjecture declares (`event:NAME`, 1 when
/// the event happened, 0 when not).
pub const EVENT_PREFIX: &str = "event:";

type WholeRule = Box<dyn Fn(&View<'_>) -> Check + Send + Sync>;
type LayerRule = Box<dyn Fn(&LayerView<'_>) -> Check + Send + Sync>;

/// One named assumption or claim: about the whole instance, or at every layer.
pub(super) enum Rule {
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

pub(super) type EventRule = Box<dyn Fn(&View<'_>) -> bool + Send + Sync>;
pub(super) type TargetRule = Box<dyn Fn(&View<'_>) -> f64 + Send + Sync>;

/// What a stated conjecture says: its name, citation, pursuit, assumptions and claims, with
/// its events, targets, tightness and coverage floors.
pub struct Claims {
    pub(super) name: String,
    pub(super) citation: String,
    pub(super) pursuit: Pursuit,
    pub(super) assumptions: Vec<(String, Rule)>,
    pub(super) claims: Vec<(String, Rule)>,
    pub(super) events: Vec<(String, EventRule)>,
    pub(super) targets: Vec<(String, TargetRule)>,
    pub(super) tightness: Option<TargetRule>,
    pub(super) floors: Vec<(String, f64)>,
}

impl Claims {
    /// No assumption and no claim yet, on the estimates of the instance's own pursuit.
    pub(super) fn new(name: &str) -> Self {
        Claims {
            name: name.to_string(),
            citation: "a conjecture stated with mlcsc::conjecture::conjecture".into(),
            pursuit: Pursuit::Instance,
            assumptions: Vec::new(),
            claims: Vec::new(),
            events: Vec::new(),
            targets: Vec::new(),
            tightness: None,
            floors: Vec::new(),
        }
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

impl Claims {
    /// The verdict on a view: the first assumption that fails makes it vacuous, then the
    /// first claim that fails makes it violated.
    fn verdict_on(&self, view: &View<'_>) -> Verdict {
        self.first_failure(view, &self.assumptions, |name, d| {
            Verdict::Vacuous(FailedHypothesis {
                layer: d.layer.unwrap_or(0),
                hypothesis: Clause::Named(name.to_string()),
                detail: describe(&d),
                shortfall: d.shortfall,
            })
        })
        .or_else(|| {
            self.first_failure(view, &self.claims, |name, d| {
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
        .unwrap_or(Verdict::Holds)
    }
}

impl Statement for Claims {
    fn name(&self) -> &str {
        &self.name
    }

    fn citation(&self) -> &str {
        &self.citation
    }

    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        match self.verdict_on(&View::new(instance, self.pursuit)) {
            Verdict::Vacuous(failed) => Err(failed),
            _ => Ok(()),
        }
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        match self.verdict_on(&View::new(instance, self.pursuit)) {
            Verdict::Violated(witness) => Err(witness),
            _ => Ok(()),
        }
    }

    fn verdict(&self, instance: &Instance<Rational>) -> Verdict {
        self.verdict_on(&View::new(instance, self.pursuit))
    }

    /// The verdict, with the declared events as features and the targets as margins.
    fn outcome(&self, instance: &Instance<Rational>) -> Outcome {
        let view = View::new(instance, self.pursuit);
        let verdict = self.verdict_on(&view);
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
}
