//! One-layer instances with a stride, for statements about a strided layer's filters alone
//! (the strided Welch-type bound). Every filter is an exactly unit rational vector; the layer
//! is circular with `σ | N` and `N ≥ 2n − 1`, so each bank is valid by construction. The
//! families, drawn with equal probability:
//!
//! - **random**: `m_prev ∈ {1, 2}`, `n ∈ {1, …, 4}`, `σ ∈ {1, 2, 3}`, and `m` up to
//!   `σ m_prev + 2`, so that `m > σ m_prev` (where the bound speaks) is common;
//! - **ladders**: `m_prev = 1`, two-tap filters `(a, b)` with `a² + b² = 1` at tap spacing
//!   `d ∈ {1, 2, 3}`, at a stride that divides `d` or does not (coherence `ab` or 0 across
//!   shifts);
//! - **shifted bases**: `m_prev = 1`, `n = σ ∈ {2, 3}`, the `σ` one-hot filters: `μ = 0` at
//!   stride `σ`, where the stride-1 form of the bound demands `μ > 0`.
//!
//! `Γ_1` is one unit entry; no noise.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::filter_banks::one_atom_instance;
use super::random::unit_rational_vector;
use crate::instance::Instance;
use crate::model::{Geometry, Model, Padding};
use crate::scalar::Rational;
use crate::scalar::ratio as r;

/// The filters `filters[c][t][c'']` of one bank, and its stride.
fn strided_bank(rng: &mut ChaCha8Rng) -> (Vec<Vec<Vec<Rational>>>, usize) {
    match rng.random_range(0..3) {
        0 => {
            let channels = rng.random_range(1..=2);
            let n = rng.random_range(1..=4);
            let stride = rng.random_range(1..=3);
            let m = rng.random_range(1..=stride * channels + 2);
            let filters = (0..m)
                .map(|_| {
                    let taps = unit_rational_vector(rng, n * channels, 4);
                    taps.chunks(channels).map(<[Rational]>::to_vec).collect()
                })
                .collect();
            (filters, stride)
        }
        1 => {
            let spacing = rng.random_range(1..=3);
            let stride = rng.random_range(1..=3);
            let m = rng.random_range(2..=3);
            let ladder = |a: Rational, b: Rational| {
                let mut taps = vec![vec![r(0, 1)]; spacing + 1];
                taps[0][0] = a;
                taps[spacing][0] = b;
                taps
            };
            let filters = (0..m)
                .map(|c| match c {
                    0 => ladder(r(3, 5), r(4, 5)),
                    1 => ladder(r(4, 5), r(-3, 5)),
                    _ => ladder(r(-3, 5), r(4, 5)),
                })
                .collect();
            (filters, stride)
        }
        _ => {
            let stride = rng.random_range(2..=3);
            let filters = (0..stride)
                .map(|c| (0..stride).map(|t| vec![r(i64::from(t == c), 1)]).collect())
                .collect();
            (filters, stride)
        }
    }
}

/// A one-layer circular instance holding a strided bank drawn from the families above.
pub fn strided_filter_bank_instance(rng: &mut ChaCha8Rng) -> Instance<Rational> {
    let (filters, stride) = strided_bank(rng);
    let geometry = Geometry {
        stride,
        padding: Padding::Circular,
    };
    let layer = crate::integer_view::unit_layer(1, filters)
        .expect("every bank is built from exactly unit filters")
        .with_geometry(geometry);
    let shortest = layer.stripe_width().div_ceil(stride) * stride;
    let length = shortest + stride * rng.random_range(0..=1usize);
    let (input_channels, m) = (layer.input_channels(), layer.filter_count());
    let model = Model::new(length, input_channels, vec![layer]).expect("σ | N and N ≥ 2n − 1");
    one_atom_instance(
        model,
        m,
        "strided-filter-bank",
        "generate::strided_filter_banks",
    )
}
