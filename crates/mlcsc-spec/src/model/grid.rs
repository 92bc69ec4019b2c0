//! Two-dimensional layers as pairs of one-dimensional axes (`proofs/two_dimensions.md`).
//!
//! An image layer's positions form a [`Grid`] of `H × W` positions numbered row-major,
//! `p = r W + c`; its filters are `n_h × n_w` taps ([`FilterShape`]), numbered row-major,
//! `t = i n_w + j`; and its [`GridGeometry`] is one [`Geometry`] (stride and padding) per axis.
//! Every position rule is the product of the two axes' rules:
//!
//! - tap `(i, j)` of the atom at `(r, c)` lands on input `(σ_h r + i − P^t, σ_w c + j − P^l)`
//!   when both axes place it ([`Geometry::input_position`]);
//! - the output grid is `N_h × N_w`, each axis by [`Geometry::output_length`];
//! - an atom is interior when it is interior on both axes;
//! - the stripe of `(r, c)` is the product of the axes' stripes, the patch the product of their
//!   patches, and the displacements of the coherence are `σ_h ℤ × σ_w ℤ`.
//!
//! A one-dimensional layer of length `N` is the grid `1 × N` with filters `1 × n` and the
//! rows axis at stride 1 without padding ([`GridGeometry::line`]); every rule then gives the
//! one-dimensional answer, position for position (`tests/all/grid_geometry.rs`).

use super::error::ModelError;
use super::geometry::{Geometry, Padding};
use crate::strided_coherence::strided_displacements;

/// `H × W` positions, numbered row-major: position `p` is row `p / W`, column `p mod W`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Grid {
    /// `H`, the number of rows.
    pub rows: usize,
    /// `W`, the number of columns.
    pub columns: usize,
}

impl Grid {
    /// The one-dimensional signal of `length` positions: one row.
    pub fn line(length: usize) -> Self {
        Grid {
            rows: 1,
            columns: length,
        }
    }

    /// `H W`, the number of positions.
    pub fn positions(&self) -> usize {
        self.rows * self.columns
    }

    /// The position of row `r`, column `c`: `r W + c`.
    pub fn position(&self, row: usize, column: usize) -> usize {
        row * self.columns + column
    }

    /// The row and column of position `p`.
    pub fn coordinates(&self, p: usize) -> (usize, usize) {
        (p / self.columns, p % self.columns)
    }

    /// The grid with rows and columns exchanged.
    pub fn transposed(&self) -> Self {
        Grid {
            rows: self.columns,
            columns: self.rows,
        }
    }
}

/// The taps of a filter, `n_h × n_w`, numbered row-major: tap `t` is `(t / n_w, t mod n_w)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FilterShape {
    /// `n_h`.
    pub rows: usize,
    /// `n_w`.
    pub columns: usize,
}

impl FilterShape {
    /// The one-dimensional filter of `length` taps: one row.
    pub fn line(length: usize) -> Self {
        FilterShape {
            rows: 1,
            columns: length,
        }
    }

    /// `n_h n_w`, the number of taps.
    pub fn taps(&self) -> usize {
        self.rows * self.columns
    }

    /// The row and column of tap `t`.
    pub fn coordinates(&self, t: usize) -> (usize, usize) {
        (t / self.columns, t % self.columns)
    }

    /// The shape with rows and columns exchanged.
    pub fn transposed(&self) -> Self {
        FilterShape {
            rows: self.columns,
            columns: self.rows,
        }
    }
}

/// The stride and padding of each axis of a two-dimensional layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GridGeometry {
    /// `σ_h` and the padding at the top and bottom (`left` is the top).
    pub rows: Geometry,
    /// `σ_w` and the padding at the left and right.
    pub columns: Geometry,
}

impl GridGeometry {
    /// The one-dimensional `geometry` as a grid geometry: rows at stride 1, no padding.
    pub fn line(geometry: Geometry) -> Self {
        GridGeometry {
            rows: Geometry {
                stride: 1,
                padding: Padding::Valid,
            },
            columns: geometry,
        }
    }

    /// The geometry with rows and columns exchanged.
    pub fn transposed(&self) -> Self {
        GridGeometry {
            rows: self.columns,
            columns: self.rows,
        }
    }

    /// `N_h × N_w`, each axis by [`Geometry::output_length`]; errors name `layer` (from 1).
    pub fn output_grid(
        &self,
        layer: usize,
        input: Grid,
        filter: FilterShape,
    ) -> Result<Grid, ModelError> {
        Ok(Grid {
            rows: self.rows.output_length(layer, input.rows, filter.rows)?,
            columns: self
                .columns
                .output_length(layer, input.columns, filter.columns)?,
        })
    }

    /// The input position that tap `t` of the atom at output position `p` lands on, or
    /// `None` when either axis drops it. `output` is the layer's output grid.
    pub fn input_position(
        &self,
        p: usize,
        t: usize,
        input: Grid,
        output: Grid,
        filter: FilterShape,
    ) -> Option<usize> {
        let (r, c) = output.coordinates(p);
        let (i, j) = filter.coordinates(t);
        let row = self.rows.input_position(r, i, input.rows)?;
        let column = self.columns.input_position(c, j, input.columns)?;
        Some(input.position(row, column))
    }

    /// Whether the atom at `p` is interior on both axes.
    pub fn is_interior(&self, p: usize, input: Grid, output: Grid, filter: FilterShape) -> bool {
        let (r, c) = output.coordinates(p);
        self.rows.is_interior(r, input.rows, filter.rows)
            && self.columns.is_interior(c, input.columns, filter.columns)
    }

    /// The stripe of `p`: the output positions whose atoms can meet the atom at `p`, the
    /// product of the axes' stripes, row-major.
    pub fn stripe_positions(&self, p: usize, output: Grid, filter: FilterShape) -> Vec<usize> {
        let (r, c) = output.coordinates(p);
        let rows = self.rows.stripe_positions(r, output.rows, filter.rows);
        let columns = self
            .columns
            .stripe_positions(c, output.columns, filter.columns);
        product(&rows, &columns, output)
    }

    /// The patch of `p`: the input positions its atom can touch, the product of the axes'
    /// patches, row-major.
    pub fn patch_positions(
        &self,
        p: usize,
        input: Grid,
        output: Grid,
        filter: FilterShape,
    ) -> Vec<usize> {
        let (r, c) = output.coordinates(p);
        let rows = self.rows.patch_positions(r, input.rows, filter.rows);
        let columns = self
            .columns
            .patch_positions(c, input.columns, filter.columns);
        product(&rows, &columns, input)
    }

    /// The displacements `(δ_h, δ_w) ∈ σ_h ℤ × σ_w ℤ` with `|δ_h| ≤ n_h − 1`,
    /// `|δ_w| ≤ n_w − 1`, row-major from the most negative.
    pub fn displacements(&self, filter: FilterShape) -> Vec<(isize, isize)> {
        let rows = strided_displacements(filter.rows, self.rows.stride);
        let columns = strided_displacements(filter.columns, self.columns.stride);
        rows.iter()
            .flat_map(|&h| columns.iter().map(move |&w| (h, w)))
            .collect()
    }
}

/// The positions `(r, c)` of `grid` for `r` in `rows` and `c` in `columns`, row-major.
fn product(rows: &[usize], columns: &[usize], grid: Grid) -> Vec<usize> {
    rows.iter()
        .flat_map(|&r| columns.iter().map(move |&c| grid.position(r, c)))
        .collect()
}
