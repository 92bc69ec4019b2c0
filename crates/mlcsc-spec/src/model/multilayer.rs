//! The multi-layer model: `K` convolutional dictionaries, layer `i` acting on `N_{i-1}`
//! positions and giving `N_i` (all equal to the signal length `N` in the paper's model, stride
//! 1 and circular), with the synthesis chain `X = D_1 Γ_1`, `Γ_{i-1} = D_i Γ_i` (docs/math.md
//! §1, §5; `proofs/strided_dictionary.md` for strides and padding).

use super::error::ModelError;
use super::geometry::{Padding, first_real_layer};
use super::grid::Grid;
use super::layer::{Layer, stripe_width};
use crate::scalar::Scalar;

/// The largest `N` accepted (`2^24`), so that a mistyped length cannot trigger a giant
/// allocation; the benchmarks use up to `2^20`.
pub const MAX_SIGNAL_LENGTH: usize = 1 << 24;

/// The largest number of entries (`N · m_i`) of any layer vector, for the same reason.
pub const MAX_VECTOR_ENTRIES: usize = 1 << 28;

/// An ML-CSC model: signal length `N`, input channels `m_0` and layers `1..=K`.
#[derive(Clone, Debug, PartialEq)]
pub struct Model<S> {
    signal_length: usize,
    input_channels: usize,
    layers: Vec<Layer<S>>,
    /// The grids of `Γ_0 = X, Γ_1, …, Γ_K`: `N_i` positions in one row for a one-dimensional
    /// model, `H_i × W_i` for an image model (`proofs/two_dimensions.md`).
    grids: Vec<Grid>,
}

impl<S: Scalar> Model<S> {
    /// A model, checking every requirement of docs/math.md §1 except unit norm (checked by
    /// [`Layer::new`]): at least one layer, `N ≥ 1`, channel agreement between layers,
    /// `N_{i-1} ≥ 2 n_i - 1` for a circular layer, each layer's output length
    /// ([`super::Geometry::output_length`]), and sizes within [`MAX_SIGNAL_LENGTH`] and
    /// [`MAX_VECTOR_ENTRIES`].
    pub fn new(
        signal_length: usize,
        input_channels: usize,
        layers: Vec<Layer<S>>,
    ) -> Result<Self, ModelError> {
        Self::on_grid(Grid::line(signal_length), input_channels, layers)
    }

    /// A model whose signal lies on `signal`, `H × W` positions: the checks of [`Model::new`]
    /// on each axis of each layer (an image layer's output grid by
    /// [`super::GridGeometry::output_grid`]).
    pub fn on_grid(
        signal: Grid,
        input_channels: usize,
        layers: Vec<Layer<S>>,
    ) -> Result<Self, ModelError> {
        let signal_length = signal.positions();
        if signal_length == 0 {
            return Err(ModelError::ZeroSignalLength);
        }
        if signal_length > MAX_SIGNAL_LENGTH {
            return Err(ModelError::SignalLengthTooLarge {
                length: signal_length,
                max: MAX_SIGNAL_LENGTH,
            });
        }
        if input_channels == 0 {
            return Err(ModelError::ZeroChannels {
                what: "input-channels".into(),
            });
        }
        if layers.is_empty() {
            return Err(ModelError::NoLayers);
        }
        let mut previous = input_channels;
        let mut grids = vec![signal];
        for (index, layer) in layers.iter().enumerate() {
            let number = index + 1;
            if layer.input_channels() != previous {
                return Err(ModelError::Shape {
                    layer: number,
                    filter: 0,
                    what: "the number of input channels".into(),
                    expected: previous,
                    found: layer.input_channels(),
                });
            }
            check_circular_axes(number, layer, grids[index])?;
            let grid =
                layer
                    .grid_geometry()
                    .output_grid(number, grids[index], layer.filter_shape())?;
            let length = grid.positions();
            if length.saturating_mul(layer.filter_count()) > MAX_VECTOR_ENTRIES {
                return Err(ModelError::SignalLengthTooLarge {
                    length,
                    max: MAX_VECTOR_ENTRIES / layer.filter_count(),
                });
            }
            grids.push(grid);
            previous = layer.filter_count();
        }
        Ok(Model {
            signal_length,
            input_channels,
            layers,
            grids,
        })
    }

    /// The grid of `Γ_i` for `0 ≤ i ≤ K` (one row for a one-dimensional model).
    pub fn grid(&self, i: usize) -> Grid {
        self.grids[i]
    }

    /// `N_i` for `0 ≤ i ≤ K`: the positions of `Γ_i` (`N_0 = N`, the signal's).
    pub fn length(&self, i: usize) -> usize {
        self.grids[i].positions()
    }

    /// Whether every layer is the paper's, stride 1 with circular padding (then every
    /// `N_i = N`).
    pub fn has_paper_geometry(&self) -> bool {
        self.grids[0].rows == 1 && self.layers.iter().all(Layer::has_paper_geometry)
    }

    /// The first layer (from 1) that is not the paper's, with a phrase naming its stride and
    /// padding (`layer 2: stride 2, zero padding (1, 1)`), for a result that is stated for the
    /// paper's layers only.
    pub fn first_real_layer(&self) -> Option<String> {
        if let Some(image) = self.first_image_layer() {
            return Some(image);
        }
        first_real_layer(self.layers.iter().map(Layer::geometry))
    }

    /// Whether the model is one-dimensional: a signal of one row and every layer a line
    /// ([`Layer::is_line`]), so every `Γ_i` lies on one row.
    pub fn is_line(&self) -> bool {
        self.first_image_layer().is_none()
    }

    /// The first layer (from 1) of an image model, `layer 1: image layer` (a signal of several
    /// rows, or a layer that is not a line, [`Layer::is_line`]), or `None` for a
    /// one-dimensional model.
    pub fn first_image_layer(&self) -> Option<String> {
        if self.grids[0].rows > 1 {
            return Some("layer 1: image layer".into());
        }
        let index = self.layers.iter().position(|layer| !layer.is_line())?;
        Some(format!("layer {}: image layer", index + 1))
    }

    /// `N`.
    pub fn signal_length(&self) -> usize {
        self.signal_length
    }

    /// `m_0`.
    pub fn input_channels(&self) -> usize {
        self.input_channels
    }

    /// `K`, the number of layers.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// The layers `1..=K` (index 0 is layer 1).
    pub fn layers(&self) -> &[Layer<S>] {
        &self.layers
    }

    /// Layer `i` for `1 ≤ i ≤ K`.
    pub fn layer(&self, i: usize) -> &Layer<S> {
        &self.layers[i - 1]
    }

    /// `m_i` for `0 ≤ i ≤ K`.
    pub fn channels(&self, i: usize) -> usize {
        if i == 0 {
            self.input_channels
        } else {
            self.layers[i - 1].filter_count()
        }
    }

    /// The same model in another scalar type, without re-validation.
    pub fn map<T: Scalar>(&self, f: impl Fn(&S) -> T + Copy) -> Model<T> {
        Model {
            signal_length: self.signal_length,
            input_channels: self.input_channels,
            layers: self.layers.iter().map(|l| l.map(f)).collect(),
            grids: self.grids.clone(),
        }
    }
}

/// `N_{i-1} ≥ 2 n_i − 1` on each circular axis of layer `number` (the rows axis of a
/// one-dimensional layer is not circular).
fn check_circular_axes<S: Scalar>(
    number: usize,
    layer: &Layer<S>,
    input: Grid,
) -> Result<(), ModelError> {
    let geometry = layer.grid_geometry();
    let shape = layer.filter_shape();
    let axes = [
        (geometry.columns, input.columns, shape.columns),
        (geometry.rows, input.rows, shape.rows),
    ];
    for (axis, input_length, filter_length) in axes {
        let required = stripe_width(filter_length);
        if axis.padding == Padding::Circular && input_length < required {
            return Err(ModelError::SignalTooShort {
                layer: number,
                signal_length: input_length,
                filter_length,
                required,
            });
        }
    }
    Ok(())
}
