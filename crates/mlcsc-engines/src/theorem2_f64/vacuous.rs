//! A verdict certainly `vacuous` without the estimates' radii.
//!
//! The hypotheses of Theorem 2 read only the chain `Γ_i`, the noise and the thresholds, never
//! the estimates `Γ̂_i`; a hypothesis certainly false makes the verdict `vacuous` whatever the
//! conclusions decide, provided every quantity of the check is finite. The report's numbers
//! are the midpoints', and its only field that reads the estimates' radii is
//! `support_recovered`, which is false whenever the midpoints of `Γ_i` and `Γ̂_i` differ in
//! sign somewhere. So when a hypothesis is certainly false, every layer's midpoints differ in
//! sign, and the radii are certainly finite (bounded below), the report is the full check's
//! without computing the radii: three products on `|D̂_i|`, the interval thresholding and the
//! conclusions. Otherwise the full check runs, on the same chain and with the same decisions
//! of the hypotheses. The hypotheses are decided first, in one pass on the chain alone
//! (`evaluate::pass`), so an instance none of whose hypotheses is certainly false goes to the
//! full check without any estimate computed and without any hypothesis decided twice; here
//! the estimates' numbers of the report are filled in from the midpoints.
//!
//! # The radii are finite
//!
//! The full check's radii of `D_iᵀ Z` and `T_β(·)` are bounded through the layers by two
//! numbers per vector: `M ≥ max |ẑ|` and `R ≥ max r`. With `k` terms per entry and
//! `L = max_c ‖d̂_c‖_1` (a filter's taps, each met once in an entry of `D_iᵀ Z`):
//!
//! - the weights `(ρ + γ_k) |ẑ| + (1 + ρ) r`, computed in `f64`, are at most
//!   `W = 2 ((ρ + γ_k) M + (1 + ρ) R) + 1`;
//! - the computed sum `fl(Σ |d̂| w)` of nonnegative terms is at most `(1 + u)^k L W` plus `k`
//!   underflows, and its bound [`f64_upper_bound`](crate::tolerance::f64_upper_bound) at most
//!   `1.1` times that plus 1, so every radius of `D_iᵀ Z` is at most `4 L W + 4`, and every
//!   midpoint of `D_iᵀ Z` at most `2 L M + 1` in magnitude (for `k u ≤ 10^-2`);
//! - thresholding gives a radius at most `4 (|ẑ| + r + 2 |β|) + 4`: where the shrunk side is
//!   certain `r + r_β + 2u |m|` bounded, elsewhere the distance from `m = T(ẑ)`, `|m| ≤ |ẑ|`, to
//!   an end of the image of `[ẑ − r, ẑ + r]`, whose ends lie within `|ẑ| + r + |β|` of 0 up to
//!   one rounding (`H_β`: within `|ẑ| + r`).
//!
//! Each bound is evaluated in `f64` with factors 2 and 4 that absorb its own rounding; while
//! the last is below `10^300`, every radius of the full check is finite, and no radius is NaN
//! (the terms are finite and nonnegative). A bound not below `10^300`, or NaN, runs the full
//! check.

use super::compared_estimate::{Comparison, compared_estimate};
use super::evaluate::{Chain, Context, Pass, report};
use super::layer::set_estimate;
use super::screen_threshold;
use crate::model::LayerVector;
use crate::theorem2_report::Theorem2Report;
use crate::tolerance::UNIT_ROUNDOFF;

use super::interval::Interval;
use super::screen_layer::ScreenLayer;

/// Below this, every radius bounded by [`radii_stay_finite`] is a finite `f64`.
const FINITE_LIMIT: f64 = 1e300;

/// The full check's report when its verdict is certainly `vacuous` and the report does not
/// need the estimates' radii (module documentation), from the pass `hypotheses` of the
/// hypotheses on the chain; otherwise that pass, unchanged, for the full check, with `chain`
/// as [`Chain::new`] gives it.
pub(super) fn without_estimate_radii<'a>(
    context: &Context<'a>,
    chain: &mut Chain<'a>,
    mut hypotheses: Pass,
) -> Result<Theorem2Report, Box<Pass>> {
    if hypotheses.failed.is_none() || !chain.finite() {
        return Err(Box::new(hypotheses));
    }
    let comparisons = compared_estimates(context, chain, &hypotheses);
    let decided = radii_stay_finite(context, chain, &comparisons)
        // The support is certainly not recovered where the midpoints' signs differ, and
        // otherwise needs the radii.
        && comparisons.iter().all(|c| c.signs_differ);
    if !decided {
        // The chain's radii hold estimates: the full check reads them afresh.
        *chain = Chain::new(context);
        return Err(Box::new(hypotheses));
    }
    // The report's numbers of the estimates, from their midpoints.
    for (layer, comparison) in hypotheses.reports.iter_mut().zip(comparisons) {
        set_estimate(layer, comparison.norms, Some(false));
    }
    Ok(report(hypotheses, context, true))
}

/// The midpoints `Γ̂_i = T_β(D_iᵀ Γ̂_{i-1})` of the full check, each compared with `Γ_i`
/// ([`compared_estimate`]): the fast kernels' thresholded analysis, entry for entry the
/// analysis thresholded afterwards. Each `Γ̂_i` read by the next layer is written into the
/// memory of the radius of `Γ_i` (of its shape), which the shortcut reads no more, rather
/// than into fresh memory (whose every page the system maps and clears on its first write);
/// the radius is left empty. The last, which nothing reads, is compared block by block and
/// not kept.
fn compared_estimates(context: &Context, chain: &mut Chain, hypotheses: &Pass) -> Vec<Comparison> {
    let instance = context.instance;
    let Chain { chain, signal, .. } = chain;
    let mut previous: Option<LayerVector<f64>> = None;
    let mut comparisons = Vec::with_capacity(context.layers.len());
    let last = context.layers.len().saturating_sub(1);
    for (index, layer) in context.layers.iter().enumerate() {
        let beta = screen_threshold(&instance.thresholds[index]);
        let truth = &mut chain[index + 1];
        let mut out = (index < last).then(|| {
            let memory = std::mem::take(&mut truth.rad);
            LayerVector::from_entries(truth.mid.length(), truth.mid.channels(), memory)
                .expect("a radius per entry")
        });
        comparisons.push(compared_estimate(
            &layer.filters,
            previous.as_ref().unwrap_or(&signal.mid),
            (instance.thresholding, beta),
            &truth.mid,
            hypotheses.reports[index].patch_width,
            out.as_mut(),
        ));
        previous = out;
    }
    comparisons
}

/// Whether every midpoint of the estimates is finite and every radius of the full check's
/// estimates is finite, by the bounds `M`, `R` of the module documentation.
fn radii_stay_finite(context: &Context, chain: &Chain, comparisons: &[Comparison]) -> bool {
    let (Some(mut magnitude), Some(mut radius)) = (
        largest_finite(chain.signal.mid.entries()),
        largest_finite(&chain.signal.rad),
    ) else {
        return false;
    };
    for ((layer, beta), comparison) in (context.layers.iter())
        .zip(&context.thresholds)
        .zip(comparisons)
    {
        let Some(bounds) = LayerBounds::new(layer, *beta, magnitude, radius) else {
            return false;
        };
        let Some(largest) = comparison.largest_finite else {
            return false;
        };
        (magnitude, radius) = (largest, bounds.estimate_radius);
    }
    true
}

/// The bounds of the module documentation on one layer's `D_iᵀ Z` and `T_β(D_iᵀ Z)`, from
/// `M ≥ max |ẑ|` and `R ≥ max r` of `Z`.
#[derive(Debug)]
pub(super) struct LayerBounds {
    /// At least every `|midpoint|` of `D_iᵀ Z` (read by the tests of the bounds).
    #[cfg_attr(not(test), allow(dead_code))]
    pub correlation_magnitude: f64,
    /// At least every radius of `D_iᵀ Z` (read by the tests of the bounds).
    #[cfg_attr(not(test), allow(dead_code))]
    pub correlation_radius: f64,
    /// At least every radius of `T_β(D_iᵀ Z)`.
    pub estimate_radius: f64,
}

impl LayerBounds {
    /// The bounds, or `None` when one is not below [`FINITE_LIMIT`] (or NaN) or the layer has
    /// too many terms per entry for them (`k u > 10^-2`).
    pub(super) fn new(
        layer: &ScreenLayer,
        beta: Interval,
        magnitude: f64,
        radius: f64,
    ) -> Option<Self> {
        let f = &layer.filters;
        let k = f.filter_length() * f.input_channels();
        let (a, b) = layer.weight_factors(k);
        let weight = 2.0 * (a * magnitude + b * radius) + 1.0;
        let l1 = (0..f.filter_count())
            .map(|c| absolute_sum(layer.absolute.filter(c)))
            .fold(0.0f64, f64::max);
        let correlation_radius = 4.0 * (l1 * weight) + 4.0;
        let correlation_magnitude = 2.0 * (l1 * magnitude) + 1.0;
        let beta_magnitude = beta.lo.abs().max(beta.hi.abs());
        let estimate_radius =
            4.0 * (correlation_magnitude + correlation_radius + 2.0 * beta_magnitude) + 4.0;
        let few_terms = k as f64 * UNIT_ROUNDOFF <= 1e-2;
        (estimate_radius < FINITE_LIMIT && few_terms).then_some(LayerBounds {
            correlation_magnitude,
            correlation_radius,
            estimate_radius,
        })
    }
}

/// `Σ |x|` in `f64` (the taps' `ℓ1` norm, within a factor `1 + k u` of the exact one).
fn absolute_sum(values: &[f64]) -> f64 {
    values.iter().map(|x| x.abs()).sum()
}

/// `max |x|` when every `x` is finite, else `None`.
fn largest_finite(values: &[f64]) -> Option<f64> {
    let (largest, finite) = (values.iter()).fold((0.0f64, true), |(largest, finite), x| {
        (largest.max(x.abs()), finite && x.is_finite())
    });
    finite.then_some(largest)
}
