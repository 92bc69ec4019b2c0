//! `mlcsc merge`: shard reports (files, folders of them, or a glob such as
//! `'shards/*.json'`) into the report of the whole campaign, read and written as streams,
//! every record checked by value and a sample (or all) decided again
//! ([`crate::campaign::merge_report_files`]).

use std::path::{Path, PathBuf};

use clap::Args;

use super::Entries;
use super::output::{CliError, check_output_file, outln, print_json, resolved_path};
use crate::campaign::{Recheck, merge_report_files};

#[path = "merge_files.rs"]
mod files;

/// Arguments of `merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Shard reports, folders holding them (their `*.json` files), or globs in the file name
    /// (`'shards/shard-*.json'`, quoted so that mlcsc expands it: `*` and `?`).
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

/// Runs `merge`.
pub fn run(entries: &Entries<'_>, args: MergeArgs) -> Result<i32, CliError> {
    let out = args.report.as_path();
    check_output_file(out, "--report", Some(args.overwrite))?;
    let paths = files::report_files(&args.reports, out)?;
    for path in &paths {
        if resolved_path(path) == resolved_path(out) {
            return Err(CliError::Input(format!(
                "--report {} is one of the reports being merged; give a new path",
                out.display()
            )));
        }
    }
    let merged = merge_report_files(&paths, &|name| entries.find(name), args.recheck)
        .map_err(|e| CliError::Input(name_reports(&e, &paths)))?;
    for warning in &merged.warnings {
        crate::cli::output::write_error_line(&format!(
            "mlcsc: warning: {}",
            name_reports(warning, &paths)
        ));
    }
    write_merged(out, args.overwrite, &merged)?;
    let statistics = &merged.head.statistics;
    if args.json {
        print_json(
            &serde_json::json!({ "report": out.display().to_string(), "statistics": statistics, "warnings": merged.warnings }),
        );
    } else {
        outln!(
            "merged {} reports into {} ({} cases)",
            paths.len(),
            out.display(),
            statistics.cases
        );
    }
    Ok(0)
}

/// Writes the merged report atomically, as a stream.
fn write_merged(
    out: &Path,
    overwrite: bool,
    merged: &crate::campaign::MergedFiles,
) -> Result<(), CliError> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| CliError::Input(format!("{}: {e}", parent.display())))?;
    }
    crate::io::write_atomically_with(out, overwrite, |file| merged.write(file))
        .map_err(CliError::Input)
}

/// A message of [`merge_report_files`], whose `#K` (the K-th report, from 1) become file names.
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
