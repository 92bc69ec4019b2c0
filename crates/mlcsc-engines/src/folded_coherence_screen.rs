//! The channel coherences of a folded layer, `μ_c² = max_{(d, δ) ≠ (c, 0)} g_{c,d,δ}² /
//! (ρ_c² ρ_d²)` with `g_{c,d,δ} = ⟨W'_c, W'_d displaced by δ⟩`
//! ([`mlcsc_spec::folding::channel_coherence_squared`]), with an `f64` screen choosing which
//! correlations to compute exactly.
//!
//! Every `g` is evaluated in `f64` with a rigorous bound on its distance from the exact value
//! ([`tolerance::f64_weighted_correlation_relative`]), which encloses each ratio in
//! `[low, high]`. For channel `c`, a pair whose `high` lies below the largest `low` cannot be
//! the maximum, so only the others are computed exactly, by the specification's own
//! [`largest_correlation_squared`]; the maximum of those is the specification's `μ_c²`, exactly. A
//! layer with a nonzero number outside [`tolerance::SCREEN_MAGNITUDES`] is left to the
//! specification whole. On a trained network's float weights the specification's cost is
//! `m² (2h + 1) m' n` big-rational multiply-adds per layer; the screen's is that many `f64`
//! ones and a handful of exact correlations per channel.

use mlcsc_spec::folding::{channel_coherence_squared, largest_correlation_squared};
use mlcsc_spec::scalar::Scalar;
use mlcsc_spec::strided_coherence::strided_displacements;
use mlcsc_spec::tolerance;

/// A layer's weights and the previous layer's `ρ²` read as `f64`.
struct FloatLayer {
    /// `weights[c][c'][t]`.
    weights: Vec<Vec<Vec<f64>>>,
    /// `ρ²_{i-1, c'}`.
    previous: Vec<f64>,
    /// `ρ²_{i, c}`.
    norms: Vec<f64>,
}

/// Whether `x` is zero or inside the screen's range of magnitudes.
fn screenable(x: f64) -> bool {
    let (smallest, largest) = tolerance::SCREEN_MAGNITUDES;
    x == 0.0 || (smallest..=largest).contains(&x.abs())
}

impl FloatLayer {
    /// The layer in `f64`, or `None` when a number is outside the screen's range.
    fn read<S: Scalar>(weights: &[Vec<Vec<S>>], previous: &[S], norms: &[S]) -> Option<Self> {
        let convert = |values: &[S]| -> Option<Vec<f64>> {
            values
                .iter()
                .map(|v| Some(v.to_f64()).filter(|x| screenable(*x)))
                .collect()
        };
        let weights = weights
            .iter()
            .map(|filter| filter.iter().map(|taps| convert(taps)).collect())
            .collect::<Option<Vec<Vec<Vec<f64>>>>>()?;
        Some(FloatLayer {
            weights,
            previous: convert(previous)?,
            norms: convert(norms)?,
        })
    }

    /// `g_{c,d,δ}` in `f64`, and `Σ |a b w|` over its terms.
    fn correlation(&self, c: usize, d: usize, delta: isize) -> (f64, f64) {
        let (first, second) = if delta >= 0 { (c, d) } else { (d, c) };
        let shift = delta.unsigned_abs();
        let (mut sum, mut magnitude) = (0.0, 0.0);
        for ((a, b), w) in self.weights[first]
            .iter()
            .zip(&self.weights[second])
            .zip(&self.previous)
        {
            let overlap = a.len().saturating_sub(shift);
            let (mut channel, mut channel_magnitude) = (0.0, 0.0);
            for t in 0..overlap {
                let product = a[t] * b[t + shift];
                channel += product;
                channel_magnitude += product.abs();
            }
            sum += channel * w;
            magnitude += channel_magnitude * w.abs();
        }
        (sum, magnitude)
    }

    /// `[low, high]` enclosing `g_{c,d,δ}² / (ρ_c² ρ_d²)`.
    fn ratio_bounds(&self, c: usize, d: usize, delta: isize) -> (f64, f64) {
        let (g, magnitude) = self.correlation(c, d, delta);
        let overlap = self.weights[0][0].len();
        let terms = overlap * self.previous.len() + overlap + self.previous.len();
        let error = magnitude * tolerance::f64_weighted_correlation_relative(terms);
        let (g_low, g_high) = ((g.abs() - error).max(0.0), g.abs() + error);
        let denominator = self.norms[c] * self.norms[d];
        let slack = tolerance::BOUND_EVALUATION_SLACK;
        (
            g_low * g_low / denominator / slack,
            g_high * g_high / denominator * slack,
        )
    }
}

/// `μ_c²` of every channel, equal to [`channel_coherence_squared`]: the `f64` screen picks the
/// pairs `(d, δ)` that can attain the maximum, and only those are computed exactly.
pub fn screened_channel_coherence_squared<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    norms_squared: &[S],
    stride: usize,
) -> Vec<S> {
    let Some(layer) = FloatLayer::read(weights, previous_norms_squared, norms_squared) else {
        return channel_coherence_squared(weights, previous_norms_squared, norms_squared, stride);
    };
    let displacements = strided_displacements(weights[0][0].len(), stride);
    (0..weights.len())
        .map(|c| {
            let mut pairs = Vec::new();
            let mut best_low = 0.0f64;
            for &delta in &displacements {
                for d in (0..weights.len()).filter(|&d| delta != 0 || d != c) {
                    let (low, high) = layer.ratio_bounds(c, d, delta);
                    best_low = best_low.max(low);
                    pairs.push((d, delta, high));
                }
            }
            let candidates = pairs
                .into_iter()
                .filter(|p| p.2 >= best_low)
                .map(|(d, delta, _)| (d, delta));
            largest_correlation_squared(
                weights,
                previous_norms_squared,
                norms_squared,
                c,
                candidates,
            )
        })
        .collect()
}
