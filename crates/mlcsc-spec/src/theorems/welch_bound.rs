//! The Welch-type lower bound on the mutual coherence of a convolutional layer, decided on every
//! layer of a model (docs/math.md §3, DERIVED; `proofs/welch_bound.md`):
//!
//! > `μ(D_i)² ≥ (m − m_prev) / (m_prev (m(2n − 1) − 1))` when `m > m_prev`, and 0 otherwise,
//!
//! with `m = m_i` filters of length `n = n_i` over `m_prev = m_{i−1}` input channels. The bound
//! itself is [`welch_bound_squared`], written once in [`crate::coherence`]; here it is compared
//! with the exact `μ(D_i)²` of every layer, in the exact field `S` of the model (the same values
//! in every exact field).
//!
//! A form of the statement may replace [`Part::InputChannels`] by a fixed number (the negative
//! control `μ² ≥ (m − 1) / (m(2n − 1) − 1)` for every number of input channels, which is false:
//! the three one-tap filters `(1, 0)`, `(0, 1)`, `(3/5, 4/5)` over two channels have `μ = 4/5`,
//! while it demands `μ ≥ 1`).

use crate::coherence::{mutual_coherence, welch_bound_squared};
use crate::model::{Layer, Model};
use crate::scalar::{Rational, Scalar, rational_to_text};
use crate::theorems::variant::{Change, Part, Variant};
use crate::theorems::verdict::{Clause, Witness};

/// The lower bound on `μ(D_i)²` the form `variant` claims for one layer.
pub fn claimed_bound_squared<S: Scalar>(layer: &Layer<S>, variant: &Variant) -> Rational {
    let (m, n) = (layer.filter_count(), layer.filter_length());
    let input_channels = match variant.change(Part::InputChannels) {
        Some(Change::Replaced(_, channels)) => channels.to_integer() as usize,
        _ => layer.input_channels(),
    };
    welch_bound_squared(m, n, input_channels)
}

/// Per layer: `(μ(D_i)², the claimed bound on it)`, exactly, in the model's field.
pub fn welch_per_layer<S: Scalar>(model: &Model<S>, variant: &Variant) -> Vec<(S, S)> {
    model
        .layers()
        .iter()
        .map(|layer| {
            let mu = mutual_coherence(layer);
            let bound = S::from_rational(&claimed_bound_squared(layer, variant));
            (mu.clone() * mu, bound)
        })
        .collect()
}

/// The first layer with `μ(D_i)² < bound`, as a witness.
pub fn first_welch_violation<S: Scalar>(
    model: &Model<S>,
    per_layer: &[(S, S)],
) -> Result<(), Witness> {
    let text = |x: &S| rational_to_text(&x.to_rational().expect("an exact value"));
    for (index, (mu_squared, bound)) in per_layer.iter().enumerate() {
        if mu_squared < bound {
            let layer = &model.layers()[index];
            return Err(Witness {
                layer: index + 1,
                conclusion: Clause::WelchBound,
                location: format!(
                    "the {} filters of length {} over {} channels",
                    layer.filter_count(),
                    layer.filter_length(),
                    layer.input_channels()
                ),
                observed: format!("μ² = {}", text(mu_squared)),
                bound: text(bound),
            });
        }
    }
    Ok(())
}

/// The largest `bound / μ²` over the layers (1 where `μ² = bound`, also at 0; infinite where
/// `μ = 0` below a positive bound).
pub fn largest_welch_ratio<S: Scalar>(per_layer: &[(S, S)]) -> Option<f64> {
    per_layer
        .iter()
        .map(|(mu_squared, bound)| {
            if mu_squared == bound {
                1.0
            } else if mu_squared.is_positive() {
                (bound.clone() / mu_squared.clone()).to_f64()
            } else {
                f64::INFINITY
            }
        })
        .reduce(f64::max)
}

/// `max-channels` (the most input channels of a layer) and three events: a layer whose bound
/// is positive (`m > m_prev`), one that attains a positive bound, and one that attains the
/// bound 0 with orthogonal atoms.
pub fn welch_features<S: Scalar>(model: &Model<S>, per_layer: &[(S, S)]) -> Vec<(String, f64)> {
    let zero = S::zero();
    let event = |name: &str, happened: bool| (format!("event:{name}"), f64::from(happened));
    let max_channels = model
        .layers()
        .iter()
        .map(Layer::input_channels)
        .max()
        .unwrap_or(1);
    vec![
        ("max-channels".into(), max_channels as f64),
        event("bound-positive", per_layer.iter().any(|(_, b)| *b > zero)),
        event(
            "attained",
            per_layer.iter().any(|(mu, b)| *b > zero && mu == b),
        ),
        event(
            "attained-at-zero",
            per_layer.iter().any(|(mu, b)| *b == zero && mu == b),
        ),
    ]
}
