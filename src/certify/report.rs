//! The report of `mlcsc certify`: per layer and channel what the fold gives and whether the
//! window of Theorem 2 for real layers can hold, and the certified region
//! (`proofs/certified_region.md`; on images `proofs/two_dimensions.md`, G10 and G11). Keys are
//! kebab-case (docs/command-line.md); an image network's report adds the `[h, w]` pairs
//! `filter-shape`, `strides` and `last-window-shape`, absent for a one-dimensional one.

use mlcsc_engines::folded_coherence_screen::screened_channel_coherence_squared;
use mlcsc_spec::certified_region::{
    AxisFigures, CertifiedRegion, LayerFigures, LayerRegion, certified_region_on_grids,
    inapplicable_reason,
};
use mlcsc_spec::folding::{FoldedLayer, FoldedNetwork, fold, fold_with};
use mlcsc_spec::scalar::Scalar;
use mlcsc_spec::strided_coherence::grid_welch_bound_squared;
use mlcsc_spec::tolerance::CERTIFIED_REGION_RELATIVE_MARGIN;
use serde::Serialize;

use super::figures::{layer_figures, row_figures};
use super::network::{SpecNetwork, spec_network, spec_read_network};
use crate::io::describe_grid_geometry;
use crate::io::network::{NetworkFile, ReadNetwork};

/// The format tag of `certify.json`.
pub const CERTIFY_FORMAT: &str = "mlcsc-certify-1";

/// The whole report.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct CertifyReport {
    /// [`CERTIFY_FORMAT`].
    pub format: &'static str,
    /// Whether the fold was exact (no batch norm); `false`: folded in `f64`.
    pub exact: bool,
    /// How the region's inequalities were decided.
    pub decided_by: String,
    /// Per layer.
    pub layers: Vec<LayerReport>,
    /// The certified region.
    pub region: RegionReport,
}

/// One folded layer.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct LayerReport {
    /// From 1.
    pub layer: usize,
    /// `n_i` (pooling folded in); `n_w` on an image layer.
    pub filter_length: usize,
    /// `σ_i`; `σ_w` on an image layer.
    pub stride: usize,
    /// `[n_h, n_w]` on an image layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_shape: Option<[usize; 2]>,
    /// `[σ_h, σ_w]` on an image layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strides: Option<[usize; 2]>,
    /// The stride and padding, in words.
    pub geometry: String,
    /// The dead channels (zero folded filter), by index.
    pub dead_channels: Vec<usize>,
    /// `max_c μ_{i,c}`.
    pub coherence: f64,
    /// The strided Welch-type bound on `μ`, when there is one.
    pub welch_bound: Option<f64>,
    /// How many live channels can meet their window.
    pub applicable_channels: usize,
    /// The live channels.
    pub channels: Vec<ChannelReport>,
}

/// One live channel.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ChannelReport {
    /// Its index in the network.
    pub channel: usize,
    /// `ρ`.
    pub rho: f64,
    /// `β = −b/ρ`.
    pub beta: f64,
    /// `μ_c`.
    pub coherence: f64,
    /// Whether its window can hold.
    pub applicable: bool,
    /// Why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

/// The region at one nonzero per stripe.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RegionReport {
    /// Whether nothing is certified.
    pub empty: bool,
    /// The first empty layer's reason.
    pub reason: Option<String>,
    /// Every noise level below this is certified.
    pub epsilon_0: Option<f64>,
    /// `ε_K` at `epsilon-0`.
    pub epsilon_k: Option<f64>,
    /// The declared `w_K`, the last layer's filter length (`n_w` on an image).
    pub last_window: usize,
    /// The declared `h × w_K`, `[n_h, n_w]` of the last layer, on an image network.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_window_shape: Option<[usize; 2]>,
    /// Per layer.
    pub layers: Vec<RegionLayerReport>,
}

/// One layer of the region.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RegionLayerReport {
    /// From 1.
    pub layer: usize,
    /// At `s = 1` and zero noise: amplitudes strictly between `above` and `below`.
    pub amplitude_band: Option<AmplitudeBand>,
    /// `ε_{i-1} ≤ slope · ε_0 + offset`.
    pub epsilon_previous: Option<[f64; 2]>,
    /// The largest stripe sparsity with a non-empty band at zero noise.
    pub largest_stripe_sparsity: Option<usize>,
    /// Why the layer has no region.
    pub empty: Option<String>,
}

/// `above < |Γ| < below`; `below` null for no upper limit.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct AmplitudeBand {
    /// The lower limit (exclusive).
    pub above: f64,
    /// The upper limit (exclusive), if any.
    pub below: Option<f64>,
}

/// The report of a network as read: spec network, fold, figures, region. Errors (a layer the
/// fold refuses, a weight that is not finite) name the layer.
pub fn certify(file: &NetworkFile) -> Result<CertifyReport, String> {
    report_of_network(spec_network(file)?)
}

/// [`certify`] of a one-dimensional or image network as read
/// ([`crate::io::network::read_network`]).
pub fn certify_read(read: &ReadNetwork) -> Result<CertifyReport, String> {
    report_of_network(spec_read_network(read)?)
}

/// The report of a network of the specification.
fn report_of_network(network: SpecNetwork) -> Result<CertifyReport, String> {
    match network {
        SpecNetwork::Exact(network) => {
            let folded = fold_with(&network, screened_channel_coherence_squared)
                .map_err(|e| e.to_string())?;
            Ok(report_of(&folded, true))
        }
        SpecNetwork::Float(network) => {
            let folded = fold(&network).map_err(|e| e.to_string())?;
            Ok(report_of(&folded, false))
        }
    }
}

/// The report of a folded network.
pub fn report_of<S: Scalar>(folded: &FoldedNetwork<S>, exact: bool) -> CertifyReport {
    let figures = layer_figures(folded);
    let rows = row_figures(folded);
    let region = certified_region_on_grids(&figures, &rows);
    let image = folded.layers.iter().any(|layer| !is_line(layer));
    let mut previous_live = folded.input_channels;
    let layers = folded
        .layers
        .iter()
        .zip(&figures)
        .map(|(layer, figures)| {
            let geometry = layer.grid_geometry();
            let welch = grid_welch_bound_squared(
                layer.live.len(),
                layer.filter_shape,
                previous_live,
                (geometry.rows.stride, geometry.columns.stride),
            );
            previous_live = layer.live.len();
            let mut report = layer_report(
                figures,
                layer.geometry.describe(),
                layer.dead.clone(),
                welch,
            );
            if image {
                report.geometry = describe_grid_geometry(&geometry);
                report.filter_shape = Some([layer.filter_shape.rows, layer.filter_shape.columns]);
                report.strides = Some([geometry.rows.stride, geometry.columns.stride]);
            }
            report
        })
        .collect();
    let mut region = region_report(&region, &figures);
    if image {
        region.last_window_shape = rows
            .last()
            .zip(figures.last())
            .map(|(rows, columns): (&AxisFigures, _)| [rows.window, columns.window]);
    }
    CertifyReport {
        format: CERTIFY_FORMAT,
        exact,
        decided_by: format!(
            "f64 with a relative margin of {CERTIFIED_REGION_RELATIVE_MARGIN:e} against the certificate (every upper limit shrunk, every lower limit grown)"
        ),
        layers,
        region,
    }
}

/// Whether a folded layer is one-dimensional (as [`mlcsc_spec::model::Layer::is_line`]).
fn is_line<S>(layer: &FoldedLayer<S>) -> bool {
    use mlcsc_spec::model::{FilterShape, GridGeometry};
    layer.grid_geometry() == GridGeometry::line(layer.geometry)
        && layer.filter_shape == FilterShape::line(layer.filter_shape.taps())
}

/// One layer's report.
fn layer_report(
    figures: &LayerFigures,
    geometry: String,
    dead_channels: Vec<usize>,
    welch: Option<crate::scalar::Rational>,
) -> LayerReport {
    let channels: Vec<ChannelReport> = figures
        .channels
        .iter()
        .map(|c| ChannelReport {
            channel: c.channel,
            rho: c.rho,
            beta: c.beta,
            coherence: c.coherence,
            applicable: inapplicable_reason(c.beta).is_none(),
            reason: inapplicable_reason(c.beta),
        })
        .collect();
    LayerReport {
        layer: figures.layer,
        filter_length: figures.filter_length,
        stride: figures.stride,
        filter_shape: None,
        strides: None,
        geometry,
        dead_channels,
        coherence: channels.iter().map(|c| c.coherence).fold(0.0, f64::max),
        welch_bound: welch.map(|w| w.to_f64().sqrt()),
        applicable_channels: channels.iter().filter(|c| c.applicable).count(),
        channels,
    }
}

/// The region's report.
fn region_report(region: &CertifiedRegion, figures: &[LayerFigures]) -> RegionReport {
    let layers: Vec<RegionLayerReport> = region
        .layers
        .iter()
        .map(|layer| match layer {
            LayerRegion::Band(band) => RegionLayerReport {
                layer: band.layer,
                amplitude_band: Some(AmplitudeBand {
                    above: band.amplitude_band.0,
                    below: band.amplitude_band.1,
                }),
                epsilon_previous: Some([band.epsilon_slope, band.epsilon_offset]),
                largest_stripe_sparsity: Some(band.largest_stripe_sparsity),
                empty: None,
            },
            LayerRegion::Empty { layer, reason } => RegionLayerReport {
                layer: *layer,
                amplitude_band: None,
                epsilon_previous: None,
                largest_stripe_sparsity: None,
                empty: Some(reason.clone()),
            },
        })
        .collect();
    let reason = layers.iter().find_map(|l| {
        l.empty
            .as_ref()
            .map(|why| format!("layer {}: {why}", l.layer))
    });
    RegionReport {
        empty: region.is_empty(),
        reason,
        epsilon_0: region.epsilon_0,
        epsilon_k: region.epsilon_k,
        last_window: figures.last().map_or(0, |f| f.window),
        last_window_shape: None,
        layers,
    }
}
