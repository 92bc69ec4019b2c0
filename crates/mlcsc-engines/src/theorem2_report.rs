//! The report of a Theorem 2 check, for campaigns, `check` and the studies: the verdict and,
//! per layer, every quantity compared, in `f64` and as exact text. It is presentation: the
//! specification's two passes ([`epsilon_chain`], [`conclusions()`]) decide, and
//! [`exact_report`] writes down what they found; the sound `f64` check fills the same report.

use mlcsc_spec::enclosure::Decision;
use mlcsc_spec::instance::Instance;
use mlcsc_spec::kernels::Kernels;
use mlcsc_spec::scalar::Scalar;
use mlcsc_spec::theorems::surd::Surd;
use mlcsc_spec::theorems::theorem2::{
    Conclusions, EpsilonChain, LayerBounds, LayerErrors, Statement, conclusions, epsilon_chain,
    exact_text, verdict,
};
use mlcsc_spec::theorems::verdict::Verdict;

mod fixed_limbs;
mod fixed_products;
mod fixed_sums;
mod surd_values;
mod word_ends;

use surd_values::SurdValues;

/// The report of a form of Theorem 2 on an exact instance, decided by the two passes
/// ([`epsilon_chain`], [`conclusions()`]) with the kernels `K`: `ε_i` kept as an exact sum of
/// square roots, every comparison decided exactly or by enclosures refined to a certified
/// precision.
///
/// Theorem 2 is stated for one threshold per layer: on an instance whose layer has one
/// threshold per channel (which every statement refuses before any work) the report is
/// `undecided` at that layer, its numbers those of the largest of the layer's thresholds.
pub fn exact_report<S: Scalar, K: Kernels<S>>(
    instance: &Instance<S>,
    statement: Statement,
) -> Theorem2Report {
    if let Some(index) = (instance.thresholds.iter()).position(|beta| beta.shared().is_none()) {
        let mut largest = instance.clone();
        for beta in &mut largest.thresholds {
            let values = beta.values().iter();
            let top = values.fold(None::<&S>, |top, v| match top {
                Some(t) if t >= v => Some(t),
                _ => Some(v),
            });
            *beta = top.expect("a threshold has a number").clone().into();
        }
        let mut report = exact_report::<S, K>(&largest, statement);
        report.verdict = Verdict::Undecided {
            layer: index + 1,
            comparison: "the layer has one threshold per channel, and Theorem 2 is stated for one threshold per layer".into(),
        };
        return report;
    }
    let chain = epsilon_chain::<S, K>(instance, statement);
    let conclusions = conclusions::<S, K>(instance, &chain);
    exact(instance, &chain, &conclusions, ExactTexts::Written)
}

/// Whether a report writes its numbers' exact texts (`coherence_exact`, `threshold_exact`,
/// `epsilon_exact`), or leaves them `None`. The texts are presentation only: no verdict, margin
/// or `f64` value of the report reads them, so a campaign's record, which keeps none of them,
/// asks for its reports without them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExactTexts {
    /// Every exact text written.
    Written,
    /// Every exact text `None`; the rest of the report as with [`ExactTexts::Written`].
    Omitted,
}

impl ExactTexts {
    /// `text()` when the texts are written, `None` otherwise.
    fn write(self, text: impl FnOnce() -> Option<String>) -> Option<String> {
        match self {
            ExactTexts::Written => text(),
            ExactTexts::Omitted => None,
        }
    }
}

/// The quantities and checks of one layer.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
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
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
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

/// `‖Γ − Γ̂‖^P_{2,∞} / ε_i`: 0 for a zero error, infinite for a nonzero error and a zero bound.
pub fn tightness(error_patch_norm: f64, epsilon: f64) -> f64 {
    if epsilon > 0.0 {
        error_patch_norm / epsilon
    } else if error_patch_norm == 0.0 {
        0.0
    } else {
        f64::INFINITY
    }
}

/// The report of the two passes on an exact instance: the verdict, and every quantity compared,
/// per layer, in `f64` and (where it is a number of its own, and `texts` asks for it) as exact
/// text.
pub fn exact<S: Scalar>(
    instance: &Instance<S>,
    chain: &EpsilonChain<S>,
    conclusions: &Conclusions<S>,
    texts: ExactTexts,
) -> Theorem2Report {
    let mut values = SurdValues::new(&chain.classes);
    let epsilon_0 = values.value_of(&chain.epsilon_0);
    // A layer's `ε_{i-1}` is the layer above's `ε_i` (layer 1's is `ε_0`): its value is
    // taken over when the surds are equal.
    let mut previous = (&chain.epsilon_0, epsilon_0);
    let mut layers = Vec::with_capacity(chain.layers.len());
    for (bounds, errors) in chain.layers.iter().zip(&conclusions.layers) {
        let report = layer_report(&mut values, bounds, errors, previous, texts);
        previous = (&bounds.epsilon, report.epsilon);
        layers.push(report);
    }
    Theorem2Report {
        verdict: verdict(chain, conclusions),
        certified: true,
        decided_by: DecidedBy::Exact,
        variant: instance.thresholding.name(),
        epsilon_0,
        enclosure_bits: chain.bits.max(conclusions.bits),
        layers,
    }
}

/// One layer's line of the report; `previous` is a surd already valued, with its value.
fn layer_report<S: Scalar>(
    values: &mut SurdValues<'_, S>,
    bounds: &LayerBounds<S>,
    errors: &LayerErrors<S>,
    previous: (&Surd<S>, f64),
    texts: ExactTexts,
) -> LayerReport {
    let profile = &bounds.profile;
    let beta = &bounds.threshold;
    let error_patch_norm = errors.error_patch_squared.to_f64().sqrt();
    let epsilon = values.value_of(&bounds.epsilon);
    let (low, high) = (
        values.value_of(&bounds.window_low),
        values.value_of(&bounds.window_high),
    );
    let classes = values.classes();
    LayerReport {
        layer: profile.layer,
        coherence: profile.coherence.to_f64(),
        coherence_exact: texts.write(|| exact_text(&profile.coherence)),
        stripe_sparsity: profile.stripe_sparsity,
        patch_sparsity: profile.patch_sparsity,
        patch_width: profile.patch_width,
        gamma_min: profile.gamma_min.to_f64(),
        gamma_max: profile.gamma_max.to_f64(),
        epsilon_previous: if *previous.0 == bounds.epsilon_previous {
            previous.1
        } else {
            values.value_of(&bounds.epsilon_previous)
        },
        window_low: low,
        window_high: high,
        threshold: beta.to_f64(),
        threshold_exact: texts.write(|| exact_text(beta)),
        window_position: (beta.to_f64() - low) / (high - low),
        hypothesis_a: bounds.hypothesis_a == Decision::True,
        hypothesis_holds: bounds.hypothesis_a.and(bounds.hypothesis_b) == Decision::True,
        epsilon,
        epsilon_exact: texts.write(|| classes.text(&bounds.epsilon, exact_text)),
        entrywise_bound: values.value_of(&bounds.entrywise),
        support_recovered: errors.support_mismatch.is_none(),
        error_patch_norm,
        error_max: errors.error_max.to_f64(),
        tightness: tightness(error_patch_norm, epsilon),
    }
}

/// Which arithmetic decided a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum DecidedBy {
    /// Exact rationals, with square roots kept exact or enclosed at a certified precision.
    #[serde(rename = "exact")]
    Exact,
    /// `f64` arithmetic carrying a rigorous bound on its rounding error with every compared
    /// quantity: a comparison is decided only when its margin exceeds the bound.
    #[serde(rename = "f64-enclosure")]
    F64Enclosure,
}

impl DecidedBy {
    /// `exact` or `f64-enclosure`.
    pub fn name(self) -> &'static str {
        match self {
            DecidedBy::Exact => "exact",
            DecidedBy::F64Enclosure => "f64-enclosure",
        }
    }
}
