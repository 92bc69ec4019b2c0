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

use super::surd::{SquareClasses, Surd};
use super::variant::Part;
pub use super::variant::Variant;
use super::verdict::{DecidedBy, FailedHypothesis, Verdict, Witness};
use crate::enclosure::Decision;
use crate::instance::Instance;
use crate::norms::patch_norm_squared;
use crate::scalar::Scalar;
use crate::tolerance;

mod comparisons;
mod form;
mod outcome;
mod prepared;
mod report;
mod witness;

use comparisons::Comparisons;
pub use form::Theorem2;
pub use outcome::outcome_of;
use prepared::{exact_text, prepare, structural_hypotheses};
pub(crate) use report::tightness;
pub use report::{LayerReport, Theorem2Report, screen_out_of_range};
use witness::{entrywise_witness, hypothesis_a_failure, patch_witness, window_failure};

/// Which form of the statement is checked: the paper's ([`Variant::PAPER`]), or one with
/// [`Part::ContrastTerm`], [`Part::PatchSparsityFactor`] or [`Part::ThresholdWindow`] removed
/// (the negative controls, which must be refuted).
pub type Statement = Variant;

/// Checks a form of Theorem 2 on an exact instance: `ε_i` kept as an exact sum of square roots
/// ([`surd`]), every comparison decided exactly or by enclosures refined to a certified
/// precision.
fn check_exact<S: Scalar>(instance: &Instance<S>, statement: Statement) -> Theorem2Report {
    let layers = prepare(instance);
    let noise_energy = patch_norm_squared(&instance.noise, instance.model.layer(1).filter_length());
    let structural = structural_hypotheses(instance, &layers, &noise_energy);
    let roots: Vec<usize> = if statement.keeps(Part::PatchSparsityFactor) {
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
        let formulas = if statement.keeps(Part::ContrastTerm) {
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
        let hypothesis_b = if statement.keeps(Part::ThresholdWindow) {
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
        if failed_hypothesis.is_none() {
            if hypothesis_a == Decision::False {
                failed_hypothesis = Some(hypothesis_a_failure(
                    number,
                    &classes,
                    &epsilon_previous,
                    &a_right,
                    &q.profile,
                ));
            } else if hypothesis_b == Decision::False {
                failed_hypothesis = Some(window_failure(
                    number,
                    &classes,
                    beta,
                    &window_low,
                    &window_high,
                ));
            }
        }
        // The entrywise bound ε_{i-1} + μ (s − 1)|Γ^max| + β_i (hard thresholding drops β_i),
        // and ε_i = sqrt(p_i) times it.
        let exact_part = formulas.entrywise_bound(&zero, beta, instance.thresholding);
        let entrywise_bound = epsilon_previous.add_rational(&exact_part);
        let epsilon = if statement.keeps(Part::PatchSparsityFactor) {
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
        if violation.is_none() {
            if entrywise_ok == Decision::False {
                violation = Some(entrywise_witness(number, &classes, q, &entrywise_bound));
            } else if patch_ok == Decision::False {
                violation = Some(patch_witness(number, &classes, q, &epsilon_squared));
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

/// Theorem 2 as stated in the paper (see [`check_theorem2_statement`]).
pub fn check_theorem2<S: Scalar>(instance: &Instance<S>) -> Theorem2Report {
    check_theorem2_statement(instance, Statement::PAPER)
}
