//! One-dimensional instances carried to images (`proofs/two_dimensions.md`, G3, G9).
//!
//! - [`as_column`]: the instance read as a column, `N × 1` (G2 with G3): every quantity and
//!   verdict of a statement that reads grids is the one-dimensional one.
//! - [`lift_to_image`]: a genuine image instance with the one-dimensional instance on one row
//!   of every layer. Each layer gets a rows axis of its own, drawn here: a filter height
//!   `n_h ∈ {1, 2, 3}`, a stride `σ_h ∈ {1, 2, 3}`, a padding (circular exactly when the
//!   line's layer is, so one mode holds for both axes as the instance format writes it; else
//!   zero or valid), and a tap row `j`; filter `c` becomes `e_j ⊗ f_c`, the one-dimensional filter on row `j` of an
//!   `n_h × n` filter, zero elsewhere. The grids are sized from the top down so that the row
//!   `r_i` carrying `Γ_i` is interior at every layer, with `r_{i-1} = σ_h r_i + j − P^t`. By G9
//!   the profile of every layer, the `ε` chain and the estimates of layered thresholding
//!   (thresholds `≥ 0`) are the one-dimensional ones on those rows, so the lift meets the
//!   hypotheses of Theorem 2 for real layers exactly when the line does, and its verdict is
//!   the line's. Half the lifts are then transposed (G3), so the line runs down a column.

use rand::{Rng, RngExt};

use crate::instance::Instance;
use crate::model::{FilterShape, Geometry, Grid, GridGeometry, Layer, LayerVector, Model, Padding};
use crate::scalar::Rational;
use num_traits::Zero;

/// The largest number of rows a lift gives any grid: image checks run the plain loops of the
/// specification, so the lifted instances stay within a few times the line's work.
pub const MOST_LIFTED_ROWS: usize = 20;

/// The rows axis of one lifted layer: its geometry, filter height and tap row.
#[derive(Clone, Copy, Debug)]
struct RowsAxis {
    geometry: Geometry,
    height: usize,
    tap_row: usize,
}

/// The instance `instance` (one-dimensional) read as a column: grids `N_i × 1`, filters
/// `n_i × 1`, each layer's stride and padding on the rows.
pub fn as_column(instance: &Instance<Rational>) -> Instance<Rational> {
    transposed_instance(instance)
}

/// The instance with rows and columns exchanged everywhere (G3).
pub fn transposed_instance(instance: &Instance<Rational>) -> Instance<Rational> {
    let model = &instance.model;
    let layers = model.layers().iter().map(Layer::transposed).collect();
    let signal = model.grid(0).transposed();
    let model = Model::on_grid(signal, model.input_channels(), layers)
        .expect("a transposed model fits its transposed grids");
    Instance {
        model,
        deepest_representation: instance.deepest_representation.transposed(),
        noise: instance.noise.transposed(),
        last_patch_width: instance.last_patch_rows,
        last_patch_rows: instance.last_patch_width,
        ..instance.clone()
    }
}

/// The image lift of a one-dimensional instance (G9), transposed half the time.
///
/// # Panics
///
/// If `instance` is not one-dimensional.
pub fn lift_to_image<R: Rng + ?Sized>(
    rng: &mut R,
    instance: &Instance<Rational>,
) -> Instance<Rational> {
    let model = &instance.model;
    assert!(
        model.grid(0).rows == 1,
        "a lift starts from a one-dimensional instance"
    );
    let depth = model.depth();
    let circular: Vec<bool> = (1..=depth)
        .map(|i| model.layer(i).geometry().padding == Padding::Circular)
        .collect();
    let (axes, heights, rows) = rows_axes(rng, &circular);
    let layers = (1..=depth)
        .map(|i| lifted_layer(i, model.layer(i), axes[i - 1]))
        .collect();
    let signal = Grid {
        rows: heights[0],
        columns: model.length(0),
    };
    let lifted = Model::on_grid(signal, model.input_channels(), layers)
        .expect("the rows axes are sized to fit (proofs/two_dimensions.md, G9)");
    let deepest = on_row(
        &instance.deepest_representation,
        lifted.grid(depth),
        rows[depth],
    );
    let noise = on_row(&instance.noise, lifted.grid(0), rows[0]);
    let image = Instance {
        model: lifted,
        deepest_representation: deepest,
        noise,
        last_patch_rows: rng.random_range(1..=heights[depth].min(2)),
        source: format!(
            "{} lifted to an image (proofs/two_dimensions.md, G9)",
            instance.source
        ),
        ..instance.clone()
    };
    if rng.random_bool(0.5) {
        transposed_instance(&image)
    } else {
        image
    }
}

/// Layer `i` with filter `c` made `e_j ⊗ f_c` on `axis`, the columns axis its own.
fn lifted_layer(i: usize, layer: &Layer<Rational>, axis: RowsAxis) -> Layer<Rational> {
    let zero_tap = vec![Rational::zero(); layer.input_channels()];
    let filters = layer
        .nested_filters()
        .into_iter()
        .map(|filter| {
            let mut image = vec![zero_tap.clone(); axis.height * filter.len()];
            let row = axis.tap_row * filter.len();
            image[row..row + filter.len()].clone_from_slice(&filter);
            image
        })
        .collect();
    let shape = FilterShape {
        rows: axis.height,
        columns: layer.filter_length(),
    };
    let geometry = GridGeometry {
        rows: axis.geometry,
        columns: layer.geometry(),
    };
    Layer::new(i, filters)
        .and_then(|lifted| lifted.on_grid(i, shape, geometry))
        .expect("e_j ⊗ f is a unit filter of n_h × n taps")
}

/// `vector` (a line of `grid.columns` positions) placed on row `row` of `grid`.
fn on_row(vector: &LayerVector<Rational>, grid: Grid, row: usize) -> LayerVector<Rational> {
    let mut image = LayerVector::zeros_on(grid, vector.channels());
    for (p, c, value) in vector.support() {
        image.set(grid.position(row, p), c, value.clone());
    }
    image
}

/// The rows axes of layers `1..=depth`, the heights `H_0, …, H_K` and the rows
/// `r_0, …, r_K` carrying the line, drawn from the top down (G9); layer `i`'s rows axis is
/// circular exactly when `circular[i − 1]` (its columns axis is), so that one padding mode
/// holds for both axes, as the instance format writes it.
fn rows_axes<R: Rng + ?Sized>(
    rng: &mut R,
    circular: &[bool],
) -> (Vec<RowsAxis>, Vec<usize>, Vec<usize>) {
    let depth = circular.len();
    let mut heights = vec![0; depth + 1];
    let mut rows = vec![0; depth + 1];
    heights[depth] = rng.random_range(1..=3);
    rows[depth] = rng.random_range(0..heights[depth]);
    let mut axes = Vec::with_capacity(depth);
    for i in (1..=depth).rev() {
        let (axis, height, row) = rows_axis_below(rng, heights[i], rows[i], circular[i - 1]);
        axes.push(axis);
        heights[i - 1] = height;
        rows[i - 1] = row;
    }
    axes.reverse();
    (axes, heights, rows)
}

/// A rows axis whose output has `height` rows with row `row` interior (circular when
/// `circular`), with the height of its input and the input row that row's tap row lands on.
fn rows_axis_below<R: Rng + ?Sized>(
    rng: &mut R,
    height: usize,
    row: usize,
    circular: bool,
) -> (RowsAxis, usize, usize) {
    let mut stride = rng.random_range(1..=3);
    if (height + 1) * stride + 3 > MOST_LIFTED_ROWS {
        stride = 1;
    }
    // A circular axis needs `σ H_i ≥ 2 n_h − 1`.
    let tallest = if circular {
        (stride * height).div_ceil(2).min(3)
    } else {
        3
    };
    let filter_height = rng.random_range(1..=tallest);
    let tap_row = rng.random_range(0..filter_height);
    let axis = |padding| RowsAxis {
        geometry: Geometry { stride, padding },
        height: filter_height,
        tap_row,
    };
    if circular {
        let input = stride * height;
        return (
            axis(Padding::Circular),
            input,
            (stride * row + tap_row) % input,
        );
    }
    // Zero or valid: `H_{i-1} = (H_i − 1) σ + n_h − P^t − P^b + e`, `0 ≤ e < σ`, gives `H_i`
    // rows; row `r` is interior when `P^t ≤ σ r` and `P^b ≤ σ (H_i − 1 − r) + e`.
    let extra = rng.random_range(0..stride);
    let padding = if rng.random_bool(0.5) {
        Padding::Valid
    } else {
        Padding::Zero {
            left: rng.random_range(0..=(stride * row).min(2)),
            right: rng.random_range(0..=(stride * (height - 1 - row) + extra).min(2)),
        }
    };
    let (top, bottom) = padding.amounts();
    let input = (height - 1) * stride + filter_height + extra - top - bottom;
    (axis(padding), input, stride * row + tap_row - top)
}
