//! The register-blocked product `out = A W` of one block of rows, where row `r` of `A` is the
//! window `window[r·stride .. r·stride + K]` of the input itself (rows overlap; nothing is
//! packed) and `W` is packed once per operator into panels of `C` columns.
//!
//! A tile of [`TILE_ROWS`] rows by [`TILE_VECTORS`] registers of columns keeps its
//! `TILE_ROWS · TILE_VECTORS` accumulators in registers for the whole sum over `K`: each step
//! broadcasts one entry of each row and issues one fused multiply-add per accumulator, so the
//! loop is bound by the multiply-add units, not by memory. With AVX2 (4 `f64` or 8 `f32` per
//! register, 16 registers) the tile is 6 × 8 in `f64` and 6 × 16 in `f32`: 12 accumulators, 2
//! panel registers and one broadcast. This is a long numerical kernel by design.

use pulp::{Arch, Simd, WithSimd};

use super::dot_kernel::dot_rows;
use super::prefetch::Prefetch;
use super::simd::{Real, lanes};

/// Rows of a register tile.
pub const TILE_ROWS: usize = 6;
/// Vector registers of columns in a register tile.
pub const TILE_VECTORS: usize = 2;
/// The widest register in numbers of any precision (AVX-512 `f32`), for the stack buffer of a
/// cut-short panel.
pub(crate) const MAX_LANES: usize = 16;

/// `W` (`depth × outputs`) in panels of `columns` consecutive output channels: panel `j` holds
/// `W[k, j·columns + c]` at `j·depth·columns + k·columns + c`, zero beyond the last output.
#[derive(Clone, Debug)]
pub struct PackedWeights<T> {
    /// `K`.
    pub depth: usize,
    /// The output channels.
    pub outputs: usize,
    /// Columns per panel, `TILE_VECTORS` registers.
    columns: usize,
    panels: Vec<T>,
    /// `W`'s one column, contiguous, when it has one: the product then takes
    /// [`super::dot_kernel`].
    single_column: Option<Vec<T>>,
}

impl<T: Real> PackedWeights<T> {
    /// Packs `W` given column by column (`column(o)[k] = W[k, o]`).
    pub fn new<'a>(depth: usize, outputs: usize, column: impl Fn(usize) -> &'a [f64]) -> Self {
        let columns = TILE_VECTORS * lanes::<T>();
        let count = outputs.div_ceil(columns);
        let mut panels = vec![T::default(); count * depth * columns];
        for o in 0..outputs {
            let (j, c) = (o / columns, o % columns);
            for (k, w) in column(o)[..depth].iter().enumerate() {
                panels[j * depth * columns + k * columns + c] = T::from_f64(*w);
            }
        }
        let single_column =
            (outputs == 1).then(|| column(0)[..depth].iter().map(|w| T::from_f64(*w)).collect());
        PackedWeights {
            depth,
            outputs,
            columns,
            panels,
            single_column,
        }
    }

    /// The panels, `K × columns` numbers each, for the image kernel.
    pub(crate) fn panel_entries(&self) -> &[T] {
        &self.panels
    }

    /// `out[r, :] = window[r·stride .. r·stride + K] · W` for `rows` rows.
    pub fn apply_rows(&self, window: &[T], stride: usize, rows: usize, out: &mut [T]) {
        self.apply_rows_ahead(window, stride, rows, out, &[]);
    }

    /// As [`PackedWeights::apply_rows`], asking meanwhile for the cache lines of `ahead`
    /// (`rows` rows of equal length, or nothing) as the rows are computed: what the caller reads
    /// next comes from memory while the multiply-adds keep the core busy, one tile's share at a
    /// time rather than in a burst.
    pub fn apply_rows_ahead(
        &self,
        window: &[T],
        stride: usize,
        rows: usize,
        out: &mut [T],
        ahead: &[T],
    ) {
        assert!(
            rows == 0 || window.len() >= (rows - 1) * stride + self.depth,
            "the windows of {rows} rows exceed the input"
        );
        assert!(out.len() >= rows * self.outputs, "the output is too short");
        Arch::new().dispatch(Block {
            weights: self,
            window,
            stride,
            rows,
            out,
            ahead,
        });
    }
}

/// One block of rows, dispatched to the instruction set found at run time.
struct Block<'a, T> {
    weights: &'a PackedWeights<T>,
    window: &'a [T],
    stride: usize,
    rows: usize,
    out: &'a mut [T],
    /// Rows to ask for, one per output row (or none).
    ahead: &'a [T],
}

impl<T: Real> WithSimd for Block<'_, T> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) {
        let Block {
            weights,
            window,
            stride,
            rows,
            out,
            ahead,
        } = self;
        let (depth, outputs) = (weights.depth, weights.outputs);
        let columns = TILE_VECTORS * T::lanes::<S>();
        // The packing used the same dispatch, so its panels are whole registers here.
        assert_eq!(columns, weights.columns, "one instruction set throughout");
        if depth == 0 {
            out[..rows * outputs].fill(T::default());
            return;
        }
        if let Some(w) = &weights.single_column {
            dot_rows::<T, S>(simd, window, stride, rows, w, out);
            return;
        }
        let panels = T::as_lanes::<S>(&weights.panels);
        let mut buffer = [T::default(); TILE_VECTORS * MAX_LANES];
        for (j, panel) in panels.chunks_exact(depth * TILE_VECTORS).enumerate() {
            let first = j * columns;
            let width = columns.min(outputs - first);
            let tiles = Tiles {
                simd,
                window,
                stride,
                panel,
                outputs,
                first,
                width,
                // Asked for once, over the first panel's tiles.
                ahead: if j == 0 { ahead } else { &[] },
                ahead_row: ahead.len() / rows.max(1),
                prefetch: Prefetch::new(),
            };
            let mut r = 0;
            while r + TILE_ROWS <= rows {
                tiles.rows::<TILE_ROWS>(r, out, &mut buffer);
                r += TILE_ROWS;
            }
            // The last rows in one shorter tile: as many independent sums as there are rows,
            // rather than one row at a time with its two sums waiting on each other.
            match rows - r {
                1 => tiles.rows::<1>(r, out, &mut buffer),
                2 => tiles.rows::<2>(r, out, &mut buffer),
                3 => tiles.rows::<3>(r, out, &mut buffer),
                4 => tiles.rows::<4>(r, out, &mut buffer),
                5 => tiles.rows::<5>(r, out, &mut buffer),
                _ => {}
            }
        }
    }
}

// The shorter tiles above cover every remainder of a division by `TILE_ROWS`.
const _: () = assert!(TILE_ROWS == 6);

/// One panel's product over a block of rows: where the rows, the panel and the output are.
struct Tiles<'a, T: Real, S: Simd> {
    simd: S,
    window: &'a [T],
    stride: usize,
    panel: &'a [T::Lanes<S>],
    outputs: usize,
    /// The panel's first output channel.
    first: usize,
    /// The panel's output channels.
    width: usize,
    /// Rows to ask for, `ahead_row` numbers per output row, as the tiles go (or none).
    ahead: &'a [T],
    ahead_row: usize,
    prefetch: Prefetch,
}

impl<T: Real, S: Simd> Tiles<'_, T, S> {
    /// The rows `r .. r + ROWS` of the panel's columns, written to `out`.
    #[inline(always)]
    fn rows<const ROWS: usize>(&self, r: usize, out: &mut [T], buffer: &mut [T]) {
        if !self.ahead.is_empty() {
            let row = self.ahead_row;
            self.prefetch.lines(&self.ahead[r * row..(r + ROWS) * row]);
        }
        let window = &self.window[r * self.stride..];
        let accumulators = tile_product::<T, S, ROWS>(self.simd, window, self.stride, self.panel);
        for (i, accumulator) in accumulators.iter().enumerate() {
            let row = &mut out[(r + i) * self.outputs + self.first..][..self.width];
            store(accumulator, row, buffer);
        }
    }
}

/// `window[i·stride .. i·stride + K] · panel` for `ROWS` rows, the accumulators in registers
/// throughout.
#[inline(always)]
fn tile_product<T: Real, S: Simd, const ROWS: usize>(
    simd: S,
    window: &[T],
    stride: usize,
    panel: &[T::Lanes<S>],
) -> [[T::Lanes<S>; TILE_VECTORS]; ROWS] {
    let depth = panel.len() / TILE_VECTORS;
    let zero = T::splat(simd, T::default());
    let mut accumulators = [[zero; TILE_VECTORS]; ROWS];
    let rows: [&[T]; ROWS] = std::array::from_fn(|i| &window[i * stride..i * stride + depth]);
    for (k, w) in panel.chunks_exact(TILE_VECTORS).enumerate() {
        let (w0, w1) = (w[0], w[1]);
        for (accumulator, row) in accumulators.iter_mut().zip(&rows) {
            let a = T::splat(simd, row[k]);
            accumulator[0] = T::mul_add(simd, a, w0, accumulator[0]);
            accumulator[1] = T::mul_add(simd, a, w1, accumulator[1]);
        }
    }
    accumulators
}

/// Writes one row of a tile to `row`: straight from the registers when the row holds the
/// whole panel, through `buffer` when the last panel is cut short.
#[inline(always)]
pub(crate) fn store<T: Real, S: Simd>(
    accumulator: &[T::Lanes<S>; TILE_VECTORS],
    row: &mut [T],
    buffer: &mut [T],
) {
    let columns = TILE_VECTORS * T::lanes::<S>();
    if row.len() == columns {
        T::as_mut_lanes::<S>(row).copy_from_slice(accumulator);
    } else {
        T::as_mut_lanes::<S>(&mut buffer[..columns]).copy_from_slice(accumulator);
        let width = row.len();
        row.copy_from_slice(&buffer[..width]);
    }
}
