//! Running a campaign: many generated cases of one conjecture, in parallel, replayable,
//! shardable ([`Shard`]) and resumable from a checkpoint ([`checkpoint`]); shard reports are
//! merged by [`merge_reports`].

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::record::{CaseRecord, CaseVerdict};
use super::statistics::Statistics;
pub use crate::conjecture::Arithmetic;
use crate::conjecture::{Conjecture, decide};
use crate::generate::theorem2::case_rng;

mod checkpoint;
mod merge;
mod shard;

use checkpoint::{CheckpointHeader, open_checkpoint};
pub use merge::{merge_reports, merge_reports_of};
pub use shard::Shard;

/// The format tag of campaign reports and checkpoints: keys and names in kebab-case.
pub const CAMPAIGN_FORMAT: &str = "mlcsc-campaign-3";

/// The earlier format tags, still read: `mlcsc-campaign-1` wrote shards as
/// `{"index": I, "count": N}` with `I` from 0, and both wrote keys and names in snake_case
/// (`hypotheses_met`, `a@2`), read in this format's spelling
/// ([`CaseRecord::from_earlier_format`]).
const EARLIER_FORMATS: [&str; 2] = ["mlcsc-campaign-1", "mlcsc-campaign-2"];

/// Whether a report or checkpoint of this format tag is read.
fn readable_format(format: &str) -> bool {
    format == CAMPAIGN_FORMAT || EARLIER_FORMATS.contains(&format)
}

/// A record read from a report or checkpoint of this format tag, in this format's spelling.
fn record_of_format(record: CaseRecord, format: &str) -> CaseRecord {
    if EARLIER_FORMATS.contains(&format) {
        record.from_earlier_format()
    } else {
        record
    }
}

/// What to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CampaignSettings {
    /// Total cases of the (unsharded) campaign.
    pub cases: u64,
    /// Master seed.
    pub seed: u64,
    /// This run's shard.
    pub shard: Shard,
    /// Exact or screened.
    pub arithmetic: Arithmetic,
}

/// A campaign's report: settings, statistics and every case record, in case order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CampaignReport {
    /// [`CAMPAIGN_FORMAT`].
    pub format: String,
    /// The conjecture's name.
    pub conjecture: String,
    /// Its citation.
    pub citation: String,
    /// `theorem`, `open` or `known-false`.
    pub status: String,
    /// The settings.
    pub settings: CampaignSettings,
    /// The statistics.
    pub statistics: Statistics,
    /// Wall-clock seconds of the run, generation, checks and records included (the only field
    /// that differs between identical runs). In a report merged from shards it is the **sum**
    /// of the shards' seconds, the total work, not the wall time of shards run side by side.
    pub seconds: f64,
    /// Every case, in case order.
    pub records: Vec<CaseRecord>,
}

/// Runs one case: generate from `(seed, case)`, then decide (screened or exactly).
pub fn run_case(
    conjecture: &dyn Conjecture,
    seed: u64,
    case: u64,
    arithmetic: Arithmetic,
) -> CaseRecord {
    let mut rng = case_rng(seed, case);
    let instance = conjecture.generate(&mut rng);
    let outcome = decide(conjecture, &instance, arithmetic);
    CaseRecord::new(case, &outcome)
}

/// Why a record does not belong to a campaign, or `None` when it does: its case lies in
/// `0..cases` and in the shard, and its fields are those of its verdict.
fn record_problem(record: &CaseRecord, settings: &CampaignSettings) -> Option<String> {
    let case = record.case;
    if case >= settings.cases {
        return Some(format!(
            "case {case} is outside the campaign's {} cases (0 to {})",
            settings.cases,
            settings.cases.saturating_sub(1)
        ));
    }
    if !settings.shard.contains(case) {
        return Some(format!(
            "case {case} belongs to shard {}, not to shard {}",
            settings.shard.of(case).label(),
            settings.shard.label()
        ));
    }
    let fields_fit = match record.verdict {
        CaseVerdict::Holds => record.failed_hypothesis.is_none() && record.witness.is_none(),
        CaseVerdict::Vacuous => record.failed_hypothesis.is_some() && record.witness.is_none(),
        CaseVerdict::Violated | CaseVerdict::Undecided => {
            record.failed_hypothesis.is_none() && record.witness.is_some()
        }
    };
    if !fields_fit {
        return Some(format!(
            "case {case}: verdict {} does not match its fields (a vacuous case names its failed hypothesis, a violated or undecided one its witness, and no other case either)",
            record.verdict
        ));
    }
    None
}

/// Runs a campaign. With a checkpoint file, completed cases are appended one line each as they
/// finish, and a rerun resumes from it without losing or repeating a case; the checkpoint is
/// locked while the campaign runs, and a failed write stops the run with an error. `progress`
/// is told of every finished case. Only this shard's cases are visited, so the work is
/// proportional to the shard's size, whatever the campaign's.
pub fn run_campaign(
    conjecture: &dyn Conjecture,
    settings: CampaignSettings,
    checkpoint: Option<&Path>,
    progress: &(dyn Fn() + Sync),
) -> Result<CampaignReport, String> {
    if !settings.shard.valid() {
        return Err(format!(
            "shard index {} of {}: need a count of at least 1 and an index below it",
            settings.shard.index, settings.shard.count
        ));
    }
    let started = Instant::now();
    let header = CheckpointHeader {
        format: CAMPAIGN_FORMAT.into(),
        conjecture: conjecture.name().into(),
        settings,
    };
    let (writer, done) = match checkpoint {
        None => (None, Vec::new()),
        Some(path) => {
            let (writer, done) = open_checkpoint(path, &header)?;
            (Some(Mutex::new(writer)), done)
        }
    };
    let finished: BTreeSet<u64> = done.iter().map(|r| r.case).collect();
    let shard = settings.shard;
    let pending: Vec<u64> = (0..shard.cases_in(settings.cases))
        .map(|j| shard.index + j * shard.count)
        .filter(|k| !finished.contains(k))
        .collect();
    for _ in &done {
        progress();
    }
    let new_records: Vec<CaseRecord> = pending
        .par_iter()
        .map(|&case| {
            let record = run_case(conjecture, settings.seed, case, settings.arithmetic);
            if let (Some(writer), Some(path)) = (&writer, checkpoint) {
                writer
                    .lock()
                    .expect("no thread panics while holding the lock")
                    .append(path, &record)?;
            }
            progress();
            Ok(record)
        })
        .collect::<Result<_, String>>()?;
    if let Some(writer) = &writer {
        let writer = writer.lock().expect("no thread panicked");
        let _ = writer.file.sync_all();
    }
    let mut records = done;
    records.extend(new_records);
    records.sort_by_key(|r| r.case);
    records.dedup_by_key(|r| r.case);
    Ok(CampaignReport {
        format: CAMPAIGN_FORMAT.into(),
        conjecture: conjecture.name().into(),
        citation: conjecture.citation().into(),
        status: conjecture.status().name().into(),
        settings,
        statistics: Statistics::from_records(&records),
        seconds: started.elapsed().as_secs_f64(),
        records,
    })
}
