//! Theorem 2 decided in [`SmallRational`]: machine-word fractions that widen to big rationals
//! only when a value needs it, so the certified report equals the [`Rational`] one value for
//! value and is computed faster.

use crate::exact_engine::IntegerViews;
use crate::instance::{Instance, small_instance};
use crate::model::{LayerVector, Model};
use crate::scalar::Rational;
use crate::small_rational::SmallRational;
use crate::theorems::theorem2::{
    Statement, Theorem2Report, check_theorem2_statement, conclusions, epsilon_chain_on,
};
use crate::theorems::theorem2_bounds::LayerProfile;
use mlcsc_engines::theorem2_report::{ExactTexts, exact};

/// A form of Theorem 2 checked in [`SmallRational`]: the same certified report as
/// [`check_theorem2_statement`] on the [`Rational`] instance (every intermediate value is
/// equal), computed faster.
pub fn check_theorem2_statement_small(
    instance: &Instance<Rational>,
    statement: Statement,
) -> Theorem2Report {
    check_theorem2_statement(&small_instance(instance), statement)
}

/// Theorem 2 as stated in the paper, checked in [`SmallRational`].
pub fn check_theorem2_small(instance: &Instance<Rational>) -> Theorem2Report {
    check_theorem2_statement_small(instance, Statement::PAPER)
}

/// What a generator of Theorem 2 instances computed in [`SmallRational`] while drawing one:
/// the model, its synthesis chain `[Γ_0, …, Γ_K]` of `Γ_K`, and the profile
/// ([`layer_profile`](crate::theorems::theorem2_bounds::layer_profile)) of every `Γ_i` on it.
#[derive(Clone, Debug)]
pub struct PreparedTheorem2 {
    /// The instance's model in machine-word rationals.
    pub model: Model<SmallRational>,
    /// `[Γ_0, …, Γ_K]`, the model's synthesis chain of the instance's `Γ_K`.
    pub representations: Vec<LayerVector<SmallRational>>,
    /// The profile of each layer `1..=K` on that chain.
    pub profiles: Vec<LayerProfile<SmallRational>>,
    /// The instance's noise `E`.
    pub noise: LayerVector<SmallRational>,
    /// `(‖E‖^P_{2,∞}(n_1))²`.
    pub noise_energy: SmallRational,
}

impl PreparedTheorem2 {
    /// The model, its synthesis chain, the profiles on it, and the noise with its energy.
    pub fn new(
        model: Model<SmallRational>,
        representations: Vec<LayerVector<SmallRational>>,
        profiles: Vec<LayerProfile<SmallRational>>,
        (noise, noise_energy): (LayerVector<SmallRational>, SmallRational),
    ) -> Self {
        PreparedTheorem2 {
            model,
            representations,
            profiles,
            noise,
            noise_energy,
        }
    }
}

/// [`check_theorem2_statement_small`] with the model, the synthesis chain and the profiles
/// taken from `prepared` rather than computed again: the same report when `prepared` is the
/// instance's ([`epsilon_chain_on`]). An instance with one threshold per channel takes
/// [`check_theorem2_statement_small`]. With [`ExactTexts::Omitted`] the report's exact texts
/// are `None` and nothing else differs.
pub fn check_theorem2_prepared(
    instance: &Instance<Rational>,
    statement: Statement,
    prepared: PreparedTheorem2,
    texts: ExactTexts,
) -> Theorem2Report {
    if instance.thresholds.iter().any(|b| b.shared().is_none()) {
        let mut report = check_theorem2_statement_small(instance, statement);
        if texts == ExactTexts::Omitted {
            for layer in &mut report.layers {
                (layer.coherence_exact, layer.threshold_exact) = (None, None);
                layer.epsilon_exact = None;
            }
        }
        return report;
    }
    let small = |r: &Rational| SmallRational::from(r);
    let PreparedTheorem2 {
        model,
        representations,
        profiles,
        noise,
        noise_energy,
    } = prepared;
    let instance = Instance {
        name: instance.name.clone(),
        source: instance.source.clone(),
        model,
        thresholding: instance.thresholding,
        thresholds: instance.thresholds.iter().map(|b| b.map(small)).collect(),
        deepest_representation: instance.deepest_representation.map(small),
        noise,
        noise_budget: instance.noise_budget.as_ref().map(small),
        last_patch_width: instance.last_patch_width,
        last_patch_rows: instance.last_patch_rows,
    };
    let given = (representations, profiles, noise_energy);
    let chain = epsilon_chain_on::<_, IntegerViews>(&instance, statement, given);
    let conclusions = conclusions::<_, IntegerViews>(&instance, &chain);
    exact(&instance, &chain, &conclusions, texts)
}
