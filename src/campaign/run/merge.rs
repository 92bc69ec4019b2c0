//! Merging shard reports into the report of the whole campaign.

use super::{
    Arithmetic, CAMPAIGN_FORMAT, CampaignReport, CampaignSettings, EARLIER_FORMATS, Shard,
    readable_format, record_of_format, record_problem,
};
use crate::campaign::statistics::Statistics;

/// Merges shard reports into the report of the whole campaign: the same records, statistics
/// recomputed in case order, so the result equals an unsharded run (timing aside: its `seconds`
/// is the sum of the shards' seconds, the total work).
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
        if !readable_format(&report.format) {
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
        let mut own: Vec<_> = report
            .records
            .iter()
            .map(|r| record_of_format(r.clone(), &report.format))
            .collect();
        own.sort_by_key(|r| r.case);
        let recomputed = Statistics::from_records(&own);
        let written = if EARLIER_FORMATS.contains(&report.format.as_str()) {
            report.statistics.clone().from_earlier_format()
        } else {
            report.statistics.clone()
        };
        if recomputed != written {
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
