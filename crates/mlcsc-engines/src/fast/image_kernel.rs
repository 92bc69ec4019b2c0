//! The register-tile product of the output rows of an image analysis `D_iᵀ Z` (see
//! [`super::image`]): output column `c` of an output row is
//! `Σ_{i < n_h} rows[i][c σ_w m_{i-1} .. c σ_w m_{i-1} + n_w m_{i-1}] · W_i`, where `rows[i]` is
//! the `i`-th extended input row under the output row and `W_i` the part of the packed filters
//! that tap row `i` multiplies (taps are numbered row-major and stored before the input
//! channel, so `W_i` is the `i`-th run of `n_w m_{i-1}` rows of every panel).
//!
//! A tile of [`TILE_ROWS`] output columns by [`TILE_VECTORS`] registers of output channels keeps
//! its accumulators in registers for the whole sum over `K = n_h n_w m_{i-1}`, as the
//! one-dimensional kernel ([`super::kernel`]) does; the last `N_w mod TILE_ROWS` columns take
//! one narrower tile rather than single columns, whose two accumulators would leave the
//! multiply-add units waiting on their latency.

use pulp::{Arch, Simd, WithSimd};

use super::kernel::{MAX_LANES, PackedWeights, TILE_ROWS, TILE_VECTORS, store};
use super::simd::Real;

/// Where the windows of the output rows lie in a block of extended input rows.
#[derive(Clone, Copy, Debug)]
pub struct RowShape {
    /// `n_h`, the extended rows an output row reads.
    pub filter_rows: usize,
    /// Numbers in one extended row: `(σ_w (N_w − 1) + n_w) m_{i-1}`.
    pub row_length: usize,
    /// `σ_h · row_length`: from the first extended row of one output row to the next's.
    pub row_step: usize,
    /// `σ_w m_{i-1}`: from the window of one output column to the next's.
    pub column_step: usize,
    /// `n_w m_{i-1}`, the length of one window.
    pub width: usize,
    /// `N_w`, the output columns.
    pub columns: usize,
}

/// `out` (whole output rows, `N_w × m_i` each) from the extended input rows `input`, whose
/// first row is the first row of the first output row.
///
/// # Panics
///
/// If `input` is shorter than the output rows need, or the shapes disagree with `weights`.
pub fn rows_product<T: Real>(
    weights: &PackedWeights<T>,
    shape: &RowShape,
    input: &[T],
    out: &mut [T],
) {
    assert_eq!(
        weights.depth,
        shape.filter_rows * shape.width,
        "K = n_h n_w m"
    );
    let row_entries = shape.columns * weights.outputs;
    let rows = out.len().checked_div(row_entries).unwrap_or(0);
    if rows == 0 {
        return;
    }
    assert!(
        input.len() >= (rows - 1) * shape.row_step + shape.filter_rows * shape.row_length,
        "the extended rows are too short"
    );
    Arch::new().dispatch(Block {
        weights,
        shape,
        input,
        out: &mut out[..rows * row_entries],
    });
}

struct Block<'a, T> {
    weights: &'a PackedWeights<T>,
    shape: &'a RowShape,
    input: &'a [T],
    out: &'a mut [T],
}

/// One panel of output channels of one output row.
struct PanelRow<'a, T: Real, S: Simd> {
    simd: S,
    panel: &'a [T::Lanes<S>],
    /// The first output channel of the panel, and how many it holds.
    first: usize,
    width: usize,
}

impl<T: Real> WithSimd for Block<'_, T> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let Block {
            weights,
            shape,
            input,
            out,
        } = self;
        let (depth, outputs) = (weights.depth, weights.outputs);
        let columns = TILE_VECTORS * T::lanes::<S>();
        let entries = weights.panel_entries();
        // The packing used the same dispatch, so its panels are whole registers here.
        assert_eq!(entries.len(), outputs.div_ceil(columns) * depth * columns);
        let panels = T::as_lanes::<S>(entries);
        let row_entries = shape.columns * outputs;
        for (rho, out_row) in out.chunks_exact_mut(row_entries).enumerate() {
            let base = &input[rho * shape.row_step..];
            for (j, panel) in panels.chunks_exact(depth * TILE_VECTORS).enumerate() {
                let first = j * columns;
                let context = PanelRow::<T, S> {
                    simd,
                    panel,
                    first,
                    width: columns.min(outputs - first),
                };
                panel_row(&context, shape, base, outputs, out_row);
            }
        }
    }
}

/// Every tile of one panel along one output row.
#[inline(always)]
fn panel_row<T: Real, S: Simd>(
    context: &PanelRow<'_, T, S>,
    shape: &RowShape,
    base: &[T],
    outputs: usize,
    out_row: &mut [T],
) {
    let mut c = 0;
    while c + TILE_ROWS <= shape.columns {
        tile_into::<T, S, TILE_ROWS>(context, shape, base, c, outputs, out_row);
        c += TILE_ROWS;
    }
    match shape.columns - c {
        0 => {}
        1 => tile_into::<T, S, 1>(context, shape, base, c, outputs, out_row),
        2 => tile_into::<T, S, 2>(context, shape, base, c, outputs, out_row),
        3 => tile_into::<T, S, 3>(context, shape, base, c, outputs, out_row),
        4 => tile_into::<T, S, 4>(context, shape, base, c, outputs, out_row),
        _ => {
            const { assert!(TILE_ROWS == 6, "the tail covers up to five columns") };
            tile_into::<T, S, 5>(context, shape, base, c, outputs, out_row);
        }
    }
}

/// Output columns `c .. c + COLUMNS` of one panel, computed and stored.
#[inline(always)]
fn tile_into<T: Real, S: Simd, const COLUMNS: usize>(
    context: &PanelRow<'_, T, S>,
    shape: &RowShape,
    base: &[T],
    c: usize,
    outputs: usize,
    out_row: &mut [T],
) {
    let start = &base[c * shape.column_step..];
    let accumulators = tile::<T, S, COLUMNS>(context.simd, start, shape, context.panel);
    let mut buffer = [T::default(); TILE_VECTORS * MAX_LANES];
    for (i, accumulator) in accumulators.iter().enumerate() {
        let row = &mut out_row[(c + i) * outputs + context.first..][..context.width];
        store::<T, S>(accumulator, row, &mut buffer);
    }
}

/// The sums of `COLUMNS` output columns over every tap row, the accumulators in registers
/// throughout.
#[inline(always)]
fn tile<T: Real, S: Simd, const COLUMNS: usize>(
    simd: S,
    start: &[T],
    shape: &RowShape,
    panel: &[T::Lanes<S>],
) -> [[T::Lanes<S>; TILE_VECTORS]; COLUMNS] {
    let zero = T::splat(simd, T::default());
    let mut accumulators = [[zero; TILE_VECTORS]; COLUMNS];
    let width = shape.width;
    for (i, segment) in panel.chunks_exact(width * TILE_VECTORS).enumerate() {
        let row = &start[i * shape.row_length..];
        let windows: [&[T]; COLUMNS] =
            std::array::from_fn(|r| &row[r * shape.column_step..][..width]);
        for (k, w) in segment.chunks_exact(TILE_VECTORS).enumerate() {
            let (w0, w1) = (w[0], w[1]);
            for (accumulator, window) in accumulators.iter_mut().zip(&windows) {
                let a = T::splat(simd, window[k]);
                accumulator[0] = T::mul_add(simd, a, w0, accumulator[0]);
                accumulator[1] = T::mul_add(simd, a, w1, accumulator[1]);
            }
        }
    }
    accumulators
}
