//! `μ(D_i)` of the exact unit filters, enclosed, with the plain `f64` coherence of the filters
//! used, their correlations summed for several pairs of filters at once.

use super::interval::Interval;
use super::rounding::{add_up, mul_up, nan_max, sub_down};
use super::screen_layer::ScreenLayer;
use crate::tolerance::{f64_upper_bound, higham_gamma, next_up};

/// Pairs of filters whose sums run side by side: independent chains of additions, each in its
/// own order, so that the processor overlaps them.
const PAIRS: usize = 4;

/// `μ(D_i)` of the exact unit filters, enclosed, with the plain `f64`
/// [`mutual_coherence`](crate::coherence::mutual_coherence) of the filters used: the largest
/// of the same `|filter_correlation|` in the same order, taken where strictly larger.
///
/// Each correlation is [`filter_correlation`](crate::coherence::filter_correlation)'s sum,
/// `acc + a b` from 0 in the order of the taps, and each bound's sum of `|a| |b|` likewise;
/// [`PAIRS`] pairs `(a, b)`, `(a, b + 1)`, … are summed side by side, each in that order, so
/// every sum is the same `f64`, and the pairs are then taken in the order of the plain loops.
pub(super) fn coherence_with_plain(layer: &ScreenLayer) -> (Interval, f64) {
    let f = &layer.filters;
    let (n, m, m_prev) = (f.filter_length(), f.filter_count(), f.input_channels());
    let k = n * m_prev;
    let rho = layer.rho;
    let factor = add_up(
        add_up(2.0 * rho, mul_up(rho, rho)),
        next_up(higham_gamma(k)),
    );
    let (mut lo, mut hi, mut plain) = (0.0f64, 0.0f64, 0.0f64);
    for shift in 0..n {
        let overlap = (n - shift) * m_prev;
        for a in 0..m {
            let mut b = if shift == 0 { a + 1 } else { 0 };
            while b < m {
                let count = (m - b).min(PAIRS);
                let sums = pair_sums(layer, (a, b), shift, overlap);
                for &(signed, absolute, reached) in &sums[..count] {
                    let value = signed.abs();
                    if value > plain {
                        plain = value;
                    }
                    let rad = if reached {
                        f64_upper_bound(factor * absolute, k + 6)
                    } else {
                        0.0
                    };
                    lo = nan_max(&[lo, sub_down(value, rad).max(0.0)]);
                    hi = nan_max(&[hi, add_up(value, rad)]);
                }
                b += count;
            }
        }
    }
    (Interval { lo, hi }, plain)
}

/// `μ(D_i)` of the exact unit filters, enclosed.
#[cfg(test)]
pub(super) fn coherence(layer: &ScreenLayer) -> Interval {
    coherence_with_plain(layer).0
}

/// For the pairs `(a, b + j)`, `j < PAIRS` (a filter past the last stands for the last, its
/// sums unread): `Σ_t f̂_a[t] f̂_{b+j}[t + shift]` and `Σ_t |f̂_a[t]| |f̂_{b+j}[t + shift]|` over
/// the `overlap` taps, each from 0 in the order of `t` (then of the channels: the filters are
/// tap-major, so these are contiguous runs), and whether some product of nonzero taps occurs.
fn pair_sums(
    layer: &ScreenLayer,
    (a, b): (usize, usize),
    shift: usize,
    overlap: usize,
) -> [(f64, f64, bool); PAIRS] {
    let (f, absolute) = (&layer.filters, &layer.absolute);
    let last = f.filter_count() - 1;
    let start = shift * f.input_channels();
    let first = &f.filter(a)[..overlap];
    let first_absolute = &absolute.filter(a)[..overlap];
    let seconds: [&[f64]; PAIRS] =
        std::array::from_fn(|j| &f.filter((b + j).min(last))[start..][..overlap]);
    let seconds_absolute: [&[f64]; PAIRS] =
        std::array::from_fn(|j| &absolute.filter((b + j).min(last))[start..][..overlap]);
    let (mut signed, mut sums) = ([0.0f64; PAIRS], [0.0f64; PAIRS]);
    let mut reached = [false; PAIRS];
    for t in 0..overlap {
        let (x, x_absolute) = (first[t], first_absolute[t]);
        for j in 0..PAIRS {
            signed[j] += x * seconds[j][t];
            let y = seconds_absolute[j][t];
            reached[j] |= x_absolute != 0.0 && y != 0.0;
            sums[j] += x_absolute * y;
        }
    }
    std::array::from_fn(|j| (signed[j], sums[j], reached[j]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coherence::filter_correlation;

    /// The coherence as it was: one pair at a time, the correlation by the specification.
    /// `μ(D_i)` of the exact unit filters, enclosed, with the plain `f64`
    /// [`mutual_coherence`](crate::coherence::mutual_coherence) of the filters used: the largest
    /// of the same `|filter_correlation|` in the same order, taken where strictly larger.
    fn coherence_one_pair_at_a_time(layer: &ScreenLayer) -> (Interval, f64) {
        let f = &layer.filters;
        let (n, m, m_prev) = (f.filter_length(), f.filter_count(), f.input_channels());
        let k = n * m_prev;
        let rho = layer.rho;
        let factor = add_up(
            add_up(2.0 * rho, mul_up(rho, rho)),
            next_up(higham_gamma(k)),
        );
        let (mut lo, mut hi, mut plain) = (0.0f64, 0.0f64, 0.0f64);
        for shift in 0..n {
            for a in 0..m {
                for b in 0..m {
                    if shift == 0 && a >= b {
                        continue;
                    }
                    let value = filter_correlation(f, a, b, shift).abs();
                    if value > plain {
                        plain = value;
                    }
                    // `Σ_{t, c} |f̂_a[t][c]| |f̂_b[t + shift][c]|` in the order of `t`, then `c`:
                    // the filters are tap-major, so these are two contiguous runs of taps.
                    let overlap = (n - shift) * m_prev;
                    let first = &layer.absolute.filter(a)[..overlap];
                    let second = &layer.absolute.filter(b)[shift * m_prev..][..overlap];
                    let mut absolute = 0.0;
                    let mut reached = false;
                    for (x, y) in first.iter().zip(second) {
                        reached |= *x != 0.0 && *y != 0.0;
                        absolute += x * y;
                    }
                    let rad = if reached {
                        f64_upper_bound(factor * absolute, k + 6)
                    } else {
                        0.0
                    };
                    lo = nan_max(&[lo, sub_down(value, rad).max(0.0)]);
                    hi = nan_max(&[hi, add_up(value, rad)]);
                }
            }
        }
        (Interval { lo, hi }, plain)
    }

    /// Bit for bit the one-pair loop, on layers of several shapes (filter counts not a
    /// multiple of the pairs, one filter, one tap) with zero taps.
    #[test]
    fn pairs_side_by_side_are_the_one_pair_loop() {
        let shapes = [
            (8, 16, 4),
            (3, 5, 2),
            (1, 6, 3),
            (4, 1, 5),
            (2, 7, 1),
            (8, 11, 32),
        ];
        for (seed, (n, m, m_previous)) in shapes.into_iter().enumerate() {
            let layer = crate::theorem2_f64::tests_shortcut::layer(n, m, m_previous, seed as u64);
            let screen = ScreenLayer::new(&layer, 1);
            let (enclosed, plain) = coherence_with_plain(&screen);
            let (expected, expected_plain) = coherence_one_pair_at_a_time(&screen);
            let bits = |i: Interval| (i.lo.to_bits(), i.hi.to_bits());
            assert_eq!(bits(enclosed), bits(expected), "{n} {m} {m_previous}");
            assert_eq!(
                plain.to_bits(),
                expected_plain.to_bits(),
                "{n} {m} {m_previous}"
            );
        }
    }
}
