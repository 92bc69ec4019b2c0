//! A correlation whose input is not stored: each block of output rows forms the windows it
//! reads as the block is taken, a few rows at a time in a buffer of a few kilobytes. An input that is
//! only ever read by one correlation (the radius weights of a synthesis) is then never
//! written out whole, and the memory it would take is never touched.

use rayon::prelude::*;

use super::{Correlation, PARALLEL_MINIMUM, block_rows};
use crate::fast::kernel::TILE_ROWS;
use crate::fast::simd::Real;

/// Output rows computed from one buffer of windows: whole register tiles, the buffer of a
/// few kilobytes for a few dozen input channels.
const FILL_ROWS: usize = 16 * TILE_ROWS;

impl<T: Real> Correlation<T> {
    /// [`Correlation::correlate`] of an input given by `fill` rather than stored:
    /// `fill(p, rows)` writes the input's positions `p, p + 1, …` (`rows.len()` divided by the
    /// input's channels of them, each within `0 .. length`) into `rows`, the same numbers
    /// whenever it is asked for a position again (the blocks' windows overlap by `n − 1`
    /// positions, and the rows that wrap around the period read positions of both ends).
    ///
    /// The blocks, their rows and the entries each row's sum reads are
    /// [`Correlation::correlate`]'s, so are its numbers; `finish` is called on each block of
    /// output rows as there.
    ///
    /// # Panics
    ///
    /// If `out` does not have `length` rows of the output's channels.
    pub fn correlate_filled(
        &self,
        length: usize,
        fill: &(impl Fn(usize, &mut [T]) + Sync),
        out: &mut [T],
        finish: &(impl Fn(&mut [T]) + Sync),
    ) {
        let (channels, outputs) = (self.channels_in(), self.channels_out());
        assert_eq!(out.len(), length * outputs, "the output has another shape");
        if outputs == 0 {
            return;
        }
        let (first, count) = self.interior(length);
        if count > 0 {
            // The window of output row `first + r` starts at position `origin + r`.
            let origin = (first as isize + self.offset) as usize;
            let rows_out = &mut out[first * outputs..(first + count) * outputs];
            // The blocks of `inner_rows`: one for a small output.
            let parallel = rows_out.len() >= PARALLEL_MINIMUM;
            let block_rows = if parallel {
                block_rows::<T>(outputs)
            } else {
                count
            };
            // Each block's rows in parts of `FILL_ROWS`, each part's windows formed in one
            // buffer of the block, a few kilobytes long: a row's sum does not depend on the
            // rows computed beside it.
            let block = |(index, chunk): (usize, &mut [T])| {
                let mut buffer = Vec::new();
                let origin = origin + index * block_rows;
                for (part, rows_out) in chunk.chunks_mut(FILL_ROWS * outputs).enumerate() {
                    let rows = rows_out.len() / outputs;
                    buffer.resize((rows + self.span - 1) * channels, T::default());
                    fill(origin + part * FILL_ROWS, &mut buffer);
                    (self.weights).apply_rows(&buffer, channels, rows, rows_out);
                }
                finish(chunk);
            };
            let blocks = block_rows * outputs;
            if parallel && rayon::current_num_threads() > 1 {
                (rows_out.par_chunks_mut(blocks).enumerate()).for_each(block);
            } else {
                (rows_out.chunks_mut(blocks).enumerate()).for_each(block);
            }
        }
        // The remaining rows wrap around the period: their windows, position by position.
        let remaining = length - count;
        if remaining > 0 {
            let start = (first + count) % length;
            let mut seam = vec![T::default(); (remaining + self.span - 1) * channels];
            for (j, row) in seam.chunks_exact_mut(channels.max(1)).enumerate() {
                let p = (start as isize + self.offset + j as isize).rem_euclid(length as isize);
                fill(p as usize, row);
            }
            let rows_out = &mut out[start * outputs..(start + remaining) * outputs];
            self.weights
                .apply_rows(&seam, channels, remaining, rows_out);
            finish(rows_out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_stream::counter_noise as noise;

    /// The correlation of a filled input against the correlation of the stored input, bit for
    /// bit, for both operators: shorter than a window, on one block, and on many parallel
    /// blocks with a short last one; with a finish that marks each block's rows.
    #[test]
    fn a_filled_input_correlates_as_the_stored_one() {
        for (n, m, m_previous) in [(3, 8, 1), (8, 32, 16), (5, 4, 3)] {
            let layer = crate::test_stream::noise_layer(n, m, m_previous);
            for length in [2, n, 40, 3001, 9000] {
                let operators = [
                    (Correlation::<f64>::analysis(&layer), m_previous),
                    (Correlation::<f64>::synthesis(&layer), m),
                ];
                for (correlation, channels) in operators {
                    let input: Vec<f64> = (0..length * channels).map(|k| noise(k + 7)).collect();
                    let outputs = correlation.channels_out();
                    let finish = |block: &mut [f64]| block[0] += 0.5;
                    let mut stored = vec![0.0; length * outputs];
                    correlation.correlate(&input, length, &mut stored, &finish);
                    let fill = |p: usize, rows: &mut [f64]| {
                        rows.copy_from_slice(&input[p * channels..][..rows.len()]);
                    };
                    let mut filled = vec![f64::NAN; length * outputs];
                    correlation.correlate_filled(length, &fill, &mut filled, &finish);
                    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(&filled), bits(&stored), "n {n}, N {length}");
                }
            }
        }
    }
}
