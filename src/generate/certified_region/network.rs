//! The network of a generated case: `m` channels at every layer, channel `c` of layer `i`
//! reading only channel `c` of layer `i − 1`, every filter with nonnegative rational taps of
//! unit norm. Layer 1 is drawn from a catalogue of filters whose coherence at their stride is
//! small; layer 2 is a two-tap filter `(p, q)` with its taps `g > 2h_1` apart, so that one
//! layer-2 atom synthesises two layer-1 nonzeros in different stripes.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::model::{Geometry, Layer, Padding};
use crate::scalar::{Rational, ratio};

/// One layer's filter (the same for every channel) and geometry.
#[derive(Clone, Debug)]
pub struct FilterChoice {
    /// The taps' numerators.
    pub numerators: Vec<i64>,
    /// Their common denominator: `Σ numerator² = denominator²`.
    pub denominator: i64,
    /// `σ_i`.
    pub stride: usize,
    /// The padding.
    pub padding: Padding,
}

/// Layer 1's filters and strides for two layers: `μ = 8/81` (`(8, 4, 1)/9` and its reverse at
/// stride 2) or `μ = 0` (the taps of two atoms never meet).
const FIRST_OF_TWO: [(&[i64], i64, usize); 4] = [
    (&[8, 4, 1], 9, 2),
    (&[1, 4, 8], 9, 2),
    (&[8, 4, 1], 9, 3),
    (&[3, 4], 5, 2),
];

/// Layer 1 of a one-layer network may be more coherent: `μ = 12/25`, `60/169`, `36/81`.
const FIRST_OF_ONE: [(&[i64], i64, usize); 3] =
    [(&[3, 4], 5, 1), (&[12, 0, 5], 13, 1), (&[8, 4, 1], 9, 1)];

/// The two taps of a layer-2 filter.
const PAIRS: [(i64, i64, i64); 4] = [(3, 4, 5), (4, 3, 5), (5, 12, 13), (12, 5, 13)];

impl FilterChoice {
    /// The taps in `f64`.
    pub fn taps(&self) -> Vec<f64> {
        let d = self.denominator as f64;
        self.numerators.iter().map(|&v| v as f64 / d).collect()
    }

    /// `n_i`.
    pub fn length(&self) -> usize {
        self.numerators.len()
    }

    /// `h_i = ⌊(n_i − 1)/σ_i⌋`.
    pub fn half_width(&self) -> usize {
        (self.length() - 1) / self.stride
    }

    /// `μ` of one channel's unit filter over displacements in `σ ℤ` (channels never meet).
    pub fn coherence(&self) -> f64 {
        let taps = self.taps();
        (1..)
            .map(|k| k * self.stride)
            .take_while(|&d| d < taps.len())
            .map(|d| {
                (0..taps.len() - d)
                    .map(|t| taps[t] * taps[t + d])
                    .sum::<f64>()
            })
            .fold(0.0, f64::max)
    }

    /// The smallest and the largest nonzero tap.
    pub fn tap_range(&self) -> (f64, f64) {
        let taps: Vec<f64> = self.taps().into_iter().filter(|&t| t > 0.0).collect();
        let low = taps.iter().copied().fold(f64::INFINITY, f64::min);
        (low, taps.iter().copied().fold(0.0, f64::max))
    }

    /// The layer of the model: `channels` filters, filter `c` on input channel `c` only.
    pub fn layer(&self, number: usize, channels: usize) -> Layer<Rational> {
        let filters = (0..channels)
            .map(|c| {
                self.numerators
                    .iter()
                    .map(|&v| {
                        (0..channels)
                            .map(|c2| {
                                if c2 == c {
                                    ratio(v, self.denominator)
                                } else {
                                    ratio(0, 1)
                                }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Layer::new(number, filters)
            .expect("unit filters")
            .with_geometry(Geometry {
                stride: self.stride,
                padding: self.padding,
            })
    }
}

/// A padding for a filter of length `n`: zero (amounts below `n`), valid or circular.
fn draw_padding(rng: &mut ChaCha8Rng, n: usize) -> Padding {
    match rng.random_range(0..4u8) {
        0 | 1 => Padding::Zero {
            left: rng.random_range(0..n),
            right: rng.random_range(0..n),
        },
        2 => Padding::Valid,
        _ => Padding::Circular,
    }
}

/// Layer 1 of a network of `depth` layers.
pub fn draw_first(rng: &mut ChaCha8Rng, depth: usize) -> FilterChoice {
    let (numerators, denominator, stride) = if depth == 1 && rng.random_bool(0.5) {
        FIRST_OF_ONE[rng.random_range(0..FIRST_OF_ONE.len())]
    } else {
        FIRST_OF_TWO[rng.random_range(0..FIRST_OF_TWO.len())]
    };
    FilterChoice {
        numerators: numerators.to_vec(),
        denominator,
        stride,
        padding: draw_padding(rng, numerators.len()),
    }
}

/// Layer 2 over `first`: taps `(p, q)` at `0` and `g ∈ (2h_1, 2h_1 + 3]`, stride 1 to 3.
pub fn draw_second(rng: &mut ChaCha8Rng, first: &FilterChoice) -> FilterChoice {
    let (p, q, denominator) = PAIRS[rng.random_range(0..PAIRS.len())];
    let gap = 2 * first.half_width() + rng.random_range(1..=3usize);
    let mut numerators = vec![0; gap + 1];
    numerators[0] = p;
    numerators[gap] = q;
    FilterChoice {
        padding: draw_padding(rng, gap + 1),
        numerators,
        denominator,
        stride: rng.random_range(1..=3usize),
    }
}

/// Every layer-1 filter of a two-layer network, every layer-2 pair and every gap, each stride
/// and the paddings that change `P_1(1)` (circular over non-circular or not), for the test of
/// the feasible thresholds.
pub fn every_two_layer_design() -> Vec<(FilterChoice, FilterChoice)> {
    let mut designs = Vec::new();
    for (numerators, denominator, stride) in FIRST_OF_TWO {
        let first = FilterChoice {
            numerators: numerators.to_vec(),
            denominator,
            stride,
            padding: Padding::Valid,
        };
        for (p, q, d) in PAIRS {
            for extra in 1..=3 {
                let gap = 2 * first.half_width() + extra;
                for (stride_2, padding) in
                    (1..=3).flat_map(|s| [(s, Padding::Valid), (s, Padding::Circular)])
                {
                    let mut taps = vec![0; gap + 1];
                    taps[0] = p;
                    taps[gap] = q;
                    let second = FilterChoice {
                        numerators: taps,
                        denominator: d,
                        stride: stride_2,
                        padding,
                    };
                    designs.push((first.clone(), second));
                }
            }
        }
    }
    designs
}
