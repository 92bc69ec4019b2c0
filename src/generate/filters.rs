//! Designed filter banks with exactly unit norm and low coherence (docs/math.md §1, §3).
//!
//! - First layers: Dirac filters (`μ = 0`); binary sequences of perfect-square length with low
//!   peak sidelobe, scaled by `1/sqrt(n)` (exactly rational because `n` is a square); a rational
//!   unit vector near the Barker sequence of length 13 ([`unit_rational_near`], inverse
//!   stereographic projection);
//!   Householder reflections of a multi-channel input (`n = 1`, `μ = 0`).
//! - Deeper layers: sparse filters with equal-magnitude entries (`±1` on one cell, or `±1/2` on
//!   four cells) on cells disjoint between filters, so that synthesis never adds two atoms of one
//!   layer into the same entry of the layer below when their coefficients are far apart.
//!
//! The sequences were found by exhaustive search (lengths 4, 9, 16) and by hill climbing
//! (the pair of length 16); their coherences are recomputed exactly by the tests.

use rand::RngExt;

use super::random::unit_rational_near;
use crate::model::Layer;
use crate::scalar::Rational;

use crate::scalar::ratio as r;

/// The binary sequence `(1, 1, 1, −1)`: peak sidelobe 1, so `μ = 1/4`.
pub const BINARY_4: [i64; 4] = [1, 1, 1, -1];
/// A length-9 binary sequence of peak sidelobe 2 (`μ = 2/9`), optimal for its length.
pub const BINARY_9: [i64; 9] = [1, 1, 1, 1, 1, -1, -1, 1, -1];
/// A length-16 binary sequence of peak sidelobe 2 (`μ = 1/8`), optimal for its length.
pub const BINARY_16: [i64; 16] = [1, 1, 1, 1, 1, -1, -1, 1, 1, -1, -1, 1, -1, 1, -1, -1];
/// Two length-16 binary sequences with all auto- and cross-correlation sidelobes at most 4
/// (`μ = 1/4`).
pub const BINARY_PAIR_16: [[i64; 16]; 2] = [
    [1, -1, 1, -1, 1, 1, 1, 1, -1, 1, 1, -1, -1, 1, 1, 1],
    [1, 1, -1, -1, 1, -1, -1, 1, -1, -1, -1, 1, 1, 1, -1, 1],
];
/// The Barker sequence of length 13 (peak sidelobe 1).
pub const BARKER_13: [i64; 13] = [1, 1, 1, 1, 1, -1, -1, 1, 1, -1, 1, -1, 1];

/// A filter `±1/sqrt(n)` from a binary sequence of perfect-square length `n`, one input channel.
pub fn binary_filter(sequence: &[i64]) -> Vec<Vec<Rational>> {
    let n = sequence.len() as i64;
    let root = (n as f64).sqrt().round() as i64;
    assert_eq!(
        root * root,
        n,
        "binary filters need a perfect-square length"
    );
    sequence.iter().map(|&v| vec![r(v, root)]).collect()
}

/// A Householder reflection `I − 2vvᵀ/(vᵀv)` for a random integer `v`: an exactly orthogonal
/// rational `m × m` matrix, used as `m` filters of length 1 (`μ = 0`).
pub fn householder_filters<R: rand::Rng + ?Sized>(
    rng: &mut R,
    m: usize,
) -> Vec<Vec<Vec<Rational>>> {
    let v: Vec<i64> = (0..m).map(|_| rng.random_range(1..=4)).collect();
    let vv: i64 = v.iter().map(|x| x * x).sum();
    (0..m)
        .map(|row| {
            vec![
                (0..m)
                    .map(|col| {
                        let identity = if row == col { vv } else { 0 };
                        r(identity - 2 * v[row] * v[col], vv)
                    })
                    .collect(),
            ]
        })
        .collect()
}

/// The first-layer designs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstLayerDesign {
    /// `[1]`: `n = 1`, `μ = 0`.
    Dirac,
    /// [`BINARY_4`] / 2.
    Binary4,
    /// [`BINARY_9`] / 3.
    Binary9,
    /// [`BINARY_16`] / 4.
    Binary16,
    /// [`BINARY_PAIR_16`] / 4: two filters.
    BinaryPair16,
    /// A rational unit vector near [`BARKER_13`]`/sqrt(13)`.
    Barker13,
    /// A Householder reflection of a two- or three-channel input.
    Householder,
}

impl FirstLayerDesign {
    /// Every design.
    pub const ALL: [FirstLayerDesign; 7] = [
        FirstLayerDesign::Dirac,
        FirstLayerDesign::Binary4,
        FirstLayerDesign::Binary9,
        FirstLayerDesign::Binary16,
        FirstLayerDesign::BinaryPair16,
        FirstLayerDesign::Barker13,
        FirstLayerDesign::Householder,
    ];

    /// The filters `filters[c][t][c']` and the input channels `m_0`.
    pub fn filters<R: rand::Rng + ?Sized>(self, rng: &mut R) -> (Vec<Vec<Vec<Rational>>>, usize) {
        match self {
            FirstLayerDesign::Dirac => (vec![vec![vec![r(1, 1)]]], 1),
            FirstLayerDesign::Binary4 => (vec![binary_filter(&BINARY_4)], 1),
            FirstLayerDesign::Binary9 => (vec![binary_filter(&BINARY_9)], 1),
            FirstLayerDesign::Binary16 => (vec![binary_filter(&BINARY_16)], 1),
            FirstLayerDesign::BinaryPair16 => {
                (BINARY_PAIR_16.iter().map(|s| binary_filter(s)).collect(), 1)
            }
            FirstLayerDesign::Barker13 => {
                let target: Vec<f64> = BARKER_13.iter().map(|&v| v as f64).collect();
                let filter = unit_rational_near(&target, 256);
                (vec![filter.into_iter().map(|v| vec![v]).collect()], 1)
            }
            FirstLayerDesign::Householder => {
                let m = rng.random_range(2..=3);
                (householder_filters(rng, m), m)
            }
        }
    }
}

/// A deeper layer of sparse equal-magnitude filters over `input_channels` channels: `count`
/// filters of length `length`, each with `taps_per_filter ∈ {1, 4}` nonzero cells of magnitude
/// `1/sqrt(taps_per_filter)`, cells disjoint between filters; `nonnegative` makes every entry
/// positive (for the ReLU variant). Single-cell filters use distinct input channels, so that no
/// shift aligns two of them (`μ = 0`).
pub fn sparse_deeper_filters<R: rand::Rng + ?Sized>(
    rng: &mut R,
    input_channels: usize,
    length: usize,
    count: usize,
    taps_per_filter: usize,
    nonnegative: bool,
) -> Vec<Vec<Vec<Rational>>> {
    let mut filters = vec![vec![vec![r(0, 1); input_channels]; length]; count];
    let magnitude = if taps_per_filter == 4 {
        r(1, 2)
    } else {
        r(1, 1)
    };
    let mut cells: Vec<(usize, usize)> = if taps_per_filter == 1 {
        // One cell per filter, each in its own channel.
        let mut channels: Vec<usize> = (0..input_channels).collect();
        shuffle(rng, &mut channels);
        channels
            .into_iter()
            .map(|c| (rng.random_range(0..length), c))
            .collect()
    } else {
        let mut all: Vec<(usize, usize)> = (0..length)
            .flat_map(|t| (0..input_channels).map(move |c| (t, c)))
            .collect();
        shuffle(rng, &mut all);
        all
    };
    for filter in filters.iter_mut() {
        for _ in 0..taps_per_filter {
            let (t, c) = cells.pop().expect("the design leaves enough cells");
            let negative = !nonnegative && rng.random_bool(0.5);
            filter[t][c] = if negative {
                -magnitude.clone()
            } else {
                magnitude.clone()
            };
        }
    }
    filters
}

fn shuffle<T, R: rand::Rng + ?Sized>(rng: &mut R, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

/// Builds a validated layer from designed filters (they are unit by construction; a failure
/// here is a bug in the design, reported as a panic with the layer number).
pub fn designed_layer(number: usize, filters: Vec<Vec<Vec<Rational>>>) -> Layer<Rational> {
    crate::integer_view::unit_layer(number, filters)
        .unwrap_or_else(|e| panic!("designed layer {number} is invalid: {e}"))
}
