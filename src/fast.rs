//! Fast `f64` kernels for the operators, the norms and layered thresholding, property-tested
//! against the plain ones (`tests/all/fast_paths.rs`).
//!
//! # One layout for `D` and `Dᵀ`
//!
//! Layer vectors are stored position-major, so the `n` consecutive positions
//! `Z[p..p+n-1, :]` are one contiguous run of `n · m_{i-1}` numbers: the im2col row of
//! position `p` is a window of `Z` itself. Both operators (docs/math.md §1) are therefore one
//! matrix product `out = A W` whose rows overlap in memory, with no im2col matrix at all:
//!
//! - analysis, `(D_iᵀ Z)[p, c] = Σ_{t, c'} f_{i,c}[t][c'] · Z[p + t, c']`: row `p` of `A` is
//!   `Z[p..p+n-1, :]` and column `c` of `W` is the filter `f_{i,c}`, `K = n_i m_{i-1}`;
//! - synthesis, `(D_i Γ)[q, c'] = Σ_{t, c} f_{i,c}[t][c'] · Γ[q - t, c]`: with `s = n - 1 - t`,
//!   row `q` of `A` is `Γ[q-n+1..q, :]` and `W[(s, c), c'] = f_{i,c}[n-1-s][c']`,
//!   `K = n_i m_i`.
//!
//! Rows whose window does not wrap around the period read `Z` in place; the `n - 1` rows that
//! wrap read a small copy of the `2(n - 1)` positions around the seam. Large products go to
//! the blocked `f64` matrix product of `matrixmultiply` (through nalgebra's `gemm` on strided
//! views), split into blocks of positions that rayon runs in parallel; each block is
//! thresholded while it is still in cache. Small products use a direct loop. The extra memory
//! is the seam copy and one `N`-vector for the norms, whatever `N`.
//!
//! Results agree with [`crate::operators`], [`crate::norms`] and
//! [`crate::pursuit::layered_thresholding`] up to the order of floating-point summation
//! (within [`crate::tolerance::OPERATOR_AGREEMENT_RELATIVE`]); counts of nonzeros agree exactly.

use std::borrow::Cow;

use nalgebra::{DMatrixView, DMatrixViewMut, Dyn};
use rayon::prelude::*;

use crate::model::{Layer, LayerVector, Model};
use crate::pursuit::Thresholding;

/// Products with fewer multiply-adds than this use the direct loop.
const MATRIX_PRODUCT_MINIMUM: usize = 1 << 15;

/// Positions per parallel block (about half a megabyte of output at 64 channels).
const BLOCK_POSITIONS: usize = 1024;

/// Vectors with fewer entries than this are processed on one thread.
const PARALLEL_MINIMUM: usize = 1 << 15;

/// Seams of at most this many entries are copied to the stack.
const SEAM_ON_STACK: usize = 512;

/// The matrix `W` of one operator: `depth × outputs`, stored column by column.
#[derive(Clone, Debug)]
struct CorrelationWeights<'a> {
    /// `K`, the length of a window (`n` positions of `channels_in` entries).
    depth: usize,
    /// The number of output channels.
    outputs: usize,
    /// The positions a window spans, `n`.
    span: usize,
    /// The first position of the window of output row `p` is `p + offset` (periodic).
    offset: isize,
    /// `W`, column-major: column `o` is `columns[o·depth..(o+1)·depth]`.
    columns: Cow<'a, [f64]>,
}

impl<'a> CorrelationWeights<'a> {
    /// The weights of `D_iᵀ`: column `c` is `f_{i,c}`, windows start at `p`.
    fn analysis(layer: &'a Layer<f64>) -> Self {
        CorrelationWeights {
            depth: layer.filter_length() * layer.input_channels(),
            outputs: layer.filter_count(),
            span: layer.filter_length(),
            offset: 0,
            columns: Cow::Borrowed(layer.taps()),
        }
    }

    /// The weights of `D_i`: `W[(s, c), c'] = f_{i,c}[n-1-s][c']`, windows start at `q - n + 1`.
    fn synthesis(layer: &Layer<f64>) -> Self {
        let n = layer.filter_length();
        let m = layer.filter_count();
        let m_previous = layer.input_channels();
        let depth = n * m;
        let mut columns = vec![0.0; depth * m_previous];
        for output in 0..m_previous {
            for s in 0..n {
                for c in 0..m {
                    columns[output * depth + s * m + c] = *layer.tap(c, n - 1 - s, output);
                }
            }
        }
        CorrelationWeights {
            depth,
            outputs: m_previous,
            span: n,
            offset: -(n as isize - 1),
            columns: Cow::Owned(columns),
        }
    }

    /// The number of input channels of a window.
    fn channels_in(&self) -> usize {
        self.depth / self.span
    }

    /// `out[r, :] = window[r·stride .. r·stride + K] · W` for `rows` rows.
    fn apply_rows(&self, window: &[f64], rows: usize, out: &mut [f64]) {
        let stride = self.channels_in();
        let (k, outputs) = (self.depth, self.outputs);
        if rows > 5 && k > 5 && outputs > 5 && rows * k * outputs >= MATRIX_PRODUCT_MINIMUM {
            let a = DMatrixView::from_slice_with_strides_generic(
                window,
                Dyn(rows),
                Dyn(k),
                Dyn(stride),
                Dyn(1),
            );
            let w = DMatrixView::from_slice_with_strides_generic(
                &self.columns[..],
                Dyn(k),
                Dyn(outputs),
                Dyn(1),
                Dyn(k),
            );
            let mut c = DMatrixViewMut::from_slice_with_strides_generic(
                out,
                Dyn(rows),
                Dyn(outputs),
                Dyn(outputs),
                Dyn(1),
            );
            c.gemm(1.0, &a, &w, 0.0);
            return;
        }
        for (r, row_out) in out.chunks_exact_mut(outputs).take(rows).enumerate() {
            let x = &window[r * stride..r * stride + k];
            for (value, column) in row_out.iter_mut().zip(self.columns.chunks_exact(k)) {
                *value = dot(x, column);
            }
        }
    }

    /// `out = A W` over a periodic input of `length` positions, then `finish` on every block
    /// of output rows (used to threshold while the block is in cache).
    fn correlate(
        &self,
        input: &[f64],
        length: usize,
        out: &mut [f64],
        finish: &(impl Fn(&mut [f64]) + Sync),
    ) {
        let channels = self.channels_in();
        let outputs = self.outputs;
        let span = self.span;
        let offset = self.offset;
        // Rows p whose window p+offset .. p+offset+span-1 stays inside 0..length.
        let (first, count) = if length >= span {
            ((-offset) as usize, length - span + 1)
        } else {
            (0, 0)
        };
        if count > 0 {
            let window = &input[(first as isize + offset) as usize * channels..];
            let rows_out = &mut out[first * outputs..(first + count) * outputs];
            if count * outputs >= PARALLEL_MINIMUM {
                rows_out
                    .par_chunks_mut(BLOCK_POSITIONS * outputs)
                    .enumerate()
                    .for_each(|(block, chunk)| {
                        let rows = chunk.len() / outputs;
                        self.apply_rows(&window[block * BLOCK_POSITIONS * channels..], rows, chunk);
                        finish(chunk);
                    });
            } else {
                self.apply_rows(window, count, rows_out);
                finish(rows_out);
            }
        }
        // The remaining rows wrap around the period: copy their windows.
        let remaining = length - count;
        if remaining == 0 {
            return;
        }
        // These rows are consecutive, `start .. start + remaining`, without wrapping.
        let start = (first + count) % length;
        let positions = remaining + span - 1;
        let mut stack = [0.0; SEAM_ON_STACK];
        let mut heap = Vec::new();
        let seam: &mut [f64] = if positions * channels <= SEAM_ON_STACK {
            &mut stack[..positions * channels]
        } else {
            heap.resize(positions * channels, 0.0);
            &mut heap
        };
        for (j, row) in seam.chunks_exact_mut(channels).enumerate() {
            let p = (start as isize + offset + j as isize).rem_euclid(length as isize) as usize;
            row.copy_from_slice(&input[p * channels..(p + 1) * channels]);
        }
        let rows_out = &mut out[start * outputs..(start + remaining) * outputs];
        self.apply_rows(seam, remaining, rows_out);
        finish(rows_out);
    }
}

/// `Σ x_k y_k` with four partial sums (vectorisable).
fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut partial = [0.0; 4];
    let mut xs = x.chunks_exact(4);
    let mut ys = y.chunks_exact(4);
    for (a, b) in (&mut xs).zip(&mut ys) {
        for lane in 0..4 {
            partial[lane] += a[lane] * b[lane];
        }
    }
    let mut sum = (partial[0] + partial[1]) + (partial[2] + partial[3]);
    for (a, b) in xs.remainder().iter().zip(ys.remainder()) {
        sum += a * b;
    }
    sum
}

fn assert_channels(found: usize, expected: usize, what: &str) {
    assert_eq!(
        found, expected,
        "{what} has {found} channels, the layer expects {expected}"
    );
}

/// `D_i Γ` (fast `f64`).
///
/// # Panics
///
/// If `Γ` does not have `m_i` channels.
pub fn synthesis(layer: &Layer<f64>, gamma: &LayerVector<f64>) -> LayerVector<f64> {
    assert_channels(gamma.channels(), layer.filter_count(), "Γ");
    let weights = CorrelationWeights::synthesis(layer);
    let mut out = LayerVector::zeros(gamma.length(), layer.input_channels());
    weights.correlate(
        gamma.entries(),
        gamma.length(),
        out.entries_mut(),
        &|_: &mut [f64]| {},
    );
    out
}

/// `D_iᵀ Z` (fast `f64`).
///
/// # Panics
///
/// If `Z` does not have `m_{i-1}` channels.
pub fn analysis(layer: &Layer<f64>, z: &LayerVector<f64>) -> LayerVector<f64> {
    thresholded_analysis(layer, z, None)
}

/// `T_β(D_iᵀ Z)`, thresholding each block as soon as it is computed; `None` leaves `D_iᵀ Z`.
///
/// # Panics
///
/// If `Z` does not have `m_{i-1}` channels.
pub fn thresholded_analysis(
    layer: &Layer<f64>,
    z: &LayerVector<f64>,
    threshold: Option<(Thresholding, f64)>,
) -> LayerVector<f64> {
    assert_channels(z.channels(), layer.input_channels(), "Z");
    let weights = CorrelationWeights::analysis(layer);
    let mut out = LayerVector::zeros(z.length(), layer.filter_count());
    let finish = |block: &mut [f64]| {
        if let Some((thresholding, beta)) = threshold {
            threshold_in_place(block, thresholding, beta);
        }
    };
    weights.correlate(z.entries(), z.length(), out.entries_mut(), &finish);
    out
}

/// Applies `H_β`, `S_β` or `S⁺_β` to every entry, in place (docs/math.md §4).
pub fn threshold_in_place(values: &mut [f64], thresholding: Thresholding, beta: f64) {
    match thresholding {
        Thresholding::Soft => values.iter_mut().for_each(|z| {
            let shrunk = z.abs() - beta;
            *z = if shrunk > 0.0 {
                shrunk.copysign(*z)
            } else {
                0.0
            };
        }),
        Thresholding::Nonnegative => values.iter_mut().for_each(|z| {
            let shifted = *z - beta;
            *z = if shifted > 0.0 { shifted } else { 0.0 };
        }),
        Thresholding::Hard => values.iter_mut().for_each(|z| {
            *z = if z.abs() > beta { *z } else { 0.0 };
        }),
    }
}

/// The synthesis chain without its last element: `[Γ_0 = X, Γ_1, …, Γ_{K-1}]` from `Γ_K`
/// (the caller holds `Γ_K`; no copy of it is made).
pub fn synthesis_chain(model: &Model<f64>, deepest: &LayerVector<f64>) -> Vec<LayerVector<f64>> {
    let depth = model.depth();
    let mut chain: Vec<LayerVector<f64>> = Vec::with_capacity(depth);
    for i in (1..=depth).rev() {
        let next = synthesis(model.layer(i), chain.last().unwrap_or(deepest));
        chain.push(next);
    }
    chain.reverse();
    chain
}

/// Layered thresholding `Γ̂_i = T_{β_i}(D_iᵀ Γ̂_{i-1})`, `Γ̂_0 = Y` (fast `f64`).
///
/// # Panics
///
/// If there is not one threshold per layer.
pub fn layered_thresholding(
    model: &Model<f64>,
    signal: &LayerVector<f64>,
    thresholds: &[f64],
    thresholding: Thresholding,
) -> Vec<LayerVector<f64>> {
    assert_eq!(thresholds.len(), model.depth(), "one threshold per layer");
    let mut estimates: Vec<LayerVector<f64>> = Vec::with_capacity(model.depth());
    for (layer, beta) in model.layers().iter().zip(thresholds) {
        let input = estimates.last().unwrap_or(signal);
        let next = thresholded_analysis(layer, input, Some((thresholding, *beta)));
        estimates.push(next);
    }
    estimates
}

/// Per-position values `g(Z[p, :])`, in parallel for large vectors.
fn per_position<T: Send + Copy + Default>(
    entries: &[f64],
    channels: usize,
    g: impl Fn(&[f64]) -> T + Sync,
) -> Vec<T> {
    let length = entries.len() / channels.max(1);
    let mut out = vec![T::default(); length];
    if entries.len() >= PARALLEL_MINIMUM {
        out.par_chunks_mut(BLOCK_POSITIONS)
            .zip(entries.par_chunks(BLOCK_POSITIONS * channels))
            .for_each(|(o, z)| {
                o.iter_mut()
                    .zip(z.chunks_exact(channels))
                    .for_each(|(v, row)| *v = g(row))
            });
    } else {
        out.iter_mut()
            .zip(entries.chunks_exact(channels))
            .for_each(|(v, row)| *v = g(row));
    }
    out
}

/// The largest sum over `width` consecutive (periodic) values, `width` read as at most `N`.
/// Each block of positions starts from a fresh sum, so rounding does not drift along `N`.
fn windowed_maximum(values: &[f64], width: usize) -> f64 {
    let length = values.len();
    if length == 0 {
        return 0.0;
    }
    let width = width.clamp(1, length);
    let wrapped = |q: usize| if q >= length { q - length } else { q };
    let block_maximum = |block: usize| {
        let start = block * BLOCK_POSITIONS;
        let end = (start + BLOCK_POSITIONS).min(length);
        let mut window: f64 = (start..start + width).map(|q| values[wrapped(q)]).sum();
        let mut best = window;
        for p in start + 1..end {
            window += values[wrapped(p + width - 1)] - values[p - 1];
            best = best.max(window);
        }
        best
    };
    let blocks = length.div_ceil(BLOCK_POSITIONS);
    if length >= PARALLEL_MINIMUM {
        (0..blocks)
            .into_par_iter()
            .map(block_maximum)
            .reduce(|| f64::NEG_INFINITY, f64::max)
    } else {
        (0..blocks)
            .map(block_maximum)
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// The largest count over `width` consecutive (periodic) positions (exact).
fn windowed_count_maximum(counts: &[u32], width: usize) -> usize {
    let length = counts.len();
    if length == 0 {
        return 0;
    }
    let width = width.clamp(1, length);
    let mut window: u64 = counts[..width].iter().map(|&c| u64::from(c)).sum();
    let mut best = window;
    for p in 1..length {
        let entering = p + width - 1;
        window += u64::from(
            counts[if entering >= length {
                entering - length
            } else {
                entering
            }],
        );
        window -= u64::from(counts[p - 1]);
        best = best.max(window);
    }
    best as usize
}

/// `(‖Z‖^P_{2,∞}(w))²` (fast `f64`, docs/math.md §2).
pub fn patch_norm_squared(z: &LayerVector<f64>, width: usize) -> f64 {
    let energies = per_position(z.entries(), z.channels(), |row| {
        row.iter().map(|v| v * v).sum::<f64>()
    });
    windowed_maximum(&energies, width)
}

/// `(‖A − B‖^P_{2,∞}(w))²` without forming `A − B`.
///
/// # Panics
///
/// If the shapes differ.
pub fn difference_patch_norm_squared(
    a: &LayerVector<f64>,
    b: &LayerVector<f64>,
    width: usize,
) -> f64 {
    assert!(
        a.length() == b.length() && a.channels() == b.channels(),
        "shapes differ"
    );
    let channels = a.channels();
    let length = a.length();
    let mut energies = vec![0.0; length];
    let energy = |out: &mut [f64], x: &[f64], y: &[f64]| {
        for ((e, xr), yr) in out
            .iter_mut()
            .zip(x.chunks_exact(channels))
            .zip(y.chunks_exact(channels))
        {
            *e = xr.iter().zip(yr).map(|(u, v)| (u - v) * (u - v)).sum();
        }
    };
    if a.entries().len() >= PARALLEL_MINIMUM {
        energies
            .par_chunks_mut(BLOCK_POSITIONS)
            .zip(a.entries().par_chunks(BLOCK_POSITIONS * channels))
            .zip(b.entries().par_chunks(BLOCK_POSITIONS * channels))
            .for_each(|((out, x), y)| energy(out, x, y));
    } else {
        energy(&mut energies, a.entries(), b.entries());
    }
    windowed_maximum(&energies, width)
}

fn nonzeros_per_position(z: &LayerVector<f64>) -> Vec<u32> {
    per_position(z.entries(), z.channels(), |row| {
        row.iter().filter(|v| **v != 0.0).count() as u32
    })
}

/// `‖Z‖^P_{0,∞}(w)` (exact count).
pub fn patch_sparsity(z: &LayerVector<f64>, width: usize) -> usize {
    windowed_count_maximum(&nonzeros_per_position(z), width)
}

/// `(‖Γ‖^S_{0,∞}, ‖Γ‖^P_{0,∞}(w))` for filter length `n` from one pass over `Γ`.
pub fn stripe_and_patch_sparsity(
    gamma: &LayerVector<f64>,
    filter_length: usize,
    width: usize,
) -> (usize, usize) {
    let counts = nonzeros_per_position(gamma);
    (
        windowed_count_maximum(&counts, 2 * filter_length - 1),
        windowed_count_maximum(&counts, width),
    )
}

/// `‖Γ‖^S_{0,∞}` for filter length `n`: nonzeros in a stripe of `2n − 1` positions.
pub fn stripe_sparsity(gamma: &LayerVector<f64>, filter_length: usize) -> usize {
    patch_sparsity(gamma, 2 * filter_length - 1)
}
