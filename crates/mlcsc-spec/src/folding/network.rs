//! The description of a trained network, stage by stage, as a framework runs it
//! (`proofs/folding.md`): convolutions with bias, stride and padding, ReLU, batch norm at
//! inference, average pooling; and max pooling and residual blocks, which exist only to be
//! refused by [`super::fold`].

use crate::model::{Geometry, Padding};
use crate::pursuit::cnn::{ConvolutionLayer, ConvolutionShapeError};
use crate::scalar::Scalar;

/// A convolution with its bias, stride and padding: `W ⋆ Z + b`, no activation.
#[derive(Clone, Debug, PartialEq)]
pub struct Convolution<S> {
    /// The weights `[out][in][tap]` and the biases.
    layer: ConvolutionLayer<S>,
    /// The stride and padding.
    geometry: Geometry,
}

impl<S: Scalar> Convolution<S> {
    /// A convolution from `weights[out][in][tap]` and one bias per output channel, at stride 1
    /// with circular padding; shapes are checked as [`ConvolutionLayer::new`] checks them.
    pub fn new(weights: Vec<Vec<Vec<S>>>, biases: Vec<S>) -> Result<Self, ConvolutionShapeError> {
        Ok(Convolution {
            layer: ConvolutionLayer::new(weights, biases)?,
            geometry: Geometry::default(),
        })
    }

    /// The same convolution with a stride (0 is read as 1) and a padding.
    pub fn with_stride_and_padding(mut self, stride: usize, padding: Padding) -> Self {
        self.geometry = Geometry {
            stride: stride.max(1),
            padding,
        };
        self
    }

    /// `W[out][in][tap]`.
    pub fn weights(&self) -> &[Vec<Vec<S>>] {
        self.layer.weights()
    }

    /// `b[out]`.
    pub fn biases(&self) -> &[S] {
        self.layer.biases()
    }

    /// The stride and padding.
    pub fn geometry(&self) -> Geometry {
        self.geometry
    }

    /// The framework's layer, with this stride and padding.
    pub fn framework_layer(&self) -> ConvolutionLayer<S> {
        self.layer
            .clone()
            .with_stride_and_padding(self.geometry.stride, self.geometry.padding)
    }
}

/// Batch normalisation at inference, an affine map per channel `x ↦ a_c x + s_c`. A framework's
/// `γ, β, mean, var, eps` give `a = γ / sqrt(var + eps)` and `s = β − a · mean`; the caller
/// computes them.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNorm<S> {
    /// `a_c`, one per channel.
    pub scale: Vec<S>,
    /// `s_c`, one per channel.
    pub shift: Vec<S>,
}

/// One stage of a network, applied to the output of the stage before it.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage<S> {
    /// `W ⋆ Z + b`.
    Convolution(Convolution<S>),
    /// `max(x, 0)` entrywise.
    Relu,
    /// `a_c x + s_c` on channel `c`; before or after a ReLU by its place in the list.
    BatchNorm(BatchNorm<S>),
    /// `P[c, q] = (1/k) Σ_{u<k} X[c, s q + u]`, `⌊(L − k)/s⌋ + 1` outputs, no padding.
    AveragePool {
        /// `k ≥ 1`.
        kernel: usize,
        /// `s ≥ 1` (a framework's default is `k`).
        stride: usize,
    },
    /// `max_{u<k} X[c, s q + u]`, `⌊(L − k)/s⌋ + 1` outputs, no padding. Refused by the fold.
    MaxPool {
        /// `k ≥ 1`.
        kernel: usize,
        /// `s ≥ 1`.
        stride: usize,
    },
    /// `X + block(X)`: the stages of the block, and the skip connection. Refused by the fold.
    Residual(Vec<Stage<S>>),
}

impl<S> Stage<S> {
    /// The stage's name in messages: `convolution`, `ReLU`, `batch norm`, …
    pub fn name(&self) -> &'static str {
        match self {
            Stage::Convolution(_) => "convolution",
            Stage::Relu => "ReLU",
            Stage::BatchNorm(_) => "batch norm",
            Stage::AveragePool { .. } => "average pool",
            Stage::MaxPool { .. } => "max pool",
            Stage::Residual(_) => "residual block",
        }
    }
}

/// A network: the channels of its input and its stages, first applied first.
#[derive(Clone, Debug, PartialEq)]
pub struct Network<S> {
    /// `m_0`, the channels of the input signal.
    pub input_channels: usize,
    /// The stages in order.
    pub stages: Vec<Stage<S>>,
}
