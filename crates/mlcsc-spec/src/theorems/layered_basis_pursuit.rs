//! Stability of layered basis pursuit, the "better pursuit" of the seed paper's abstract
//! (docs/math.md §7, RECALLED: checked like a conjecture).
//!
//! > Layer `i` solves `min_Γ ½ ‖Γ̂_{i-1} − D_i Γ‖² + ξ_i ‖Γ‖_1` with `ξ_i = 4 ε_{i-1}`. If
//! > `‖Γ_i‖^S_{0,∞} < ⅓ (1 + 1/μ_i)` for all `i`, with `ε_i = 7.5 · ε_{i-1} · sqrt(p_i)`, then
//! > `supp(Γ̂_i) ⊆ supp(Γ_i)`, `‖Γ̂_i − Γ_i‖_∞ ≤ 7.5 ε_{i-1}`, every entry of `Γ_i` larger than
//! > `7.5 ε_{i-1}` in magnitude is recovered, and `‖Γ̂_i − Γ_i‖^P_{2,∞} ≤ ε_i`.
//!
//! Unlike Theorem 2 nothing depends on the contrast `|Γ^min| / |Γ^max|`.
//!
//! **Exactness.** Every LASSO minimiser is certified exactly: a solver passed in proposes it
//! and certifies it by the optimality conditions of
//! [`crate::pursuit::lasso_certificate`] (`proofs/layered_basis_pursuit.md`, C1). The statement holds for any `ε_0 ≥ ‖E‖^P_{2,∞}(n_1)`, and
//! each layer's statement for any bound on the error entering it; so where `ε_i` is irrational
//! (`p_i` not a square, or `ε_0` a root) the chain continues with `ε'_i`, the upper end of a
//! 128-bit certified enclosure of `ε_i` (the exact value when it is rational), so that every
//! `ξ_i = 4 ε'_{i-1}` is rational. Conclusions at layer `i` are checked against `ε'_{i-1}`, which
//! exceeds `ε_{i-1}` by at most `2^-120` relative; `ε_i` itself is compared on squares.
//!
//! The whole check is generic over the exact field `S` of the instance and over the
//! [`Kernels`] that compute its patch norms: the chain, the estimates, every `ε`, norm and
//! comparison are the same exact rationals in every exact field, so the report is too.
//!
//! ## References
//! - V. Papyan, Y. Romano, M. Elad, "Convolutional Neural Networks Analyzed via Convolutional
//!   Sparse Coding", JMLR 18 (2017), the theorem on layered basis pursuit (recalled).

mod conclusions;

use super::clause::BasisPursuitClause;
use super::theorem2_bounds::patch_width;
use super::variant::{Part, Variant};
use super::verdict::{FailedHypothesis, Verdict, Witness};
use crate::coherence::mutual_coherence;
use crate::exact_linear_algebra::ExactField;
use crate::instance::Instance;
use crate::kernels::Kernels;
use crate::model::{Layer, LayerVector};
use crate::norms::{patch_sparsity, stripe_sparsity};
use crate::scalar::{Rational, Scalar, rational_to_text};
use conclusions::{Comparison, sparsity_hypothesis};

/// Bits of the enclosure whose upper end continues an irrational `ε` chain.
const CHAIN_BITS: u32 = 128;

/// One layer of the check.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub struct BasisPursuitLayer {
    /// Layer, from 1.
    pub layer: usize,
    /// `μ_i`.
    pub coherence: f64,
    /// `s_i`.
    pub stripe_sparsity: usize,
    /// `⅓ (1 + 1/μ_i)` (infinite for `μ_i = 0`).
    pub sparsity_bound: f64,
    /// `s_i < ⅓ (1 + 1/μ_i)`.
    pub hypothesis_holds: bool,
    /// `ε'_{i-1}`.
    pub epsilon_previous: f64,
    /// `ξ_i = 4 ε'_{i-1}`.
    pub lasso_weight: f64,
    /// `ξ_i` exactly.
    pub lasso_weight_exact: Option<String>,
    /// The minimiser was certified unique.
    pub unique: bool,
    /// `|supp Γ̂_i|`.
    pub support_size: usize,
    /// `supp Γ̂_i ⊆ supp Γ_i`.
    pub support_included: bool,
    /// `‖Γ̂_i − Γ_i‖_∞`.
    pub error_max: f64,
    /// `7.5 ε'_{i-1}`.
    pub entrywise_bound: f64,
    /// `‖Γ̂_i − Γ_i‖^P_{2,∞}(w)`.
    pub error_patch_norm: f64,
    /// `ε_i`.
    pub epsilon: f64,
    /// `p_i`.
    pub patch_sparsity: usize,
    /// Entries of `Γ_i` above `7.5 ε'_{i-1}`, and how many were recovered.
    pub large_entries: usize,
    /// See `large_entries`.
    pub large_entries_recovered: usize,
}

/// The outcome of checking layered basis pursuit on one instance.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub struct BasisPursuitReport<S = Rational> {
    /// The verdict.
    pub verdict: Verdict,
    /// Decided exactly.
    pub certified: bool,
    /// One entry per layer reached.
    pub layers: Vec<BasisPursuitLayer>,
    /// The certified estimates `Γ̂_1, …` (as far as they were computed).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub estimates: Vec<LayerVector<S>>,
}

impl<S: Scalar> BasisPursuitReport<S> {
    /// The same report with its estimates carried into another field by `f` (for example an
    /// engine's exact type back to [`Rational`]).
    pub fn map<T: Scalar>(self, f: impl Fn(&S) -> T + Copy) -> BasisPursuitReport<T> {
        BasisPursuitReport {
            verdict: self.verdict,
            certified: self.certified,
            layers: self.layers,
            estimates: self.estimates.iter().map(|e| e.map(f)).collect(),
        }
    }
}

/// A LASSO minimiser certified exactly (by [`crate::pursuit::lasso_certificate`]'s
/// conditions), as the solver passed to [`check_layered_basis_pursuit`] returns it.
#[derive(Clone, Debug)]
pub struct CertifiedMinimiser<S = Rational> {
    /// The minimiser, exactly.
    pub estimate: LayerVector<S>,
    /// `D_Sᵀ D_S` nonsingular and every off-support optimality inequality strict.
    pub unique: bool,
    /// `|S|`.
    pub support_size: usize,
}

/// `p` as an exact number.
fn count<S: Scalar>(p: usize) -> S {
    S::from_integer(i64::try_from(p).expect("a count fits a machine word"))
}

/// `text` of an exact value, as [`rational_to_text`] writes it.
fn text<S: Scalar>(value: &S) -> String {
    rational_to_text(&value.to_rational().expect("an exact field holds rationals"))
}

/// `sqrt(p)` exactly when it is rational, else the upper end of its certified enclosure to 128
/// bits: the factor of `ε_i = 7.5 ε_{i-1} sqrt(p_i)` by which the chain
/// continues.
pub fn root_upper<S: ExactField>(p: usize) -> S {
    let (lo, hi) = count::<S>(p).sqrt_bounds(CHAIN_BITS);
    if lo == hi { lo } else { hi }
}

/// What the statement takes from outside: a LASSO solver whose minimisers are certified
/// exactly, and [`root_upper`] (which an engine may remember rather than recompute).
pub trait BasisPursuitSolver<S: ExactField> {
    /// A minimiser of `½ ‖y − DΓ‖² + ξ ‖Γ‖_1` (`D` the layer's dictionary, `ξ = weight > 0`),
    /// certified exactly by the optimality conditions of [`crate::pursuit::lasso_certificate`];
    /// `Err` with the reason when none could be certified.
    fn certify(
        &self,
        layer: &Layer<S>,
        y: &LayerVector<S>,
        weight: &S,
    ) -> Result<CertifiedMinimiser<S>, String>;

    /// [`root_upper`]`(p)`: the same value, however it is obtained.
    fn root_upper(&self, p: usize) -> S {
        root_upper(p)
    }
}

/// The positive floor `2^-20 · max |Y|` of `ε_{i-1}` in [`prescribed_weights`], so that a
/// noise-free instance still gets a LASSO with a positive weight (`ξ = 0` is degenerate).
const NOISE_FREE_FLOOR_BITS: i32 = 20;

/// The weights `ξ_i = 4 ε_{i-1}` the theorem prescribes, along its chain
/// `ε_i = 7.5 ε_{i-1} sqrt(p_i)` (roots rounded up), from `ε_0` (the declared budget, or the
/// measured `‖E‖^P_{2,∞}(n_1)` rounded up), for any valid instance whether or not its
/// hypotheses hold; where `ε_{i-1} = 0` (no noise) it is replaced by `2^-20 · max |Y|`.
pub fn prescribed_weights<S: ExactField, K: Kernels<S>>(instance: &Instance<S>) -> Vec<S> {
    let constants = Constants::<S>::of(&Variant::PAPER);
    let model = &instance.model;
    let (signal, chain) = instance.signal_and_chain();
    let noise_energy = K::patch_norm_squared(&instance.noise, model.layer(1).filter_length());
    let mut epsilon = instance
        .noise_budget
        .clone()
        .unwrap_or_else(|| noise_energy.sqrt_bounds(CHAIN_BITS).1);
    let floor = signal
        .max_abs()
        .quotient(&S::from_integer(1i64 << NOISE_FREE_FLOOR_BITS));
    let mut weights = Vec::with_capacity(model.depth());
    for (i, gamma) in chain.iter().enumerate().skip(1) {
        if !epsilon.is_positive() {
            epsilon = floor.clone();
        }
        weights.push(constants.weight_factor.product(&epsilon));
        let p = patch_sparsity(gamma, patch_width(model, i, instance.last_patch_width));
        epsilon = root_upper::<S>(p).product(&constants.error_factor.product(&epsilon));
    }
    weights
}

/// The constants of a form of the statement: `ξ_i = weight_factor · ε_{i-1}` and
/// `‖Γ̂_i − Γ_i‖_∞ ≤ error_factor · ε_{i-1}` (the paper: 4 and 7.5, which a negative control
/// replaces through [`Part::LassoWeightFactor`] and [`Part::EntrywiseErrorFactor`]).
struct Constants<S> {
    weight_factor: S,
    error_factor: S,
}

impl<S: Scalar> Constants<S> {
    /// The constants of the form `variant`.
    fn of(variant: &Variant) -> Self {
        let constant = |part, numerator: i64, denominator: i64| {
            let published = Rational::new(numerator.into(), denominator.into());
            S::from_rational(&variant.constant(part, published))
        };
        Constants {
            weight_factor: constant(Part::LassoWeightFactor, 4, 1),
            error_factor: constant(Part::EntrywiseErrorFactor, 15, 2),
        }
    }
}

/// `ε_0`: the declared noise budget, else an upper bound on `‖E‖^P_2,∞`; `None` when the
/// declared budget is below `‖E‖^P_2,∞`.
fn noise_level<S: ExactField, K: Kernels<S>>(instance: &Instance<S>) -> Option<S> {
    let noise_energy =
        K::patch_norm_squared(&instance.noise, instance.model.layer(1).filter_length());
    match &instance.noise_budget {
        Some(budget) if noise_energy > budget.product(budget) => None,
        Some(budget) => Some(budget.clone()),
        None => Some(noise_energy.sqrt_bounds(CHAIN_BITS).1),
    }
}

/// The theorem on an instance (its `thresholds` are ignored) in the form `variant` (the
/// paper's, [`Variant::PAPER`], or a negative control with other constants): layer by layer,
/// the hypothesis, the LASSO with `ξ_i = 4 ε'_{i-1}` solved and certified by `solver` (an
/// `Err` with a reason when it cannot certify a minimiser: the verdict is then undecided),
/// and the conclusions, with patch norms from `K`.
pub fn check_layered_basis_pursuit<S: ExactField, K: Kernels<S>>(
    instance: &Instance<S>,
    variant: &Variant,
    solver: &impl BasisPursuitSolver<S>,
) -> BasisPursuitReport<S> {
    let constants = Constants::<S>::of(variant);
    let model = &instance.model;
    let (signal, chain) = instance.signal_and_chain();
    let Some(mut epsilon) = noise_level::<S, K>(instance) else {
        return vacuous(
            0,
            BasisPursuitClause::NoiseBudget,
            "the declared noise budget is below ‖E‖^P_2,∞".into(),
            Vec::new(),
        );
    };
    let mut layers = Vec::new();
    let mut estimates = Vec::new();
    let mut input = signal;
    let seven_and_a_half = constants.error_factor.clone();
    for (i, gamma) in chain.iter().enumerate().skip(1) {
        let layer = model.layer(i);
        let mu = mutual_coherence(layer);
        let s = stripe_sparsity(gamma, layer.filter_length());
        let width = patch_width(model, i, instance.last_patch_width);
        let p = patch_sparsity(gamma, width);
        let sparsity_bound = match sparsity_hypothesis(&mu, s) {
            Ok(bound) => bound,
            Err(detail) => return vacuous(i, BasisPursuitClause::StripeSparsity, detail, layers),
        };
        if !epsilon.is_positive() {
            return vacuous(
                i,
                BasisPursuitClause::PositiveNoiseLevel,
                "ε_(i-1) = 0 makes ξ_i = 0, a degenerate LASSO".into(),
                layers,
            );
        }
        let weight = constants.weight_factor.product(&epsilon);
        let certificate = match solver.certify(layer, &input, &weight) {
            Ok(c) => c,
            Err(reason) => {
                let verdict = Verdict::Undecided {
                    layer: i,
                    comparison: reason,
                };
                return decided(verdict, layers, estimates);
            }
        };
        let estimate = certificate.estimate;
        let entrywise_bound = seven_and_a_half.product(&epsilon);
        let epsilon_next = solver.root_upper(p).product(&entrywise_bound);
        let comparison = Comparison::new::<K>(i, width, p, gamma, &estimate, entrywise_bound);
        let report = BasisPursuitLayer {
            layer: i,
            coherence: mu.to_f64(),
            stripe_sparsity: s,
            sparsity_bound,
            hypothesis_holds: true,
            epsilon_previous: epsilon.to_f64(),
            lasso_weight: weight.to_f64(),
            lasso_weight_exact: Some(text(&weight)),
            unique: certificate.unique,
            support_size: certificate.support_size,
            support_included: comparison.outside.is_none(),
            error_max: comparison.error_max.to_f64(),
            entrywise_bound: comparison.entrywise_bound.to_f64(),
            error_patch_norm: comparison.patch_squared.to_f64().sqrt(),
            epsilon: epsilon_next.to_f64(),
            patch_sparsity: p,
            large_entries: comparison.large,
            large_entries_recovered: comparison.large - usize::from(comparison.missed.is_some()),
        };
        layers.push(report);
        let witness = comparison.witness();
        estimates.push(estimate.clone());
        if let Some(witness) = witness {
            return decided(Verdict::Violated(witness), layers, estimates);
        }
        input = estimate;
        epsilon = epsilon_next;
    }
    decided(Verdict::Holds, layers, estimates)
}

/// A certified report on the layers reached, with the estimates computed.
fn decided<S>(
    verdict: Verdict,
    layers: Vec<BasisPursuitLayer>,
    estimates: Vec<LayerVector<S>>,
) -> BasisPursuitReport<S> {
    BasisPursuitReport {
        verdict,
        certified: true,
        layers,
        estimates,
    }
}

/// A certified report that a hypothesis fails at `layer`.
fn vacuous<S>(
    layer: usize,
    hypothesis: BasisPursuitClause,
    detail: String,
    layers: Vec<BasisPursuitLayer>,
) -> BasisPursuitReport<S> {
    let verdict = Verdict::Vacuous(FailedHypothesis {
        layer,
        hypothesis: hypothesis.into(),
        detail,
        shortfall: 0.0,
    });
    decided(verdict, layers, Vec::new())
}
