//! Norms of enclosed vectors: patch energies and the largest entry, each as an interval that
//! contains the exact value (the coherence `μ(D_i)` is in [`super::coherence`]).

use super::enclosed::Enclosed;
use super::hoisted::{LowerBound, UpperBound};
use super::interval::Interval;
use super::rounding::{add_up, nan_max, sub_down};
use crate::tolerance::{UNIT_ROUNDOFF, f64_lower_bound, f64_upper_bound, higham_gamma};

/// The largest energy of a patch of `width` positions, enclosed: per-position energies bounded
/// below and above, then sliding sums whose rounding error is tracked step by step.
pub(super) fn patch_energy(v: &Enclosed, width: usize) -> Interval {
    let length = v.mid.length();
    let channels = v.mid.channels();
    if width == 0 || length == 0 {
        return Interval::point(0.0);
    }
    let width = width.min(length);
    let mut low = Vec::with_capacity(length);
    let mut high = Vec::with_capacity(length);
    let (lower, upper) = (
        LowerBound::new(2 * channels + 1),
        UpperBound::new(2 * channels + 1),
    );
    for p in 0..length {
        let (mut lo, mut hi, mut nonzero) = (0.0, 0.0, false);
        for c in 0..channels {
            let k = p * channels + c;
            let (m, r) = (v.mid.entries()[k].abs(), v.rad[k]);
            let below = sub_down(m, r).max(0.0);
            let above = add_up(m, r);
            lo += below * below;
            hi += above * above;
            nonzero |= above > 0.0;
        }
        low.push(lower.of(lo));
        high.push(if nonzero { upper.of(hi) } else { 0.0 });
    }
    Interval {
        lo: window_maximum(&low, width, false),
        hi: window_maximum(&high, width, true),
    }
}

/// Windows up to this width are summed afresh at every position (error `γ_width` of the sum);
/// wider ones by a sliding sum whose error is tracked step by step.
const DIRECT_WINDOW: usize = 32;

/// A bound on the largest sum of `width` consecutive (periodic) nonnegative values: from above
/// when `upper`, else from below.
pub(super) fn window_maximum(values: &[f64], width: usize, upper: bool) -> f64 {
    let length = values.len();
    if width <= DIRECT_WINDOW {
        // The values followed by the first `width − 1` again: every window is contiguous.
        let extended: Vec<f64> = values.iter().chain(&values[..width - 1]).copied().collect();
        let mut largest = 0.0f64;
        for window in extended.windows(width) {
            let sum: f64 = window.iter().sum();
            largest = nan_max(&[largest, sum]);
        }
        // Each window's exact sum is within γ_width of its computed sum, in the same direction
        // for every window, so the bound of the largest computed sum bounds the largest sum. A
        // largest sum of 0 means every value is 0 (they are nonnegative): exactly 0.
        return if largest == 0.0 {
            0.0
        } else if upper {
            f64_upper_bound(largest, width)
        } else {
            f64_lower_bound(largest, width)
        };
    }
    let mut sum: f64 = values[..width].iter().sum();
    let mut error = f64_upper_bound(higham_gamma(width) * sum, 1);
    if sum == 0.0 && values[..width].iter().all(|v| *v == 0.0) {
        error = 0.0;
    }
    let bound = |sum: f64, error: f64| {
        if upper {
            add_up(sum, error)
        } else {
            sub_down(sum, error).max(0.0)
        }
    };
    let mut best = bound(sum, error);
    let step = UpperBound::new(3);
    for p in 1..length {
        let entering = values[(p + width - 1) % length];
        let leaving = values[p - 1];
        let magnitude = sum.abs() + entering + leaving;
        sum = sum + entering - leaving;
        if magnitude > 0.0 {
            error = step.of(error + 4.0 * UNIT_ROUNDOFF * magnitude);
        }
        best = nan_max(&[best, bound(sum, error)]);
    }
    best
}

/// `‖V‖_∞`, enclosed. `add_up(|m|, r)` is `fl(|m| + r)` or the next `f64` up, so the largest
/// of them is attained where `fl(|m| + r)` is largest (likewise `sub_down` below): one plain
/// pass finds those entries, and only they are rounded outward, with the same result as
/// rounding every entry.
pub(super) fn max_abs(v: &Enclosed) -> Interval {
    let (mut nearest_lo, mut nearest_hi, mut nan) = (0.0f64, 0.0f64, false);
    for (m, r) in v.mid.entries().iter().zip(&v.rad) {
        let (below, above) = (m.abs() - r, m.abs() + r);
        nan |= below.is_nan() || above.is_nan();
        nearest_lo = nearest_lo.max(below);
        nearest_hi = nearest_hi.max(above);
    }
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for (m, r) in v.mid.entries().iter().zip(&v.rad) {
        let m = m.abs();
        if nan || m - r == nearest_lo {
            lo = nan_max(&[lo, sub_down(m, *r).max(0.0)]);
        }
        if nan || m + r == nearest_hi {
            hi = nan_max(&[hi, add_up(m, *r)]);
        }
    }
    Interval { lo, hi }
}
