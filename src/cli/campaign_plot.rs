//! The pictures of `mlcsc campaign --out DIR`: one SVG per target (each margin's histogram
//! over the cases that met the hypotheses, `histogram-NAME.svg`) and one of the declared
//! events' rates with their counts (`events.svg`), each drawn in memory and written
//! atomically, never over an existing file.

use std::path::{Path, PathBuf};

use crate::campaign::{CampaignReport, EventCount, Histogram};
use plotters::prelude::*;

/// `name` as a file name: ASCII letters, digits, `-` and `_` kept, anything else `-`.
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(100)
        .collect();
    if stem.is_empty() {
        "target".into()
    } else {
        stem
    }
}

/// A file name in `folder` not yet taken by `taken`: `STEM.svg`, then `STEM-2.svg`, ….
fn free_name(folder: &Path, stem: &str, taken: &mut Vec<PathBuf>) -> PathBuf {
    let mut path = folder.join(format!("{stem}.svg"));
    let mut k = 2;
    while taken.contains(&path) {
        path = folder.join(format!("{stem}-{k}.svg"));
        k += 1;
    }
    taken.push(path.clone());
    path
}

/// Writes the pictures of a finished campaign into `folder` (created when absent; checked new
/// or empty before the campaign ran) and returns their paths: every target's histogram, then
/// the events' rates when the entry declares events.
pub fn campaign_pictures(folder: &Path, report: &CampaignReport) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut written = Vec::new();
    let title = &report.conjecture;
    for (name, histogram) in &report.statistics.margins {
        let path = free_name(
            folder,
            &format!("histogram-{}", file_stem(name)),
            &mut written,
        );
        let mut svg = String::new();
        draw_histogram(&mut svg, title, name, histogram)?;
        crate::io::write_atomically(&path, svg.as_bytes(), false)?;
    }
    let events = &report.statistics.events;
    if !events.is_empty() {
        let path = free_name(folder, "events", &mut written);
        let mut svg = String::new();
        draw_events(&mut svg, title, report.statistics.cases, events)?;
        crate::io::write_atomically(&path, svg.as_bytes(), false)?;
    }
    Ok(written)
}

/// One margin's histogram: its bins from `min` to `max`, each bar's count above it.
fn draw_histogram(
    buffer: &mut String,
    title: &str,
    name: &str,
    histogram: &Histogram,
) -> Result<(), String> {
    let bins = histogram.counts.len().max(1);
    let (low, high) = if histogram.max > histogram.min {
        (histogram.min, histogram.max)
    } else {
        (histogram.min - 0.5, histogram.min + 0.5)
    };
    let width = (high - low) / bins as f64;
    let peak = histogram.counts.iter().copied().max().unwrap_or(0).max(1);
    let root = SVGBackend::with_string(buffer, (720, 420)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let cases: usize = histogram.counts.iter().sum();
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{title}: {name} ({cases} cases meeting the hypotheses)"),
            ("sans-serif", 16),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(low..high, 0usize..peak + peak / 8 + 1)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc(name)
        .y_desc("cases")
        .draw()
        .map_err(|e| e.to_string())?;
    let bars = histogram.counts.iter().enumerate().map(|(b, &count)| {
        let x0 = low + b as f64 * width;
        Rectangle::new([(x0, 0), (x0 + width, count)], BLUE.mix(0.6).filled())
    });
    chart.draw_series(bars).map_err(|e| e.to_string())?;
    let labels = histogram.counts.iter().enumerate().map(|(b, &count)| {
        let x = low + (b as f64 + 0.35) * width;
        Text::new(count.to_string(), (x, count), ("sans-serif", 12))
    });
    chart.draw_series(labels).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// The events' rates over all `cases`, one bar each, labelled with the counts (all cases, and
/// those meeting the hypotheses).
fn draw_events(
    buffer: &mut String,
    title: &str,
    cases: usize,
    events: &std::collections::BTreeMap<String, EventCount>,
) -> Result<(), String> {
    let total = cases.max(1) as f64;
    let root =
        SVGBackend::with_string(buffer, (720, 120 + 60 * events.len() as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let rows = events.len() as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{title}: events in {cases} cases"),
            ("sans-serif", 16),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(12)
        .build_cartesian_2d(0f64..1.0001f64, 0f64..rows)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("rate (cases with the event / all cases)")
        .disable_y_mesh()
        .y_labels(0)
        .draw()
        .map_err(|e| e.to_string())?;
    let placed: Vec<(f64, &String, &EventCount)> = (events.iter().enumerate())
        .map(|(k, (name, count))| (rows - 1.0 - k as f64, name, count))
        .collect();
    let bars = placed.iter().map(|(y, _, count)| {
        let rate = count.cases as f64 / total;
        Rectangle::new([(0.0, y + 0.2), (rate, y + 0.8)], GREEN.mix(0.5).filled())
    });
    chart.draw_series(bars).map_err(|e| e.to_string())?;
    let labels = placed.iter().map(|(y, name, count)| {
        Text::new(
            format!(
                "{name}: {} of {cases} cases, {} meeting the hypotheses",
                count.cases, count.hypotheses_met
            ),
            (0.01, y + 0.62),
            ("sans-serif", 13),
        )
    });
    chart.draw_series(labels).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
