//! `mlcsc merge`: shard reports (or a folder of them) into the report of the whole campaign,
//! every record checked by value and a sample (or all) decided again
//! ([`crate::campaign::merge_reports_of`]).

use std::path::{Path, PathBuf};

use clap::Args;

use super::Entries;
use super::output::{
    CliError, check_output_file, outln, print_json, resolved_path, write_new_file,
};
use crate::campaign::{CampaignReport, Recheck, merge_reports_of};

/// Arguments of `merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Shard reports, or a folder holding them (its `*.json` files).
    #[arg(required = true)]
    reports: Vec<PathBuf>,
    /// The merged report (must not exist unless --overwrite).
    #[arg(long)]
    report: PathBuf,
    /// Replace an existing report file.
    #[arg(long)]
    overwrite: bool,
    /// How many records to decide again: a sample (at least 64 or 1 %, chosen from the seed),
    /// or all.
    #[arg(long, value_enum, default_value_t = Recheck::Sample)]
    recheck: Recheck,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

/// The report files named: each file given, and the `*.json` files of each folder given, in
/// name order (the merged report itself left out).
fn report_files(given: &[PathBuf], out: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut paths = Vec::new();
    for path in given {
        if !std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            paths.push(path.clone());
            continue;
        }
        let read_error = |e: std::io::Error| CliError::Input(format!("{}: {e}", path.display()));
        let mut found: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(read_error)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
            .filter(|p| resolved_path(p) != resolved_path(out))
            .collect();
        if found.is_empty() {
            return Err(CliError::Input(format!(
                "{}: a folder, not a regular file, and it holds no .json file: no shard report to merge",
                path.display()
            )));
        }
        found.sort();
        paths.extend(found);
    }
    Ok(paths)
}

/// Reads a campaign report, with the line (from 1) where each of its records starts.
fn read_report(path: &Path) -> Result<(CampaignReport, Vec<usize>), CliError> {
    #[derive(serde::Deserialize)]
    struct Records<'a> {
        #[serde(borrow)]
        records: Vec<&'a serde_json::value::RawValue>,
    }
    let read_error = |e: std::io::Error| CliError::Input(format!("{}: {e}", path.display()));
    if !std::fs::metadata(path).map_err(read_error)?.is_file() {
        return Err(CliError::Input(format!(
            "{}: not a regular file, so not a campaign report",
            path.display()
        )));
    }
    let text = std::fs::read_to_string(path).map_err(read_error)?;
    let not_report = |e: serde_json::Error| {
        CliError::Input(format!("{}: not a campaign report: {e}", path.display()))
    };
    let report: CampaignReport = serde_json::from_str(&text).map_err(not_report)?;
    let raw: Records<'_> = serde_json::from_str(&text).map_err(not_report)?;
    let start = text.as_ptr() as usize;
    let mut lines = Vec::with_capacity(raw.records.len());
    let (mut line, mut counted) = (1, 0);
    for record in raw.records {
        let at = record.get().as_ptr() as usize - start;
        line += text.as_bytes()[counted..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted = at;
        lines.push(line);
    }
    Ok((report, lines))
}

/// Runs `merge`.
pub fn run(entries: &Entries<'_>, args: MergeArgs) -> Result<i32, CliError> {
    let out = args.report.as_path();
    check_output_file(out, "--report", Some(args.overwrite))?;
    let paths = report_files(&args.reports, out)?;
    let mut reports = Vec::new();
    let mut record_lines = Vec::new();
    for path in &paths {
        if resolved_path(path) == resolved_path(out) {
            return Err(CliError::Input(format!(
                "--report {} is one of the reports being merged; give a new path",
                out.display()
            )));
        }
        let (report, lines) = read_report(path)?;
        reports.push(report);
        record_lines.push(lines);
    }
    let (merged, warnings) = merge_reports_of(
        &reports,
        &|name| entries.find(name),
        args.recheck,
        &record_lines,
    )
    .map_err(|e| CliError::Input(name_reports(&e, &paths)))?;
    for warning in &warnings {
        crate::cli::output::write_error_line(&format!(
            "mlcsc: warning: {}",
            name_reports(warning, &paths)
        ));
    }
    let text = serde_json::to_string_pretty(&merged).expect("reports serialise");
    write_new_file(out, &text, args.overwrite)?;
    if args.json {
        print_json(
            &serde_json::json!({ "report": out.display().to_string(), "statistics": merged.statistics, "warnings": warnings }),
        );
    } else {
        outln!(
            "merged {} reports into {} ({} cases)",
            paths.len(),
            out.display(),
            merged.statistics.cases
        );
    }
    Ok(0)
}

/// A message of [`merge_reports`], whose `#K` (the K-th report, from 1) become file names.
fn name_reports(message: &str, paths: &[PathBuf]) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..at]);
        let digits: String = rest[at + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        match digits
            .parse::<usize>()
            .ok()
            .and_then(|k| k.checked_sub(1))
            .and_then(|k| paths.get(k))
        {
            Some(path) => out.push_str(&path.display().to_string()),
            None => out.push_str(&rest[at..at + 1 + digits.len()]),
        }
        rest = &rest[at + 1 + digits.len()..];
    }
    out.push_str(rest);
    out
}
