//! `mlcsc search NAME`: targeted search toward the minimum or maximum of a margin of Theorem 2,
//! optionally against plain random generation with the same budget.

use super::output::outln;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use mlcsc::campaign::phase::parse_design;
use mlcsc::campaign::search::{
    Direction, Knob, Margin, SearchResult, SearchTarget, random_search, targeted_search,
};
use mlcsc::pursuit::Thresholding;
use serde_json::json;

use super::output::{CliError, check_output_file, print_json, short, write_new_file};

/// Arguments of `search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// `theorem2-soft`, `theorem2-nonnegative` or `theorem2-hard`.
    name: String,
    /// tightness, window-position, window-edge-distance or hypothesis-a.
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

fn target_of(args: &SearchArgs) -> Result<SearchTarget, CliError> {
    let variant = args
        .name
        .strip_prefix("theorem2-")
        .and_then(Thresholding::parse)
        .ok_or_else(|| {
            CliError::Input(format!(
                "unknown target {:?}; targets: theorem2-soft, theorem2-nonnegative, theorem2-hard",
                args.name
            ))
        })?;
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
        "best_value": result.best_value,
        "hypotheses_met": result.hypotheses_met,
        "verdict": result.best_report.as_ref().map(|r| r.verdict.name()),
        "certified": result.best_report.as_ref().map(|r| r.certified),
    })
}

pub fn run(args: SearchArgs) -> Result<i32, CliError> {
    let target = target_of(&args)?;
    let margin = Margin::parse(&args.margin).ok_or_else(|| {
        let names: Vec<_> = Margin::ALL.iter().map(|m| m.name()).collect();
        CliError::Input(format!(
            "--margin {:?}: expected one of {}",
            args.margin,
            names.join(", ")
        ))
    })?;
    let direction = match args.direction.as_str() {
        "max" | "maximum" => Direction::Maximum,
        "min" | "minimum" => Direction::Minimum,
        other => {
            return Err(CliError::Input(format!(
                "--direction {other:?}: expected max or min"
            )));
        }
    };
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
        let mut instance = instance.clone();
        instance.name = format!("{}-search-{}-{}", target.name, margin.name(), args.seed);
        instance.source = format!(
            "mlcsc search {} --margin {} --direction {} --budget {} --seed {}",
            target.name,
            margin.name(),
            args.direction,
            args.budget,
            args.seed
        );
        let text = serde_json::to_string_pretty(&instance.to_file()).expect("instances serialise");
        write_new_file(path, &format!("{text}\n"), false)?;
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
        outln!(
            "{}: {} of {} over {} exactly checked cases (seed {}), {:.2} s",
            target.name,
            args.direction,
            margin.name(),
            args.budget,
            args.seed,
            seconds
        );
        let best = |r: &SearchResult| {
            r.best_value
                .map_or("none (no case met the hypotheses)".into(), |v| {
                    format!("{v:.12}")
                })
        };
        outln!(
            "targeted search: {} ({} cases met the hypotheses, {} refining moves kept), verdict {}",
            best(&result),
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
        if let Some(baseline) = &baseline {
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
                    short(l.coherence),
                    short(l.window_low),
                    short(l.window_high),
                    short(l.threshold),
                    short(l.tightness)
                );
            }
        }
        if let Some(path) = &args.save {
            outln!("best case written to {}", path.display());
        }
    }
    Ok(if violated { 1 } else { 0 })
}
