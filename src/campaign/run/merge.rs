//! Merging shard reports into the report of the whole campaign.

use std::collections::BTreeSet;

use super::recheck::{Recheck, chosen, recheck_records};
use super::{
    Arithmetic, CAMPAIGN_FORMAT, CampaignReport, CampaignSettings, RecordRules, Shard,
    format_problem,
};
use crate::campaign::record::CaseRecord;
use crate::campaign::statistics::Statistics;
use crate::conjecture::Entry;

/// Merges shard reports into the report of the whole campaign: the same records, statistics
/// recomputed in case order, so the result equals an unsharded run (timing aside: its `seconds`
/// is the sum of the shards' seconds, the total work).
///
/// Every report is validated: its format, a registered name with that entry's status, the same
/// campaign as the first (name, seed, cases, arithmetic), and each record a case of the
/// campaign and of the report's own shard, checked by value (`RecordRules`); no case may appear
/// twice, and none may be missing. A sample of the records is then decided again
/// ([`super::recheck`]) and must match. A report whose own statistics differ from those
/// recomputed from its records is merged all the same (the merged statistics are recomputed),
/// and named in the returned warnings. Messages name the reports `#1`, `#2`, … in the order
/// given.
pub fn merge_reports(reports: &[CampaignReport]) -> Result<(CampaignReport, Vec<String>), String> {
    let entry = reports
        .first()
        .and_then(|r| crate::conjecture::find(&r.conjecture));
    merge_reports_of(
        reports,
        &|name| entry.as_deref().filter(|e| e.name() == name),
        Recheck::Sample,
        &[],
    )
}

/// As [`merge_reports`], with `find` giving the entry of a name (the registered ones and a
/// crate's own, for `mlcsc::cli::run_with`), `recheck` how many records to decide again, and
/// `record_lines[k][j]` the line of record `j` of report `k` in its file, for messages (empty
/// when not known).
pub fn merge_reports_of<'a>(
    reports: &[CampaignReport],
    find: &dyn Fn(&str) -> Option<&'a Entry>,
    recheck: Recheck,
    record_lines: &[Vec<usize>],
) -> Result<(CampaignReport, Vec<String>), String> {
    let first = reports.first().ok_or("merge needs at least one report")?;
    let entry = find(&first.conjecture).ok_or_else(|| {
        format!(
            "report #1: {:?} is not a registered name (`mlcsc list` shows them)",
            first.conjecture
        )
    })?;
    let rules = RecordRules::of(entry, first.settings.arithmetic);
    let mut records: Vec<((usize, usize), CaseRecord)> = Vec::new();
    let mut seconds = 0.0;
    let mut warnings = Vec::new();
    for (k, report) in reports.iter().enumerate() {
        let number = k + 1;
        check_report(report, first, number, entry)?;
        check_record_count(report, report.records.len(), number)?;
        let lines = record_lines
            .get(k)
            .filter(|l| l.len() == report.records.len());
        let place = |j: usize| match lines {
            Some(lines) => format!("report #{number} line {}", lines[j]),
            None => format!("report #{number} record {}", j + 1),
        };
        let mut own = Vec::with_capacity(report.records.len());
        for (j, record) in report.records.iter().enumerate() {
            let record = record.clone();
            if let Some(problem) = rules.problem(&record, &report.settings) {
                return Err(format!("{}: {problem}", place(j)));
            }
            own.push(((number, lines.map_or(j + 1, |l| l[j])), record));
        }
        own.sort_by_key(|(_, r)| r.case);
        if let Some(twice) = own.windows(2).find(|w| w[0].1.case == w[1].1.case) {
            return Err(format!(
                "report #{number} holds case {} twice",
                twice[0].1.case
            ));
        }
        if let Some(warning) = statistics_warning(report, &own, number) {
            warnings.push(warning);
        }
        records.extend(own);
        seconds += report.seconds;
    }
    records.sort_by_key(|(_, r)| r.case);
    check_complete(reports, &records)?;
    let settings = CampaignSettings {
        shard: Shard::WHOLE,
        ..first.settings
    };
    recheck_merged(entry, &settings, recheck, &records, record_lines.is_empty())?;
    let records: Vec<CaseRecord> = records.into_iter().map(|(_, r)| r).collect();
    Ok((
        CampaignReport {
            format: CAMPAIGN_FORMAT.into(),
            conjecture: first.conjecture.clone(),
            citation: first.citation.clone(),
            status: first.status.clone(),
            settings,
            statistics: Statistics::from_records(&records),
            seconds,
            records,
        },
        warnings,
    ))
}

/// The checks of one report's head: its format, its entry and status, and the same campaign
/// as the first report.
pub(super) fn check_report(
    report: &CampaignReport,
    first: &CampaignReport,
    number: usize,
    entry: &Entry,
) -> Result<(), String> {
    if let Some(problem) = format_problem(&report.format) {
        return Err(format!("report #{number}: {problem}"));
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
    if report.status != entry.status().name() {
        return Err(format!(
            "report #{number}: its status {:?} is not that of {} ({:?}); the report was edited",
            report.status,
            entry.name(),
            entry.status().name()
        ));
    }
    Ok(())
}

/// A report holds no more records than its shard has cases.
pub(super) fn check_record_count(
    report: &CampaignReport,
    records: usize,
    number: usize,
) -> Result<(), String> {
    let a = &report.settings;
    if records as u64 > a.shard.cases_in(a.cases) {
        return Err(format!(
            "report #{number} holds {records} records, more than the {} cases of its shard {}",
            a.shard.cases_in(a.cases),
            a.shard.label()
        ));
    }
    Ok(())
}

/// A warning when a report's own statistics are not those of its records.
fn statistics_warning(
    report: &CampaignReport,
    own: &[((usize, usize), CaseRecord)],
    number: usize,
) -> Option<String> {
    let own: Vec<CaseRecord> = own.iter().map(|(_, r)| r.clone()).collect();
    let recomputed = Statistics::from_records(&own);
    (recomputed != report.statistics).then(|| {
        format!(
            "report #{number}: its statistics differ from those recomputed from its records (cases {} written, {} recomputed; violated {} written, {} recomputed); the merged report counts the records",
            report.statistics.cases, recomputed.cases, report.statistics.violated, recomputed.violated
        )
    })
}

/// No two reports hold the same case, and together they hold every case; else which reports
/// overlap, or which shards are missing.
fn check_complete(
    reports: &[CampaignReport],
    records: &[((usize, usize), CaseRecord)],
) -> Result<(), String> {
    if let Some(w) = records.windows(2).find(|w| w[0].1.case == w[1].1.case) {
        return Err(format!(
            "reports #{} and #{} both hold case {}: shards overlap",
            w[0].0.0, w[1].0.0, w[0].1.case
        ));
    }
    let first = &reports[0];
    let cases = first.settings.cases;
    if records.len() as u64 == cases {
        return Ok(());
    }
    let counts: BTreeSet<u64> = reports.iter().map(|r| r.settings.shard.count).collect();
    let missing_shards = match counts.iter().collect::<Vec<_>>()[..] {
        [&count] => {
            let present: BTreeSet<u64> = reports.iter().map(|r| r.settings.shard.index).collect();
            let absent: Vec<String> = (0..count)
                .filter(|i| !present.contains(i) && Shard { index: *i, count }.cases_in(cases) > 0)
                .take(20)
                .map(|index| Shard { index, count }.label())
                .collect();
            if absent.is_empty() {
                String::new()
            } else {
                let (noun, verb) = if absent.len() == 1 {
                    ("shard", "is")
                } else {
                    ("shards", "are")
                };
                format!(" ({noun} {} {verb} missing)", absent.join(", "))
            }
        }
        _ => String::new(),
    };
    let held: BTreeSet<u64> = records.iter().map(|(_, r)| r.case).collect();
    let absent: Vec<String> = (0..cases)
        .filter(|c| !held.contains(c))
        .take(5)
        .map(|c| c.to_string())
        .collect();
    Err(format!(
        "the reports hold {} of the campaign's {cases} cases: a shard is missing{missing_shards}; the first cases missing: {}",
        records.len(),
        absent.join(", ")
    ))
}

/// Decides again the records [`chosen`] for `recheck`; a mismatch names its report and line.
fn recheck_merged(
    entry: &Entry,
    settings: &CampaignSettings,
    recheck: Recheck,
    records: &[((usize, usize), CaseRecord)],
    lines_unknown: bool,
) -> Result<(), String> {
    let cases: Vec<u64> = records.iter().map(|(_, r)| r.case).collect();
    let sample: Vec<((usize, usize), CaseRecord)> = chosen(settings, recheck, &cases)
        .into_iter()
        .map(|k| records[k].clone())
        .collect();
    recheck_records(entry, settings, sample)
        .map(|_| ())
        .map_err(|((number, line), why)| {
            if lines_unknown {
                format!("report #{number} record {line}: {why}")
            } else {
                format!("report #{number} line {line}: {why}")
            }
        })
}
