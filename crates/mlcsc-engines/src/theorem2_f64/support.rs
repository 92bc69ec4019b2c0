//! The certain support of an enclosed representation and conclusion 1 (support recovery).

use super::enclosed::Enclosed;
use super::interval::Interval;
use super::rounding::{add_up, sub_down};
use crate::enclosure::Decision;

/// An entry whose support is uncertain: its position, channel, midpoint and radius.
pub(super) type UncertainEntry = (usize, usize, f64, f64);

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
pub(super) fn certain_magnitudes(
    gamma: &Enclosed,
) -> Result<Option<(Interval, Interval)>, UncertainEntry> {
    let channels = gamma.mid.channels();
    let entries = gamma.mid.entries();
    let (mut below, mut above) = (
        [f64::INFINITY, f64::NEG_INFINITY],
        [f64::INFINITY, f64::NEG_INFINITY],
    );
    let mut nonzero = false;
    for (k, (m, r)) in entries.iter().zip(&gamma.rad).enumerate() {
        let magnitude = m.abs();
        if *r == 0.0 && *m == 0.0 {
            continue;
        }
        // `sign(k)` is uncertain: not `|m| > r` (NaN included).
        if magnitude.partial_cmp(r) != Some(std::cmp::Ordering::Greater) {
            return Err((k / channels, k % channels, *m, *r));
        }
        let (low, high) = (magnitude - r, magnitude + r);
        below = [below[0].min(low), below[1].max(low)];
        above = [above[0].min(high), above[1].max(high)];
        nonzero = true;
    }
    if !nonzero {
        return Ok(None);
    }
    let mut small = Interval {
        lo: f64::INFINITY,
        hi: f64::INFINITY,
    };
    let mut large = Interval {
        lo: f64::NEG_INFINITY,
        hi: f64::NEG_INFINITY,
    };
    for (m, r) in entries.iter().zip(&gamma.rad) {
        if *r == 0.0 && *m == 0.0 {
            continue;
        }
        let magnitude = m.abs();
        let (low, high) = (magnitude - r, magnitude + r);
        if low == below[0] || low == below[1] {
            let lo = if *r == 0.0 {
                magnitude
            } else {
                sub_down(magnitude, *r)
            };
            small.lo = small.lo.min(lo);
            large.lo = large.lo.max(lo);
        }
        if high == above[0] || high == above[1] {
            let hi = if *r == 0.0 {
                magnitude
            } else {
                add_up(magnitude, *r)
            };
            small.hi = small.hi.min(hi);
            large.hi = large.hi.max(hi);
        }
    }
    Ok(Some((small, large)))
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
