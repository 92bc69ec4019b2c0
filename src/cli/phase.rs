//! `mlcsc phase NAME`: a phase-transition study over a grid, with the theorem's boundary, written
//! as CSV, JSON and SVG into a fresh folder.

use super::output::outln;
use super::readable::number;
use std::path::PathBuf;
use std::time::Instant;

use crate::campaign::phase::{PhaseReport, PhaseSettings, PhaseStudy, design_name, parse_design};
use crate::io::number::parse_rational;
use crate::pursuit::Thresholding;
use crate::scalar::rational_to_f64;
use clap::Args;
use serde_json::json;

use super::output::{CliError, output_folder, print_json, write_new_file};
use super::phase_plot::phase_plot;

/// Arguments of `phase`.
#[derive(Args, Debug)]
pub struct PhaseArgs {
    /// A study: `theorem2-sparsity-contrast` or `theorem2-noise-contrast`.
    name: String,
    /// Cells as `COLUMNSxROWS` (or one number for a square grid); the sparsity study's columns
    /// are s = 1..=COLUMNS.
    #[arg(long, default_value = "10x10")]
    grid_size: String,
    /// Cases drawn in each cell.
    #[arg(long, default_value_t = 40)]
    cases_per_cell: usize,
    /// Master seed: the whole grid depends on it alone.
    #[arg(long, default_value_t = 2017)]
    seed: u64,
    /// The layer: dirac, binary4, binary9, binary16, binary-pair16, barker13, householder.
    #[arg(long, default_value = "barker13")]
    design: String,
    /// The pursuit's operator: soft, nonnegative or hard.
    #[arg(long, default_value = "soft")]
    variant: String,
    /// The stripe sparsity of the noise study.
    #[arg(long, default_value_t = 2)]
    sparsity: usize,
    /// The noise axis covers [0, LARGEST_NOISE] (an exact number, such as 1/2).
    #[arg(long, default_value = "1/2")]
    largest_noise: String,
    /// A new (or empty) folder for the CSV, JSON and SVG (default: a fresh `phase-NAME`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

fn parse_grid(text: &str) -> Result<(usize, usize), CliError> {
    let bad = || {
        CliError::Input(format!(
            "--grid-size {text:?}: expected COLUMNSxROWS (such as 8x10) or one number"
        ))
    };
    let (columns, rows) = match text.split_once(['x', 'X']) {
        Some((c, r)) => (
            c.trim().parse().map_err(|_| bad())?,
            r.trim().parse().map_err(|_| bad())?,
        ),
        None => {
            let n = text.trim().parse().map_err(|_| bad())?;
            (n, n)
        }
    };
    if columns == 0 || rows == 0 || columns * rows > 10_000 {
        return Err(CliError::Input(format!(
            "--grid-size {text:?}: need 1 to 10000 cells"
        )));
    }
    Ok((columns, rows))
}

fn settings_of(args: &PhaseArgs) -> Result<PhaseSettings, CliError> {
    let study = PhaseStudy::parse(&args.name).ok_or_else(|| {
        let names: Vec<_> = PhaseStudy::ALL.iter().map(|s| s.name()).collect();
        CliError::Input(format!(
            "unknown study {:?}; studies: {}",
            args.name,
            names.join(", ")
        ))
    })?;
    let mut settings = PhaseSettings::new(study);
    (settings.columns, settings.rows) = parse_grid(&args.grid_size)?;
    settings.cases_per_cell = args.cases_per_cell;
    settings.seed = args.seed;
    settings.sparsity = args.sparsity;
    settings.design = parse_design(&args.design)
        .ok_or_else(|| CliError::Input(format!("--design {:?}: unknown design", args.design)))?;
    settings.variant = Thresholding::parse(&args.variant).ok_or_else(|| {
        CliError::Input(format!(
            "--variant {:?}: expected soft, nonnegative or hard",
            args.variant
        ))
    })?;
    settings.largest_noise = parse_rational(&args.largest_noise)
        .map_err(|e| CliError::Input(format!("--largest-noise: {e}")))?;
    if !rational_to_f64(&settings.largest_noise).is_finite() {
        return Err(CliError::Input(format!(
            "--largest-noise {}: beyond the largest f64 (about 1.8e308), so the plot's axis cannot show it; give a smaller level",
            args.largest_noise
        )));
    }
    let level = rational_to_f64(&settings.largest_noise);
    // A positive level whose f64 image is zero or subnormal.
    if level < f64::MIN_POSITIVE && num_traits::Signed::is_positive(&settings.largest_noise) {
        return Err(CliError::Input(format!(
            "--largest-noise {}: below the smallest normal f64 (about 2.2e-308), so the plot's axis cannot show it; give a larger level",
            args.largest_noise
        )));
    }
    if args.cases_per_cell == 0 || args.cases_per_cell > 100_000 {
        return Err(CliError::Input("--cases-per-cell: need 1 to 100000".into()));
    }
    settings.validate().map_err(CliError::Input)?;
    Ok(settings)
}

pub fn run(args: PhaseArgs) -> Result<i32, CliError> {
    let settings = settings_of(&args)?;
    let folder = output_folder(args.out.clone(), "--out", &format!("phase-{}", args.name))?;
    let started = Instant::now();
    let report = crate::campaign::phase::run_phase_study(&settings).map_err(CliError::Input)?;
    let seconds = started.elapsed().as_secs_f64();
    let name = settings.study.name();
    let csv = folder.join(format!("{name}.csv"));
    let svg = folder.join(format!("{name}.svg"));
    let report_path = folder.join(format!("{name}.json"));
    // Everything is rendered before the first file is written.
    let mut picture = String::new();
    phase_plot(&mut picture, &report)
        .map_err(|e| CliError::Input(format!("{}: {e}", svg.display())))?;
    write_new_file(&csv, &report.to_csv(), false)?;
    write_new_file(
        &report_path,
        &serde_json::to_string_pretty(&report).expect("reports serialise"),
        false,
    )?;
    write_new_file(&svg, &picture, false)?;
    let ok = report.violated() == 0 && report.undecided() == 0;
    if args.json {
        print_json(&json!({
            "study": name,
            "ok": ok,
            "cases": report.cases(),
            "hypotheses-met": report.hypotheses_met(),
            "violated": report.violated(),
            "undecided": report.undecided(),
            "seconds": seconds,
            "csv": csv,
            "svg": svg,
            "report": report_path,
            "phase": report,
        }));
    } else {
        print_summary(&report, seconds);
        outln!(
            "written: {}, {}, {}",
            csv.display(),
            svg.display(),
            report_path.display()
        );
    }
    Ok(if ok { 0 } else { 1 })
}

fn print_summary(report: &PhaseReport, seconds: f64) {
    let s = &report.settings;
    outln!(
        "{}: design {} (μ = {} ≈ {}), {} thresholding, {} × {} cells × {} cases, seed {}",
        s.study.name(),
        design_name(s.design),
        super::readable::number_text(&report.coherence_exact)
            .unwrap_or_else(|| report.coherence_exact.clone()),
        number(report.coherence),
        s.variant.name(),
        s.columns,
        s.rows,
        s.cases_per_cell,
        s.seed
    );
    outln!(
        "{} cases in {:.2} s: hypotheses met in {}, support recovered in {}, violated {}, undecided {}",
        report.cases(),
        seconds,
        report.hypotheses_met(),
        report
            .cells
            .iter()
            .map(|c| c.support_recovered)
            .sum::<usize>(),
        report.violated(),
        report.undecided()
    );
    outln!(
        "recovery fraction (rows: contrast from high to low; 'T' marks cells where every case met the hypotheses)"
    );
    for row in (0..s.rows).rev() {
        let cells: Vec<String> = report
            .cells
            .iter()
            .filter(|c| c.row == row)
            .map(|c| {
                let mark = if c.hypotheses_met == c.cases {
                    "T"
                } else {
                    " "
                };
                format!("{:>4.2}{mark}", c.recovery_fraction())
            })
            .collect();
        let c = report
            .cells
            .iter()
            .find(|c| c.row == row)
            .expect("rows are full");
        outln!(
            "c ∈ [{:.2}, {:.2}) {}",
            c.contrast_low,
            c.contrast_high,
            cells.join(" ")
        );
    }
}
