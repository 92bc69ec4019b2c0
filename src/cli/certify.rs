//! `mlcsc certify --weights FILE --manifest FILE`: what Theorem 2 for real layers guarantees
//! for a trained network (`proofs/certified_region.md`): per layer the coherence, the
//! strided Welch-type bound and the channels whose window can hold, then the certified region.
//! `--out DIR` (new or empty) also gets `certify.json` and `certify.svg`.

use std::path::PathBuf;

use clap::Args;

use super::output::{CliError, outln, output_folder, print_json, write_new_file};
use crate::certify::certify_read;
use crate::certify::plot::certificate_svg;
use crate::certify::report::{CertifyReport, LayerReport, RegionReport};
use crate::io::network::read_network;

/// Arguments of `certify`.
#[derive(Args, Debug)]
pub struct CertifyArgs {
    /// The weights (.safetensors or .npz).
    #[arg(long, value_name = "FILE")]
    weights: PathBuf,
    /// The manifest (mlcsc-network-1) naming each layer's tensors.
    #[arg(long, value_name = "FILE")]
    manifest: PathBuf,
    /// Machine-readable output, every channel's row included.
    #[arg(long)]
    json: bool,
    /// A new or empty folder for certify.json and certify.svg.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// `certify` with parsed arguments: exit 0 with the report, 2 on bad input (before any
/// output is written).
pub fn run(args: CertifyArgs) -> Result<i32, CliError> {
    if let Some(out) = &args.out {
        super::output::check_output_folder(out, "--out", true)?;
    }
    let network =
        read_network(&args.weights, &args.manifest).map_err(|e| CliError::Input(e.to_string()))?;
    let report = certify_read(&network)
        .map_err(|why| CliError::Input(format!("{}: {why}", args.manifest.display())))?;
    if let Some(out) = args.out {
        let folder = output_folder(Some(out), "--out", "mlcsc-certify")?;
        let text = serde_json::to_string_pretty(&report).expect("reports serialise");
        write_new_file(&folder.join("certify.json"), &(text + "\n"), false)?;
        let svg = certificate_svg(&report).map_err(CliError::Input)?;
        write_new_file(&folder.join("certify.svg"), &svg, false)?;
    }
    if args.json {
        print_json(&report);
    } else {
        print_text(&report);
    }
    Ok(0)
}

/// The terminal form: one row per layer, then the region.
fn print_text(report: &CertifyReport) {
    outln!(
        "fold: {}; decided by {}",
        if report.exact {
            "exact"
        } else {
            "f64 (batch norm)"
        },
        report.decided_by
    );
    outln!(
        "{:>5}  {:<28}  {:>4}  {:>9}  {:>9}  {:>12}  {:>18}  reasons",
        "layer",
        "geometry",
        "n",
        "μ",
        "Welch",
        "applicable",
        "β range"
    );
    for layer in &report.layers {
        print_layer(layer);
    }
    print_region(&report.region);
}

/// One layer's row.
fn print_layer(layer: &LayerReport) {
    let (low, high) = layer
        .channels
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), c| {
            (l.min(c.beta), h.max(c.beta))
        });
    let worst = reason_counts(layer);
    let welch = layer
        .welch_bound
        .map_or_else(|| "none".to_string(), |w| format!("{w:.4}"));
    let dead = if layer.dead_channels.is_empty() {
        String::new()
    } else {
        format!(" ({} dead)", layer.dead_channels.len())
    };
    outln!(
        "{:>5}  {:<28}  {:>4}  {:>9.4}  {:>9}  {:>12}  {:>18}  {worst}",
        layer.layer,
        layer.geometry,
        layer.filter_shape.map_or_else(
            || layer.filter_length.to_string(),
            |[h, w]| format!("{h}×{w}")
        ),
        layer.coherence,
        welch,
        format!(
            "{}/{}{dead}",
            layer.applicable_channels,
            layer.channels.len()
        ),
        format!("[{low:.3}, {high:.3}]"),
    );
}

/// The inapplicable channels counted by reason, each with its first channel: `97 positive
/// bias (first: channel 0)`; `-` when every channel is applicable.
fn reason_counts(layer: &LayerReport) -> String {
    let mut counts: Vec<(&str, usize, usize)> = Vec::new();
    for channel in &layer.channels {
        let Some(reason) = channel.reason else {
            continue;
        };
        let kind = reason.split(':').next().unwrap_or(reason);
        match counts.iter_mut().find(|(k, _, _)| *k == kind) {
            Some(entry) => entry.1 += 1,
            None => counts.push((kind, 1, channel.channel)),
        }
    }
    if counts.is_empty() {
        return "-".into();
    }
    counts
        .iter()
        .map(|(kind, count, first)| format!("{count} {kind} (first: channel {first})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The region: empty with its reason, or `ε_0`, `ε_K` and each layer's band.
fn print_region(region: &RegionReport) {
    outln!();
    match (&region.reason, region.epsilon_0, region.epsilon_k) {
        (None, Some(e0), Some(ek)) => outln!(
            "certified region (one nonzero per stripe, w_K = {}): every ε_0 < {e0:.4e}; then ε_K ≤ {ek:.4e}",
            region.last_window_shape.map_or_else(
                || region.last_window.to_string(),
                |[h, w]| format!("{h} × {w}")
            )
        ),
        (reason, _, _) => outln!(
            "certified region: empty ({})",
            reason.as_deref().unwrap_or("no noise level is certified")
        ),
    }
    for layer in &region.layers {
        match (&layer.amplitude_band, &layer.empty) {
            (Some(band), _) => outln!(
                "  layer {}: at zero noise {:.4e} < |Γ| < {}; largest stripe sparsity {}",
                layer.layer,
                band.above,
                band.below
                    .map_or_else(|| "∞".to_string(), |b| format!("{b:.4e}")),
                layer.largest_stripe_sparsity.unwrap_or(0)
            ),
            (None, Some(why)) => outln!("  layer {}: no region: {why}", layer.layer),
            (None, None) => {}
        }
    }
}
