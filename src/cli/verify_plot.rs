//! The plot of `verify`: for every theorem, the distribution of tightness (observed error /
//! bound) over the cases that met the hypotheses.

use std::path::Path;

use crate::campaign::CampaignReport;
use plotters::prelude::*;

const BINS: usize = 20;

/// Draws the plot in memory, then writes it atomically (never over an existing file).
pub fn tightness_plot(path: &Path, reports: &[&CampaignReport]) -> Result<(), String> {
    let mut svg = String::new();
    draw(&mut svg, reports)?;
    crate::io::write_atomically(path, svg.as_bytes(), false)
}

fn draw(buffer: &mut String, reports: &[&CampaignReport]) -> Result<(), String> {
    let series: Vec<(&str, Vec<usize>)> = reports
        .iter()
        .filter(|r| r.status == "theorem")
        .map(|r| {
            let mut counts = vec![0usize; BINS];
            for t in r
                .records
                .iter()
                .filter_map(|c| c.tightness)
                .filter(|t| t.is_finite())
            {
                counts[((t.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1)] += 1;
            }
            (r.conjecture.as_str(), counts)
        })
        .collect();
    let peak = series
        .iter()
        .flat_map(|(_, c)| c.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1);
    let root = SVGBackend::with_string(buffer, (800, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Theorem 2: observed patch error / bound ε_i (largest over layers)",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(0f64..1f64, 0usize..peak + peak / 10 + 1)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("tightness")
        .y_desc("cases")
        .draw()
        .map_err(|e| e.to_string())?;
    let colors = [BLUE, RED, GREEN, MAGENTA, CYAN, BLACK];
    for (k, (name, counts)) in series.iter().enumerate() {
        let color = colors[k % colors.len()];
        chart
            .draw_series(LineSeries::new(
                counts
                    .iter()
                    .enumerate()
                    .map(|(b, &c)| ((b as f64 + 0.5) / BINS as f64, c)),
                color.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label(*name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
