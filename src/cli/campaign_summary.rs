//! The text summary of a finished `mlcsc campaign`.

use super::{CampaignArgs, percent};
use crate::campaign::CampaignReport;
use crate::campaign::counterexamples::SavedCounterexample;
use crate::cli::output::outln;
use crate::cli::readable::number;

/// The text summary of a finished campaign.
pub(super) fn print_campaign_text(
    report: &CampaignReport,
    args: &CampaignArgs,
    saved: &[SavedCounterexample],
    pictures: &[std::path::PathBuf],
    cases_text: &str,
    counterexamples_named: bool,
) {
    let s = &report.statistics;
    outln!(
        "{} ({}), seed {}, {cases_text}",
        report.conjecture,
        report.status,
        report.settings.seed
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
    for (name, count) in &s.events {
        outln!(
            "  event {name}: {} cases, {} meeting the hypotheses",
            count.cases,
            count.hypotheses_met
        );
    }
    for (name, fraction) in &s.coverage {
        outln!(
            "  among cases meeting the hypotheses, {name}: {}",
            percent(*fraction)
        );
    }
    if let Some(t) = s.largest_tightness {
        outln!("  largest tightness (observed / bound): {}", number(t));
    }
    for (layer, t) in &s.interference_tightness {
        outln!(
            "  largest tightness at {layer} where it interferes (s ≥ 2, μ > 0): {}",
            number(*t)
        );
    }
    for saved in saved {
        outln!(
            "  counterexample shrunk with {} checks: {}",
            saved.checks,
            saved.path.display()
        );
        if let Some(note) = saved.budget_note() {
            outln!("    {note}");
        }
    }
    if s.violated > 0 && !counterexamples_named && args.save > 0 {
        outln!(
            "  {} violating cases not saved: pass --counterexamples DIR (or --report FILE) to shrink and save them",
            s.violated
        );
    }
    if !pictures.is_empty() {
        let names: Vec<String> = pictures.iter().map(|p| p.display().to_string()).collect();
        outln!("  pictures: {}", names.join(", "));
    }
    if let Some(path) = &args.report {
        outln!("  report: {}", path.display());
    }
    outln!("  {:.2} s", report.seconds);
}

/// The `--json` entry of a saved counterexample: its file, case, witness, and what its shrink
/// spent (`stopped-at-budget`: it may shrink further with a larger `--shrink-budget`).
pub fn saved_json(saved: &SavedCounterexample) -> serde_json::Value {
    serde_json::json!({
        "path": saved.path.display().to_string(),
        "case": saved.case,
        "witness": saved.witness,
        "shrink-checks": saved.checks,
        "shrink-budget": saved.budget,
        "stopped-at-budget": saved.stopped_at_budget,
    })
}
