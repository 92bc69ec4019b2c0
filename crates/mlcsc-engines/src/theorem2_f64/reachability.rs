//! Reachability by magnitudes: whether every product of a nonzero tap and a positive weight
//! stays in the normal range, so that a radius sum computed as 0 is an entry no product
//! reaches (module documentation of [`super`]); and the weights of a dense vector formed with
//! their least positive value in the same pass.

use super::enclosed::Enclosed;
use super::screen_layer::ScreenLayer;
use crate::model::LayerVector;

/// Whether every product `|d̂| w` of a nonzero tap and a positive weight is at least the
/// least normal `f64`, every tap and weight being finite. Then a sum of such products computed
/// in any order, with or without fused multiply-adds, is positive as soon as it has one
/// (rounding is monotone, the terms are nonnegative, and `fl(x) ≥ 2^-1022` for
/// `x ≥ 2^-1022`), and a sum without one is exactly 0 (every term has a zero factor): a
/// computed 0 is an entry no product reaches, as the count of the general radius (in [`super::enclosed`]) would say. The
/// smallest product is computed with a margin of 4 against its rounding.
pub(super) fn products_stay_normal<'a>(
    layer: &ScreenLayer,
    weights: impl IntoIterator<Item = &'a f64>,
) -> bool {
    stay_normal_from(
        smallest_positive(layer.absolute.taps()),
        smallest_positive(weights),
    )
}

/// The least positive value when every value is finite: one pass without early exit (the
/// least of the same values, whatever the order).
pub(super) fn smallest_positive<'a>(values: impl IntoIterator<Item = &'a f64>) -> Option<f64> {
    let (least, finite) = (values.into_iter()).fold((f64::INFINITY, true), |(least, finite), x| {
        let candidate = if *x > 0.0 { *x } else { f64::INFINITY };
        (least.min(candidate), finite & x.is_finite())
    });
    finite.then_some(least)
}

/// Whether the least positive tap and weight, each `None` when some tap or weight is not
/// finite, keep every product at least the least normal `f64` ([`products_stay_normal`]).
pub(super) fn stay_normal_from(tap: Option<f64>, weight: Option<f64>) -> bool {
    match (tap, weight) {
        (Some(tap), Some(weight)) => tap * weight >= 4.0 * f64::MIN_POSITIVE,
        _ => false,
    }
}

/// Lanes of the partial minima of [`LeastPositive`].
const LEAST_LANES: usize = 8;

/// The least positive value and the finiteness of some values, folded in [`LEAST_LANES`]
/// independent lanes (a loop on vectors, without the chain of one minimum through every
/// value) and combined: the least of the same values whatever the order, no lane's minimum
/// being NaN (a NaN is no candidate), so [`smallest_positive`]'s number.
pub(super) struct LeastPositive {
    least: [f64; LEAST_LANES],
    /// Flags as words, 1 while finite (words rather than bytes keep the lanes on vectors).
    finite: [u64; LEAST_LANES],
}

impl LeastPositive {
    pub(super) fn new() -> Self {
        LeastPositive {
            least: [f64::INFINITY; LEAST_LANES],
            finite: [1; LEAST_LANES],
        }
    }

    #[inline(always)]
    fn offer(&mut self, lane: usize, x: f64) {
        let candidate = if x > 0.0 { x } else { f64::INFINITY };
        let least = &mut self.least[lane];
        *least = if candidate < *least {
            candidate
        } else {
            *least
        };
        self.finite[lane] &= u64::from(x.is_finite());
    }

    /// The values offered to `other` offered to `self` too: each lane's least positive value
    /// and finiteness over both (the least of the same values, whatever the order).
    pub(super) fn merge(&mut self, other: &LeastPositive) {
        for lane in 0..LEAST_LANES {
            let (least, theirs) = (&mut self.least[lane], other.least[lane]);
            *least = if theirs < *least { theirs } else { *least };
            self.finite[lane] &= other.finite[lane];
        }
    }

    /// [`smallest_positive`] of every value offered.
    pub(super) fn smallest(&self) -> Option<f64> {
        let finite = self.finite.iter().all(|f| *f != 0);
        finite.then(|| self.least.iter().copied().fold(f64::INFINITY, f64::min))
    }
}

/// [`products_stay_normal`] for weights in a slice, their least positive value found on lanes
/// ([`LeastPositive`]): the same decision.
pub(super) fn dense_products_stay_normal(layer: &ScreenLayer, weights: &[f64]) -> bool {
    let mut lanes = LeastPositive::new();
    let chunks = weights.chunks_exact(LEAST_LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (lane, x) in chunk.iter().enumerate() {
            lanes.offer(lane, *x);
        }
    }
    for (lane, x) in tail.iter().enumerate() {
        lanes.offer(lane, *x);
    }
    stay_normal_from(smallest_positive(layer.absolute.taps()), lanes.smallest())
}

/// The weights [`ScreenLayer::weights`] of `x`'s entries as a layer vector of its shape, with
/// [`products_stay_normal`] for them, found in the same pass (the same numbers: each weight is
/// formed as there, and its least positive value on lanes as in [`dense_products_stay_normal`]).
pub(super) fn weights_staying_normal(
    layer: &ScreenLayer,
    x: &Enclosed,
    k: usize,
) -> (LayerVector<f64>, bool) {
    let mut weights = vec![0.0; x.rad.len()];
    let factors = layer.weight_factors(k);
    let lanes = form_weights(x.mid.entries(), &x.rad, factors, &mut weights);
    let stay_normal = stay_normal_from(smallest_positive(layer.absolute.taps()), lanes.smallest());
    let weights = LayerVector::from_entries(x.mid.length(), x.mid.channels(), weights);
    (weights.expect("shape of x"), stay_normal)
}

/// The weights `a |m| + b r` ([`ScreenLayer::weights`], with `(a, b)` its
/// [`weight_factors`](ScreenLayer::weight_factors)) of the entries of midpoints `mid` and radii
/// `rad` written into `out`, of their length, with their least positive value and finiteness
/// on lanes.
pub(super) fn form_weights(
    mid: &[f64],
    rad: &[f64],
    (a, b): (f64, f64),
    out: &mut [f64],
) -> LeastPositive {
    let mut lanes = LeastPositive::new();
    let chunks = (out.chunks_mut(LEAST_LANES))
        .zip(mid.chunks(LEAST_LANES))
        .zip(rad.chunks(LEAST_LANES));
    for ((w, m), r) in chunks {
        for (lane, (w, (m, r))) in w.iter_mut().zip(m.iter().zip(r)).enumerate() {
            *w = a * m.abs() + b * r;
            lanes.offer(lane, *w);
        }
    }
    lanes
}
