//! The peers' model, drawn from a seeded ChaCha stream in any arithmetic: unit filters of
//! random direction, a sparse deepest representation, small noise and one threshold.

use num_bigint::BigInt;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::generate::random::unit_rational_near;
use crate::model::{Layer, LayerVector, Model};
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;
use crate::threshold::Threshold;

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = 1.0 - rng.random_range(0.0..1.0);
    let v: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// How a workload's random draws become numbers of an arithmetic.
pub trait Drawn: Scalar {
    /// A drawn real number (rounded to a multiple of `2^-32` when exact).
    fn drawn(x: f64) -> Self;
    /// A unit filter near the direction (exactly unit when exact).
    fn unit(direction: &[f64]) -> Vec<Self>;
}

impl Drawn for f64 {
    fn drawn(x: f64) -> Self {
        x
    }

    fn unit(direction: &[f64]) -> Vec<Self> {
        let norm = direction.iter().map(|v| v * v).sum::<f64>().sqrt();
        direction.iter().map(|v| v / norm).collect()
    }
}

impl Drawn for Rational {
    fn drawn(x: f64) -> Self {
        Rational::new(
            BigInt::from((x * 4_294_967_296.0).round() as i64),
            BigInt::from(1i64 << 32),
        )
    }

    fn unit(direction: &[f64]) -> Vec<Self> {
        unit_rational_near(direction, 256)
    }
}

impl Drawn for SmallRational {
    fn drawn(x: f64) -> Self {
        SmallRational::from(&Rational::drawn(x))
    }

    fn unit(direction: &[f64]) -> Vec<Self> {
        Rational::unit(direction)
            .iter()
            .map(SmallRational::from)
            .collect()
    }
}

/// A model of `(n, m)` layers with unit filters of random direction, a deepest representation
/// of the given density with standard normal entries, noise `10^-3 · N(0, 1)` and thresholds
/// `0.1`: the peers' model, drawn from a ChaCha stream instead of NumPy's generator.
#[derive(Clone, Debug)]
pub struct Problem<S> {
    /// The model.
    pub model: Model<S>,
    /// `Γ_K`.
    pub deepest: LayerVector<S>,
    /// `E`.
    pub noise: LayerVector<S>,
    /// `β_i`, one per layer.
    pub thresholds: Vec<Threshold<S>>,
}

/// Draws a [`Problem`] of `length` positions and layers `shapes = [(n_i, m_i)]`.
///
/// # Panics
///
/// If `length < 2 n_i − 1` for some layer (callers validate their arguments first).
pub fn problem<S: Drawn>(
    rng: &mut ChaCha8Rng,
    length: usize,
    shapes: &[(usize, usize)],
    density: f64,
) -> Problem<S> {
    let mut layers = Vec::with_capacity(shapes.len());
    let mut previous = 1;
    for (index, &(n, m)) in shapes.iter().enumerate() {
        let filters: Vec<Vec<Vec<S>>> = (0..m)
            .map(|_| {
                let direction: Vec<f64> = (0..n * previous).map(|_| normal(rng)).collect();
                S::unit(&direction)
                    .chunks(previous)
                    .map(|tap| tap.to_vec())
                    .collect()
            })
            .collect();
        layers.push(Layer::new(index + 1, filters).expect("unit filters"));
        previous = m;
    }
    let model = Model::new(length, 1, layers).expect("valid shapes");
    let mut deepest = LayerVector::zeros(length, previous);
    for entry in deepest.entries_mut() {
        if rng.random_range(0.0..1.0) < density {
            *entry = S::drawn(normal(rng));
        }
    }
    let mut noise = LayerVector::zeros(length, 1);
    for entry in noise.entries_mut() {
        *entry = S::drawn(1e-3 * normal(rng));
    }
    let thresholds = vec![Threshold::Shared(S::drawn(0.1)); shapes.len()];
    Problem {
        model,
        deepest,
        noise,
        thresholds,
    }
}
