//! Both operators of a layer as one periodic correlation `out = A W` whose rows are overlapping
//! windows of the position-major input (see the module documentation of [`crate::fast`]).

use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::kernel::{PackedWeights, TILE_ROWS};
use super::simd::Real;
use crate::model::Layer;

mod filled;

/// Positions per parallel block (about half a megabyte of `f64` output at 64 channels).
pub const BLOCK_POSITIONS: usize = 1024;

/// Bytes of output per parallel block of a correlation, within [`BLOCK_POSITIONS`] positions:
/// a block's output, its input and the next block's share of what its finish reads stay in
/// the second-level cache together.
const BLOCK_BYTES: usize = 1 << 17;

/// Outputs with fewer entries than this are computed on one thread.
pub const PARALLEL_MINIMUM: usize = 1 << 15;

/// Seams of at most this many entries are copied to the stack.
const SEAM_ON_STACK: usize = 512;

/// One operator of a layer: its packed `W` and where the window of each output row starts.
#[derive(Clone, Debug)]
pub struct Correlation<T> {
    weights: PackedWeights<T>,
    /// The positions a window spans, `n`.
    span: usize,
    /// The first position of the window of output row `p` is `p + offset` (periodic).
    offset: isize,
}

impl<T: Real> Correlation<T> {
    /// `D_iᵀ`: column `c` of `W` is `f_{i,c}`, windows start at `p`, `K = n_i m_{i-1}`.
    pub fn analysis(layer: &Layer<f64>) -> Self {
        let depth = layer.filter_length() * layer.input_channels();
        let taps = layer.taps();
        Correlation {
            weights: PackedWeights::new(depth, layer.filter_count(), |c| {
                &taps[c * depth..(c + 1) * depth]
            }),
            span: layer.filter_length(),
            offset: 0,
        }
    }

    /// `D_i`: `W[(s, c), c'] = f_{i,c}[n-1-s][c']`, windows start at `q - n + 1`, `K = n_i m_i`.
    pub fn synthesis(layer: &Layer<f64>) -> Self {
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
        Correlation {
            weights: PackedWeights::new(depth, m_previous, |o| {
                &columns[o * depth..(o + 1) * depth]
            }),
            span: n,
            offset: -(n as isize - 1),
        }
    }

    /// The channels of the input.
    pub fn channels_in(&self) -> usize {
        self.weights.depth / self.span
    }

    /// The channels of the output.
    pub fn channels_out(&self) -> usize {
        self.weights.outputs
    }

    /// `out = A W` over a periodic input of `length` positions, then `finish` on every block of
    /// output rows while it is in cache (thresholding, for one). Every entry of `out` is
    /// written, so it may hold anything before.
    pub fn correlate(
        &self,
        input: &[T],
        length: usize,
        out: &mut [T],
        finish: &(impl Fn(&mut [T]) + Sync),
    ) {
        let mut unused = vec![(); length];
        self.correlate_with(input, length, out, &mut unused, &|_, block, _| {
            finish(block)
        });
    }

    /// As [`Correlation::correlate`], with `finish(p, rows, side)` given the first position `p`
    /// of its block of output rows and the block's share `side[p .. p + rows]` of a vector with
    /// one entry per position: the per-position work of a report (energies, counts) is done
    /// there, while the block and the input it read are in cache.
    ///
    /// # Panics
    ///
    /// If the input, `out` or `side` has another shape.
    pub fn correlate_with<S: Send>(
        &self,
        input: &[T],
        length: usize,
        out: &mut [T],
        side: &mut [S],
        finish: &(impl Fn(usize, &mut [T], &mut [S]) + Sync),
    ) {
        self.correlate_with_ahead(input, length, out, (side, &[]), finish);
    }

    /// As [`Correlation::correlate_with`], with `ahead` a vector shaped as `out` (or empty) that
    /// `finish` reads: each block's rows of it are asked for from memory while the block's
    /// products run, so that `finish` finds them in cache.
    ///
    /// # Panics
    ///
    /// If the input, `out`, `side` or a nonempty `ahead` has another shape.
    pub fn correlate_with_ahead<S: Send>(
        &self,
        input: &[T],
        length: usize,
        out: &mut [T],
        (side, ahead): (&mut [S], &[T]),
        finish: &(impl Fn(usize, &mut [T], &mut [S]) + Sync),
    ) {
        let channels = self.channels_in();
        let outputs = self.channels_out();
        assert_eq!(
            input.len(),
            length * channels,
            "the input has another shape"
        );
        assert_eq!(out.len(), length * outputs, "the output has another shape");
        assert_eq!(side.len(), length, "one side entry per position");
        assert!(
            ahead.is_empty() || ahead.len() == out.len(),
            "what is read ahead has another shape"
        );
        let ahead_rows = |from: usize, to: usize| ahead.get(from * outputs..to * outputs);
        let offset = self.offset;
        let (first, count) = self.interior(length);
        if count > 0 {
            let window = &input[(first as isize + offset) as usize * channels..];
            let rows_out = &mut out[first * outputs..(first + count) * outputs];
            let side_rows = &mut side[first..first + count];
            let ahead = ahead_rows(first, first + count).unwrap_or(&[]);
            self.inner_rows(window, first, (rows_out, side_rows, ahead), finish);
        }
        // The remaining rows wrap around the period: copy their windows.
        let remaining = length - count;
        if remaining > 0 {
            // These rows are consecutive, `start .. start + remaining`, without wrapping.
            let start = (first + count) % length;
            let rows_out = &mut out[start * outputs..(start + remaining) * outputs];
            self.seam_rows(input, length, start, remaining, rows_out);
            finish(start, rows_out, &mut side[start..start + remaining]);
        }
    }

    /// The rows from `first` whose windows do not wrap, `side.len()` of them, read from
    /// `window` on: in blocks, in parallel for a large output, each block finished as it is
    /// done.
    fn inner_rows<S: Send>(
        &self,
        window: &[T],
        first: usize,
        (rows_out, side, ahead): (&mut [T], &mut [S], &[T]),
        finish: &(impl Fn(usize, &mut [T], &mut [S]) + Sync),
    ) {
        let (channels, outputs) = (self.channels_in(), self.channels_out());
        if rows_out.len() < PARALLEL_MINIMUM {
            let rows = side.len();
            (self.weights).apply_rows_ahead(window, channels, rows, rows_out, ahead);
            finish(first, rows_out, side);
            return;
        }
        let block_rows = block_rows::<T>(outputs);
        let block = |(block, (chunk, side)): (usize, (&mut [T], &mut [S]))| {
            let (start, rows) = (block * block_rows, side.len());
            let window = &window[start * channels..];
            let ahead = ahead.get(start * outputs..(start + rows) * outputs);
            let ahead = ahead.unwrap_or(&[]);
            (self.weights).apply_rows_ahead(window, channels, rows, chunk, ahead);
            finish(first + start, chunk, side);
        };
        // On one thread the blocks run in the calling thread, in order: handing them to a pool
        // of one worker only adds its hand-over and its spinning while idle.
        if rayon::current_num_threads() > 1 {
            rows_out
                .par_chunks_mut(block_rows * outputs)
                .zip(side.par_chunks_mut(block_rows))
                .enumerate()
                .for_each(block);
        } else {
            rows_out
                .chunks_mut(block_rows * outputs)
                .zip(side.chunks_mut(block_rows))
                .enumerate()
                .for_each(block);
        }
    }

    /// As [`Correlation::correlate_with_ahead`], for an output that only `finish` reads: each
    /// block of output rows is computed into a buffer of the worker that takes it, finished
    /// there and not kept, so the output is never written out whole. The blocks, their rows
    /// and their numbers are [`Correlation::correlate_with_ahead`]'s.
    ///
    /// # Panics
    ///
    /// If the input, `side` or a nonempty `ahead` has another shape.
    pub fn correlate_unkept<S: Send>(
        &self,
        input: &[T],
        length: usize,
        (side, ahead): (&mut [S], &[T]),
        finish: &(impl Fn(usize, &mut [T], &mut [S]) + Sync),
    ) {
        let (channels, outputs) = (self.channels_in(), self.channels_out());
        assert_eq!(
            input.len(),
            length * channels,
            "the input has another shape"
        );
        assert_eq!(side.len(), length, "one side entry per position");
        assert!(
            ahead.is_empty() || ahead.len() == length * outputs,
            "what is read ahead has another shape"
        );
        let offset = self.offset;
        let (first, count) = self.interior(length);
        if count > 0 {
            let window = &input[(first as isize + offset) as usize * channels..];
            let ahead = ahead.get(first * outputs..(first + count) * outputs);
            let ahead = ahead.unwrap_or(&[]);
            // The blocks of `inner_rows`: one for a small output.
            let parallel = count * outputs >= PARALLEL_MINIMUM;
            let block_rows = if parallel {
                block_rows::<T>(outputs)
            } else {
                count
            };
            let block = |buffer: &mut Vec<T>, (block, side): (usize, &mut [S])| {
                let (start, rows) = (block * block_rows, side.len());
                buffer.resize(rows * outputs, T::default());
                let window = &window[start * channels..];
                let ahead = ahead.get(start * outputs..(start + rows) * outputs);
                let ahead = ahead.unwrap_or(&[]);
                (self.weights).apply_rows_ahead(window, channels, rows, buffer, ahead);
                finish(first + start, buffer, side);
            };
            let side = &mut side[first..first + count];
            let threads = rayon::current_num_threads();
            if parallel && threads > 1 {
                // One buffer per worker, allocated once for every block it takes.
                let buffers: Vec<Mutex<Vec<T>>> = (0..threads).map(|_| Mutex::default()).collect();
                (side.par_chunks_mut(block_rows).enumerate()).for_each(|item| {
                    let worker = rayon::current_thread_index().unwrap_or(0) % threads;
                    let mut buffer = buffers[worker]
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner);
                    block(&mut buffer, item);
                });
            } else {
                let mut buffer = Vec::new();
                (side.chunks_mut(block_rows).enumerate()).for_each(|item| block(&mut buffer, item));
            }
        }
        let remaining = length - count;
        if remaining > 0 {
            let start = (first + count) % length;
            let mut rows_out = vec![T::default(); remaining * outputs];
            self.seam_rows(input, length, start, remaining, &mut rows_out);
            finish(start, &mut rows_out, &mut side[start..start + remaining]);
        }
    }

    /// The first row and the number of rows `p` whose window `p + offset .. p + offset + span − 1`
    /// stays inside `0 .. length` (none when the window is longer than the signal).
    fn interior(&self, length: usize) -> (usize, usize) {
        if length >= self.span {
            ((-self.offset) as usize, length - self.span + 1)
        } else {
            (0, 0)
        }
    }

    /// The output rows `start .. start + remaining`, whose windows wrap around the period, from
    /// a copy of the positions they read.
    fn seam_rows(
        &self,
        input: &[T],
        length: usize,
        start: usize,
        remaining: usize,
        rows_out: &mut [T],
    ) {
        let channels = self.channels_in();
        let positions = remaining + self.span - 1;
        let mut stack = [T::default(); SEAM_ON_STACK];
        let mut heap = Vec::new();
        let seam: &mut [T] = if positions * channels <= SEAM_ON_STACK {
            &mut stack[..positions * channels]
        } else {
            heap.resize(positions * channels, T::default());
            &mut heap
        };
        for (j, row) in seam.chunks_exact_mut(channels.max(1)).enumerate() {
            let p =
                (start as isize + self.offset + j as isize).rem_euclid(length as isize) as usize;
            row.copy_from_slice(&input[p * channels..(p + 1) * channels]);
        }
        self.weights.apply_rows(seam, channels, remaining, rows_out);
    }
}

/// Rows per parallel block of an output of `outputs` channels: within [`BLOCK_BYTES`] and
/// [`BLOCK_POSITIONS`], a whole number of register tiles, so that only the last block ends in
/// a shorter one.
fn block_rows<T>(outputs: usize) -> usize {
    let rows =
        (BLOCK_BYTES / (outputs * size_of::<T>())).clamp(BLOCK_POSITIONS / 4, BLOCK_POSITIONS);
    rows - rows % TILE_ROWS
}
