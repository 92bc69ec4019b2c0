//! `mlcsc head-to-head`: the forward pass against layered basis pursuit over contrast × noise,
//! as CSV and SVG.

use std::path::PathBuf;

use crate::campaign::head_to_head::{HeadToHeadCell, head_to_head, head_to_head_csv};
use clap::Args;
use plotters::prelude::*;

use super::output::{CliError, outln, output_folder, print_json, write_new_file};

/// Arguments of `head-to-head`.
#[derive(Args, Debug)]
pub struct HeadToHeadArgs {
    /// Cases per grid cell.
    #[arg(long, default_value_t = 24)]
    cases: usize,
    /// Master seed.
    #[arg(long, default_value_t = 2017)]
    seed: u64,
    /// A new (or empty) folder for `head-to-head.csv` and `head-to-head.svg` (default: a
    /// fresh `mlcsc-head-to-head` folder).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

const CONTRASTS: [f64; 8] = [0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0];
const NOISES: [f64; 3] = [0.01, 0.05, 0.15];

pub fn run(args: HeadToHeadArgs) -> Result<i32, CliError> {
    if args.cases == 0 || args.cases > 100_000 {
        return Err(CliError::Input(format!(
            "--cases {}: must be between 1 and 100000",
            args.cases
        )));
    }
    let out = output_folder(args.out.clone(), "--out", "mlcsc-head-to-head")?;
    let cells = head_to_head(&CONTRASTS, &NOISES, args.cases, args.seed);
    let csv_path = out.join("head-to-head.csv");
    let svg_path = out.join("head-to-head.svg");
    // The picture is rendered before the first file is written.
    let mut picture = String::new();
    plot(&mut picture, &cells)
        .map_err(|e| CliError::Input(format!("{}: {e}", svg_path.display())))?;
    write_new_file(&csv_path, &head_to_head_csv(&cells), false)?;
    write_new_file(&svg_path, &picture, false)?;
    if args.json {
        print_json(
            &serde_json::json!({ "csv": csv_path.display().to_string(), "svg": svg_path.display().to_string(), "cells": cells }),
        );
    } else {
        outln!(
            "{:>8} {:>6} {:>22} {:>22}",
            "contrast",
            "noise",
            "forward pass ok (hyp)",
            "basis pursuit ok (hyp)"
        );
        for c in &cells {
            outln!(
                "{:>8} {:>6} {:>14}/{} ({:>3}) {:>14}/{} ({:>3})",
                c.contrast,
                c.noise,
                c.forward_success,
                c.cases,
                c.forward_hypotheses,
                c.basis_pursuit_success,
                c.cases,
                c.basis_pursuit_hypotheses
            );
        }
        outln!("wrote {} and {}", csv_path.display(), svg_path.display());
    }
    Ok(0)
}

fn plot(buffer: &mut String, cells: &[HeadToHeadCell]) -> Result<(), String> {
    let root = SVGBackend::with_string(buffer, (1000, 440)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let panels = root.split_evenly((1, 2));
    let colors = [BLUE, RED, GREEN];
    for (panel, title) in panels
        .iter()
        .zip(["forward pass (soft thresholding)", "layered basis pursuit"])
    {
        let mut chart = ChartBuilder::on(panel)
            .caption(format!("{title}: support recovered"), ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(34)
            .y_label_area_size(40)
            .build_cartesian_2d(0f64..1f64, 0f64..1.05f64)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("contrast |Γmin| / |Γmax|")
            .y_desc("fraction of cases")
            .draw()
            .map_err(|e| e.to_string())?;
        for (k, &noise) in NOISES.iter().enumerate() {
            let color = colors[k % colors.len()];
            let points: Vec<(f64, f64, f64)> = cells
                .iter()
                .filter(|c| c.noise == noise)
                .map(|c| {
                    let (ok, hyp) = if title.starts_with("forward") {
                        (c.forward_success, c.forward_hypotheses)
                    } else {
                        (c.basis_pursuit_success, c.basis_pursuit_hypotheses)
                    };
                    (
                        c.contrast,
                        ok as f64 / c.cases as f64,
                        hyp as f64 / c.cases as f64,
                    )
                })
                .collect();
            chart
                .draw_series(LineSeries::new(
                    points.iter().map(|p| (p.0, p.1)),
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(format!("recovered, noise {noise}·|Γmax|"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
                });
            chart
                .draw_series(
                    points
                        .iter()
                        .map(|p| Circle::new((p.0, p.2), 3, color.filled())),
                )
                .map_err(|e| e.to_string())?
                .label("• hypotheses hold")
                .legend(move |(x, y)| Circle::new((x + 8, y), 3, color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())?;
    }
    root.present().map_err(|e| e.to_string())
}
