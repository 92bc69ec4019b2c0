//! The description of a trained network, stage by stage, as a framework runs it
//! (`proofs/folding.md`): convolutions with bias, stride and padding, ReLU, batch norm at
//! inference, average pooling; and max pooling and residual blocks, which exist only to be
//! refused by [`super::fold`].

use crate::model::{FilterShape, Geometry, GridGeometry, ModelError, Padding};
use crate::pursuit::cnn::{ConvolutionLayer, ConvolutionShapeError};
use crate::scalar::Scalar;

/// A convolution with its bias, stride and padding: `W ⋆ Z + b`, no activation.
#[derive(Clone, Debug, PartialEq)]
pub struct Convolution<S> {
    /// The weights `[out][in][tap]` and the biases.
    layer: ConvolutionLayer<S>,
    /// The stride and padding (of the columns axis, for an image convolution).
    geometry: Geometry,
    /// The taps as `n_h × n_w`, row-major (`1 × n` for a one-dimensional convolution).
    filter_shape: FilterShape,
    /// The stride and padding of the rows axis (stride 1, valid, for a one-dimensional one).
    row_geometry: Geometry,
}

impl<S: Scalar> Convolution<S> {
    /// A convolution from `weights[out][in][tap]` and one bias per output channel, at stride 1
    /// with circular padding; shapes are checked as [`ConvolutionLayer::new`] checks them.
    pub fn new(weights: Vec<Vec<Vec<S>>>, biases: Vec<S>) -> Result<Self, ConvolutionShapeError> {
        let taps = weights.first().and_then(|w| w.first()).map_or(0, Vec::len);
        Ok(Convolution {
            layer: ConvolutionLayer::new(weights, biases)?,
            geometry: Geometry::default(),
            filter_shape: FilterShape::line(taps),
            row_geometry: GridGeometry::line(Geometry::default()).rows,
        })
    }

    /// The same convolution read as a `conv2d` (`proofs/two_dimensions.md`, G10): its taps
    /// `t = i n_w + j` form `filter_shape` (PyTorch's `Conv2d.weight[out][in][kh][kw]`
    /// flattened), each axis with its stride (0 read as 1) and padding. Refused, naming
    /// `layer` (from 1), when the shape does not have the convolution's number of taps.
    pub fn on_grid(
        mut self,
        layer: usize,
        filter_shape: FilterShape,
        geometry: GridGeometry,
    ) -> Result<Self, ModelError> {
        let taps = self.weights()[0][0].len();
        if filter_shape.taps() != taps {
            return Err(ModelError::Shape {
                layer,
                filter: 0,
                what: format!(
                    "the number of taps of a {} × {} filter",
                    filter_shape.rows, filter_shape.columns
                ),
                expected: filter_shape.taps(),
                found: taps,
            });
        }
        let axis = |g: Geometry| Geometry {
            stride: g.stride.max(1),
            padding: g.padding,
        };
        self.filter_shape = filter_shape;
        self.geometry = axis(geometry.columns);
        self.row_geometry = axis(geometry.rows);
        Ok(self)
    }

    /// The taps as `n_h × n_w` (`1 × n` for a one-dimensional convolution).
    pub fn filter_shape(&self) -> FilterShape {
        self.filter_shape
    }

    /// The stride and padding of both axes.
    pub fn grid_geometry(&self) -> GridGeometry {
        GridGeometry {
            rows: self.row_geometry,
            columns: self.geometry,
        }
    }

    /// Whether the convolution is one-dimensional: one row of taps and the rows axis of a
    /// line (as [`crate::model::Layer::is_line`]).
    pub fn is_line(&self) -> bool {
        self.grid_geometry() == GridGeometry::line(self.geometry)
            && self.filter_shape == FilterShape::line(self.filter_shape.taps())
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

    /// The stride and padding (of the columns axis, for an image convolution).
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
