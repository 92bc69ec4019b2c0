//! What a check of Theorem 2 for real layers says when a clause fails: the failed hypothesis
//! with the numbers compared, or the witness of a failed conclusion.

use super::profile::RealLayerProfile;
use crate::model::Layer;
use crate::scalar::Scalar;
use crate::theorems::clause::RealLayersClause;
use crate::theorems::surd::{SquareClasses, Surd};
use crate::theorems::theorem2::text;
use crate::theorems::theorem2::witness::surd_text;
use crate::theorems::verdict::{FailedHypothesis, Witness};

/// `(b_c)` failed at channel `c` of the layer of `profile`: `β_{i,c}` (`beta`) is not strictly
/// inside its window, whose ends move by `ε_{i-1}` (`epsilon_previous`).
pub(super) fn window_failure<S: Scalar>(
    classes: &SquareClasses<S>,
    (profile, beta, epsilon_previous): (&RealLayerProfile<S>, &S, &Surd<S>),
    c: usize,
) -> FailedHypothesis {
    let low = epsilon_previous.add_rational(&profile.window_low(c));
    let high = profile
        .window_high(c)
        .map(|h| Surd::rational(h).sub(epsilon_previous));
    let high_text = high
        .as_ref()
        .map_or("∞ (no support in this channel)".into(), |h| {
            surd_text(classes, h)
        });
    let (low_f64, beta_f64) = (classes.to_f64(&low), beta.to_f64());
    let above = high.as_ref().map_or(0.0, |h| beta_f64 - classes.to_f64(h));
    FailedHypothesis {
        layer: profile.layer,
        hypothesis: RealLayersClause::ChannelWindow.into(),
        detail: format!(
            "channel {c}: β = {} is not strictly inside the window ({}, {}) (s = {}, μ_c = {}, |Γ^max| = {})",
            text(beta),
            surd_text(classes, &low),
            high_text,
            profile.stripe_sparsity,
            text(&profile.channel_coherence[c]),
            text(&profile.gamma_max),
        ),
        shortfall: (low_f64 - beta_f64).max(above).max(0.0),
    }
}

/// The guard band failed: atom `(p, c)` of layer `i` holds support but is not interior.
pub(super) fn exterior_atom_failure<S: Scalar>(
    i: usize,
    p: usize,
    c: usize,
    layer: &Layer<S>,
    input_length: usize,
) -> FailedHypothesis {
    let geometry = layer.geometry();
    FailedHypothesis {
        layer: i,
        hypothesis: RealLayersClause::GuardBand.into(),
        detail: format!(
            "Γ_{i} holds the atom (position {p}, channel {c}), which is not interior: its {} taps start at input position {} of 0..{input_length} ({})",
            layer.filter_length(),
            (geometry.stride * p) as i64 - geometry.padding.amounts().0 as i64,
            geometry.describe()
        ),
        shortfall: 0.0,
    }
}

/// A conclusion's witness at layer `i`.
pub(super) fn witness(
    i: usize,
    conclusion: RealLayersClause,
    location: String,
    observed: String,
    bound: String,
) -> Witness {
    Witness {
        layer: i,
        conclusion: conclusion.into(),
        location,
        observed,
        bound,
    }
}
