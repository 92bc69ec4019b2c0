//! The strided Welch-type lower bound on the coherence of a layer
//! (`proofs/strided_coherence.md`, C3):
//!
//! > with `N*` the smallest multiple of `σ` that is at least `2n − 1`, if `m > σ m_prev` then
//! > `μ_σ² ≥ (m − σ m_prev) / (m_prev (m N* − σ))`; no bound when `m ≤ σ m_prev`,
//!
//! where `μ_σ` is the coherence over displacements that are multiples of the stride
//! ([`strided_coherence`]). At `σ = 1` it is the Welch-type bound of `welch-bound`.
//!
//! The negative control, [`StridedWelchBound::STRIDE_ONE_FORM`], claims the stride-1 bound
//! `μ_σ² ≥ (m − m_prev) / (m_prev (m(2n − 1) − 1))` for strided layers. It is false: the two
//! one-hot filters `(1, 0)` and `(0, 1)` at stride 2 have `μ_2 = 0`, where it demands
//! `μ² ≥ 1/5`.

use crate::instance::Instance;
use num_traits::{Signed, Zero};

use crate::scalar::Rational;
use crate::small_rational::SmallRational;
use crate::theorems::outcome::Outcome;
use crate::theorems::statement::Statement;
use crate::theorems::verdict::{Clause, FailedHypothesis, Verdict, Witness};
use mlcsc_spec::strided_coherence::{
    grid_welch_bound_squared, layer_welch_bound_squared, strided_coherence,
};
use mlcsc_spec::theorems::welch_bound::{
    first_welch_violation, largest_welch_ratio, welch_features,
};

/// The strided Welch-type bound as a statement on every layer of an instance.
#[derive(Clone, Copy, Debug)]
pub struct StridedWelchBound {
    /// Whether the bound is claimed with each layer's own stride (`true`, the theorem) or with
    /// stride 1 (`false`, the negative control).
    pub with_stride: bool,
}

impl StridedWelchBound {
    /// The bound with each layer's stride (a theorem).
    pub const STATED: StridedWelchBound = StridedWelchBound { with_stride: true };
    /// The stride-1 bound claimed for strided layers (a negative control).
    pub const STRIDE_ONE_FORM: StridedWelchBound = StridedWelchBound { with_stride: false };

    /// Per layer: `(μ_σ², the claimed bound on it, 0 where none is claimed)`, exactly. `μ_σ`
    /// is computed in [`SmallRational`] (the same exact value as in big rationals).
    pub fn per_layer(&self, instance: &Instance<Rational>) -> Vec<(Rational, Rational)> {
        instance
            .model
            .layers()
            .iter()
            .map(|layer| {
                let small = layer.map(|value: &Rational| SmallRational::from(value));
                let mu = strided_coherence(&small).to_big();
                let bound = if self.with_stride {
                    layer_welch_bound_squared(layer)
                } else {
                    let shape = layer.filter_shape();
                    grid_welch_bound_squared(
                        layer.filter_count(),
                        shape,
                        layer.input_channels(),
                        (1, 1),
                    )
                };
                let bound = bound.unwrap_or_else(Rational::zero);
                (&mu * &mu, bound)
            })
            .collect()
    }

    /// The Welch features, the largest stride, and the event `strided` (a layer of stride at
    /// least 2 whose bound is claimed).
    fn coverage(
        instance: &Instance<Rational>,
        per_layer: &[(Rational, Rational)],
    ) -> Vec<(String, f64)> {
        let mut features = welch_features(&instance.model, per_layer);
        let layers = instance.model.layers();
        let stride = layers
            .iter()
            .map(|l| l.geometry().stride)
            .max()
            .unwrap_or(1);
        let strided_bound = layers
            .iter()
            .zip(per_layer)
            .any(|(layer, (_, bound))| layer.geometry().stride >= 2 && bound.is_positive());
        features.push(("max-stride".into(), stride as f64));
        features.push(("event:strided".into(), f64::from(strided_bound)));
        features
    }
}

impl Statement for StridedWelchBound {
    fn name(&self) -> &str {
        if self.with_stride {
            "strided-welch-bound"
        } else {
            "strided-welch-stride-one-form"
        }
    }

    fn citation(&self) -> &str {
        if self.with_stride {
            "the Welch-type bound over displacements in σℤ (DERIVED); proofs/strided_coherence.md C3"
        } else {
            "negative control: the stride-1 Welch-type bound claimed for strided layers; proofs/strided_coherence.md"
        }
    }

    /// Every valid instance meets the hypotheses: unit filters, `σ | N` and `N ≥ 2n − 1` are
    /// checked when the instance is built.
    fn hypotheses(&self, _instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        Ok(())
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        first_welch_violation(&instance.model, &self.per_layer(instance))
    }

    /// The largest `bound / μ_σ²` over the layers.
    fn tightness(&self, instance: &Instance<Rational>) -> Option<f64> {
        largest_welch_ratio(&self.per_layer(instance))
    }

    /// The Welch features, the largest stride, and the event `strided` (a layer of stride at
    /// least 2 whose bound is claimed).
    fn features(&self, instance: &Instance<Rational>) -> Vec<(String, f64)> {
        Self::coverage(instance, &self.per_layer(instance))
    }

    /// Every instance meets the hypotheses; `μ_σ²` and the bound are computed once for the
    /// verdict, the tightness and the features.
    fn outcome(&self, instance: &Instance<Rational>) -> Outcome {
        let per_layer = self.per_layer(instance);
        let verdict = match first_welch_violation(&instance.model, &per_layer) {
            Ok(()) => Verdict::Holds,
            Err(witness) => Verdict::Violated(witness),
        };
        Outcome {
            tightness: largest_welch_ratio(&per_layer),
            features: Self::coverage(instance, &per_layer),
            ..Outcome::from_verdict(verdict)
        }
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(Vec::new())
    }

    /// Stated for layers of any stride (circular padding, where `μ_σ` is the dictionary's).
    fn states_real_layers(&self) -> bool {
        true
    }
}
