//! Campaign statistics, recomputed from case records in case order (so that a merged report
//! equals an unsharded one, and no sum depends on thread scheduling).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::record::{CaseRecord, CaseVerdict};

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
    pub largest_tightness: Option<f64>,
    /// Among cases that met the hypotheses: the fraction with each coverage property
    /// (`depth-two-or-more`, `noisy`, `channels-two-or-more`; `interference`: some layer with
    /// `s_i ≥ 2` and `μ_i > 0`; `deep-interference`: such a layer `i ≥ 2`;
    /// `depth-three-or-more`; `depth-four`), and `coherent-every-layer`: among met cases of
    /// depth `K ≥ 2`, the fraction with `μ_i > 0` at every layer.
    pub coverage: BTreeMap<String, f64>,
    /// Per layer (`layer1`, `layer2`, …): the largest tightness at that layer over met cases
    /// where it interferes (`s_i ≥ 2`, `μ_i > 0`).
    #[serde(default)]
    pub interference_tightness: BTreeMap<String, f64>,
    /// Histogram of each margin over the cases that met the hypotheses.
    pub margins: BTreeMap<String, Histogram>,
    /// Per event the conjecture declares (features `event:NAME`): how often it happened.
    #[serde(default)]
    pub events: BTreeMap<String, EventCount>,
    /// The first case indices with verdict `violated`.
    pub violating_cases: Vec<u64>,
}

/// The bin of `value` among [`HISTOGRAM_BINS`] equal bins from `min` to `max`.
fn bin(value: f64, min: f64, max: f64) -> usize {
    let bin = if max > min {
        (((value - min) / (max - min)) * HISTOGRAM_BINS as f64) as usize
    } else {
        0
    };
    bin.min(HISTOGRAM_BINS - 1)
}

/// The coverage keys: (key, feature, least value). A key is reported only when some record has
/// its feature, so that entries without these features (the exhaustive results) show none of
/// them.
const COVERAGE: [(&str, &str, f64); 7] = [
    ("depth-two-or-more", "depth", 2.0),
    ("interference", "interference", 1.0),
    ("deep-interference", "deep-interference", 1.0),
    ("depth-three-or-more", "depth", 3.0),
    ("depth-four", "depth", 4.0),
    ("noisy", "noisy", 1.0),
    ("channels-two-or-more", "max-channels", 2.0),
];

/// The feature of the coherence coverage key.
const COHERENT: &str = "coherent-every-layer";

/// The statistics of records seen one at a time in case order, holding only counts (no
/// record), so that a campaign's memory does not grow with its cases. The margin histograms
/// need a second look at the records, once their ranges are known
/// ([`StatisticsBuilder::histograms`]); [`Statistics::from_records`] is the same two passes
/// over a slice.
#[derive(Clone, Debug, Default)]
pub struct StatisticsBuilder {
    cases: usize,
    met: usize,
    holds: usize,
    violated: usize,
    undecided: usize,
    vacuous: BTreeMap<String, usize>,
    certified: usize,
    largest_tightness: Option<f64>,
    /// Per coverage key: whether some record has its feature, and the met cases with it.
    coverage: [(bool, usize); COVERAGE.len()],
    /// Met cases of depth at least 2, and of those the ones coherent at every layer.
    deep: usize,
    coherent: usize,
    coherent_recorded: bool,
    interference_tightness: BTreeMap<String, f64>,
    /// Per margin: its least and largest finite value over met cases.
    margin_ranges: BTreeMap<String, (f64, f64)>,
    events: BTreeMap<String, EventCount>,
    violating_cases: Vec<u64>,
}

/// The second pass of the statistics: margin histograms over ranges found by the first.
#[derive(Clone, Debug)]
pub struct HistogramBuilder {
    histograms: BTreeMap<String, Histogram>,
}

impl HistogramBuilder {
    /// Counts the margins of one record (records in any order).
    pub fn add(&mut self, record: &CaseRecord) {
        if !record.hypotheses_met() {
            return;
        }
        for (name, value) in &record.margins {
            self.add_margin(name, *value);
        }
    }

    /// Counts one margin of a met record (a value that is not finite is not counted).
    pub fn add_margin(&mut self, name: &str, value: f64) {
        if value.is_finite()
            && let Some(histogram) = self.histograms.get_mut(name)
        {
            histogram.counts[bin(value, histogram.min, histogram.max)] += 1;
        }
    }
}

impl StatisticsBuilder {
    /// Adds one record; records must come in case order.
    pub fn add(&mut self, r: &CaseRecord) {
        let met = r.hypotheses_met();
        self.cases += 1;
        self.met += usize::from(met);
        match r.verdict {
            CaseVerdict::Holds => self.holds += 1,
            CaseVerdict::Violated => {
                self.violated += 1;
                if self.violating_cases.len() < VIOLATING_CASES_KEPT {
                    self.violating_cases.push(r.case);
                }
            }
            CaseVerdict::Undecided => self.undecided += 1,
            CaseVerdict::Vacuous => {
                *self
                    .vacuous
                    .entry(r.failed_hypothesis.clone().unwrap_or_default())
                    .or_insert(0) += 1;
            }
        }
        self.certified += usize::from(r.certified);
        for (k, (_, feature, least)) in COVERAGE.iter().enumerate() {
            let value = r.feature(feature);
            self.coverage[k].0 |= value.is_some();
            self.coverage[k].1 += usize::from(met && value.is_some_and(|v| v >= *least));
        }
        self.coherent_recorded |= r.feature(COHERENT).is_some();
        for (name, value) in &r.features {
            if let Some(event) = name.strip_prefix(EVENT_PREFIX) {
                let count = self.events.entry(event.to_string()).or_default();
                if *value == 1.0 {
                    count.cases += 1;
                    count.hypotheses_met += usize::from(met);
                }
            }
        }
        if met {
            self.add_met(r);
        }
    }

    /// The part of [`StatisticsBuilder::add`] for a case that met the hypotheses.
    fn add_met(&mut self, r: &CaseRecord) {
        if r.feature("depth").is_some_and(|d| d >= 2.0) {
            self.deep += 1;
            self.coherent += usize::from(r.feature(COHERENT) == Some(1.0));
        }
        for (name, value) in &r.features {
            if let Some(layer) = name.strip_prefix("interference-tightness-")
                && value.is_finite()
            {
                let best = self
                    .interference_tightness
                    .entry(layer.to_string())
                    .or_insert(*value);
                *best = best.max(*value);
            }
        }
        for (name, value) in &r.margins {
            if value.is_finite() {
                let range = self
                    .margin_ranges
                    .entry(name.clone())
                    .or_insert((f64::INFINITY, f64::NEG_INFINITY));
                *range = (range.0.min(*value), range.1.max(*value));
            }
        }
        if let Some(t) = r.tightness.filter(|t| t.is_finite()) {
            self.largest_tightness = Some(self.largest_tightness.map_or(t, |b| b.max(t)));
        }
    }

    /// The second pass: empty histograms over the margin ranges seen, to be filled by
    /// [`HistogramBuilder::add`] with the same records.
    pub fn histograms(&self) -> HistogramBuilder {
        HistogramBuilder {
            histograms: self
                .margin_ranges
                .iter()
                .map(|(name, &(min, max))| {
                    let counts = vec![0; HISTOGRAM_BINS];
                    (name.clone(), Histogram { min, max, counts })
                })
                .collect(),
        }
    }

    /// The statistics, with the histograms of the second pass.
    pub fn finish(self, histograms: HistogramBuilder) -> Statistics {
        let met = self.met;
        let fraction = |count: usize| {
            if met == 0 {
                0.0
            } else {
                count as f64 / met as f64
            }
        };
        let mut coverage: BTreeMap<String, f64> = COVERAGE
            .iter()
            .zip(self.coverage)
            .filter(|(_, (recorded, _))| *recorded)
            .map(|((key, _, _), (_, count))| (key.to_string(), fraction(count)))
            .collect();
        if self.deep > 0 && self.coherent_recorded {
            coverage.insert(
                COHERENT.to_string(),
                self.coherent as f64 / self.deep as f64,
            );
        }
        Statistics {
            cases: self.cases,
            hypotheses_met: met,
            holds: self.holds,
            violated: self.violated,
            undecided: self.undecided,
            vacuous: self.vacuous,
            certified: self.certified,
            largest_tightness: self.largest_tightness,
            coverage,
            interference_tightness: self.interference_tightness,
            margins: histograms.histograms,
            events: self.events,
            violating_cases: self.violating_cases,
        }
    }
}

/// How many violating case indices the statistics list.
const VIOLATING_CASES_KEPT: usize = 20;

impl Statistics {
    /// Statistics of records, which must be sorted by case: the two passes of
    /// [`StatisticsBuilder`].
    pub fn from_records(records: &[CaseRecord]) -> Self {
        let mut builder = StatisticsBuilder::default();
        records.iter().for_each(|r| builder.add(r));
        let mut histograms = builder.histograms();
        records.iter().for_each(|r| histograms.add(r));
        builder.finish(histograms)
    }
}
