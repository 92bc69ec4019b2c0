//! An independently written 1-D convolutional layer, as a deep-learning framework lays it out:
//! weights `[out_channels][in_channels][kernel]`, circular padding, one bias per output channel,
//! ReLU (docs/math.md §4, SEED).
//!
//! A layer computes `ReLU(W ⋆ x + b)`, with the cross-correlation
//! `(W ⋆ x)[p, o] = Σ_i Σ_k W[o][i][k] · x[(p + k) mod N, i]`. It shares no code with the
//! dictionary operators (`mlcsc::operators`): the claim that the CNN forward pass *is* layered
//! nonnegative soft thresholding, `Γ̂_i = S⁺_{β_i}(D_iᵀ Γ̂_{i-1})`, is checked by running the two
//! against each other (`tests/all/cnn_forward_pass.rs`).
//!
//! The dictionary stores filters as `f_{i,c}[t][c']` (filter, tap, input channel); a
//! convolution stores weights as `W[o][i][k]` (output channel, input channel, kernel tap). So
//! [`ConvolutionLayer::from_dictionary_layer`] sets `W[c][c'][t] = f_{i,c}[t][c']` (a transpose
//! of the last two axes) and `b[c] = -β_i`.
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

use thiserror::Error;

use crate::model::{Layer, LayerVector, Model, Padding};
use crate::scalar::Scalar;

/// Why weights and biases do not form a convolution layer.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ConvolutionShapeError {
    /// No output channels, input channels or kernel taps.
    #[error("the layer has no {what}")]
    Empty {
        /// What is missing.
        what: String,
    },
    /// A weight array whose shape differs from that of output channel 0.
    #[error("weights[{out_channel}]: {what} is {found}, expected {expected}")]
    Ragged {
        /// The output channel.
        out_channel: usize,
        /// What was measured.
        what: String,
        /// The shape of output channel 0.
        expected: usize,
        /// The shape found.
        found: usize,
    },
    /// One bias per output channel is required.
    #[error("{biases} biases for {out_channels} output channels")]
    BiasCount {
        /// The number of biases given.
        biases: usize,
        /// The number of output channels.
        out_channels: usize,
    },
}

/// A 1-D convolution layer as a framework computes it: a stride, a padding (circular by
/// default), a bias per output channel and ReLU. Its loop pads the input planes explicitly and
/// reads them at `σ p + k`, independently of the dictionary's `Dᵀ`.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvolutionLayer<S> {
    /// `weights[o][i][k]`.
    weights: Vec<Vec<Vec<S>>>,
    /// `biases[o]`.
    biases: Vec<S>,
    /// `σ ≥ 1`.
    stride: usize,
    /// How the input planes are extended.
    padding: Padding,
}

/// `ReLU(z) = max(z, 0)`.
pub fn relu<S: Scalar>(z: &S) -> S {
    if z.is_positive() {
        z.clone()
    } else {
        S::zero()
    }
}

impl<S: Scalar> ConvolutionLayer<S> {
    /// A layer from `weights[out][in][kernel]` and one bias per output channel.
    pub fn new(weights: Vec<Vec<Vec<S>>>, biases: Vec<S>) -> Result<Self, ConvolutionShapeError> {
        let empty = |what: &str| ConvolutionShapeError::Empty { what: what.into() };
        let in_channels = weights
            .first()
            .ok_or_else(|| empty("output channels"))?
            .len();
        if in_channels == 0 {
            return Err(empty("input channels"));
        }
        let kernel = weights[0][0].len();
        if kernel == 0 {
            return Err(empty("kernel taps"));
        }
        for (o, per_input) in weights.iter().enumerate() {
            let ragged = |what: String, expected, found| ConvolutionShapeError::Ragged {
                out_channel: o,
                what,
                expected,
                found,
            };
            if per_input.len() != in_channels {
                return Err(ragged(
                    "the number of input channels".into(),
                    in_channels,
                    per_input.len(),
                ));
            }
            for (i, taps) in per_input.iter().enumerate() {
                if taps.len() != kernel {
                    return Err(ragged(
                        format!("the kernel size of input channel {i}"),
                        kernel,
                        taps.len(),
                    ));
                }
            }
        }
        if biases.len() != weights.len() {
            return Err(ConvolutionShapeError::BiasCount {
                biases: biases.len(),
                out_channels: weights.len(),
            });
        }
        Ok(ConvolutionLayer {
            weights,
            biases,
            stride: 1,
            padding: Padding::Circular,
        })
    }

    /// The same layer with a stride (at least 1; 0 is taken as 1) and a padding.
    pub fn with_stride_and_padding(mut self, stride: usize, padding: Padding) -> Self {
        self.stride = stride.max(1);
        self.padding = padding;
        self
    }

    /// The CNN layer of a dictionary layer and its threshold: `W[c][c'][t] = f_{i,c}[t][c']`,
    /// `b[c] = -β` for every output channel, so that `forward(Z) = S⁺_β(D_iᵀ Z)`.
    pub fn from_dictionary_layer(layer: &Layer<S>, threshold: &S) -> Self {
        let weights = (0..layer.filter_count())
            .map(|c| {
                (0..layer.input_channels())
                    .map(|input| {
                        (0..layer.filter_length())
                            .map(|t| layer.tap(c, t, input).clone())
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let biases = vec![-threshold.clone(); layer.filter_count()];
        let geometry = layer.geometry();
        ConvolutionLayer {
            weights,
            biases,
            stride: geometry.stride,
            padding: geometry.padding,
        }
    }

    /// The number of output channels.
    pub fn out_channels(&self) -> usize {
        self.weights.len()
    }

    /// The number of input channels.
    pub fn in_channels(&self) -> usize {
        self.weights[0].len()
    }

    /// The kernel size.
    pub fn kernel_size(&self) -> usize {
        self.weights[0][0].len()
    }

    /// `weights[o][i][k]`.
    pub fn weights(&self) -> &[Vec<Vec<S>>] {
        &self.weights
    }

    /// `biases[o]`.
    pub fn biases(&self) -> &[S] {
        &self.biases
    }

    /// The pre-activation `b[o] + Σ_i Σ_k W[o][i][k] · x̃[σ p + k, i]`, accumulated from the
    /// bias as a framework does, where `x̃` is the input extended periodically (circular:
    /// `x̃[q] = x[q mod N]`, `N/σ` outputs) or padded with zeros (`⌊(N + P^l + P^r − n)/σ⌋ + 1`
    /// outputs; none when the padded input is shorter than the kernel).
    ///
    /// # Panics
    ///
    /// If the input does not have [`Self::in_channels`] channels.
    pub fn pre_activation(&self, input: &LayerVector<S>) -> LayerVector<S> {
        assert_eq!(
            input.channels(),
            self.in_channels(),
            "the input has {} channels, the layer expects {}",
            input.channels(),
            self.in_channels()
        );
        let (planes, outputs) = self.padded_planes(input);
        let mut output = LayerVector::zeros(outputs, self.out_channels());
        for (o, (per_input, bias)) in self.weights.iter().zip(&self.biases).enumerate() {
            for p in 0..outputs {
                let mut acc = bias.clone();
                for (kernel, plane) in per_input.iter().zip(&planes) {
                    for (k, w) in kernel.iter().enumerate() {
                        S::multiply_accumulate(&mut acc, w, &plane[self.stride * p + k]);
                    }
                }
                output.set(p, o, acc);
            }
        }
        output
    }

    /// The input as a framework holds it, a channel-major `[C, L]` tensor, extended so that
    /// output `p` reads positions `σ p, …, σ p + n − 1`: by the first `n − 1` positions again
    /// (circular), or by `P^l` zeros before and `P^r` after; with the number of outputs.
    fn padded_planes(&self, input: &LayerVector<S>) -> (Vec<Vec<S>>, usize) {
        let length = input.length();
        let kernel = self.kernel_size();
        let (left, right, outputs) = match self.padding {
            Padding::Circular => (0, 0, length / self.stride),
            Padding::Valid => (0, 0, 0),
            Padding::Zero { left, right } => (left, right, 0),
        };
        let padded = left + length + right;
        let outputs = match self.padding {
            Padding::Circular => outputs,
            _ if padded < kernel => 0,
            _ => (padded - kernel) / self.stride + 1,
        };
        let planes = (0..self.in_channels())
            .map(|i| {
                let mut plane = vec![S::zero(); left];
                plane.extend((0..length).map(|p| input.get(p, i).clone()));
                if self.padding == Padding::Circular {
                    let wrap = (self.stride * outputs + kernel).saturating_sub(length);
                    plane.extend((0..wrap).map(|p| input.get(p, i).clone()));
                }
                plane.extend((0..right).map(|_| S::zero()));
                plane
            })
            .collect();
        (planes, outputs)
    }

    /// `ReLU(W ⋆ x + b)`.
    ///
    /// # Panics
    ///
    /// If the input does not have [`Self::in_channels`] channels.
    pub fn forward(&self, input: &LayerVector<S>) -> LayerVector<S> {
        self.pre_activation(input).map(relu)
    }
}

/// The CNN forward pass of a model with biases `-β_i`: `[Γ̂_1, …, Γ̂_K]` with
/// `Γ̂_i = ReLU(W_i ⋆ Γ̂_{i-1} - β_i)` and `Γ̂_0 = Y`.
///
/// # Panics
///
/// If there is not one threshold per layer, or the signal has the wrong number of channels.
pub fn cnn_forward<S: Scalar>(
    model: &Model<S>,
    signal: &LayerVector<S>,
    thresholds: &[S],
) -> Vec<LayerVector<S>> {
    assert_eq!(thresholds.len(), model.depth(), "one threshold per layer");
    let mut activations: Vec<LayerVector<S>> = Vec::with_capacity(model.depth());
    for (layer, beta) in model.layers().iter().zip(thresholds) {
        let convolution = ConvolutionLayer::from_dictionary_layer(layer, beta);
        let input = activations.last().unwrap_or(signal);
        activations.push(convolution.forward(input));
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
    threshold: &S,
) -> (LayerVector<S>, LayerVector<S>) {
    let doubled = ConvolutionLayer::from_dictionary_layer(&doubled_filter_bank(layer), threshold);
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
/// inputs, and `r_j = 1` at layer 1). [`difference_of_halves`] of the last activation is `Γ̂_K`.
pub fn soft_thresholding_as_relu_network<S: Scalar>(
    model: &Model<S>,
    thresholds: &[S],
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
                biases: vec![-beta.clone(); 2 * m],
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
