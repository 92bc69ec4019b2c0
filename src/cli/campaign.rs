//! `mlcsc campaign NAME` and `mlcsc merge`: many generated cases, shards, checkpoints,
//! shrunk counterexamples.

use super::output::outln;
use std::path::{Path, PathBuf};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use mlcsc::campaign::{
    Arithmetic, CampaignReport, CampaignSettings, Shard, merge_reports, run_campaign,
    save_counterexample, shrink_counterexample,
};
use mlcsc::conjecture::{Conjecture, find};
use mlcsc::generate::theorem2::case_rng;

use super::ArithmeticArg;
use super::output::{CliError, print_json, short, write_new_file};

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
    #[arg(long, value_enum, default_value_t = ArithmeticArg::Exact)]
    arithmetic: ArithmeticArg,
    /// Run only shard I of N (cases k with k mod N = I).
    #[arg(long, value_parser = Shard::parse)]
    shard: Option<Shard>,
    /// Append finished cases here and resume from it after an interruption.
    #[arg(long)]
    checkpoint: Option<PathBuf>,
    /// Write the JSON report here (must not exist unless --overwrite).
    #[arg(long)]
    report: Option<PathBuf>,
    /// Replace an existing report file.
    #[arg(long)]
    overwrite: bool,
    /// Where shrunk counterexamples are written (never overwriting).
    #[arg(long, default_value = "fixtures/counterexamples")]
    counterexamples: PathBuf,
    /// How many violating cases to shrink and save.
    #[arg(long, default_value_t = 1)]
    save: usize,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

/// A progress bar on a terminal (hidden otherwise).
pub fn progress_bar(total: u64, label: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>40} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar
}

/// Shrinks and saves up to `limit` violating cases of a report; returns the paths.
pub fn save_violations(
    conjecture: &dyn Conjecture,
    report: &CampaignReport,
    directory: &Path,
    limit: usize,
) -> Result<Vec<(PathBuf, usize)>, CliError> {
    let mut saved = Vec::new();
    for &case in report.statistics.violating_cases.iter().take(limit) {
        let mut rng = case_rng(report.settings.seed, case);
        let instance = conjecture.generate(&mut rng);
        let (mut shrunk, spent) = shrink_counterexample(conjecture, &instance);
        shrunk.name = format!(
            "{}-seed{}-case{case}",
            conjecture.name(),
            report.settings.seed
        );
        shrunk.source = format!(
            "mlcsc campaign {} --seed {} (case {case}), shrunk with {spent} exact checks",
            conjecture.name(),
            report.settings.seed
        );
        let path = save_counterexample(directory, &shrunk.name.clone(), &shrunk)
            .map_err(CliError::Input)?;
        saved.push((path, spent));
    }
    Ok(saved)
}

/// The most case records one run holds (a record takes a few hundred bytes, kept until the
/// report is written); larger campaigns are split with `--shard`.
const MAX_CASES_PER_RUN: u64 = 10_000_000;

/// The number of cases `k < cases` with `k mod count = index`.
fn cases_in_shard(cases: u64, shard: Shard) -> u64 {
    if cases <= shard.index {
        0
    } else {
        (cases - shard.index).div_ceil(shard.count)
    }
}

pub fn run(args: CampaignArgs) -> Result<i32, CliError> {
    let conjecture = find(&args.name).ok_or_else(|| {
        CliError::Input(format!(
            "{:?} is not registered; `mlcsc list` shows the names",
            args.name
        ))
    })?;
    if let Some(path) = &args.report
        && path.exists()
        && (!args.overwrite || path.is_dir())
    {
        // Refused before any case is run; a folder is never replaced, even with --overwrite.
        return Err(CliError::Input(format!(
            "--report {} exists{}; choose another path{}",
            path.display(),
            if path.is_dir() {
                " and is a folder"
            } else {
                ""
            },
            if path.is_dir() {
                ""
            } else {
                " or pass --overwrite"
            }
        )));
    }
    let settings = CampaignSettings {
        cases: args.cases,
        seed: args.seed,
        shard: args.shard.unwrap_or(Shard::WHOLE),
        arithmetic: match args.arithmetic {
            ArithmeticArg::Exact => Arithmetic::Exact,
            ArithmeticArg::F64 => Arithmetic::F64,
        },
    };
    let shard_cases = cases_in_shard(settings.cases, settings.shard);
    if shard_cases > MAX_CASES_PER_RUN {
        return Err(CliError::Input(format!(
            "--cases {}: this run would hold {shard_cases} case records, more than {MAX_CASES_PER_RUN} fit in memory; split it with --shard I/N",
            settings.cases
        )));
    }
    let bar = progress_bar(shard_cases, conjecture.name());
    if let Some(path) = &args.checkpoint
        && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
    {
        // An empty checkpoint holds no case (a run killed before its header was written): it
        // is started afresh rather than appended to without a header.
        std::fs::remove_file(path)
            .map_err(|e| CliError::Input(format!("checkpoint {}: {e}", path.display())))?;
    }
    let report = run_campaign(
        conjecture.as_ref(),
        settings,
        args.checkpoint.as_deref(),
        &|| bar.inc(1),
    )
    .map_err(CliError::Input)?;
    bar.finish_and_clear();
    let saved = save_violations(
        conjecture.as_ref(),
        &report,
        &args.counterexamples,
        args.save,
    )?;
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&report).expect("reports serialise");
        write_new_file(path, &text, args.overwrite)?;
    }
    let s = &report.statistics;
    if args.json {
        print_json(&serde_json::json!({
            "conjecture": report.conjecture,
            "status": report.status,
            "settings": report.settings,
            "statistics": s,
            "seconds": report.seconds,
            "counterexamples": saved.iter().map(|(p, _)| p.display().to_string()).collect::<Vec<_>>(),
        }));
    } else {
        outln!(
            "{} ({}), seed {}, {} cases",
            report.conjecture,
            report.status,
            settings.seed,
            s.cases
        );
        outln!(
            "  hypotheses met {} · holds {} · violated {} · undecided {} · certified {}",
            s.hypotheses_met,
            s.holds,
            s.violated,
            s.undecided,
            s.certified
        );
        for (hypothesis, count) in &s.vacuous {
            outln!("  vacuous by {hypothesis}: {count}");
        }
        for (name, fraction) in &s.coverage {
            outln!(
                "  among cases meeting the hypotheses, {name}: {:.0}%",
                100.0 * fraction
            );
        }
        if let Some(t) = s.largest_tightness {
            outln!("  largest tightness (observed / bound): {}", short(t));
        }
        for (layer, t) in &s.interference_tightness {
            outln!(
                "  largest tightness at {layer} where it interferes (s ≥ 2, μ > 0): {}",
                short(*t)
            );
        }
        for (path, spent) in &saved {
            outln!(
                "  counterexample shrunk with {spent} checks: {}",
                path.display()
            );
        }
        outln!("  {:.2} s", report.seconds);
    }
    let failed = match conjecture.status() {
        mlcsc::conjecture::ExpectedStatus::Theorem => s.violated > 0 || s.undecided > 0,
        _ => false,
    };
    Ok(
        if failed || (s.violated > 0 && report.status != "known-false") {
            1
        } else {
            0
        },
    )
}

pub fn merge(paths: &[PathBuf], out: &Path, overwrite: bool, json: bool) -> Result<i32, CliError> {
    let mut reports = Vec::new();
    for path in paths {
        let read_error = |e: std::io::Error| CliError::Input(format!("{}: {e}", path.display()));
        if !std::fs::metadata(path).map_err(read_error)?.is_file() {
            return Err(CliError::Input(format!(
                "{}: not a regular file, so not a campaign report",
                path.display()
            )));
        }
        let text = std::fs::read_to_string(path).map_err(read_error)?;
        let report: CampaignReport = serde_json::from_str(&text).map_err(|e| {
            CliError::Input(format!("{}: not a campaign report: {e}", path.display()))
        })?;
        reports.push(report);
    }
    let merged = merge_reports(&reports).map_err(CliError::Input)?;
    let text = serde_json::to_string_pretty(&merged).expect("reports serialise");
    write_new_file(out, &text, overwrite)?;
    if json {
        print_json(
            &serde_json::json!({ "report": out.display().to_string(), "statistics": merged.statistics }),
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
