//! One-layer instances for statements about a layer's filters alone (the Welch-type bound of
//! docs/math.md §3): random banks, and the banks that attain or nearly attain the bound.
//!
//! A bank is `m` filters of length `n` over `m_prev` input channels, every filter an exactly unit
//! rational vector of `n · m_prev` taps. The families, drawn with equal probability:
//!
//! - **random**: `m_prev ∈ {1, 2, 3}`, `n ∈ {1, 2, 3}`, `m ∈ {1, …, 4}`, filters from
//!   [`unit_rational_vector`];
//! - **signs**: `n = m_prev = 1`, `m = 2`, filters `±1`: `μ = 1` equals the bound `1`;
//! - **orthogonal**: `n = 1`, `2 ≤ m ≤ m_prev ≤ 4`, one-tap filters on distinct channels:
//!   `μ = 0` equals the bound 0, which the scalar-input form of the bound misses;
//! - **mutually unbiased**: `n = 1`, `m_prev = 4`, the standard basis and the columns of a
//!   Hadamard matrix over 2: `m = 8`, `μ = 1/2` against the bound `1/7` on `μ²`;
//! - **near-equiangular**: `n = 1`, `m_prev = 2`, `m = 3`, the rational points of the circle
//!   nearest to three directions 120° apart (`(1, 0)`, `(−33/65, ±56/65)`): `μ² = 1089/4225`
//!   against the bound `1/4`.
//!
//! Every bank is valid by construction (unit filters, `N ≥ 2n − 1`); the signal length is
//! `2n − 1` plus 0, 1 or 2. `Γ_1` is one unit entry; no noise.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::random::unit_rational_vector;
use crate::instance::Instance;
use crate::model::{LayerVector, Model};
use crate::scalar::Rational;
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

use crate::scalar::ratio as r;

/// A filter of `n` taps over `channels` input channels from its taps in order
/// (`taps[t · channels + c]` is tap `t` on channel `c`).
fn filter(taps: Vec<Rational>, n: usize, channels: usize) -> Vec<Vec<Rational>> {
    (0..n)
        .map(|t| taps[t * channels..(t + 1) * channels].to_vec())
        .collect()
}

/// The one-tap filter `e_c` over `channels` channels, with a sign.
fn basis_filter(c: usize, channels: usize, sign: i64) -> Vec<Vec<Rational>> {
    vec![
        (0..channels)
            .map(|j| r(if j == c { sign } else { 0 }, 1))
            .collect(),
    ]
}

fn sign(rng: &mut ChaCha8Rng) -> i64 {
    if rng.random_bool(0.5) { 1 } else { -1 }
}

/// The filters of one bank, `filters[c][t][c'']`.
fn bank(rng: &mut ChaCha8Rng) -> Vec<Vec<Vec<Rational>>> {
    match rng.random_range(0..5) {
        0 => {
            let channels = rng.random_range(1..=3);
            let n = rng.random_range(1..=3);
            let m = rng.random_range(1..=4);
            (0..m)
                .map(|_| filter(unit_rational_vector(rng, n * channels, 4), n, channels))
                .collect()
        }
        1 => vec![vec![vec![r(sign(rng), 1)]], vec![vec![r(sign(rng), 1)]]],
        2 => {
            let channels = rng.random_range(2..=4);
            let m = rng.random_range(2..=channels);
            (0..m)
                .map(|c| basis_filter(c, channels, sign(rng)))
                .collect()
        }
        3 => {
            let hadamard = [[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]];
            let mut filters: Vec<_> = (0..4).map(|c| basis_filter(c, 4, sign(rng))).collect();
            for row in hadamard {
                let s = sign(rng);
                filters.push(vec![row.iter().map(|&h| r(s * h, 2)).collect()]);
            }
            filters
        }
        _ => {
            let flip = sign(rng);
            vec![
                vec![vec![r(flip, 1), r(0, 1)]],
                vec![vec![r(-33 * flip, 65), r(56, 65)]],
                vec![vec![r(-33 * flip, 65), r(-56, 65)]],
            ]
        }
    }
}

/// A one-layer instance holding a bank drawn from the families above.
pub fn filter_bank_instance(rng: &mut ChaCha8Rng) -> Instance<Rational> {
    let filters = bank(rng);
    let layer = crate::integer_view::unit_layer(1, filters)
        .expect("every bank is built from exactly unit filters");
    let length = layer.stripe_width() + rng.random_range(0..=2usize);
    let (input_channels, m) = (layer.input_channels(), layer.filter_count());
    let model = Model::new(length, input_channels, vec![layer]).expect("N ≥ 2n − 1");
    one_atom_instance(model, m, "filter-bank", "generate::filter_banks")
}

/// The instance of a one-layer `model` of `m` filters with `Γ_1` one unit entry, no noise and
/// threshold 0: statements about the filters alone need nothing else.
pub(super) fn one_atom_instance(
    model: Model<Rational>,
    m: usize,
    name: &str,
    source: &str,
) -> Instance<Rational> {
    let mut gamma = LayerVector::zeros(model.length(1), m);
    gamma.set(0, 0, r(1, 1));
    let noise = LayerVector::zeros(model.signal_length(), model.input_channels());
    Instance {
        name: name.into(),
        source: source.into(),
        model,
        thresholding: Thresholding::Soft,
        thresholds: vec![Threshold::Shared(r(0, 1))],
        deepest_representation: gamma,
        noise,
        noise_budget: None,
        last_patch_width: 1,
        last_patch_rows: 1,
    }
}
