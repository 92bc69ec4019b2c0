//! The certain support of an enclosed representation and conclusion 1 (support recovery).

use super::enclosed::Enclosed;
use super::interval::Interval;
use super::magnitude_blocks::blockwise_extremes;
use super::rounding::{add_up, sub_down};
use crate::enclosure::Decision;
use crate::model::LayerVector;

/// An entry whose support is uncertain: its position, channel, midpoint and radius.
pub(super) type UncertainEntry = (usize, usize, f64, f64);

/// `(|Γ_i^min|, |Γ_i^max|)`, enclosed.
pub(super) type Magnitudes = (Interval, Interval);

/// The enclosed magnitudes of the support (`None` for an all-zero `Γ_i`) with the plain range
/// `(min |m|, max |m|)` of the nonzero midpoints.
pub(super) type SupportMagnitudes = (Option<Magnitudes>, (f64, f64));

/// The magnitudes `(|Γ_i^min|, |Γ_i^max|)` over the support of `Γ_i` when every entry's support
/// is certain (`None` for an all-zero `Γ_i`), or the first entry whose support is uncertain.
/// Where the support is certain, the midpoint's nonzeros are exactly the support, so the
/// sparsities of the midpoint are those of `Γ_i`.
///
/// Each entry `k` of the support has the magnitude `[sub_down(|m|, r), add_up(|m|, r)]` (its
/// interval [`Enclosed::entry`], negated when negative: directed rounding is symmetric). Those
/// ends are nondecreasing in the plain `fl(|m| − r)` and `fl(|m| + r)` (each is that number or
/// the next `f64` towards its side), so one plain pass finds the smallest and largest of the
/// plain numbers, and only the entries that attain them are rounded outward (as in
/// [`max_abs`](super::enclosed_norms::max_abs)): the same ends as rounding every entry.
///
/// The plain range `(min |m|, max |m|)` of the nonzero midpoints (`(0, 0)` without one) is
/// found in the same pass: where the support is certain, the entries passed over are exactly
/// the zero midpoints and no midpoint is NaN, so these are the numbers of the specification's
/// `support_magnitude_range` (a least and a greatest, whatever the order).
pub(super) fn certain_magnitudes_with_range(
    gamma: &Enclosed,
) -> Result<SupportMagnitudes, UncertainEntry> {
    // The blocks' summary finds the same extremes; an uncertain entry is found by the plain
    // pass, which names the first.
    match blockwise_extremes(gamma.mid.entries(), &gamma.rad) {
        Some(found) => Ok(magnitudes_from(
            gamma.mid.entries(),
            |k| gamma.rad[k],
            found,
        )),
        None => {
            let entries = gamma.mid.entries().iter().zip(&gamma.rad);
            certain_magnitudes_among(gamma, entries.enumerate().map(|(k, (m, r))| (k, *m, *r)))
        }
    }
}

/// [`certain_magnitudes_with_range`] from the entries `(k, m, r)` of `gamma` listed in
/// increasing order of `k`, every entry left out being exactly zero (`m = ±0` and `r = 0`):
/// those are the entries the full pass passes over, so the result is the same. For a sparse
/// `Γ_K`, whose nonzero entries the pass that encloses it lists, this reads only those.
pub(super) fn certain_magnitudes_among(
    gamma: &Enclosed,
    listed: impl IntoIterator<Item = (usize, f64, f64)>,
) -> Result<SupportMagnitudes, UncertainEntry> {
    certain_magnitudes_listed(&gamma.mid, listed, |k| gamma.rad[k])
}

/// [`certain_magnitudes_among`] for a vector of midpoints `mid` whose radius of entry `k` is
/// `radius(k)` (the radii of `Γ_K` not written out, [`super::deepest`]).
pub(super) fn certain_magnitudes_listed(
    mid: &LayerVector<f64>,
    listed: impl IntoIterator<Item = (usize, f64, f64)>,
    radius: impl Fn(usize) -> f64,
) -> Result<SupportMagnitudes, UncertainEntry> {
    let channels = mid.channels();
    // The least and greatest plain `fl(|m| − r)` and `fl(|m| + r)`, with the entries at each.
    let mut extremes = [
        Extreme::new(true),
        Extreme::new(false),
        Extreme::new(true),
        Extreme::new(false),
    ];
    let (mut least, mut greatest) = (f64::INFINITY, 0.0f64);
    for (k, m, r) in listed {
        let magnitude = m.abs();
        if r == 0.0 && m == 0.0 {
            continue;
        }
        // `sign(k)` is uncertain: not `|m| > r` (NaN included).
        if magnitude.partial_cmp(&r) != Some(std::cmp::Ordering::Greater) {
            return Err((k / channels, k % channels, m, r));
        }
        least = least.min(magnitude);
        greatest = greatest.max(magnitude);
        let (low, high) = (magnitude - r, magnitude + r);
        // Most entries reach no extreme: one test for the four (an extreme is never NaN).
        let [least_low, greatest_low, least_high, greatest_high] = &extremes;
        if low > least_low.value
            && low < greatest_low.value
            && high > least_high.value
            && high < greatest_high.value
        {
            continue;
        }
        for (extreme, value) in extremes.iter_mut().zip([low, low, high, high]) {
            extreme.offer(value, k);
        }
    }
    Ok(magnitudes_from(
        mid.entries(),
        radius,
        Found {
            extremes,
            least,
            greatest,
        },
    ))
}

/// The magnitudes of the support and the plain range from the [`Found`] extremes of the
/// midpoints `entries`, entry `k` of radius `radius(k)`: the entries at each extreme rounded
/// outward.
pub(super) fn magnitudes_from(
    entries: &[f64],
    radius: impl Fn(usize) -> f64,
    found: Found,
) -> SupportMagnitudes {
    let Found {
        extremes,
        least,
        greatest,
    } = found;
    if extremes[0].entries.is_empty() {
        return (None, (0.0, 0.0));
    }
    let outward = |k: usize, low: bool| {
        let (magnitude, r) = (entries[k].abs(), radius(k));
        match (r == 0.0, low) {
            (true, _) => magnitude,
            (false, true) => sub_down(magnitude, r),
            (false, false) => add_up(magnitude, r),
        }
    };
    let [least_low, greatest_low, least_high, greatest_high] = &extremes;
    let fold = |extreme: &Extreme, low: bool, pick: fn(f64, f64) -> f64| {
        (extreme.entries.iter())
            .map(|k| outward(*k, low))
            .reduce(pick)
            .expect("an entry")
    };
    let magnitudes = (
        Interval {
            lo: fold(least_low, true, f64::min),
            hi: fold(least_high, false, f64::min),
        },
        Interval {
            lo: fold(greatest_low, true, f64::max),
            hi: fold(greatest_high, false, f64::max),
        },
    );
    (Some(magnitudes), (least, greatest))
}

/// What the pass over the entries finds: the least and greatest plain `fl(|m| − r)` and
/// `fl(|m| + r)` with the entries at each (in order), and the plain range of `|m|`, over the
/// entries not exactly zero.
pub(super) struct Found {
    pub extremes: [Extreme; 4],
    pub least: f64,
    pub greatest: f64,
}

/// The least (or greatest) of the numbers offered, and every entry that offered it.
pub(super) struct Extreme {
    least: bool,
    pub value: f64,
    pub entries: Vec<usize>,
}

impl Extreme {
    pub(super) fn new(least: bool) -> Self {
        Extreme {
            least,
            value: if least {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            },
            entries: Vec::new(),
        }
    }

    #[inline]
    pub(super) fn offer(&mut self, value: f64, k: usize) {
        let beyond = if self.least {
            value < self.value
        } else {
            value > self.value
        };
        if beyond {
            self.value = value;
            self.entries.clear();
            self.entries.push(k);
        } else if value == self.value {
            self.entries.push(k);
        }
    }
}

/// Conclusion 1 at one layer: `True` when every entry certainly has the sign of `Γ_i`, `False`
/// with the first entry certainly not, and otherwise open with the first uncertain entry.
pub(super) fn support_conclusion(
    truth: &Enclosed,
    estimate: &Enclosed,
) -> (Decision, Option<usize>, Option<usize>) {
    let mut uncertain = None;
    for k in 0..truth.rad.len() {
        match (truth.sign(k), estimate.sign(k)) {
            (Some(a), Some(b)) if a != b => return (Decision::False, Some(k), None),
            (Some(_), Some(_)) => {}
            _ => {
                uncertain.get_or_insert(k);
            }
        }
    }
    match uncertain {
        Some(k) => (Decision::Undecided, None, Some(k)),
        None => (Decision::True, None, None),
    }
}

/// Whether `Γ_i` and `Γ̂_i` have midpoints of different signs (`−`, `0`, `+`) at some entry.
/// Then conclusion 1 is not certainly true, whatever the radii: [`Enclosed::sign`] is certain
/// only when it is the sign of the midpoint, so at that entry the signs are either both
/// certain and different or one is uncertain.
pub(super) fn midpoint_signs_differ(truth: &LayerVector<f64>, estimate: &LayerVector<f64>) -> bool {
    let sign = |x: f64| i8::from(x > 0.0) - i8::from(x < 0.0);
    (truth.entries().iter())
        .zip(estimate.entries())
        .any(|(a, b)| sign(*a) != sign(*b))
}
