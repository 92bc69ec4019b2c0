//! `mlcsc rationalize FILE --out OUT`: the instance with every filter replaced by a rational
//! filter of exactly unit norm near the filter divided by its norm (`proofs/rationalize.md`),
//! so that a file of float or non-unit filters can be checked exactly.

use std::path::PathBuf;

use clap::Args;
use num_bigint::BigInt;
use serde_json::json;

use super::output::{
    CliError, check_output_file, outln, print_json, read_instance_file, resolved_path,
    write_new_file,
};
use super::readable;
use crate::io::rationalize_instance::{FilterReport, largest_distance_bound, rationalize_instance};
use crate::rationalize::{Aim, SMALLEST_TOLERANCE};

/// The tolerance without `--tolerance` or `--max-denominator`: well below the distances at
/// which a trained filter's float rounding matters (`f32` rounding alone moves a unit filter
/// by about `10^-7`), with stereographic denominators of about 30 bits.
const DEFAULT_TOLERANCE: f64 = 1e-9;

/// Arguments of `rationalize`.
#[derive(Args, Debug)]
pub struct RationalizeArgs {
    /// An instance file whose filters are floats or rationals of any nonzero norm.
    file: PathBuf,
    /// The instance written, every filter of exactly unit norm (must not exist unless
    /// --overwrite).
    #[arg(long)]
    out: PathBuf,
    /// Replace an existing file mlcsc wrote at --out (never the input file).
    #[arg(long)]
    overwrite: bool,
    /// The largest ℓ2 distance of each filter written from the filter divided by its norm
    /// (default 1e-9; at least 1e-30).
    #[arg(long, conflicts_with = "max_denominator")]
    tolerance: Option<f64>,
    /// Round the stereographic coordinates to this common denominator D instead: the taps
    /// then have a common denominator at most d·D² for d taps.
    #[arg(long)]
    max_denominator: Option<u64>,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

/// The aim of the arguments, refused when out of range.
fn aim_of(args: &RationalizeArgs) -> Result<Aim, CliError> {
    match (args.tolerance, args.max_denominator) {
        (_, Some(0)) => Err(CliError::Input(
            "--max-denominator 0: a denominator is at least 1".into(),
        )),
        (_, Some(denominator)) => Ok(Aim::Denominator(BigInt::from(denominator))),
        (Some(tolerance), None) if !(tolerance >= SMALLEST_TOLERANCE && tolerance.is_finite()) => {
            Err(CliError::Input(format!(
                "--tolerance {tolerance}: give a finite distance of at least {SMALLEST_TOLERANCE:e}"
            )))
        }
        (tolerance, None) => Ok(Aim::Tolerance(tolerance.unwrap_or(DEFAULT_TOLERANCE))),
    }
}

/// A distance bound in text, never below the bound: six significant digits of the bound
/// raised by `10^-5` (more than the rounding of the sixth digit, `5·10^-6` relative).
fn bound_text(bound: f64) -> String {
    readable::number(bound * (1.0 + 1e-5))
}

/// The JSON of one filter's report.
fn filter_json(report: &FilterReport) -> serde_json::Value {
    json!({
        "layer": report.layer,
        "filter": report.filter,
        "kept": report.kept,
        "denominator": report.unit.denominator.to_string(),
        "distance": report.unit.distance(),
        "distance-bound": report.unit.distance_bound(),
    })
}

/// Prints the reports, in text or JSON.
fn print_reports(args: &RationalizeArgs, aim: &Aim, reports: &[FilterReport]) {
    let largest_bound = largest_distance_bound(reports);
    let largest = reports
        .iter()
        .map(|r| r.unit.distance())
        .fold(0.0, f64::max);
    if args.json {
        print_json(&json!({
            "file": args.out.display().to_string(),
            "tolerance": match aim { Aim::Tolerance(t) => Some(*t), Aim::Denominator(_) => None },
            "max-denominator": args.max_denominator,
            "filters": reports.iter().map(filter_json).collect::<Vec<_>>(),
            "largest-distance": largest,
            "largest-distance-bound": largest_bound,
        }));
        return;
    }
    outln!("layer filter   denominator     distance        bound");
    for report in reports {
        let denominator = if report.kept {
            "kept".to_string()
        } else {
            report.unit.denominator.to_string()
        };
        outln!(
            "{:>5} {:>6} {:>13} {:>12} {:>12}",
            report.layer,
            report.filter,
            denominator,
            readable::number(report.unit.distance()),
            bound_text(report.unit.distance_bound())
        );
    }
    outln!(
        "largest distance {} (at most {}); every filter of {} has squared norm exactly 1",
        readable::number(largest),
        bound_text(largest_bound),
        args.out.display()
    );
}

/// Runs `rationalize`.
pub fn run(args: RationalizeArgs) -> Result<i32, CliError> {
    let aim = aim_of(&args)?;
    check_output_file(&args.out, "--out", Some(args.overwrite))?;
    if resolved_path(&args.out) == resolved_path(&args.file) {
        return Err(CliError::Input(format!(
            "--out {} is the input file; write the unit filters to another path, so the file given is kept",
            args.out.display()
        )));
    }
    let file = read_instance_file(&args.file)?;
    let (written, reports) = rationalize_instance(&file, &aim)
        .map_err(|e| CliError::Input(format!("{}: {e}", args.file.display())))?;
    let text = serde_json::to_string_pretty(&written).expect("an instance serialises") + "\n";
    write_new_file(&args.out, &text, args.overwrite)?;
    print_reports(&args, &aim, &reports);
    Ok(0)
}
