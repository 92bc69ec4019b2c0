//! The Welch-type lower bound on the mutual coherence of a convolutional layer
//! (docs/math.md §3, DERIVED; `proofs/welch_bound.md`):
//!
//! > `μ(D_i)² ≥ (m − m_prev) / (m_prev (m(2n − 1) − 1))` when `m > m_prev`, and 0 otherwise,
//!
//! with `m = m_i` filters of length `n = n_i` over `m_prev = m_{i−1}` input channels. The bound
//! itself is [`welch_bound_squared`](crate::coherence::welch_bound_squared), written once in [`crate::coherence`]; this file states it
//! as a [`Statement`] over every layer of an instance, with exact `μ`.
//!
//! The mathematics (the claimed bound, `μ(D_i)²` per layer, the first violation, the ratio
//! and the features) is the specification's ([`mlcsc_spec::theorems::welch_bound`]); `μ` is
//! computed here in [`SmallRational`].
//!
//! The negative control, [`WelchBound::SINGLE_CHANNEL`] (the form with [`Part::InputChannels`]
//! replaced by 1), claims the scalar-input form
//! `μ² ≥ (m − 1) / (m(2n − 1) − 1)` for every number of input channels. It is false: the three
//! one-tap filters `(1, 0)`, `(0, 1)`, `(3/5, 4/5)` over two channels have `μ = 4/5`, while it
//! demands `μ ≥ 1`.

use crate::instance::Instance;
use crate::model::Layer;
use crate::scalar::Rational;
use crate::small_rational::SmallRational;
use crate::theorems::outcome::Outcome;
use crate::theorems::statement::Statement;
use crate::theorems::variant::{Part, Variant};
use crate::theorems::verdict::{Clause, FailedHypothesis, Verdict, Witness};
use mlcsc_spec::theorems::welch_bound::{
    claimed_bound_squared, first_welch_violation, largest_welch_ratio, welch_features,
    welch_per_layer,
};

/// The Welch-type bound as a statement on every layer of an instance.
#[derive(Clone, Copy, Debug)]
pub struct WelchBound {
    /// The form claimed.
    pub variant: Variant,
}

impl WelchBound {
    /// The bound as derived (a theorem).
    pub const STATED: WelchBound = WelchBound {
        variant: Variant::PAPER,
    };
    /// The scalar-input form for every layer (a negative control).
    pub const SINGLE_CHANNEL: WelchBound = WelchBound {
        variant: Variant::PAPER.with(Part::InputChannels, 1, 1),
    };

    /// The claimed lower bound on `μ(D_i)²` for one layer.
    pub fn bound_squared(&self, layer: &Layer<Rational>) -> Rational {
        claimed_bound_squared(layer, &self.variant)
    }

    /// Per layer: `(μ(D_i)², claimed bound on it)`, exactly. `μ` is computed in
    /// [`SmallRational`], which gives the same exact value as big rationals (falling back to
    /// them when a value leaves machine words).
    pub fn per_layer(&self, instance: &Instance<Rational>) -> Vec<(Rational, Rational)> {
        let model = instance
            .model
            .map(|value: &Rational| SmallRational::from(value));
        welch_per_layer(&model, &self.variant)
            .iter()
            .map(|(mu_squared, bound)| (mu_squared.to_big(), bound.to_big()))
            .collect()
    }

    /// The first layer with `μ(D_i)² < bound`, as a witness.
    fn first_violation(
        instance: &Instance<Rational>,
        per_layer: &[(Rational, Rational)],
    ) -> Result<(), Witness> {
        first_welch_violation(&instance.model, per_layer)
    }

    /// The largest `bound / μ²` over the layers (1 where `μ² = bound`, also at 0).
    fn largest_ratio(per_layer: &[(Rational, Rational)]) -> Option<f64> {
        largest_welch_ratio(per_layer)
    }

    /// `max_channels` and the three events of [`Statement::features`].
    fn coverage(
        instance: &Instance<Rational>,
        per_layer: &[(Rational, Rational)],
    ) -> Vec<(String, f64)> {
        welch_features(&instance.model, per_layer)
    }
}

impl Statement for WelchBound {
    fn name(&self) -> &str {
        if self.variant.keeps(Part::InputChannels) {
            "welch-bound"
        } else {
            "welch-single-channel-form"
        }
    }

    fn citation(&self) -> &str {
        if self.variant.keeps(Part::InputChannels) {
            "Welch (1974) applied to the N = 2n − 1 dictionary (DERIVED); docs/math.md §3, proofs/welch_bound.md"
        } else {
            "negative control: the scalar-input Welch form claimed for multi-channel inputs; docs/math.md §3"
        }
    }

    /// Every valid instance meets the hypotheses: unit filters and `N ≥ 2n − 1` are checked
    /// when the instance is built.
    fn hypotheses(&self, _instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        Ok(())
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        Self::first_violation(instance, &self.per_layer(instance))
    }

    /// The largest `bound / μ²` over the layers (1 where `μ² = bound`, also at 0).
    fn tightness(&self, instance: &Instance<Rational>) -> Option<f64> {
        Self::largest_ratio(&self.per_layer(instance))
    }

    /// `max_channels` (the most input channels of a layer) and three events: a layer whose
    /// bound is positive (`m > m_prev`), one that attains a positive bound, and one that attains
    /// the bound 0 with orthogonal atoms.
    fn features(&self, instance: &Instance<Rational>) -> Vec<(String, f64)> {
        Self::coverage(instance, &self.per_layer(instance))
    }

    /// The default outcome (every instance meets the hypotheses), with `μ(D_i)²` and the bound
    /// computed once for the verdict, the tightness and the features.
    fn outcome(&self, instance: &Instance<Rational>) -> Outcome {
        let per_layer = self.per_layer(instance);
        if let Err(failed) = self.hypotheses(instance) {
            return Outcome {
                features: Self::coverage(instance, &per_layer),
                ..Outcome::from_verdict(Verdict::Vacuous(failed))
            };
        }
        let verdict = match Self::first_violation(instance, &per_layer) {
            Ok(()) => Verdict::Holds,
            Err(witness) => Verdict::Violated(witness),
        };
        Outcome {
            tightness: Self::largest_ratio(&per_layer),
            features: Self::coverage(instance, &per_layer),
            ..Outcome::from_verdict(verdict)
        }
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(Vec::new())
    }
}
