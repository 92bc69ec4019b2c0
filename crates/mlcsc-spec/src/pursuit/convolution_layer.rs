//! A 1-D convolution layer written as a deep-learning framework computes it, independently of
//! the dictionary operators: weights `[out_channels][in_channels][kernel]`, a stride, a
//! padding, one bias per output channel, ReLU (docs/math.md §4; `proofs/strided_dictionary.md`
//! for strides and padding). [`super::cnn`] runs it against layered thresholding.

use thiserror::Error;

use crate::model::{Layer, LayerVector, Padding};
use crate::scalar::Scalar;
use crate::threshold::Threshold;

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
    pub(super) weights: Vec<Vec<Vec<S>>>,
    /// `biases[o]`.
    pub(super) biases: Vec<S>,
    /// `σ ≥ 1`.
    pub(super) stride: usize,
    /// How the input planes are extended.
    pub(super) padding: Padding,
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
    /// `b[c] = -β_{i,c}` for every output channel `c` (`-β_i` for a shared threshold), so that
    /// `forward(Z) = S⁺_β(D_iᵀ Z)`.
    ///
    /// # Panics
    ///
    /// If a per-channel threshold has fewer entries than the layer has filters.
    pub fn from_dictionary_layer(layer: &Layer<S>, threshold: &Threshold<S>) -> Self {
        let weights = layer.convolution_weights();
        let biases = (0..layer.filter_count())
            .map(|c| -threshold.channel(c).clone())
            .collect();
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
