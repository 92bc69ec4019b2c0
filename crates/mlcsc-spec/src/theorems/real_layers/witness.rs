//! What a check of Theorem 2 for real layers says when a clause fails: the failed hypothesis
//! with the numbers compared, or the witness of a failed conclusion.

use super::profile::RealLayerProfile;
use crate::model::{Geometry, Grid, Layer};
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

/// The guard band failed: atom `(p, c)` of layer `i` holds support but is not interior on
/// the grids `(input, output)` of the layer.
pub(super) fn exterior_atom_failure<S: Scalar>(
    i: usize,
    (p, c): (usize, usize),
    layer: &Layer<S>,
    (input, output): (Grid, Grid),
) -> FailedHypothesis {
    let geometry = layer.grid_geometry();
    let start = |axis: Geometry, coordinate: usize| {
        (axis.stride * coordinate) as i64 - axis.padding.amounts().0 as i64
    };
    let (r, column) = output.coordinates(p);
    let detail = if input.rows == 1 && output.rows == 1 {
        format!(
            "Γ_{i} holds the atom (position {p}, channel {c}), which is not interior: its {} taps start at input position {} of 0..{} ({})",
            layer.filter_length(),
            start(geometry.columns, column),
            input.columns,
            geometry.columns.describe()
        )
    } else {
        let shape = layer.filter_shape();
        format!(
            "Γ_{i} holds the atom (position [{r}, {column}], channel {c}), which is not interior: its {}×{} taps start at input position [{}, {}] of {}×{} (rows: {}; columns: {})",
            shape.rows,
            shape.columns,
            start(geometry.rows, r),
            start(geometry.columns, column),
            input.rows,
            input.columns,
            geometry.rows.describe(),
            geometry.columns.describe()
        )
    };
    FailedHypothesis {
        layer: i,
        hypothesis: RealLayersClause::GuardBand.into(),
        detail,
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
