//! The radius sums `|D̂| w` of a synthesis `D_i Γ` whose weights are mostly zero (the deepest
//! representation, sparse by design), from the nonzero weights alone, equal bit for bit to
//! the fast kernel's [`crate::fast::synthesis`] on the dense weights.
//!
//! The kernel computes entry `(q, c')` as one chain of fused multiply-adds from `+0`, over its
//! window `Γ[q − n + 1 .. q]` (periodic) position by position and, within a position, channel
//! by channel: `acc ← fma(w[p, c], |f_c[q − p][c']|, acc)`. With nonnegative finite taps a
//! term whose weight is 0 leaves the accumulator as it is (`fma(0, d, acc) = acc` for
//! `acc ≥ +0`), so the chain of the nonzero terms, in the same order, gives the same number.
//! Here every nonzero weight, in the order of the positions and channels, is added to the
//! `n` outputs it reaches: each output meets its terms in its window's order. The first
//! `n − 1` outputs, whose windows wrap around the period and so start at the end, are
//! computed afterwards window by window. The multiply-adds are the kernel's own
//! (`mul_add` of the same vector instructions), lane by lane over the output channels.

use pulp::{Arch, Simd, WithSimd};

use crate::fast::simd::Real;
use crate::model::Layer;

/// Weights this sparse or sparser (nonzero at most one entry in this many) take this path.
pub(super) const SPARSE_RATIO: usize = 16;

/// The sums `Σ |f̂_c[q − p][c']| w[p, c]` of every output `(q, c')` (the kernel's
/// `fast::synthesis(absolute, w)`, bit for bit), when the weights given by
/// `weight(k)` for the `length · m_i` entries are sparse enough and the shapes allow
/// (nonnegative finite taps, a vector of output channels fills whole registers); else `None`.
pub(super) fn sparse_synthesis_sums(
    absolute: &Layer<f64>,
    length: usize,
    nonzero: &[(usize, f64)],
) -> Option<Vec<f64>> {
    let (n, m) = (absolute.filter_length(), absolute.filter_count());
    let sparse = nonzero.len() * SPARSE_RATIO <= length * m;
    let taps_fit = absolute.taps().iter().all(|d| d.is_finite() && *d >= 0.0);
    if !(sparse && taps_fit && absolute.has_paper_geometry() && length >= 2 * n && n > 0) {
        return None;
    }
    let mut out = vec![0.0; length * absolute.input_channels()];
    Arch::new()
        .dispatch(Scatter {
            absolute,
            length,
            nonzero,
            out: &mut out,
        })
        .then_some(out)
}

/// The arguments of [`sparse_synthesis_sums`], dispatched as a struct so that the loops are
/// compiled for the kernel's instruction set.
struct Scatter<'a> {
    absolute: &'a Layer<f64>,
    length: usize,
    nonzero: &'a [(usize, f64)],
    out: &'a mut [f64],
}

impl WithSimd for Scatter<'_> {
    type Output = bool;

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) -> bool {
        let Scatter {
            absolute,
            length,
            nonzero,
            out,
        } = self;
        let (n, m, outputs) = (
            absolute.filter_length(),
            absolute.filter_count(),
            absolute.input_channels(),
        );
        // One output channel takes the kernel's dot product, in another order.
        if outputs < 2 || outputs % <f64 as Real>::lanes::<S>() != 0 {
            return false;
        }
        let taps = absolute.taps();
        let row = |c: usize, t: usize| &taps[(c * n + t) * outputs..][..outputs];
        // Outputs q ≥ n − 1: their windows do not wrap, and the scatter meets their terms in
        // order of position, then channel.
        for &(k, w) in nonzero {
            let (p, c) = (k / m, k % m);
            let weight = <f64 as Real>::splat(simd, w);
            for t in 0..n {
                let q = p + t;
                if q < n - 1 || q >= length {
                    continue;
                }
                let target = <f64 as Real>::as_mut_lanes::<S>(&mut out[q * outputs..][..outputs]);
                for (acc, d) in target
                    .iter_mut()
                    .zip(<f64 as Real>::as_lanes::<S>(row(c, t)))
                {
                    *acc = <f64 as Real>::mul_add(simd, weight, *d, *acc);
                }
            }
        }
        // Outputs q < n − 1: their windows in order, from position q − n + 1 + length.
        let first = nonzero.partition_point(|(k, _)| *k / m < length - (n - 1));
        let (tail, head) = (&nonzero[first..], nonzero);
        for q in 0..n - 1 {
            let target = <f64 as Real>::as_mut_lanes::<S>(&mut out[q * outputs..][..outputs]);
            let wrapped = tail.iter().map(|&(k, w)| (q + length - k / m, k % m, w));
            let direct = head.iter().take_while(|(k, _)| *k / m <= q);
            let terms = wrapped
                .filter(|(t, _, _)| *t < n)
                .chain(direct.map(|&(k, w)| (q - k / m, k % m, w)));
            for (t, c, w) in terms {
                let weight = <f64 as Real>::splat(simd, w);
                for (acc, d) in target
                    .iter_mut()
                    .zip(<f64 as Real>::as_lanes::<S>(row(c, t)))
                {
                    *acc = <f64 as Real>::mul_add(simd, weight, *d, *acc);
                }
            }
        }
        true
    }
}
