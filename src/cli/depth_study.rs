//! `mlcsc depth-study`: the fraction of cases meeting Theorem 2's hypotheses against the
//! fraction where the forward pass recovers every support, by depth and coherence (CSV, JSON
//! and SVG in a new folder).

use std::path::{Path, PathBuf};

use crate::campaign::depth_study::{DESIGNS, DepthStudyReport, run_depth_study};
use clap::Args;
use plotters::prelude::*;

use super::output::{CliError, outln, print_json};

/// Arguments of `depth-study`.
#[derive(Args, Debug)]
pub struct DepthStudyArgs {
    /// Cases per (depth, coherence) cell.
    #[arg(long, default_value_t = 100)]
    cases_per_cell: usize,
    /// Master seed.
    #[arg(long, default_value_t = 2017)]
    seed: u64,
    /// A new or empty folder for depth-study.{csv,json,svg} (default: a fresh
    /// `mlcsc-depth-study` folder).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

/// The most cases per cell.
const MAX_CASES_PER_CELL: usize = 100_000;

/// Runs `depth-study`.
pub fn run(args: DepthStudyArgs) -> Result<i32, CliError> {
    if args.cases_per_cell == 0 || args.cases_per_cell > MAX_CASES_PER_CELL {
        return Err(CliError::Input(format!(
            "--cases-per-cell {} must be between 1 and {MAX_CASES_PER_CELL}",
            args.cases_per_cell
        )));
    }
    let out = &super::output::output_folder(args.out.clone(), "--out", "mlcsc-depth-study")?;
    let report = run_depth_study(args.cases_per_cell, args.seed);
    let write =
        |name: &str, text: &str| super::output::write_new_file(&out.join(name), text, false);
    write("depth-study.csv", &report.to_csv())?;
    let mut json = serde_json::to_string_pretty(&report).expect("reports serialise");
    json.push('\n');
    write("depth-study.json", &json)?;
    let mut svg = String::new();
    depth_plot(&mut svg, &report).map_err(CliError::Input)?;
    write("depth-study.svg", &svg)?;
    if args.json {
        print_json(&report);
    } else {
        print_table(&report, out);
    }
    let violated: usize = report.cells.iter().map(|c| c.violated).sum();
    Ok(if violated > 0 { 1 } else { 0 })
}

fn print_table(report: &DepthStudyReport, out: &Path) {
    outln!(
        "depth study: {} cases per cell, seed {}, nonnegative (ReLU) forward pass, thresholds at the window midpoint",
        report.cases_per_cell,
        report.seed
    );
    outln!(
        "{:>3} {:>24} {:>16} {:>20} {:>24}",
        "K",
        "filters",
        "hypotheses met",
        "recovered (midpoint)",
        "recoverable (best β_i)"
    );
    for c in &report.cells {
        outln!(
            "{:>3} {:>24} {:>15.0}% {:>19.0}% {:>23.0}%",
            c.depth,
            c.design.label(),
            100.0 * c.hypotheses_met as f64 / c.cases as f64,
            100.0 * c.support_recovered as f64 / c.cases as f64,
            100.0 * c.recoverable as f64 / c.cases as f64
        );
    }
    outln!("written to {}", out.display());
}

/// Two panels against depth, one line per coherence level: the fraction meeting the
/// hypotheses, and the fraction whose supports were recovered.
fn depth_plot(buffer: &mut String, report: &DepthStudyReport) -> Result<(), String> {
    let root = SVGBackend::with_string(buffer, (1400, 460)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let title = format!(
        "Theorem 2 with depth: ReLU forward pass, thresholds at the window midpoint, {} cases per point, seed {}",
        report.cases_per_cell, report.seed
    );
    let root = root
        .titled(&title, ("sans-serif", 17))
        .map_err(|e| e.to_string())?;
    let panels = root.split_evenly((1, 3));
    let colours = [BLUE, RED, GREEN, MAGENTA];
    let captions = [
        "hypotheses of Theorem 2 hold",
        "every support recovered, β_i at the window midpoint",
        "every support recoverable by some β_i",
    ];
    for (panel_index, (panel, caption)) in panels.iter().zip(captions).enumerate() {
        let mut chart = ChartBuilder::on(panel)
            .caption(caption, ("sans-serif", 15))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(0.8f64..4.2f64, 0f64..1.05f64)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("depth K")
            .y_desc("fraction of cases")
            .x_labels(4)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .draw()
            .map_err(|e| e.to_string())?;
        for (k, &design) in DESIGNS.iter().enumerate() {
            let colour = colours[k % colours.len()];
            let points: Vec<(f64, f64)> = report
                .cells
                .iter()
                .filter(|c| c.design == design)
                .map(|c| {
                    let count = match panel_index {
                        0 => c.hypotheses_met,
                        1 => c.support_recovered,
                        _ => c.recoverable,
                    };
                    (c.depth as f64, count as f64 / c.cases.max(1) as f64)
                })
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(design.label())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
                });
            chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 4, colour.filled())),
                )
                .map_err(|e| e.to_string())?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::LowerLeft)
            .draw()
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}
