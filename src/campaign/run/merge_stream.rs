//! Merging shard report files as streams, in memory that does not grow with the records:
//! the same checks and the same merged report as [`super::merge_reports_of`], for a thousand
//! shards of any size. Memory holds each report's head and one record of each, the sample of
//! cases re-decided (1 %), and one chunk of records being re-decided.
//!
//! The reports are read several times: once each on its own (every record checked by value,
//! its records in case order, its statistics recomputed in two passes), then merged in case
//! order (overlaps and missing cases, the merged statistics in two passes, the re-check),
//! and once more to write the merged report. Records must be in case order within a report,
//! as `mlcsc campaign` writes them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::merge::{check_record_count, check_report};
use super::merge_order::{MergedRecords, Place};
use super::recheck::{Recheck, chosen_cases, recheck_records};
use super::{CAMPAIGN_FORMAT, CampaignReport, CampaignSettings, RecordRules, Shard};
use crate::campaign::record::CaseRecord;
use crate::campaign::report_reader::ReportFile;
use crate::campaign::report_stream::write_report_with;
use crate::campaign::statistics::StatisticsBuilder;
use crate::conjecture::Entry;

/// How many records are re-decided together (in parallel).
const RECHECK_CHUNK: usize = 4096;

/// Shard reports checked and ready to be written as one.
pub struct MergedFiles {
    files: Vec<ReportFile>,
    /// The merged report without its records.
    pub head: CampaignReport,
    /// Reports whose own statistics are not those of their records (`#K` names report K).
    pub warnings: Vec<String>,
}

/// Merges the shard reports at `paths` (messages name them `#1`, `#2`, … in this order):
/// the checks of [`super::merge_reports_of`], done as streams.
pub fn merge_report_files<'a>(
    paths: &[PathBuf],
    find: &dyn Fn(&str) -> Option<&'a Entry>,
    recheck: Recheck,
) -> Result<MergedFiles, String> {
    let files = paths
        .iter()
        .map(|path| ReportFile::open(path))
        .collect::<Result<Vec<_>, String>>()?;
    let first = &files.first().ok_or("merge needs at least one report")?.head;
    let entry = find_entry(find, first)?;
    for (k, file) in files.iter().enumerate() {
        check_report(&file.head, first, k + 1, entry)?;
    }
    let rules = RecordRules::of(entry, first.settings.arithmetic);
    let mut warnings = Vec::new();
    let mut held = 0u64;
    for (k, file) in files.iter().enumerate() {
        let (records, warning) = check_records(file, k + 1, &rules)?;
        held += records;
        warnings.extend(warning);
    }
    check_distinct_shards(&files)?;
    let settings = CampaignSettings {
        shard: Shard::WHOLE,
        ..first.settings
    };
    if held != settings.cases {
        return Err(missing_message(&files, held)?);
    }
    let statistics = merged_statistics(&files, entry, &settings, recheck)?;
    let head = CampaignReport {
        format: CAMPAIGN_FORMAT.into(),
        conjecture: first.conjecture.clone(),
        citation: first.citation.clone(),
        status: first.status.clone(),
        settings,
        statistics,
        seconds: files.iter().map(|f| f.head.seconds).sum(),
        records: Vec::new(),
    };
    Ok(MergedFiles {
        files,
        head,
        warnings,
    })
}

impl MergedFiles {
    /// Writes the merged report, its records read again from the shards in case order:
    /// byte for byte what `serde_json::to_string_pretty` writes for the whole report.
    pub fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut merged = MergedRecords::open(&self.files).map_err(std::io::Error::other)?;
        write_report_with(&self.head, out, &mut |write| {
            while let Some((_, record)) = merged.next_record().map_err(std::io::Error::other)? {
                write(&record)?;
            }
            Ok(())
        })
    }
}

/// The entry named by a report.
fn find_entry<'a>(
    find: &dyn Fn(&str) -> Option<&'a Entry>,
    first: &CampaignReport,
) -> Result<&'a Entry, String> {
    find(&first.conjecture).ok_or_else(|| {
        format!(
            "report #1: {:?} is not a registered name (`mlcsc list` shows them)",
            first.conjecture
        )
    })
}

/// No shard is given twice.
fn check_distinct_shards(files: &[ReportFile]) -> Result<(), String> {
    let mut seen: BTreeMap<(u64, u64), usize> = BTreeMap::new();
    for (k, file) in files.iter().enumerate() {
        let shard = file.head.settings.shard;
        if let Some(earlier) = seen.insert((shard.count, shard.index), k + 1) {
            return Err(format!(
                "reports #{earlier} and #{} are both shard {}: shards overlap (a shard given twice)",
                k + 1,
                shard.label()
            ));
        }
    }
    Ok(())
}

/// Checks every record of one report by value and its case order, and compares its
/// statistics with those of its records: how many records it holds, and a warning when they
/// differ.
fn check_records(
    file: &ReportFile,
    number: usize,
    rules: &RecordRules,
) -> Result<(u64, Option<String>), String> {
    let report = &file.head;
    let named = |e: String| format!("report #{number} {e}");
    let mut stream = file.records().map_err(named)?;
    let mut builder = StatisticsBuilder::default();
    let mut previous: Option<u64> = None;
    let mut records = 0usize;
    while let Some((line, record)) = stream.next_record().map_err(named)? {
        if let Some(problem) = rules.problem(&record, &report.settings) {
            return Err(format!("report #{number} line {line}: {problem}"));
        }
        match previous {
            Some(before) if before == record.case => {
                return Err(format!("report #{number} holds case {before} twice"));
            }
            Some(before) if before > record.case => {
                return Err(format!(
                    "report #{number} line {line}: case {} comes after case {before}: the records are not in case order, as mlcsc writes them (the report was edited)",
                    record.case
                ));
            }
            _ => previous = Some(record.case),
        }
        builder.add(&record);
        records += 1;
        check_record_count(report, records, number)?;
    }
    let mut histograms = builder.histograms();
    let mut stream = file.records().map_err(named)?;
    while let Some((_, record)) = stream.next_record().map_err(named)? {
        histograms.add(&record);
    }
    let recomputed = builder.finish(histograms);
    let warning = (recomputed != report.statistics).then(|| {
        format!(
            "report #{number}: its statistics differ from those recomputed from its records (cases {} written, {} recomputed; violated {} written, {} recomputed); the merged report counts the records",
            report.statistics.cases, recomputed.cases, report.statistics.violated, recomputed.violated
        )
    });
    Ok((records as u64, warning))
}

/// The statistics of all the records in case order (two passes), re-deciding the chosen
/// ones on the way, a chunk at a time; a mismatch names the first record (by report and
/// line) that differs.
fn merged_statistics(
    files: &[ReportFile],
    entry: &Entry,
    settings: &CampaignSettings,
    recheck: Recheck,
) -> Result<crate::campaign::Statistics, String> {
    let chosen = chosen_cases(settings, recheck, settings.cases);
    let mut builder = StatisticsBuilder::default();
    let mut chunk: Vec<(Place, CaseRecord)> = Vec::new();
    let mut first_mismatch: Option<(Place, String)> = None;
    let mut recheck_chunk = |chunk: &mut Vec<(Place, CaseRecord)>| {
        if let Err(mismatch) = recheck_records(entry, settings, std::mem::take(chunk)) {
            if first_mismatch.as_ref().is_none_or(|m| mismatch.0 < m.0) {
                first_mismatch = Some(mismatch);
            }
        }
    };
    let mut merged = MergedRecords::open(files)?;
    while let Some((place, record)) = merged.next_record()? {
        builder.add(&record);
        let wanted = chosen
            .as_ref()
            .is_none_or(|c| c.binary_search(&record.case).is_ok());
        if wanted {
            chunk.push((place, record));
            if chunk.len() == RECHECK_CHUNK {
                recheck_chunk(&mut chunk);
            }
        }
    }
    recheck_chunk(&mut chunk);
    if let Some(((number, line), why)) = first_mismatch {
        return Err(format!("report #{number} line {line}: {why}"));
    }
    let mut histograms = builder.histograms();
    let mut merged = MergedRecords::open(files)?;
    while let Some((_, record)) = merged.next_record()? {
        histograms.add(&record);
    }
    Ok(builder.finish(histograms))
}

/// Why the reports do not hold every case: which reports overlap, or which shards are
/// missing and the first cases missing (found in a pass over the merged records).
fn missing_message(files: &[ReportFile], held: u64) -> Result<String, String> {
    let first = &files[0].head;
    let cases = first.settings.cases;
    let mut absent_cases = Vec::new();
    let mut expected = 0u64;
    let mut merged = MergedRecords::open(files)?;
    while let Some((_, record)) = merged.next_record()? {
        absent_cases.extend((expected..record.case.min(cases)).take(5 - absent_cases.len()));
        expected = record.case + 1;
    }
    absent_cases.extend((expected..cases).take(5 - absent_cases.len()));
    let shards: Vec<Shard> = files.iter().map(|f| f.head.settings.shard).collect();
    Ok(format!(
        "the reports hold {held} of the campaign's {cases} cases: a shard is missing{}; the first cases missing: {}",
        missing_shards(&shards, cases),
        absent_cases
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// ` (shards 2/4, 3/4 are missing)` when every report is a shard of one count, else empty.
fn missing_shards(shards: &[Shard], cases: u64) -> String {
    let count = shards[0].count;
    if shards.iter().any(|s| s.count != count) {
        return String::new();
    }
    let absent: Vec<String> = (0..count)
        .map(|index| Shard { index, count })
        .filter(|s| !shards.contains(s) && s.cases_in(cases) > 0)
        .take(20)
        .map(Shard::label)
        .collect();
    match absent.len() {
        0 => String::new(),
        1 => format!(" (shard {} is missing)", absent[0]),
        _ => format!(" (shards {} are missing)", absent.join(", ")),
    }
}
