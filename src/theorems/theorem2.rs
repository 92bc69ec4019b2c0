//! Theorem 2 of Papyan, Romano and Elad: stability of layered soft thresholding, that is, of
//! the CNN forward pass (docs/math.md §6; the seed paper, Theorem 2).
//!
//! > Suppose `Y = X + E`, where `X = D_1 Γ_1`, `Γ_{i-1} = D_i Γ_i`, `‖E‖^P_{2,∞} ≤ ε_0`, and
//! > `‖Γ_i‖^S_{0,∞} = s_i < ½ (1 + (1/μ(D_i)) |Γ_i^min| / |Γ_i^max|) − (1/μ(D_i)) ε_{i-1} / |Γ_i^max|`.
//! > Then, for thresholds chosen properly, layered soft thresholding recovers the support of
//! > every `Γ_i`, and `‖Γ_i − Γ̂_i‖^P_{2,∞} ≤ ε_i = sqrt(p_i) (ε_{i-1} + μ(D_i)(s_i − 1)|Γ_i^max| + β_i)`.
//!
//! "Chosen properly" is made precise as hypothesis (b), the threshold window
//! `s_i μ_i |Γ_i^max| + ε_{i-1} < β_i < |Γ_i^min| − (s_i − 1) μ_i |Γ_i^max| − ε_{i-1}`, which is
//! non-empty exactly when (a) holds (lemma L4). Multiplying (a) by `2 μ_i |Γ_i^max| > 0` gives
//! the form checked here, `2 ε_{i-1} < |Γ_i^min| − (2 s_i − 1) μ_i |Γ_i^max|`, which is also
//! the paper's reading for `μ_i = 0`.
//!
//! Conclusions, for every layer: (1) `supp(Γ̂_i) = supp(Γ_i)` with equal signs; (2) the patch
//! bound at width `n_{i+1}` (or the declared `w_K`); (3) the entrywise bound
//! `‖Γ_i − Γ̂_i‖_∞ ≤ ε_{i-1} + μ_i (s_i − 1)|Γ_i^max| + β_i`. The hard-thresholding variant drops
//! `+ β_i`; the nonnegative variant (the ReLU network) also assumes every `Γ_i ≥ 0`.
//!
//! Square roots (`ε_0` when no budget is declared, `sqrt(p_i)`) are kept exact: `ε_i` is a sum
//! of rational multiples of square roots grouped by square class ([`super::surd`]), so that ties such
//! as `ε_2 = sqrt(2) sqrt(2) / 10 = 1/5 = β_3` are decided exactly, and every other comparison
//! is decided by enclosures refined to a precision derived from the numbers compared. Only a
//! comparison whose certified precision exceeds [`tolerance::ENCLOSURE_LIMIT_BITS`] gives
//! [`Verdict::Undecided`], never a pass. In `f64` the check is [`super::theorem2_f64::check_theorem2_f64`]:
//! every compared quantity carries a rigorous bound on its rounding error.
//!
//! ## References
//! - V. Papyan, Y. Romano, M. Elad, "Convolutional Neural Networks Analyzed via Convolutional
//!   Sparse Coding", JMLR 18 (2017), Theorem 2 (seed paper: Theorem 2).
//!
//! [notation]: crate::theorems::notation
//!
#![doc = include_str!("../../proofs/theorem2.md")]

use crate::theorems::clause::Theorem2Clause;
use std::cmp::Ordering;

use serde::Serialize;

use super::surd::{SquareClasses, Surd};
use super::theorem2_bounds::{LayerProfile, layer_profile};
use super::verdict::{DecidedBy, FailedHypothesis, Verdict, Witness};
use crate::enclosure::Decision;
use crate::instance::Instance;
use crate::model::LayerVector;
use crate::norms::{patch_norm_squared, worst_patch};
use crate::pursuit::{Thresholding, layered_thresholding};
use crate::scalar::Scalar;
use crate::tolerance;

/// Which form of the statement is checked: the paper's, or one with a hypothesis or factor
/// removed (the negative controls, which must be refuted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// Hypothesis (a) and the window's upper end use `|Γ^min|` (paper). Without it, `|Γ^min|`
    /// is replaced by `|Γ^max|`: the contrast `|Γ^min| / |Γ^max|` replaced by 1.
    pub contrast_term: bool,
    /// The patch bound carries the factor `sqrt(p_i)` (paper).
    pub patch_sparsity_factor: bool,
    /// Hypothesis (b), the threshold window, is required (paper).
    pub threshold_window: bool,
}

impl Statement {
    /// Theorem 2 as stated.
    pub const PAPER: Statement = Statement {
        contrast_term: true,
        patch_sparsity_factor: true,
        threshold_window: true,
    };
}

/// The quantities and checks of one layer.
#[derive(Clone, Debug, Serialize)]
pub struct LayerReport {
    /// Layer, from 1.
    pub layer: usize,
    /// `μ_i`.
    pub coherence: f64,
    /// `μ_i` exactly, when computed exactly.
    pub coherence_exact: Option<String>,
    /// `s_i = ‖Γ_i‖^S_{0,∞}`.
    pub stripe_sparsity: usize,
    /// `p_i = ‖Γ_i‖^P_{0,∞}(w)`.
    pub patch_sparsity: usize,
    /// `w`: `n_{i+1}`, or `w_K` at the last layer.
    pub patch_width: usize,
    /// `|Γ_i^min|` (0 for an all-zero `Γ_i`).
    pub gamma_min: f64,
    /// `|Γ_i^max|`.
    pub gamma_max: f64,
    /// `ε_{i-1}`.
    pub epsilon_previous: f64,
    /// The window's lower end `s_i μ_i |Γ_i^max| + ε_{i-1}`.
    pub window_low: f64,
    /// The window's upper end `|Γ_i^min| − (s_i − 1) μ_i |Γ_i^max| − ε_{i-1}`.
    pub window_high: f64,
    /// `β_i`.
    pub threshold: f64,
    /// `β_i` exactly.
    pub threshold_exact: Option<String>,
    /// `(β_i − low) / (high − low)`: 0 and 1 are the window's ends.
    pub window_position: f64,
    /// Hypothesis (a) at this layer.
    pub hypothesis_a: bool,
    /// Hypotheses (a) and (b) at this layer.
    pub hypothesis_holds: bool,
    /// `ε_i`.
    pub epsilon: f64,
    /// `ε_i` exactly: a rational, `sqrt(M) * c`, or a sum of such terms (`None` in `f64`).
    pub epsilon_exact: Option<String>,
    /// The entrywise bound `ε_{i-1} + μ_i (s_i − 1)|Γ_i^max| (+ β_i)`.
    pub entrywise_bound: f64,
    /// Conclusion 1: same support and signs.
    pub support_recovered: bool,
    /// `‖Γ_i − Γ̂_i‖^P_{2,∞}(w)`.
    pub error_patch_norm: f64,
    /// `‖Γ_i − Γ̂_i‖_∞`.
    pub error_max: f64,
    /// `error_patch_norm / ε_i` (how tight the bound is; ≤ 1 when it holds).
    pub tightness: f64,
}

/// The outcome of checking Theorem 2 on one instance.
#[derive(Clone, Debug, Serialize)]
pub struct Theorem2Report {
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// Whether the verdict was decided in exact arithmetic.
    pub certified: bool,
    /// Which arithmetic decided the verdict: `exact`, or `f64-enclosure` (`f64` with a rigorous
    /// bound on every compared quantity's rounding error).
    pub decided_by: DecidedBy,
    /// The thresholding variant (`soft`, `nonnegative`, `hard`).
    pub variant: &'static str,
    /// `ε_0` (the declared budget, or the measured `‖E‖^P_{2,∞}(n_1)`).
    pub epsilon_0: f64,
    /// The most bits any square-root enclosure needed (exact arithmetic; 0 in `f64`).
    pub enclosure_bits: u32,
    /// One entry per layer.
    pub layers: Vec<LayerReport>,
}

impl Theorem2Report {
    /// The largest `tightness` over the layers.
    pub fn largest_tightness(&self) -> f64 {
        self.layers.iter().map(|l| l.tightness).fold(0.0, f64::max)
    }
}

/// What is computed once, exactly, before any enclosure.
struct Layered<S> {
    /// `μ_i`, `s_i`, `p_i`, `w_i`, `|Γ_i^min|`, `|Γ_i^max|` (zero magnitudes for a zero `Γ_i`).
    profile: LayerProfile<S>,
    threshold: S,
    representation: LayerVector<S>,
    error_patch_squared: S,
    /// `Γ_i − Γ̂_i`, whose worst patch a witness names.
    error: LayerVector<S>,
    error_max: S,
    support_mismatch: Option<Witness>,
}

fn exact_text<S: Scalar>(x: &S) -> Option<String> {
    if S::EXACT {
        x.to_rational().map(|r| crate::scalar::rational_to_text(&r))
    } else {
        None
    }
}

fn text<S: Scalar>(x: &S) -> String {
    exact_text(x).unwrap_or_else(|| format!("{:e}", x.to_f64()))
}

/// The first atom where `estimate` and `truth` differ in support or sign.
fn support_mismatch<S: Scalar>(
    layer: usize,
    truth: &LayerVector<S>,
    estimate: &LayerVector<S>,
) -> Option<Witness> {
    let channels = truth.channels();
    truth
        .entries()
        .iter()
        .zip(estimate.entries())
        .position(|(t, e)| t.signum() != e.signum())
        .map(|k| Witness {
            layer,
            conclusion: Theorem2Clause::Support.into(),
            location: format!("atom (position {}, channel {})", k / channels, k % channels),
            observed: text(&estimate.entries()[k]),
            bound: format!("the sign of Γ = {}", text(&truth.entries()[k])),
        })
}

fn prepare<S: Scalar>(instance: &Instance<S>) -> Vec<Layered<S>> {
    let (signal, chain) = instance.signal_and_chain();
    let estimates = layered_thresholding(
        &instance.model,
        &signal,
        &instance.thresholds,
        instance.thresholding,
    );
    (1..=instance.model.depth())
        .map(|i| {
            let profile = layer_profile(&instance.model, i, &chain[i], instance.last_patch_width);
            let patch_width = profile.patch_width;
            let representation = chain[i].clone();
            let estimate = estimates[i - 1].clone();
            let error = representation.difference(&estimate);
            Layered {
                profile,
                threshold: instance.thresholds[i - 1].clone(),
                support_mismatch: support_mismatch(i, &representation, &estimate),
                error_patch_squared: patch_norm_squared(&error, patch_width),
                error_max: error.max_abs(),
                error,
                representation,
            }
        })
        .collect()
}

/// Hypotheses that do not involve enclosures: nonzero (and, for the ReLU variant,
/// nonnegative) representations, and a declared noise budget that covers the noise.
fn structural_hypotheses<S: Scalar>(
    instance: &Instance<S>,
    layers: &[Layered<S>],
    noise_energy: &S,
) -> Option<FailedHypothesis> {
    if let Some(budget) = &instance.noise_budget {
        let budget_squared = budget.clone() * budget.clone();
        if *noise_energy > budget_squared {
            return Some(FailedHypothesis {
                layer: 0,
                hypothesis: Theorem2Clause::NoiseBudget.into(),
                detail: format!(
                    "(‖E‖^P_2,∞)² = {} exceeds the declared budget squared {}",
                    text(noise_energy),
                    text(&budget_squared)
                ),
                shortfall: (noise_energy.to_f64().sqrt() - budget.to_f64()).max(0.0),
            });
        }
    }
    for (index, layer) in layers.iter().enumerate() {
        if layer.representation.count_nonzeros() == 0 {
            return Some(FailedHypothesis {
                layer: index + 1,
                hypothesis: Theorem2Clause::NonzeroRepresentation.into(),
                detail: "Γ_i is all zero, so |Γ_i^min| and |Γ_i^max| are undefined".into(),
                shortfall: 0.0,
            });
        }
        if instance.thresholding == Thresholding::Nonnegative
            && let Some(negative) = layer
                .representation
                .entries()
                .iter()
                .find(|v| v.is_negative())
        {
            return Some(FailedHypothesis {
                layer: index + 1,
                hypothesis: Theorem2Clause::NonnegativeRepresentation.into(),
                detail: format!(
                    "the ReLU variant needs Γ_i ≥ 0; Γ_i has the entry {}",
                    text(negative)
                ),
                shortfall: -negative.to_f64(),
            });
        }
    }
    None
}

/// The comparisons of one exact evaluation: the largest precision any of them needed, the
/// first one left open with the precision it reached, and whether a hypothesis is open.
struct Comparisons<'a, S> {
    classes: &'a SquareClasses<S>,
    bits: u32,
    open: Option<(usize, String)>,
    hypotheses_open: bool,
}

impl<S: Scalar> Comparisons<'_, S> {
    /// The sign of `x`, recording its precision; `None` (and the first such comparison, named
    /// `what` at `layer`) when the certified precision is above the limit.
    fn sign(&mut self, x: &Surd<S>, layer: usize, what: impl Fn() -> String) -> Option<Ordering> {
        let decision = self.classes.sign(x);
        self.bits = self.bits.max(decision.bits);
        if decision.sign.is_none() && self.open.is_none() {
            self.open = Some((
                layer,
                format!(
                    "{}: not decided with {}-bit enclosures (deciding it needs {} bits; the limit is {})",
                    what(),
                    decision.bits,
                    decision.needed_bits,
                    tolerance::ENCLOSURE_LIMIT_BITS
                ),
            ));
        }
        decision.sign
    }

    /// `x < 0`, for a hypothesis.
    fn negative(&mut self, x: &Surd<S>, layer: usize, what: impl Fn() -> String) -> Decision {
        match self.sign(x, layer, what) {
            Some(Ordering::Less) => Decision::True,
            Some(_) => Decision::False,
            None => {
                self.hypotheses_open = true;
                Decision::Undecided
            }
        }
    }

    /// `x ≥ 0`, for a conclusion.
    fn nonnegative(&mut self, x: &Surd<S>, layer: usize, what: impl Fn() -> String) -> Decision {
        match self.sign(x, layer, what) {
            Some(Ordering::Less) => Decision::False,
            Some(_) => Decision::True,
            None => Decision::Undecided,
        }
    }
}

/// Checks a form of Theorem 2 on an exact instance: `ε_i` kept as an exact sum of square roots
/// ([`surd`]), every comparison decided exactly or by enclosures refined to a certified
/// precision.
fn check_exact<S: Scalar>(instance: &Instance<S>, statement: Statement) -> Theorem2Report {
    let layers = prepare(instance);
    let noise_energy = patch_norm_squared(&instance.noise, instance.model.layer(1).filter_length());
    let structural = structural_hypotheses(instance, &layers, &noise_energy);
    let roots: Vec<usize> = if statement.patch_sparsity_factor {
        layers.iter().map(|q| q.profile.patch_sparsity).collect()
    } else {
        Vec::new()
    };
    let measured = instance.noise_budget.is_none().then_some(&noise_energy);
    let (classes, noise_root) = SquareClasses::new(&roots, measured);
    let epsilon_0 = match &instance.noise_budget {
        Some(budget) => Surd::rational(budget.clone()),
        None => noise_root.unwrap_or_else(Surd::zero),
    };
    let surd_text = |x: &Surd<S>| {
        let value = classes.to_f64(x);
        match classes.text(x, exact_text) {
            Some(exact) if x.rational_value().is_some() => exact,
            Some(exact) => format!("{exact} ≈ {value:e}"),
            None => format!("{value:e}"),
        }
    };
    let mut comparisons = Comparisons {
        classes: &classes,
        bits: tolerance::ENCLOSURE_START_BITS,
        open: None,
        hypotheses_open: false,
    };
    let two = S::from_integer(2);
    let mut epsilon_previous = epsilon_0.clone();
    let mut reports = Vec::with_capacity(layers.len());
    let mut failed_hypothesis: Option<FailedHypothesis> = None;
    let mut violation: Option<Witness> = None;
    for (index, q) in layers.iter().enumerate() {
        let number = index + 1;
        let previous = number - 1;
        let (gamma_min, gamma_max) = (q.profile.gamma_min.clone(), q.profile.gamma_max.clone());
        // The formulas of `theorem2_bounds` at ε_{i-1} = 0 give the rational parts; ε_{i-1}, a sum
        // of square roots, is added to them here. Without the contrast term the same formulas run
        // on the profile with |Γ^min| replaced by |Γ^max|.
        let formulas = if statement.contrast_term {
            q.profile.clone()
        } else {
            q.profile.without_contrast()
        };
        let zero = S::zero();
        let beta = &q.threshold;
        // Window of (b): s μ |Γ^max| + ε_{i-1} < β < |Γ^min| − (s − 1) μ |Γ^max| − ε_{i-1},
        // both ends decided as ε_{i-1} − (a rational) < 0.
        let low_offset = formulas.window_low(&zero);
        let high_offset = formulas.window_high(&zero);
        let window_low = epsilon_previous.add_rational(&low_offset);
        let window_high = Surd::rational(high_offset.clone()).sub(&epsilon_previous);
        let mut room_below = beta.clone();
        room_below -= &low_offset;
        let mut room_above = high_offset;
        room_above -= beta;
        // (a): 2 ε_{i-1} < |Γ^min| − (2 s − 1) μ |Γ^max|.
        let a_right = formulas.hypothesis_a_slack(&zero);
        let half_a_right = a_right.clone() / two.clone();
        let hypothesis_a = comparisons.negative(
            &epsilon_previous.add_rational(&-half_a_right),
            number,
            || format!("hypothesis (a) at layer {number}: 2 ε_{previous} < |Γ^min| − (2s − 1) μ |Γ^max|"),
        );
        let hypothesis_b = if statement.threshold_window {
            comparisons
                .negative(&epsilon_previous.add_rational(&-room_below), number, || {
                    format!("hypothesis (b) at layer {number}: s μ |Γ^max| + ε_{previous} < β_{number}")
                })
                .and(comparisons.negative(
                    &epsilon_previous.add_rational(&-room_above),
                    number,
                    || {
                        format!(
                            "hypothesis (b) at layer {number}: β_{number} < |Γ^min| − (s − 1) μ |Γ^max| − ε_{previous}"
                        )
                    },
                ))
        } else {
            Decision::True
        };
        for (decision, name) in [
            (hypothesis_a, Theorem2Clause::A),
            (hypothesis_b, Theorem2Clause::B),
        ] {
            if decision == Decision::False && failed_hypothesis.is_none() {
                let (detail, shortfall) = if name == Theorem2Clause::A {
                    let doubled = epsilon_previous.scale(&two);
                    (
                        format!(
                            "2 ε_(i-1) = {} is not below |Γ^min| − (2s − 1) μ |Γ^max| = {} (s = {}, μ = {}, |Γ^min| = {}, |Γ^max| = {})",
                            surd_text(&doubled),
                            text(&a_right),
                            q.profile.stripe_sparsity,
                            text(&q.profile.coherence),
                            text(&gamma_min),
                            text(&gamma_max)
                        ),
                        classes.to_f64(&doubled) - a_right.to_f64(),
                    )
                } else {
                    let (low, high) = (classes.to_f64(&window_low), classes.to_f64(&window_high));
                    (
                        format!(
                            "β = {} is not strictly inside the window ({}, {})",
                            text(beta),
                            surd_text(&window_low),
                            surd_text(&window_high)
                        ),
                        (low - beta.to_f64()).max(beta.to_f64() - high).max(0.0),
                    )
                };
                failed_hypothesis = Some(FailedHypothesis {
                    layer: number,
                    hypothesis: name.into(),
                    detail,
                    shortfall,
                });
            }
        }
        // The entrywise bound ε_{i-1} + μ (s − 1)|Γ^max| + β_i (hard thresholding drops β_i),
        // and ε_i = sqrt(p_i) times it.
        let exact_part = formulas.entrywise_bound(&zero, beta, instance.thresholding);
        let entrywise_bound = epsilon_previous.add_rational(&exact_part);
        let epsilon = if statement.patch_sparsity_factor {
            classes.mul(
                &classes.sqrt_integer(q.profile.patch_sparsity),
                &entrywise_bound,
            )
        } else {
            entrywise_bound.clone()
        };
        let epsilon_squared = classes.mul(&epsilon, &epsilon);
        // Conclusion 3 as ε_{i-1} − (‖Γ − Γ̂‖_∞ − exact part) ≥ 0; conclusion 2 on squares.
        let entrywise_ok = comparisons.nonnegative(
            &entrywise_bound.add_rational(&-q.error_max.clone()),
            number,
            || format!("conclusion 3 at layer {number}: ‖Γ_{number} − Γ̂_{number}‖_∞ ≤ ε_{previous} + μ (s − 1) |Γ^max| + β_{number}"),
        );
        let patch_ok = comparisons.nonnegative(
            &epsilon_squared.add_rational(&-q.error_patch_squared.clone()),
            number,
            || format!("conclusion 2 at layer {number}: (‖Γ_{number} − Γ̂_{number}‖^P_2,∞)² ≤ ε_{number}²"),
        );
        if violation.is_none()
            && let Some(witness) = &q.support_mismatch
        {
            violation = Some(witness.clone());
        }
        for (decision, conclusion) in [
            (entrywise_ok, Theorem2Clause::EntrywiseError),
            (patch_ok, Theorem2Clause::PatchError),
        ] {
            if decision == Decision::False && violation.is_none() {
                violation = Some(if conclusion == Theorem2Clause::EntrywiseError {
                    Witness {
                        layer: number,
                        conclusion: conclusion.into(),
                        location: "largest entry of Γ_i − Γ̂_i".into(),
                        observed: text(&q.error_max),
                        bound: surd_text(&entrywise_bound),
                    }
                } else {
                    let (worst_patch_position, _) = worst_patch(&q.error, q.profile.patch_width);
                    Witness {
                        layer: number,
                        conclusion: conclusion.into(),
                        location: format!(
                            "patch at positions {}..{} (width {})",
                            worst_patch_position,
                            worst_patch_position + q.profile.patch_width - 1,
                            q.profile.patch_width
                        ),
                        observed: format!("squared norm {}", text(&q.error_patch_squared)),
                        bound: format!("ε_i² = {}", surd_text(&epsilon_squared)),
                    }
                });
            }
        }
        let error_patch_norm = q.error_patch_squared.to_f64().sqrt();
        let epsilon_f64 = classes.to_f64(&epsilon);
        let (low, high) = (classes.to_f64(&window_low), classes.to_f64(&window_high));
        reports.push(LayerReport {
            layer: number,
            coherence: q.profile.coherence.to_f64(),
            coherence_exact: exact_text(&q.profile.coherence),
            stripe_sparsity: q.profile.stripe_sparsity,
            patch_sparsity: q.profile.patch_sparsity,
            patch_width: q.profile.patch_width,
            gamma_min: gamma_min.to_f64(),
            gamma_max: gamma_max.to_f64(),
            epsilon_previous: classes.to_f64(&epsilon_previous),
            window_low: low,
            window_high: high,
            threshold: beta.to_f64(),
            threshold_exact: exact_text(beta),
            window_position: (beta.to_f64() - low) / (high - low),
            hypothesis_a: hypothesis_a == Decision::True,
            hypothesis_holds: hypothesis_a.and(hypothesis_b) == Decision::True,
            epsilon: epsilon_f64,
            epsilon_exact: classes.text(&epsilon, exact_text),
            entrywise_bound: classes.to_f64(&entrywise_bound),
            support_recovered: q.support_mismatch.is_none(),
            error_patch_norm,
            error_max: q.error_max.to_f64(),
            tightness: tightness(error_patch_norm, epsilon_f64),
        });
        epsilon_previous = epsilon;
    }
    // A hypothesis certainly false makes the instance vacuous whatever else is open; every
    // hypothesis certainly true and a conclusion certainly false make it a counterexample
    // whatever other conclusion is open; otherwise an open comparison leaves it undecided.
    let verdict = match (
        structural.or(failed_hypothesis),
        violation,
        comparisons.open,
    ) {
        (Some(failed), _, _) => Verdict::Vacuous(failed),
        (None, Some(witness), _) if !comparisons.hypotheses_open => Verdict::Violated(witness),
        (None, _, Some((layer, comparison))) => Verdict::Undecided { layer, comparison },
        (None, Some(witness), None) => Verdict::Violated(witness),
        (None, None, None) => Verdict::Holds,
    };
    Theorem2Report {
        verdict,
        certified: true,
        decided_by: DecidedBy::Exact,
        variant: instance.thresholding.name(),
        epsilon_0: classes.to_f64(&epsilon_0),
        enclosure_bits: comparisons.bits,
        layers: reports,
    }
}

/// `‖Γ − Γ̂‖^P_{2,∞} / ε_i`: 0 for a zero error, infinite for a nonzero error and a zero bound.
pub(crate) fn tightness(error_patch_norm: f64, epsilon: f64) -> f64 {
    if epsilon > 0.0 {
        error_patch_norm / epsilon
    } else if error_patch_norm == 0.0 {
        0.0
    } else {
        f64::INFINITY
    }
}

/// Checks a form of Theorem 2 on an instance, with the variant given by the instance's
/// `thresholding`. In exact arithmetic the verdict is certified ([`DecidedBy::Exact`]); in
/// `f64` it comes from [`super::theorem2_f64::check_theorem2_f64`], whose `holds`, `violated` and `vacuous`
/// are right whenever given and which says `undecided` where rounding could matter.
pub fn check_theorem2_statement<S: Scalar>(
    instance: &Instance<S>,
    statement: Statement,
) -> Theorem2Report {
    if S::EXACT {
        check_exact(instance, statement)
    } else {
        super::theorem2_f64::check_theorem2_f64(&instance.map(|x: &S| x.to_f64()), statement)
    }
}

/// The first quantity of an `f64` screen's report that is not finite or lies outside
/// [`tolerance::SCREEN_MAGNITUDES`], with its layer (0 for `ε_0`). Outside that range squares
/// overflow to `inf` or underflow to 0, and a comparison such as `inf ≤ inf` or `0 ≤ 0` would
/// pass a violated bound, so [`check_theorem2_statement`] turns such a screen into
/// [`Verdict::Undecided`]. Loaded files are checked against the range when read; an
/// [`Instance`] built in code, or a deep chain of layers, can still carry a quantity outside.
pub fn screen_out_of_range(report: &Theorem2Report) -> Option<(usize, String)> {
    let (low, high) = tolerance::SCREEN_MAGNITUDES;
    let mut quantities = vec![(0, "ε_0".to_string(), report.epsilon_0)];
    for l in &report.layers {
        let i = l.layer;
        quantities.extend([
            (i, format!("|Γ_{i}^min|"), l.gamma_min),
            (i, format!("|Γ_{i}^max|"), l.gamma_max),
            (i, format!("β_{i}"), l.threshold),
            (i, format!("ε_{i}"), l.epsilon),
            (i, format!("‖Γ_{i} − Γ̂_{i}‖_∞"), l.error_max),
            (i, format!("‖Γ_{i} − Γ̂_{i}‖^P_2,∞"), l.error_patch_norm),
        ]);
        for (name, value) in [("window_low", l.window_low), ("window_high", l.window_high)] {
            if !value.is_finite() {
                return Some((i, format!("the {name} of layer {i} is {value}")));
            }
        }
    }
    quantities.into_iter().find_map(|(layer, what, value)| {
        let outside = !value.is_finite() || (value != 0.0 && !(low..=high).contains(&value.abs()));
        outside.then(|| {
            (
                layer,
                format!("{what} = {value:e} is outside [{low:e}, {high:e}]"),
            )
        })
    })
}

/// Theorem 2 as stated in the paper (see [`check_theorem2_statement`]).
pub fn check_theorem2<S: Scalar>(instance: &Instance<S>) -> Theorem2Report {
    check_theorem2_statement(instance, Statement::PAPER)
}
