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
        shrunk.name = format!("{}-seed{}-case{case}", conjecture.name(), report.settings.seed);
        shrunk.source = format!(
            "mlcsc campaign {} --seed {} (case {case}), shrunk with {spent} exact checks",
            conjecture.name(),
            report.settings.seed
        );
        let path = save_counterexample(directory, &shrunk.name.clone(), &shrunk).map_err(CliError::Input)?;
        saved.push((path, spent));
    }
    Ok(saved)
}

pub fn run(args: CampaignArgs) -> Result<i32, CliError> {
    let conjecture = find(&args.name).ok_or_else(|| {
        CliError::Input(format!("{:?} is not registered; `mlcsc list` shows the names", args.name))
    })?;
    if let Some(path) = &args.report
        && path.exists()
        && !args.overwrite
    {
        return Err(CliError::Input(format!(
            "--report {} exists; choose another path or pass --overwrite",
            path.display()
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
    let shard_cases = (0..settings.cases)
        .filter(|k| k % settings.shard.count == settings.shard.index)
        .count() as u64;
    let bar = progress_bar(shard_cases, conjecture.name());
    let report = run_campaign(conjecture.as_ref(), settings, args.checkpoint.as_deref(), &|| bar.inc(1))
        .map_err(CliError::Input)?;
    bar.finish_and_clear();
    let saved = save_violations(conjecture.as_ref(), &report, &args.counterexamples, args.save)?;
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
        outln!("{} ({}), seed {}, {} cases", report.conjecture, report.status, settings.seed, s.cases);
        outln!(
            "  hypotheses met {} · holds {} · violated {} · undecided {} · certified {}",
            s.hypotheses_met, s.holds, s.violated, s.undecided, s.certified
        );
        for (hypothesis, count) in &s.vacuous {
            outln!("  vacuous by {hypothesis}: {count}");
        }
        for (name, fraction) in &s.coverage {
            outln!("  among cases meeting the hypotheses, {name}: {:.0}%", 100.0 * fraction);
        }
        if let Some(t) = s.largest_tightness {
            outln!("  largest tightness (observed / bound): {}", short(t));
        }
        for (path, spent) in &saved {
            outln!("  counterexample shrunk with {spent} checks: {}", path.display());
        }
        outln!("  {:.2} s", report.seconds);
    }
    let failed = match conjecture.status() {
        mlcsc::conjecture::ExpectedStatus::Theorem => s.violated > 0 || s.undecided > 0,
        _ => false,
    };
    Ok(if failed || (s.violated > 0 && report.status != "known-false") { 1 } else { 0 })
}

pub fn merge(paths: &[PathBuf], out: &Path, overwrite: bool, json: bool) -> Result<i32, CliError> {
    let mut reports = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        let report: CampaignReport = serde_json::from_str(&text)
            .map_err(|e| CliError::Input(format!("{}: not a campaign report: {e}", path.display())))?;
        reports.push(report);
    }
    let merged = merge_reports(&reports).map_err(CliError::Input)?;
    let text = serde_json::to_string_pretty(&merged).expect("reports serialise");
    write_new_file(out, &text, overwrite)?;
    if json {
        print_json(&serde_json::json!({ "report": out.display().to_string(), "statistics": merged.statistics }));
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
