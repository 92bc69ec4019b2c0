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
//! **Exactness.** Every LASSO minimiser is certified exactly (see
//! [`crate::pursuit::basis_pursuit`]). The statement holds for any `ε_0 ≥ ‖E‖^P_{2,∞}(n_1)`, and
//! each layer's statement for any bound on the error entering it; so where `ε_i` is irrational
//! (`p_i` not a square, or `ε_0` a root) the chain continues with `ε'_i`, the upper end of a
//! 128-bit certified enclosure of `ε_i` (the exact value when it is rational), so that every
//! `ξ_i = 4 ε'_{i-1}` is rational. Conclusions at layer `i` are checked against `ε'_{i-1}`, which
//! exceeds `ε_{i-1}` by at most `2^-120` relative; `ε_i` itself is compared on squares.
//!
//! The whole check runs in [`SmallRational`] (machine-word fractions that widen to big
//! rationals only when a value needs it): the instance is converted once, and the chain, the
//! estimates, every `ε`, norm and comparison are the same exact rationals as in [`Rational`],
//! which only the report's estimates are converted back to.
//!
//! ## References
//! - V. Papyan, Y. Romano, M. Elad, "Convolutional Neural Networks Analyzed via Convolutional
//!   Sparse Coding", JMLR 18 (2017), the theorem on layered basis pursuit (recalled).

mod conclusions;

use std::sync::OnceLock;

use crate::theorems::clause::BasisPursuitClause;
use num_traits::Signed;
use serde::Serialize;

use super::theorem2_bounds::patch_width;
use super::variant::{Part, Variant};
use super::verdict::{FailedHypothesis, Verdict, Witness};
use crate::coherence::mutual_coherence;
use crate::instance::{Instance, small_instance};
use crate::model::LayerVector;
use crate::norms::{patch_norm_squared, patch_sparsity, stripe_sparsity};
use crate::pursuit::basis_pursuit::certified_lasso;
use crate::scalar::rational_to_text;
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;
use conclusions::{Comparison, sparsity_hypothesis};

/// Bits of the enclosure whose upper end continues an irrational `ε` chain.
const CHAIN_BITS: u32 = 128;

/// One layer of the check.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
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
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct BasisPursuitReport {
    /// The verdict.
    pub verdict: Verdict,
    /// Decided exactly.
    pub certified: bool,
    /// One entry per layer reached.
    pub layers: Vec<BasisPursuitLayer>,
    /// The certified estimates `Γ̂_1, …` (as far as they were computed).
    #[serde(skip)]
    pub estimates: Vec<LayerVector<Rational>>,
}

/// `p` as an exact number.
fn count(p: usize) -> SmallRational {
    SmallRational::from_integer(i64::try_from(p).expect("a count fits a machine word"))
}

/// `text` of an exact value, as [`rational_to_text`] writes it.
fn text(value: &SmallRational) -> String {
    rational_to_text(&value.to_big())
}

/// Patch sparsities below this have their `sqrt(p)` computed once per process.
const REMEMBERED_ROOTS: usize = 64;

/// `sqrt(p)`, exactly when rational, else the upper end of its certified enclosure.
fn root_upper(p: usize) -> SmallRational {
    let (lo, hi) = count(p).sqrt_bounds(CHAIN_BITS);
    if lo == hi { lo } else { hi }
}

/// `sqrt(p) · x` for exact `p, x ≥ 0`, with `sqrt(p)` as in [`root_upper`].
fn root_times_upper(p: usize, x: &SmallRational) -> SmallRational {
    static ROOTS: OnceLock<Vec<SmallRational>> = OnceLock::new();
    if p < REMEMBERED_ROOTS {
        let roots = ROOTS.get_or_init(|| (0..REMEMBERED_ROOTS).map(root_upper).collect());
        &roots[p] * x
    } else {
        root_upper(p) * x
    }
}

/// The positive floor `2^-20 · max |Y|` of `ε_{i-1}` in [`prescribed_weights`], so that a
/// noise-free instance still gets a LASSO with a positive weight (`ξ = 0` is degenerate).
const NOISE_FREE_FLOOR_BITS: i32 = 20;

/// The weights `ξ_i = 4 ε_{i-1}` the theorem prescribes, along its chain
/// `ε_i = 7.5 ε_{i-1} sqrt(p_i)` (roots rounded up), from `ε_0` (the declared budget, or the
/// measured `‖E‖^P_{2,∞}(n_1)` rounded up), for any valid instance whether or not its
/// hypotheses hold; where `ε_{i-1} = 0` (no noise) it is replaced by `2^-20 · max |Y|`.
pub fn prescribed_weights(instance: &Instance<Rational>) -> Vec<Rational> {
    let instance = small_instance(instance);
    let constants = Constants::of(&Variant::PAPER);
    let model = &instance.model;
    let (signal, chain) = instance.signal_and_chain();
    let noise_energy = patch_norm_squared(&instance.noise, model.layer(1).filter_length());
    let mut epsilon = instance
        .noise_budget
        .clone()
        .unwrap_or_else(|| noise_energy.sqrt_bounds(CHAIN_BITS).1);
    let floor = signal.max_abs() / SmallRational::from_integer(1i64 << NOISE_FREE_FLOOR_BITS);
    let mut weights = Vec::with_capacity(model.depth());
    for (i, gamma) in chain.iter().enumerate().skip(1) {
        if !epsilon.is_positive() {
            epsilon = floor.clone();
        }
        weights.push((&constants.weight_factor * &epsilon).to_big());
        let p = patch_sparsity(gamma, patch_width(model, i, instance.last_patch_width));
        epsilon = root_times_upper(p, &(&constants.error_factor * &epsilon));
    }
    weights
}

/// Checks the layered basis pursuit theorem on an instance (its `thresholds` are ignored).
pub fn check_layered_basis_pursuit(instance: &Instance<Rational>) -> BasisPursuitReport {
    check_layered_basis_pursuit_with(instance, &Variant::PAPER)
}

/// The constants of a form of the statement: `ξ_i = weight_factor · ε_{i-1}` and
/// `‖Γ̂_i − Γ_i‖_∞ ≤ error_factor · ε_{i-1}` (the paper: 4 and 7.5, which a negative control
/// replaces through [`Part::LassoWeightFactor`] and [`Part::EntrywiseErrorFactor`]).
struct Constants {
    weight_factor: SmallRational,
    error_factor: SmallRational,
}

impl Constants {
    fn of(variant: &Variant) -> Self {
        let constant = |part, numerator: i64, denominator: i64| {
            let published = Rational::new(numerator.into(), denominator.into());
            SmallRational::from(&variant.constant(part, published))
        };
        Constants {
            weight_factor: constant(Part::LassoWeightFactor, 4, 1),
            error_factor: constant(Part::EntrywiseErrorFactor, 15, 2),
        }
    }
}

/// As [`check_layered_basis_pursuit`] for another form of the statement (a negative control
/// with other constants).
pub fn check_layered_basis_pursuit_with(
    instance: &Instance<Rational>,
    variant: &Variant,
) -> BasisPursuitReport {
    check_small(&small_instance(instance), variant)
}

/// `ε_0`: the declared noise budget, else an upper bound on `‖E‖^P_2,∞`; `None` when the
/// declared budget is below `‖E‖^P_2,∞`.
fn noise_level(instance: &Instance<SmallRational>) -> Option<SmallRational> {
    let noise_energy = patch_norm_squared(&instance.noise, instance.model.layer(1).filter_length());
    match &instance.noise_budget {
        Some(budget) if noise_energy > budget * budget => None,
        Some(budget) => Some(budget.clone()),
        None => Some(noise_energy.sqrt_bounds(CHAIN_BITS).1),
    }
}

/// The check in [`SmallRational`], every value equal to the [`Rational`] one.
fn check_small(instance: &Instance<SmallRational>, variant: &Variant) -> BasisPursuitReport {
    let constants = Constants::of(variant);
    let model = &instance.model;
    let (signal, chain) = instance.signal_and_chain();
    let Some(mut epsilon) = noise_level(instance) else {
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
        let weight = &constants.weight_factor * &epsilon;
        let certificate = match certified_lasso(layer, &input, &weight) {
            Ok(c) => c,
            Err(failure) => {
                let verdict = Verdict::Undecided {
                    layer: i,
                    comparison: failure.reason,
                };
                return decided(verdict, layers, estimates);
            }
        };
        let estimate = certificate.estimate;
        let entrywise_bound = &seven_and_a_half * &epsilon;
        let epsilon_next = root_times_upper(p, &entrywise_bound);
        let comparison = Comparison::new(i, width, p, gamma, &estimate, entrywise_bound);
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

/// A certified report on the layers reached, with the estimates computed (in [`Rational`]).
fn decided(
    verdict: Verdict,
    layers: Vec<BasisPursuitLayer>,
    estimates: Vec<LayerVector<SmallRational>>,
) -> BasisPursuitReport {
    BasisPursuitReport {
        verdict,
        certified: true,
        layers,
        estimates: estimates
            .iter()
            .map(|e| e.map(SmallRational::to_big))
            .collect(),
    }
}

fn vacuous(
    layer: usize,
    hypothesis: BasisPursuitClause,
    detail: String,
    layers: Vec<BasisPursuitLayer>,
) -> BasisPursuitReport {
    let verdict = Verdict::Vacuous(FailedHypothesis {
        layer,
        hypothesis: hypothesis.into(),
        detail,
        shortfall: 0.0,
    });
    decided(verdict, layers, Vec::new())
}
