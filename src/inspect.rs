//! The model's quantities per layer, as `mlcsc inspect` reports them (README.md, "The command line").

use serde::Serialize;

use crate::coherence::welch_bound;
use crate::io::{Instance, describe_grid_geometry, is_image_instance};
use crate::model::{Grid, Layer};
use crate::norms::patch_norm_squared;
use crate::scalar::Scalar;
use crate::scalar::rational_to_text;
use crate::strided_coherence::layer_welch_bound_squared;
use crate::strided_norms::atom_support_patch_norm_squared;
use crate::theorems::real_layers::{CoherenceSource, real_layer_profile};
use crate::theorems::theorem2_bounds::layer_profile;
use crate::theorems::theorem2_bounds::patch_width;
use mlcsc_spec::strided_coherence::channel_coherence;

/// The quantities of one layer.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct LayerQuantities {
    /// Layer, from 1.
    pub layer: usize,
    /// `m_i`.
    pub filters: usize,
    /// `n_i`.
    pub filter_length: usize,
    /// `m_{i-1}`.
    pub input_channels: usize,
    /// `μ(D_i)` as a float.
    pub coherence: f64,
    /// `μ(D_i)` exactly, or `null` when computed in `f64`.
    pub coherence_exact: Option<String>,
    /// `μ_{i,c}` for each output channel `c`: the largest correlation of an atom of channel `c`
    /// with another atom (`proofs/strided_coherence.md`); the largest of them is `coherence`.
    pub channel_coherence: Vec<f64>,
    /// The Welch-type lower bound on `μ(D_i)`.
    pub welch_bound: f64,
    /// `‖Γ_i‖^S_{0,∞}`.
    pub stripe_sparsity: usize,
    /// `‖Γ_i‖^P_{0,∞}(w)`.
    pub patch_sparsity: usize,
    /// `w`: `n_{i+1}`, or `w_K` at the last layer.
    pub patch_width: usize,
    /// `|Γ_i^min|`, or `null` for an all-zero `Γ_i`.
    pub gamma_min: Option<f64>,
    /// `|Γ_i^max|`, or `null` for an all-zero `Γ_i`.
    pub gamma_max: Option<f64>,
    /// `|Γ_i^min|` exactly.
    pub gamma_min_exact: Option<String>,
    /// `|Γ_i^max|` exactly.
    pub gamma_max_exact: Option<String>,
    /// `β_i` (channel 0's when the layer has one threshold per channel).
    pub threshold: f64,
    /// A layer that is not the paper's: its stride and padding (`stride 2, zero padding (1, 1)`);
    /// absent for a circular layer of stride 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geometry: Option<String>,
    /// An image layer's filters, `[n_h, n_w]`; absent for a one-dimensional layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_shape: Option<[usize; 2]>,
    /// An image layer's strides `[σ_h, σ_w]`; absent for a one-dimensional layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stride: Option<[usize; 2]>,
    /// An image layer's codes `Γ_i`, `[H_i, W_i]`; absent for a one-dimensional layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_shape: Option<[usize; 2]>,
    /// `β_{i,c}` for each output channel, when the layer's channels have their own thresholds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_thresholds: Option<Vec<f64>>,
}

/// What `inspect` reports about an instance.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct InspectReport {
    /// The instance's name.
    pub name: String,
    /// Where it comes from.
    pub source: String,
    /// `N`.
    pub signal_length: usize,
    /// An image's signal, `[H, W]` (`N = H W`); absent for a one-dimensional signal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal_shape: Option<[usize; 2]>,
    /// `m_0`.
    pub input_channels: usize,
    /// `soft`, `nonnegative` or `hard`.
    pub thresholding: &'static str,
    /// `exact` or `f64`.
    pub arithmetic: &'static str,
    /// `ε_0 = ‖E‖^P_{2,∞}(n_1)`.
    pub noise_patch_norm: f64,
    /// `(ε_0)²`, exactly.
    pub noise_patch_norm_squared_exact: Option<String>,
    /// The declared noise budget, if any.
    pub noise_budget: Option<f64>,
    /// One entry per layer.
    pub layers: Vec<LayerQuantities>,
}

fn exact<S: Scalar>(x: &S) -> Option<String> {
    if S::EXACT {
        x.to_rational().map(|r| rational_to_text(&r))
    } else {
        None
    }
}

/// Computes the quantities of every layer of an instance: those of Theorem 2 for the paper's
/// layers, and for an instance with a strided or padded layer, or one threshold per channel,
/// those of Theorem 2 for real layers (`real_layers_quantities`).
pub fn inspect_instance<S: Scalar>(instance: &Instance<S>) -> InspectReport {
    if instance.first_real_layer().is_some() || is_image_instance(instance) {
        return real_layers_quantities(instance);
    }
    let model = &instance.model;
    let chain = model
        .synthesis_chain(&instance.deepest_representation)
        .expect("shapes validated at construction");
    let depth = model.depth();
    let layers = (1..=depth)
        .map(|i| {
            let layer = model.layer(i);
            let gamma = &chain[i];
            let profile = layer_profile(model, i, gamma, instance.last_patch_width);
            let mu = &profile.coherence;
            // A zero Γ_i has no magnitudes (its profile reads 0 for them).
            let range = (profile.stripe_sparsity > 0)
                .then(|| (profile.gamma_min.clone(), profile.gamma_max.clone()));
            LayerQuantities {
                layer: i,
                filters: layer.filter_count(),
                filter_length: layer.filter_length(),
                input_channels: layer.input_channels(),
                coherence: mu.to_f64(),
                coherence_exact: exact(mu),
                channel_coherence: channel_coherence(layer).iter().map(S::to_f64).collect(),
                welch_bound: welch_bound(
                    layer.filter_count(),
                    layer.filter_length(),
                    layer.input_channels(),
                ),
                stripe_sparsity: profile.stripe_sparsity,
                patch_sparsity: profile.patch_sparsity,
                patch_width: profile.patch_width,
                gamma_min: range.as_ref().map(|(lo, _)| lo.to_f64()),
                gamma_max: range.as_ref().map(|(_, hi)| hi.to_f64()),
                gamma_min_exact: range.as_ref().and_then(|(lo, _)| exact(lo)),
                gamma_max_exact: range.as_ref().and_then(|(_, hi)| exact(hi)),
                threshold: instance.thresholds[i - 1].channel(0).to_f64(),
                geometry: None,
                filter_shape: None,
                stride: None,
                output_shape: None,
                channel_thresholds: None,
            }
        })
        .collect();
    let noise_energy = patch_norm_squared(&instance.noise, model.layer(1).filter_length());
    report(instance, layers, &noise_energy)
}

/// The report of `instance` with its layers' quantities and the noise's energy.
fn report<S: Scalar>(
    instance: &Instance<S>,
    layers: Vec<LayerQuantities>,
    noise_energy: &S,
) -> InspectReport {
    let model = &instance.model;
    InspectReport {
        name: instance.name.clone(),
        source: instance.source.clone(),
        signal_length: model.signal_length(),
        signal_shape: is_image_instance(instance).then(|| pair(model.grid(0))),
        input_channels: model.input_channels(),
        thresholding: instance.thresholding.name(),
        arithmetic: if S::EXACT { "exact" } else { "f64" },
        noise_patch_norm: noise_energy.to_f64().sqrt(),
        noise_patch_norm_squared_exact: exact(noise_energy),
        noise_budget: instance.noise_budget.as_ref().map(|b| b.to_f64()),
        layers,
    }
}

/// The quantities of an instance with real layers (`proofs/theorem2_real_layers.md`): the
/// coherence over displacements in `σ_i ℤ` (per channel, and their largest), the strided
/// Welch-type bound, the strided stripe and patch sparsities, the noise over the first layer's
/// atom supports, and each channel's threshold.
fn real_layers_quantities<S: Scalar>(instance: &Instance<S>) -> InspectReport {
    let model = &instance.model;
    let chain = model
        .synthesis_chain(&instance.deepest_representation)
        .expect("shapes validated at construction");
    let layers = (1..=model.depth())
        .map(|i| {
            let layer = model.layer(i);
            let width = patch_width(model, i, instance.last_patch_width);
            let last = instance.last_patch();
            let profile = real_layer_profile(model, i, &chain[i], last, CoherenceSource::PerAtom);
            let mu = largest(&profile.channel_coherence);
            let range = chain[i].support_magnitude_range();
            let geometry = layer.geometry();
            let image = is_image_instance(instance).then(|| image_layer(layer, model.grid(i)));
            let welch = layer_welch_bound_squared(layer);
            let threshold = &instance.thresholds[i - 1];
            LayerQuantities {
                layer: i,
                filters: layer.filter_count(),
                filter_length: layer.filter_length(),
                input_channels: layer.input_channels(),
                coherence: mu.to_f64(),
                coherence_exact: exact(&mu),
                channel_coherence: profile.channel_coherence.iter().map(S::to_f64).collect(),
                welch_bound: welch.map_or(0.0, |b| b.to_f64().sqrt()),
                stripe_sparsity: profile.stripe_sparsity,
                patch_sparsity: profile.patch_sparsity,
                patch_width: width,
                gamma_min: range.as_ref().map(|(lo, _)| lo.to_f64()),
                gamma_max: range.as_ref().map(|(_, hi)| hi.to_f64()),
                gamma_min_exact: range.as_ref().and_then(|(lo, _)| exact(lo)),
                gamma_max_exact: range.as_ref().and_then(|(_, hi)| exact(hi)),
                threshold: threshold.channel(0).to_f64(),
                geometry: match &image {
                    Some(image) => Some(image.words.clone()),
                    None => (!geometry.is_paper()).then(|| geometry.describe()),
                },
                filter_shape: image.as_ref().map(|image| image.filter_shape),
                stride: image.as_ref().map(|image| image.stride),
                output_shape: image.as_ref().map(|image| image.output_shape),
                channel_thresholds: threshold
                    .shared()
                    .is_none()
                    .then(|| threshold.values().iter().map(S::to_f64).collect()),
            }
        })
        .collect();
    let noise_energy = atom_support_patch_norm_squared(1, model.layer(1), &instance.noise)
        .expect("shapes validated at construction");
    report(instance, layers, &noise_energy)
}

/// An image layer's shapes, and its geometry in words (`2 × 2 filters, stride (2, 2), rows
/// valid padding, columns valid padding; codes 3 × 3`).
struct ImageLayer {
    filter_shape: [usize; 2],
    stride: [usize; 2],
    output_shape: [usize; 2],
    words: String,
}

fn image_layer<S: Scalar>(layer: &Layer<S>, output: Grid) -> ImageLayer {
    let shape = layer.filter_shape();
    let geometry = layer.grid_geometry();
    ImageLayer {
        filter_shape: [shape.rows, shape.columns],
        stride: [geometry.rows.stride, geometry.columns.stride],
        output_shape: pair(output),
        words: format!(
            "{} × {} filters, {}; codes {} × {}",
            shape.rows,
            shape.columns,
            describe_grid_geometry(&geometry),
            output.rows,
            output.columns
        ),
    }
}

/// A grid as `[rows, columns]`.
fn pair(grid: Grid) -> [usize; 2] {
    [grid.rows, grid.columns]
}

/// The largest of `values` (0 when there are none): the layer's coherence from its channels'.
fn largest<S: Scalar>(values: &[S]) -> S {
    values.iter().fold(
        S::zero(),
        |best, v| if *v > best { v.clone() } else { best },
    )
}
