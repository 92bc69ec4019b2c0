//! `mlcsc campaign NAME`: many generated cases, shards, checkpoints, shrunk counterexamples
//! (`mlcsc merge` is in `merge.rs`).

use std::path::{Path, PathBuf};

use crate::campaign::counterexamples::{self, SavedCounterexample};
use crate::campaign::report_stream::{ReportSpool, SpooledRecords};
use crate::campaign::{
    Arithmetic, CAMPAIGN_FORMAT, CampaignReport, CampaignSettings, SHRINK_CHECK_BUDGET, Shard,
    run_campaign_streamed,
};
use crate::conjecture::{Entry, ExpectedStatus};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::Entries;
use super::output::{
    CliError, check_output_file, check_output_folder, print_json, resolved_path, write_new_file,
};
use super::shard::{ShardChoice, process_environment};
use summary::print_campaign_text;

/// Arguments of `campaign`.
#[derive(Args, Debug)]
pub struct CampaignArgs {
    /// A registered name (`mlcsc list`).
    name: String,
    /// Number of cases of the whole (unsharded) campaign.
    #[arg(long, default_value_t = 1000)]
    cases: u64,
    /// Master seed: case k is generated from (seed, k) alone.
    #[arg(long, default_value_t = 2017)]
    seed: u64,
    /// Exact, or an f64 screen whose violations are re-decided exactly.
    #[arg(long, value_enum, default_value_t = Arithmetic::Exact)]
    arithmetic: Arithmetic,
    /// Run only shard I of N, counted from 1 (1/N … N/N: the cases k with k mod N = I − 1);
    /// `auto` (or `auto/N`) reads I and N from the job scheduler (Slurm, PBS, SGE, LSF job
    /// arrays, GNU parallel: docs/cluster.md).
    #[arg(long, value_parser = ShardChoice::parse)]
    shard: Option<ShardChoice>,
    /// Append finished cases here and resume from it after an interruption (locked while the
    /// campaign runs).
    #[arg(long)]
    checkpoint: Option<PathBuf>,
    /// Write the JSON report here (must not exist unless --overwrite).
    #[arg(long)]
    report: Option<PathBuf>,
    /// Replace an existing report file.
    #[arg(long)]
    overwrite: bool,
    /// A folder for shrunk counterexamples (never overwriting); default: `REPORT.counterexamples`
    /// next to --report, and none are saved without either.
    #[arg(long)]
    counterexamples: Option<PathBuf>,
    /// A new or empty folder for the pictures: each target's histogram
    /// (`histogram-NAME.svg`) and the events' rates (`events.svg`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// How many violating cases to shrink and save.
    #[arg(long, default_value_t = 1)]
    save: usize,
    /// The most exact checks one counterexample's shrink may spend (a shrink that stops at it
    /// says so).
    #[arg(long, default_value_t = SHRINK_CHECK_BUDGET)]
    shrink_budget: usize,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

/// A progress bar on a terminal (hidden otherwise).
pub fn progress_bar(total: u64, label: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>40} [{bar:30}] {pos}/{len} {rate} eta {eta}")
            .expect("valid template")
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&super::readable::rate(state.per_sec()));
                },
            )
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar
}

/// Shrinks and saves up to `limit` violating cases of a report, each shrink within `budget`
/// exact checks ([`crate::campaign::counterexamples::save_violations_within`]).
pub fn save_violations(
    conjecture: &Entry,
    report: &CampaignReport,
    directory: &Path,
    limit: usize,
    budget: usize,
) -> Result<Vec<SavedCounterexample>, CliError> {
    counterexamples::save_violations_within(conjecture, report, directory, limit, budget)
        .map_err(CliError::Input)
}

/// A fraction as a whole percentage (`94%`); `-` for a fraction of no case.
pub(crate) fn percent(fraction: f64) -> String {
    if fraction.is_finite() {
        format!("{:.0}%", 100.0 * fraction)
    } else {
        "-".into()
    }
}

/// The most cases one run decides. Memory does not grow with them (records are streamed to
/// disk), but the report does, by about 1.25 KB a case: 10^7 cases write about 12 GB, and
/// larger campaigns are split with `--shard`.
const MAX_CASES_PER_RUN: u64 = 10_000_000;

/// The default counterexample folder of a report: `REPORT.counterexamples` beside it.
fn counterexample_folder_of(report: &Path) -> PathBuf {
    let mut name = report
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".counterexamples");
    report.with_file_name(name)
}

/// The exit code of a campaign: 1 for a counterexample to a theorem or open conjecture, or a
/// known-false statement left unrefuted; else 3 when some case is undecided; else 0.
fn exit_code(status: ExpectedStatus, violated: usize, undecided: usize) -> i32 {
    let known_false = status == ExpectedStatus::KnownFalse;
    if known_false && violated > 0 {
        0
    } else if violated > 0 {
        1
    } else if undecided > 0 {
        3
    } else if known_false {
        1
    } else {
        0
    }
}

/// Writes the report (when asked), and only then runs `save`, the saving of counterexamples:
/// a failure there is returned beside the results, and never costs the report. The report's
/// records are those of `spooled` when given (a campaign's, streamed from disk), else its own.
fn write_report_then_save<T>(
    report: &CampaignReport,
    spooled: Option<&mut SpooledRecords>,
    path: Option<&Path>,
    overwrite: bool,
    save: impl FnOnce() -> Result<Vec<T>, CliError>,
) -> Result<(Vec<T>, Option<CliError>), CliError> {
    if let Some(path) = path {
        match spooled {
            Some(spooled) => {
                write_streamed(path, overwrite, |out| spooled.write_report(report, out))?
            }
            None => {
                let text = serde_json::to_string_pretty(report).expect("reports serialise");
                write_new_file(path, &text, overwrite)?;
            }
        }
    }
    Ok(match save() {
        Ok(saved) => (saved, None),
        Err(e) => (Vec::new(), Some(e)),
    })
}

/// As `write_new_file`, with the content written as a stream by `fill`.
fn write_streamed(
    path: &Path,
    overwrite: bool,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| CliError::Input(format!("{}: {e}", parent.display())))?;
    }
    crate::io::write_atomically_with(path, overwrite, |file| fill(file)).map_err(CliError::Input)
}

/// The folder of a file given on the command line (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Runs the campaign, its records streamed into a spool beside the report (or in the
/// temporary folder without one): the report without its records, and the records.
fn run_streamed(
    conjecture: &Entry,
    settings: CampaignSettings,
    args: &CampaignArgs,
    progress: &(dyn Fn() + Sync),
) -> Result<(CampaignReport, SpooledRecords), String> {
    let folder = match &args.report {
        Some(report) => {
            let folder = folder_of(report);
            std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
            folder.to_path_buf()
        }
        None => std::env::temp_dir(),
    };
    let mut spool = ReportSpool::new(&folder, args.report.is_some())?;
    let seconds = run_campaign_streamed(
        conjecture,
        settings,
        args.checkpoint.as_deref(),
        progress,
        &mut |record| spool.add(record),
    )?;
    let (statistics, spooled) = spool.finish()?;
    let report = CampaignReport {
        format: CAMPAIGN_FORMAT.into(),
        conjecture: conjecture.name().into(),
        citation: conjecture.citation().into(),
        status: conjecture.status().name().into(),
        settings,
        statistics,
        seconds,
        records: Vec::new(),
    };
    Ok((report, spooled))
}

/// The settings of a campaign, and the number of cases of this run (its shard), refused when
/// there are none or more than one run may decide.
fn campaign_settings(args: &CampaignArgs) -> Result<(CampaignSettings, u64), CliError> {
    if args.cases == 0 {
        return Err(CliError::Input(
            "--cases 0: a campaign needs at least one case".into(),
        ));
    }
    let shard = match args.shard {
        Some(choice) => choice
            .resolve(&process_environment())
            .map_err(CliError::Input)?,
        None => Shard::WHOLE,
    };
    let settings = CampaignSettings {
        cases: args.cases,
        seed: args.seed,
        shard,
        arithmetic: args.arithmetic,
    };
    let shard_cases = settings.shard.cases_in(settings.cases);
    if shard_cases > MAX_CASES_PER_RUN {
        return Err(CliError::Input(format!(
            "--cases {}: this run would decide {shard_cases} cases, more than the {MAX_CASES_PER_RUN} of one run (its report would take about 1.25 KB a case); split it with --shard I/N",
            settings.cases
        )));
    }
    Ok((settings, shard_cases))
}

/// Checks every output path of `campaign` before any case is run; returns the folder of the
/// counterexamples (`--counterexamples`, else beside `--report`).
fn checked_output_paths(args: &CampaignArgs) -> Result<Option<PathBuf>, CliError> {
    if let Some(path) = &args.report {
        check_output_file(path, "--report", Some(args.overwrite))?;
    }
    if let Some(path) = &args.checkpoint {
        check_output_file(path, "--checkpoint", Some(true))?;
    }
    if let (Some(report), Some(checkpoint)) = (&args.report, &args.checkpoint)
        && resolved_path(report) == resolved_path(checkpoint)
    {
        return Err(CliError::Input(format!(
            "--report {} and --checkpoint {} are the same file; give two paths",
            report.display(),
            checkpoint.display()
        )));
    }
    if let Some(folder) = &args.out {
        check_output_folder(folder, "--out", true)?;
    }
    let counterexamples = match (&args.counterexamples, &args.report) {
        (Some(folder), _) => Some(folder.clone()),
        (None, Some(report)) => Some(counterexample_folder_of(report)),
        (None, None) => None,
    };
    if let Some(folder) = counterexamples.as_ref().filter(|_| args.save > 0) {
        check_output_folder(folder, "--counterexamples", false)?;
        for (flag, file) in [
            ("--report", &args.report),
            ("--checkpoint", &args.checkpoint),
        ] {
            if let Some(file) = file
                && resolved_path(file) == resolved_path(folder)
            {
                return Err(CliError::Input(format!(
                    "--counterexamples {} and {flag} {} are the same path; give two paths",
                    folder.display(),
                    file.display()
                )));
            }
        }
    }
    Ok(counterexamples)
}

/// `mlcsc campaign NAME`.
pub fn run(entries: &Entries<'_>, args: CampaignArgs) -> Result<i32, CliError> {
    let conjecture = entries.find_or_refuse(&args.name, &format!("{:?}", args.name))?;
    let (settings, shard_cases) = campaign_settings(&args)?;
    let counterexamples = checked_output_paths(&args)?;
    let bar = progress_bar(shard_cases, conjecture.name());
    let (report, mut spooled) =
        run_streamed(conjecture, settings, &args, &|| bar.inc(1)).map_err(|e| {
            bar.finish_and_clear();
            CliError::Input(e)
        })?;
    bar.finish_and_clear();
    let (saved, save_error) = write_report_then_save(
        &report,
        Some(&mut spooled),
        args.report.as_deref(),
        args.overwrite,
        || match &counterexamples {
            Some(folder) if args.save > 0 => {
                save_violations(conjecture, &report, folder, args.save, args.shrink_budget)
            }
            _ => Ok(Vec::new()),
        },
    )?;
    let pictures = match &args.out {
        Some(folder) => {
            campaign_plot::campaign_pictures(folder, &report).map_err(CliError::Input)?
        }
        None => Vec::new(),
    };
    let s = &report.statistics;
    let cases_text = if settings.shard == Shard::WHOLE {
        format!("{} cases", s.cases)
    } else {
        format!(
            "shard {}: {} of {} cases",
            settings.shard.label(),
            s.cases,
            settings.cases
        )
    };
    if args.json {
        print_json(&serde_json::json!({
            "conjecture": report.conjecture,
            "status": report.status,
            "settings": report.settings,
            "statistics": s,
            "seconds": report.seconds,
            "report": args.report.as_ref().map(|p| p.display().to_string()),
            "counterexamples": saved.iter().map(|s| s.path.display().to_string()).collect::<Vec<_>>(),
            "pictures": pictures.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "shrunk-counterexamples": saved.iter().map(saved_json).collect::<Vec<_>>(),
        }));
    } else {
        print_campaign_text(
            &report,
            &args,
            &saved,
            &pictures,
            &cases_text,
            counterexamples.is_some(),
        );
    }
    if let Some(error) = save_error {
        return Err(CliError::Input(format!(
            "saving a counterexample failed: {error}{}",
            match &args.report {
                Some(path) => format!(" (the report {} was written)", path.display()),
                None => String::new(),
            }
        )));
    }
    Ok(exit_code(conjecture.status(), s.violated, s.undecided))
}

#[path = "campaign_plot.rs"]
mod campaign_plot;

#[path = "campaign_summary.rs"]
mod summary;
pub use summary::saved_json;

#[cfg(test)]
#[path = "campaign_tests.rs"]
mod tests;
