//! Running a campaign: many generated cases of one conjecture, in parallel, replayable,
//! shardable and resumable.
//!
//! A checkpoint is a header line and then one record per finished case. While a campaign runs
//! it holds an exclusive advisory lock on its checkpoint, so a second campaign on the same
//! file is refused instead of mixing its records in. On resume every line is validated: the
//! header must be exactly a checkpoint header of the same campaign, and every record must be a
//! case of this campaign and shard, unique, with a known verdict; a bad line is an error that
//! names it. Only a last line without its newline (a run killed in the middle of a write) is
//! dropped, and its case is run again.

use std::collections::{BTreeSet, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use fs4::{FileExt, TryLockError};
use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::record::{CaseRecord, CaseVerdict};
use super::statistics::Statistics;
pub use crate::conjecture::Arithmetic;
use crate::conjecture::{Conjecture, decide};
use crate::generate::theorem2::case_rng;

/// The format tag of campaign reports and checkpoints.
pub const CAMPAIGN_FORMAT: &str = "mlcsc-campaign-2";

/// The earlier format tag, still read: shards written as `{"index": I, "count": N}` with `I`
/// from 0.
const CAMPAIGN_FORMAT_1: &str = "mlcsc-campaign-1";

/// One shard of `count`: the cases `k` with `k mod count = index`. Shards are named from 1
/// (`1/4` … `4/4` holds `index` 0 … 3) and written in reports as that label; the earlier
/// form `{"index": 0, "count": 4}` is still read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// From 0: shard `index + 1` of `count`.
    pub index: u64,
    /// At least 1.
    pub count: u64,
}

impl Shard {
    /// The whole campaign.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `I/N` with `1 ≤ I ≤ N`: shard `I` of `N`, counted from 1.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("--shard {text:?}: expected I/N, such as 1/4"))?;
        let number: u64 = i
            .trim()
            .parse()
            .map_err(|_| format!("--shard {text:?}: I is not a whole number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("--shard {text:?}: N is not a whole number"))?;
        if count == 0 || number == 0 || number > count {
            return Err(format!(
                "--shard {text:?}: need 1 ≤ I ≤ N (shards count from 1: 1/{c} … {c}/{c})",
                c = count.max(1)
            ));
        }
        Ok(Shard {
            index: number - 1,
            count,
        })
    }

    /// `I/N`, counted from 1.
    pub fn label(self) -> String {
        format!("{}/{}", self.index + 1, self.count)
    }

    /// Whether case `case` belongs to this shard.
    pub fn contains(self, case: u64) -> bool {
        case % self.count == self.index
    }

    /// How many of the cases `0..cases` belong to this shard.
    pub fn cases_in(self, cases: u64) -> u64 {
        if cases <= self.index {
            0
        } else {
            (cases - self.index).div_ceil(self.count)
        }
    }

    /// The shard that holds `case` among shards of this count.
    fn of(self, case: u64) -> Shard {
        Shard {
            index: case % self.count,
            count: self.count,
        }
    }

    fn valid(self) -> bool {
        self.count >= 1 && self.index < self.count
    }
}

impl Serialize for Shard {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for Shard {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Shard, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(deserializer)?;
        match &value {
            serde_json::Value::String(label) => Shard::parse(label).map_err(|_| {
                D::Error::custom(format!("shard {label:?}: expected I/N with 1 ≤ I ≤ N"))
            }),
            serde_json::Value::Object(fields) => {
                let whole = |key: &str| fields.get(key).and_then(serde_json::Value::as_u64);
                match (whole("index"), whole("count"), fields.len()) {
                    (Some(index), Some(count), 2) if count >= 1 && index < count => {
                        Ok(Shard { index, count })
                    }
                    _ => Err(D::Error::custom(format!(
                        "shard {value}: expected \"I/N\" (or the earlier {{\"index\": I, \"count\": N}} with 0 ≤ I < N)"
                    ))),
                }
            }
            other => Err(D::Error::custom(format!(
                "shard {other}: expected \"I/N\", such as \"1/4\""
            ))),
        }
    }
}

/// What to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    let outcome = decide(conjecture, &instance, arithmetic);
    CaseRecord::new(case, &outcome)
}

/// The first line of a checkpoint. Unknown fields are refused, so no other JSON document (a
/// report above all) is ever taken for a checkpoint.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(deny_unknown_fields)]
struct CheckpointHeader {
    format: String,
    conjecture: String,
    settings: CampaignSettings,
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

/// The message of a checkpoint that cannot be used as it is.
fn not_usable(path: &Path, line: usize, why: &str) -> String {
    format!(
        "checkpoint {} line {line}: {why}; the file was not changed. It was edited, or written by another program: fix or delete that line, or use another checkpoint",
        path.display()
    )
}

/// An open, locked checkpoint, appended to as cases finish.
struct CheckpointWriter {
    file: File,
    /// The length of its complete lines.
    length: u64,
    /// Records in it.
    records: usize,
    /// The first failed write: every later write is refused with it.
    failure: Option<String>,
}

impl CheckpointWriter {
    fn append(&mut self, path: &Path, record: &CaseRecord) -> Result<(), String> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        let mut line = serde_json::to_string(record).expect("records serialise");
        line.push('\n');
        match self.file.write_all(line.as_bytes()) {
            Ok(()) => {
                self.length += line.len() as u64;
                self.records += 1;
                pause_for_fault_injection(self.records);
                Ok(())
            }
            Err(e) => {
                // Drop the part of the line that was written, if the file lets us.
                let _ = self.file.set_len(self.length);
                let failure = format!(
                    "checkpoint {}: the record of case {} could not be written ({e}); the run stopped, since a case it finished could no longer be resumed from the checkpoint. The {} complete records in it are kept: once the cause is fixed, the same command resumes from them",
                    path.display(),
                    record.case,
                    self.records
                );
                self.failure = Some(failure.clone());
                Err(failure)
            }
        }
    }
}

/// The environment variable of the fault-injection hook of [`pause_for_fault_injection`].
pub const PAUSE_AFTER_RECORDS_VARIABLE: &str = "MLCSC_PAUSE_AFTER_CHECKPOINT_RECORDS";

/// Fault injection for the tests that kill a campaign: when the environment sets
/// [`PAUSE_AFTER_RECORDS_VARIABLE`] to `n`, the campaign stops making progress (holding the
/// checkpoint, so no other worker appends) once this process has appended its `n`-th record,
/// so a test can `kill -9` it at a known point instead of racing it.
fn pause_for_fault_injection(records: usize) {
    // Read once per process, not once per record.
    static PAUSE_AFTER: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    let pause_after = *PAUSE_AFTER.get_or_init(|| {
        std::env::var(PAUSE_AFTER_RECORDS_VARIABLE)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
    });
    if pause_after == Some(records) {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

/// Takes the exclusive lock of an open checkpoint, or says who holds it.
fn lock(file: &File, path: &Path) -> Result<(), String> {
    match FileExt::try_lock(file) {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(format!(
            "checkpoint {} is in use: another mlcsc campaign holds its lock; wait until it ends, or give this run another checkpoint",
            path.display()
        )),
        Err(TryLockError::Error(e)) => Err(format!(
            "checkpoint {}: cannot lock it ({e}); give a checkpoint on a local file system",
            path.display()
        )),
    }
}

/// Opens (or creates) the checkpoint at `path` for `header`'s campaign, locks it for the whole
/// run, and reads its records; see the module documentation.
fn open_checkpoint(
    path: &Path,
    header: &CheckpointHeader,
) -> Result<(CheckpointWriter, Vec<CaseRecord>), String> {
    let failed = |e: &dyn std::fmt::Display| format!("checkpoint {}: {e}", path.display());
    let header_line = format!(
        "{}\n",
        serde_json::to_string(header).expect("headers serialise")
    );
    // Two tries: a checkpoint created by another run between our look and our rename is then
    // opened (and found locked, or of another campaign).
    for _ in 0..2 {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(format!(
                    "checkpoint {} is a symbolic link; mlcsc never writes through a link: give the path of its target",
                    path.display()
                ));
            }
            Ok(meta) if meta.is_dir() => {
                return Err(format!(
                    "checkpoint {} is a directory, not a file",
                    path.display()
                ));
            }
            Ok(meta) if !meta.is_file() => {
                return Err(format!(
                    "checkpoint {} is not a regular file (a device, pipe or socket)",
                    path.display()
                ));
            }
            Ok(_) => {
                let file = OpenOptions::new()
                    .read(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| failed(&e))?;
                lock(&file, path)?;
                return resume(path, file, header, &header_line);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A new checkpoint appears complete with its header, already locked.
                let folder = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                let mut builder = tempfile::Builder::new();
                builder.prefix(".mlcsc-").suffix(".partial");
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    builder.permissions(std::fs::Permissions::from_mode(0o666));
                }
                let mut temporary = builder.tempfile_in(folder).map_err(|e| failed(&e))?;
                temporary
                    .write_all(header_line.as_bytes())
                    .and_then(|()| temporary.as_file().sync_all())
                    .map_err(|e| failed(&e))?;
                lock(temporary.as_file(), path)?;
                match temporary.persist_noclobber(path) {
                    Ok(file) => {
                        return Ok((
                            CheckpointWriter {
                                file,
                                length: header_line.len() as u64,
                                records: 0,
                                failure: None,
                            },
                            Vec::new(),
                        ));
                    }
                    Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                    Err(e) => return Err(failed(&e.error)),
                }
            }
            Err(e) => return Err(failed(&e)),
        }
    }
    Err(format!(
        "checkpoint {} keeps appearing and disappearing; is another program using it?",
        path.display()
    ))
}

/// Reads a locked existing checkpoint: header, records, and a torn last line (dropped).
fn resume(
    path: &Path,
    mut file: File,
    header: &CheckpointHeader,
    header_line: &str,
) -> Result<(CheckpointWriter, Vec<CaseRecord>), String> {
    let failed = |e: &dyn std::fmt::Display| format!("checkpoint {}: {e}", path.display());
    let size = file.metadata().map_err(|e| failed(&e))?.len();
    if size == 0 {
        // A checkpoint the user created empty (or an earlier version left behind): it holds
        // no case, and gets its header in place.
        file.write_all(header_line.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| failed(&e))?;
        let length = header_line.len() as u64;
        return Ok((
            CheckpointWriter {
                file,
                length,
                records: 0,
                failure: None,
            },
            Vec::new(),
        ));
    }
    file.seek(SeekFrom::Start(0)).map_err(|e| failed(&e))?;
    let mut reader = BufReader::new(&file);
    let mut line = Vec::new();
    let mut number = 0usize;
    let mut complete_length = 0u64;
    let mut records = Vec::new();
    let mut seen = HashSet::new();
    let mut header_newline_missing = false;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| failed(&e))?;
        if read == 0 {
            break;
        }
        number += 1;
        let complete = line.last() == Some(&b'\n');
        if number == 1 {
            let found: CheckpointHeader = serde_json::from_slice(&line).map_err(|e| {
                format!(
                    "checkpoint {}: not a checkpoint of mlcsc: its first line is not a checkpoint header ({e}); a campaign report is not a checkpoint. Give a new path, or a checkpoint written by `mlcsc campaign --checkpoint`",
                    path.display()
                )
            })?;
            let same_format = found.format == CAMPAIGN_FORMAT || found.format == CAMPAIGN_FORMAT_1;
            if !same_format
                || found.conjecture != header.conjecture
                || found.settings != header.settings
            {
                return Err(format!(
                    "checkpoint {} belongs to another campaign ({} with {:?}, format {}), not to this one ({} with {:?}); use another file",
                    path.display(),
                    found.conjecture,
                    found.settings,
                    found.format,
                    header.conjecture,
                    header.settings
                ));
            }
            header_newline_missing = !complete;
            complete_length = read as u64;
            continue;
        }
        if !complete {
            // A write cut by a kill: dropped (never completed nor padded), and its case rerun.
            break;
        }
        let record: CaseRecord = serde_json::from_slice(&line[..line.len() - 1])
            .map_err(|e| not_usable(path, number, &format!("not a case record ({e})")))?;
        if let Some(problem) = record_problem(&record, &header.settings) {
            return Err(not_usable(path, number, &problem));
        }
        if !seen.insert(record.case) {
            return Err(not_usable(
                path,
                number,
                &format!("case {} is recorded twice", record.case),
            ));
        }
        complete_length += read as u64;
        records.push(record);
    }
    drop(reader);
    if complete_length < size {
        file.set_len(complete_length).map_err(|e| failed(&e))?;
    }
    if header_newline_missing {
        file.write_all(b"\n").map_err(|e| failed(&e))?;
        complete_length += 1;
    }
    let count = records.len();
    Ok((
        CheckpointWriter {
            file,
            length: complete_length,
            records: count,
            failure: None,
        },
        records,
    ))
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

/// Merges shard reports into the report of the whole campaign: the same records, statistics
/// recomputed in case order, so the result equals an unsharded run (timing aside).
///
/// Every report is validated: its format, a registered name, the same campaign as the first
/// (name, seed, cases, arithmetic), and each record a case of the campaign and of the report's
/// own shard, with a known verdict whose fields fit it; no case may appear twice, and none may
/// be missing. A report whose own statistics differ from those recomputed from its records is
/// merged all the same (the merged statistics are recomputed), and named in the returned
/// warnings. Messages name the reports `#1`, `#2`, … in the order given.
pub fn merge_reports(reports: &[CampaignReport]) -> Result<(CampaignReport, Vec<String>), String> {
    merge_reports_of(reports, &|name| crate::conjecture::find(name).is_some())
}

/// As [`merge_reports`], with `known` deciding which names are entries (the registered ones
/// and a crate's own, for `mlcsc::cli::run_with`).
pub fn merge_reports_of(
    reports: &[CampaignReport],
    known: &dyn Fn(&str) -> bool,
) -> Result<(CampaignReport, Vec<String>), String> {
    let first = reports.first().ok_or("merge needs at least one report")?;
    let mut records = Vec::new();
    let mut seconds = 0.0;
    let mut warnings = Vec::new();
    let mut owner: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for (k, report) in reports.iter().enumerate() {
        let number = k + 1;
        if report.format != CAMPAIGN_FORMAT && report.format != CAMPAIGN_FORMAT_1 {
            return Err(format!(
                "report #{number}: format {:?} is not {CAMPAIGN_FORMAT:?}",
                report.format
            ));
        }
        if !known(&report.conjecture) {
            return Err(format!(
                "report #{number}: {:?} is not a registered name (`mlcsc list` shows them)",
                report.conjecture
            ));
        }
        let (a, b) = (&report.settings, &first.settings);
        let same = report.conjecture == first.conjecture
            && a.seed == b.seed
            && a.cases == b.cases
            && a.arithmetic == b.arithmetic;
        if !same {
            let describe = |r: &CampaignReport| {
                format!(
                    "{} seed {} cases {} arithmetic {}",
                    r.conjecture,
                    r.settings.seed,
                    r.settings.cases,
                    match r.settings.arithmetic {
                        Arithmetic::Exact => "exact",
                        Arithmetic::F64 => "f64",
                    }
                )
            };
            return Err(format!(
                "report #{number} is of another campaign ({}) than report #1 ({})",
                describe(report),
                describe(first)
            ));
        }
        if report.records.len() as u64 > a.shard.cases_in(a.cases) {
            return Err(format!(
                "report #{number} holds {} records, more than the {} cases of its shard {}",
                report.records.len(),
                a.shard.cases_in(a.cases),
                a.shard.label()
            ));
        }
        for record in &report.records {
            if let Some(problem) = record_problem(record, a) {
                return Err(format!("report #{number}: {problem}"));
            }
            if let Some(other) = owner.insert(record.case, number) {
                return Err(if other == number {
                    format!("report #{number} holds case {} twice", record.case)
                } else {
                    format!(
                        "reports #{other} and #{number} both hold case {}: shards overlap",
                        record.case
                    )
                });
            }
        }
        let mut own = report.records.clone();
        own.sort_by_key(|r| r.case);
        let recomputed = Statistics::from_records(&own);
        if recomputed != report.statistics {
            warnings.push(format!(
                "report #{number}: its statistics differ from those recomputed from its records (cases {} written, {} recomputed; violated {} written, {} recomputed); the merged report counts the records",
                report.statistics.cases,
                recomputed.cases,
                report.statistics.violated,
                recomputed.violated
            ));
        }
        records.extend(own);
        seconds += report.seconds;
    }
    records.sort_by_key(|r| r.case);
    if records.len() as u64 != first.settings.cases {
        return Err(format!(
            "the reports hold {} of the campaign's {} cases: a shard is missing",
            records.len(),
            first.settings.cases
        ));
    }
    Ok((
        CampaignReport {
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
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_named_from_one_and_the_earlier_form_is_still_read() {
        let shard = Shard::parse("2/4").expect("valid");
        assert_eq!(shard, Shard { index: 1, count: 4 });
        assert_eq!(shard.label(), "2/4");
        assert_eq!(serde_json::to_string(&shard).expect("json"), "\"2/4\"");
        for bad in ["0/4", "5/4", "1/0", "x/2", "2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        let old: Shard = serde_json::from_str(r#"{"index": 1, "count": 4}"#).expect("old form");
        assert_eq!(old, shard);
        for bad in [
            r#"{"index": 4, "count": 4}"#,
            r#"{"index": 0}"#,
            "\"0/3\"",
            "7",
        ] {
            assert!(serde_json::from_str::<Shard>(bad).is_err(), "{bad}");
        }
        assert_eq!(
            (0..10)
                .filter(|&k| Shard { index: 2, count: 3 }.contains(k))
                .count() as u64,
            Shard { index: 2, count: 3 }.cases_in(10)
        );
        assert_eq!(Shard { index: 5, count: 8 }.cases_in(5), 0);
        assert_eq!(
            Shard {
                index: 999,
                count: 1_000_000_000_000_000
            }
            .cases_in(1_000_000_000_000_000_000),
            1000
        );
    }

    #[test]
    fn a_report_is_never_a_checkpoint_header() {
        let header = r#"{"format":"mlcsc-campaign-2","conjecture":"theorem2-soft","settings":{"cases":5,"seed":7,"shard":"1/1","arithmetic":"exact"}}"#;
        serde_json::from_str::<CheckpointHeader>(header).expect("a header");
        let report = r#"{"format":"mlcsc-campaign-2","conjecture":"theorem2-soft","citation":"x","status":"theorem","settings":{"cases":5,"seed":7,"shard":"1/1","arithmetic":"exact"}}"#;
        let error = serde_json::from_str::<CheckpointHeader>(report).expect_err("a report");
        assert!(error.to_string().contains("unknown field"), "{error}");
    }
}
