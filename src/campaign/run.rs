//! Running a campaign: many generated cases of one conjecture, in parallel, replayable,
//! shardable and resumable.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::record::CaseRecord;
use super::statistics::Statistics;
use crate::conjecture::Conjecture;
use crate::generate::theorem2::case_rng;

/// The format tag of campaign reports.
pub const CAMPAIGN_FORMAT: &str = "mlcsc-campaign-1";

/// Which arithmetic decides the cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arithmetic {
    /// Exact rationals: every verdict certified.
    Exact,
    /// `f64` screen; violations are re-decided exactly.
    F64,
}

/// Shard `index` of `count`: the cases `k` with `k mod count = index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// From 0.
    pub index: u64,
    /// At least 1.
    pub count: u64,
}

impl Shard {
    /// The whole campaign.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N` with `0 ≤ I < N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("--shard {text:?}: expected I/N, such as 0/4"))?;
        let index: u64 = i
            .trim()
            .parse()
            .map_err(|_| format!("--shard {text:?}: I is not a whole number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("--shard {text:?}: N is not a whole number"))?;
        if count == 0 || index >= count {
            return Err(format!("--shard {text:?}: need 0 ≤ I < N"));
        }
        Ok(Shard { index, count })
    }
}

/// What to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Wall-clock seconds (the only field that differs between identical runs).
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
    let outcome = match arithmetic {
        Arithmetic::Exact => conjecture.check(&instance),
        Arithmetic::F64 => conjecture
            .screen(&instance)
            .unwrap_or_else(|| conjecture.check(&instance)),
    };
    CaseRecord::new(case, &outcome)
}

#[derive(Serialize, Deserialize, PartialEq, Debug)]
struct CheckpointHeader {
    format: String,
    conjecture: String,
    settings: CampaignSettings,
}

/// Reads the completed records of a checkpoint, truncating a torn last line (a run killed
/// mid-write), and checks that it belongs to the same campaign.
fn resume(path: &Path, header: &CheckpointHeader) -> Result<Vec<CaseRecord>, String> {
    let file = File::open(path).map_err(|e| format!("checkpoint {}: {e}", path.display()))?;
    let mut lines = BufReader::new(file).lines();
    let first = match lines.next() {
        None => return Ok(Vec::new()),
        Some(line) => line.map_err(|e| format!("checkpoint {}: {e}", path.display()))?,
    };
    let found: CheckpointHeader = serde_json::from_str(&first).map_err(|e| {
        format!(
            "checkpoint {}: not a checkpoint of mlcsc ({e})",
            path.display()
        )
    })?;
    if &found != header {
        return Err(format!(
            "checkpoint {} belongs to another campaign ({} with {:?}); use another file",
            path.display(),
            found.conjecture,
            found.settings
        ));
    }
    let mut records = Vec::new();
    let mut good_bytes = first.len() as u64 + 1;
    for line in lines {
        let Ok(line) = line else { break };
        match serde_json::from_str::<CaseRecord>(&line) {
            Ok(record) => {
                good_bytes += line.len() as u64 + 1;
                records.push(record);
            }
            Err(_) => break,
        }
    }
    let file = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| format!("checkpoint {}: {e}", path.display()))?;
    file.set_len(good_bytes)
        .map_err(|e| format!("checkpoint {}: {e}", path.display()))?;
    Ok(records)
}

/// Runs a campaign. With a checkpoint file, completed cases are appended one line each as they
/// finish, and a rerun resumes from it without losing or repeating a case. `progress` is told
/// of every finished case.
pub fn run_campaign(
    conjecture: &dyn Conjecture,
    settings: CampaignSettings,
    checkpoint: Option<&Path>,
    progress: &(dyn Fn() + Sync),
) -> Result<CampaignReport, String> {
    let started = Instant::now();
    let header = CheckpointHeader {
        format: CAMPAIGN_FORMAT.into(),
        conjecture: conjecture.name().into(),
        settings,
    };
    let mut done: Vec<CaseRecord> = Vec::new();
    let writer = match checkpoint {
        None => None,
        Some(path) => {
            if path.exists() {
                done = resume(path, &header)?;
            } else {
                let mut file = File::create(path)
                    .map_err(|e| format!("checkpoint {}: {e}", path.display()))?;
                writeln!(
                    file,
                    "{}",
                    serde_json::to_string(&header).expect("header serialises")
                )
                .map_err(|e| format!("checkpoint {}: {e}", path.display()))?;
            }
            let file = OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| format!("checkpoint {}: {e}", path.display()))?;
            Some(Mutex::new(file))
        }
    };
    let finished: std::collections::BTreeSet<u64> = done.iter().map(|r| r.case).collect();
    let pending: Vec<u64> = (0..settings.cases)
        .filter(|k| k % settings.shard.count == settings.shard.index && !finished.contains(k))
        .collect();
    for _ in &done {
        progress();
    }
    let new_records: Vec<CaseRecord> = pending
        .par_iter()
        .map(|&case| {
            let record = run_case(conjecture, settings.seed, case, settings.arithmetic);
            if let Some(writer) = &writer {
                let line = serde_json::to_string(&record).expect("records serialise");
                let mut file = writer
                    .lock()
                    .expect("no thread panics while holding the lock");
                // A failed checkpoint write loses only resumability, never a result.
                let _ = writeln!(file, "{line}").and_then(|_| file.flush());
            }
            progress();
            record
        })
        .collect();
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

/// Merges shard reports into the report of the whole campaign: the same records, statistics
/// recomputed in case order, so the result equals an unsharded run (timing aside).
pub fn merge_reports(reports: &[CampaignReport]) -> Result<CampaignReport, String> {
    let first = reports.first().ok_or("merge needs at least one report")?;
    let mut records = Vec::new();
    let mut seconds = 0.0;
    for (k, report) in reports.iter().enumerate() {
        if report.format != CAMPAIGN_FORMAT {
            return Err(format!(
                "report {}: format {:?} is not {CAMPAIGN_FORMAT:?}",
                k + 1,
                report.format
            ));
        }
        let same = report.conjecture == first.conjecture
            && report.settings.seed == first.settings.seed
            && report.settings.cases == first.settings.cases
            && report.settings.arithmetic == first.settings.arithmetic;
        if !same {
            return Err(format!(
                "report {} is of another campaign ({} seed {} cases {}) than report 1 ({} seed {} cases {})",
                k + 1,
                report.conjecture,
                report.settings.seed,
                report.settings.cases,
                first.conjecture,
                first.settings.seed,
                first.settings.cases
            ));
        }
        records.extend(report.records.iter().cloned());
        seconds += report.seconds;
    }
    records.sort_by_key(|r| r.case);
    let before = records.len();
    records.dedup_by_key(|r| r.case);
    if records.len() != before {
        return Err("two reports hold the same case: shards overlap".into());
    }
    if records.len() as u64 != first.settings.cases {
        return Err(format!(
            "the reports hold {} of the campaign's {} cases: a shard is missing",
            records.len(),
            first.settings.cases
        ));
    }
    Ok(CampaignReport {
        format: CAMPAIGN_FORMAT.into(),
        conjecture: first.conjecture.clone(),
        citation: first.citation.clone(),
        status: first.status.clone(),
        settings: CampaignSettings {
            shard: Shard::WHOLE,
            ..first.settings
        },
        statistics: Statistics::from_records(&records),
        seconds,
        records,
    })
}
