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
//!
//! A block's summary runs on the vector registers of the instruction set found at run time
//! ([`vector_summary`]), each register's lanes summarising their own entries as the scalar
//! lanes do; the lanes are then combined, and the extremes are the same numbers whatever the
//! split. The few entries past the last whole register take the scalar lanes.

use pulp::{Arch, Simd, WithSimd};

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
    #[inline(always)]
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

    #[inline(always)]
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

/// The summary of one block of midpoints and radii, on scalar lanes.
#[inline(always)]
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
    let blocks = Arch::new().dispatch(Summaries { mid, rad });
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

impl Summary {
    /// The summary of the entries of `self` and `other` together.
    #[inline(always)]
    fn merged(self, other: Summary) -> Summary {
        Summary {
            uncertain: self.uncertain | other.uncertain,
            listed: self.listed | other.listed,
            least: beyond(true, other.least, self.least),
            greatest: beyond(false, other.greatest, self.greatest),
            ends: std::array::from_fn(|i| beyond(is_least(i), other.ends[i], self.ends[i])),
        }
    }
}

/// [`beyond`] lane by lane.
#[inline(always)]
fn beyond_lanes<S: Simd>(simd: S, least: bool, candidate: S::f64s, current: S::f64s) -> S::f64s {
    let further = if least {
        simd.less_than_f64s(candidate, current)
    } else {
        simd.greater_than_f64s(candidate, current)
    };
    simd.select_f64s(further, candidate, current)
}

/// [`summary`] of one block on the vector registers of `simd`: every lane keeps the numbers of
/// [`Lanes`] for its entries (the flags as 0 or 1, kept by their greatest), and the lanes are
/// combined by their least and greatest, which no lane holds as NaN (a NaN is never beyond).
#[inline(always)]
fn vector_summary<S: Simd>(simd: S, mid: &[f64], rad: &[f64]) -> Summary {
    let (mids, mid_tail) = S::as_simd_f64s(mid);
    let (rads, rad_tail) = S::as_simd_f64s(rad);
    let zero = simd.splat_f64s(0.0);
    let one = simd.splat_f64s(1.0);
    let infinity = simd.splat_f64s(f64::INFINITY);
    let negative_infinity = simd.splat_f64s(f64::NEG_INFINITY);
    let (mut uncertain, mut listed, mut least, mut greatest) = (zero, zero, infinity, zero);
    let (mut least_low, mut greatest_low) = (infinity, negative_infinity);
    let (mut least_high, mut greatest_high) = (infinity, negative_infinity);
    for (m, r) in mids.iter().zip(rads) {
        let (m, r) = (*m, *r);
        let magnitude = simd.abs_f64s(m);
        let exactly_zero = simd.and_m64s(simd.equal_f64s(r, zero), simd.equal_f64s(m, zero));
        let certain = simd.greater_than_f64s(magnitude, r);
        let listed_flag = simd.select_f64s(exactly_zero, zero, one);
        let uncertain_flag = simd.select_f64s(certain, zero, listed_flag);
        uncertain = beyond_lanes(simd, false, uncertain_flag, uncertain);
        listed = beyond_lanes(simd, false, listed_flag, listed);
        let low = simd.sub_f64s(magnitude, r);
        let high = simd.add_f64s(magnitude, r);
        // An entry exactly zero offers each extreme its neutral number.
        let magnitude_low = simd.select_f64s(exactly_zero, infinity, magnitude);
        let magnitude_high = simd.select_f64s(exactly_zero, zero, magnitude);
        least = beyond_lanes(simd, true, magnitude_low, least);
        greatest = beyond_lanes(simd, false, magnitude_high, greatest);
        let low_low = simd.select_f64s(exactly_zero, infinity, low);
        let low_high = simd.select_f64s(exactly_zero, negative_infinity, low);
        least_low = beyond_lanes(simd, true, low_low, least_low);
        greatest_low = beyond_lanes(simd, false, low_high, greatest_low);
        let high_low = simd.select_f64s(exactly_zero, infinity, high);
        let high_high = simd.select_f64s(exactly_zero, negative_infinity, high);
        least_high = beyond_lanes(simd, true, high_low, least_high);
        greatest_high = beyond_lanes(simd, false, high_high, greatest_high);
    }
    let combined = Summary {
        uncertain: simd.reduce_max_f64s(uncertain) > 0.0,
        listed: simd.reduce_max_f64s(listed) > 0.0,
        least: simd.reduce_min_f64s(least),
        greatest: simd.reduce_max_f64s(greatest),
        ends: [
            simd.reduce_min_f64s(least_low),
            simd.reduce_max_f64s(greatest_low),
            simd.reduce_min_f64s(least_high),
            simd.reduce_max_f64s(greatest_high),
        ],
    };
    combined.merged(summary(mid_tail, rad_tail))
}

/// The summaries of the consecutive blocks of some midpoints and radii ([`vector_summary`]),
/// dispatched as a struct (so that the loop is inlined into the dispatch).
struct Summaries<'a> {
    mid: &'a [f64],
    rad: &'a [f64],
}

impl WithSimd for Summaries<'_> {
    type Output = Vec<Summary>;

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) -> Vec<Summary> {
        // A loop rather than an iterator's closure, which would not share the dispatch's
        // instruction set.
        let mut blocks = Vec::with_capacity(self.mid.len().div_ceil(BLOCK));
        for (m, r) in self.mid.chunks(BLOCK).zip(self.rad.chunks(BLOCK)) {
            blocks.push(vector_summary(simd, m, r));
        }
        blocks
    }
}
