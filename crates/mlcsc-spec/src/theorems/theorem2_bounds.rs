//! Theorem 2's per-layer quantities and formulas, each written once and generic over
//! [`Scalar`]: the exact checker's quantities, and the generator, the targeted search, the
//! campaign margins and the studies in `f64` (docs/math.md §6; `proofs/theorem2.md`).
//!
//! With `μ_i`, `s_i`, `|Γ_i^min|`, `|Γ_i^max|` from the instance ([`LayerProfile`]) and the
//! incoming error `ε_{i-1}`:
//!
//! ```text
//! window      s_i μ_i |Γ_i^max| + ε_{i-1}  <  β_i  <  |Γ_i^min| − (s_i − 1) μ_i |Γ_i^max| − ε_{i-1}
//! (a)         2 ε_{i-1}  <  |Γ_i^min| − (2 s_i − 1) μ_i |Γ_i^max|
//! entrywise   ε_{i-1} + μ_i (s_i − 1) |Γ_i^max| + β_i        (hard thresholding: without β_i)
//! next error  ε_i = sqrt(p_i) · entrywise
//! ```
//!
//! A form of the statement without the contrast term (a negative control) is the same formulas
//! on a profile whose `|Γ_i^min|` is replaced by `|Γ_i^max|` ([`LayerProfile::without_contrast`]).
//!
//! The formulas are written once, over [`BoundArithmetic`]: every [`Scalar`] (exact rationals,
//! `f64`) and the outward-rounded intervals of the sound `f64` check
//! (`mlcsc::theorems::theorem2_f64::Interval`).

use std::ops::{Add, Mul, Sub};

use crate::coherence::mutual_coherence;
use crate::model::{Layer, LayerVector, Model};
use crate::norms::patch_sparsities;
use crate::scalar::Scalar;
use crate::thresholding::Thresholding;

/// The arithmetic the clause formulas are written in: a commutative ring with the counts
/// `0, 1, 2, …` and halving.
///
/// # Laws
///
/// For an exact type the operations are the field's. For `f64` they round to nearest. For an
/// enclosure type each result contains every exact result of operands the inputs contain, so
/// a formula evaluated on enclosures encloses the formula's exact value.
pub trait BoundArithmetic:
    Clone + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self>
{
    /// The count `n`.
    fn count(n: usize) -> Self;

    /// `self / 2`.
    fn half(self) -> Self;
}

impl<S: Scalar> BoundArithmetic for S {
    fn count(n: usize) -> Self {
        S::from_integer(n as i64)
    }

    fn half(self) -> Self {
        self / S::from_integer(2)
    }
}

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

/// The quantities of layer `i` that Theorem 2 reads off the instance.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerProfile<S> {
    /// The layer, from 1.
    pub layer: usize,
    /// `μ_i = μ(D_i)`.
    pub coherence: S,
    /// `s_i = ‖Γ_i‖^S_{0,∞}`.
    pub stripe_sparsity: usize,
    /// `p_i = ‖Γ_i‖^P_{0,∞}(w_i)`.
    pub patch_sparsity: usize,
    /// `w_i`: `n_{i+1}`, or the declared `w_K` at the last layer.
    pub patch_width: usize,
    /// `|Γ_i^min|` (0 for an all-zero `Γ_i`).
    pub gamma_min: S,
    /// `|Γ_i^max|` (0 for an all-zero `Γ_i`).
    pub gamma_max: S,
}

/// The width `w_i` of layer `i`'s patch norm: `n_{i+1}`, or `w_K` at the last layer.
pub fn patch_width<S: Scalar>(model: &Model<S>, layer: usize, last_patch_width: usize) -> usize {
    if layer < model.depth() {
        model.layer(layer + 1).filter_length()
    } else {
        last_patch_width
    }
}

/// The profile of layer `i` given `Γ_i` (`gamma`).
pub fn layer_profile<S: Scalar>(
    model: &Model<S>,
    layer: usize,
    gamma: &LayerVector<S>,
    last_patch_width: usize,
) -> LayerProfile<S> {
    let width = patch_width(model, layer, last_patch_width);
    dictionary_profile(layer, model.layer(layer), gamma, width)
}

/// The profile of layer `i` from its dictionary `D_i`, `Γ_i` (`gamma`) and the patch width
/// `w_i` ([`patch_width`]).
pub fn dictionary_profile<S: Scalar>(
    layer: usize,
    dictionary: &Layer<S>,
    gamma: &LayerVector<S>,
    width: usize,
) -> LayerProfile<S> {
    let (gamma_min, gamma_max) = gamma
        .support_magnitude_range()
        .unwrap_or((S::zero(), S::zero()));
    let [stripe_sparsity, patch_sparsity] =
        patch_sparsities(gamma, [dictionary.stripe_width(), width]);
    LayerProfile {
        layer,
        coherence: mutual_coherence(dictionary),
        stripe_sparsity,
        patch_sparsity,
        patch_width: width,
        gamma_min,
        gamma_max,
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

impl<S> LayerProfile<S> {
    /// The same profile with `f` applied to each of its numbers (another arithmetic).
    pub fn map<T>(&self, f: impl Fn(&S) -> T) -> LayerProfile<T> {
        LayerProfile {
            layer: self.layer,
            coherence: f(&self.coherence),
            stripe_sparsity: self.stripe_sparsity,
            patch_sparsity: self.patch_sparsity,
            patch_width: self.patch_width,
            gamma_min: f(&self.gamma_min),
            gamma_max: f(&self.gamma_max),
        }
    }
}

impl<S: BoundArithmetic> LayerProfile<S> {
    /// `μ_i |Γ_i^max|`.
    fn coherence_times_max(&self) -> S {
        self.coherence.clone() * self.gamma_max.clone()
    }

    /// The interference term `μ_i (s_i − 1) |Γ_i^max|` (lemma L2 on the support).
    pub fn interference(&self) -> S {
        S::count(self.stripe_sparsity.saturating_sub(1)) * self.coherence_times_max()
    }

    /// The window's lower end `s_i μ_i |Γ_i^max| + ε_{i-1}`.
    pub fn window_low(&self, epsilon_previous: &S) -> S {
        S::count(self.stripe_sparsity) * self.coherence_times_max() + epsilon_previous.clone()
    }

    /// The window's upper end `|Γ_i^min| − (s_i − 1) μ_i |Γ_i^max| − ε_{i-1}`.
    pub fn window_high(&self, epsilon_previous: &S) -> S {
        self.gamma_min.clone() - self.interference() - epsilon_previous.clone()
    }

    /// The slack of hypothesis (a), `|Γ_i^min| − (2 s_i − 1) μ_i |Γ_i^max| − 2 ε_{i-1}`, which is
    /// the window's width (lemma L4): (a) holds exactly when it is positive.
    pub fn hypothesis_a_slack(&self, epsilon_previous: &S) -> S {
        self.window_high(epsilon_previous) - self.window_low(epsilon_previous)
    }

    /// The threshold at position `θ` of the window: `low + θ (high − low)`.
    pub fn threshold_at(&self, epsilon_previous: &S, theta: &S) -> S {
        let low = self.window_low(epsilon_previous);
        low.clone() + theta.clone() * (self.window_high(epsilon_previous) - low)
    }

    /// The window's midpoint `(|Γ_i^min| + μ_i |Γ_i^max|) / 2`, which does not depend on
    /// `ε_{i-1}` or `s_i`: inside the window whenever (a) holds, and midway between the
    /// off-support and on-support correlation bounds of lemma L3 where the window is empty.
    pub fn window_midpoint(&self) -> S {
        (self.gamma_min.clone() + self.coherence_times_max()).half()
    }

    /// The entrywise bound `ε_{i-1} + μ_i (s_i − 1) |Γ_i^max| + β_i` of conclusion 3; hard
    /// thresholding drops `β_i`.
    pub fn entrywise_bound(&self, epsilon_previous: &S, beta: &S, variant: Thresholding) -> S {
        let bound = epsilon_previous.clone() + self.interference();
        if variant == Thresholding::Hard {
            bound
        } else {
            bound + beta.clone()
        }
    }

    /// The same profile with `|Γ_i^min|` replaced by `|Γ_i^max|`: the formulas of the statement
    /// without the contrast term.
    pub fn without_contrast(&self) -> Self {
        LayerProfile {
            gamma_min: self.gamma_max.clone(),
            ..self.clone()
        }
    }

    /// The profile the formulas of a form of the statement read: itself, or
    /// [`LayerProfile::without_contrast`] when the contrast term is removed.
    pub fn for_statement(&self, contrast_term: bool) -> Self {
        if contrast_term {
            self.clone()
        } else {
            self.without_contrast()
        }
    }

    /// `ε_i²` from the entrywise bound: `p_i · entrywise²`, or `entrywise²` for the form of the
    /// statement without the patch-sparsity factor.
    pub fn epsilon_squared(&self, entrywise: &S, patch_sparsity_factor: bool) -> S {
        let squared = entrywise.clone() * entrywise.clone();
        if patch_sparsity_factor {
            S::count(self.patch_sparsity) * squared
        } else {
            squared
        }
    }
}

impl<S: Scalar> LayerProfile<S> {
    /// The profile in `f64`.
    pub fn to_f64(&self) -> LayerProfile<f64> {
        self.map(Scalar::to_f64)
    }
}

impl<S: CountRoot> LayerProfile<S> {
    /// `ε_i = sqrt(p_i) · entrywise bound` (the exact checker carries the root as a sum of
    /// square roots instead).
    pub fn next_epsilon(&self, epsilon_previous: S, beta: S, variant: Thresholding) -> S {
        let entrywise = self.entrywise_bound(&epsilon_previous, &beta, variant);
        self.epsilon_from_entrywise(entrywise, true)
    }

    /// `ε_i` from the entrywise bound: `sqrt(p_i) · entrywise`, or `entrywise` for the form of
    /// the statement without the patch-sparsity factor.
    pub fn epsilon_from_entrywise(&self, entrywise: S, patch_sparsity_factor: bool) -> S {
        if patch_sparsity_factor {
            S::sqrt_count(self.patch_sparsity) * entrywise
        } else {
            entrywise
        }
    }
}

impl LayerProfile<f64> {
    /// The slack of (a) relative to `|Γ_i^max|`, halved: the margin campaigns report
    /// (`a-layer{i}`), `((|Γ^min| − (2s − 1) μ |Γ^max|)/2 − ε_{i-1}) / |Γ^max|`.
    pub fn relative_a_margin(&self, epsilon_previous: f64) -> f64 {
        self.hypothesis_a_slack(&epsilon_previous) / 2.0 / self.gamma_max.max(f64::MIN_POSITIVE)
    }
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
pub fn profile_of_report(report: &crate::theorems::theorem2::LayerReport) -> LayerProfile<f64> {
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
