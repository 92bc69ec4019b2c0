//! The table `verify` prints: by default one line per entry that fits 100 columns, then a
//! legend with one line per coverage name (its meaning and its range over the entries); with
//! `--wide`, the full table with the status, the rate and each entry's coverage.

use std::collections::BTreeMap;
use std::path::Path;

use super::campaign::percent;
use super::output::outln;
use super::readable::number;
use crate::campaign::CampaignReport;
use crate::campaign::counterexamples::SavedCounterexample;

/// One entry's line: its report, outcome word, whether it is as expected, its saved
/// counterexamples.
pub type Row = (CampaignReport, &'static str, bool, Vec<SavedCounterexample>);

/// What each coverage name counts, among the cases that met the hypotheses (the keys of
/// `statistics.coverage`; `docs/studies.md` gives the floors).
const COVERAGE_MEANINGS: [(&str, &str); 8] = [
    (
        "channels-two-or-more",
        "some layer has two or more channels (m_i ≥ 2)",
    ),
    (
        "coherent-every-layer",
        "μ_i > 0 at every layer (among cases of depth ≥ 2)",
    ),
    ("deep-interference", "interference at some layer i ≥ 2"),
    ("depth-four", "four layers or more"),
    ("depth-three-or-more", "three layers or more"),
    ("depth-two-or-more", "two layers or more"),
    ("interference", "some layer has s_i ≥ 2 and μ_i > 0"),
    ("noisy", "the noise E is not zero"),
];

/// Prints the table, the counterexamples saved and the closing line.
pub fn print(rows: &[Row], folder: &Path, seconds: f64, all_ok: bool, wide: bool) {
    // The name column fits the longest name (a crate's own entries may be longer).
    let width = rows
        .iter()
        .map(|(r, ..)| r.conjecture.chars().count())
        .max()
        .unwrap_or(0)
        .max(39);
    if wide {
        print_wide(rows, width);
    } else {
        print_narrow(rows, width);
        print_legend(rows);
    }
    for (r, _, _, saved) in rows {
        for saved in saved {
            outln!(
                "counterexample of {} (shrunk with {} exact checks): {}",
                r.conjecture,
                saved.checks,
                saved.path.display()
            );
            if let Some(note) = saved.budget_note() {
                outln!("  {note}");
            }
        }
    }
    outln!(
        "{} in {:.1} s; report: {}",
        if all_ok {
            "all results as expected"
        } else {
            "SOME RESULTS NOT AS EXPECTED"
        },
        seconds,
        folder.display()
    );
}

/// The default table: counts, tightness, time and outcome.
fn print_narrow(rows: &[Row], width: usize) {
    outln!(
        "{:<width$} {:>5} {:>5} {:>5} {:>4} {:>5} {:>9} {:>6}  {}",
        "theorem",
        "cases",
        "met",
        "holds",
        "viol",
        "undec",
        "tightness",
        "time",
        "outcome"
    );
    for (r, word, _, _) in rows {
        let s = &r.statistics;
        outln!(
            "{:<width$} {:>5} {:>5} {:>5} {:>4} {:>5} {:>9} {:>5.2}s  {}",
            r.conjecture,
            s.cases,
            s.hypotheses_met,
            s.holds,
            s.violated,
            s.undecided,
            s.largest_tightness.map_or("-".into(), number),
            r.seconds,
            word
        );
    }
}

/// One line per coverage name that some entry reports: what it counts, and its range over the
/// entries.
fn print_legend(rows: &[Row]) {
    let mut ranges: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    for (r, ..) in rows {
        for (name, fraction) in &r.statistics.coverage {
            let range = ranges.entry(name).or_insert((*fraction, *fraction, 0));
            *range = (range.0.min(*fraction), range.1.max(*fraction), range.2 + 1);
        }
    }
    if ranges.is_empty() {
        return;
    }
    outln!("coverage among the cases meeting the hypotheses (per entry: --wide, summary.json):");
    for (name, (least, most, entries)) in ranges {
        let meaning = COVERAGE_MEANINGS
            .iter()
            .find(|(known, _)| *known == name)
            .map_or("declared by the entry", |(_, meaning)| meaning);
        outln!(
            "  {name:<20} {:>4}–{:<4} of {entries:>2} entries; {meaning}",
            percent(least),
            percent(most)
        );
    }
}

/// The full table: status, rate and each entry's coverage as well.
fn print_wide(rows: &[Row], width: usize) {
    outln!(
        "{:<width$} {:<12} {:>6} {:>6} {:>5} {:>6} {:>8} {:>9} {:>9} {:>7}  {:<11} {}",
        "theorem",
        "status",
        "cases",
        "met",
        "rate",
        "holds",
        "violated",
        "undecided",
        "tightness",
        "time",
        "outcome",
        "coverage (among cases meeting the hypotheses)"
    );
    for (r, word, _, _) in rows {
        let s = &r.statistics;
        let rate = percent(s.hypotheses_met as f64 / s.cases as f64);
        outln!(
            "{:<width$} {:<12} {:>6} {:>6} {:>5} {:>6} {:>8} {:>9} {:>9} {:>6.2}s  {:<11} {}",
            r.conjecture,
            r.status,
            s.cases,
            s.hypotheses_met,
            rate,
            s.holds,
            s.violated,
            s.undecided,
            s.largest_tightness.map_or("-".into(), number),
            r.seconds,
            word,
            coverage_text(&s.coverage)
        );
    }
}

/// The coverage fractions of a campaign in one cell: `depth-two-or-more 89%, noisy 94%`, or
/// `-` for an entry that declares none.
fn coverage_text(coverage: &BTreeMap<String, f64>) -> String {
    if coverage.is_empty() {
        return "-".into();
    }
    coverage
        .iter()
        .map(|(name, fraction)| format!("{name} {}", percent(*fraction)))
        .collect::<Vec<_>>()
        .join(", ")
}
