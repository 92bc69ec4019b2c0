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
}

impl<S: Scalar> LayerProfile<S> {
    /// The profile in `f64`.
    pub fn to_f64(&self) -> LayerProfile<f64> {
        self.map(Scalar::to_f64)
    }
}
