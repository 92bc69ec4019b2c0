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
//!
//! The block's input does not stay in the first-level cache beside a panel (it is read once per
//! panel), so each tile asks for the input the next tile reads and it does not, a line per
//! group of steps of its sum: the newest row of a tile then finds its entries in the
//! first-level cache, and its chain of multiply-adds never waits on the second level.

use pulp::{Arch, Simd, WithSimd};

use super::dot_kernel::dot_rows;
use super::prefetch::{Level, Prefetch};
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
    /// next comes from memory while the multiply-adds keep the core busy, in equal shares over
    /// every tile of every panel rather than in a burst.
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
        // `ahead` is asked for in equal shares of whole cache lines over every tile of every
        // panel: a few lines per tile, never a burst.
        let tiles_per_panel = rows.div_ceil(TILE_ROWS);
        let all_tiles = (weights.panels.len() / (depth * columns)) * tiles_per_panel;
        let line = Prefetch::line_entries::<T>();
        let share = ahead.len().div_ceil(all_tiles.max(1)).div_ceil(line) * line;
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
                ahead,
                ahead_share: share,
                first_tile: j * tiles_per_panel,
                depth,
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
    /// What to ask for into the second-level cache as the tiles go (or nothing): tile `g` of
    /// the block asks for `ahead[g·ahead_share ..][.. ahead_share]`.
    ahead: &'a [T],
    ahead_share: usize,
    /// The number in the block of the panel's first tile.
    first_tile: usize,
    /// `K`.
    depth: usize,
    prefetch: Prefetch,
}

impl<T: Real, S: Simd> Tiles<'_, T, S> {
    /// The rows `r .. r + ROWS` of the panel's columns, written to `out`.
    #[inline(always)]
    fn rows<const ROWS: usize>(&self, r: usize, out: &mut [T], buffer: &mut [T]) {
        let (stride, depth) = (self.stride, self.depth);
        // The input the next tile reads and this one does not: its last rows' ends.
        let end = self.window.len();
        let upcoming = ((r + ROWS - 1) * stride + depth).min(end)
            ..((r + 2 * ROWS - 1) * stride + depth).min(end);
        let g = self.first_tile + r / TILE_ROWS;
        let share = (self.ahead.len()).min(g * self.ahead_share)
            ..(self.ahead.len()).min((g + 1) * self.ahead_share);
        let asked = Asked {
            prefetch: self.prefetch,
            first: &self.window[upcoming],
            second: &self.ahead[share],
        };
        let window = &self.window[r * stride..];
        let accumulators = tile_product::<T, S, ROWS>(self.simd, window, stride, self.panel, asked);
        for (i, accumulator) in accumulators.iter().enumerate() {
            let row = &mut out[(r + i) * self.outputs + self.first..][..self.width];
            store(accumulator, row, buffer);
        }
    }
}

/// Steps of the sum over `K` taken together in [`tile_product`]: one computation of the rows'
/// addresses and one loop test serve this many steps, each addressed at a fixed offset.
const UNROLL: usize = 8;

/// `window[i·stride .. i·stride + K] · panel` for `ROWS` rows, the accumulators in registers
/// throughout, summed over `k = 0, 1, …, K − 1` in order.
#[inline(always)]
fn tile_product<T: Real, S: Simd, const ROWS: usize>(
    simd: S,
    window: &[T],
    stride: usize,
    panel: &[T::Lanes<S>],
    asked: Asked<'_, T>,
) -> [[T::Lanes<S>; TILE_VECTORS]; ROWS] {
    let depth = panel.len() / TILE_VECTORS;
    let zero = T::splat(simd, T::default());
    let mut accumulators = [[zero; TILE_VECTORS]; ROWS];
    let rows: [&[T]; ROWS] = std::array::from_fn(|i| &window[i * stride..][..depth]);
    let head = depth - depth % UNROLL;
    let (panel_head, panel_tail) = panel.split_at(head * TILE_VECTORS);
    let line = Prefetch::line_entries::<T>();
    asked.prefetch.lines(asked.second, Level::Second);
    // One line of `first` asked for per group of steps, the last one again once all are:
    // without a branch, spread over the sum rather than in a burst.
    let first = if asked.first.is_empty() {
        &window[..1]
    } else {
        asked.first
    };
    let last = first.len() - 1;
    for (s, w) in panel_head.chunks_exact(UNROLL * TILE_VECTORS).enumerate() {
        asked
            .prefetch
            .line(&first[(s * line).min(last)], Level::First);
        let groups: [&[T; UNROLL]; ROWS] = std::array::from_fn(|i| {
            let group = &rows[i][s * UNROLL..(s + 1) * UNROLL];
            group.try_into().expect("a group")
        });
        for u in 0..UNROLL {
            let w = &w[u * TILE_VECTORS..(u + 1) * TILE_VECTORS];
            step::<T, S, ROWS>(simd, &mut accumulators, w, groups.map(|g| g[u]));
        }
    }
    if let Some(rest) = first.get(head / UNROLL * line..) {
        asked.prefetch.lines(rest, Level::First);
    }
    for (k, w) in (head..).zip(panel_tail.chunks_exact(TILE_VECTORS)) {
        step::<T, S, ROWS>(simd, &mut accumulators, w, rows.map(|row| row[k]));
    }
    accumulators
}

/// The cache lines a tile asks for: `second` into the second-level cache as it starts, `first`
/// (the input of the next tile) into the first-level cache as its sum goes.
#[derive(Clone, Copy)]
struct Asked<'a, T> {
    prefetch: Prefetch,
    first: &'a [T],
    second: &'a [T],
}

/// One step `k` of the sum of a tile: `a[i] = A[i, k]` times the panel's row `w` of `W`, added
/// to row `i`'s accumulators.
#[inline(always)]
fn step<T: Real, S: Simd, const ROWS: usize>(
    simd: S,
    accumulators: &mut [[T::Lanes<S>; TILE_VECTORS]; ROWS],
    w: &[T::Lanes<S>],
    a: [T; ROWS],
) {
    let (w0, w1) = (w[0], w[1]);
    for (accumulator, a) in accumulators.iter_mut().zip(a) {
        let a = T::splat(simd, a);
        accumulator[0] = T::mul_add(simd, a, w0, accumulator[0]);
        accumulator[1] = T::mul_add(simd, a, w1, accumulator[1]);
    }
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
