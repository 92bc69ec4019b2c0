//! One layer of Theorem 2 in `f64` with error bounds: hypotheses (a) and (b) and conclusions
//! 1–3, each the formula of [`crate::theorems::theorem2_bounds`] evaluated on intervals, and
//! the plain `f64` numbers of the report from the same formulas.

use super::coherence::coherence_with_plain;
use super::conclusions::conclusions;
use super::enclosed::Enclosed;
use super::error_norms::ErrorNorms;
use super::interval::Interval;
use super::midpoint_profile::{Known, midpoint_profile_with};
use super::open::Open;
use super::screen_layer::ScreenLayer;
use super::support::{
    Magnitudes, SupportMagnitudes, UncertainEntry, certain_magnitudes_with_range,
    support_conclusion,
};
use crate::bounds::{NextEpsilon, WindowPlacement};
use crate::enclosure::Decision;
use crate::fast::patch_norm_squared;
use crate::theorem2_report::{LayerReport, tightness};
use crate::theorems::clause::Theorem2Clause;
use crate::theorems::theorem2::Statement;
use crate::theorems::theorem2_bounds::{BoundArithmetic, LayerProfile};
use crate::theorems::variant::Part;
use crate::theorems::verdict::{FailedHypothesis, Witness};
use crate::thresholding::Thresholding;

/// What one layer's check reads.
pub(super) struct LayerInput<'a> {
    /// The layer, from 1.
    pub number: usize,
    pub screen: &'a ScreenLayer,
    /// `Γ_i`.
    pub truth: &'a Enclosed<'a>,
    /// [`certain_magnitudes_with_range`] of `Γ_i`, when found beforehand.
    pub magnitudes: Option<Result<SupportMagnitudes, UncertainEntry>>,
    /// `w_i`.
    pub patch_width: usize,
    /// `β_i` as given, and enclosed.
    pub beta_mid: f64,
    pub beta: Interval,
    pub thresholding: Thresholding,
    /// `ε_{i-1}`, enclosed and as the plain `f64` of the report.
    pub epsilon_previous: Interval,
    pub epsilon_previous_mid: f64,
}

/// What one layer's check found.
pub(super) struct LayerOutcome {
    pub report: LayerReport,
    /// `ε_i`, enclosed (`[0, ∞]` when the layer could not be bounded) and plain.
    pub epsilon: Interval,
    pub epsilon_mid: f64,
    /// A hypothesis certainly false at this layer.
    pub failed: Option<FailedHypothesis>,
    /// The support of `Γ_i` is uncertain or empty: later layers cannot be bounded.
    pub chain_open: bool,
    /// The bounds the conclusions are compared with, when the layer is bounded: the entrywise
    /// bound and `ε_i²`, enclosed.
    pub bounds: Option<(Interval, Interval)>,
}

/// The plain `f64` numbers of the report of one layer, from the midpoints, in an outcome whose
/// chain is open until the layer is decided; with the layer's profile and its formulas for
/// `statement`.
fn plain_outcome(
    input: &LayerInput,
    statement: Statement,
    known: Known,
) -> (LayerOutcome, LayerProfile<f64>, LayerProfile<f64>) {
    let i = input.number;
    let profile_mid = midpoint_profile_with(
        i,
        &input.screen.filters,
        &input.truth.mid,
        input.patch_width,
        known,
    );
    let formulas_mid = profile_mid.for_statement(statement.keeps(Part::ContrastTerm));
    let epsilon_previous_mid = input.epsilon_previous_mid;
    let low_mid = formulas_mid.window_low(&epsilon_previous_mid);
    let high_mid = formulas_mid.window_high(&epsilon_previous_mid);
    let entrywise_mid =
        formulas_mid.entrywise_bound(&epsilon_previous_mid, &input.beta_mid, input.thresholding);
    let epsilon_mid = formulas_mid
        .epsilon_from_entrywise(entrywise_mid, statement.keeps(Part::PatchSparsityFactor));
    let mut outcome = LayerOutcome {
        report: LayerReport {
            layer: i,
            coherence: profile_mid.coherence,
            coherence_exact: None,
            stripe_sparsity: profile_mid.stripe_sparsity,
            patch_sparsity: profile_mid.patch_sparsity,
            patch_width: input.patch_width,
            gamma_min: profile_mid.gamma_min,
            gamma_max: profile_mid.gamma_max,
            epsilon_previous: epsilon_previous_mid,
            window_low: low_mid,
            window_high: high_mid,
            threshold: input.beta_mid,
            threshold_exact: None,
            window_position: (input.beta_mid - low_mid) / (high_mid - low_mid),
            hypothesis_a: false,
            hypothesis_holds: false,
            epsilon: epsilon_mid,
            epsilon_exact: None,
            entrywise_bound: entrywise_mid,
            support_recovered: false,
            error_patch_norm: 0.0,
            error_max: 0.0,
            tightness: 0.0,
        },
        epsilon: Interval {
            lo: 0.0,
            hi: f64::INFINITY,
        },
        epsilon_mid,
        failed: None,
        chain_open: true,
        bounds: None,
    };
    set_estimate(&mut outcome.report, ErrorNorms::NONE, None);
    (outcome, profile_mid, formulas_mid)
}

/// The report's numbers of the estimate `Γ̂_i`: the norms of `Γ_i − Γ̂_i` (and the tightness
/// against the report's `ε_i`) and whether the support is certainly recovered (`None`: not
/// known, reported as not recovered).
pub(super) fn set_estimate(
    report: &mut LayerReport,
    error: ErrorNorms,
    support_recovered: Option<bool>,
) {
    report.error_patch_norm = error.patch_squared.sqrt();
    report.error_max = error.largest;
    report.tightness = tightness(report.error_patch_norm, report.epsilon);
    report.support_recovered = support_recovered.unwrap_or(false);
}

/// `(|Γ^min|, |Γ^max|)` enclosed, when the support of `Γ_i` is certain; else `None`, with the
/// uncertain entry noted in `open` (unless the chain is already open). With the plain range
/// of the midpoints when the support is certain.
fn support_magnitudes(
    input: &LayerInput,
    chain_open: bool,
    open: &mut Open,
) -> (Option<Magnitudes>, Option<(f64, f64)>) {
    let i = input.number;
    let found = (input.magnitudes).unwrap_or_else(|| certain_magnitudes_with_range(input.truth));
    match found {
        Ok((magnitudes, range)) => (magnitudes, Some(range)),
        Err((position, channel, m, r)) => {
            if !chain_open {
                open.note_hypothesis(i, || {
                    format!(
                        "the support of Γ_{i}: the entry at position {position}, channel {channel} is {m:e} ± {r:e}, zero or not within the f64 error bound"
                    )
                });
            }
            (None, None)
        }
    }
}

/// The hypotheses of one layer, with the comparisons left open recorded in `open`, and the
/// bounds its conclusions are compared with; the report's numbers of the estimate are left
/// for [`estimate_clauses`] (the hypotheses never read `Γ̂_i`). With `chain_open` (an earlier
/// layer's support was uncertain) only the report's plain numbers are computed.
pub(super) fn check_layer(
    input: &LayerInput,
    statement: Statement,
    chain_open: bool,
    open: &mut Open,
) -> LayerOutcome {
    let i = input.number;
    // The magnitudes' pass gives the plain range too, and the enclosed coherence the plain one.
    let (magnitudes, range) = support_magnitudes(input, chain_open, open);
    let certain = magnitudes.filter(|_| !chain_open);
    let coherences = certain.map(|_| coherence_with_plain(input.screen));
    let known = Known {
        range,
        coherence: coherences.map(|c| c.1),
    };
    let (mut outcome, profile_mid, formulas_mid) = plain_outcome(input, statement, known);
    let (Some((gamma_min, gamma_max)), Some((coherence, _))) = (certain, coherences) else {
        open.1 = true;
        return outcome;
    };
    let profile = LayerProfile {
        layer: i,
        coherence,
        stripe_sparsity: profile_mid.stripe_sparsity,
        patch_sparsity: profile_mid.patch_sparsity,
        patch_width: input.patch_width,
        gamma_min,
        gamma_max,
    };
    let hypotheses = hypotheses(input, &profile, statement, open);
    outcome.failed = hypotheses.failed.map(|clause| {
        let report = &outcome.report;
        let shortfall = match clause {
            Clause::A => (-formulas_mid.hypothesis_a_slack(&report.epsilon_previous)).max(0.0),
            Clause::B => (report.window_low - report.threshold)
                .max(report.threshold - report.window_high)
                .max(0.0),
        };
        hypotheses.failure(clause, input, &profile, shortfall)
    });
    outcome.report.hypothesis_a = hypotheses.a == Decision::True;
    outcome.report.hypothesis_holds = hypotheses.a.and(hypotheses.b) == Decision::True;
    let formulas = profile.for_statement(statement.keeps(Part::ContrastTerm));
    let entrywise =
        formulas.entrywise_bound(&input.epsilon_previous, &input.beta, input.thresholding);
    outcome.epsilon =
        formulas.epsilon_from_entrywise(entrywise, statement.keeps(Part::PatchSparsityFactor));
    let epsilon_squared =
        formulas.epsilon_squared(&entrywise, statement.keeps(Part::PatchSparsityFactor));
    outcome.bounds = Some((entrywise, epsilon_squared));
    outcome.chain_open = false;
    outcome
}

/// The clauses of one layer that read the estimate `Γ̂_i`: the report's numbers of the error
/// and of the support, and, when the layer is bounded (`bounds` from [`check_layer`]), the
/// conclusions, the first certainly false returned and the open comparisons recorded in
/// `open`.
pub(super) fn estimate_clauses(
    input: &LayerInput,
    estimate: &Enclosed,
    bounds: Option<(Interval, Interval)>,
    report: &mut LayerReport,
    open: &mut Open,
) -> Option<Witness> {
    let error = input.truth.difference(estimate);
    let norms = ErrorNorms {
        patch_squared: patch_norm_squared(&error.mid, input.patch_width),
        largest: error.mid.max_abs(),
    };
    let recovered = support_conclusion(input.truth, estimate).0 == Decision::True;
    set_estimate(report, norms, Some(recovered));
    let (entrywise, epsilon_squared) = bounds?;
    conclusions(input, estimate, &error, entrywise, epsilon_squared, open)
}

/// Hypothesis (a) or (b).
#[derive(Clone, Copy)]
enum Clause {
    A,
    B,
}

/// The decisions of (a) and (b) at one layer, with the values compared.
struct Hypotheses {
    a: Decision,
    b: Decision,
    /// The first of them certainly false.
    failed: Option<Clause>,
    doubled_epsilon: Interval,
    a_right: Interval,
    window_low: Interval,
    window_high: Interval,
}

/// (a): `2 ε_{i-1} < |Γ^min| − (2s − 1) μ |Γ^max|`; (b): `β_i` inside the window.
fn hypotheses(
    input: &LayerInput,
    profile: &LayerProfile<Interval>,
    statement: Statement,
    open: &mut Open,
) -> Hypotheses {
    let (i, previous) = (input.number, input.number - 1);
    let formulas = profile.for_statement(statement.keeps(Part::ContrastTerm));
    let epsilon = input.epsilon_previous;
    let doubled_epsilon = Interval::count(2) * epsilon;
    let a_right = formulas.hypothesis_a_slack(&Interval::point(0.0));
    let window_low = formulas.window_low(&epsilon);
    let window_high = formulas.window_high(&epsilon);
    let a = open.hypothesis(
        doubled_epsilon.less_than(a_right),
        i,
        || format!("hypothesis (a) at layer {i}: 2 ε_{previous} < |Γ^min| − (2s − 1) μ |Γ^max|"),
        doubled_epsilon,
        a_right,
    );
    let b = if statement.keeps(Part::ThresholdWindow) {
        let below = open.hypothesis(
            window_low.less_than(input.beta),
            i,
            || format!("hypothesis (b) at layer {i}: s μ |Γ^max| + ε_{previous} < β_{i}"),
            window_low,
            input.beta,
        );
        let above = open.hypothesis(
            input.beta.less_than(window_high),
            i,
            || format!("hypothesis (b) at layer {i}: β_{i} < |Γ^min| − (s − 1) μ |Γ^max| − ε_{previous}"),
            input.beta,
            window_high,
        );
        below.and(above)
    } else {
        Decision::True
    };
    let failed = if a == Decision::False {
        Some(Clause::A)
    } else if b == Decision::False {
        Some(Clause::B)
    } else {
        None
    };
    Hypotheses {
        a,
        b,
        failed,
        doubled_epsilon,
        a_right,
        window_low,
        window_high,
    }
}

impl Hypotheses {
    /// The failed hypothesis `clause`, with the values compared and its `f64` shortfall.
    fn failure(
        &self,
        clause: Clause,
        input: &LayerInput,
        profile: &LayerProfile<Interval>,
        shortfall: f64,
    ) -> FailedHypothesis {
        let (hypothesis, detail) = match clause {
            Clause::A => (
                Theorem2Clause::A,
                format!(
                    "2 ε_(i-1) = {} is not below |Γ^min| − (2s − 1) μ |Γ^max| = {} (s = {}, μ = {}, |Γ^min| = {}, |Γ^max| = {}; f64 with rounding-error bounds)",
                    self.doubled_epsilon.text(),
                    self.a_right.text(),
                    profile.stripe_sparsity,
                    profile.coherence.text(),
                    profile.gamma_min.text(),
                    profile.gamma_max.text()
                ),
            ),
            Clause::B => (
                Theorem2Clause::B,
                format!(
                    "β = {} is not strictly inside the window ({}, {}) (f64 with rounding-error bounds)",
                    input.beta.text(),
                    self.window_low.text(),
                    self.window_high.text()
                ),
            ),
        };
        FailedHypothesis {
            layer: input.number,
            hypothesis: hypothesis.into(),
            detail,
            shortfall,
        }
    }
}
