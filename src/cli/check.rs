//! `mlcsc check FILE [--theorem NAME]`: the verdict of a registered entry on one instance.
//!
//! Exit codes: 0 `holds` or `vacuous`, 1 `violated` (a counterexample), 2 bad input or usage,
//! 3 `undecided`. The case is decided by the arithmetic policy of [`crate::conjecture::decide`],
//! as in a campaign. With `--arithmetic f64` an entry with an `f64` screen (Theorem 2) is
//! screened with rigorous rounding-error bounds; an `undecided` or `violated` verdict is
//! re-decided exactly whenever the file allows (its filters exactly unit, or unit within the
//! tolerance with a rational norm: the exact normalised twin), and the JSON says which
//! arithmetic decided (`decided_by`). Every entry is printed by one printer: the verdict, its
//! detail, and the entry's own report (named values and a per-layer table).

use super::output::outln;
use super::readable::{message, number};
use std::path::Path;

use crate::campaign::named_values;
use crate::conjecture::{Entry, Outcome, decide, decide_image};
use crate::io::{Instance, InstanceFile};
use crate::pursuit::Thresholding;
use crate::scalar::Rational;
use crate::theorems::outcome::{Cell, Report};
use crate::theorems::statement::paper_layers_only;
use crate::theorems::verdict::{DecidedBy, Verdict};
use serde_json::{Map, Value, json};

use super::forward::forward_timings::Timings;
use super::output::{
    CliError, exact_instance, float_instance, print_json, read_instance_file, within_exact_work,
};
use super::{Arithmetic, Entries};

/// The entry a name on the command line stands for: `theorem2` is the paper's statement for
/// the file's own thresholding (`theorem2-soft`, …); any other name is an entry's.
fn entry_name(
    theorem: &str,
    path: &Path,
    file: &InstanceFile,
    arithmetic: Arithmetic,
) -> Result<String, CliError> {
    if theorem != "theorem2" {
        return Ok(theorem.to_string());
    }
    match Thresholding::parse(&file.thresholding) {
        Some(variant) => Ok(format!("theorem2-{}", variant.name())),
        // The file's own error names the field.
        None => Err(match arithmetic {
            Arithmetic::Exact => exact_instance(path, file).err(),
            Arithmetic::F64 => float_instance(path, file).err(),
        }
        .unwrap_or_else(|| {
            CliError::Input(format!(
                "{}: thresholding {:?} is not soft, nonnegative or hard",
                path.display(),
                file.thresholding
            ))
        })),
    }
}

/// The exact instance of the file, within the entry's size limit.
fn exact_within_limits(
    entry: &Entry,
    path: &Path,
    instance: Instance<Rational>,
) -> Result<Instance<Rational>, CliError> {
    entry
        .within_limits(&instance)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    Ok(instance)
}

/// The outcome by the `f64` policy, and whether it was re-decided exactly. Every arithmetic
/// has its work limit, checked before its work: the `f64` instance [`crate::io::work_limits::
/// check_f64_work`]'s, and the exact instance (when the numbers are outside the screen's range,
/// or to re-decide the screen's verdict) the exact work limit and the entry's own. A screened
/// verdict that needs its exact twin, beyond the limit, is refused.
fn screened(
    entry: &Entry,
    path: &Path,
    file: &InstanceFile,
    timings: &mut Timings,
) -> Result<(Outcome, bool), CliError> {
    // The exact instance, or the exact normalised twin of filters unit within the tolerance,
    // when the file has one; a twin beyond the exact work limit is kept as the refusal.
    let refusal = std::cell::RefCell::new(None);
    let exact = || {
        let twin = file
            .to_exact()
            .or_else(|_| file.to_exact_normalised())
            .ok()?;
        within_exact_work(path, twin)
            .map_err(|limit| *refusal.borrow_mut() = Some(limit))
            .ok()
    };
    let image = match file.to_f64() {
        Ok(image) => image,
        // Numbers outside the f64 screen's range: decided exactly when the file allows.
        Err(error) => {
            let error = CliError::Input(format!("{}: {error}", path.display()));
            let instance = match exact() {
                Some(instance) => instance,
                None => return Err(refusal.into_inner().unwrap_or(error)),
            };
            let instance = exact_within_limits(entry, path, instance)?;
            return Ok((entry.check(&instance), true));
        }
    };
    crate::io::work_limits::check_f64_work(&image)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    timings.lap("convert");
    // The twin is made only when the screen did not settle the case; beyond the exact limit
    // it is refused, naming the limit, rather than decided without one.
    let decided = decide_image(entry, &image, exact);
    if let Some(CliError::Input(limit)) = refusal.into_inner() {
        return Err(CliError::Input(format!(
            "{limit} (the f64 screen did not settle this case, and its exact re-check is beyond the limit)"
        )));
    }
    decided
        .map(|decided| (decided.outcome, decided.rechecked_exactly))
        .map_err(|reason| {
            CliError::Input(format!(
                "{}: the f64 screen cannot decide this instance: {reason}; rescale it, or give it exactly unit filters for --arithmetic exact",
                path.display()
            ))
        })
}

/// 0 `holds` or `vacuous`, 1 `violated`, 3 `undecided` (2 is bad input, from [`CliError`]).
pub(crate) fn exit_code(verdict: &Verdict) -> i32 {
    match verdict {
        Verdict::Holds | Verdict::Vacuous(_) => 0,
        Verdict::Violated(_) => 1,
        Verdict::Undecided { .. } => 3,
    }
}

pub fn run(
    entries: &Entries<'_>,
    path: &Path,
    theorem: &str,
    arithmetic: Arithmetic,
    json: bool,
) -> Result<i32, CliError> {
    let mut timings = Timings::start();
    let file = read_instance_file(path)?;
    timings.lap("read");
    let name = entry_name(theorem, path, &file, arithmetic)?;
    let entry = entries.find_or_refuse(&name, &format!("--theorem {theorem:?}"))?;
    let layer = file
        .first_real_layer()
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    paper_layers_only(entry.statement(), layer)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    let (outcome, rechecked_exactly) = match arithmetic {
        Arithmetic::F64 if entry.has_screen() => screened(entry, path, &file, &mut timings)?,
        _ => {
            let instance = exact_within_limits(entry, path, exact_instance(path, &file)?)?;
            (decide(entry, &instance, Arithmetic::Exact), false)
        }
    };
    let report = outcome
        .details
        .as_ref()
        .map(|details| details.render())
        .unwrap_or_default();
    timings.lap("compute");
    if json {
        print_json(&json_report(&name, &outcome, rechecked_exactly, report));
    } else {
        print_text(&name, &outcome, &report);
    }
    timings.lap("format+write");
    timings.report();
    Ok(exit_code(&outcome.verdict))
}

fn verdict_json(verdict: &Verdict) -> (Value, Value) {
    match verdict {
        Verdict::Vacuous(failed) => (json!(failed), Value::Null),
        Verdict::Violated(witness) => (Value::Null, json!(witness)),
        Verdict::Undecided { layer, comparison } => (
            Value::Null,
            json!({ "layer": layer, "comparison": comparison }),
        ),
        Verdict::Holds => (Value::Null, Value::Null),
    }
}

/// The JSON report: the verdict and how it was decided, the measurements, then the entry's
/// own values and its per-layer records (`layers`).
fn json_report(name: &str, outcome: &Outcome, rechecked_exactly: bool, report: Report) -> Value {
    let (failed_hypothesis, witness) = verdict_json(&outcome.verdict);
    let mut object = Map::new();
    let common = [
        ("theorem", json!(name)),
        ("verdict", json!(outcome.verdict.name())),
        ("certified", json!(outcome.certified)),
        ("decided-by", json!(outcome.decided_by.name())),
        ("rechecked-exactly", json!(rechecked_exactly)),
        ("failed-hypothesis", failed_hypothesis),
        ("witness", witness),
        ("tightness", json!(outcome.tightness)),
        ("margins", named_values::to_json(&outcome.margins)),
        ("features", named_values::to_json(&outcome.features)),
    ];
    for (key, value) in common.into_iter().chain(report.fields) {
        object.insert(key.to_string(), value);
    }
    if let Some(table) = report.table {
        object.insert("layers".to_string(), table.json);
    }
    Value::Object(object)
}

/// The line under a verdict: the failed hypothesis, the counterexample or the open comparison,
/// with its numbers written for reading (the exact ones are in `--json`).
fn print_verdict_detail(verdict: &Verdict) {
    match verdict {
        Verdict::Vacuous(f) => outln!(
            "  hypothesis {} fails at layer {}: {}",
            f.hypothesis,
            f.layer,
            message(&f.detail)
        ),
        Verdict::Violated(w) => outln!(
            "  counterexample at layer {}: {} at {}: observed {} against bound {}",
            w.layer,
            w.conclusion,
            w.location,
            message(&w.observed),
            message(&w.bound)
        ),
        Verdict::Undecided { comparison, .. } => outln!("  {}", message(comparison)),
        Verdict::Holds => {}
    }
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Number(x) => number(*x),
        Cell::Count(k) => k.to_string(),
        Cell::Flag(yes) => if *yes { "yes" } else { "no" }.to_string(),
        Cell::Text(text) => text.clone(),
    }
}

fn print_text(name: &str, outcome: &Outcome, report: &Report) {
    let decided = match outcome.decided_by {
        DecidedBy::Exact => "certified, exact",
        DecidedBy::F64Enclosure => "f64 with rigorous rounding-error bounds",
    };
    outln!("{name}: {} ({decided})", outcome.verdict.name());
    print_verdict_detail(&outcome.verdict);
    for (label, value) in &report.lines {
        outln!("  {label}{}", cell_text(value));
    }
    if let Some(table) = &report.table {
        let line = |cells: Vec<String>| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&table.columns)
                .map(|(text, (_, width))| format!("{text:>width$}"))
                .collect();
            outln!("  {}", padded.join(" "));
        };
        line(table.columns.iter().map(|(h, _)| h.to_string()).collect());
        for row in &table.rows {
            line(row.iter().map(cell_text).collect());
        }
    }
}
