//! `mlcsc check FILE [--theorem NAME]`: the verdict of a theorem on one instance.
//!
//! Exit codes: 0 `holds` or `vacuous`, 1 `violated` (a counterexample), 2 bad input or usage,
//! 3 `undecided`. With `--arithmetic f64` the verdict comes from the `f64` check with rigorous
//! rounding-error bounds; an `undecided` or `violated` one is re-decided exactly whenever the
//! file allows (its filters exactly unit, or unit within the tolerance with a rational norm:
//! the exact normalised twin), and the JSON says which arithmetic decided (`decided_by`).

use super::output::outln;
use super::readable::{message, number};
use std::path::Path;

use crate::conjecture::Theorem2Entry;
use crate::io::Instance;
use crate::pursuit::Thresholding;
use crate::scalar::Scalar;
use crate::theorems::theorem2::{
    Statement, Theorem2Report, check_theorem2_statement, screen_out_of_range,
};
use crate::theorems::verdict::{DecidedBy, Verdict};
use serde_json::{Value, json};

use super::output::{CliError, exact_instance, float_instance, print_json, read_instance_file};
use super::{Arithmetic, Entries};

/// A Theorem 2 form named on the command line: `theorem2` (the paper's statement with the file's
/// thresholding), or a registered Theorem 2 entry with its statement and, for the paper's
/// statement, its own thresholding.
fn theorem2_form(name: &str) -> Option<(Statement, Option<Thresholding>)> {
    if name == "theorem2" {
        return Some((Statement::PAPER, None));
    }
    Theorem2Entry::all()
        .into_iter()
        .find(|entry| crate::conjecture::Conjecture::name(entry) == name)
        .map(|entry| (entry.statement(), entry.fixed_thresholding()))
}

fn theorem2_on<S: Scalar>(
    mut instance: Instance<S>,
    statement: Statement,
    variant: Option<Thresholding>,
) -> Theorem2Report {
    if let Some(v) = variant {
        instance.thresholding = v;
    }
    check_theorem2_statement(&instance, statement)
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
    let file = read_instance_file(path)?;
    let Some((statement, variant)) = theorem2_form(theorem) else {
        return run_registered(entries, path, theorem, json);
    };
    let mut screened = false;
    let report = match arithmetic {
        Arithmetic::Exact => theorem2_on(exact_instance(path, &file)?, statement, variant),
        Arithmetic::F64 => {
            // The exact instance, or the exact normalised twin of filters unit within the
            // tolerance, when the file has one.
            let exact = || file.to_exact().or_else(|_| file.to_exact_normalised());
            match float_instance(path, &file) {
                // Numbers outside the f64 screen's range: decided exactly when the file allows.
                Err(error) => match exact() {
                    Ok(exact) => {
                        screened = true;
                        theorem2_on(exact, statement, variant)
                    }
                    Err(_) => return Err(error),
                },
                Ok(instance) => {
                    let fast = theorem2_on(instance, statement, variant);
                    let unreliable = screen_out_of_range(&fast).map(|(_, reason)| reason);
                    match (&fast.verdict, unreliable) {
                        // Holds and vacuous in f64 are right as given; an open comparison, or
                        // a violation (to give its exact witness), is re-decided exactly.
                        (Verdict::Holds | Verdict::Vacuous(_), None) => fast,
                        (_, unreliable) => match (exact(), unreliable) {
                            (Ok(exact), _) => {
                                screened = true;
                                theorem2_on(exact, statement, variant)
                            }
                            (Err(_), Some(reason)) => {
                                return Err(CliError::Input(format!(
                                    "{}: the f64 screen cannot decide this instance: {reason}; rescale it, or give it exactly unit filters for --arithmetic exact",
                                    path.display()
                                )));
                            }
                            (Err(_), None) => fast,
                        },
                    }
                }
            }
        }
    };
    let (failed_hypothesis, witness) = verdict_json(&report.verdict);
    let name = if theorem == "theorem2" {
        format!("theorem2-{}", variant.map_or(report.variant, |v| v.name()))
    } else {
        theorem.to_string()
    };
    if json {
        print_json(&json!({
            "theorem": name,
            "verdict": report.verdict.name(),
            "certified": report.certified,
            "decided-by": report.decided_by.name(),
            "rechecked-exactly": screened,
            "variant": report.variant,
            "epsilon-0": report.epsilon_0,
            "failed-hypothesis": failed_hypothesis,
            "witness": witness,
            "enclosure-bits": report.enclosure_bits,
            "layers": report.layers,
        }));
    } else {
        print_text(&name, &report);
    }
    Ok(exit_code(&report.verdict))
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

fn print_text(name: &str, report: &Theorem2Report) {
    let certified = match report.decided_by {
        DecidedBy::Exact => "certified, exact",
        DecidedBy::F64Enclosure => "f64 with rigorous rounding-error bounds",
    };
    outln!("{name}: {} ({certified})", report.verdict.name());
    print_verdict_detail(&report.verdict);
    outln!("  ε_0 = {}", number(report.epsilon_0));
    outln!(
        "  {:>5} {:>10} {:>10} {:>10} {:>6} {:>10} {:>8} {:>10} {:>10} {:>9}",
        "layer",
        "low",
        "β",
        "high",
        "(a,b)",
        "ε_i",
        "support",
        "‖err‖P",
        "‖err‖∞",
        "tightness"
    );
    for l in &report.layers {
        outln!(
            "  {:>5} {:>10} {:>10} {:>10} {:>6} {:>10} {:>8} {:>10} {:>10} {:>9}",
            l.layer,
            number(l.window_low),
            number(l.threshold),
            number(l.window_high),
            if l.hypothesis_holds { "yes" } else { "no" },
            number(l.epsilon),
            if l.support_recovered { "yes" } else { "no" },
            number(l.error_patch_norm),
            number(l.error_max),
            number(l.tightness),
        );
    }
}

fn run_basis_pursuit(path: &Path, json: bool) -> Result<i32, CliError> {
    let file = read_instance_file(path)?;
    let instance = exact_instance(path, &file)?;
    crate::io::work_limits::check_basis_pursuit_size(&instance)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    let report = crate::theorems::layered_basis_pursuit::check_layered_basis_pursuit(&instance);
    let (failed_hypothesis, witness) = verdict_json(&report.verdict);
    if json {
        print_json(&json!({
            "theorem": "layered-basis-pursuit",
            "verdict": report.verdict.name(),
            "certified": report.certified,
            "failed-hypothesis": failed_hypothesis,
            "witness": witness,
            "layers": report.layers,
        }));
    } else {
        outln!(
            "layered-basis-pursuit: {} (certified, exact)",
            report.verdict.name()
        );
        print_verdict_detail(&report.verdict);
        outln!(
            "  {:>5} {:>4} {:>8} {:>10} {:>7} {:>8} {:>10} {:>10} {:>10} {:>10}",
            "layer",
            "s",
            "⅓(1+1/μ)",
            "ξ_i",
            "unique",
            "support",
            "‖err‖∞",
            "7.5ε",
            "‖err‖P",
            "ε_i"
        );
        for l in &report.layers {
            outln!(
                "  {:>5} {:>4} {:>8} {:>10} {:>7} {:>8} {:>10} {:>10} {:>10} {:>10}",
                l.layer,
                l.stripe_sparsity,
                number(l.sparsity_bound),
                number(l.lasso_weight),
                l.unique,
                l.support_size,
                number(l.error_max),
                number(l.entrywise_bound),
                number(l.error_patch_norm),
                number(l.epsilon)
            );
        }
    }
    Ok(exit_code(&report.verdict))
}

fn run_registered(
    entries: &Entries<'_>,
    path: &Path,
    theorem: &str,
    json: bool,
) -> Result<i32, CliError> {
    if theorem == "layered-basis-pursuit" {
        return run_basis_pursuit(path, json);
    }
    let conjecture = entries.find(theorem).ok_or_else(|| {
        CliError::Input(format!(
            "--theorem {theorem:?} is not registered; `mlcsc list` shows the names"
        ))
    })?;
    let file = read_instance_file(path)?;
    let instance = exact_instance(path, &file)?;
    let outcome = conjecture.check(&instance);
    let (failed_hypothesis, witness) = verdict_json(&outcome.verdict);
    if json {
        print_json(&json!({
            "theorem": theorem,
            "verdict": outcome.verdict.name(),
            "certified": outcome.certified,
            "failed-hypothesis": failed_hypothesis,
            "witness": witness,
            "tightness": outcome.tightness,
            "margins": outcome.margins,
            "features": outcome.features,
        }));
    } else {
        outln!("{theorem}: {}", outcome.verdict.name());
        print_verdict_detail(&outcome.verdict);
        if entries.is_user(theorem) {
            for (name, value) in &outcome.features {
                if let Some(event) = name.strip_prefix(crate::campaign::EVENT_PREFIX) {
                    outln!(
                        "  event {event}: {}",
                        if *value == 1.0 { "yes" } else { "no" }
                    );
                }
            }
            for (name, value) in &outcome.margins {
                outln!("  target {name}: {}", number(*value));
            }
        }
    }
    Ok(exit_code(&outcome.verdict))
}
