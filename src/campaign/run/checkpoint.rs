//! The checkpoint of a campaign: a header line and then one record per finished case.
//!
//! While a campaign runs it holds an exclusive advisory lock on its checkpoint, so a second
//! campaign on the same file is refused instead of mixing its records in. On resume every line
//! is validated: the header must be exactly a checkpoint header of the same campaign, and every
//! record must be a case of this campaign and shard, unique, valid by value, and match its
//! line's check ([`super::line_check`]); a sample is decided again. A bad line is an error
//! that names it. Only a last line without its newline (a run killed in the middle
//! of a write) is dropped, and its case is run again.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::Path;

use fs4::{FileExt, TryLockError};
use serde::{Deserialize, Serialize};

use super::done::{DoneCases, Place};
use super::line_check::{Check, split_check, with_check};
use super::recheck::{Recheck, chosen, recheck_records};
use super::rules::RecordRules;
use super::{CampaignSettings, format_problem};
use crate::campaign::record::CaseRecord;
use crate::conjecture::Entry;

/// What a checkpoint must hold: this campaign's header, and records of its entry.
pub(super) struct Expected<'a> {
    pub(super) header: &'a CheckpointHeader,
    pub(super) entry: &'a Entry,
    pub(super) rules: &'a RecordRules,
}

/// The first line of a checkpoint. Unknown fields are refused, so no other JSON document (a
/// report above all) is ever taken for a checkpoint.
#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(super) struct CheckpointHeader {
    pub(super) format: String,
    pub(super) conjecture: String,
    pub(super) settings: CampaignSettings,
}

/// The message of a checkpoint that cannot be used as it is.
fn not_usable(path: &Path, line: usize, why: &str) -> String {
    format!(
        "checkpoint {} line {line}: {why}; the file was not changed. It was edited, or written by another program: fix or delete that line, or use another checkpoint",
        path.display()
    )
}

/// An open, locked checkpoint, appended to as cases finish.
pub(super) struct CheckpointWriter {
    pub(super) file: File,
    /// The length of its complete lines.
    length: u64,
    /// Records in it.
    records: usize,
    /// The first failed write: every later write is refused with it.
    failure: Option<String>,
}

impl CheckpointWriter {
    fn new(file: File, length: u64, records: usize) -> Self {
        CheckpointWriter {
            file,
            length,
            records,
            failure: None,
        }
    }

    pub(super) fn append(&mut self, path: &Path, record: &CaseRecord) -> Result<(), String> {
        if let Some(failure) = &self.failure {
            return Err(failure.clone());
        }
        let mut line = with_check(&serde_json::to_string(record).expect("records serialise"));
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
pub(super) fn open_checkpoint(
    path: &Path,
    expected: &Expected<'_>,
) -> Result<(CheckpointWriter, DoneCases), String> {
    let header = expected.header;
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
                return resume(path, file, expected, &header_line);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A new checkpoint appears complete with its header, already locked.
                let folder = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                let mut temporary = crate::io::partial_file(folder).map_err(|e| failed(&e))?;
                temporary
                    .write_all(header_line.as_bytes())
                    .and_then(|()| temporary.as_file().sync_all())
                    .map_err(|e| failed(&e))?;
                lock(temporary.as_file(), path)?;
                match temporary.persist_noclobber(path) {
                    Ok(file) => {
                        let length = header_line.len() as u64;
                        return Ok((CheckpointWriter::new(file, length, 0), DoneCases::default()));
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

/// Reads a locked existing checkpoint: header, records, and a torn last line (dropped). Every
/// record is validated by value, and a sample re-decided ([`super::recheck`]).
fn resume(
    path: &Path,
    mut file: File,
    expected: &Expected<'_>,
    header_line: &str,
) -> Result<(CheckpointWriter, DoneCases), String> {
    let failed = |e: &dyn std::fmt::Display| format!("checkpoint {}: {e}", path.display());
    let size = file.metadata().map_err(|e| failed(&e))?.len();
    if size == 0 {
        // A checkpoint the user created empty (or an earlier version left behind): it holds
        // no case, and gets its header in place.
        file.write_all(header_line.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| failed(&e))?;
        let length = header_line.len() as u64;
        return Ok((CheckpointWriter::new(file, length, 0), DoneCases::default()));
    }
    file.seek(SeekFrom::Start(0)).map_err(|e| failed(&e))?;
    let read = read_records(path, &file, expected)?;
    if read.complete_length < size {
        file.set_len(read.complete_length).map_err(|e| failed(&e))?;
    }
    let mut length = read.complete_length;
    if read.header_newline_missing {
        file.write_all(b"\n").map_err(|e| failed(&e))?;
        length += 1;
    }
    let mut places = read.places;
    places.sort_unstable();
    if let Some(twice) = places.windows(2).find(|w| w[0].case == w[1].case) {
        return Err(not_usable(
            path,
            twice[1].line.max(twice[0].line),
            &format!(
                "case {} is recorded twice (lines {} and {})",
                twice[0].case,
                twice[0].line.min(twice[1].line),
                twice[0].line.max(twice[1].line)
            ),
        ));
    }
    let mut done = DoneCases::new(places, path)?;
    recheck_sample(path, &mut done, expected)?;
    let count = done.len();
    Ok((CheckpointWriter::new(file, length, count), done))
}

/// What [`read_records`] found.
struct ReadRecords {
    places: Vec<Place>,
    complete_length: u64,
    header_newline_missing: bool,
}

/// Reads the header and validates every complete record line, keeping only where each is.
fn read_records(path: &Path, file: &File, expected: &Expected<'_>) -> Result<ReadRecords, String> {
    let failed = |e: &dyn std::fmt::Display| format!("checkpoint {}: {e}", path.display());
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut number = 0usize;
    let mut read = ReadRecords {
        places: Vec::new(),
        complete_length: 0,
        header_newline_missing: false,
    };
    loop {
        line.clear();
        let length = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| failed(&e))?;
        if length == 0 {
            break;
        }
        number += 1;
        let complete = line.last() == Some(&b'\n');
        if number == 1 {
            check_header(path, &line, expected.header)?;
            read.header_newline_missing = !complete;
            read.complete_length = length as u64;
            continue;
        }
        if !complete {
            // A write cut by a kill: dropped (never completed nor padded), and its case rerun.
            break;
        }
        let not_record = |e: &dyn std::fmt::Display| {
            not_usable(path, number, &format!("not a case record ({e})"))
        };
        let text = std::str::from_utf8(&line[..line.len() - 1]).map_err(|e| not_record(&e))?;
        let (text, check) = split_check(text);
        let record: CaseRecord = serde_json::from_str(&text).map_err(|e| not_record(&e))?;
        if let Some(problem) = expected.rules.problem(&record, &expected.header.settings) {
            return Err(not_usable(path, number, &problem));
        }
        if check == Check::Differs {
            return Err(not_usable(
                path,
                number,
                &format!(
                    "case {}: the line's check does not match its content, so it changed after it was written",
                    record.case
                ),
            ));
        }
        read.places.push(Place {
            case: record.case,
            offset: read.complete_length,
            line: number,
        });
        read.complete_length += length as u64;
    }
    Ok(read)
}

/// The header line must be that of this campaign, in this format.
fn check_header(path: &Path, line: &[u8], header: &CheckpointHeader) -> Result<(), String> {
    // The format first: a header of an earlier format may not parse as this one's.
    let format = serde_json::from_slice::<serde_json::Value>(line)
        .ok()
        .and_then(|value| value.get("format")?.as_str().map(str::to_string));
    if let Some(problem) = format.as_deref().and_then(format_problem) {
        return Err(format!("checkpoint {}: {problem}", path.display()));
    }
    let found: CheckpointHeader = serde_json::from_slice(line).map_err(|e| {
        format!(
            "checkpoint {}: not a checkpoint of mlcsc: its first line is not a checkpoint header ({e}); a campaign report is not a checkpoint. Give a new path, or a checkpoint written by `mlcsc campaign --checkpoint`",
            path.display()
        )
    })?;
    if found.conjecture != header.conjecture || found.settings != header.settings {
        return Err(format!(
            "checkpoint {} belongs to another campaign ({}, format {}), not to this one ({}); use another file",
            path.display(),
            found.settings.describe(&found.conjecture),
            found.format,
            header.settings.describe(&header.conjecture),
        ));
    }
    Ok(())
}

/// Re-decides a sample of the checkpoint's records, chosen from the seed; a record that
/// differs from its case is refused with its line.
fn recheck_sample(
    path: &Path,
    done: &mut DoneCases,
    expected: &Expected<'_>,
) -> Result<(), String> {
    let settings = &expected.header.settings;
    let places = done.places().to_vec();
    let cases: Vec<u64> = places.iter().map(|p| p.case).collect();
    // In batches, so that memory holds a batch of the sample (1 % of a large checkpoint is
    // many records), not all of it.
    for batch in chosen(settings, Recheck::Sample, &cases).chunks(4096) {
        let mut sample = Vec::with_capacity(batch.len());
        for &k in batch {
            sample.push((places[k].line, done.read(places[k].case)?));
        }
        recheck_records(expected.entry, settings, sample)
            .map_err(|(line, why)| not_usable(path, line, &why))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_never_a_checkpoint_header() {
        let header = r#"{"format":"mlcsc-campaign-3","conjecture":"theorem2-soft","settings":{"cases":5,"seed":7,"shard":"1/1","arithmetic":"exact"}}"#;
        serde_json::from_str::<CheckpointHeader>(header).expect("a header");
        let report = r#"{"format":"mlcsc-campaign-3","conjecture":"theorem2-soft","citation":"x","status":"theorem","settings":{"cases":5,"seed":7,"shard":"1/1","arithmetic":"exact"}}"#;
        let error = serde_json::from_str::<CheckpointHeader>(report).expect_err("a report");
        assert!(error.to_string().contains("unknown field"), "{error}");
    }
}
