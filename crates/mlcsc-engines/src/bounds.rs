//! What generators, searches and the sound `f64` check derive from Theorem 2's formulas
//! ([`mlcsc_spec::theorems::theorem2_bounds`]): a threshold placed in the window, `ε_i` where
//! the root of a count is a number of the arithmetic, the margins campaigns report, and
//! hypothesis (a) solved for the contrast or the stripe sparsity. The statement itself never
//! reads them.

use crate::theorem2_report::LayerReport;
use mlcsc_spec::model::{LayerVector, Model};
use mlcsc_spec::scalar::Scalar;
use mlcsc_spec::theorems::theorem2_bounds::{BoundArithmetic, LayerProfile, layer_profile};

/// A [`BoundArithmetic`] with the square root of a count, where `ε_i = sqrt(p_i) · entrywise`
/// is a number of the arithmetic (`f64`, intervals); the exact checker carries the root as a
/// sum of square roots instead.
pub trait CountRoot: BoundArithmetic {
    /// `sqrt(n)` (rounded to nearest, or enclosed).
    fn sqrt_count(n: usize) -> Self;
}

impl CountRoot for f64 {
    fn sqrt_count(n: usize) -> Self {
        (n as f64).sqrt()
    }
}

/// The window's placements and the `ε` recursion in one arithmetic, derived from the formulas of
/// [`LayerProfile`].
pub trait WindowPlacement<S> {
    /// The threshold at position `θ` of the window: `low + θ (high − low)`.
    fn threshold_at(&self, epsilon_previous: &S, theta: &S) -> S;

    /// The window's midpoint `(|Γ_i^min| + μ_i |Γ_i^max|) / 2`, which does not depend on
    /// `ε_{i-1}` or `s_i`: inside the window whenever (a) holds, and midway between the
    /// off-support and on-support correlation bounds of lemma L3 where the window is empty.
    fn window_midpoint(&self) -> S;

    /// `ε_i²` from the entrywise bound: `p_i · entrywise²`, or `entrywise²` for the form of the
    /// statement without the patch-sparsity factor.
    fn epsilon_squared(&self, entrywise: &S, patch_sparsity_factor: bool) -> S;
}

impl<S: BoundArithmetic> WindowPlacement<S> for LayerProfile<S> {
    fn threshold_at(&self, epsilon_previous: &S, theta: &S) -> S {
        let low = self.window_low(epsilon_previous);
        low.clone() + theta.clone() * (self.window_high(epsilon_previous) - low)
    }

    fn window_midpoint(&self) -> S {
        (self.gamma_min.clone() + self.coherence.clone() * self.gamma_max.clone()).half()
    }

    fn epsilon_squared(&self, entrywise: &S, patch_sparsity_factor: bool) -> S {
        let squared = entrywise.clone() * entrywise.clone();
        if patch_sparsity_factor {
            S::count(self.patch_sparsity) * squared
        } else {
            squared
        }
    }
}

/// `ε_i` where the root of a count is a number of the arithmetic.
pub trait NextEpsilon<S> {
    /// `ε_i = sqrt(p_i) · entrywise bound` (the exact checker carries the root as a sum of
    /// square roots instead).
    fn next_epsilon(
        &self,
        epsilon_previous: S,
        beta: S,
        variant: mlcsc_spec::thresholding::Thresholding,
    ) -> S;

    /// `ε_i` from the entrywise bound: `sqrt(p_i) · entrywise`, or `entrywise` for the form of
    /// the statement without the patch-sparsity factor.
    fn epsilon_from_entrywise(&self, entrywise: S, patch_sparsity_factor: bool) -> S;
}

impl<S: CountRoot> NextEpsilon<S> for LayerProfile<S> {
    fn next_epsilon(
        &self,
        epsilon_previous: S,
        beta: S,
        variant: mlcsc_spec::thresholding::Thresholding,
    ) -> S {
        let entrywise = self.entrywise_bound(&epsilon_previous, &beta, variant);
        self.epsilon_from_entrywise(entrywise, true)
    }

    fn epsilon_from_entrywise(&self, entrywise: S, patch_sparsity_factor: bool) -> S {
        if patch_sparsity_factor {
            S::sqrt_count(self.patch_sparsity) * entrywise
        } else {
            entrywise
        }
    }
}

/// The slack of (a) relative to `|Γ_i^max|`, halved: the margin campaigns report
/// (`a-layer{i}`), `((|Γ^min| − (2s − 1) μ |Γ^max|)/2 − ε_{i-1}) / |Γ^max|`.
pub fn relative_a_margin(profile: &LayerProfile<f64>, epsilon_previous: f64) -> f64 {
    profile.hypothesis_a_slack(&epsilon_previous) / 2.0 / profile.gamma_max.max(f64::MIN_POSITIVE)
}

/// Hypothesis (a) solved for the contrast: (a) holds exactly when
/// `|Γ^min| / |Γ^max| > (2 s − 1) μ + 2 ε_{i-1} / |Γ^max|`; this returns the right side.
pub fn least_contrast(coherence: f64, stripe_sparsity: usize, relative_noise: f64) -> f64 {
    (2.0 * stripe_sparsity as f64 - 1.0) * coherence + 2.0 * relative_noise
}

/// Hypothesis (a) solved for the stripe sparsity, the inverse of [`least_contrast`]: with the
/// contrast `c = |Γ^min| / |Γ^max|` and the relative noise `ρ = ε_{i-1} / |Γ^max|`, (a) holds
/// exactly when `s < ½ (1 + (c − 2ρ) / μ)`; `None` (every `s`) for `μ = 0`. At `c = 1`, `ρ = 0`
/// this is `½ (1 + 1/μ)`.
pub fn stripe_sparsity_bound(coherence: f64, contrast: f64, relative_noise: f64) -> Option<f64> {
    (coherence > 0.0).then(|| 0.5 * (1.0 + (contrast - 2.0 * relative_noise) / coherence))
}

/// The `f64` profile a report states for one layer.
pub fn profile_of_report(report: &LayerReport) -> LayerProfile<f64> {
    LayerProfile {
        layer: report.layer,
        coherence: report.coherence,
        stripe_sparsity: report.stripe_sparsity,
        patch_sparsity: report.patch_sparsity,
        patch_width: report.patch_width,
        gamma_min: report.gamma_min,
        gamma_max: report.gamma_max,
    }
}

/// The profiles of layers `1..=K` from the synthesis chain `[X, Γ_1, …, Γ_K]`.
pub fn layer_profiles<S: Scalar>(
    model: &Model<S>,
    chain: &[LayerVector<S>],
    last_patch_width: usize,
) -> Vec<LayerProfile<S>> {
    (1..=model.depth())
        .map(|i| layer_profile(model, i, &chain[i], last_patch_width))
        .collect()
}
