//! Random exact models, layers and layer vectors, built valid by construction: every filter is
//! exactly unit ([`super::unit_vectors`]), every representation is within its budget. Nothing
//! rejects and retries: every call returns a valid value at once.
//!
//! The functions take any [`rand::Rng`], so the command line drives them with a seeded
//! `ChaCha8Rng` and the property tests through the strategies of [`super::strategies`]. A
//! model's shape is a [`ModelShape`]; how its filters are drawn is a [`ModelFilters`] (two
//! streams, each reproducible from its seed).

use rand::{Rng, RngExt};

use super::unit_vectors::{rational, unit_rational_vector_pole_last};
use crate::model::{Layer, LayerVector, Model, stripe_width};
use crate::scalar::Rational;
use crate::theorems::support_enumeration::StripeCounter;

pub use super::strategies::{
    LayerCase, ModelCase, layer_case_strategy, layer_strategy, model_and_vectors_strategy,
    seeded_rng,
};
pub use super::unit_vectors::{unit_rational_near, unit_rational_vector};

/// The largest denominator of the stereographic coordinates drawn by [`random_model`] with
/// [`ModelFilters::RandomPole`] (the denominator of each layer is drawn from
/// `1..=MODEL_FILTER_DENOMINATOR`).
pub const MODEL_FILTER_DENOMINATOR: i64 = 4;

/// The shape of one layer: `m_i` filters of `n_i` taps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerShape {
    /// `n_i`.
    pub filter_length: usize,
    /// `m_i`.
    pub filter_count: usize,
}

impl LayerShape {
    /// `n_i` taps, `m_i` filters.
    pub fn new(filter_length: usize, filter_count: usize) -> Self {
        LayerShape {
            filter_length,
            filter_count,
        }
    }
}

/// The shape of a model: `N`, `m_0`, and one [`LayerShape`] per layer from the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelShape {
    /// `N`, at least `2 n_i − 1` for every layer (docs/math.md §1).
    pub signal_length: usize,
    /// `m_0`.
    pub input_channels: usize,
    /// The layers, from the input.
    pub layers: Vec<LayerShape>,
}

/// How the stereographic coordinates of one layer's filters are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterDraw {
    /// [`unit_rational_vector`]: `|t_j| ≤ 1` in steps of `1 / denominator`, the pole at a
    /// random index with a random sign.
    RandomPole {
        /// The denominator of `t`.
        denominator: i64,
    },
    /// [`unit_rational_vector_pole_last`]: `|t_j| ≤ 2` in steps of `1 / denominator`, the pole
    /// last.
    PoleLast {
        /// The denominator of `t`.
        denominator: i64,
    },
}

impl FilterDraw {
    fn unit_vector<R: Rng + ?Sized>(self, rng: &mut R, length: usize) -> Vec<Rational> {
        match self {
            FilterDraw::RandomPole { denominator } => {
                unit_rational_vector(rng, length, denominator)
            }
            FilterDraw::PoleLast { denominator } => {
                unit_rational_vector_pole_last(rng, length, denominator)
            }
        }
    }
}

/// How the filters of every layer of a model are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelFilters {
    /// [`FilterDraw::RandomPole`], with each layer's denominator drawn from
    /// `1..=`[`MODEL_FILTER_DENOMINATOR`].
    RandomPole,
    /// The same draw for every layer.
    Each(FilterDraw),
}

/// A random layer of exactly unit filters of the given shape over `input_channels` channels,
/// each drawn by `draw` and laid out tap-major (`filters[c][t][c']`). `layer_number` (from 1)
/// is passed to [`Layer::new`].
///
/// # Panics
///
/// If any count is 0 or the denominator is below 1.
pub fn random_layer<R: Rng + ?Sized>(
    rng: &mut R,
    layer_number: usize,
    shape: LayerShape,
    input_channels: usize,
    draw: FilterDraw,
) -> Layer<Rational> {
    assert!(
        shape.filter_count >= 1 && shape.filter_length >= 1 && input_channels >= 1,
        "a layer needs at least one filter, tap and channel"
    );
    let filters = (0..shape.filter_count)
        .map(|_| {
            let entries = draw.unit_vector(rng, shape.filter_length * input_channels);
            entries
                .chunks(input_channels)
                .map(|tap| tap.to_vec())
                .collect()
        })
        .collect();
    crate::integer_view::unit_layer(layer_number, filters)
        .expect("filters are exactly unit by construction")
}

/// A random model of the given shape, each layer drawn by [`random_layer`] as `filters` says.
///
/// # Panics
///
/// If the shape has no layer, a count is 0, `N < 2 n_i − 1` for some layer (the caller chooses
/// `N`, and the conventions of docs/math.md §1 need `N ≥ 2 n_i − 1`), or the sizes exceed the
/// limits of [`Model::new`].
pub fn random_model<R: Rng + ?Sized>(
    rng: &mut R,
    shape: &ModelShape,
    filters: ModelFilters,
) -> Model<Rational> {
    let signal_length = shape.signal_length;
    assert!(!shape.layers.is_empty(), "a model needs at least one layer");
    for (index, layer) in shape.layers.iter().enumerate() {
        let n = layer.filter_length;
        assert!(
            n >= 1 && signal_length >= stripe_width(n),
            "layer {}: N = {signal_length} must be at least 2n - 1 for n = {n}",
            index + 1
        );
    }
    let mut previous = shape.input_channels;
    let layers = shape
        .layers
        .iter()
        .enumerate()
        .map(|(index, &layer_shape)| {
            let draw = match filters {
                ModelFilters::RandomPole => FilterDraw::RandomPole {
                    denominator: rng.random_range(1..=MODEL_FILTER_DENOMINATOR),
                },
                ModelFilters::Each(draw) => draw,
            };
            let layer = random_layer(rng, index + 1, layer_shape, previous, draw);
            previous = layer_shape.filter_count;
            layer
        })
        .collect();
    Model::new(signal_length, shape.input_channels, layers).expect("valid by construction")
}

/// A random `length × channels` layer vector: each entry is nonzero with probability `density`
/// (clamped to `[0, 1]`), with value `a / denominator` for `a` uniform in
/// `±(1..=max_numerator)`.
///
/// # Panics
///
/// If `max_numerator < 1` or `denominator < 1`.
pub fn random_layer_vector<R: Rng + ?Sized>(
    rng: &mut R,
    length: usize,
    channels: usize,
    density: f64,
    max_numerator: i64,
    denominator: i64,
) -> LayerVector<Rational> {
    assert!(max_numerator >= 1, "max_numerator must be at least 1");
    assert!(denominator >= 1, "the denominator must be at least 1");
    let density = if density.is_nan() {
        0.0
    } else {
        density.clamp(0.0, 1.0)
    };
    let entries = (0..length * channels)
        .map(|_| {
            if rng.random_bool(density) {
                let magnitude = rng.random_range(1..=max_numerator);
                let sign = if rng.random_bool(0.5) { 1 } else { -1 };
                rational(sign * magnitude, denominator)
            } else {
                rational(0, 1)
            }
        })
        .collect();
    LayerVector::from_entries(length, channels, entries).expect("length · channels entries")
}

/// A random representation over `N` positions and `m` channels whose stripe sparsity (filters of
/// length `n`) is at most `budget`: atoms are offered in a random order, each kept with
/// probability `density` while the budget allows. Values are `±k/q` with `1 ≤ k ≤ 3q`, or
/// positive only when `nonnegative`.
#[allow(clippy::too_many_arguments)]
pub fn random_representation_within_budget<R: Rng + ?Sized>(
    rng: &mut R,
    length: usize,
    channels: usize,
    filter_length: usize,
    budget: usize,
    density: f64,
    denominator: i64,
    nonnegative: bool,
) -> LayerVector<Rational> {
    let atoms = length * channels;
    let mut order: Vec<usize> = (0..atoms).collect();
    for k in (1..atoms).rev() {
        order.swap(k, rng.random_range(0..=k));
    }
    let mut counter = StripeCounter::new(length, channels, filter_length);
    let mut gamma = LayerVector::zeros(length, channels);
    for atom in order {
        if counter.sparsity_with(atom) > budget || !rng.random_bool(density) {
            continue;
        }
        counter.add(atom);
        let magnitude = rng.random_range(1..=3 * denominator);
        let sign = if nonnegative || rng.random_bool(0.5) {
            1
        } else {
            -1
        };
        gamma.set(
            atom / channels,
            atom % channels,
            rational(sign * magnitude, denominator),
        );
    }
    gamma
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_traits::One;

    #[test]
    fn every_generated_filter_has_exactly_unit_norm() {
        let mut rng = seeded_rng(11);
        for _ in 0..50 {
            let shape = ModelShape {
                signal_length: 9,
                input_channels: 2,
                layers: vec![
                    LayerShape::new(3, 2),
                    LayerShape::new(2, 3),
                    LayerShape::new(5, 1),
                ],
            };
            let draws = [
                ModelFilters::RandomPole,
                ModelFilters::Each(FilterDraw::PoleLast { denominator: 3 }),
            ];
            let filters = draws[rng.random_range(0..2)];
            let model = random_model(&mut rng, &shape, filters);
            for layer in model.layers() {
                for c in 0..layer.filter_count() {
                    assert!(layer.filter_norm_squared(c).is_one());
                }
            }
        }
    }

    #[test]
    fn random_layer_vectors_respect_density_extremes_and_entry_bounds() {
        let mut rng = seeded_rng(3);
        let empty = random_layer_vector(&mut rng, 8, 3, 0.0, 4, 3);
        assert_eq!(empty.count_nonzeros(), 0);
        let full = random_layer_vector(&mut rng, 8, 3, 1.0, 4, 3);
        assert_eq!(full.count_nonzeros(), 24);
        assert!(full.max_abs() <= rational(4, 3));
    }
}
