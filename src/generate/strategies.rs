//! Proptest strategies over random exact layers, models and vectors: each maps a seed plus
//! small shape parameters to a value through a seeded ChaCha generator (so that shrinking
//! moves toward small shapes and small seeds), and nothing rejects and retries.

use proptest::prelude::*;
use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::random::{
    FilterDraw, LayerShape, ModelFilters, ModelShape, random_layer, random_layer_vector,
    random_model,
};
use crate::model::{Layer, LayerVector, Model};
use crate::scalar::Rational;

/// A seeded ChaCha generator, the one source of randomness of the strategies below.
pub fn seeded_rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// Layers with `1..=max_m` filters of length `1..=max_n` over `1..=max_m_prev` input channels,
/// with stereographic denominators in `1..=4`. Shrinks toward one filter of one tap.
pub fn layer_strategy(
    max_m: usize,
    max_n: usize,
    max_m_prev: usize,
) -> impl Strategy<Value = Layer<Rational>> {
    (
        1..=max_m.max(1),
        1..=max_n.max(1),
        1..=max_m_prev.max(1),
        1..=4i64,
        any::<u64>(),
    )
        .prop_map(|(m, n, m_prev, denominator, seed)| {
            random_layer(
                &mut seeded_rng(seed),
                1,
                LayerShape::new(n, m),
                m_prev,
                FilterDraw::RandomPole { denominator },
            )
        })
}

/// One layer with vectors on both of its sides, for operator and norm properties.
#[derive(Clone, Debug)]
pub struct LayerCase {
    /// `N`, at least `2n - 1`.
    pub signal_length: usize,
    /// The layer.
    pub layer: Layer<Rational>,
    /// A coefficient vector `Γ` (`N × m`).
    pub gamma: LayerVector<Rational>,
    /// A vector `Z` of the layer's input (`N × m_prev`).
    pub input: LayerVector<Rational>,
}

/// Cases of one layer (as [`layer_strategy`]) with `N = 2n - 1 + extra`, `extra` in
/// `0..=max_extra_length`, and random `Γ` and `Z` of density in `[0.1, 1]` with entries
/// `±(1..=5)/(1..=4)`.
pub fn layer_case_strategy(
    max_m: usize,
    max_n: usize,
    max_m_prev: usize,
    max_extra_length: usize,
) -> impl Strategy<Value = LayerCase> {
    (
        layer_strategy(max_m, max_n, max_m_prev),
        0..=max_extra_length,
        any::<u64>(),
    )
        .prop_map(|(layer, extra, seed)| {
            let mut rng = seeded_rng(seed);
            let signal_length = layer.stripe_width() + extra;
            let gamma =
                random_vector_with_random_density(&mut rng, signal_length, layer.filter_count());
            let input =
                random_vector_with_random_density(&mut rng, signal_length, layer.input_channels());
            LayerCase {
                signal_length,
                layer,
                gamma,
                input,
            }
        })
}

fn random_vector_with_random_density<R: Rng + ?Sized>(
    rng: &mut R,
    length: usize,
    channels: usize,
) -> LayerVector<Rational> {
    let density = rng.random_range(1..=10) as f64 / 10.0;
    let denominator = rng.random_range(1..=4);
    random_layer_vector(rng, length, channels, density, 5, denominator)
}

/// A model with a deepest representation and a signal-shaped vector.
#[derive(Clone, Debug)]
pub struct ModelCase {
    /// The model.
    pub model: Model<Rational>,
    /// `Γ_K` (`N × m_K`).
    pub deepest: LayerVector<Rational>,
    /// A vector of the signal's shape (`N × m_0`), for the adjoint side.
    pub signal: LayerVector<Rational>,
}

/// Models of depth `1..=max_depth`, each layer with `1..=max_m` filters of length
/// `1..=max_n`, `m_0` in `1..=max_m`, `N = 2 max_i n_i - 1 + extra` with `extra` in
/// `0..=max_extra_length`, and random `Γ_K` and signal-shaped vector as in
/// [`layer_case_strategy`]. Shrinks toward one layer of one filter of one tap.
pub fn model_and_vectors_strategy(
    max_depth: usize,
    max_m: usize,
    max_n: usize,
    max_extra_length: usize,
) -> impl Strategy<Value = ModelCase> {
    let shape = (1..=max_n.max(1), 1..=max_m.max(1));
    (
        proptest::collection::vec(shape, 1..=max_depth.max(1)),
        1..=max_m.max(1),
        0..=max_extra_length,
        any::<u64>(),
    )
        .prop_map(|(shapes, input_channels, extra, seed)| {
            let mut rng = seeded_rng(seed);
            let longest = shapes.iter().map(|&(n, _)| n).max().unwrap_or(1);
            let signal_length = 2 * longest - 1 + extra;
            let shape = ModelShape {
                signal_length,
                input_channels,
                layers: shapes.iter().map(|&(n, m)| LayerShape::new(n, m)).collect(),
            };
            let model = random_model(&mut rng, &shape, ModelFilters::RandomPole);
            let deepest = random_vector_with_random_density(
                &mut rng,
                signal_length,
                model.channels(model.depth()),
            );
            let signal = random_vector_with_random_density(&mut rng, signal_length, input_channels);
            ModelCase {
                model,
                deepest,
                signal,
            }
        })
}
