//! The local norms of a layer of any stride and padding (`proofs/strided_norms.md`), built on
//! the stripes and patches of [`Geometry`](crate::model::Geometry) (`proofs/strided_dictionary.md`, S5).
//!
//! - `s_i = ‖Γ_i‖^S_{0,∞}`: the largest number of nonzeros of `Γ_i` (all channels) over the
//!   stripes `{p' : |p' − p| ≤ ⌊(n_i − 1)/σ_i⌋}` (cyclic when circular, clipped otherwise);
//! - `(‖Z‖^P_{2,∞})²`: the largest energy of `Z` (all channels) over the supports of the atoms
//!   of the layer that reads `Z`, the patches `σ p − P^l, …, σ p − P^l + n − 1` that exist;
//! - `p_i = ‖Γ_i‖^P_{0,∞}`: the largest number of nonzeros of `Γ_i` over the supports of the
//!   atoms of layer `i + 1`.
//!
//! At stride 1 with circular padding each is the norm of [`crate::norms`] (N1–N4 of the proof).
//!
//! On an image layer every stripe, patch and window is the product of its two axes' (the
//! rules of [`GridGeometry`](crate::model::GridGeometry); `proofs/two_dimensions.md`, G7), and a one-dimensional layer is
//! the grid of one row, so each norm is written once for both.

use crate::model::{FilterShape, Grid, Layer, LayerVector, ModelError, Padding};
use crate::scalar::Scalar;
use crate::strided_operators::check_channels;

/// The number of nonzeros of `Γ` (all channels) in the stripe of code position `p` of
/// `layer`: over the positions `{p' : |p' − p| ≤ ⌊(n − 1)/σ⌋}` of
/// [`Geometry::stripe_positions`](crate::model::Geometry::stripe_positions) (cyclic when circular, clipped to `[0, N_i)` otherwise), each
/// counted once; on an image layer the product of the rows' and columns' stripes
/// ([`GridGeometry::stripe_positions`](crate::model::GridGeometry::stripe_positions)) on the grid of `Γ`. These are the positions of the
/// atoms that can meet an atom at `p` (`proofs/strided_norms.md`, N1;
/// `proofs/two_dimensions.md`, G7).
pub fn strided_stripe_count_at<S: Scalar>(
    gamma: &LayerVector<S>,
    layer: &Layer<S>,
    p: usize,
) -> usize {
    layer
        .grid_geometry()
        .stripe_positions(p, gamma.grid(), layer.filter_shape())
        .into_iter()
        .map(|position| nonzeros_at(gamma, position))
        .sum()
}

/// `s_i = ‖Γ_i‖^S_{0,∞}` for the coefficients `Γ_i` of `layer`: "the largest number of nonzeros
/// of `Γ_i` (all channels) over the stripes of code positions `{p' : |p' − p| ≤ ⌊(n_i − 1)/σ_i⌋}`
/// (cyclic when circular, clipped at the edges otherwise)", the maximum of
/// [`strided_stripe_count_at`] over `p < N_i`; 0 when `Γ_i` has no positions. At stride 1 with
/// circular padding it is [`crate::norms::stripe_sparsity`] (`proofs/strided_norms.md`, N1, N4).
pub fn strided_stripe_sparsity<S: Scalar>(gamma: &LayerVector<S>, layer: &Layer<S>) -> usize {
    (0..gamma.length())
        .map(|p| strided_stripe_count_at(gamma, layer, p))
        .max()
        .unwrap_or(0)
}

/// `(‖Z‖^P_{2,∞})²` over the atom supports of `layer` (number `layer_number`, from 1, for error
/// messages), which reads `Z`: "the largest `Σ z²` over the input positions `patch_positions(p)`
/// (all `m_{i-1}` channels) over code positions `p = 0..N_i`", with `N_{i-1} = Z.length()`
/// (`proofs/strided_norms.md`, N2). It bounds `|⟨d, Z⟩| ≤ ‖d‖₂ · ‖Z‖^P_{2,∞}` for every atom `d`
/// of the layer. At stride 1 with circular padding it is [`crate::norms::patch_norm_squared`]
/// at width `n_i` (N4). On an image layer the patches are those of
/// [`GridGeometry::patch_positions`](crate::model::GridGeometry::patch_positions) on the grid of `Z` (G7). Errors: those of
/// [`GridGeometry::output_grid`](crate::model::GridGeometry::output_grid), and a `Z` with other than `m_{i-1}` channels.
pub fn atom_support_patch_norm_squared<S: Scalar>(
    layer_number: usize,
    layer: &Layer<S>,
    z: &LayerVector<S>,
) -> Result<S, ModelError> {
    check_channels(layer_number, "Z", z, layer.input_channels())?;
    let energies = energies_per_position(z);
    atom_support_maximum(layer_number, &energies, z.grid(), layer, S::zero())
}

/// `(‖Z‖^P_{2,∞})²` over any window: "the largest `Σ z²` (all channels) over all windows of
/// `n` consecutive positions" of `Z`, `n = n_i` the filter length of `layer`; cyclic windows
/// when the layer is circular, windows inside `[0, N_{i-1})` otherwise (the whole of `Z` when
/// `n ≥ N_{i-1}`). Every atom support lies in such a window, so it bounds
/// [`atom_support_patch_norm_squared`] from above (`proofs/strided_norms.md`, N3); at stride 1
/// with circular padding the two are equal, and equal to [`crate::norms::patch_norm_squared`]
/// (N4). On an image layer the windows are the `n_h × n_w` rectangles, each axis's windows
/// as above on the grid of `Z` (G7).
pub fn any_window_patch_norm_squared<S: Scalar>(z: &LayerVector<S>, layer: &Layer<S>) -> S {
    let geometry = layer.grid_geometry();
    let paddings = (geometry.rows.padding, geometry.columns.padding);
    let energies = energies_per_position(z);
    largest_window_sum(
        &energies,
        z.grid(),
        paddings,
        layer.filter_shape(),
        S::zero(),
    )
}

/// `(‖Z‖^P_{2,∞}(h × w))²`, the largest energy (all channels) over the periodic `h × w`
/// rectangles of the grid of `Z` (a side beyond the grid's is read as the grid's): the last
/// layer's patch norm of an image. On a line with `h = 1` it is
/// [`crate::norms::patch_norm_squared`] at width `w` (G7).
pub fn periodic_patch_norm_squared<S: Scalar>(z: &LayerVector<S>, patch: FilterShape) -> S {
    let energies = energies_per_position(z);
    largest_window_sum(&energies, z.grid(), PERIODIC, patch, S::zero())
}

/// `‖Γ‖^P_{0,∞}(h × w)`, the largest number of nonzeros over the periodic `h × w` rectangles
/// of the grid of `Γ`; on a line with `h = 1` it is [`crate::norms::patch_sparsity`] (G7).
pub fn periodic_patch_sparsity<S: Scalar>(gamma: &LayerVector<S>, patch: FilterShape) -> usize {
    let counts: Vec<usize> = (0..gamma.length()).map(|q| nonzeros_at(gamma, q)).collect();
    largest_window_sum(&counts, gamma.grid(), PERIODIC, patch, 0)
}

const PERIODIC: (Padding, Padding) = (Padding::Circular, Padding::Circular);

/// The largest sum of `per_position` (one entry per position of `grid`) over the rectangles
/// `shape` whose rows and columns are windows of [`axis_windows`] under `paddings` (rows,
/// columns); `zero` when there are none.
fn largest_window_sum<T>(
    per_position: &[T],
    grid: Grid,
    (row_padding, column_padding): (Padding, Padding),
    shape: FilterShape,
    zero: T,
) -> T
where
    T: Clone + PartialOrd + for<'a> std::ops::AddAssign<&'a T>,
{
    let rows = axis_windows(row_padding, grid.rows, shape.rows);
    let columns = axis_windows(column_padding, grid.columns, shape.columns);
    let mut best = zero.clone();
    for row_window in &rows {
        for column_window in &columns {
            let mut window = zero.clone();
            for &r in row_window {
                for &c in column_window {
                    window += &per_position[grid.position(r, c)];
                }
            }
            if window > best {
                best = window;
            }
        }
    }
    best
}

/// The windows of `width` consecutive positions of an axis of `length` positions: cyclic when
/// the axis is circular, inside `[0, length)` otherwise; one window of the whole axis when
/// `width ≥ length`, none when either is 0.
fn axis_windows(padding: Padding, length: usize, width: usize) -> Vec<Vec<usize>> {
    let width = width.min(length);
    if width == 0 {
        return Vec::new();
    }
    let starts = match padding {
        Padding::Circular => length,
        Padding::Zero { .. } | Padding::Valid => length - width + 1,
    };
    (0..starts)
        .map(|start| (0..width).map(|offset| (start + offset) % length).collect())
        .collect()
}

/// `p_i = ‖Γ_i‖^P_{0,∞}` over the atom supports of `next_layer` (layer `i + 1`, number
/// `next_layer_number` from 1, for error messages), which reads `Γ_i`: "the largest number of
/// nonzeros of `Γ_i` inside one support of a layer-`(i+1)` atom", the `n_{i+1}` positions
/// `patch_positions(p)` of the next layer's geometry at stride `σ_{i+1}`, all `m_i` channels,
/// over `p < N_{i+1}` (`proofs/strided_norms.md`, N2). At stride 1 with circular padding it is
/// [`crate::norms::patch_sparsity`] at width `n_{i+1}` (N4). On an image layer the supports are
/// those of [`GridGeometry::patch_positions`](crate::model::GridGeometry::patch_positions) on the grid of `Γ_i` (G7). Errors: those of
/// [`GridGeometry::output_grid`](crate::model::GridGeometry::output_grid), and a `Γ_i` with other than `m_i` channels.
pub fn strided_patch_sparsity<S: Scalar>(
    next_layer_number: usize,
    gamma: &LayerVector<S>,
    next_layer: &Layer<S>,
) -> Result<usize, ModelError> {
    check_channels(
        next_layer_number,
        "Γ (its input)",
        gamma,
        next_layer.input_channels(),
    )?;
    let counts: Vec<usize> = (0..gamma.length()).map(|q| nonzeros_at(gamma, q)).collect();
    atom_support_maximum(next_layer_number, &counts, gamma.grid(), next_layer, 0)
}

/// The largest sum of `per_position` (one entry per position of the `input` grid) over the
/// patches of the output positions of `layer` (number `layer_number`, from 1, for errors),
/// [`GridGeometry::patch_positions`](crate::model::GridGeometry::patch_positions); `zero` when there are none.
fn atom_support_maximum<S: Scalar, T>(
    layer_number: usize,
    per_position: &[T],
    input: Grid,
    layer: &Layer<S>,
    zero: T,
) -> Result<T, ModelError>
where
    T: Clone + PartialOrd + for<'a> std::ops::AddAssign<&'a T>,
{
    let (geometry, shape) = (layer.grid_geometry(), layer.filter_shape());
    let output = geometry.output_grid(layer_number, input, shape)?;
    let mut best = zero.clone();
    for p in 0..output.positions() {
        let mut sum = zero.clone();
        for q in geometry.patch_positions(p, input, output, shape) {
            sum += &per_position[q];
        }
        if sum > best {
            best = sum;
        }
    }
    Ok(best)
}

/// `Σ_c z[q, c]²` for every position `q`.
fn energies_per_position<S: Scalar>(z: &LayerVector<S>) -> Vec<S> {
    (0..z.length())
        .map(|q| {
            let mut energy = S::zero();
            for v in z.at_position(q) {
                S::multiply_accumulate(&mut energy, v, v);
            }
            energy
        })
        .collect()
}

fn nonzeros_at<S: Scalar>(vector: &LayerVector<S>, position: usize) -> usize {
    vector
        .at_position(position)
        .iter()
        .filter(|v| !v.is_zero())
        .count()
}
