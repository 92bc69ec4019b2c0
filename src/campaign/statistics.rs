//! Campaign statistics, recomputed from case records in case order (so that a merged report
//! equals an unsharded one, and no sum depends on thread scheduling).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::record::{CaseRecord, earlier_name};

/// Number of bins of a margin histogram.
pub const HISTOGRAM_BINS: usize = 10;

/// A histogram of one margin over the cases that met the hypotheses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Histogram {
    /// The smallest value seen.
    pub min: f64,
    /// The largest value seen.
    pub max: f64,
    /// Counts in [`HISTOGRAM_BINS`] equal bins from `min` to `max`.
    pub counts: Vec<usize>,
}

/// How often a declared event happened.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct EventCount {
    /// Cases where it happened.
    pub cases: usize,
    /// Of those, the cases that met the hypotheses.
    #[serde(alias = "hypotheses_met")]
    pub hypotheses_met: usize,
}

pub use crate::conjecture::stated::EVENT_PREFIX;

/// The statistics of a campaign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Statistics {
    /// Cases run.
    pub cases: usize,
    /// Cases whose hypotheses were met.
    #[serde(alias = "hypotheses_met")]
    pub hypotheses_met: usize,
    /// Verdict `holds`.
    pub holds: usize,
    /// Verdict `violated`.
    pub violated: usize,
    /// Verdict `undecided`.
    pub undecided: usize,
    /// Verdict `vacuous`, by failed hypothesis (`a-layer2`: hypothesis (a) at layer 2).
    pub vacuous: BTreeMap<String, usize>,
    /// Verdicts decided in exact arithmetic.
    pub certified: usize,
    /// The largest tightness over cases that met the hypotheses.
    #[serde(alias = "largest_tightness")]
    pub largest_tightness: Option<f64>,
    /// Among cases that met the hypotheses: the fraction with each coverage property
    /// (`depth-two-or-more`, `noisy`, `channels-two-or-more`; `interference`: some layer with
    /// `s_i ≥ 2` and `μ_i > 0`; `deep-interference`: such a layer `i ≥ 2`;
    /// `depth-three-or-more`; `depth-four`), and `coherent-every-layer`: among met cases of
    /// depth `K ≥ 2`, the fraction with `μ_i > 0` at every layer.
    pub coverage: BTreeMap<String, f64>,
    /// Per layer (`layer1`, `layer2`, …): the largest tightness at that layer over met cases
    /// where it interferes (`s_i ≥ 2`, `μ_i > 0`).
    #[serde(default, alias = "interference_tightness")]
    pub interference_tightness: BTreeMap<String, f64>,
    /// Histogram of each margin over the cases that met the hypotheses.
    pub margins: BTreeMap<String, Histogram>,
    /// Per event the conjecture declares (features `event:NAME`): how often it happened.
    #[serde(default)]
    pub events: BTreeMap<String, EventCount>,
    /// The first case indices with verdict `violated`.
    #[serde(alias = "violating_cases")]
    pub violating_cases: Vec<u64>,
}

fn histogram(values: &[f64]) -> Histogram {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut counts = vec![0; HISTOGRAM_BINS];
    for &v in values {
        let bin = if max > min {
            (((v - min) / (max - min)) * HISTOGRAM_BINS as f64) as usize
        } else {
            0
        };
        counts[bin.min(HISTOGRAM_BINS - 1)] += 1;
    }
    Histogram { min, max, counts }
}

impl Statistics {
    /// The statistics as this format names things, from a report of an earlier format
    /// (`earlier_name` applied to every key that names a hypothesis, feature, margin or event).
    pub fn from_earlier_format(self) -> Self {
        fn rename<V>(map: BTreeMap<String, V>) -> BTreeMap<String, V> {
            map.into_iter()
                .map(|(k, v)| (earlier_name(&k), v))
                .collect()
        }
        Statistics {
            vacuous: rename(self.vacuous),
            coverage: rename(self.coverage),
            margins: rename(self.margins),
            events: rename(self.events),
            ..self
        }
    }

    /// Statistics of records, which must be sorted by case.
    pub fn from_records(records: &[CaseRecord]) -> Self {
        let met: Vec<&CaseRecord> = records.iter().filter(|r| r.hypotheses_met()).collect();
        let count = |verdict: &str| records.iter().filter(|r| r.verdict == verdict).count();
        let mut vacuous = BTreeMap::new();
        for r in records.iter().filter(|r| r.verdict == "vacuous") {
            *vacuous
                .entry(r.failed_hypothesis.clone().unwrap_or_default())
                .or_insert(0) += 1;
        }
        let fraction = |predicate: &dyn Fn(&CaseRecord) -> bool| {
            if met.is_empty() {
                0.0
            } else {
                met.iter().filter(|r| predicate(r)).count() as f64 / met.len() as f64
            }
        };
        let mut coverage = BTreeMap::new();
        let at_least = |name: &'static str, bound: f64| {
            move |r: &CaseRecord| r.feature(name).is_some_and(|v| v >= bound)
        };
        // (key, feature, least value); a key is reported only when some record has its feature,
        // so that entries without these features (the exhaustive results) show none of them.
        let features: [(&str, &'static str, f64); 7] = [
            ("depth-two-or-more", "depth", 2.0),
            ("interference", "interference", 1.0),
            ("deep-interference", "deep-interference", 1.0),
            ("depth-three-or-more", "depth", 3.0),
            ("depth-four", "depth", 4.0),
            ("noisy", "noisy", 1.0),
            ("channels-two-or-more", "max-channels", 2.0),
        ];
        let recorded = |feature: &str| records.iter().any(|r| r.feature(feature).is_some());
        for (key, feature, least) in features {
            if recorded(feature) {
                coverage.insert(key.to_string(), fraction(&at_least(feature, least)));
            }
        }
        let deep: Vec<&&CaseRecord> = met
            .iter()
            .filter(|r| r.feature("depth").is_some_and(|d| d >= 2.0))
            .collect();
        if !deep.is_empty() && recorded("coherent-every-layer") {
            let coherent = deep
                .iter()
                .filter(|r| r.feature("coherent-every-layer") == Some(1.0))
                .count();
            coverage.insert(
                "coherent-every-layer".to_string(),
                coherent as f64 / deep.len() as f64,
            );
        }
        let mut interference_tightness: BTreeMap<String, f64> = BTreeMap::new();
        for r in &met {
            for (name, value) in &r.features {
                if let Some(layer) = name.strip_prefix("interference-tightness-")
                    && value.is_finite()
                {
                    let best = interference_tightness
                        .entry(layer.to_string())
                        .or_insert(*value);
                    *best = best.max(*value);
                }
            }
        }
        let mut margin_values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for r in &met {
            for (name, value) in &r.margins {
                if value.is_finite() {
                    margin_values.entry(name.clone()).or_default().push(*value);
                }
            }
        }
        let mut events: BTreeMap<String, EventCount> = BTreeMap::new();
        for r in records {
            for (name, value) in &r.features {
                if let Some(event) = name.strip_prefix(EVENT_PREFIX) {
                    let count = events.entry(event.to_string()).or_default();
                    if *value == 1.0 {
                        count.cases += 1;
                        count.hypotheses_met += usize::from(r.hypotheses_met());
                    }
                }
            }
        }
        Statistics {
            cases: records.len(),
            hypotheses_met: met.len(),
            holds: count("holds"),
            violated: count("violated"),
            undecided: count("undecided"),
            vacuous,
            certified: records.iter().filter(|r| r.certified).count(),
            largest_tightness: met
                .iter()
                .filter_map(|r| r.tightness)
                .filter(|t| t.is_finite())
                .fold(None, |best: Option<f64>, t| {
                    Some(best.map_or(t, |b| b.max(t)))
                }),
            coverage,
            interference_tightness,
            margins: margin_values
                .into_iter()
                .map(|(k, v)| (k, histogram(&v)))
                .collect(),
            events,
            violating_cases: records
                .iter()
                .filter(|r| r.verdict == "violated")
                .map(|r| r.case)
                .take(20)
                .collect(),
        }
    }
}
