//! Theorem 2 for real layers as the suite runs it: the statement and its two passes from the
//! specification ([`mlcsc_spec::theorems::real_layers`]), decided exactly in machine-word
//! rationals; the registered forms ([`RealLayersTheorem2`]) and what a campaign records.

use mlcsc_spec::theorems::real_layers::{
    RealConclusions, RealEpsilonChain, RealForm, decide_real, real_epsilon_chain,
};

use crate::exact_engine::IntegerViews;
use crate::instance::{Instance, small_instance};
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;
use crate::theorems::clause::RealLayersClause;
use crate::theorems::outcome::{Outcome, image_events, real_layer_events, shape_features};
use crate::theorems::real_layers_report::RealLayersReport;
use crate::theorems::statement::Statement;
use crate::theorems::verdict::{Clause, FailedHypothesis, Verdict, Witness};
use crate::thresholding::Thresholding;

const CITATION: &str = "Theorem 2 with strides, padding and one threshold per channel (DERIVED); proofs/theorem2_real_layers.md";

/// A form of Theorem 2 for real layers, with the thresholding it fixes (the theorem) or the
/// instance's own (a negative control).
#[derive(Clone, Debug)]
pub struct RealLayersTheorem2 {
    name: String,
    citation: String,
    form: RealForm,
    thresholding: Option<Thresholding>,
}

impl RealLayersTheorem2 {
    /// The theorem for one thresholding.
    pub fn stated(variant: Thresholding) -> Self {
        RealLayersTheorem2 {
            name: format!("theorem2-real-layers-{}", variant.name()),
            citation: format!("{CITATION}; variant: {} thresholding", variant.name()),
            form: RealForm::STATED,
            thresholding: Some(variant),
        }
    }

    /// A negative control: `form`, named `name`, described by `what`.
    pub fn control(name: &str, what: &str, form: RealForm) -> Self {
        RealLayersTheorem2 {
            name: name.into(),
            citation: format!("{CITATION}: {what} (negative control)"),
            form,
            thresholding: None,
        }
    }

    /// The same form stated on images (`proofs/two_dimensions.md`, G7–G9): named
    /// `theorem2-real-layers-image-…`, the statement unchanged (it reads every norm and
    /// coherence on the model's grids).
    pub fn on_images(mut self) -> Self {
        self.name = self
            .name
            .replacen("theorem2-real-layers-", "theorem2-real-layers-image-", 1);
        self.citation = format!("{}; on images (proofs/two_dimensions.md)", self.citation);
        self
    }

    /// The theorem for the thresholding `instance` declares.
    pub fn with_thresholding_of(&self, instance: &Instance<Rational>) -> Self {
        RealLayersTheorem2 {
            thresholding: Some(instance.thresholding),
            ..self.clone()
        }
    }

    /// The form checked.
    pub fn form(&self) -> RealForm {
        self.form
    }

    /// `instance` in machine-word rationals, with this form's thresholding if it fixes one.
    fn prepared(&self, instance: &Instance<Rational>) -> Instance<SmallRational> {
        let mut small = small_instance(instance);
        if let Some(variant) = self.thresholding {
            small.thresholding = variant;
        }
        small
    }

    /// Both passes and the verdict.
    pub fn decide(
        &self,
        instance: &Instance<Rational>,
    ) -> (
        RealEpsilonChain<SmallRational>,
        RealConclusions<SmallRational>,
        Verdict,
    ) {
        decide_real::<SmallRational, IntegerViews>(&self.prepared(instance), self.form)
    }
}

/// The largest ratio of an observed error to its bound: `|Γ − Γ̂|` of each channel against
/// `δ_{i,c}`, and the patch error against `ε_i`.
fn tightness(
    chain: &RealEpsilonChain<SmallRational>,
    conclusions: &RealConclusions<SmallRational>,
) -> Option<f64> {
    let classes = &chain.classes;
    let ratio = |observed: f64, bound: f64| if bound > 0.0 { observed / bound } else { 0.0 };
    chain
        .layers
        .iter()
        .zip(&conclusions.layers)
        .flat_map(|(bounds, errors)| {
            let channels = bounds.profile.support_channels().map(move |c| {
                ratio(
                    errors.channel_error_max[c].to_f64(),
                    classes.to_f64(&bounds.entrywise[c]),
                )
            });
            let patch = ratio(
                errors.error_patch_squared.to_f64().sqrt(),
                classes.to_f64(&bounds.epsilon),
            );
            channels.chain(std::iter::once(patch)).collect::<Vec<_>>()
        })
        .reduce(f64::max)
}

/// The coverage features: the instance's shape, and the events `strided` (a layer of stride
/// at least 2), `zero-padding`, `differing-thresholds` (a layer whose channels' thresholds
/// differ), `coherent-every-layer` (at every layer a channel holding support has
/// `μ_{i,c} > 0`) and `deep-interference` (a layer `i ≥ 2` where such a channel has
/// `(s_i − 1) μ_{i,c} > 0`).
fn features(
    instance: &Instance<Rational>,
    chain: &RealEpsilonChain<SmallRational>,
) -> Vec<(String, f64)> {
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let profiles = || chain.layers.iter().map(|l| &l.profile);
    let coherent = |p: &mlcsc_spec::theorems::real_layers::RealLayerProfile<SmallRational>| {
        p.support_channels()
            .any(|c| p.channel_coherence[c].to_f64() > 0.0)
    };
    let coherent_every_layer = !chain.layers.is_empty() && profiles().all(coherent);
    let deep_interference =
        profiles().any(|p| p.layer >= 2 && p.stripe_sparsity >= 2 && coherent(p));
    let mut features = shape_features(instance, profiles().map(|p| p.stripe_sparsity));
    features.push((
        "coherent-every-layer".to_string(),
        flag(coherent_every_layer),
    ));
    features.extend(real_layer_events(instance));
    features.extend(image_events(instance));
    features.extend([
        (
            "event:coherent-every-layer".into(),
            flag(coherent_every_layer),
        ),
        ("event:deep-interference".into(), flag(deep_interference)),
    ]);
    features
}

impl Statement for RealLayersTheorem2 {
    fn name(&self) -> &str {
        &self.name
    }

    fn citation(&self) -> &str {
        &self.citation
    }

    /// The first pass alone: no estimate is computed.
    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        let small = self.prepared(instance);
        match real_epsilon_chain::<SmallRational, IntegerViews>(&small, self.form).failed {
            Some(failed) => Err(failed),
            None => Ok(()),
        }
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        self.decide(instance).2.into_conclusions()
    }

    fn verdict(&self, instance: &Instance<Rational>) -> Verdict {
        self.decide(instance).2
    }

    fn outcome(&self, instance: &Instance<Rational>) -> Outcome {
        let (chain, conclusions, verdict) = self.decide(instance);
        let met = verdict.hypotheses_met();
        let report = RealLayersReport::new(&chain, &conclusions);
        Outcome {
            tightness: if met {
                tightness(&chain, &conclusions)
            } else {
                None
            },
            features: features(instance, &chain),
            ..Outcome::from_verdict(verdict)
        }
        .with_details(report)
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(
            RealLayersClause::HYPOTHESES
                .map(Clause::RealLayers)
                .to_vec(),
        )
    }

    /// Stated for layers of any stride and padding, with one threshold per channel.
    fn states_real_layers(&self) -> bool {
        true
    }
}
