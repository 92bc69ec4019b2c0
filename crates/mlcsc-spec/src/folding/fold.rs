//! The fold (`proofs/folding.md`, F1): `ρ_0 ≡ 1`, `W'_i = W_i · ρ_{i-1}` on the input
//! channels, `ρ_{i,c} = ‖W'_i[c]‖`, `F_i = W'_i / ρ_i` and `β_{i,c} = −b_{i,c} / ρ_{i,c}`, so
//! that `A_i = diag(ρ_i) Γ̂_i` with `Γ̂_i = S⁺_{β_i}(D(F_i)ᵀ Γ̂_{i-1})`. The squares `ρ²`,
//! `μ²` and `β²` are carried exactly; `F_i` and `β_i` themselves exist as numbers of the type
//! only when every `ρ` up to layer `i` has an exact root ([`super::exact_square_root`]).

use std::cmp::Ordering;

use super::canonical::relu_layers;
use super::error::FoldingError;
use super::exact_root::exact_square_root;
use super::folded_coherence::{channel_coherence_squared, grid_channel_coherence_squared};
use super::input_transform::ReluLayer;
use super::network::Network;
use crate::model::{FilterShape, Geometry, GridGeometry, Layer};
use crate::scalar::Scalar;

/// One folded layer: its live channels and the exact squared quantities of its unit filters.
#[derive(Clone, Debug, PartialEq)]
pub struct FoldedLayer<S> {
    /// The layer's number, from 1 (its convolution's rank in the network).
    pub number: usize,
    /// The stride and padding, pooling folded in (of the columns axis, for an image layer).
    pub geometry: Geometry,
    /// The taps as `n_h × n_w`, row-major (`1 × n` for a one-dimensional layer).
    pub filter_shape: FilterShape,
    /// The stride and padding of the rows axis (stride 1, valid, for a one-dimensional layer).
    pub row_geometry: Geometry,
    /// The live output channels, by index in the network; the entries below follow them.
    pub live: Vec<usize>,
    /// The dead output channels (zero folded filter, bias `≤ 0`), by index in the network.
    pub dead: Vec<usize>,
    /// `W_i[c][c'][t]` (batch norms and pools folded in), live outputs and live inputs only.
    pub weights: Vec<Vec<Vec<S>>>,
    /// `b_{i,c}` of the live channels.
    pub biases: Vec<S>,
    /// `ρ_{i,c}²`.
    pub norms_squared: Vec<S>,
    /// `μ_c²` of the unit filters `F_i`, per live channel (over `σ_h ℤ × σ_w ℤ` on an image).
    pub channel_coherence_squared: Vec<S>,
    /// `μ²`, their maximum (0 for one filter of one position).
    pub coherence_squared: S,
    /// The sign of `β_{i,c}`, that of `−b_{i,c}`.
    pub threshold_signs: Vec<Ordering>,
    /// `β_{i,c}² = b_{i,c}² / ρ_{i,c}²`.
    pub thresholds_squared: Vec<S>,
    /// `ρ_{i,c}`, when every norm up to this layer has an exact root.
    pub norms: Option<Vec<S>>,
    /// The unit filters `F_i` as a layer of the model and the thresholds `β_{i,c}`, when
    /// every norm up to this layer has an exact root.
    pub dictionary: Option<(Layer<S>, Vec<S>)>,
}

/// A network folded into the model.
#[derive(Clone, Debug, PartialEq)]
pub struct FoldedNetwork<S> {
    /// `m_0`.
    pub input_channels: usize,
    /// The folded layers, layer 1 first.
    pub layers: Vec<FoldedLayer<S>>,
}

impl<S> FoldedLayer<S> {
    /// The stride and padding of both axes.
    pub fn grid_geometry(&self) -> GridGeometry {
        GridGeometry {
            rows: self.row_geometry,
            columns: self.geometry,
        }
    }
}

impl<S: Scalar> FoldedNetwork<S> {
    /// Every layer's dictionary form, when all of them have one.
    pub fn dictionaries(&self) -> Option<Vec<(Layer<S>, Vec<S>)>> {
        self.layers.iter().map(|l| l.dictionary.clone()).collect()
    }
}

/// The channel coherences `μ_c²` of a layer's unit folded filters, from its weights, the
/// previous layer's `ρ²`, its own `ρ²` and its stride: [`channel_coherence_squared`] or an
/// engine held equal to it. An image layer's are always [`grid_channel_coherence_squared`].
pub type ChannelCoherence<S> = fn(&[Vec<Vec<S>>], &[S], &[S], usize) -> Vec<S>;

/// `network` folded into the model, or the stage or layer that prevents it.
pub fn fold<S: Scalar>(network: &Network<S>) -> Result<FoldedNetwork<S>, FoldingError> {
    fold_with(network, channel_coherence_squared::<S>)
}

/// [`fold`] with the channel coherences computed by `coherence` (the same numbers, faster).
pub fn fold_with<S: Scalar>(
    network: &Network<S>,
    coherence: ChannelCoherence<S>,
) -> Result<FoldedNetwork<S>, FoldingError> {
    let layers = relu_layers(network)?;
    let mut previous_live: Vec<usize> = (0..network.input_channels).collect();
    let mut previous_squared = vec![S::one(); network.input_channels];
    let mut previous_norms = Some(vec![S::one(); network.input_channels]);
    let mut folded = Vec::with_capacity(layers.len());
    for (index, layer) in layers.iter().enumerate() {
        let one = fold_layer(
            index + 1,
            layer,
            &previous_live,
            &previous_squared,
            previous_norms.as_deref(),
            coherence,
        )?;
        previous_live.clone_from(&one.live);
        previous_squared.clone_from(&one.norms_squared);
        previous_norms.clone_from(&one.norms);
        folded.push(one);
    }
    Ok(FoldedNetwork {
        input_channels: network.input_channels,
        layers: folded,
    })
}

/// Layer `number` folded, given the live channels of its input, their `ρ²`, and their `ρ` when
/// exact.
fn fold_layer<S: Scalar>(
    number: usize,
    layer: &ReluLayer<S>,
    previous_live: &[usize],
    previous_squared: &[S],
    previous_norms: Option<&[S]>,
    coherence: ChannelCoherence<S>,
) -> Result<FoldedLayer<S>, FoldingError> {
    let (mut live, mut dead, mut weights, mut biases, mut norms_squared) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (c, (filter, bias)) in layer.weights.iter().zip(&layer.biases).enumerate() {
        let filter: Vec<Vec<S>> = previous_live.iter().map(|&k| filter[k].clone()).collect();
        let mut squared = S::zero();
        for (taps, weight) in filter.iter().zip(previous_squared) {
            let energy = crate::model::sum_of_squares(taps);
            S::multiply_accumulate(&mut squared, &energy, weight);
        }
        if !squared.is_zero() {
            live.push(c);
            weights.push(filter);
            biases.push(bias.clone());
            norms_squared.push(squared);
        } else if *bias > S::zero() {
            // (Not `is_positive`, which holds for the `f64` +0.)
            let bias = bias.exact_text().unwrap_or_else(|| format!("{bias:?}"));
            return Err(FoldingError::ConstantChannel {
                layer: number,
                filter: c,
                bias,
            });
        } else {
            dead.push(c);
        }
    }
    if live.is_empty() {
        return Err(FoldingError::AllDead { layer: number });
    }
    let channel = layer_coherence(
        layer,
        &weights,
        [previous_squared, &norms_squared],
        coherence,
    );
    let coherence_squared =
        channel.iter().fold(
            S::zero(),
            |best, v| if *v > best { v.clone() } else { best },
        );
    let threshold_signs = biases
        .iter()
        .map(|b| S::zero().partial_cmp(b).unwrap_or(Ordering::Equal))
        .collect();
    let thresholds_squared = biases
        .iter()
        .zip(&norms_squared)
        .map(|(b, r)| b.clone() * b.clone() / r.clone())
        .collect();
    let norms: Option<Vec<S>> =
        previous_norms.and_then(|_| norms_squared.iter().map(exact_square_root).collect());
    let dictionary = match (previous_norms, &norms) {
        (Some(previous), Some(norms)) => Some(dictionary_form(
            number, layer, &weights, &biases, previous, norms,
        )?),
        _ => None,
    };
    Ok(FoldedLayer {
        number,
        geometry: layer.geometry,
        filter_shape: layer.filter_shape,
        row_geometry: layer.row_geometry,
        live,
        dead,
        weights,
        biases,
        norms_squared,
        channel_coherence_squared: channel,
        coherence_squared,
        threshold_signs,
        thresholds_squared,
        norms,
        dictionary,
    })
}

/// The channel coherences `μ_c²` of a layer's live filters: `coherence` on a one-dimensional
/// layer, [`grid_channel_coherence_squared`] over `σ_h ℤ × σ_w ℤ` on an image layer
/// (`proofs/two_dimensions.md`, G10).
fn layer_coherence<S: Scalar>(
    layer: &ReluLayer<S>,
    weights: &[Vec<Vec<S>>],
    squares: [&[S]; 2],
    coherence: ChannelCoherence<S>,
) -> Vec<S> {
    let [previous_squared, norms_squared] = squares;
    if layer.is_line() {
        coherence(
            weights,
            previous_squared,
            norms_squared,
            layer.geometry.stride,
        )
    } else {
        grid_channel_coherence_squared(
            weights,
            previous_squared,
            norms_squared,
            layer.filter_shape,
            layer.grid_geometry(),
        )
    }
}

/// `F_i[c][t][c'] = W[c, c', t] ρ_{i-1, c'} / ρ_{i, c}` as a layer of the model with the
/// layer's geometry, and `β_{i,c} = −b_{i,c} / ρ_{i,c}`.
fn dictionary_form<S: Scalar>(
    number: usize,
    layer: &ReluLayer<S>,
    weights: &[Vec<Vec<S>>],
    biases: &[S],
    previous: &[S],
    norms: &[S],
) -> Result<(Layer<S>, Vec<S>), FoldingError> {
    let taps = weights[0][0].len();
    let filters = weights
        .iter()
        .zip(norms)
        .map(|(filter, norm)| {
            (0..taps)
                .map(|t| {
                    filter
                        .iter()
                        .zip(previous)
                        .map(|(w, scale)| w[t].clone() * scale.clone() / norm.clone())
                        .collect()
                })
                .collect()
        })
        .collect();
    let dictionary_error = |source| FoldingError::Dictionary {
        layer: number,
        source,
    };
    let mut unit = Layer::new(number, filters)
        .map_err(dictionary_error)?
        .with_geometry(layer.geometry);
    if !layer.is_line() {
        unit = unit
            .on_grid(number, layer.filter_shape, layer.grid_geometry())
            .map_err(dictionary_error)?;
    }
    let thresholds = biases
        .iter()
        .zip(norms)
        .map(|(b, norm)| -b.clone() / norm.clone())
        .collect();
    Ok((unit, thresholds))
}
