//! One layer of the model: `m_i` local filters `f_{i,c}`, each an `n_i × m_{i-1}` array, which
//! generate the convolutional dictionary `D_i ∈ R^{N m_{i-1} × N m_i}` (docs/math.md §1).

use super::error::ModelError;
use super::geometry::Geometry;
use super::grid::{FilterShape, GridGeometry};
use crate::scalar::Scalar;
use crate::tolerance;

/// The filters of one layer, stored `filter-major, then tap, then input channel`:
/// `taps[(c · n + t) · m_prev + c']` is `f_{i,c}[t][c']`, with the layer's [`Geometry`]
/// (stride and padding; by default stride 1 and circular, the paper's model). The `n` taps
/// form a [`FilterShape`] `n_h × n_w`, numbered row-major, and the geometry has a rows axis
/// beside it ([`GridGeometry`], `proofs/two_dimensions.md`); a one-dimensional layer has one
/// row of taps and rows at stride 1 without padding.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer<S> {
    filter_count: usize,
    filter_length: usize,
    input_channels: usize,
    taps: Vec<S>,
    geometry: Geometry,
    filter_shape: FilterShape,
    row_geometry: Geometry,
}

impl<S: Scalar> Layer<S> {
    /// A layer from nested filters `filters[c][t][c']`, checking shapes, finiteness and unit
    /// norm (exactly for rationals; within [`tolerance::UNIT_NORM_SQUARED`] for `f64`). The
    /// `layer` number (from 1) is used in error messages only.
    pub fn new(layer: usize, filters: Vec<Vec<Vec<S>>>) -> Result<Self, ModelError> {
        Self::new_with_norm(layer, filters, sum_of_squares)
    }

    /// As [`Layer::new`], with `‖f‖²` computed by `norm_squared`, which must return exactly
    /// `Σ v²` over the filter's entries (an engine's faster sum; held to [`sum_of_squares`] by
    /// the agreement tests).
    pub fn new_with_norm(
        layer: usize,
        filters: Vec<Vec<Vec<S>>>,
        norm_squared: impl Fn(&[S]) -> S,
    ) -> Result<Self, ModelError> {
        let built = Self::new_unchecked_norm(layer, filters)?;
        built.check_unit_norm(layer, norm_squared)?;
        Ok(built)
    }

    /// As [`Layer::new`], without the unit-norm requirement (for cross-checks of dictionaries
    /// with arbitrary atoms, such as the doubled bank `[D, -D]` of the CNN splitting lemma).
    pub fn new_unchecked_norm(layer: usize, filters: Vec<Vec<Vec<S>>>) -> Result<Self, ModelError> {
        let filter_count = filters.len();
        if filter_count == 0 {
            return Err(ModelError::EmptyLayer {
                layer,
                what: "no filters".into(),
            });
        }
        let filter_length = filters[0].len();
        if filter_length == 0 {
            return Err(ModelError::EmptyLayer {
                layer,
                what: "filter 0 has no taps".into(),
            });
        }
        let input_channels = filters[0][0].len();
        if input_channels == 0 {
            return Err(ModelError::EmptyLayer {
                layer,
                what: "filter 0, tap 0 has no channels".into(),
            });
        }
        let mut taps = Vec::with_capacity(filter_count * filter_length * input_channels);
        for (c, filter) in filters.into_iter().enumerate() {
            if filter.len() != filter_length {
                return Err(ModelError::Shape {
                    layer,
                    filter: c,
                    what: "the number of taps".into(),
                    expected: filter_length,
                    found: filter.len(),
                });
            }
            for (t, tap) in filter.into_iter().enumerate() {
                if tap.len() != input_channels {
                    return Err(ModelError::Shape {
                        layer,
                        filter: c,
                        what: format!("the number of channels at tap {t}"),
                        expected: input_channels,
                        found: tap.len(),
                    });
                }
                for (channel, value) in tap.into_iter().enumerate() {
                    if !value.is_finite_value() {
                        return Err(ModelError::NonFinite {
                            layer,
                            filter: c,
                            tap: t,
                            channel,
                            value: format!("{value:?}"),
                        });
                    }
                    taps.push(value);
                }
            }
        }
        Ok(Layer {
            filter_count,
            filter_length,
            input_channels,
            taps,
            geometry: Geometry::default(),
            filter_shape: FilterShape::line(filter_length),
            row_geometry: GridGeometry::line(Geometry::default()).rows,
        })
    }

    fn check_unit_norm(
        &self,
        layer: usize,
        norm_squared: impl Fn(&[S]) -> S,
    ) -> Result<(), ModelError> {
        for c in 0..self.filter_count {
            let norm_squared = norm_squared(self.filter(c));
            let is_unit = if S::EXACT {
                norm_squared.is_one()
            } else {
                (norm_squared.to_f64() - 1.0).abs() <= tolerance::UNIT_NORM_SQUARED
            };
            if !is_unit {
                let hint = if S::EXACT {
                    "; exact checking needs exactly unit-norm filters (rational unit vectors exist near any direction, see docs/math.md §1), or use --arithmetic f64 to accept unit norm within 1e-5".to_string()
                } else {
                    format!(" within {}", tolerance::UNIT_NORM_SQUARED)
                };
                return Err(ModelError::FilterNotUnitNorm {
                    layer,
                    filter: c,
                    norm_squared: format!("{norm_squared:?}"),
                    hint,
                });
            }
        }
        Ok(())
    }

    /// The layer with rows and columns exchanged: tap `(i, j)` of every filter moves to
    /// `(j, i)`, and the axes' geometries trade places (`proofs/two_dimensions.md`, G3).
    pub fn transposed(&self) -> Self {
        let shape = self.filter_shape;
        let m_prev = self.input_channels;
        let mut taps = Vec::with_capacity(self.taps.len());
        for c in 0..self.filter_count {
            for t in 0..shape.taps() {
                let (j, i) = shape.transposed().coordinates(t);
                let at = (c * shape.taps() + i * shape.columns + j) * m_prev;
                taps.extend_from_slice(&self.taps[at..at + m_prev]);
            }
        }
        let geometry = self.grid_geometry().transposed();
        Layer {
            taps,
            geometry: geometry.columns,
            filter_shape: shape.transposed(),
            row_geometry: geometry.rows,
            ..self.clone()
        }
    }

    /// The same layer with another stride and padding; the model that holds it checks that
    /// they fit its lengths ([`super::Model::new`]).
    pub fn with_geometry(mut self, geometry: Geometry) -> Self {
        self.geometry = geometry;
        self
    }

    /// The stride and padding (`proofs/strided_dictionary.md`); of the columns axis for an
    /// image layer.
    pub fn geometry(&self) -> Geometry {
        self.geometry
    }

    /// The same layer with its taps read as an `n_h × n_w` image filter and `geometry` on
    /// both axes; refused, naming `layer` (from 1), when the shape does not have `n` taps.
    pub fn on_grid(
        mut self,
        layer: usize,
        filter_shape: FilterShape,
        geometry: GridGeometry,
    ) -> Result<Self, ModelError> {
        if filter_shape.taps() != self.filter_length {
            return Err(ModelError::Shape {
                layer,
                filter: 0,
                what: format!(
                    "the number of taps of a {} × {} filter",
                    filter_shape.rows, filter_shape.columns
                ),
                expected: filter_shape.taps(),
                found: self.filter_length,
            });
        }
        self.filter_shape = filter_shape;
        self.geometry = geometry.columns;
        self.row_geometry = geometry.rows;
        Ok(self)
    }

    /// The filter's taps as `n_h × n_w` (`1 × n` for a one-dimensional layer).
    pub fn filter_shape(&self) -> FilterShape {
        self.filter_shape
    }

    /// The stride and padding of both axes (`proofs/two_dimensions.md`).
    pub fn grid_geometry(&self) -> GridGeometry {
        GridGeometry {
            rows: self.row_geometry,
            columns: self.geometry,
        }
    }

    /// Whether the layer is one-dimensional: filters of one row and the rows axis of a line
    /// (stride 1, no padding; `proofs/two_dimensions.md`, G2).
    pub fn is_line(&self) -> bool {
        self.grid_geometry() == GridGeometry::line(self.geometry)
            && self.filter_shape == FilterShape::line(self.filter_length)
    }

    /// Whether the layer is the paper's: one-dimensional, stride 1 with circular padding.
    pub fn has_paper_geometry(&self) -> bool {
        self.geometry.is_paper() && self.is_line()
    }

    /// The filters in a convolution's layout, `W[c][c'][t] = f_{i,c}[t][c']` (PyTorch's
    /// `[out][in][tap]`).
    pub fn convolution_weights(&self) -> Vec<Vec<Vec<S>>> {
        (0..self.filter_count)
            .map(|c| {
                (0..self.input_channels)
                    .map(|input| {
                        (0..self.filter_length)
                            .map(|t| self.tap(c, t, input).clone())
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    /// `m_i`, the number of filters (channels of `Γ_i`).
    pub fn filter_count(&self) -> usize {
        self.filter_count
    }

    /// `n_i`, the filter length.
    pub fn filter_length(&self) -> usize {
        self.filter_length
    }

    /// `2 n_i − 1`, the width of a stripe: the positions of the atoms that can meet one patch
    /// of `n_i` entries, and the shortest signal a layer of filter length `n_i` acts on.
    pub fn stripe_width(&self) -> usize {
        stripe_width(self.filter_length)
    }

    /// `m_{i-1}`, the channels of the layer's input.
    pub fn input_channels(&self) -> usize {
        self.input_channels
    }

    /// `f_{i,c}[t][c']`.
    pub fn tap(&self, filter: usize, t: usize, channel: usize) -> &S {
        &self.taps[(filter * self.filter_length + t) * self.input_channels + channel]
    }

    /// All `n_i · m_{i-1}` entries of filter `c`, tap-major.
    pub fn filter(&self, c: usize) -> &[S] {
        let size = self.filter_length * self.input_channels;
        &self.taps[c * size..(c + 1) * size]
    }

    /// All taps, filter-major.
    pub fn taps(&self) -> &[S] {
        &self.taps
    }

    /// `‖f_{i,c}‖²`.
    pub fn filter_norm_squared(&self, c: usize) -> S {
        sum_of_squares(self.filter(c))
    }

    /// The filters as nested arrays `filters[c][t][c']`.
    pub fn nested_filters(&self) -> Vec<Vec<Vec<S>>> {
        (0..self.filter_count)
            .map(|c| {
                self.filter(c)
                    .chunks(self.input_channels)
                    .map(|tap| tap.to_vec())
                    .collect()
            })
            .collect()
    }

    /// The same layer in another scalar type, without re-validation.
    pub fn map<T: Scalar>(&self, f: impl Fn(&S) -> T) -> Layer<T> {
        Layer {
            filter_count: self.filter_count,
            filter_length: self.filter_length,
            input_channels: self.input_channels,
            taps: self.taps.iter().map(f).collect(),
            geometry: self.geometry,
            filter_shape: self.filter_shape,
            row_geometry: self.row_geometry,
        }
    }
}

/// `2n − 1`, the width of a stripe of a layer with filter length `n`: the positions whose atoms
/// overlap the atom at the stripe's centre, and the shortest signal length `N` the conventions
/// admit for that layer (docs/math.md §1).
pub fn stripe_width(filter_length: usize) -> usize {
    2 * filter_length - 1
}

/// `Σ v²`, in order.
pub fn sum_of_squares<S: Scalar>(values: &[S]) -> S {
    let mut acc = S::zero();
    for v in values {
        S::multiply_accumulate(&mut acc, v, v);
    }
    acc
}
