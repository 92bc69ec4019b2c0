//! Theorem 2 and its negative controls as [`statement::Statement`]s: a [`Statement`] (the paper's, or one
//! with a part removed) and, for the paper's statement, the thresholding it is stated for.

use super::outcome::outcome_of;
use super::{Statement, Theorem2Report, check_theorem2_statement, screen_out_of_range};
use super::{epsilon_chain, exact_report};
use crate::exact_engine::IntegerViews;
use crate::instance::Instance;
use crate::instance::small_instance;
use crate::kernels::Plain;
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;
use crate::theorems::clause::Theorem2Clause;
use crate::theorems::outcome::Outcome;
use crate::theorems::statement;
use crate::theorems::theorem2_small::{
    PreparedTheorem2, check_theorem2_prepared, check_theorem2_statement_small,
};
use crate::theorems::variant::Part;
use crate::theorems::verdict::{Clause, FailedHypothesis, Verdict, Witness};
use crate::thresholding::Thresholding;
use mlcsc_engines::theorem2_report::ExactTexts;

const CITATION: &str = "Papyan, Romano, Elad, \"Analyzing Convolutional Neural Networks Through the Eyes of Sparsity\" (the seed paper), Theorem 2; docs/math.md §6";

/// A form of Theorem 2.
#[derive(Clone, Debug)]
pub struct Theorem2 {
    name: String,
    citation: String,
    statement: Statement,
    thresholding: Option<Thresholding>,
}

impl Theorem2 {
    /// Theorem 2 as stated, for one thresholding: an instance is checked with this
    /// thresholding whatever it declares.
    pub fn paper(variant: Thresholding) -> Self {
        Theorem2 {
            name: format!("theorem2-{}", variant.name()),
            citation: format!("{CITATION}; variant: {} thresholding", variant.name()),
            statement: Statement::PAPER,
            thresholding: Some(variant),
        }
    }

    /// Negative control: (a) and the window without the contrast term (`|Γ^min|/|Γ^max|`
    /// replaced by 1).
    pub fn without_contrast_term() -> Self {
        Theorem2::control(
            "theorem2-without-contrast-term",
            "hypothesis (a) with |Γ^min|/|Γ^max| replaced by 1 (negative control)",
            Part::ContrastTerm,
        )
    }

    /// Negative control: the patch bound without the factor `sqrt(p_i)`.
    pub fn without_patch_sparsity_factor() -> Self {
        Theorem2::control(
            "theorem2-without-patch-sparsity-factor",
            "ε_i without the factor sqrt(p_i) (negative control)",
            Part::PatchSparsityFactor,
        )
    }

    /// Negative control: hypothesis (b) dropped (its generator puts the last threshold just
    /// above its window).
    pub fn threshold_outside_window() -> Self {
        Theorem2::control(
            "theorem2-threshold-above-window",
            "the threshold 2% of the window's width above it, (b) dropped (negative control)",
            Part::ThresholdWindow,
        )
    }

    /// A negative control: `part` removed, with the instance's own thresholding.
    fn control(name: &str, what: &str, part: Part) -> Self {
        Theorem2 {
            name: name.into(),
            citation: format!("{CITATION}: {what}"),
            statement: Statement::PAPER.without(part),
            thresholding: None,
        }
    }

    /// The statement checked.
    pub fn statement(&self) -> Statement {
        self.statement
    }

    /// The thresholding an instance is checked with: the form's own for the paper's
    /// statement (`theorem2-hard` checks hard thresholding whatever the instance says), and
    /// the instance's (`None`) for a negative control.
    pub fn fixed_thresholding(&self) -> Option<Thresholding> {
        self.thresholding
    }

    /// `instance` with this form's thresholding, if it fixes one and the instance differs.
    fn with_thresholding<S: Scalar>(&self, instance: &Instance<S>) -> Option<Instance<S>> {
        let variant = self.thresholding.filter(|v| *v != instance.thresholding)?;
        let mut changed = instance.clone();
        changed.thresholding = variant;
        Some(changed)
    }

    /// The full report on one instance, decided exactly in
    /// [`crate::small_rational::SmallRational`] (machine-word fractions promoted to big integers
    /// on overflow; reports identical to [`Rational`]'s, `tests/all/fast_paths.rs`).
    /// With [`use_reference_engine`](crate::exact_engine::use_reference_engine) it is decided
    /// by the specification's plain definitions over [`Rational`] instead.
    pub fn report(&self, instance: &Instance<Rational>) -> Theorem2Report {
        let changed = self.with_thresholding(instance);
        let instance = changed.as_ref().unwrap_or(instance);
        if crate::exact_engine::reference_engine() {
            exact_report::<Rational, Plain>(instance, self.statement)
        } else {
            check_theorem2_statement_small(instance, self.statement)
        }
    }

    /// [`statement::Statement::outcome`] on `instance`, with the parts its generator computed
    /// already (`prepared`, [`check_theorem2_prepared`]) taken over: the same outcome, its
    /// report's exact texts left out ([`ExactTexts::Omitted`]: the campaign's record, this run's
    /// reader, keeps none of them).
    pub fn outcome_prepared(
        &self,
        instance: &Instance<Rational>,
        prepared: PreparedTheorem2,
    ) -> Outcome {
        if crate::exact_engine::reference_engine() {
            return statement::Statement::outcome(self, instance);
        }
        let changed = self.with_thresholding(instance);
        let checked = changed.as_ref().unwrap_or(instance);
        let report =
            check_theorem2_prepared(checked, self.statement, prepared, ExactTexts::Omitted);
        outcome_of(report, instance)
    }

    /// The report of the `f64` check with rigorous rounding-error bounds.
    pub fn report_f64(&self, instance: &Instance<f64>) -> Theorem2Report {
        match self.with_thresholding(instance) {
            Some(changed) => check_theorem2_statement(&changed, self.statement),
            None => check_theorem2_statement(instance, self.statement),
        }
    }
}

/// Hypotheses and conclusions are decided in one pass along the chain (`ε_i` feeds layer
/// `i + 1`): [`Theorem2::report`] decides both, and each part reads its half of the verdict.
impl statement::Statement for Theorem2 {
    fn name(&self) -> &str {
        &self.name
    }

    fn citation(&self) -> &str {
        &self.citation
    }

    /// The hypotheses pass alone ([`super::epsilon_chain`]), in machine-word rationals: no
    /// estimate is computed.
    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        let small = small_instance(
            self.with_thresholding(instance)
                .as_ref()
                .unwrap_or(instance),
        );
        match epsilon_chain::<SmallRational, IntegerViews>(&small, self.statement).failed {
            Some(failed) => Err(failed),
            None => Ok(()),
        }
    }

    /// The conclusions as the report decides them (an instance outside the hypotheses has
    /// none to violate).
    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        self.report(instance).verdict.into_conclusions()
    }

    /// The report's verdict, `undecided` included.
    fn verdict(&self, instance: &Instance<Rational>) -> Verdict {
        self.report(instance).verdict
    }

    fn outcome(&self, instance: &Instance<Rational>) -> Outcome {
        outcome_of(self.report(instance), instance)
    }

    fn screen(&self, instance: &Instance<f64>) -> Option<Result<Outcome, String>> {
        let report = self.report_f64(instance);
        Some(match screen_out_of_range(&report) {
            Some((_, reason)) => Err(reason),
            None => Ok(outcome_of(report, instance)),
        })
    }

    fn has_screen(&self) -> bool {
        true
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(Theorem2Clause::HYPOTHESES.map(Clause::Theorem2).to_vec())
    }

    fn searchable_thresholding(&self) -> Option<Thresholding> {
        self.fixed_thresholding()
    }
}
