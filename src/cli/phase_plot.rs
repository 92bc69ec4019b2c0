//! The picture of a phase study: two panels over the grid, the cells shaded by a fraction,
//! and the theorem's boundary in red.

use crate::campaign::phase::{PhaseCell, PhaseReport, PhaseStudy, boundary_contrast, design_name};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
pub(super) fn phase_plot(buffer: &mut String, report: &PhaseReport) -> Result<(), String> {
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
