//! Random exact building blocks: unit rational filters, layers, models and layer vectors.
//!
//! Every value is born exact. Filters have exactly unit `ℓ2` norm by construction, through the
//! inverse stereographic projection of docs/math.md §1,
//!
//! ```text
//! t ∈ Q^{k-1}  ↦  (2t, |t|² - 1) / (|t|² + 1),
//! ```
//!
//! whose image has squared norm `(4|t|² + (|t|² - 1)²) / (|t|² + 1)² = 1` for every `t`, and
//! which is rational when `t` is. Layer vectors hold small-denominator rationals.
//!
//! The functions take any [`rand::Rng`], so the command line drives them with a seeded
//! `ChaCha8Rng` and the property tests drive them through the strategies at the end of this
//! file, which map a seed plus small shape parameters to a value (so that shrinking moves
//! toward small shapes and small seeds). Nothing here rejects and retries: every call returns a
//! valid value at once.

use num_bigint::BigInt;
use proptest::prelude::*;
use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::{Layer, LayerVector, Model};
use crate::scalar::Rational;

/// The largest denominator of the stereographic coordinates drawn by [`random_model`] for a
/// layer (the denominator of each layer is drawn from `1..=MODEL_FILTER_DENOMINATOR`).
pub const MODEL_FILTER_DENOMINATOR: i64 = 4;

fn rational(numerator: i64, denominator: i64) -> Rational {
    Rational::new(BigInt::from(numerator), BigInt::from(denominator))
}

/// The inverse stereographic projection of `t ∈ Q^{k-1}` onto the unit sphere of `Q^k`, with
/// the pole coordinate at index `pole` and its sign `pole_sign`:
/// `v_i = 2 t_i / (|t|² + 1)` for `i ≠ pole`, `v_pole = pole_sign · (1 - |t|²) / (|t|² + 1)`.
/// `t = 0` maps to `pole_sign · e_pole`. The result has squared norm exactly 1.
fn inverse_stereographic(t: &[Rational], pole: usize, pole_sign: i64) -> Vec<Rational> {
    let one = rational(1, 1);
    let mut s = rational(0, 1);
    for ti in t {
        s += ti * ti;
    }
    let scale = &one + &s;
    let mut out = Vec::with_capacity(t.len() + 1);
    let mut free = t.iter();
    for i in 0..=t.len() {
        if i == pole {
            out.push(rational(pole_sign, 1) * (&one - &s) / &scale);
        } else {
            let ti = free.next().expect("k - 1 free coordinates");
            out.push(rational(2, 1) * ti / &scale);
        }
    }
    out
}

/// A random exactly unit-norm rational vector of `length` entries.
///
/// Draws `t ∈ Q^{length-1}` with entries `a / denominator`, `a` uniform in
/// `-denominator..=denominator` (so `t ∈ [-1, 1]^{length-1}`, zero included), maps it by the
/// inverse stereographic projection `(2t, |t|² - 1) / (|t|² + 1)`, then flips the sign of the
/// pole coordinate at random and moves it to a random index, so that no coordinate is special.
/// Entries have denominators dividing `Σ_i a_i² + denominator²` (small). `t = 0` gives a Dirac
/// vector `±e_j`. `length = 1` gives `±1`.
///
/// # Panics
///
/// If `length = 0` or `denominator < 1`.
pub fn unit_rational_vector<R: Rng + ?Sized>(
    rng: &mut R,
    length: usize,
    denominator: i64,
) -> Vec<Rational> {
    assert!(length >= 1, "a unit vector needs at least one entry");
    assert!(denominator >= 1, "the denominator must be at least 1");
    let t: Vec<Rational> = (0..length - 1)
        .map(|_| rational(rng.random_range(-denominator..=denominator), denominator))
        .collect();
    let pole = rng.random_range(0..length);
    let pole_sign = if rng.random_bool(0.5) { 1 } else { -1 };
    inverse_stereographic(&t, pole, pole_sign)
}

/// The exactly unit rational vector near a direction.
///
/// Construction: normalise `u = direction / ‖direction‖` (in `f64`); take the pole index `j` of
/// the largest `|u_j|` and `σ = sign(u_j)`. The stereographic projection from the antipode
/// `-σ e_j` gives coordinates `t_i = u_i / (1 + σ u_j)` for `i ≠ j`; since
/// `σ u_j = |u_j| ≥ |u_i|`, `|t_i| ≤ |u_j| / (1 + |u_j|) < 1/2`, so the chart is well
/// conditioned (this is the "reflect at the pole" step: the pole of the chart, `-σ e_j`, is
/// never near `u`, so a direction near `+e_k` is handled like any other).
/// Each `t_i` is rounded to the nearest multiple of `1 / denominator`, and the inverse
/// projection `v_i = 2 t_i / (|t|² + 1)`, `v_j = σ (1 - |t|²) / (|t|² + 1)` returns an exactly
/// unit rational vector. The inverse projection is 2-Lipschitz in `t`, so
/// `‖v - u‖ ≤ sqrt(k - 1) / denominator` up to the `f64` rounding of `u`.
///
/// A zero direction is read as `e_0`. `length = 1` gives `sign(direction) = ±1` (`+1` for 0).
///
/// # Panics
///
/// If `direction` is empty or has a non-finite entry, or `denominator < 1`.
pub fn unit_rational_near(direction: &[f64], denominator: i64) -> Vec<Rational> {
    assert!(
        !direction.is_empty(),
        "a unit vector needs at least one entry"
    );
    assert!(
        direction.iter().all(|v| v.is_finite()),
        "the direction must be finite"
    );
    assert!(denominator >= 1, "the denominator must be at least 1");
    // Dividing by the largest magnitude first avoids overflow and underflow of the norm.
    let largest = direction.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    let u: Vec<f64> = if largest > 0.0 {
        let scaled: Vec<f64> = direction.iter().map(|v| v / largest).collect();
        let norm = scaled.iter().map(|v| v * v).sum::<f64>().sqrt();
        scaled.iter().map(|v| v / norm).collect()
    } else {
        let mut e = vec![0.0; direction.len()];
        e[0] = 1.0;
        e
    };
    let pole = (0..u.len())
        .max_by(|&a, &b| u[a].abs().total_cmp(&u[b].abs()))
        .expect("nonempty");
    let sigma: i64 = if u[pole] < 0.0 { -1 } else { 1 };
    let chart_scale = 1.0 + sigma as f64 * u[pole];
    let t: Vec<Rational> = (0..u.len())
        .filter(|&i| i != pole)
        .map(|i| {
            let ti = u[i] / chart_scale;
            rational((ti * denominator as f64).round() as i64, denominator)
        })
        .collect();
    inverse_stereographic(&t, pole, sigma)
}

/// A random layer of `filter_count` exactly unit filters, each `filter_length ×
/// input_channels`, drawn by [`unit_rational_vector`] with the given `denominator` and laid out
/// tap-major (`filters[c][t][c']`). `layer_number` (from 1) is passed to [`Layer::new`].
///
/// # Panics
///
/// If any count is 0 or `denominator < 1`.
pub fn random_layer<R: Rng + ?Sized>(
    rng: &mut R,
    layer_number: usize,
    filter_count: usize,
    filter_length: usize,
    input_channels: usize,
    denominator: i64,
) -> Layer<Rational> {
    assert!(
        filter_count >= 1 && filter_length >= 1 && input_channels >= 1,
        "a layer needs at least one filter, tap and channel"
    );
    let filters = (0..filter_count)
        .map(|_| {
            let entries = unit_rational_vector(rng, filter_length * input_channels, denominator);
            entries
                .chunks(input_channels)
                .map(|tap| tap.to_vec())
                .collect()
        })
        .collect();
    Layer::new(layer_number, filters).expect("filters are exactly unit by construction")
}

/// A random model of signal length `N`, `m_0 = input_channels`, and one layer per `(n_i, m_i)`
/// in `shapes` (filter length, filter count), each layer drawn by [`random_layer`] with a
/// denominator drawn from `1..=`[`MODEL_FILTER_DENOMINATOR`].
///
/// # Panics
///
/// If `shapes` is empty, a count is 0, `N < 2 n_i - 1` for some layer (the caller chooses `N`,
/// and the conventions of docs/math.md §1 need `N ≥ 2 n_i - 1`), or the sizes exceed the limits of
/// [`Model::new`].
pub fn random_model<R: Rng + ?Sized>(
    rng: &mut R,
    signal_length: usize,
    input_channels: usize,
    shapes: &[(usize, usize)],
) -> Model<Rational> {
    assert!(!shapes.is_empty(), "a model needs at least one layer");
    for (index, &(n, _)) in shapes.iter().enumerate() {
        assert!(
            n >= 1 && signal_length >= 2 * n - 1,
            "layer {}: N = {signal_length} must be at least 2n - 1 for n = {n}",
            index + 1
        );
    }
    let mut previous = input_channels;
    let layers = shapes
        .iter()
        .enumerate()
        .map(|(index, &(n, m))| {
            let denominator = rng.random_range(1..=MODEL_FILTER_DENOMINATOR);
            let layer = random_layer(rng, index + 1, m, n, previous, denominator);
            previous = m;
            layer
        })
        .collect();
    Model::new(signal_length, input_channels, layers).expect("valid by construction")
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
            random_layer(&mut seeded_rng(seed), 1, m, n, m_prev, denominator)
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
            let signal_length = 2 * layer.filter_length() - 1 + extra;
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
            let model = random_model(&mut rng, signal_length, input_channels, &shapes);
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

#[cfg(test)]
mod tests {
    use super::*;
    use num_traits::{One, Zero};

    fn squared_norm(v: &[Rational]) -> Rational {
        v.iter().fold(Rational::zero(), |acc, x| acc + x * x)
    }

    #[test]
    fn every_random_unit_vector_has_exactly_unit_norm() {
        let mut rng = seeded_rng(7);
        for length in 1..=12 {
            for denominator in 1..=6 {
                for _ in 0..20 {
                    let v = unit_rational_vector(&mut rng, length, denominator);
                    assert_eq!(v.len(), length);
                    assert!(squared_norm(&v).is_one(), "{v:?}");
                }
            }
        }
    }

    #[test]
    fn every_generated_filter_has_exactly_unit_norm() {
        let mut rng = seeded_rng(11);
        for _ in 0..50 {
            let model = random_model(&mut rng, 9, 2, &[(3, 2), (2, 3), (5, 1)]);
            for layer in model.layers() {
                for c in 0..layer.filter_count() {
                    assert!(layer.filter_norm_squared(c).is_one());
                }
            }
        }
    }

    #[test]
    fn the_unit_vector_near_a_direction_is_unit_and_close() {
        let directions: [&[f64]; 7] = [
            &[1.0, 2.0, 3.0],
            &[0.0, 0.0, 1.0],
            &[0.0, 0.0, -1.0],
            &[-5.0, 0.1, 0.2, 0.3],
            &[1e300, 1e300],
            &[0.0, 0.0],
            &[-2.0],
        ];
        for direction in directions {
            for denominator in [1, 10, 1000] {
                let v = unit_rational_near(direction, denominator);
                assert!(squared_norm(&v).is_one(), "{direction:?} → {v:?}");
                let largest = direction.iter().fold(0.0f64, |a, x| a.max(x.abs()));
                if largest > 0.0 {
                    let scaled: Vec<f64> = direction.iter().map(|x| x / largest).collect();
                    let norm = scaled.iter().map(|x| x * x).sum::<f64>().sqrt();
                    let distance = v
                        .iter()
                        .zip(&scaled)
                        .map(|(a, b)| (crate::scalar::rational_to_f64(a) - b / norm).powi(2))
                        .sum::<f64>()
                        .sqrt();
                    let allowed = ((direction.len() - 1) as f64).sqrt() / denominator as f64;
                    assert!(distance <= allowed + 1e-12, "{direction:?}: {distance}");
                }
            }
        }
    }

    #[test]
    fn a_direction_at_the_pole_gives_the_pole_exactly() {
        let v = unit_rational_near(&[0.0, 0.0, 1.0], 5);
        assert_eq!(v, vec![Rational::zero(), Rational::zero(), Rational::one()]);
        let v = unit_rational_near(&[0.0, -3.0], 5);
        assert_eq!(v, vec![Rational::zero(), -Rational::one()]);
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
