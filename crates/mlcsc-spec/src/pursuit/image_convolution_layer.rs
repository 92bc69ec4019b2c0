//! A 2-D convolution layer written as a deep-learning framework computes it (`conv2d`),
//! independently of the dictionary operators: weights `[out][in][kh][kw]`, a stride and a
//! padding per axis, one bias per output channel, ReLU. Its loop builds the padded input
//! planes `[in][H'][W']` explicitly and reads them at `(σ_h r + a, σ_w c + b)`
//! (`proofs/two_dimensions.md`, setting). [`super::cnn`] runs it against layered thresholding
//! on image models.

use crate::model::{Grid, Layer, LayerVector, Padding};
use crate::scalar::Scalar;
use crate::threshold::Threshold;

use super::convolution_layer::relu;

/// One axis of a `conv2d`: stride (at least 1) and padding.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ConvolutionAxis {
    /// `σ`.
    pub stride: usize,
    /// How the input is extended along the axis.
    pub padding: Padding,
}

/// A `conv2d` layer with bias and ReLU.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageConvolutionLayer<S> {
    /// `weights[o][i][a][b]`.
    weights: Vec<Vec<Vec<Vec<S>>>>,
    /// `biases[o]`.
    biases: Vec<S>,
    /// Rows, then columns.
    axes: [ConvolutionAxis; 2],
}

impl<S: Scalar> ImageConvolutionLayer<S> {
    /// The layer of a dictionary layer and its threshold: `W[c][c'][a][b] = f_{i,c}[(a, b)][c']`,
    /// `b[c] = −β_{i,c}`, each axis's stride and padding the layer's, so that
    /// `forward(Z) = S⁺_β(D_iᵀ Z)`.
    pub fn from_dictionary_layer(layer: &Layer<S>, threshold: &Threshold<S>) -> Self {
        let shape = layer.filter_shape();
        let weights = (0..layer.filter_count())
            .map(|c| {
                (0..layer.input_channels())
                    .map(|k| {
                        (0..shape.rows)
                            .map(|a| {
                                (0..shape.columns)
                                    .map(|b| layer.tap(c, a * shape.columns + b, k).clone())
                                    .collect()
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let geometry = layer.grid_geometry();
        let axis = |g: crate::model::Geometry| ConvolutionAxis {
            stride: g.stride.max(1),
            padding: g.padding,
        };
        ImageConvolutionLayer {
            weights,
            biases: (0..layer.filter_count())
                .map(|c| -threshold.channel(c).clone())
                .collect(),
            axes: [axis(geometry.rows), axis(geometry.columns)],
        }
    }

    /// `ReLU(W ⋆ Z + b)` for `Z` on its grid (channels last): output `(r, c)`, channel `o` is
    /// `b[o] + Σ_i Σ_a Σ_b W[o][i][a][b] · Z̃[i][σ_h r + a][σ_w c + b]`, accumulated from the
    /// bias, over the padded planes (`[in][H'][W']`, each axis extended as the framework does).
    pub fn forward(&self, input: &LayerVector<S>) -> LayerVector<S> {
        let (planes, output) = self.padded_planes(input);
        let [rows, columns] = self.axes;
        let mut out = LayerVector::zeros_on(output, self.weights.len());
        for (o, (per_input, bias)) in self.weights.iter().zip(&self.biases).enumerate() {
            for p in 0..output.positions() {
                let (r, c) = output.coordinates(p);
                let mut acc = bias.clone();
                for (kernel, plane) in per_input.iter().zip(&planes) {
                    for (a, kernel_row) in kernel.iter().enumerate() {
                        let plane_row = &plane[rows.stride * r + a];
                        for (b, w) in kernel_row.iter().enumerate() {
                            S::multiply_accumulate(&mut acc, w, &plane_row[columns.stride * c + b]);
                        }
                    }
                }
                out.set(p, o, relu(&acc));
            }
        }
        out
    }

    /// The input as a framework holds it, `[C][H'][W']`: each axis extended by its first
    /// positions again (circular, `N/σ` outputs) or by `P` zeros before and after
    /// (`⌊(N + P_before + P_after − n)/σ⌋ + 1` outputs); with the output grid.
    fn padded_planes(&self, input: &LayerVector<S>) -> (Vec<Vec<Vec<S>>>, Grid) {
        let grid = input.grid();
        let kernel = [self.weights[0][0].len(), self.weights[0][0][0].len()];
        let [row_axis, column_axis] = self.axes;
        let rows = extended_axis(row_axis, grid.rows, kernel[0]);
        let columns = extended_axis(column_axis, grid.columns, kernel[1]);
        let output = Grid {
            rows: rows.1,
            columns: columns.1,
        };
        let planes = (0..self.weights[0].len())
            .map(|i| {
                rows.0
                    .iter()
                    .map(|row| {
                        columns
                            .0
                            .iter()
                            .map(|column| match (row, column) {
                                (Some(r), Some(c)) => input.get(grid.position(*r, *c), i).clone(),
                                _ => S::zero(),
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        (planes, output)
    }
}

/// The extended axis as the input positions it reads (`None` for a padding zero), and the
/// number of outputs along it.
fn extended_axis(
    axis: ConvolutionAxis,
    length: usize,
    kernel: usize,
) -> (Vec<Option<usize>>, usize) {
    match axis.padding {
        Padding::Circular => {
            let outputs = length / axis.stride;
            let extended = (axis.stride * outputs + kernel).max(length);
            ((0..extended).map(|q| Some(q % length)).collect(), outputs)
        }
        Padding::Zero { .. } | Padding::Valid => {
            let (before, after) = axis.padding.amounts();
            let mut positions = vec![None; before];
            positions.extend((0..length).map(Some));
            positions.extend(std::iter::repeat_n(None, after));
            let outputs = if positions.len() < kernel {
                0
            } else {
                (positions.len() - kernel) / axis.stride + 1
            };
            (positions, outputs)
        }
    }
}
