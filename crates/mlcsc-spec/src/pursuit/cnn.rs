//! An independently written 1-D convolutional layer, as a deep-learning framework lays it out:
//! weights `[out_channels][in_channels][kernel]`, a stride and a padding, one bias per output
//! channel, ReLU (docs/math.md §4, SEED; the layer itself is in `convolution_layer.rs`).
//!
//! A layer computes `ReLU(W ⋆ x + b)`, with the cross-correlation
//! `(W ⋆ x)[p, o] = Σ_i Σ_k W[o][i][k] · x[(p + k) mod N, i]` at stride 1 with circular padding
//! (`x̃[σ p + k]` of the padded input otherwise). It shares no code with the
//! dictionary operators (`mlcsc::operators`): the claim that the CNN forward pass *is* layered
//! nonnegative soft thresholding, `Γ̂_i = S⁺_{β_i}(D_iᵀ Γ̂_{i-1})`, is checked by running the two
//! against each other (`tests/all/cnn_forward_pass.rs`).
//!
//! The dictionary stores filters as `f_{i,c}[t][c']` (filter, tap, input channel); a
//! convolution stores weights as `W[o][i][k]` (output channel, input channel, kernel tap). So
//! [`ConvolutionLayer::from_dictionary_layer`] sets `W[c][c'][t] = f_{i,c}[t][c']` (a transpose
//! of the last two axes) and `b[c] = -β_{i,c}` (`-β_i` when the layer's channels share it).
//!
//! # The splitting lemma
//!
//! Soft thresholding is the difference of two ReLUs, `S_β(z) = S⁺_β(z) - S⁺_β(-z)`, so a soft
//! thresholding layer with dictionary `D` is the CNN layer with the doubled filter bank
//! `[D, -D]` followed by the difference of its two halves of channels
//! ([`soft_thresholding_by_split`]). Conversely any representation `Γ` splits into the
//! nonnegative `[Γ⁺, Γ⁻]` with `[D, -D] [Γ⁺; Γ⁻] = D Γ` and the same stripe norm, because `Γ⁺`
//! and `Γ⁻` have disjoint supports ([`split_representation`]).
//!
//! [notation]: crate::theorems::notation
//!
#![doc = include_str!("../../../../proofs/cnn_forward_pass.md")]

pub use super::convolution_layer::{ConvolutionLayer, ConvolutionShapeError, relu};
pub use super::image_convolution_layer::{ConvolutionAxis, ImageConvolutionLayer};
use crate::model::{Layer, LayerVector, Model};
use crate::scalar::Scalar;
use crate::threshold::Threshold;

/// The CNN forward pass of a model with biases `-β_{i,c}`: `[Γ̂_1, …, Γ̂_K]` with
/// `Γ̂_i = ReLU(W_i ⋆ Γ̂_{i-1} - β_i)` (channel `c` biased by `-β_{i,c}`) and `Γ̂_0 = Y`; on an
/// image model (not a line, [`Model::is_line`]) each layer is the
/// `conv2d` of [`ImageConvolutionLayer`].
///
/// # Panics
///
/// If there is not one threshold per layer, or the signal has the wrong number of channels.
pub fn cnn_forward<S: Scalar>(
    model: &Model<S>,
    signal: &LayerVector<S>,
    thresholds: &[Threshold<S>],
) -> Vec<LayerVector<S>> {
    assert_eq!(thresholds.len(), model.depth(), "one threshold per layer");
    let image = !model.is_line();
    let mut activations: Vec<LayerVector<S>> = Vec::with_capacity(model.depth());
    for (layer, beta) in model.layers().iter().zip(thresholds) {
        let input = activations.last().unwrap_or(signal);
        activations.push(if image {
            ImageConvolutionLayer::from_dictionary_layer(layer, beta).forward(input)
        } else {
            ConvolutionLayer::from_dictionary_layer(layer, beta).forward(input)
        });
    }
    activations
}

/// The doubled filter bank `[D, -D]`: filters `f_0, …, f_{m-1}, -f_0, …, -f_{m-1}`.
pub fn doubled_filter_bank<S: Scalar>(layer: &Layer<S>) -> Layer<S> {
    let filters = layer.nested_filters();
    let negated: Vec<Vec<Vec<S>>> = filters
        .iter()
        .map(|f| {
            f.iter()
                .map(|tap| tap.iter().map(|v| -v.clone()).collect())
                .collect()
        })
        .collect();
    let doubled = filters.into_iter().chain(negated).collect();
    Layer::new_unchecked_norm(1, doubled).expect("the doubled bank has the shape of the layer")
}

/// The difference of the two halves of a `2m`-channel vector: channel `c` minus channel
/// `m + c`.
///
/// # Panics
///
/// If the number of channels is odd.
pub fn difference_of_halves<S: Scalar>(doubled: &LayerVector<S>) -> LayerVector<S> {
    assert!(
        doubled.channels() % 2 == 0,
        "a doubled vector has an even number of channels"
    );
    let half = doubled.channels() / 2;
    let mut out = LayerVector::zeros(doubled.length(), half);
    for p in 0..doubled.length() {
        for c in 0..half {
            let mut value = doubled.get(p, c).clone();
            value -= doubled.get(p, half + c);
            out.set(p, c, value);
        }
    }
    out
}

/// The splitting lemma, forward direction: `S_β(Dᵀ Z)` computed as the CNN layer of the doubled
/// bank `[D, -D]` with bias `-β`, followed by [`difference_of_halves`]. Returns the doubled
/// activation `[S⁺_β(Dᵀ Z), S⁺_β(-Dᵀ Z)]` and the difference.
pub fn soft_thresholding_by_split<S: Scalar>(
    layer: &Layer<S>,
    input: &LayerVector<S>,
    threshold: &Threshold<S>,
) -> (LayerVector<S>, LayerVector<S>) {
    let doubled_threshold = match threshold {
        Threshold::Shared(beta) => Threshold::Shared(beta.clone()),
        Threshold::PerChannel(values) => {
            Threshold::PerChannel(values.iter().chain(values).cloned().collect())
        }
    };
    let doubled =
        ConvolutionLayer::from_dictionary_layer(&doubled_filter_bank(layer), &doubled_threshold);
    let activation = doubled.forward(input);
    let difference = difference_of_halves(&activation);
    (activation, difference)
}

/// The splitting lemma, synthesis direction: `Γ ↦ [Γ⁺, Γ⁻]` (channel `c` holds
/// `max(Γ_c, 0)`, channel `m + c` holds `max(-Γ_c, 0)`), a nonnegative representation over
/// `[D, -D]` of the same signal, with the same number of nonzeros at every position.
pub fn split_representation<S: Scalar>(gamma: &LayerVector<S>) -> LayerVector<S> {
    let m = gamma.channels();
    let mut out = LayerVector::zeros(gamma.length(), 2 * m);
    for p in 0..gamma.length() {
        for c in 0..m {
            let value = gamma.get(p, c);
            out.set(p, c, relu(value));
            out.set(p, m + c, relu(&-value.clone()));
        }
    }
    out
}

/// The splitting lemma for a whole network: layered soft thresholding
/// `Γ̂_i = S_{β_i}(D_iᵀ Γ̂_{i-1})` as a pure ReLU network. Layer `i` has `2 m_i` output
/// channels holding `[S⁺_{β_i}(D_iᵀ Γ̂_{i-1}), S⁺_{β_i}(-D_iᵀ Γ̂_{i-1})]`; from layer 2 on it
/// reads the doubled activation `[a, b]` of the layer before, which represents
/// `Γ̂_{i-1} = a - b`, through the weights `±f` on the two halves. So
/// `W[o][j][t] = s_o r_j f_{i,c}[t][c']` with `c = o mod m_i`, `c' = j mod m_{i-1}`, and signs
/// `s_o = +1` on the first half of the outputs, `-1` on the second (the same for `r_j` over the
/// inputs, and `r_j = 1` at layer 1), and bias `-β_{i,c}` on outputs `c` and `m_i + c`.
/// [`difference_of_halves`] of the last activation is `Γ̂_K`.
pub fn soft_thresholding_as_relu_network<S: Scalar>(
    model: &Model<S>,
    thresholds: &[Threshold<S>],
) -> Vec<ConvolutionLayer<S>> {
    assert_eq!(thresholds.len(), model.depth(), "one threshold per layer");
    let sign = |negative: bool, value: &S| {
        if negative {
            -value.clone()
        } else {
            value.clone()
        }
    };
    model
        .layers()
        .iter()
        .zip(thresholds)
        .enumerate()
        .map(|(index, (layer, beta))| {
            let m = layer.filter_count();
            let m_previous = layer.input_channels();
            let inputs = if index == 0 {
                m_previous
            } else {
                2 * m_previous
            };
            let weights = (0..2 * m)
                .map(|o| {
                    (0..inputs)
                        .map(|j| {
                            let negative = (o >= m) != (j >= m_previous);
                            (0..layer.filter_length())
                                .map(|t| sign(negative, layer.tap(o % m, t, j % m_previous)))
                                .collect()
                        })
                        .collect()
                })
                .collect();
            let geometry = layer.geometry();
            ConvolutionLayer {
                weights,
                biases: (0..2 * m).map(|o| -beta.channel(o % m).clone()).collect(),
                stride: geometry.stride,
                padding: geometry.padding,
            }
        })
        .collect()
}

/// Runs convolution layers one after the other from the input, returning every activation.
pub fn run_network<S: Scalar>(
    network: &[ConvolutionLayer<S>],
    input: &LayerVector<S>,
) -> Vec<LayerVector<S>> {
    let mut activations: Vec<LayerVector<S>> = Vec::with_capacity(network.len());
    for layer in network {
        let next = layer.forward(activations.last().unwrap_or(input));
        activations.push(next);
    }
    activations
}
