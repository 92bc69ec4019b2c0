//! Layer vectors known within a bound, and the operations of the pursuit on them: `D_i Γ_i`,
//! `D_iᵀ Z` and thresholding, each with a radius that bounds the distance to the exact vector.

use std::borrow::Cow;

use super::bounded_sums::filled_synthesis_radius;
use super::hoisted::UpperBound;
use super::interval::{Interval, input_radius};
use super::listed_synthesis::{listed_midpoint, listed_radius};
use super::reachability::{dense_products_stay_normal, weights_staying_normal};
use super::rounding::{add_down, add_up, sub_down, sub_up};
use super::screen_layer::ScreenLayer;
use super::sparse_sums::{SparseEntries, sparse_entries};
use crate::fast;
use crate::model::LayerVector;
use crate::thresholding::Thresholding;
use crate::tolerance::UNIT_ROUNDOFF;

/// Entries per block of [`Enclosed::finite`]'s test.
const FINITE_BLOCK: usize = 256;

/// A layer vector known within a bound: the exact vector lies within `rad` of `mid` entry by
/// entry, and `rad` is 0 only where the exact entry is 0 (and so is `mid`).
#[derive(Clone, Debug)]
pub(super) struct Enclosed<'a> {
    /// Borrowed for an input (no copy of `Γ_K`), owned otherwise.
    pub(super) mid: Cow<'a, LayerVector<f64>>,
    pub(super) rad: Vec<f64>,
}

impl<'a> Enclosed<'a> {
    /// An input vector: its exact value within [`F64_INPUT_RELATIVE`](crate::tolerance::F64_INPUT_RELATIVE).
    /// A zero entry has radius 0 ([`input_radius`]): the radii start as zeros (memory the
    /// system gives cleared) and only the nonzero entries' are written, which for a sparse
    /// input (the deepest representation) is a test per entry.
    pub(super) fn input(v: &'a LayerVector<f64>) -> Self {
        let bound = UpperBound::new(1);
        let mut rad = vec![0.0; v.entries().len()];
        for (r, x) in rad.iter_mut().zip(v.entries()) {
            if *x != 0.0 {
                *r = input_radius(*x, bound);
            }
        }
        Enclosed {
            rad,
            mid: Cow::Borrowed(v),
        }
    }

    pub(super) fn entry(&self, k: usize) -> Interval {
        Interval::around(self.mid.entries()[k], self.rad[k])
    }

    /// The sign of entry `k` when certain: `Some(0)` exactly zero, `Some(±1)`, or `None`.
    pub(super) fn sign(&self, k: usize) -> Option<i8> {
        Self::sign_of(self.mid.entries()[k], self.rad[k])
    }

    /// [`Enclosed::sign`] of an entry of midpoint `m` and radius `r`.
    pub(super) fn sign_of(m: f64, r: f64) -> Option<i8> {
        if r == 0.0 && m == 0.0 {
            Some(0)
        } else if m.abs() > r {
            Some(if m > 0.0 { 1 } else { -1 })
        } else {
            None
        }
    }

    /// Every midpoint and radius is finite: each block of them is tested without branches (a
    /// loop on vectors), and the test stops at the first block with one that is not.
    pub(super) fn finite(&self) -> bool {
        let finite = |values: &[f64]| {
            (values.chunks(FINITE_BLOCK))
                .all(|block| block.iter().fold(true, |all, x| all & x.is_finite()))
        };
        finite(self.mid.entries()) && finite(&self.rad)
    }

    /// `self − other`, bounded.
    pub(super) fn difference(&self, other: &Enclosed) -> Enclosed<'static> {
        let mid = self.mid.difference(&other.mid);
        let bound = UpperBound::new(4);
        let rad = mid
            .entries()
            .iter()
            .zip(self.rad.iter().zip(&other.rad))
            .map(|(d, (a, b))| {
                if *a == 0.0 && *b == 0.0 {
                    0.0
                } else {
                    bound.of(a + b + 2.0 * UNIT_ROUNDOFF * d.abs())
                }
            })
            .collect();
        Enclosed {
            mid: Cow::Owned(mid),
            rad,
        }
    }

    /// `self + other`, bounded.
    pub(super) fn sum(&self, other: &Enclosed) -> Enclosed<'static> {
        let mid = self.mid.sum(&other.mid);
        let bound = UpperBound::new(4);
        let rad = mid
            .entries()
            .iter()
            .zip(self.rad.iter().zip(&other.rad))
            .map(|(s, (a, b))| {
                if *a == 0.0 && *b == 0.0 {
                    0.0
                } else {
                    bound.of(a + b + 2.0 * UNIT_ROUNDOFF * s.abs())
                }
            })
            .collect();
        Enclosed {
            mid: Cow::Owned(mid),
            rad,
        }
    }
}

/// The radius of a product `D x` or `Dᵀ x` with `terms` products per entry, from the sums
/// `|D̂| w` computed by the fast kernels of [`crate::fast`]: 0 where no nonzero product reaches
/// the entry (it is then exactly zero), else the sum bounded above.
///
/// A positive computed sum has a positive product `|d̂| w`, so both factors are nonzero and the
/// entry is reached. Only where the computed sum is 0 (no product, or products below the
/// subnormal range) is reachability settled: by magnitudes when
/// [`products_stay_normal`](super::reachability::products_stay_normal)
/// (then a computed 0 is an unreached entry), else by counting `[d̂ ≠ 0]` against `[w > 0]`
/// through the same kernel, a sum of 0s and 1s that is exact. Both give the same radii.
///
/// `stay_normal` says whether `products_stay_normal` holds, and `counts` is the count
/// product; each is called only when needed.
fn radius(
    sums: &[f64],
    terms: usize,
    stay_normal: impl FnOnce() -> bool,
    counts: impl FnOnce() -> LayerVector<f64>,
) -> Vec<f64> {
    let bound = UpperBound::new(terms + 6);
    if sums.iter().all(|s| *s > 0.0) {
        // Every entry reached: bounded as it is copied.
        return sums.iter().map(|s| bound.of_positive(*s)).collect();
    }
    let mut radii = sums.to_vec();
    bound_sums(&mut radii, terms, stay_normal, || Some(counts()));
    radii
}

/// [`radius`] in place: each sum replaced by its radius. When the count product is needed
/// and `counts` gives none, the sums are left as they are and the answer is `false`.
pub(super) fn bound_sums(
    sums: &mut [f64],
    terms: usize,
    stay_normal: impl FnOnce() -> bool,
    counts: impl FnOnce() -> Option<LayerVector<f64>>,
) -> bool {
    let bound = UpperBound::new(terms + 6);
    // Where every sum is positive, bounding each positive sum is the same: the magnitudes are
    // asked first (cheap for sparse weights), so that one pass suffices either way.
    if stay_normal() {
        (sums.iter_mut()).for_each(|s| {
            let bounded = bound.of_positive(*s);
            *s = if *s > 0.0 { bounded } else { 0.0 };
        });
    } else if sums.iter().all(|s| *s > 0.0) {
        sums.iter_mut().for_each(|s| *s = bound.of_positive(*s));
    } else {
        let Some(counts) = counts() else {
            return false;
        };
        for (s, c) in sums.iter_mut().zip(counts.entries()) {
            *s = if *c > 0.0 { bound.of(*s) } else { 0.0 };
        }
    }
    true
}

/// The weights `(ρ + γ_k) |x̂| + (1 + ρ) r_x` of `x`'s entries, as a layer vector of its shape.
fn weight_vector(layer: &ScreenLayer, x: &Enclosed, k: usize) -> LayerVector<f64> {
    LayerVector::from_entries(x.mid.length(), x.mid.channels(), layer.weights(x, k))
        .expect("shape of x")
}

/// `D_i Γ_i`, bounded. The midpoint is the fast kernel's ([`crate::fast::synthesis`]), whose
/// order of summation (and fused multiply-adds) differ from the plain loop's: the radius
/// bounds its rounding by Higham's `γ_k Σ |terms|`, which holds in any order.
///
/// A `Γ_i` mostly zero (the deepest representation) is multiplied from its nonzero entries
/// alone, midpoint and weights ([`listed_midpoint`], [`listed_radius`]), with the
/// kernel's numbers bit for bit, when their conditions hold; else by the kernel.
pub(super) fn synthesize(layer: &ScreenLayer, x: &Enclosed) -> Enclosed<'static> {
    let f = &layer.filters;
    let k = f.filter_length() * f.filter_count();
    let sparse = sparse_shape(layer, x)
        .then(|| sparse_entries(x.mid.entries(), &x.rad, layer.weight_factors(k)))
        .flatten();
    synthesize_from(layer, x, sparse)
}

/// Whether `x` has the shape the sparse path reads: a line of `m_i` channels.
pub(super) fn sparse_shape(layer: &ScreenLayer, x: &Enclosed) -> bool {
    x.mid.is_line() && x.mid.channels() == layer.filters.filter_count()
}

/// [`synthesize`] with `sparse` the [`sparse_entries`] of `x` (or `None` where
/// [`sparse_shape`] fails) found beforehand.
pub(super) fn synthesize_from(
    layer: &ScreenLayer,
    x: &Enclosed,
    sparse: Option<SparseEntries>,
) -> Enclosed<'static> {
    let f = &layer.filters;
    let k = f.filter_length() * f.filter_count();
    let mid = listed_midpoint(layer, &x.mid, sparse.as_ref());
    let counts = |w: &LayerVector<f64>| {
        let reached = w.map(|w: &f64| if *w > 0.0 { 1.0 } else { 0.0 });
        fast::synthesis(&layer.support, &reached)
    };
    if let Some(nonzero) = sparse.map(|s| s.weights)
        && let Some(rad) = listed_radius(layer, x.mid.length(), &nonzero, || {
            Some(counts(&weight_vector(layer, x, k)))
        })
    {
        return Enclosed {
            mid: Cow::Owned(mid),
            rad,
        };
    }
    if let Some(rad) = filled_synthesis_radius(layer, x, k) {
        return Enclosed {
            mid: Cow::Owned(mid),
            rad,
        };
    }
    let (w, stay_normal) = weights_staying_normal(layer, x, k);
    let sums = fast::synthesis(&layer.absolute, &w);
    let rad = radius(sums.entries(), k, || stay_normal, || counts(&w));
    Enclosed {
        mid: Cow::Owned(mid),
        rad,
    }
}

/// `D_iᵀ Z`, bounded; the midpoint is the fast kernel's ([`crate::fast::analysis`]), its
/// rounding bounded in any order of summation as in [`synthesize`].
pub(super) fn analyze(layer: &ScreenLayer, z: &Enclosed) -> Enclosed<'static> {
    let f = &layer.filters;
    let k = f.filter_length() * f.input_channels();
    let mid = fast::analysis(f, &z.mid);
    let w = weight_vector(layer, z, k);
    let sums = fast::analysis(&layer.absolute, &w);
    let rad = radius(
        sums.entries(),
        k,
        || dense_products_stay_normal(layer, w.entries()),
        || {
            let reached = w.map(|w: &f64| if *w > 0.0 { 1.0 } else { 0.0 });
            fast::analysis(&layer.support, &reached)
        },
    );
    Enclosed {
        mid: Cow::Owned(mid),
        rad,
    }
}

/// The image of `z ∈ [zlo, zhi]` under `T_β` for every `β ∈ [βlo, βhi]`.
pub(super) fn threshold_interval(
    thresholding: Thresholding,
    z: Interval,
    beta: Interval,
) -> Interval {
    match thresholding {
        Thresholding::Soft => Interval {
            lo: if z.lo >= 0.0 {
                sub_down(z.lo, beta.hi).max(0.0)
            } else {
                add_down(z.lo, beta.lo).min(0.0)
            },
            hi: if z.hi > 0.0 {
                sub_up(z.hi, beta.lo).max(0.0)
            } else {
                add_up(z.hi, beta.hi).min(0.0)
            },
        },
        Thresholding::Nonnegative => Interval {
            lo: sub_down(z.lo, beta.hi).max(0.0),
            hi: sub_up(z.hi, beta.lo).max(0.0),
        },
        Thresholding::Hard => {
            if z.lo > beta.hi || z.hi < -beta.hi {
                z
            } else if z.hi <= beta.lo && z.lo >= -beta.lo {
                Interval::point(0.0)
            } else {
                Interval {
                    lo: z.lo.min(0.0),
                    hi: z.hi.max(0.0),
                }
            }
        }
    }
}

/// `T_β(z)`, bounded: the midpoint is the `f64` thresholding of the midpoint (the fast
/// kernels' [`crate::fast::threshold_in_place`], the same values as
/// [`Thresholding::apply_vector`]).
///
/// For `S_β` and `S⁺_β` two regions need no interval image: where `|z| + r ≤ β` for every `β`
/// of its interval the exact entry is 0 (radius 0, as the image gives); where the shrunk side
/// is certainly positive (`|z| − r > β`) the exact entry is `±(|z_e| − β_e)`, and the midpoint
/// `±fl(|ẑ| − β̂)` is within `r + r_β + 2u |m|` of it (1-Lipschitz in `z` and `β`, one rounding).
/// Elsewhere, and for `H_β`, the image of the interval is taken with directed rounding.
pub(super) fn threshold(
    thresholding: Thresholding,
    z: &Enclosed,
    beta_mid: f64,
    beta: Interval,
) -> Enclosed<'static> {
    let mut mid = z.mid.as_ref().clone();
    fast::threshold_in_place(mid.entries_mut(), thresholding, beta_mid);
    let beta_radius = sub_up(beta.hi, beta_mid).max(sub_up(beta_mid, beta.lo));
    let bound = UpperBound::new(3);
    let imaged = |k: usize, m: f64| {
        let image = threshold_interval(thresholding, z.entry(k), beta);
        if image.lo == 0.0 && image.hi == 0.0 && m == 0.0 {
            0.0
        } else {
            let r = sub_up(m, image.lo).max(sub_up(image.hi, m));
            if r > 0.0 { r } else { f64::MIN_POSITIVE }
        }
    };
    let rad = z
        .mid
        .entries()
        .iter()
        .zip(&z.rad)
        .zip(mid.entries())
        .enumerate()
        .map(|(k, ((&value, &r), &m))| {
            let magnitude = match thresholding {
                Thresholding::Soft => value.abs(),
                Thresholding::Nonnegative => value,
                Thresholding::Hard => return imaged(k, m),
            };
            if add_up(magnitude, r) <= beta.lo {
                0.0
            } else if sub_down(magnitude, r) > beta.hi {
                bound.of(r + beta_radius + 2.0 * UNIT_ROUNDOFF * m.abs())
            } else {
                imaged(k, m)
            }
        })
        .collect();
    Enclosed {
        mid: Cow::Owned(mid),
        rad,
    }
}
