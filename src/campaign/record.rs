//! One case of a campaign, as recorded in reports and checkpoints.

use serde::{Deserialize, Serialize};

use crate::conjecture::Outcome;
use crate::theorems::verdict::Verdict;

/// The verdict of a recorded case, written as its lowercase name (`"holds"`, …): any other
/// text in a report or checkpoint is refused when it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseVerdict {
    /// The hypotheses held and so did every conclusion.
    Holds,
    /// A hypothesis failed.
    Vacuous,
    /// The hypotheses held and a conclusion failed.
    Violated,
    /// A comparison could not be decided.
    Undecided,
}

impl CaseVerdict {
    /// The name written in reports.
    pub fn name(self) -> &'static str {
        match self {
            CaseVerdict::Holds => "holds",
            CaseVerdict::Vacuous => "vacuous",
            CaseVerdict::Violated => "violated",
            CaseVerdict::Undecided => "undecided",
        }
    }

    /// The recorded verdict of a verdict.
    pub fn of(verdict: &Verdict) -> Self {
        match verdict {
            Verdict::Holds => CaseVerdict::Holds,
            Verdict::Vacuous(_) => CaseVerdict::Vacuous,
            Verdict::Violated(_) => CaseVerdict::Violated,
            Verdict::Undecided { .. } => CaseVerdict::Undecided,
        }
    }
}

impl std::fmt::Display for CaseVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Compares with a verdict's name, as statistics count verdicts by name.
impl PartialEq<&str> for CaseVerdict {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

/// The record of one case: enough to recompute every statistic, and to replay the case from
/// `(seed, case)`. Unknown fields are refused when a record is read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CaseRecord {
    /// Case index `k` (its stream is derived from the master seed and `k` only).
    pub case: u64,
    /// `holds`, `vacuous`, `violated` or `undecided`.
    pub verdict: CaseVerdict,
    /// For `vacuous`: the failed hypothesis and its layer (`a-layer2`).
    pub failed_hypothesis: Option<String>,
    /// Decided in exact arithmetic.
    pub certified: bool,
    /// Observed / bound, when measured.
    pub tightness: Option<f64>,
    /// Margins to each hypothesis's boundary, written `{"name": value, …}`
    /// ([`super::named_values`]).
    #[serde(with = "super::named_values")]
    pub margins: Vec<(String, f64)>,
    /// Coverage features, written as the margins are.
    #[serde(with = "super::named_values")]
    pub features: Vec<(String, f64)>,
    /// For `violated`: the witness in words.
    pub witness: Option<String>,
}

impl CaseRecord {
    /// The witness of a verdict in words, as a record writes it: for `violated` the layer, the
    /// conclusion, the location and both values; for `undecided` the open comparison.
    pub fn witness_of(verdict: &Verdict) -> Option<String> {
        match verdict {
            Verdict::Violated(w) => Some(format!(
                "layer {}: {} at {}: observed {} against bound {}",
                w.layer, w.conclusion, w.location, w.observed, w.bound
            )),
            Verdict::Undecided { layer, comparison } => {
                Some(format!("layer {layer}: {comparison}"))
            }
            Verdict::Vacuous(_) | Verdict::Holds => None,
        }
    }

    /// The record of an outcome.
    pub fn new(case: u64, outcome: &Outcome) -> Self {
        let failed_hypothesis = match &outcome.verdict {
            Verdict::Vacuous(f) => Some(format!("{}-layer{}", f.hypothesis, f.layer)),
            _ => None,
        };
        let witness = CaseRecord::witness_of(&outcome.verdict);
        CaseRecord {
            case,
            verdict: CaseVerdict::of(&outcome.verdict),
            failed_hypothesis,
            certified: outcome.certified,
            tightness: outcome.tightness.map(round_for_report),
            margins: outcome
                .margins
                .iter()
                .map(|(k, v)| (k.clone(), round_for_report(*v)))
                .collect(),
            features: outcome
                .features
                .iter()
                .map(|(k, v)| (k.clone(), round_for_report(*v)))
                .collect(),
            witness,
        }
    }

    /// The value of a feature, if recorded.
    pub fn feature(&self, name: &str) -> Option<f64> {
        self.features
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
    }

    /// Whether the hypotheses were met.
    pub fn hypotheses_met(&self) -> bool {
        self.verdict != CaseVerdict::Vacuous
    }
}

/// Reports keep 12 significant digits, so that reports written from `f64` values computed in
/// different orders compare equal as text.
pub fn round_for_report(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let digits = 12 - x.abs().log10().ceil() as i32;
    let scale = 10f64.powi(digits.clamp(-300, 300));
    (x * scale).round() / scale
}
