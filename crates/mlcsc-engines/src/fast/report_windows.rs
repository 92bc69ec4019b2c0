//! The three windowed maxima of one layer's report in one pass over its positions: the
//! largest count of nonzeros over two widths of consecutive (periodic) positions, and the
//! largest energy over a third.
//!
//! Apart, [`super::norms::windowed_count_maximum_of`] (twice) and
//! [`super::norms::windowed_maximum_of`] each read every position and take the periodic
//! wrap-around branch on every step. Here one pass reads each position once for all three, in
//! the blocks of [`BLOCK_POSITIONS`] positions of `windowed_maximum_of`, and only the blocks
//! whose windows cross the end of the period take the wrap-around. The energy is summed as
//! there, in the same order from the same fresh start in every block, so it is the same
//! number; counts are exact, so any order gives the same counts.

use rayon::prelude::*;

use super::correlation::{BLOCK_POSITIONS, PARALLEL_MINIMUM};
use super::forward_pass::PositionReport;
use super::prefetch::{Level, Prefetch};

/// How far ahead of the widest window's newest position the reports are asked for.
const LEAD_POSITIONS: usize = 64;

/// The maxima of one block of positions: the two counts and the energy.
type BlockMaxima = ([u64; 2], f64);

/// `([max count over count_widths[0], max count over count_widths[1]], max energy over
/// energy_width)`, each width read as at least 1 and at most the number of positions;
/// `([0, 0], 0.0)` without positions.
pub(crate) fn report_maxima(
    reports: &[PositionReport],
    count_widths: [usize; 2],
    energy_width: usize,
) -> ([usize; 2], f64) {
    let length = reports.len();
    if length == 0 {
        return ([0, 0], 0.0);
    }
    let clamp = |w: usize| w.clamp(1, length);
    let widths = [
        clamp(count_widths[0]),
        clamp(count_widths[1]),
        clamp(energy_width),
    ];
    let block = |b: usize| block_maxima(reports, b * BLOCK_POSITIONS, widths);
    let blocks = length.div_ceil(BLOCK_POSITIONS);
    let combine =
        |(c, e): BlockMaxima, (d, f): BlockMaxima| ([c[0].max(d[0]), c[1].max(d[1])], e.max(f));
    let identity = ([0, 0], f64::NEG_INFINITY);
    // On one thread the blocks run in the calling thread: handing them to a pool of one worker
    // only adds its hand-over and its spinning while idle.
    let parallel = length >= PARALLEL_MINIMUM && rayon::current_num_threads() > 1;
    let (counts, energy) = if parallel {
        (0..blocks)
            .into_par_iter()
            .map(block)
            .reduce(|| identity, combine)
    } else {
        (0..blocks).map(block).fold(identity, combine)
    };
    (counts.map(|c| c as usize), energy)
}

/// The maxima over the windows that start in the block of positions from `start`, the
/// wrap-around taken only where a window of the block crosses the end of the period.
fn block_maxima(reports: &[PositionReport], start: usize, widths: [usize; 3]) -> BlockMaxima {
    let length = reports.len();
    let end = (start + BLOCK_POSITIONS).min(length);
    let wrapped = |q: usize| if q >= length { q - length } else { q };
    let [first, second, width] = widths;
    let count = |q: usize| u64::from(reports[wrapped(q)].nonzeros);
    let mut windows = Windows {
        counts: [first, second].map(|w| (start..start + w).map(count).sum::<u64>()),
        best_counts: [0; 2],
        energy: (start..start + width)
            .map(|q| reports[wrapped(q)].energy)
            .sum(),
        best_energy: 0.0,
    };
    windows.best_counts = windows.counts;
    windows.best_energy = windows.energy;
    let widest = first.max(second).max(width);
    if end + widest - 1 <= length {
        // No window of the block wraps: the positions entering each window are a slice.
        let leaving = &reports[start..end - 1];
        let entering = |w: usize| &reports[start + w..end + w - 1];
        let steps = leaving
            .iter()
            .zip(entering(first))
            .zip(entering(second))
            .zip(entering(width));
        // The positions the widest window takes in a few steps on, asked for now: the reports
        // were written a whole layer's products ago, and no longer are in the first-level cache.
        let prefetch = Prefetch::new();
        let lead = widest - 1 + LEAD_POSITIONS;
        for (p, (((out, a), b), e)) in (start..).zip(steps) {
            prefetch.line(&reports[(p + lead).min(length - 1)], Level::First);
            windows.step(out, [a.nonzeros, b.nonzeros], e.energy);
        }
    } else {
        for p in start + 1..end {
            let entering = |w: usize| &reports[wrapped(p + w - 1)];
            let (a, b) = (entering(first).nonzeros, entering(second).nonzeros);
            windows.step(&reports[p - 1], [a, b], entering(width).energy);
        }
    }
    (windows.best_counts, windows.best_energy)
}

/// The three running windows of a block and their maxima so far.
struct Windows {
    counts: [u64; 2],
    best_counts: [u64; 2],
    energy: f64,
    best_energy: f64,
}

impl Windows {
    /// Moves every window one position on: `leaving` drops out of all three, `entering` comes
    /// into the two counts and `energy` into the energy (added as their difference, as in
    /// [`super::norms::windowed_maximum_of`]).
    #[inline(always)]
    fn step(&mut self, leaving: &PositionReport, entering: [u32; 2], energy: f64) {
        for (k, count) in entering.into_iter().enumerate() {
            self.counts[k] = self.counts[k] + u64::from(count) - u64::from(leaving.nonzeros);
            self.best_counts[k] = self.best_counts[k].max(self.counts[k]);
        }
        self.energy += energy - leaving.energy;
        self.best_energy = self.best_energy.max(self.energy);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fast::norms::{windowed_count_maximum, windowed_maximum};

    /// Reports with energies that are not round numbers (so that the order of their sums
    /// shows) and counts with a few large ones.
    fn reports(length: usize, seed: usize) -> Vec<PositionReport> {
        (0..length)
            .map(|p| {
                let h = (p * 2_654_435_761 + seed * 97) % 10_007;
                PositionReport {
                    energy: (h as f64 / 7.0).powi(2) * 1e-3 + 0.1,
                    nonzeros: (h % 13) as u32 * u32::from(h % 5 != 0),
                }
            })
            .collect()
    }

    /// The fused maxima are those of the three windowed maxima taken apart, bit for bit, on
    /// one block, several, a parallel length, a short last block, and widths from 1 to beyond
    /// the length.
    #[test]
    fn the_fused_maxima_are_the_maxima_taken_apart() {
        for length in [1, 2, 15, 700, 1024, 3000, PARALLEL_MINIMUM + 1000] {
            for widths in [
                [1, 1, 1],
                [15, 8, 8],
                [15, 1, 5],
                [3, 40, 2000],
                [2, 9, 99_999],
            ] {
                let values = reports(length, widths[1] + length);
                let counts: Vec<u32> = values.iter().map(|r| r.nonzeros).collect();
                let energies: Vec<f64> = values.iter().map(|r| r.energy).collect();
                let fused = report_maxima(&values, [widths[0], widths[1]], widths[2]);
                let apart = (
                    [
                        windowed_count_maximum(&counts, widths[0]),
                        windowed_count_maximum(&counts, widths[1]),
                    ],
                    windowed_maximum(&energies, widths[2]),
                );
                assert_eq!(
                    fused.0, apart.0,
                    "counts, length {length}, widths {widths:?}"
                );
                assert_eq!(
                    fused.1.to_bits(),
                    apart.1.to_bits(),
                    "energy, length {length}, widths {widths:?}"
                );
            }
        }
        assert_eq!(report_maxima(&[], [3, 4], 5), ([0, 0], 0.0));
    }
}
