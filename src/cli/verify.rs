//! `mlcsc verify`: every registered entry's default campaign, exactly, with a summary table
//! and a report folder (JSON and SVG).
//!
//! Exit codes: 0 every entry as its status demands; 1 a theorem violated, a known-false
//! statement not refuted, or a theorem whose hypotheses no case met; 3 otherwise, when a
//! theorem has undecided cases; 2 bad input or usage.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::campaign::counterexamples::SavedCounterexample;
use crate::campaign::{Arithmetic, CampaignReport, CampaignSettings, Shard, run_campaign};
use crate::conjecture::{Entry, ExpectedStatus};
use serde_json::json;

use super::Entries;
use super::campaign::{progress_bar, save_violations, saved_json};
use super::output::{CliError, print_json, write_new_file};

/// The outcome of a theorem with undecided cases and no violation.
const UNDECIDED: &str = "UNDECIDED";

/// Whether an entry's campaign came out as its status demands.
fn outcome(status: ExpectedStatus, report: &CampaignReport) -> (&'static str, bool) {
    let s = &report.statistics;
    match status {
        ExpectedStatus::Theorem if s.violated > 0 => ("VIOLATED", false),
        ExpectedStatus::Theorem if s.undecided > 0 => (UNDECIDED, false),
        ExpectedStatus::Theorem if s.hypotheses_met == 0 => ("NO CASE MET THE HYPOTHESES", false),
        ExpectedStatus::Theorem => ("holds", true),
        ExpectedStatus::KnownFalse if s.violated > 0 => ("refuted", true),
        ExpectedStatus::KnownFalse => ("NOT REFUTED", false),
        ExpectedStatus::Open => ("open", true),
    }
}

/// One entry of `summary.json`: the statistics of a campaign, its outcome and its saved
/// counterexamples.
fn summary_entry(
    r: &CampaignReport,
    word: &str,
    ok: bool,
    saved: &[SavedCounterexample],
) -> serde_json::Value {
    let s = &r.statistics;
    json!({
        "name": r.conjecture,
        "status": r.status,
        "cases": s.cases,
        "hypotheses-met": s.hypotheses_met,
        "holds": s.holds,
        "violated": s.violated,
        "undecided": s.undecided,
        "certified": s.certified,
        "largest-tightness": s.largest_tightness,
        "coverage": s.coverage,
        "events": s.events,
        "seconds": r.seconds,
        "outcome": word,
        "ok": ok,
        "counterexamples": saved.iter().map(|s| s.path.display().to_string()).collect::<Vec<_>>(),
        "shrunk-counterexamples": saved.iter().map(saved_json).collect::<Vec<_>>(),
    })
}

/// What `verify` runs: the master seed, the factor on every default case count, and the most
/// exact checks one counterexample's shrink may spend.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// The master seed.
    pub seed: u64,
    /// The factor on every entry's default number of cases.
    pub scale: f64,
    /// The budget of each counterexample's shrink.
    pub shrink_budget: usize,
}

/// One entry's default campaign, scaled: its report written into `folder`, its outcome, and
/// its counterexample shrunk and saved when it is known false or not as expected.
fn run_entry(
    conjecture: &Entry,
    settings: &Settings,
    folder: &Path,
) -> Result<super::verify_table::Row, CliError> {
    let cases = ((conjecture.default_cases() as f64 * settings.scale).round() as u64).max(1);
    let campaign = CampaignSettings {
        cases,
        seed: settings.seed,
        shard: Shard::WHOLE,
        arithmetic: Arithmetic::Exact,
    };
    let bar = progress_bar(cases, conjecture.name());
    let report =
        run_campaign(conjecture, campaign, None, &|| bar.inc(1)).map_err(CliError::Input)?;
    bar.finish_and_clear();
    let (word, ok) = outcome(conjecture.status(), &report);
    let saved = if conjecture.status() == ExpectedStatus::KnownFalse || !ok {
        save_violations(
            conjecture,
            &report,
            &folder.join("counterexamples"),
            1,
            settings.shrink_budget,
        )?
    } else {
        Vec::new()
    };
    let text = serde_json::to_string_pretty(&report).expect("reports serialise");
    write_new_file(
        &folder.join(format!("{}.json", conjecture.name())),
        &text,
        false,
    )?;
    Ok((report, word, ok, saved))
}

pub fn run(
    entries: &Entries<'_>,
    asked: Option<PathBuf>,
    settings: Settings,
    json: bool,
    wide: bool,
) -> Result<i32, CliError> {
    let Settings { seed, scale, .. } = settings;
    if !(scale.is_finite() && scale > 0.0 && scale <= 1000.0) {
        return Err(CliError::Input(format!(
            "--scale {scale}: must be in (0, 1000]"
        )));
    }
    let folder = super::verify_folder::report_folder(asked)?;
    let started = Instant::now();
    let mut rows = Vec::new();
    let mut all_ok = true;
    let mut failed = false;
    let mut undecided = false;
    for conjecture in entries.all() {
        let row = run_entry(conjecture, &settings, &folder)?;
        let (word, ok) = (row.1, row.2);
        all_ok &= ok;
        if !ok {
            if word == UNDECIDED {
                undecided = true;
            } else {
                failed = true;
            }
        }
        rows.push(row);
    }
    let seconds = started.elapsed().as_secs_f64();
    super::verify_plot::tightness_plot(
        &folder.join("tightness.svg"),
        &rows.iter().map(|r| &r.0).collect::<Vec<_>>(),
    )
    .map_err(CliError::Input)?;
    let summary: Vec<_> = rows
        .iter()
        .map(|(r, word, ok, saved)| summary_entry(r, word, *ok, saved))
        .collect();
    let document = json!({
        "seed": seed,
        "ok": all_ok,
        "seconds": seconds,
        "report": folder.display().to_string(),
        "entries": summary,
    });
    write_new_file(
        &folder.join("summary.json"),
        &serde_json::to_string_pretty(&document).expect("json"),
        false,
    )?;
    super::verify_folder::mark(&folder)?;
    if json {
        print_json(&document);
    } else {
        super::verify_table::print(&rows, &folder, seconds, all_ok, wide);
    }
    Ok(if failed {
        1
    } else if undecided {
        3
    } else {
        0
    })
}
