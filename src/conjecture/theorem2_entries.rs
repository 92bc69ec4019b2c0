//! Theorem 2 and its negative controls as registry entries.

use rand_chacha::ChaCha8Rng;

use super::{Conjecture, ExpectedStatus, Outcome};
use crate::generate::filters::FirstLayerDesign;
use crate::generate::theorem2::{Theorem2Settings, generate_theorem2_instance};
use crate::io::Instance;
use crate::pursuit::Thresholding;
use crate::scalar::Rational;
use crate::theorems::theorem2::{LayerReport, Statement, Theorem2Report, check_theorem2_statement};
use crate::theorems::theorem2_bounds::profile_of_report;
use crate::theorems::theorem2_small::check_theorem2_statement_small;
use crate::theorems::verdict::{FailedHypothesis, Verdict, Witness};

/// A form of Theorem 2 with a generator.
pub struct Theorem2Entry {
    name: String,
    citation: String,
    status: ExpectedStatus,
    statement: Statement,
    settings: Theorem2Settings,
}

const CITATION: &str = "Papyan, Romano, Elad, JMLR 18 (2017), Theorem 2; docs/math.md §6";

impl Theorem2Entry {
    /// Theorem 2 for one thresholding variant, on generated instances meeting its hypotheses.
    pub fn paper(variant: Thresholding) -> Self {
        Theorem2Entry {
            name: format!("theorem2-{}", variant.name()),
            citation: format!("{CITATION}; variant: {} thresholding", variant.name()),
            status: ExpectedStatus::Theorem,
            statement: Statement::PAPER,
            settings: Theorem2Settings::paper(variant),
        }
    }

    /// Negative control: (a) and the window without the contrast term (`|Γ^min|/|Γ^max|`
    /// replaced by 1), on low-contrast single-layer instances with the threshold high in the
    /// contrast-free window.
    pub fn without_contrast_term() -> Self {
        let mut settings = Theorem2Settings::new(Thresholding::Soft);
        settings.max_depth = 1;
        settings.contrast = Some(0.1);
        settings.contrast_free_window = true;
        settings.last_window_position = Some(0.8);
        Theorem2Entry {
            name: "theorem2-without-contrast-term".into(),
            citation: format!(
                "{CITATION}: hypothesis (a) with |Γ^min|/|Γ^max| replaced by 1 (negative control)"
            ),
            status: ExpectedStatus::KnownFalse,
            statement: Statement {
                contrast_term: false,
                ..Statement::PAPER
            },
            settings,
        }
    }

    /// Negative control: the patch bound without the factor `sqrt(p_i)`.
    pub fn without_patch_sparsity_factor() -> Self {
        let mut settings = Theorem2Settings::new(Thresholding::Soft);
        settings.first_layer = Some(FirstLayerDesign::Dirac);
        Theorem2Entry {
            name: "theorem2-without-patch-sparsity-factor".into(),
            citation: format!("{CITATION}: ε_i without the factor sqrt(p_i) (negative control)"),
            status: ExpectedStatus::KnownFalse,
            statement: Statement {
                patch_sparsity_factor: false,
                ..Statement::PAPER
            },
            settings,
        }
    }

    /// Negative control: the last threshold just above its window, hypothesis (b) dropped.
    pub fn threshold_outside_window() -> Self {
        let mut settings = Theorem2Settings::new(Thresholding::Soft);
        settings.last_window_position = Some(1.02);
        settings.noiseless_probability = 0.5;
        Theorem2Entry {
            name: "theorem2-threshold-above-window".into(),
            citation: format!(
                "{CITATION}: the threshold 2% of the window's width above it, (b) dropped (negative control)"
            ),
            status: ExpectedStatus::KnownFalse,
            statement: Statement {
                threshold_window: false,
                ..Statement::PAPER
            },
            settings,
        }
    }

    /// The statement checked.
    pub fn statement(&self) -> Statement {
        self.statement
    }

    /// Every registered Theorem 2 entry, in the registry's order: the paper's statement for
    /// soft, nonnegative and hard thresholding, then the three negative controls.
    pub fn all() -> Vec<Theorem2Entry> {
        vec![
            Theorem2Entry::paper(Thresholding::Soft),
            Theorem2Entry::paper(Thresholding::Nonnegative),
            Theorem2Entry::paper(Thresholding::Hard),
            Theorem2Entry::without_contrast_term(),
            Theorem2Entry::without_patch_sparsity_factor(),
            Theorem2Entry::threshold_outside_window(),
        ]
    }

    /// The thresholding an instance is checked with under this entry's name: the entry's own
    /// for the paper's statement (`theorem2-hard` checks hard thresholding whatever the file
    /// says), and the file's for a negative control.
    pub fn fixed_thresholding(&self) -> Option<Thresholding> {
        (self.statement == Statement::PAPER).then_some(self.settings.variant)
    }

    /// The full report on one instance, decided exactly in [`crate::small_rational::SmallRational`] (machine-word
    /// fractions promoted to big integers on overflow; reports identical to [`Rational`]'s,
    /// `tests/all/fast_paths.rs`).
    pub fn report(&self, instance: &Instance<Rational>) -> Theorem2Report {
        check_theorem2_statement_small(instance, self.statement)
    }
}

/// Turns a Theorem 2 report into an outcome with margins and coverage features.
pub fn outcome_of(report: &Theorem2Report, instance: &Instance<Rational>) -> Outcome {
    let hypotheses_met = report.verdict.hypotheses_met();
    let margins = report
        .layers
        .iter()
        .flat_map(|l| {
            [
                (
                    format!("a-layer{}", l.layer),
                    profile_of_report(l).relative_a_margin(l.epsilon_previous),
                ),
                (
                    format!("window-position-layer{}", l.layer),
                    l.window_position,
                ),
            ]
        })
        .collect();
    let mut features = vec![
        ("depth".to_string(), instance.model.depth() as f64),
        (
            "max-stripe-sparsity".to_string(),
            report
                .layers
                .iter()
                .map(|l| l.stripe_sparsity)
                .max()
                .unwrap_or(0) as f64,
        ),
        (
            "noisy".to_string(),
            if instance.is_noiseless() { 0.0 } else { 1.0 },
        ),
        (
            "max-channels".to_string(),
            (0..=instance.model.depth())
                .map(|i| instance.model.channels(i))
                .max()
                .unwrap_or(1) as f64,
        ),
        (
            "signal-length".to_string(),
            instance.model.signal_length() as f64,
        ),
    ];
    features.extend(depth_features(report));
    Outcome {
        verdict: report.verdict.clone(),
        certified: report.certified,
        tightness: hypotheses_met.then(|| report.largest_tightness()),
        margins,
        features,
    }
}

/// Whether layer `i` has interference that the bound must pay for: `s_i ≥ 2` and `μ_i > 0`,
/// the only case where the term `μ_i (s_i − 1) |Γ_i^max|` is not zero.
fn interfering(layer: &LayerReport) -> bool {
    layer.stripe_sparsity >= 2 && layer.coherence > 0.0
}

/// The coverage features of depth and coherence (`proofs/theorem2_depth.md`):
/// `coherent-every-layer` (`μ_i > 0` at every layer), `interference` (some layer interferes),
/// `deep-interference` (some layer `i ≥ 2` interferes), `min-coherence`, and per interfering
/// layer `interference-tightness-layer{i}`, its tightness.
fn depth_features(report: &Theorem2Report) -> Vec<(String, f64)> {
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let layers = &report.layers;
    let mut features = vec![
        (
            "coherent-every-layer".to_string(),
            flag(!layers.is_empty() && layers.iter().all(|l| l.coherence > 0.0)),
        ),
        (
            "interference".to_string(),
            flag(layers.iter().any(interfering)),
        ),
        (
            "deep-interference".to_string(),
            flag(layers.iter().any(|l| l.layer >= 2 && interfering(l))),
        ),
        (
            "min-coherence".to_string(),
            layers
                .iter()
                .map(|l| l.coherence)
                .fold(f64::INFINITY, f64::min),
        ),
    ];
    for layer in layers.iter().filter(|l| interfering(l)) {
        if layer.tightness.is_finite() {
            features.push((
                format!("interference-tightness-layer{}", layer.layer),
                layer.tightness,
            ));
        }
    }
    features
}

impl Conjecture for Theorem2Entry {
    fn name(&self) -> &str {
        &self.name
    }

    fn citation(&self) -> &str {
        &self.citation
    }

    fn status(&self) -> ExpectedStatus {
        self.status
    }

    fn generate(&self, rng: &mut ChaCha8Rng) -> Instance<Rational> {
        generate_theorem2_instance(rng, &self.settings, &self.name)
    }

    /// The hypotheses as the report decides them: the first failed one, or `Ok`.
    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        match self.report(instance).verdict {
            Verdict::Vacuous(failed) => Err(failed),
            _ => Ok(()),
        }
    }

    /// The conclusions as the report decides them (an instance outside the hypotheses has
    /// none to violate).
    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        match self.report(instance).verdict {
            Verdict::Violated(witness) => Err(witness),
            _ => Ok(()),
        }
    }

    fn check(&self, instance: &Instance<Rational>) -> Outcome {
        outcome_of(&self.report(instance), instance)
    }

    fn screen(&self, instance: &Instance<Rational>) -> Option<Outcome> {
        let fast = instance.to_f64();
        let report = check_theorem2_statement(&fast, self.statement);
        let mut outcome = outcome_of(&report, instance);
        outcome.certified = false;
        Some(outcome)
    }
}
