//! The picture of a certificate: one panel per layer, each live channel's coherence `μ_c`
//! (blue) and threshold `β_c` (green: applicable, red: `β ≤ 0`) against its index.

use plotters::prelude::*;

use super::report::{CertifyReport, LayerReport};

/// The SVG text of the picture of `report`.
pub fn certificate_svg(report: &CertifyReport) -> Result<String, String> {
    let mut buffer = String::new();
    {
        let count = report.layers.len().max(1);
        let height = 300 * u32::try_from(count).unwrap_or(1);
        let root = SVGBackend::with_string(&mut buffer, (900, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        for (layer, panel) in report.layers.iter().zip(root.split_evenly((count, 1))) {
            draw_layer(&panel, layer)?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(buffer)
}

/// One layer's panel.
fn draw_layer(
    panel: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    layer: &LayerReport,
) -> Result<(), String> {
    let values = layer.channels.iter().flat_map(|c| [c.beta, c.coherence]);
    let (low, high) = values.fold((0.0f64, 1.0f64), |(l, h), v| (l.min(v), h.max(v)));
    let width = layer.channels.iter().map(|c| c.channel).max().unwrap_or(0) as f64 + 1.0;
    let caption = format!(
        "layer {} ({}): μ_c (blue), β_c (green applicable, red not), {}/{} applicable",
        layer.layer,
        layer.geometry,
        layer.applicable_channels,
        layer.channels.len()
    );
    let mut chart = ChartBuilder::on(panel)
        .caption(caption, ("sans-serif", 14))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .build_cartesian_2d(-0.5..width - 0.5, low * 1.05..high * 1.05)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("channel")
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(
            layer
                .channels
                .iter()
                .map(|c| Circle::new((c.channel as f64, c.coherence), 3, BLUE.filled())),
        )
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(layer.channels.iter().map(|c| {
            let colour = if c.applicable { GREEN } else { RED };
            TriangleMarker::new((c.channel as f64, c.beta), 5, colour.filled())
        }))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(LineSeries::new(
            [(-0.5, 0.0), (width - 0.5, 0.0)],
            BLACK.mix(0.4),
        ))
        .map_err(|e| e.to_string())?;
    Ok(())
}
