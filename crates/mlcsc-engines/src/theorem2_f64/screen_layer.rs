//! A layer's filters as the `f64` check uses them, with the relative distance `ρ` to the exact
//! unit filters.

use super::enclosed::Enclosed;
use super::interval::Interval;
use super::rounding::add_up;
use super::rounding::{div_down, div_up, mul_down, mul_up, sub_up};
use crate::model::Layer;
use crate::tolerance::{
    F64_INPUT_RELATIVE, UNIT_ROUNDOFF, f64_lower_bound, f64_upper_bound, higham_gamma, next_up,
};

/// A layer's filters as used (normalised where the computed norm is not 1 up to rounding), with
/// the relative bound `ρ`: `|g − ĝ| ≤ ρ |ĝ|` tap by tap against the exact unit filters `g`.
pub(super) struct ScreenLayer {
    pub(super) filters: Layer<f64>,
    /// `|ĝ|`, tap by tap.
    pub(super) absolute: Layer<f64>,
    /// `[ĝ ≠ 0]`, tap by tap.
    pub(super) support: Layer<f64>,
    pub(super) rho: f64,
}

impl ScreenLayer {
    pub(super) fn new(layer: &Layer<f64>, number: usize) -> Self {
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

    /// `(ρ + γ_k) |x̂| + (1 + ρ) r_x`, the weight of each input entry in the radius of a
    /// product with `k` terms per entry.
    pub(super) fn weights(&self, x: &Enclosed, k: usize) -> Vec<f64> {
        let (a, b) = self.weight_factors(k);
        x.mid
            .entries()
            .iter()
            .zip(&x.rad)
            .map(|(m, r)| a * m.abs() + b * r)
            .collect()
    }

    /// `(ρ + γ_k, 1 + ρ)`, rounded up: the factors of [`ScreenLayer::weights`].
    pub(super) fn weight_factors(&self, k: usize) -> (f64, f64) {
        (
            add_up(self.rho, next_up(higham_gamma(k))),
            add_up(1.0, self.rho),
        )
    }
}
