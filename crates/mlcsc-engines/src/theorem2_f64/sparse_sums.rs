//! The products `D̂ Γ` and the radius sums `|D̂| w` of a synthesis `D_i Γ` whose input is
//! mostly zero (the deepest representation, sparse by design), from the nonzero entries alone,
//! equal bit for bit to the fast kernel's [`crate::fast::synthesis`] on the dense input.
//!
//! The kernel computes entry `(q, c')` as one chain of fused multiply-adds from `+0`, over its
//! window `Γ[q − n + 1 .. q]` (periodic) position by position and, within a position, channel
//! by channel: `acc ← fma(w[p, c], f_c[q − p][c'], acc)`. A term whose weight is `±0` adds
//! `±0` exactly, which leaves `acc` as it is unless `acc` is `−0` (`−0 + +0 = +0`). So the
//! chain of the nonzero terms, in the same order, gives the same number whenever the chain
//! never holds `−0`:
//!
//! - for the radius sums, with nonnegative finite taps and weights, every `acc` is `≥ +0`;
//! - for the signed product, when every product `w d` of a nonzero weight and a nonzero tap
//!   is at least `2^-968` in magnitude (and every tap and weight finite)
//!   ([`products_on_the_grid`]): then `w d` is an integer multiple of `2^-1074` (the product
//!   of the two `f64` grids, `2^(e_w − 52) 2^(e_d − 52)` with `e_w + e_d ≥ −969`), so is the
//!   exact `acc + w d`, and a nonzero multiple of `2^-1074` rounds to a nonzero `f64`, an exact
//!   zero sum of a nonzero product to `+0`: from `+0`, `acc` is never `−0`.
//!
//! Here every nonzero entry, in the order of the positions and channels, is added to the `n`
//! outputs it reaches: each output meets its terms in its window's order. The first `n − 1`
//! outputs, whose windows wrap around the period and so start at the end, are computed
//! afterwards window by window. The multiply-adds are the kernel's own (`mul_add` of the same
//! vector instructions), lane by lane over the output channels.

use pulp::{Arch, Simd, WithSimd};

use crate::fast::simd::Real;
use crate::model::Layer;

/// Weights this sparse or sparser (nonzero at most one entry in this many) take this path.
pub(super) const SPARSE_RATIO: usize = 16;

/// The sums `Σ |f̂_c[q − p][c']| w[p, c]` of every output `(q, c')` (the kernel's
/// `fast::synthesis(absolute, w)`, bit for bit), from the nonzero weights `(entry, w)` of the
/// `length · m_i` entries, when they are sparse enough and the shapes allow (nonnegative finite
/// taps, a vector of output channels fills whole registers); else `None`.
pub(super) fn sparse_synthesis_sums(
    absolute: &Layer<f64>,
    length: usize,
    nonzero: &[(usize, f64)],
) -> Option<Vec<f64>> {
    let taps_fit = absolute.taps().iter().all(|d| d.is_finite() && *d >= 0.0);
    taps_fit.then(|| scattered(absolute, length, nonzero))?
}

/// The product `D̂ Γ` of every output (the kernel's `fast::synthesis(filters, Γ)`, bit for
/// bit), from the nonzero entries `(entry, value)` of `Γ`'s `length · m_i` entries, when they
/// are sparse enough, the shapes allow and [`products_on_the_grid`]; else `None`.
pub(super) fn sparse_synthesis(
    filters: &Layer<f64>,
    length: usize,
    nonzero: &[(usize, f64)],
) -> Option<Vec<f64>> {
    products_on_the_grid(filters.taps(), nonzero.iter().map(|(_, w)| w))
        .then(|| scattered(filters, length, nonzero))?
}

/// Whether every tap and weight is finite and every product of a nonzero tap and a nonzero
/// weight is at least `2^-968` in magnitude (module documentation). The smallest product is
/// computed in `f64` and compared with `2^-966`: its rounding (relative `u`, the product being
/// normal) cannot bring an exact product below `2^-968` up to that.
pub(super) fn products_on_the_grid<'a>(
    taps: &[f64],
    weights: impl IntoIterator<Item = &'a f64>,
) -> bool {
    fn smallest<'a>(values: impl IntoIterator<Item = &'a f64>) -> Option<f64> {
        values.into_iter().try_fold(f64::INFINITY, |least, x| {
            x.is_finite()
                .then(|| if *x != 0.0 { least.min(x.abs()) } else { least })
        })
    }
    match (smallest(taps), smallest(weights)) {
        (Some(tap), Some(weight)) => tap * weight >= 2f64.powi(-966),
        _ => false,
    }
}

/// The scatter of the module documentation, when the entries are sparse enough and the
/// shapes allow; else `None`.
fn scattered(layer: &Layer<f64>, length: usize, nonzero: &[(usize, f64)]) -> Option<Vec<f64>> {
    let (n, m) = (layer.filter_length(), layer.filter_count());
    let sparse = nonzero.len() * SPARSE_RATIO <= length * m;
    if !(sparse && layer.has_paper_geometry() && length >= 2 * n && n > 0) {
        return None;
    }
    let mut out = vec![0.0; length * layer.input_channels()];
    Arch::new()
        .dispatch(Scatter {
            layer,
            length,
            nonzero,
            out: &mut out,
        })
        .then_some(out)
}

/// The nonzero entries of `Γ` and of its weights `a |Γ̂| + b r` (the radius weights of
/// [`super::screen_layer::ScreenLayer::weights`], computed alike), each `(entry, value)` in
/// order, when at most one entry in [`SPARSE_RATIO`] has one in each; else `None` (found as
/// soon as there are more). One pass over the midpoints and radii.
pub(super) fn sparse_entries(
    mid: &[f64],
    rad: &[f64],
    (a, b): (f64, f64),
) -> Option<SparseEntries> {
    // More nonzero midpoints than the limit: the listing would stop at one of them.
    if more_nonzeros_than(mid, rad.len() / SPARSE_RATIO) {
        return None;
    }
    listed(mid, rad, (a, b))
}

/// [`sparse_entries`] without its count first: the listing, given up at the first entry past
/// the limit.
pub(super) fn listed(mid: &[f64], rad: &[f64], (a, b): (f64, f64)) -> Option<SparseEntries> {
    let limit = rad.len() / SPARSE_RATIO;
    let mut entries = SparseEntries::default();
    for (index, (m, r)) in mid.iter().zip(rad).enumerate() {
        let w = a * m.abs() + b * r;
        if *m != 0.0 {
            if entries.values.len() == limit {
                return None;
            }
            entries.values.push((index, *m));
        }
        if w != 0.0 {
            if entries.weights.len() == limit {
                return None;
            }
            entries.weights.push((index, w));
        }
    }
    Some(entries)
}

/// Whether more than `limit` of `values` are nonzero, counted block by block (a count without
/// branches, on vectors) until the count passes the limit: for a dense vector, a look at its
/// first entries, with nothing listed.
pub(super) fn more_nonzeros_than(values: &[f64], limit: usize) -> bool {
    let mut count = 0;
    for block in values.chunks(256) {
        count += block.iter().map(|x| usize::from(*x != 0.0)).sum::<usize>();
        if count > limit {
            return true;
        }
    }
    false
}

/// The nonzero entries of a sparse enclosed vector and of its radius weights.
#[derive(Debug, Default)]
pub(super) struct SparseEntries {
    /// `(entry, Γ̂[entry])` where the midpoint is nonzero.
    pub values: Vec<(usize, f64)>,
    /// `(entry, w[entry])` where the weight is nonzero.
    pub weights: Vec<(usize, f64)>,
}

/// The arguments of [`scattered`], dispatched as a struct so that the loops are
/// compiled for the kernel's instruction set.
struct Scatter<'a> {
    layer: &'a Layer<f64>,
    length: usize,
    nonzero: &'a [(usize, f64)],
    out: &'a mut [f64],
}

impl WithSimd for Scatter<'_> {
    type Output = bool;

    #[inline(always)]
    fn with_simd<S: Simd>(self, simd: S) -> bool {
        let Scatter {
            layer,
            length,
            nonzero,
            out,
        } = self;
        let (n, m, outputs) = (
            layer.filter_length(),
            layer.filter_count(),
            layer.input_channels(),
        );
        // One output channel takes the kernel's dot product, in another order.
        if outputs < 2 || outputs % <f64 as Real>::lanes::<S>() != 0 {
            return false;
        }
        let taps = layer.taps();
        let row = |c: usize, t: usize| &taps[(c * n + t) * outputs..][..outputs];
        // Outputs q ≥ n − 1: their windows do not wrap, and the scatter meets their terms in
        // order of position, then channel.
        // Each row is cleared (zeros written over the zeros it holds) just before the scatter
        // first reaches it, so that a page of fresh memory is first written rather than read
        // (a read maps the shared zero page, which the first write then replaces: two faults).
        let mut cleared = 0;
        for &(k, w) in nonzero {
            let (p, c) = (k / m, k % m);
            let reach = (p + n).min(length);
            if cleared < reach {
                out[cleared * outputs..reach * outputs].fill(0.0);
                cleared = reach;
            }
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
        out[cleared * outputs..].fill(0.0);
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
