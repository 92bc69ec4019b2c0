//! Theorem 2 in `f64` with rigorous error bounds: a verdict `holds`, `violated` or `vacuous` is
//! right whenever it is given, and a comparison that rounding could tip is `undecided`
//! (docs/math.md §8).
//!
//! # What is bounded
//!
//! The exact instance is the one the `f64` numbers stand for: every input within
//! [`F64_INPUT_RELATIVE`] of its `f64` (an instance file's rationals, or the `f64`
//! values themselves), with every filter **normalised** to unit norm. This needs every nonzero
//! input to have a normal, nonzero `f64` image, as the loader ensures
//! ([`crate::io::InstanceFile::to_f64`]); a subnormal input makes the verdict undecided, and an
//! image rounded to zero is read as zero. A filter whose computed
//! squared norm is not 1 up to rounding is divided by its computed norm; either way the
//! relative distance `ρ_i` between the filters used and the exact unit filters is bounded from
//! the computed norm (Higham's `γ_k` for the sum of squares, directed rounding for the rest).
//! So a filter of squared norm 1.000008 gets the verdict of its normalised twin or none.
//!
//! Every vector of the check (the chain `Γ_{i-1} = D_i Γ_i`, the signal, the correlations
//! `D_iᵀ Γ̂_{i-1}`, the estimates and the errors) is carried as a midpoint, computed exactly as
//! the plain `f64` path computes it, and a radius that bounds the distance to the exact vector
//! entry by entry. For a product `D x` with `k` terms per entry,
//!
//! ```text
//! |D x − fl(D̂ x̂)| ≤ |D̂| ((ρ + γ_k) |x̂| + (1 + ρ) r_x)
//! ```
//!
//! (the filters' error `ρ |D̂|`, the input's radius `r_x`, and Higham's bound `γ_k Σ |terms|`
//! on the rounding of the sum, in any order of summation), the bound itself evaluated with
//! [`f64_upper_bound`]. An entry has radius 0 only when it is exactly zero: every
//! product that reaches it has a zero factor. Thresholding is 1-Lipschitz in `z` and `β` for
//! `S_β` and `S⁺_β`, and its image of an interval is computed with directed rounding; for `H_β`
//! an entry whose `|z|` may lie on either side of `β` is enclosed by `0` and `z`. Coherences,
//! magnitudes, `ε_i` and the windows are intervals with outward rounding (`next_up`,
//! `next_down`, or the exact error of `TwoSum` and fused multiply-add to keep exact results
//! exact).
//!
//! # What is decided
//!
//! The exact support of each `Γ_i` and of each estimate is known where an entry's interval
//! excludes 0 or its radius is 0. A comparison is decided when the two intervals are disjoint
//! (for `≤`, when they touch at most at the decided end); otherwise it is open and named in the
//! verdict. A hypothesis certainly false gives `vacuous` whatever else is open.

use super::theorem2::{LayerReport, Statement, Theorem2Report, screen_out_of_range, tightness};
use crate::coherence::{filter_correlation, mutual_coherence};
use crate::enclosure::Decision;
use crate::fast;
use crate::instance::Instance;
use crate::model::{Layer, LayerVector};
use crate::norms::{patch_norm_squared, patch_sparsity, stripe_sparsity, worst_patch};
use crate::operators::{analysis, synthesis};
use crate::pursuit::Thresholding;
use crate::theorems::clause::Theorem2Clause;
use crate::theorems::verdict::{DecidedBy, FailedHypothesis, Verdict, Witness};
use crate::tolerance::{
    F64_INPUT_RELATIVE, UNIT_ROUNDOFF, f64_lower_bound, f64_upper_bound, higham_gamma, next_down,
    next_up,
};

// ---------------------------------------------------------------------------------------------
// Directed rounding.

/// The exact error `a + b − fl(a + b)` (Knuth's TwoSum), for finite operands and sum.
fn two_sum_error(a: f64, b: f64, s: f64) -> f64 {
    let bb = s - a;
    (a - (s - bb)) + (b - bb)
}

/// A lower bound on `a + b`.
pub fn add_down(a: f64, b: f64) -> f64 {
    let s = a + b;
    if !s.is_finite() {
        return if s == f64::INFINITY && a.is_finite() && b.is_finite() {
            f64::MAX
        } else {
            s
        };
    }
    if two_sum_error(a, b, s) < 0.0 {
        next_down(s)
    } else {
        s
    }
}

/// An upper bound on `a + b`.
pub fn add_up(a: f64, b: f64) -> f64 {
    -add_down(-a, -b)
}

/// A lower bound on `a − b`.
pub fn sub_down(a: f64, b: f64) -> f64 {
    add_down(a, -b)
}

/// An upper bound on `a − b`.
pub fn sub_up(a: f64, b: f64) -> f64 {
    add_up(a, -b)
}

/// A lower bound on `a · b`.
pub fn mul_down(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        return 0.0;
    }
    let p = a * b;
    if !p.is_finite() {
        return if p == f64::INFINITY && a.is_finite() && b.is_finite() {
            f64::MAX
        } else {
            p
        };
    }
    if p.abs() < f64::MIN_POSITIVE {
        // Below the normal range the error of the product may not be representable.
        return next_down(p);
    }
    if a.mul_add(b, -p) < 0.0 {
        next_down(p)
    } else {
        p
    }
}

/// An upper bound on `a · b`.
pub fn mul_up(a: f64, b: f64) -> f64 {
    -mul_down(-a, b)
}

/// A lower bound on `sqrt(x)` for `x ≥ 0` (0 below zero).
fn sqrt_down(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let r = x.sqrt();
    if x < 4.0 * f64::MIN_POSITIVE || !r.is_finite() {
        return next_down(r).max(0.0);
    }
    if r.mul_add(r, -x) > 0.0 {
        next_down(r)
    } else {
        r
    }
}

/// An upper bound on `sqrt(x)` for `x ≥ 0`.
fn sqrt_up(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let r = x.sqrt();
    if x < 4.0 * f64::MIN_POSITIVE || !r.is_finite() {
        return next_up(r);
    }
    if r.mul_add(r, -x) < 0.0 {
        next_up(r)
    } else {
        r
    }
}

/// A lower bound on `a / b` for `b > 0`.
fn div_down(a: f64, b: f64) -> f64 {
    let q = a / b;
    if !q.is_finite() || q.abs() < f64::MIN_POSITIVE * 4.0 {
        return next_down(q);
    }
    // a − q b exactly: negative when q is above a / b.
    if (-q).mul_add(b, a) < 0.0 {
        next_down(q)
    } else {
        q
    }
}

/// An upper bound on `a / b` for `b > 0`.
fn div_up(a: f64, b: f64) -> f64 {
    -div_down(-a, b)
}

/// The smallest of the values, or NaN if one is NaN (`f64::min` would drop it).
fn nan_min(values: &[f64]) -> f64 {
    values.iter().fold(f64::INFINITY, |acc, &v| {
        if v.is_nan() || acc.is_nan() {
            f64::NAN
        } else {
            acc.min(v)
        }
    })
}

/// The largest of the values, or NaN if one is NaN.
fn nan_max(values: &[f64]) -> f64 {
    values.iter().fold(f64::NEG_INFINITY, |acc, &v| {
        if v.is_nan() || acc.is_nan() {
            f64::NAN
        } else {
            acc.max(v)
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Intervals.

/// A closed interval `[lo, hi]` with `f64` ends that certainly contains a real quantity; every
/// operation rounds its ends outward. A NaN end makes every comparison undecided.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Interval {
    /// `[x, x]`.
    pub fn point(x: f64) -> Self {
        Interval { lo: x, hi: x }
    }

    /// `[mid − rad, mid + rad]`, rounded outward.
    pub fn around(mid: f64, rad: f64) -> Self {
        if rad == 0.0 {
            Interval::point(mid)
        } else {
            Interval {
                lo: sub_down(mid, rad),
                hi: add_up(mid, rad),
            }
        }
    }

    /// `sqrt(self)` (the part at or above zero).
    pub fn sqrt(self) -> Self {
        Interval {
            lo: sqrt_down(self.lo),
            hi: sqrt_up(self.hi),
        }
    }

    /// The square of a nonnegative interval.
    fn square(self) -> Self {
        self * self
    }

    /// `self < other`: certainly, certainly not, or open.
    pub fn less_than(self, other: Self) -> Decision {
        if self.hi < other.lo {
            Decision::True
        } else if self.lo >= other.hi {
            Decision::False
        } else {
            Decision::Undecided
        }
    }

    /// `self ≤ other`.
    pub fn less_or_equal(self, other: Self) -> Decision {
        if self.hi <= other.lo {
            Decision::True
        } else if self.lo > other.hi {
            Decision::False
        } else {
            Decision::Undecided
        }
    }

    fn text(self) -> String {
        if self.lo == self.hi {
            format!("{:e}", self.lo)
        } else {
            format!("[{:e}, {:e}]", self.lo, self.hi)
        }
    }
}

impl std::ops::Add for Interval {
    type Output = Interval;

    /// `self + other`, rounded outward.
    fn add(self, other: Self) -> Self {
        Interval {
            lo: add_down(self.lo, other.lo),
            hi: add_up(self.hi, other.hi),
        }
    }
}

impl std::ops::Sub for Interval {
    type Output = Interval;

    /// `self − other`, rounded outward.
    fn sub(self, other: Self) -> Self {
        Interval {
            lo: sub_down(self.lo, other.hi),
            hi: sub_up(self.hi, other.lo),
        }
    }
}

impl std::ops::Mul for Interval {
    type Output = Interval;

    /// `self · other` for any signs, rounded outward.
    fn mul(self, other: Self) -> Self {
        let pairs = [
            (self.lo, other.lo),
            (self.lo, other.hi),
            (self.hi, other.lo),
            (self.hi, other.hi),
        ];
        Interval {
            lo: nan_min(&pairs.map(|(a, b)| mul_down(a, b))),
            hi: nan_max(&pairs.map(|(a, b)| mul_up(a, b))),
        }
    }
}

/// The exact value of an `f64` input is within [`F64_INPUT_RELATIVE`] of it.
fn input(x: f64) -> Interval {
    Interval::around(x, input_radius(x))
}

fn input_radius(x: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        f64_upper_bound(x.abs() * F64_INPUT_RELATIVE, 1)
    }
}

fn integer(n: usize) -> Interval {
    // Counts are far below 2^53, so exact.
    Interval::point(n as f64)
}

// ---------------------------------------------------------------------------------------------
// Filters and vectors.

/// A layer's filters as used (normalised where the computed norm is not 1 up to rounding), with
/// the relative bound `ρ`: `|g − ĝ| ≤ ρ |ĝ|` tap by tap against the exact unit filters `g`.
struct ScreenLayer {
    filters: Layer<f64>,
    /// `|ĝ|`, tap by tap.
    absolute: Layer<f64>,
    /// `[ĝ ≠ 0]`, tap by tap.
    support: Layer<f64>,
    rho: f64,
}

impl ScreenLayer {
    fn new(layer: &Layer<f64>, number: usize) -> Self {
        let k = layer.filter_length() * layer.input_channels();
        let one_minus = 1.0 - F64_INPUT_RELATIVE;
        let one_plus = 1.0 + F64_INPUT_RELATIVE;
        let mut rho: f64 = 0.0;
        let mut normalised = false;

        let mut nested = layer.nested_filters();
        for (c, filter) in nested.iter_mut().enumerate() {
            let sigma: f64 = layer.filter(c).iter().map(|x| x * x).sum();
            // ‖f̂‖² within the bound of a sum of k squares; ‖f‖ within 4u of ‖f̂‖.
            let norm_squared = Interval {
                lo: f64_lower_bound(sigma, 2 * k),
                hi: f64_upper_bound(sigma, 2 * k),
            };
            let root = norm_squared.sqrt();
            let norm = Interval {
                lo: mul_down(root.lo, one_minus),
                hi: mul_up(root.hi, one_plus),
            };
            let unit_up_to_rounding = norm_squared.lo <= 1.0 && 1.0 <= norm_squared.hi;
            let scale = 1.0 / sigma.sqrt();
            let scaled: Vec<f64> = layer.filter(c).iter().map(|x| x * scale).collect();
            let representable = scaled.iter().all(|x| *x == 0.0 || x.is_normal());
            // g_t / ĝ_t = (1 + δ_t) / (κ (1 + δ') ‖f‖), |δ_t| ≤ 4u, |δ'| ≤ u (the product) or 0.
            let (kappa, product_error) =
                if unit_up_to_rounding || !representable || !scale.is_normal() {
                    (1.0, 0.0)
                } else {
                    normalised = true;
                    for (tap, value) in filter.iter_mut().flatten().zip(&scaled) {
                        *tap = *value;
                    }
                    (scale, UNIT_ROUNDOFF)
                };
            let denominator = Interval {
                lo: mul_down(mul_down(kappa, 1.0 - product_error), norm.lo),
                hi: mul_up(mul_up(kappa, 1.0 + product_error), norm.hi),
            };
            let ratio_lo = div_down(one_minus, denominator.hi);
            let ratio_hi = div_up(one_plus, denominator.lo);
            let filter_rho = sub_up(1.0, ratio_lo).max(sub_up(ratio_hi, 1.0)).max(0.0);
            rho = rho.max(if filter_rho.is_nan() {
                f64::INFINITY
            } else {
                filter_rho
            });
        }
        let filters = if normalised {
            Layer::new_unchecked_norm(number, nested).expect("same shapes as a valid layer")
        } else {
            layer.clone()
        };
        let absolute = filters.map(|x: &f64| x.abs());
        let support = filters.map(|x: &f64| if *x != 0.0 { 1.0 } else { 0.0 });
        ScreenLayer {
            filters,
            absolute,
            support,
            rho,
        }
    }

    fn tap_absolute(&self, c: usize, t: usize, k: usize) -> f64 {
        *self.absolute.tap(c, t, k)
    }

    /// `(ρ + γ_k) |x̂| + (1 + ρ) r_x`, the weight of each input entry in the radius of a
    /// product with `k` terms per entry.
    fn weights(&self, x: &Enclosed, k: usize) -> Vec<f64> {
        let a = add_up(self.rho, next_up(higham_gamma(k)));
        let b = add_up(1.0, self.rho);
        x.mid
            .entries()
            .iter()
            .zip(&x.rad)
            .map(|(m, r)| a * m.abs() + b * r)
            .collect()
    }
}

/// A layer vector known within a bound: the exact vector lies within `rad` of `mid` entry by
/// entry, and `rad` is 0 only where the exact entry is 0 (and so is `mid`).
#[derive(Clone, Debug)]
struct Enclosed {
    mid: LayerVector<f64>,
    rad: Vec<f64>,
}

impl Enclosed {
    /// An input vector: its exact value within [`F64_INPUT_RELATIVE`].
    fn input(v: &LayerVector<f64>) -> Self {
        Enclosed {
            rad: v.entries().iter().map(|x| input_radius(*x)).collect(),
            mid: v.clone(),
        }
    }

    fn entry(&self, k: usize) -> Interval {
        Interval::around(self.mid.entries()[k], self.rad[k])
    }

    /// The sign of entry `k` when certain: `Some(0)` exactly zero, `Some(±1)`, or `None`.
    fn sign(&self, k: usize) -> Option<i8> {
        let (m, r) = (self.mid.entries()[k], self.rad[k]);
        if r == 0.0 && m == 0.0 {
            Some(0)
        } else if m.abs() > r {
            Some(if m > 0.0 { 1 } else { -1 })
        } else {
            None
        }
    }

    fn finite(&self) -> bool {
        self.mid.entries().iter().all(|x| x.is_finite()) && self.rad.iter().all(|x| x.is_finite())
    }

    /// `self − other`, bounded.
    fn difference(&self, other: &Enclosed) -> Enclosed {
        let mid = self.mid.difference(&other.mid);
        let rad = mid
            .entries()
            .iter()
            .zip(self.rad.iter().zip(&other.rad))
            .map(|(d, (a, b))| {
                if *a == 0.0 && *b == 0.0 {
                    0.0
                } else {
                    f64_upper_bound(a + b + 2.0 * UNIT_ROUNDOFF * d.abs(), 4)
                }
            })
            .collect();
        Enclosed { mid, rad }
    }

    /// `self + other`, bounded.
    fn sum(&self, other: &Enclosed) -> Enclosed {
        let mid = self.mid.sum(&other.mid);
        let rad = mid
            .entries()
            .iter()
            .zip(self.rad.iter().zip(&other.rad))
            .map(|(s, (a, b))| {
                if *a == 0.0 && *b == 0.0 {
                    0.0
                } else {
                    f64_upper_bound(a + b + 2.0 * UNIT_ROUNDOFF * s.abs(), 4)
                }
            })
            .collect();
        Enclosed { mid, rad }
    }
}

/// The radius of a product `D x` or `Dᵀ x` from the sums `|D̂| w` and the counts of the nonzero
/// products reaching each entry (both computed by the fast kernels of [`crate::fast`]): 0 where
/// no nonzero product reaches the entry (it is exactly zero), else the sum bounded above.
fn radius(sums: &LayerVector<f64>, counts: &LayerVector<f64>, terms: usize) -> Vec<f64> {
    sums.entries()
        .iter()
        .zip(counts.entries())
        .map(|(s, c)| {
            if *c > 0.0 {
                f64_upper_bound(*s, terms + 6)
            } else {
                0.0
            }
        })
        .collect()
}

/// The weights `w` and their indicator `[w > 0]` as layer vectors of `x`'s shape.
fn weight_vectors(
    layer: &ScreenLayer,
    x: &Enclosed,
    k: usize,
) -> (LayerVector<f64>, LayerVector<f64>) {
    let (length, channels) = (x.mid.length(), x.mid.channels());
    let w = layer.weights(x, k);
    let indicator = w.iter().map(|v| if *v > 0.0 { 1.0 } else { 0.0 }).collect();
    (
        LayerVector::from_entries(length, channels, w).expect("shape of x"),
        LayerVector::from_entries(length, channels, indicator).expect("shape of x"),
    )
}

/// `D_i Γ_i`, bounded.
fn synthesize(layer: &ScreenLayer, x: &Enclosed) -> Enclosed {
    let f = &layer.filters;
    let k = f.filter_length() * f.filter_count();
    let mid = synthesis(f, &x.mid);
    let (w, reached) = weight_vectors(layer, x, k);
    let sums = fast::synthesis(&layer.absolute, &w);
    let counts = fast::synthesis(&layer.support, &reached);
    let rad = radius(&sums, &counts, k);
    Enclosed { mid, rad }
}

/// `D_iᵀ Z`, bounded.
fn analyze(layer: &ScreenLayer, z: &Enclosed) -> Enclosed {
    let f = &layer.filters;
    let k = f.filter_length() * f.input_channels();
    let mid = analysis(f, &z.mid);
    let (w, reached) = weight_vectors(layer, z, k);
    let sums = fast::analysis(&layer.absolute, &w);
    let counts = fast::analysis(&layer.support, &reached);
    let rad = radius(&sums, &counts, k);
    Enclosed { mid, rad }
}

/// The image of `z ∈ [zlo, zhi]` under `T_β` for every `β ∈ [βlo, βhi]`.
fn threshold_interval(thresholding: Thresholding, z: Interval, beta: Interval) -> Interval {
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

/// `T_β(z)`, bounded: the midpoint is the plain `f64` thresholding of the midpoint.
fn threshold(thresholding: Thresholding, z: &Enclosed, beta_mid: f64, beta: Interval) -> Enclosed {
    let mid = thresholding.apply_vector(&z.mid, &beta_mid);
    let rad = (0..z.rad.len())
        .map(|k| {
            let image = threshold_interval(thresholding, z.entry(k), beta);
            let m = mid.entries()[k];
            if image.lo == 0.0 && image.hi == 0.0 && m == 0.0 {
                0.0
            } else {
                let r = sub_up(m, image.lo).max(sub_up(image.hi, m));
                if r > 0.0 { r } else { f64::MIN_POSITIVE }
            }
        })
        .collect();
    Enclosed { mid, rad }
}

/// The largest energy of a patch of `width` positions, enclosed: per-position energies bounded
/// below and above, then sliding sums whose rounding error is tracked step by step.
fn patch_energy(v: &Enclosed, width: usize) -> Interval {
    let length = v.mid.length();
    let channels = v.mid.channels();
    if width == 0 || length == 0 {
        return Interval::point(0.0);
    }
    let width = width.min(length);
    let mut low = Vec::with_capacity(length);
    let mut high = Vec::with_capacity(length);
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
        low.push(f64_lower_bound(lo, 2 * channels + 1));
        high.push(if nonzero {
            f64_upper_bound(hi, 2 * channels + 1)
        } else {
            0.0
        });
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
fn window_maximum(values: &[f64], width: usize, upper: bool) -> f64 {
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
    for p in 1..length {
        let entering = values[(p + width - 1) % length];
        let leaving = values[p - 1];
        let magnitude = sum.abs() + entering + leaving;
        sum = sum + entering - leaving;
        if magnitude > 0.0 {
            error = f64_upper_bound(error + 4.0 * UNIT_ROUNDOFF * magnitude, 3);
        }
        best = nan_max(&[best, bound(sum, error)]);
    }
    best
}

/// `‖V‖_∞`, enclosed.
fn max_abs(v: &Enclosed) -> Interval {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for (m, r) in v.mid.entries().iter().zip(&v.rad) {
        let m = m.abs();
        lo = nan_max(&[lo, sub_down(m, *r).max(0.0)]);
        hi = nan_max(&[hi, add_up(m, *r)]);
    }
    Interval { lo, hi }
}

/// `μ(D_i)` of the exact unit filters, enclosed.
fn coherence(layer: &ScreenLayer) -> Interval {
    let f = &layer.filters;
    let (n, m, m_prev) = (f.filter_length(), f.filter_count(), f.input_channels());
    let k = n * m_prev;
    let rho = layer.rho;
    let factor = add_up(
        add_up(2.0 * rho, mul_up(rho, rho)),
        next_up(higham_gamma(k)),
    );
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for shift in 0..n {
        for a in 0..m {
            for b in 0..m {
                if shift == 0 && a >= b {
                    continue;
                }
                let value = filter_correlation(f, a, b, shift).abs();
                let mut absolute = 0.0;
                let mut reached = false;
                for t in 0..n - shift {
                    for c in 0..m_prev {
                        let x = layer.tap_absolute(a, t, c) * layer.tap_absolute(b, t + shift, c);
                        reached |= layer.tap_absolute(a, t, c) != 0.0
                            && layer.tap_absolute(b, t + shift, c) != 0.0;
                        absolute += x;
                    }
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
    Interval { lo, hi }
}

// ---------------------------------------------------------------------------------------------
// The check.

/// The first comparison left open, with its layer, and whether a hypothesis is among the open
/// comparisons (a certain violation is a counterexample only when every hypothesis certainly
/// holds).
#[derive(Default)]
struct Open(Option<(usize, String)>, bool);

impl Open {
    fn note(&mut self, layer: usize, what: impl FnOnce() -> String) {
        if self.0.is_none() {
            self.0 = Some((layer, what()));
        }
    }

    /// As [`Open::note`], for a hypothesis.
    fn note_hypothesis(&mut self, layer: usize, what: impl FnOnce() -> String) {
        self.1 = true;
        self.note(layer, what);
    }

    /// As [`Open::compare`], for a hypothesis.
    fn hypothesis(
        &mut self,
        decision: Decision,
        layer: usize,
        what: impl FnOnce() -> String,
        left: Interval,
        right: Interval,
    ) -> Decision {
        self.1 |= decision == Decision::Undecided;
        self.compare(decision, layer, what, left, right)
    }

    /// Records an open comparison `left ⋚ right` named `what`.
    fn compare(
        &mut self,
        decision: Decision,
        layer: usize,
        what: impl FnOnce() -> String,
        left: Interval,
        right: Interval,
    ) -> Decision {
        if decision == Decision::Undecided {
            self.note(layer, || {
                format!(
                    "{}: not decided in f64 (53-bit arithmetic with rigorous rounding-error bounds): {} against {}",
                    what(),
                    left.text(),
                    right.text()
                )
            });
        }
        decision
    }
}

/// The quantities of one layer's representation, when its support is certain.
struct Support {
    stripe_sparsity: usize,
    patch_sparsity: usize,
    gamma_min: Interval,
    gamma_max: Interval,
}

/// The support of `Γ_i` and its magnitudes, or the first entry whose support is uncertain.
fn certain_support(
    gamma: &Enclosed,
    filter_length: usize,
    patch_width: usize,
) -> Result<Option<Support>, (usize, usize, f64, f64)> {
    let channels = gamma.mid.channels();
    let mut range: Option<(Interval, Interval)> = None;
    for k in 0..gamma.rad.len() {
        match gamma.sign(k) {
            None => {
                return Err((
                    k / channels,
                    k % channels,
                    gamma.mid.entries()[k],
                    gamma.rad[k],
                ));
            }
            Some(0) => {}
            Some(_) => {
                let value = gamma.entry(k);
                let magnitude = if value.lo > 0.0 {
                    value
                } else {
                    Interval {
                        lo: -value.hi,
                        hi: -value.lo,
                    }
                };
                range = Some(match range {
                    None => (magnitude, magnitude),
                    Some((small, large)) => (
                        Interval {
                            lo: small.lo.min(magnitude.lo),
                            hi: small.hi.min(magnitude.hi),
                        },
                        Interval {
                            lo: large.lo.max(magnitude.lo),
                            hi: large.hi.max(magnitude.hi),
                        },
                    ),
                });
            }
        }
    }
    // Where the support is certain, the midpoint's nonzeros are exactly the support.
    Ok(range.map(|(gamma_min, gamma_max)| Support {
        stripe_sparsity: stripe_sparsity(&gamma.mid, filter_length),
        patch_sparsity: patch_sparsity(&gamma.mid, patch_width),
        gamma_min,
        gamma_max,
    }))
}

/// Conclusion 1 at one layer: `True` when every entry certainly has the sign of `Γ_i`, `False`
/// with the first entry certainly not, and otherwise open with the first uncertain entry.
fn support_conclusion(
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

/// Checks a form of Theorem 2 on an `f64` instance with rigorous rounding-error bounds (module
/// documentation). The report's numbers are the plain `f64` values; its verdict is right
/// whenever it is `holds`, `violated` or `vacuous`.
pub fn check_theorem2_f64(instance: &Instance<f64>, statement: Statement) -> Theorem2Report {
    let mut report = evaluate(instance, statement);
    if let Some((layer, reason)) =
        subnormal_input(instance).or_else(|| screen_out_of_range(&report))
    {
        report.verdict = Verdict::Undecided {
            layer,
            comparison: format!(
                "the f64 screen cannot decide here: {reason}; decide it in exact arithmetic"
            ),
        };
    }
    report
}

/// The first nonzero input below the normal range of `f64`, with its layer (0 for `Γ_K`, the
/// noise and the budget): there an `f64` need not be within [`F64_INPUT_RELATIVE`] of the
/// number it stands for, which every bound of this module assumes.
fn subnormal_input(instance: &Instance<f64>) -> Option<(usize, String)> {
    let subnormal = |x: &f64| *x != 0.0 && !x.is_normal();
    for (index, layer) in instance.model.layers().iter().enumerate() {
        if let Some(x) = layer.taps().iter().find(|x| subnormal(x)) {
            return Some((index + 1, format!("a filter tap {x:e} is subnormal")));
        }
        if subnormal(&instance.thresholds[index]) {
            return Some((index + 1, "the threshold is subnormal".into()));
        }
    }
    let vectors = [
        ("Γ_K", instance.deepest_representation.entries()),
        ("E", instance.noise.entries()),
    ];
    for (name, entries) in vectors {
        if let Some(x) = entries.iter().find(|x| subnormal(x)) {
            return Some((0, format!("an entry {x:e} of {name} is subnormal")));
        }
    }
    instance
        .noise_budget
        .filter(subnormal)
        .map(|x| (0, format!("the noise budget {x:e} is subnormal")))
}

fn evaluate(instance: &Instance<f64>, statement: Statement) -> Theorem2Report {
    let depth = instance.model.depth();
    let layers: Vec<ScreenLayer> = instance
        .model
        .layers()
        .iter()
        .enumerate()
        .map(|(index, l)| ScreenLayer::new(l, index + 1))
        .collect();
    let hard = instance.thresholding == Thresholding::Hard;
    let mut open = Open::default();
    let mut failed: Option<FailedHypothesis> = None;
    let mut violation: Option<Witness> = None;

    // The chain Γ_K, …, Γ_0, the signal and the estimates.
    let mut chain = vec![Enclosed::input(&instance.deepest_representation)];
    for i in (1..=depth).rev() {
        let next = synthesize(&layers[i - 1], chain.last().expect("nonempty"));
        chain.push(next);
    }
    chain.reverse();
    let noise = Enclosed::input(&instance.noise);
    let signal = chain[0].sum(&noise);
    let thresholds: Vec<Interval> = instance.thresholds.iter().map(|b| input(*b)).collect();
    let mut estimates = Vec::with_capacity(depth);
    for i in 1..=depth {
        let correlations = analyze(&layers[i - 1], estimates.last().unwrap_or(&signal));
        estimates.push(threshold(
            instance.thresholding,
            &correlations,
            instance.thresholds[i - 1],
            thresholds[i - 1],
        ));
    }
    let finite = chain.iter().chain(&estimates).all(Enclosed::finite) && signal.finite();

    // ε_0: the declared budget, or the noise's patch norm at width n_1.
    let n1 = instance.model.layer(1).filter_length();
    let noise_energy = patch_energy(&noise, n1);
    let noise_energy_mid = patch_norm_squared(&instance.noise, n1);
    let (epsilon_0, epsilon_0_mid) = match instance.noise_budget {
        Some(budget) => {
            let budget_interval = input(budget);
            let squared = budget_interval.square();
            let decision = open.hypothesis(
                noise_energy.less_or_equal(squared),
                0,
                || "the noise budget: (‖E‖^P_2,∞)² ≤ ε_0²".into(),
                noise_energy,
                squared,
            );
            if decision == Decision::False {
                failed = Some(FailedHypothesis {
                    layer: 0,
                    hypothesis: Theorem2Clause::NoiseBudget.into(),
                    detail: format!(
                        "(‖E‖^P_2,∞)² = {} exceeds the declared budget squared {}",
                        noise_energy.text(),
                        squared.text()
                    ),
                    shortfall: (noise_energy_mid.sqrt() - budget).max(0.0),
                });
            }
            (budget_interval, budget)
        }
        None => (noise_energy.sqrt(), noise_energy_mid.sqrt()),
    };
    // Structural hypotheses first, for every layer: a nonzero Γ_i (and Γ_i ≥ 0 for ReLU).
    for (i, gamma) in chain.iter().enumerate().skip(1) {
        if failed.is_some() {
            break;
        }
        let signs: Vec<Option<i8>> = (0..gamma.rad.len()).map(|k| gamma.sign(k)).collect();
        if signs.iter().all(|s| *s == Some(0)) {
            failed = Some(FailedHypothesis {
                layer: i,
                hypothesis: Theorem2Clause::NonzeroRepresentation.into(),
                detail: "Γ_i is all zero, so |Γ_i^min| and |Γ_i^max| are undefined".into(),
                shortfall: 0.0,
            });
        } else if instance.thresholding == Thresholding::Nonnegative {
            if let Some(k) = signs.iter().position(|s| *s == Some(-1)) {
                let value = gamma.mid.entries()[k];
                failed = Some(FailedHypothesis {
                    layer: i,
                    hypothesis: Theorem2Clause::NonnegativeRepresentation.into(),
                    detail: format!(
                        "the ReLU variant needs Γ_i ≥ 0; Γ_i has the entry {}",
                        gamma.entry(k).text()
                    ),
                    shortfall: -value,
                });
            } else if let Some(k) = signs.iter().position(|s| s.is_none()) {
                open.note_hypothesis(i, || {
                    format!(
                        "the sign of Γ_{i} at entry {k}: {} is not certainly ≥ 0 within the f64 error bound",
                        gamma.entry(k).text()
                    )
                });
            }
        }
    }

    let mut reports = Vec::with_capacity(depth);
    let mut epsilon_previous = epsilon_0;
    let mut epsilon_previous_mid = epsilon_0_mid;
    let mut chain_open = false;
    for i in 1..=depth {
        let layer = &layers[i - 1];
        let filter_length = layer.filters.filter_length();
        let patch_width = if i < depth {
            instance.model.layer(i + 1).filter_length()
        } else {
            instance.last_patch_width
        };
        let truth = &chain[i];
        let estimate = &estimates[i - 1];
        let beta_mid = instance.thresholds[i - 1];
        let beta = thresholds[i - 1];
        let error = truth.difference(estimate);
        let mu = coherence(layer);
        let mu_mid = mutual_coherence(&layer.filters);

        // The plain f64 numbers of the report.
        let s_mid = stripe_sparsity(&truth.mid, filter_length);
        let p_mid = patch_sparsity(&truth.mid, patch_width);
        let (gamma_min_mid, gamma_max_mid) =
            truth.mid.support_magnitude_range().unwrap_or((0.0, 0.0));
        let mu_gamma_max_mid = mu_mid * gamma_max_mid;
        let upper_reference_mid = if statement.contrast_term {
            gamma_min_mid
        } else {
            gamma_max_mid
        };
        let interference_mid = (s_mid as f64 - 1.0) * mu_gamma_max_mid;
        let low_mid = epsilon_previous_mid + s_mid as f64 * mu_gamma_max_mid;
        let high_mid = upper_reference_mid - interference_mid - epsilon_previous_mid;
        let exact_part_mid = interference_mid + if hard { 0.0 } else { beta_mid };
        let entrywise_mid = epsilon_previous_mid + exact_part_mid;
        let epsilon_mid = if statement.patch_sparsity_factor {
            (p_mid as f64).sqrt() * entrywise_mid
        } else {
            entrywise_mid
        };
        let error_patch_norm = patch_norm_squared(&error.mid, patch_width).sqrt();
        let error_max_mid = error.mid.max_abs();

        // The bounded comparisons.
        let support = match certain_support(truth, filter_length, patch_width) {
            Ok(support) => support,
            Err((position, channel, m, r)) => {
                if !chain_open {
                    open.note_hypothesis(i, || {
                        format!(
                            "the support of Γ_{i}: the entry at position {position}, channel {channel} is {m:e} ± {r:e}, zero or not within the f64 error bound"
                        )
                    });
                }
                None
            }
        };
        let mut hypothesis_a = Decision::Undecided;
        let mut hypothesis_b = Decision::Undecided;
        let mut epsilon = Interval {
            lo: 0.0,
            hi: f64::INFINITY,
        };
        match (&support, chain_open) {
            (Some(q), false) => {
                let s = integer(q.stripe_sparsity);
                let mu_gamma_max = mu * q.gamma_max;
                let upper_reference = if statement.contrast_term {
                    q.gamma_min
                } else {
                    q.gamma_max
                };
                let interference = integer(q.stripe_sparsity.saturating_sub(1)) * mu_gamma_max;
                let low_offset = s * mu_gamma_max;
                let high_offset = upper_reference - interference;
                let window_low = epsilon_previous + low_offset;
                let window_high = high_offset - epsilon_previous;
                let a_right = upper_reference - integer(2 * q.stripe_sparsity - 1) * mu_gamma_max;
                let doubled = integer(2) * epsilon_previous;
                let previous = i - 1;
                hypothesis_a = open.hypothesis(
                    doubled.less_than(a_right),
                    i,
                    || format!("hypothesis (a) at layer {i}: 2 ε_{previous} < |Γ^min| − (2s − 1) μ |Γ^max|"),
                    doubled,
                    a_right,
                );
                hypothesis_b = if statement.threshold_window {
                    let below = open.hypothesis(
                        window_low.less_than(beta),
                        i,
                        || {
                            format!(
                                "hypothesis (b) at layer {i}: s μ |Γ^max| + ε_{previous} < β_{i}"
                            )
                        },
                        window_low,
                        beta,
                    );
                    let above = open.hypothesis(
                        beta.less_than(window_high),
                        i,
                        || format!("hypothesis (b) at layer {i}: β_{i} < |Γ^min| − (s − 1) μ |Γ^max| − ε_{previous}"),
                        beta,
                        window_high,
                    );
                    below.and(above)
                } else {
                    Decision::True
                };
                for (decision, name) in [(hypothesis_a, "a"), (hypothesis_b, "b")] {
                    if decision == Decision::False && failed.is_none() {
                        failed = Some(if name == "a" {
                            FailedHypothesis {
                                layer: i,
                                hypothesis: Theorem2Clause::A.into(),
                                detail: format!(
                                    "2 ε_(i-1) = {} is not below |Γ^min| − (2s − 1) μ |Γ^max| = {} (s = {}, μ = {}, |Γ^min| = {}, |Γ^max| = {}; f64 with rounding-error bounds)",
                                    doubled.text(),
                                    a_right.text(),
                                    q.stripe_sparsity,
                                    mu.text(),
                                    q.gamma_min.text(),
                                    q.gamma_max.text()
                                ),
                                shortfall: (2.0 * epsilon_previous_mid
                                    - (upper_reference_mid
                                        - (2.0 * s_mid as f64 - 1.0) * mu_gamma_max_mid))
                                    .max(0.0),
                            }
                        } else {
                            FailedHypothesis {
                                layer: i,
                                hypothesis: Theorem2Clause::B.into(),
                                detail: format!(
                                    "β = {} is not strictly inside the window ({}, {}) (f64 with rounding-error bounds)",
                                    beta.text(),
                                    window_low.text(),
                                    window_high.text()
                                ),
                                shortfall: (low_mid - beta_mid).max(beta_mid - high_mid).max(0.0),
                            }
                        });
                    }
                }
                let exact_part = if hard {
                    interference
                } else {
                    interference + beta
                };
                let entrywise_bound = epsilon_previous + exact_part;
                epsilon = if statement.patch_sparsity_factor {
                    integer(q.patch_sparsity).sqrt() * entrywise_bound
                } else {
                    entrywise_bound
                };
                // Conclusions 3 and 2.
                let error_max = max_abs(&error);
                let entrywise_ok = open.compare(
                    error_max.less_or_equal(entrywise_bound),
                    i,
                    || format!("conclusion 3 at layer {i}: ‖Γ_{i} − Γ̂_{i}‖_∞ ≤ ε_{previous} + μ (s − 1) |Γ^max| + β_{i}"),
                    error_max,
                    entrywise_bound,
                );
                let patch = patch_energy(&error, patch_width);
                let epsilon_squared = if statement.patch_sparsity_factor {
                    integer(q.patch_sparsity) * entrywise_bound.square()
                } else {
                    entrywise_bound.square()
                };
                let patch_ok = open.compare(
                    patch.less_or_equal(epsilon_squared),
                    i,
                    || format!("conclusion 2 at layer {i}: (‖Γ_{i} − Γ̂_{i}‖^P_2,∞)² ≤ ε_{i}²"),
                    patch,
                    epsilon_squared,
                );
                let (support_ok, mismatch, uncertain) = support_conclusion(truth, estimate);
                if let Some(k) = uncertain {
                    let channels = truth.mid.channels();
                    open.note(i, || {
                        format!(
                            "conclusion 1 at layer {i}: the sign of Γ̂_{i} at position {}, channel {} is {}, zero or not within the f64 error bound (Γ_{i} there is {})",
                            k / channels,
                            k % channels,
                            estimate.entry(k).text(),
                            truth.entry(k).text()
                        )
                    });
                }
                if violation.is_none() {
                    let channels = truth.mid.channels();
                    violation = match (support_ok, entrywise_ok, patch_ok) {
                        (Decision::False, _, _) => mismatch.map(|k| Witness {
                            layer: i,
                            conclusion: Theorem2Clause::Support.into(),
                            location: format!(
                                "atom (position {}, channel {})",
                                k / channels,
                                k % channels
                            ),
                            observed: estimate.entry(k).text(),
                            bound: format!("the sign of Γ = {}", truth.entry(k).text()),
                        }),
                        (_, Decision::False, _) => Some(Witness {
                            layer: i,
                            conclusion: Theorem2Clause::EntrywiseError.into(),
                            location: "largest entry of Γ_i − Γ̂_i".into(),
                            observed: error_max.text(),
                            bound: entrywise_bound.text(),
                        }),
                        (_, _, Decision::False) => {
                            let (start, _) = worst_patch(&error.mid, patch_width);
                            Some(Witness {
                                layer: i,
                                conclusion: Theorem2Clause::PatchError.into(),
                                location: format!(
                                    "patch at positions {}..{} (width {})",
                                    start,
                                    start + patch_width - 1,
                                    patch_width
                                ),
                                observed: format!("squared norm {}", patch.text()),
                                bound: format!("ε_i² = {}", epsilon_squared.text()),
                            })
                        }
                        _ => None,
                    };
                }
            }
            _ => {
                chain_open = true;
                open.1 = true;
            }
        }
        reports.push(LayerReport {
            layer: i,
            coherence: mu_mid,
            coherence_exact: None,
            stripe_sparsity: s_mid,
            patch_sparsity: p_mid,
            patch_width,
            gamma_min: gamma_min_mid,
            gamma_max: gamma_max_mid,
            epsilon_previous: epsilon_previous_mid,
            window_low: low_mid,
            window_high: high_mid,
            threshold: beta_mid,
            threshold_exact: None,
            window_position: (beta_mid - low_mid) / (high_mid - low_mid),
            hypothesis_a: hypothesis_a == Decision::True,
            hypothesis_holds: hypothesis_a.and(hypothesis_b) == Decision::True,
            epsilon: epsilon_mid,
            epsilon_exact: None,
            entrywise_bound: entrywise_mid,
            support_recovered: support_conclusion(truth, estimate).0 == Decision::True,
            error_patch_norm,
            error_max: error_max_mid,
            tightness: tightness(error_patch_norm, epsilon_mid),
        });
        epsilon_previous = epsilon;
        epsilon_previous_mid = epsilon_mid;
    }
    if !finite {
        open.note_hypothesis(0, || {
            "a quantity of the f64 computation overflowed; decide it in exact arithmetic".into()
        });
    }
    // A hypothesis certainly false: vacuous. Every hypothesis certainly true and a conclusion
    // certainly false: violated, whatever other conclusion is open. Otherwise open or holds.
    let Open(first_open, hypotheses_open) = open;
    let verdict = match (failed, violation, first_open) {
        (Some(failed), _, _) if finite => Verdict::Vacuous(failed),
        (None, Some(witness), _) if !hypotheses_open => Verdict::Violated(witness),
        (_, _, Some((layer, comparison))) => Verdict::Undecided { layer, comparison },
        (Some(failed), _, None) => Verdict::Vacuous(failed),
        (None, Some(witness), None) => Verdict::Violated(witness),
        (None, None, None) => Verdict::Holds,
    };
    Theorem2Report {
        verdict,
        certified: false,
        decided_by: DecidedBy::F64Enclosure,
        variant: instance.thresholding.name(),
        epsilon_0: epsilon_0_mid,
        enclosure_bits: 0,
        layers: reports,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directed_rounding_brackets_the_exact_result() {
        // 0.1 + 0.2 is not representable: the bounds differ by one unit in the last place.
        let (lo, hi) = (add_down(0.1, 0.2), add_up(0.1, 0.2));
        assert!(lo < hi && hi == next_up(lo));
        // Exact results stay exact.
        assert_eq!((add_down(0.5, 0.25), add_up(0.5, 0.25)), (0.75, 0.75));
        assert_eq!((mul_down(3.0, 0.5), mul_up(3.0, 0.5)), (1.5, 1.5));
        assert_eq!((sqrt_down(4.0), sqrt_up(4.0)), (2.0, 2.0));
        let (lo, hi) = (sqrt_down(2.0), sqrt_up(2.0));
        assert!(lo * lo <= 2.0 && hi == next_up(lo));
        let (lo, hi) = (div_down(1.0, 3.0), div_up(1.0, 3.0));
        assert!(lo < hi && hi == next_up(lo));
        assert_eq!(
            Interval::point(1.0).less_than(Interval::point(1.0)),
            Decision::False
        );
        assert_eq!(
            Interval::around(1.0, 1e-16).less_or_equal(Interval::point(1.0)),
            Decision::Undecided
        );
        let nan = Interval {
            lo: f64::NAN,
            hi: f64::NAN,
        };
        assert_eq!(nan.less_than(Interval::point(1.0)), Decision::Undecided);
        assert_eq!(nan.less_or_equal(Interval::point(1.0)), Decision::Undecided);
    }

    #[test]
    fn a_filter_unit_only_within_the_tolerance_is_normalised_with_a_tight_bound() {
        let layer = Layer::new_unchecked_norm(1, vec![vec![vec![1.000004]]]).expect("shape");
        let screen = ScreenLayer::new(&layer, 1);
        assert_eq!(screen.filters.taps(), &[1.0]);
        assert!(screen.rho < 1e-14, "{}", screen.rho);
        let unit = Layer::new_unchecked_norm(1, vec![vec![vec![0.6], vec![0.8]]]).expect("shape");
        let screen = ScreenLayer::new(&unit, 1);
        assert_eq!(screen.filters.taps(), &[0.6, 0.8]);
        assert!(screen.rho > 0.0 && screen.rho < 1e-14, "{}", screen.rho);
    }

    /// Values of many magnitudes and both signs, with zeros, from a seed (xorshift).
    fn values(count: usize, seed: u64) -> Vec<f64> {
        let mut state = seed | 1;
        (0..count)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                if state % 5 == 0 {
                    0.0
                } else {
                    let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64 + 0.5;
                    let exponent = (state % 41) as i32 - 20;
                    let sign = if state % 3 == 0 { -1.0 } else { 1.0 };
                    sign * mantissa * 2f64.powi(exponent) / 3.0
                }
            })
            .collect()
    }

    fn exact(x: f64) -> crate::scalar::Rational {
        crate::scalar::Rational::from_float(x).expect("finite")
    }

    /// `|exact − mid| ≤ rad` entry by entry, and `rad = 0` only for exact zeros.
    fn contains(enclosed: &Enclosed, truth: &LayerVector<crate::scalar::Rational>) {
        for (k, value) in truth.entries().iter().enumerate() {
            let (m, r) = (enclosed.mid.entries()[k], enclosed.rad[k]);
            let distance = num_traits::Signed::abs(&(value - exact(m)));
            assert!(
                distance <= exact(r),
                "entry {k}: {value} outside {m:e} ± {r:e}"
            );
            if r == 0.0 {
                assert!(m == 0.0 && value == &exact(0.0), "entry {k}");
            }
        }
    }

    #[test]
    fn every_kernel_bound_contains_the_exact_value() {
        use crate::scalar::Rational;
        // Exactly unit filters with f64 taps: the bound then covers only rounding.
        let layer = Layer::new_unchecked_norm(
            1,
            vec![
                vec![vec![0.5], vec![0.5], vec![0.5], vec![0.5]],
                vec![vec![0.5], vec![-0.5], vec![0.5], vec![-0.5]],
                vec![vec![1.0], vec![0.0], vec![0.0], vec![0.0]],
            ],
        )
        .expect("shape");
        let screen = ScreenLayer::new(&layer, 1);
        let rational_layer = screen.filters.map(|x: &f64| exact(*x));
        for seed in 1..40u64 {
            let length = 7 + (seed as usize % 9);
            // Inputs known exactly (radius 0 on every entry, zeros included).
            let x = LayerVector::from_entries(length, 1, values(length, seed)).expect("shape");
            let exact_x = x.map(|v: &f64| exact(*v));
            let input = Enclosed {
                rad: vec![0.0; length],
                mid: x.clone(),
            };
            let z = analyze(&screen, &input);
            let exact_z = analysis(&rational_layer, &exact_x);
            contains(&z, &exact_z);
            let g =
                LayerVector::from_entries(length, 3, values(3 * length, seed + 99)).expect("shape");
            let g_input = Enclosed {
                rad: vec![0.0; 3 * length],
                mid: g.clone(),
            };
            contains(
                &synthesize(&screen, &g_input),
                &synthesis(&rational_layer, &g.map(|v: &f64| exact(*v))),
            );
            // Thresholding the enclosed correlations contains thresholding the exact ones.
            let beta = z.mid.max_abs() / 3.0;
            for thresholding in [
                Thresholding::Soft,
                Thresholding::Nonnegative,
                Thresholding::Hard,
            ] {
                let t = threshold(thresholding, &z, beta, Interval::point(beta));
                let exact_t = thresholding.apply_vector(&exact_z, &exact(beta));
                contains(&t, &exact_t);
            }
            // Patch energies and the largest entry.
            for width in [1, 2, 5] {
                let energy = patch_energy(&z, width);
                let truth = patch_norm_squared(&exact_z, width);
                assert!(
                    exact(energy.lo) <= truth && truth <= exact(energy.hi),
                    "width {width}"
                );
            }
            let largest = max_abs(&z);
            let truth = exact_z.max_abs();
            assert!(exact(largest.lo) <= truth && truth <= exact(largest.hi));
        }
        // The coherence of the exact filters: 3/4 (a ±1/2 filter against its shift by one).
        let mu = coherence(&screen);
        let truth = crate::coherence::mutual_coherence(&rational_layer);
        assert_eq!(truth, Rational::new(3.into(), 4.into()));
        assert!(exact(mu.lo) <= truth && truth <= exact(mu.hi));
    }
}
