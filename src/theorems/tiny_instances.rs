//! Tiny exact dictionaries and representations for the exhaustive checks (uniqueness, stripe
//! spark, stripe RIP, stability), built valid by construction (docs/math.md §1).
//!
//! - Unit rational filters from the inverse stereographic projection
//!   `t ∈ Q^{k-1} ↦ (2t, |t|² - 1) / (|t|² + 1)`, which is exactly unit for every `t`.
//! - Representations within a stripe budget: atoms are offered in a random order and kept while
//!   the stripe sparsity stays within the budget, so no draw is ever rejected.
//!
//! Randomness comes only from the generator passed in (seeded ChaCha in tests and campaigns).

use num_bigint::BigInt;
use num_traits::{One, Zero};
use rand::RngExt;

use super::support_enumeration::StripeCounter;
use crate::model::{Layer, LayerVector, Model};
use crate::scalar::Rational;

fn r(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

/// The inverse stereographic projection `t ↦ (2t, |t|² - 1) / (|t|² + 1)`: an exactly unit
/// vector of `t.len() + 1` entries.
pub fn stereographic_unit_vector(t: &[Rational]) -> Vec<Rational> {
    let mut t_squared = Rational::zero();
    for v in t {
        t_squared += v * v;
    }
    let scale = Rational::one() + &t_squared;
    let mut out: Vec<Rational> = t.iter().map(|v| r(2, 1) * v / &scale).collect();
    out.push((t_squared - Rational::one()) / scale);
    out
}

/// A random exactly unit filter `n × m_prev` (tap-major), from stereographic coordinates
/// `t_j = a_j / denominator` with integers `|a_j| ≤ 2 · denominator`.
pub fn random_unit_filter<R: rand::Rng + ?Sized>(
    rng: &mut R,
    filter_length: usize,
    input_channels: usize,
    denominator: i64,
) -> Vec<Vec<Rational>> {
    let size = filter_length * input_channels;
    let t: Vec<Rational> = (0..size - 1)
        .map(|_| {
            r(
                rng.random_range(-2 * denominator..=2 * denominator),
                denominator,
            )
        })
        .collect();
    let entries = if size == 1 {
        vec![r(if rng.random_bool(0.5) { 1 } else { -1 }, 1)]
    } else {
        stereographic_unit_vector(&t)
    };
    entries
        .chunks(input_channels)
        .map(|tap| tap.to_vec())
        .collect()
}

/// A random layer of `m` exactly unit filters, each `n × m_prev`.
pub fn random_layer<R: rand::Rng + ?Sized>(
    rng: &mut R,
    layer_number: usize,
    filter_count: usize,
    filter_length: usize,
    input_channels: usize,
    denominator: i64,
) -> Layer<Rational> {
    let filters = (0..filter_count)
        .map(|_| random_unit_filter(rng, filter_length, input_channels, denominator))
        .collect();
    Layer::new(layer_number, filters).expect("stereographic filters are exactly unit")
}

/// A random model of the given shape: `shape[i] = (m_i, n_i)`, scalar input (`m_0 = 1`) unless
/// `input_channels` says otherwise.
pub fn random_model<R: rand::Rng + ?Sized>(
    rng: &mut R,
    signal_length: usize,
    input_channels: usize,
    shape: &[(usize, usize)],
    denominator: i64,
) -> Model<Rational> {
    let mut previous = input_channels;
    let layers = shape
        .iter()
        .enumerate()
        .map(|(k, &(m, n))| {
            let layer = random_layer(rng, k + 1, m, n, previous, denominator);
            previous = m;
            layer
        })
        .collect();
    Model::new(signal_length, input_channels, layers).expect("N ≥ 2n - 1 is the caller's choice")
}

/// A random representation over `N` positions and `m` channels whose stripe sparsity (filters of
/// length `n`) is at most `budget`: atoms are offered in a random order, each kept with
/// probability `density` while the budget allows. Values are `±k/q` with `1 ≤ k ≤ 3q`, or
/// positive only when `nonnegative`.
#[allow(clippy::too_many_arguments)]
pub fn random_representation_within_budget<R: rand::Rng + ?Sized>(
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
            r(sign * magnitude, denominator),
        );
    }
    gamma
}

/// Tiny dictionaries with exact coherence, named, for exhaustive enumerations: two-tap filters
/// from Pythagorean triples, three-tap filters with entries in thirds, a four-tap pair designed
/// for low coherence (`μ = 49/153 < 1/3`, so that budgets `λ = 2` lie below `½(1 + 1/μ)`;
/// found by hill climbing and rounded on the sphere by stereographic projection), and
/// two-channel filters (entries `±1/2`, or single-tap unit vectors). Each is a valid layer for
/// every `N ≥ 2n - 1`.
pub fn catalogue() -> Vec<(&'static str, Layer<Rational>)> {
    let single = |taps: &[(i64, i64)]| -> Vec<Vec<Rational>> {
        taps.iter().map(|&(a, b)| vec![r(a, b)]).collect()
    };
    let entries = |rows: &[[i64; 2]], d: i64| -> Vec<Vec<Rational>> {
        rows.iter()
            .map(|row| row.iter().map(|&a| r(a, d)).collect())
            .collect()
    };
    let layer = |filters: Vec<Vec<Vec<Rational>>>| Layer::new(1, filters).expect("unit filters");
    vec![
        (
            "pythagorean-3-4-pair",
            layer(vec![single(&[(3, 5), (4, 5)]), single(&[(4, 5), (-3, 5)])]),
        ),
        (
            "pythagorean-5-12-pair",
            layer(vec![
                single(&[(5, 13), (12, 13)]),
                single(&[(12, 13), (-5, 13)]),
            ]),
        ),
        (
            "pythagorean-mixed-pair",
            layer(vec![
                single(&[(3, 5), (4, 5)]),
                single(&[(5, 13), (-12, 13)]),
            ]),
        ),
        (
            "pythagorean-3-4-triple",
            layer(vec![
                single(&[(3, 5), (4, 5)]),
                single(&[(4, 5), (-3, 5)]),
                single(&[(1, 1), (0, 1)]),
            ]),
        ),
        (
            "dirac-and-3-4",
            layer(vec![single(&[(1, 1), (0, 1)]), single(&[(3, 5), (4, 5)])]),
        ),
        (
            "thirds-three-tap-pair",
            layer(vec![
                single(&[(2, 3), (-1, 3), (-2, 3)]),
                single(&[(1, 3), (2, 3), (2, 3)]),
            ]),
        ),
        (
            "halves-two-channel-pair",
            layer(vec![
                entries(&[[1, 1], [1, -1]], 2),
                entries(&[[1, -1], [-1, -1]], 2),
            ]),
        ),
        (
            "designed-four-tap-pair",
            layer(vec![
                single(&[(20, 51), (22, 51), (6, 51), (-41, 51)]),
                single(&[(-20, 51), (-22, 51), (6, 51), (-41, 51)]),
            ]),
        ),
        (
            "point-two-channel-triple",
            layer(vec![
                entries(&[[1, 0]], 1),
                entries(&[[3, 4]], 5),
                entries(&[[0, 1]], 1),
            ]),
        ),
        (
            "halves-two-channel-triple",
            layer(vec![
                entries(&[[1, 1], [1, -1]], 2),
                entries(&[[1, -1], [-1, -1]], 2),
                entries(&[[1, 1], [-1, 1]], 2),
            ]),
        ),
    ]
}
