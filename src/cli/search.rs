//! `mlcsc search NAME`: targeted search toward the minimum or maximum of a margin of Theorem 2,
//! optionally against plain random generation with the same budget; for any other entry
//! (registered, or a crate's own through `run_with`), toward one of its declared margins or its
//! tightness ([`crate::campaign::entry_search`]).

use super::output::outln;
use super::readable::number;
use crate::io::ToInstanceFile;
use std::path::{Path, PathBuf};

use crate::io::Instance;
use crate::scalar::Rational;
use std::time::Instant;

use crate::campaign::entry_search::{EntrySearch, search_entry};
use crate::campaign::phase::parse_design;
use crate::campaign::search::{
    Direction, Knob, Margin, SearchResult, SearchTarget, random_search, targeted_search,
};
use crate::conjecture::Entry;
use crate::generate::seed::case_rng;
use crate::pursuit::Thresholding;
use clap::Args;
use serde_json::json;

use super::Entries;
use super::output::{CliError, check_output_file, print_json, write_new_file};

/// Arguments of `search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// `theorem2-soft`, `theorem2-nonnegative`, `theorem2-hard`, or any entry (`mlcsc list`).
    name: String,
    /// tightness, window-position, window-edge-distance or hypothesis-a (Theorem 2); for
    /// another entry, `tightness` or a margin it declares (a stated conjecture's target).
    #[arg(long, default_value = "tightness")]
    margin: String,
    /// `max` or `min`.
    #[arg(long, default_value = "max")]
    direction: String,
    /// Exactly checked cases to spend.
    #[arg(long, default_value_t = 200)]
    budget: usize,
    /// Master seed.
    #[arg(long, default_value_t = 2017)]
    seed: u64,
    /// Fix the first layer (dirac, binary4, binary9, binary16, binary-pair16, barker13,
    /// householder) instead of letting the search choose it.
    #[arg(long)]
    first_layer: Option<String>,
    /// Noisy cases only (no noise-free case is drawn, and the search may not change that).
    #[arg(long)]
    noisy: bool,
    /// Also run plain random generation with the same budget and seed, for comparison.
    #[arg(long)]
    compare: bool,
    /// Write the best case as an instance file here (never overwriting).
    #[arg(long)]
    save: Option<PathBuf>,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

/// The thresholding of an entry that is Theorem 2's statement for one thresholding: the
/// entries the knob search knows.
fn knob_search_variant(entry: &Entry) -> Option<Thresholding> {
    entry.statement().searchable_thresholding()
}

fn target_of(args: &SearchArgs, variant: Thresholding) -> Result<SearchTarget, CliError> {
    let mut target = SearchTarget::paper(variant);
    if let Some(name) = &args.first_layer {
        target.settings.first_layer =
            Some(parse_design(name).ok_or_else(|| {
                CliError::Input(format!("--first-layer {name:?}: unknown design"))
            })?);
        target.free_knobs.retain(|k| *k != Knob::FirstLayer);
    }
    if args.noisy {
        target.settings.noiseless_probability = 0.0;
        target
            .free_knobs
            .retain(|k| *k != Knob::NoiselessProbability);
    }
    Ok(target)
}

fn summary(result: &SearchResult) -> serde_json::Value {
    json!({
        "best-value": result.best_value,
        "hypotheses-met": result.hypotheses_met,
        "verdict": result.best_report.as_ref().map(|r| r.verdict.name()),
        "certified": result.best_report.as_ref().map(|r| r.certified),
    })
}

fn direction_of(text: &str) -> Result<Direction, CliError> {
    match text {
        "max" | "maximum" => Ok(Direction::Maximum),
        "min" | "minimum" => Ok(Direction::Minimum),
        other => Err(CliError::Input(format!(
            "--direction {other:?}: expected max or min"
        ))),
    }
}

/// Writes the best case of a search to `path` (a new file), named after the target, the margin
/// and the seed, with the command that found it as its source.
fn save_best_case(
    path: &Path,
    instance: &Instance<Rational>,
    target: &str,
    margin: &str,
    args: &SearchArgs,
) -> Result<(), CliError> {
    let mut instance = instance.clone();
    instance.name = format!("{target}-search-{margin}-{}", args.seed);
    instance.source = format!(
        "mlcsc search {target} --margin {margin} --direction {} --budget {} --seed {}",
        args.direction, args.budget, args.seed
    );
    let text = serde_json::to_string_pretty(&instance.to_file()).expect("instances serialise");
    write_new_file(path, &format!("{text}\n"), false)
}

/// The text output of a search over Theorem 2's generator knobs.
fn print_search_text(
    target_name: &str,
    margin: Margin,
    args: &SearchArgs,
    seconds: f64,
    result: &SearchResult,
    baseline: Option<&SearchResult>,
) {
    outln!(
        "{}: {} of {} over {} exactly checked cases (seed {}), {:.2} s",
        target_name,
        args.direction,
        margin.name(),
        args.budget,
        args.seed,
        seconds
    );
    let best = |r: &SearchResult| {
        r.best_value
            .map_or("none (no case met the hypotheses)".into(), number)
    };
    outln!(
        "targeted search: {} ({} cases met the hypotheses, {} refining moves kept), verdict {}",
        best(result),
        result.hypotheses_met,
        result.accepted_moves,
        result
            .best_report
            .as_ref()
            .map_or("-", |r| r.verdict.name())
    );
    if let Some(knobs) = &result.best_knobs {
        outln!(
            "started from stream {} with knobs {}",
            result.best_stream.unwrap_or(0),
            serde_json::to_string(knobs).expect("knobs serialise")
        );
    }
    if let Some(baseline) = baseline {
        outln!(
            "random generation: {} ({} cases met the hypotheses)",
            best(baseline),
            baseline.hypotheses_met
        );
    }
    if let Some(report) = &result.best_report {
        for l in &report.layers {
            outln!(
                "  layer {}: s = {}, μ = {}, window ({}, {}), β = {}, tightness {}",
                l.layer,
                l.stripe_sparsity,
                number(l.coherence),
                number(l.window_low),
                number(l.window_high),
                number(l.threshold),
                number(l.tightness)
            );
        }
    }
    if let Some(path) = &args.save {
        outln!("best case written to {}", path.display());
    }
}

/// The margins an entry declares, read off its first cases (`tightness` first).
fn declared_margins(entry: &Entry, args: &SearchArgs) -> Vec<String> {
    let mut declared: Vec<String> = vec!["tightness".into()];
    for case in 0..args.budget.min(16) as u64 {
        let outcome = entry.check(&entry.generate(&mut case_rng(args.seed, case)));
        for (name, _) in &outcome.margins {
            if !declared.contains(name) {
                declared.push(name.clone());
            }
        }
    }
    declared
}

/// `mlcsc search NAME`.
pub fn run(entries: &Entries<'_>, args: SearchArgs) -> Result<i32, CliError> {
    let variant = match entries.find(&args.name) {
        Some(entry) => match knob_search_variant(entry) {
            Some(variant) => variant,
            None => return run_entry(entry, &args),
        },
        None => {
            let all = entries.all();
            let near = super::suggest::did_you_mean(&args.name, all.iter().map(|c| c.name()));
            return Err(CliError::Input(format!(
                "unknown target {:?}{near}; targets: theorem2-soft, theorem2-nonnegative, theorem2-hard, or an entry of `mlcsc list`",
                args.name
            )));
        }
    };
    let target = target_of(&args, variant)?;
    let margin = Margin::parse(&args.margin).ok_or_else(|| {
        let names: Vec<_> = Margin::ALL.iter().map(|m| m.name()).collect();
        CliError::Input(format!(
            "--margin {:?}: expected one of {}",
            args.margin,
            names.join(", ")
        ))
    })?;
    let direction = direction_of(&args.direction)?;
    if args.budget == 0 || args.budget > 1_000_000 {
        return Err(CliError::Input("--budget: need 1 to 1000000 cases".into()));
    }
    if let Some(path) = &args.save {
        check_output_file(path, "--save", None)?;
    }
    let started = Instant::now();
    let result = targeted_search(&target, margin, direction, args.budget, args.seed);
    let seconds = started.elapsed().as_secs_f64();
    let baseline = args
        .compare
        .then(|| random_search(&target, margin, direction, args.budget, args.seed));
    if let (Some(path), Some(instance)) = (&args.save, &result.best_instance) {
        save_best_case(path, instance, &target.name, margin.name(), &args)?;
    }
    let violated = result
        .best_report
        .as_ref()
        .is_some_and(|r| r.verdict.is_violated());
    if args.json {
        print_json(&json!({
            "target": target.name,
            "margin": margin.name(),
            "direction": result.direction,
            "budget": args.budget,
            "seed": args.seed,
            "seconds": seconds,
            "search": result,
            "random": baseline.as_ref().map(summary),
            "saved": args.save,
        }));
    } else {
        print_search_text(
            &target.name,
            margin,
            &args,
            seconds,
            &result,
            baseline.as_ref(),
        );
    }
    Ok(if violated { 1 } else { 0 })
}

/// `search` for an entry other than the Theorem 2 variants: its declared margins.
fn run_entry(entry: &Entry, args: &SearchArgs) -> Result<i32, CliError> {
    if args.first_layer.is_some() || args.noisy {
        return Err(CliError::Input(format!(
            "--first-layer and --noisy choose Theorem 2's generator knobs; {} searches its own generator",
            args.name
        )));
    }
    let direction = direction_of(&args.direction)?;
    if args.budget == 0 || args.budget > 1_000_000 {
        return Err(CliError::Input("--budget: need 1 to 1000000 cases".into()));
    }
    if let Some(path) = &args.save {
        check_output_file(path, "--save", None)?;
    }
    let declared = declared_margins(entry, args);
    if !declared.contains(&args.margin) {
        return Err(CliError::Input(format!(
            "--margin {:?}: {} declares {}",
            args.margin,
            args.name,
            declared.join(", ")
        )));
    }
    let started = Instant::now();
    let result = search_entry(
        entry,
        &args.margin,
        direction,
        args.budget,
        args.seed,
        false,
    );
    let seconds = started.elapsed().as_secs_f64();
    let baseline = args
        .compare
        .then(|| search_entry(entry, &args.margin, direction, args.budget, args.seed, true));
    if let (Some(path), Some(instance)) = (&args.save, &result.best_instance) {
        save_best_case(path, instance, &args.name, &args.margin, args)?;
    }
    let violated = result.verdict.as_ref().is_some_and(|v| v.is_violated());
    if args.json {
        print_json(&json!({
            "target": args.name,
            "margin": args.margin,
            "direction": direction,
            "budget": args.budget,
            "seed": args.seed,
            "seconds": seconds,
            "search": result,
            "random": baseline.as_ref().map(|b| json!({
                "best-value": b.best_value,
                "hypotheses-met": b.hypotheses_met,
                "verdict": b.verdict.as_ref().map(|v| v.name()),
            })),
            "saved": args.save,
        }));
    } else {
        print_entry_search_text(args, seconds, &result, baseline.as_ref());
    }
    Ok(if violated { 1 } else { 0 })
}

/// The text output of a search over an entry's own generator.
fn print_entry_search_text(
    args: &SearchArgs,
    seconds: f64,
    result: &EntrySearch,
    baseline: Option<&EntrySearch>,
) {
    outln!(
        "{}: {} of {} over {} exactly checked cases (seed {}), {:.2} s",
        args.name,
        args.direction,
        args.margin,
        args.budget,
        args.seed,
        seconds
    );
    let best =
        |value: Option<f64>| value.map_or("none (no case met the hypotheses)".into(), number);
    outln!(
        "targeted search: {} ({} cases met the hypotheses, {} moves kept, from case {}), verdict {}",
        best(result.best_value),
        result.hypotheses_met,
        result.accepted_moves,
        result.best_case.map_or("-".into(), |c| c.to_string()),
        result.verdict.as_ref().map_or("-", |v| v.name())
    );
    if let Some(b) = baseline {
        outln!(
            "random generation: {} ({} cases met the hypotheses)",
            best(b.best_value),
            b.hypotheses_met
        );
    }
    if let Some(path) = &args.save {
        outln!("best case written to {}", path.display());
    }
}
