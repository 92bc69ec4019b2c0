//! Running a campaign: many generated cases of one conjecture, in parallel, replayable,
//! shardable ([`Shard`]) and resumable from a checkpoint ([`checkpoint`]); shard reports are
//! merged by [`merge_reports`].

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::record::CaseRecord;
use super::statistics::Statistics;
pub use crate::conjecture::Arithmetic;
use crate::conjecture::{Entry, decide};
use crate::generate::theorem2::case_rng;

mod checkpoint;
mod done;
mod line_check;
mod merge;
mod merge_order;
mod merge_stream;
pub mod recheck;
mod rules;
mod shard;

use checkpoint::{CheckpointHeader, Expected, open_checkpoint};
use done::DoneCases;
pub use merge::{merge_reports, merge_reports_of};
pub use merge_stream::{MergedFiles, merge_report_files};
pub(crate) use rules::RecordRules;
pub use shard::Shard;

/// The format tag of campaign reports and checkpoints: keys and names in kebab-case; a record's
/// margins and features are objects `{"name": value}` (`crate::campaign::named_values`).
pub const CAMPAIGN_FORMAT: &str = "mlcsc-campaign-4";

/// The format before [`CAMPAIGN_FORMAT`], still read (by `merge` and checkpoint resumes): the
/// same but for margins and features written as lists of `[name, value]` pairs.
const PREVIOUS_FORMAT: &str = "mlcsc-campaign-3";

/// The format tags of the project's first days (snake_case keys, shards counted from 0),
/// which are no longer read: a file of theirs is refused with [`format_problem`]'s message.
const EARLIER_FORMATS: [&str; 2] = ["mlcsc-campaign-1", "mlcsc-campaign-2"];

/// Why a report or checkpoint of this format tag is not read, or `None` for this format.
fn format_problem(format: &str) -> Option<String> {
    if format == CAMPAIGN_FORMAT || format == PREVIOUS_FORMAT {
        None
    } else if EARLIER_FORMATS.contains(&format) {
        Some(format!(
            "format {format:?} is from an earlier version of mlcsc and is no longer read; run the campaign again to write {CAMPAIGN_FORMAT:?}"
        ))
    } else {
        Some(format!("format {format:?} is not {CAMPAIGN_FORMAT:?}"))
    }
}

impl CampaignSettings {
    /// The campaign in words: `theorem2-soft, 1000 cases, seed 7, shard 2/4, exact arithmetic`.
    pub fn describe(&self, conjecture: &str) -> String {
        format!(
            "{conjecture}, {} cases, seed {}, shard {}, {} arithmetic",
            self.cases,
            self.seed,
            self.shard.label(),
            self.arithmetic.name()
        )
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
pub fn run_case(conjecture: &Entry, seed: u64, case: u64, arithmetic: Arithmetic) -> CaseRecord {
    let mut rng = case_rng(seed, case);
    let outcome = match arithmetic {
        // `decide` checks exactly: the entry's prepared run gives that outcome.
        Arithmetic::Exact => conjecture.generate_and_check(&mut rng),
        Arithmetic::F64 => decide(conjecture, &conjecture.generate(&mut rng), arithmetic),
    };
    CaseRecord::new(case, &outcome)
}

/// How many cases are decided between two hand-overs of records in case order: the records in
/// memory at once, whatever the campaign's size.
const CASES_PER_BATCH: u64 = 4096;

/// Where a campaign's records go, one at a time in case order.
pub type RecordSink<'a> = dyn FnMut(CaseRecord) -> Result<(), String> + 'a;

/// Runs a campaign. With a checkpoint file, completed cases are appended one line each as they
/// finish, and a rerun resumes from it without losing or repeating a case; the checkpoint is
/// locked while the campaign runs, and a failed write stops the run with an error. `progress`
/// is told of every finished case. Only this shard's cases are visited, so the work is
/// proportional to the shard's size, whatever the campaign's.
///
/// The report holds every record; [`run_campaign_streamed`] hands them on instead, for a
/// campaign too large to hold.
pub fn run_campaign(
    conjecture: &Entry,
    settings: CampaignSettings,
    checkpoint: Option<&Path>,
    progress: &(dyn Fn() + Sync),
) -> Result<CampaignReport, String> {
    let mut records = Vec::new();
    let seconds = run_campaign_streamed(conjecture, settings, checkpoint, progress, &mut |r| {
        records.push(r);
        Ok(())
    })?;
    Ok(CampaignReport {
        format: CAMPAIGN_FORMAT.into(),
        conjecture: conjecture.name().into(),
        citation: conjecture.citation().into(),
        status: conjecture.status().name().into(),
        settings,
        statistics: Statistics::from_records(&records),
        seconds,
        records,
    })
}

/// As [`run_campaign`], handing every record to `sink` in case order as soon as it and every
/// case before it are decided, so memory holds `CASES_PER_BATCH` records at most; a resumed
/// run reads the records of its checkpoint when their turn comes. Returns the seconds taken.
pub fn run_campaign_streamed(
    conjecture: &Entry,
    settings: CampaignSettings,
    checkpoint: Option<&Path>,
    progress: &(dyn Fn() + Sync),
    sink: &mut RecordSink<'_>,
) -> Result<f64, String> {
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
    let rules = RecordRules::of(conjecture, settings.arithmetic);
    let expected = Expected {
        header: &header,
        entry: conjecture,
        rules: &rules,
    };
    let (writer, mut done) = match checkpoint {
        None => (None, DoneCases::default()),
        Some(path) => {
            let (writer, done) = open_checkpoint(path, &expected)?;
            (Some(Mutex::new(writer)), done)
        }
    };
    for _ in 0..done.len() {
        progress();
    }
    let shard = settings.shard;
    let total = shard.cases_in(settings.cases);
    let mut first = 0;
    while first < total {
        let last = (first + CASES_PER_BATCH).min(total);
        let cases: Vec<u64> = (first..last)
            .map(|j| shard.index + j * shard.count)
            .collect();
        let decided: Vec<Option<CaseRecord>> = cases
            .par_iter()
            .map(|&case| {
                if done.contains(case) {
                    return Ok(None);
                }
                let record = run_case(conjecture, settings.seed, case, settings.arithmetic);
                if let (Some(writer), Some(path)) = (&writer, checkpoint) {
                    writer
                        .lock()
                        .expect("no thread panics while holding the lock")
                        .append(path, &record)?;
                }
                progress();
                Ok(Some(record))
            })
            .collect::<Result<_, String>>()?;
        for (case, record) in cases.into_iter().zip(decided) {
            sink(match record {
                Some(record) => record,
                None => done.read(case)?,
            })?;
        }
        first = last;
    }
    if let Some(writer) = &writer {
        let writer = writer.lock().expect("no thread panicked");
        let _ = writer.file.sync_all();
    }
    Ok(started.elapsed().as_secs_f64())
}
