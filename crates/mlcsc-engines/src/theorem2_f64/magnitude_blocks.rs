//! The extremes that [`certain_magnitudes_with_range`](super::support::certain_magnitudes_with_range)
//! reads, found block by block: each block of entries is summarised without branches, in
//! independent lanes (a loop on vectors), and only the blocks that attain an extreme are read
//! again to list the entries at it.
//!
//! Over the entries not exactly zero (`m = ±0` and `r = 0` are passed over), with every
//! support certain (`|m| > r`, so no `|m|`, `|m| − r` or `|m| + r` is NaN), each extreme is the
//! least or greatest of the same numbers whatever the order, and the entries at it are every
//! entry whose number equals it, listed in increasing order: what the plain pass finds. A
//! block with an uncertain entry makes the summary decline, and the plain pass names the first.

use super::support::{Extreme, Found};

/// Entries per block.
const BLOCK: usize = 256;

/// Independent lanes of a block's summary.
const LANES: usize = 4;

/// One block's numbers over its entries not exactly zero, lane by lane.
#[derive(Clone, Copy)]
struct Lanes {
    /// Flags as words, 0 or 1 (words rather than bytes keep the lanes on vectors).
    uncertain: [u64; LANES],
    listed: [u64; LANES],
    least: [f64; LANES],
    greatest: [f64; LANES],
    /// The least and greatest `|m| − r`, then of `|m| + r`.
    ends: [[f64; LANES]; 4],
}

/// A block's summary, its lanes combined.
#[derive(Clone, Copy)]
struct Summary {
    uncertain: bool,
    listed: bool,
    least: f64,
    greatest: f64,
    ends: [f64; 4],
}

/// Whether the end `index` (least low, greatest low, least high, greatest high) is a least.
const fn is_least(index: usize) -> bool {
    index % 2 == 0
}

/// `candidate` if it is beyond `current` towards the end's side, else `current` (a
/// selection, never NaN when `current` is not).
#[inline(always)]
fn beyond(least: bool, candidate: f64, current: f64) -> f64 {
    let further = if least {
        candidate < current
    } else {
        candidate > current
    };
    if further { candidate } else { current }
}

impl Lanes {
    fn new() -> Self {
        let ends = std::array::from_fn(|index| {
            [if is_least(index) {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            }; LANES]
        });
        Lanes {
            uncertain: [0; LANES],
            listed: [0; LANES],
            least: [f64::INFINITY; LANES],
            greatest: [0.0; LANES],
            ends,
        }
    }

    /// The entry of midpoint `m` and radius `r`, in `lane`.
    #[inline(always)]
    fn offer(&mut self, lane: usize, m: f64, r: f64) {
        let magnitude = m.abs();
        let zero = (r == 0.0) & (m == 0.0);
        let certain = magnitude.partial_cmp(&r) == Some(std::cmp::Ordering::Greater);
        self.uncertain[lane] |= u64::from(!zero & !certain);
        self.listed[lane] |= u64::from(!zero);
        let (least, greatest) = if zero {
            (f64::INFINITY, 0.0)
        } else {
            (magnitude, magnitude)
        };
        self.least[lane] = beyond(true, least, self.least[lane]);
        self.greatest[lane] = beyond(false, greatest, self.greatest[lane]);
        let values = [magnitude - r, magnitude - r, magnitude + r, magnitude + r];
        for (index, value) in values.into_iter().enumerate() {
            let neutral = if is_least(index) {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            };
            let value = if zero { neutral } else { value };
            let end = &mut self.ends[index][lane];
            *end = beyond(is_least(index), value, *end);
        }
    }

    fn summary(&self) -> Summary {
        let fold = |least: bool, lanes: &[f64; LANES]| {
            (lanes[1..].iter()).fold(lanes[0], |current, x| beyond(least, *x, current))
        };
        Summary {
            uncertain: self.uncertain.iter().any(|x| *x != 0),
            listed: self.listed.iter().any(|x| *x != 0),
            least: fold(true, &self.least),
            greatest: fold(false, &self.greatest),
            ends: std::array::from_fn(|index| fold(is_least(index), &self.ends[index])),
        }
    }
}

/// The summary of one block of midpoints and radii.
fn summary(mid: &[f64], rad: &[f64]) -> Summary {
    let mut lanes = Lanes::new();
    let (mids, rads) = (mid.chunks_exact(LANES), rad.chunks_exact(LANES));
    let tails = mids.remainder().iter().zip(rads.remainder());
    for (m, r) in mids.zip(rads) {
        for lane in 0..LANES {
            lanes.offer(lane, m[lane], r[lane]);
        }
    }
    for (lane, (m, r)) in tails.enumerate() {
        lanes.offer(lane, *m, *r);
    }
    lanes.summary()
}

/// The extremes of the plain pass of
/// [`certain_magnitudes_among`](super::support::certain_magnitudes_among) over every entry,
/// when every entry not exactly zero has a certain support; else `None`.
pub(super) fn blockwise_extremes(mid: &[f64], rad: &[f64]) -> Option<Found> {
    let blocks: Vec<Summary> = (mid.chunks(BLOCK).zip(rad.chunks(BLOCK)))
        .map(|(m, r)| summary(m, r))
        .collect();
    if blocks.iter().any(|b| b.uncertain) {
        return None;
    }
    let mut whole = Lanes::new().summary();
    for block in blocks.iter().filter(|b| b.listed) {
        whole.least = beyond(true, block.least, whole.least);
        whole.greatest = beyond(false, block.greatest, whole.greatest);
        for (index, end) in whole.ends.iter_mut().enumerate() {
            *end = beyond(is_least(index), block.ends[index], *end);
        }
    }
    let extremes = std::array::from_fn(|index| {
        let mut extreme = Extreme::new(is_least(index));
        extreme.value = whole.ends[index];
        let at_it = (blocks.iter().enumerate())
            .filter(|(_, b)| b.listed && b.ends[index] == whole.ends[index]);
        for (b, _) in at_it {
            let start = b * BLOCK;
            let entries = mid[start..].iter().zip(&rad[start..]).take(BLOCK);
            for (k, (m, r)) in entries.enumerate() {
                let magnitude = m.abs();
                let value = if index < 2 {
                    magnitude - r
                } else {
                    magnitude + r
                };
                let zero = *r == 0.0 && *m == 0.0;
                if !zero && value == extreme.value {
                    extreme.entries.push(start + k);
                }
            }
        }
        extreme
    });
    Some(Found {
        extremes,
        least: whole.least,
        greatest: whole.greatest,
    })
}
