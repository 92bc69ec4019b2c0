//! `mlcsc phase NAME`: a phase-transition study over a grid, with the theorem's boundary, written
//! as CSV, JSON and SVG into a fresh folder.

use super::output::outln;
use super::readable::number;
use std::path::PathBuf;
use std::time::Instant;

use crate::campaign::phase::{
    PhaseCell, PhaseReport, PhaseSettings, PhaseStudy, boundary_contrast, design_name, parse_design,
};
use crate::io::number::parse_rational;
use crate::pursuit::Thresholding;
use crate::scalar::rational_to_f64;
use clap::Args;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde_json::json;

use super::output::{CliError, output_folder, print_json, write_new_file};

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

/// A quantity shown for each cell.
type CellValue = fn(&PhaseCell) -> f64;

/// A white-to-blue colour for a fraction in `[0, 1]`.
fn shade(fraction: f64) -> RGBColor {
    let f = fraction.clamp(0.0, 1.0);
    let mix = |from: f64, to: f64| (from + (to - from) * f).round() as u8;
    RGBColor(mix(255.0, 31.0), mix(255.0, 86.0), mix(255.0, 160.0))
}

/// The horizontal axis shared by both panels of a phase plot.
struct PanelAxes {
    x_from: f64,
    x_to: f64,
    x_label: String,
    /// Stripe sparsity across (else noise).
    sparsity_axis: bool,
    /// Write each cell's value in it.
    annotate: bool,
}

/// The chart of one panel.
type PanelChart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// One panel of a phase plot: the cells shaded by `value` (annotated when small), then the
/// boundary in red.
fn draw_phase_panel(
    panel: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    caption: &str,
    value: CellValue,
    report: &PhaseReport,
    axes: &PanelAxes,
    boundary: &dyn Fn(f64) -> f64,
) -> Result<(), String> {
    let mut chart = ChartBuilder::on(panel)
        .caption(caption, ("sans-serif", 15))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(axes.x_from..axes.x_to, 0f64..1f64)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(axes.x_label.as_str())
        .y_desc("contrast |Γ^min| / |Γ^max|")
        .x_labels(if axes.sparsity_axis {
            report.settings.columns.min(20) + 1
        } else {
            6
        })
        .x_label_formatter(&|x| {
            if axes.sparsity_axis {
                format!("{x:.0}")
            } else {
                format!("{x:.2}")
            }
        })
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(report.cells.iter().map(|c| {
            let (x0, x1) = if axes.sparsity_axis {
                (c.x_low - 0.5, c.x_high + 0.5)
            } else {
                (c.x_low, c.x_high)
            };
            Rectangle::new(
                [(x0, c.contrast_low), (x1, c.contrast_high)],
                shade(value(c)).filled(),
            )
        }))
        .map_err(|e| e.to_string())?;
    if axes.annotate {
        annotate_cells(&mut chart, value, report, axes)?;
    }
    draw_boundary(&mut chart, axes, boundary)
}

/// The value of each cell written in it.
fn annotate_cells(
    chart: &mut PanelChart<'_, '_>,
    value: CellValue,
    report: &PhaseReport,
    axes: &PanelAxes,
) -> Result<(), String> {
    chart
        .draw_series(report.cells.iter().map(|c| {
            let x = (c.x_low + c.x_high) / 2.0
                - if axes.sparsity_axis {
                    0.18
                } else {
                    (c.x_high - c.x_low) * 0.18
                };
            let y = (c.contrast_low + c.contrast_high) / 2.0 + 0.015;
            let v = value(c);
            let colour = if v > 0.55 { WHITE } else { BLACK };
            Text::new(
                format!("{v:.2}"),
                (x, y),
                ("sans-serif", 10).into_font().color(&colour),
            )
        }))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The boundary `c = a + b x` in red, clipped to `0 ≤ c ≤ 1`.
fn draw_boundary(
    chart: &mut PanelChart<'_, '_>,
    axes: &PanelAxes,
    boundary: &dyn Fn(f64) -> f64,
) -> Result<(), String> {
    let (a, b) = (boundary(0.0), boundary(1.0) - boundary(0.0));
    let mut from = axes.x_from;
    let mut to = axes.x_to;
    if b > 0.0 {
        from = from.max(-a / b);
        to = to.min((1.0 - a) / b);
    }
    if from < to {
        chart
            .draw_series(LineSeries::new(
                (0..=100).map(|k| {
                    let x = from + (to - from) * k as f64 / 100.0;
                    (x, boundary(x))
                }),
                RED.stroke_width(3),
            ))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Two panels over the grid, the fraction of cases meeting the hypotheses and the fraction
/// recovering the support, each with the boundary `c = (2s − 1)μ + 2ε_0` in red.
fn phase_plot(buffer: &mut String, report: &PhaseReport) -> Result<(), String> {
    let s = &report.settings;
    let sparsity_axis = s.study == PhaseStudy::SparsityContrast;
    let (x_from, x_to): (f64, f64) = if sparsity_axis {
        (0.5, s.columns as f64 + 0.5)
    } else {
        (
            0.0,
            report.cells.iter().map(|c| c.x_high).fold(0.0, f64::max),
        )
    };
    if !(x_from.is_finite() && x_to.is_finite() && x_from < x_to) {
        return Err(format!(
            "the horizontal axis [{x_from}, {x_to}] is not a finite range; nothing was plotted"
        ));
    }
    let root = SVGBackend::with_string(buffer, (1100, 540)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let title = format!(
        "{}: {} layer (μ = {:.4}), {} thresholding, {} cases per cell, seed {}",
        s.study.name(),
        design_name(s.design),
        report.coherence,
        s.variant.name(),
        s.cases_per_cell,
        s.seed
    );
    let root = root
        .titled(&title, ("sans-serif", 17))
        .map_err(|e| e.to_string())?;
    let (subtitle, root) = root.split_vertically(22);
    let (width, _) = subtitle.dim_in_pixel();
    subtitle
        .draw(&Text::new(
            "red: the boundary of hypothesis (a), c = (2s − 1)μ + 2ε_0 / |Γ^max|; Theorem 2 applies above it",
            (width as i32 / 2, 4),
            ("sans-serif", 14).into_font().color(&RED).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(|e| e.to_string())?;
    let panels = root.split_evenly((1, 2));
    let x_label = if sparsity_axis {
        "stripe sparsity s = ‖Γ‖^S_0,∞".to_string()
    } else {
        format!(
            "noise ε_0 = ‖E‖^P_2,∞ (declared budget), s = {}",
            s.sparsity
        )
    };
    let annotate = s.columns <= 12 && s.rows <= 12;
    let boundary = |x: f64| {
        if sparsity_axis {
            boundary_contrast(report.coherence, 0, 0.0) + 2.0 * x * report.coherence
        } else {
            boundary_contrast(report.coherence, s.sparsity, x)
        }
    };
    let kinds: [(&str, CellValue); 2] = [
        ("hypotheses of Theorem 2 hold (fraction)", |c| {
            c.hypotheses_fraction()
        }),
        ("support recovered exactly (fraction)", |c| {
            c.recovery_fraction()
        }),
    ];
    let axes = PanelAxes {
        x_from,
        x_to,
        x_label,
        sparsity_axis,
        annotate,
    };
    for (panel, (caption, value)) in panels.iter().zip(kinds) {
        draw_phase_panel(panel, caption, value, report, &axes, &boundary)?;
    }
    root.present().map_err(|e| e.to_string())
}
