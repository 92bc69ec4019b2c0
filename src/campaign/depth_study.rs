//! The depth study: how conservative Theorem 2 becomes with depth. For each depth `K` and
//! filter design ([`DepthDesign`]: two-tap ladders below a coherence level, or equal taps on a
//! Golomb ruler) at every layer, positive coefficients, and the nonnegative (ReLU) forward pass
//! with every threshold at the midpoint of its window,
//!
//! ```text
//! β_i = ( |Γ_i^min| + μ_i |Γ_i^max| ) / 2,
//! ```
//!
//! which does not depend on `ε_{i-1}`: it lies inside the window of (b) whenever (a) holds, and
//! is the natural guess (midway between the off-support and on-support correlation bounds of
//! lemma L3 without noise) where the window is empty. Noise is drawn exactly with
//! `ε_0 = η |Γ_1^min|`, `η` uniform in `[0, 0.05)`. Each case is decided by [`check_theorem2`] in
//! exact arithmetic: whether the hypotheses hold at every layer, and whether the forward pass
//! recovered the support of every `Γ_i` anyway.

use num_bigint::BigInt;
use rand::RngExt;
use rayon::prelude::*;
use serde::Serialize;

use crate::generate::coherent::{Ladder, ladder_at_coherence};
use crate::generate::filters::designed_layer;
use crate::generate::seed::case_rng;
use crate::generate::theorem2::draw_noise;
use crate::io::Instance;
use crate::model::{LayerVector, Model};
use crate::operators::analysis;
use crate::pursuit::Thresholding;
use crate::scalar::{Rational, Scalar};
use crate::theorems::theorem2::check_theorem2;
use crate::theorems::theorem2_bounds::WindowPlacement;
use crate::theorems::theorem2_bounds::layer_profile;
use crate::threshold::Threshold;
use num_traits::Zero;
use rand_chacha::ChaCha8Rng;

/// Denominator of the noise level.
const NOISE_DENOMINATOR: i64 = 1 << 32;

/// The depths of the study.
pub const DEPTHS: [usize; 4] = [1, 2, 3, 4];

/// The filter designs of the study, each at one coherence level.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DepthDesign {
    /// Two-tap ladders ([`ladder_at_coherence`]) with `μ_i ≤` the level at every layer: the
    /// small tap passes a contrast of about `μ` down to the layer below.
    TwoTap(f64),
    /// Equal-magnitude taps `±1/sqrt(k)` on a Golomb ruler of `k` marks (`μ = 1/k` exactly, the
    /// contrast kept): `k = 4` on `{0, 1, 4, 6}`, `k = 9` on
    /// `{0, 1, 5, 12, 25, 27, 35, 41, 44}`. A layer's atom writes `k` entries into one stripe of
    /// the layer below, so there `s ≥ k` and `(2s − 1) μ ≥ 2 − 1/k > 1`: hypothesis (a) fails
    /// below the last layer at every depth `K ≥ 2`, whatever the noise.
    EqualTaps(usize),
}

impl DepthDesign {
    /// The coherence `μ` of every layer (for two-tap ladders, the level it stays below).
    pub fn coherence(self) -> f64 {
        match self {
            DepthDesign::TwoTap(level) => level,
            DepthDesign::EqualTaps(k) => 1.0 / k as f64,
        }
    }

    /// A label for tables and plots.
    pub fn label(self) -> String {
        match self {
            DepthDesign::TwoTap(level) => format!("two-tap, μ ≤ {level}"),
            DepthDesign::EqualTaps(k) => format!("{k} equal taps, μ = 1/{k}"),
        }
    }
}

/// The designs of the study.
pub const DESIGNS: [DepthDesign; 4] = [
    DepthDesign::TwoTap(0.03),
    DepthDesign::TwoTap(0.2),
    DepthDesign::EqualTaps(9),
    DepthDesign::EqualTaps(4),
];

/// Golomb rulers of 4 and 9 marks (every difference of two marks occurs once).
const GOLOMB_4: [usize; 4] = [0, 1, 4, 6];
/// See [`GOLOMB_4`].
const GOLOMB_9: [usize; 9] = [0, 1, 5, 12, 25, 27, 35, 41, 44];

/// One cell: a depth and a coherence level.
#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct DepthCell {
    /// `K`.
    pub depth: usize,
    /// The filter design and its coherence level.
    pub design: DepthDesign,
    /// `μ` of the design.
    pub coherence: f64,
    /// Cases drawn.
    pub cases: usize,
    /// Cases meeting the hypotheses of Theorem 2 at every layer.
    pub hypotheses_met: usize,
    /// Cases whose forward pass recovered the support and signs of every `Γ_i`.
    pub support_recovered: usize,
    /// Cases where some thresholds, chosen layer by layer with knowledge of the supports,
    /// recover every support: an upper envelope of what the forward pass can do.
    pub recoverable: usize,
    /// Cases meeting the hypotheses whose support was not recovered (must be 0).
    pub violated: usize,
}

/// A depth study.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct DepthStudyReport {
    /// Cases per cell.
    pub cases_per_cell: usize,
    /// Master seed: case `k` of cell `j` uses the stream `j · cases_per_cell + k`.
    pub seed: u64,
    /// The cells, depth-major.
    pub cells: Vec<DepthCell>,
}

fn r(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

/// A ladder of equal-magnitude positive taps on a Golomb ruler at every layer, one channel,
/// with clusters of `Γ_K` (one atom, or two atoms one to `n − 1` apart, overlapping in exactly
/// one entry) spaced beyond the reach of every layer.
fn equal_tap_ladder(rng: &mut ChaCha8Rng, depth: usize, marks: &[usize]) -> Ladder {
    let n = marks[marks.len() - 1] + 1;
    let root = (marks.len() as f64).sqrt().round() as i64;
    let layers = (1..=depth)
        .map(|i| {
            let mut filter = vec![vec![r(0, 1)]; n];
            for &t in marks {
                filter[t][0] = r(1, root);
            }
            designed_layer(i, vec![filter])
        })
        .collect();
    let spacing = (depth + 1) * (n - 1) + 2 * n;
    let clusters = rng.random_range(1..=3usize);
    let signal_length = clusters * spacing + rng.random_range(0..=8usize);
    let mut gamma = LayerVector::zeros(signal_length, 1);
    for k in 0..clusters {
        let magnitude = r(rng.random_range(55_000..=65_536), 65_536);
        gamma.set(k * spacing, 0, magnitude);
        if rng.random_bool(0.6) {
            let offset = rng.random_range(1..n);
            gamma.set(
                k * spacing + offset,
                0,
                r(rng.random_range(55_000..=65_536), 65_536),
            );
        }
    }
    Ladder {
        model: Model::new(signal_length, 1, layers).expect("a ladder meets every model rule"),
        gamma,
        thetas: vec![0.5; depth],
        last_patch_width: rng.random_range(1..=3usize),
        chain: None,
    }
}

/// One case of a cell, as an instance with midpoint thresholds.
pub fn depth_study_instance(
    seed: u64,
    stream: u64,
    depth: usize,
    design: DepthDesign,
) -> Instance<Rational> {
    let mut rng = case_rng(seed, stream);
    let ladder = match design {
        DepthDesign::TwoTap(level) => ladder_at_coherence(&mut rng, depth, true, level),
        DepthDesign::EqualTaps(4) => equal_tap_ladder(&mut rng, depth, &GOLOMB_4),
        DepthDesign::EqualTaps(_) => equal_tap_ladder(&mut rng, depth, &GOLOMB_9),
    };
    let chain = ladder
        .model
        .synthesis_chain(&ladder.gamma)
        .expect("shapes agree");
    let thresholds = (1..=depth)
        .map(|i| {
            let profile = layer_profile(&ladder.model, i, &chain[i], ladder.last_patch_width);
            Threshold::Shared(profile.window_midpoint())
        })
        .collect();
    let (gamma_min_1, _) = chain[1]
        .support_magnitude_range()
        .expect("ladders have nonzero layers");
    let eta = rng.random_range(0.0..0.05);
    let level = Rational::from_float(eta * gamma_min_1.to_f64())
        .map(|x| (x * r(NOISE_DENOMINATOR, 1)).floor() * r(1, NOISE_DENOMINATOR))
        .unwrap_or_else(|| r(0, 1));
    let noise = draw_noise(
        &mut rng,
        ladder.model.signal_length(),
        ladder.model.input_channels(),
        ladder.model.layer(1).filter_length(),
        &level,
    );
    let noiseless = noise.count_nonzeros() == 0;
    Instance {
        name: format!("depth-study-K{depth}-{}", design.label()),
        source: format!("mlcsc depth-study --seed {seed} (stream {stream})"),
        model: ladder.model,
        thresholding: Thresholding::Nonnegative,
        thresholds,
        deepest_representation: ladder.gamma,
        noise,
        noise_budget: (!noiseless).then_some(level),
        last_patch_width: ladder.last_patch_width,
        last_patch_rows: 1,
    }
}

/// Whether the nonnegative forward pass recovers every support for some thresholds, chosen
/// layer by layer: at layer `i` the correlations `z = D_iᵀ Γ̂_{i-1}` must be larger on the
/// support of `Γ_i` than anywhere off it (and positive there); then `β_i` is the midpoint of
/// that gap (with `max(0, ·)` off the support) and the next layer reads `S⁺_{β_i}(z)`.
pub fn recoverable_by_some_thresholds(instance: &Instance<Rational>) -> bool {
    let (signal, chain) = instance.signal_and_chain();
    let mut current = signal;
    for (i, truth) in chain.iter().enumerate().skip(1) {
        let z = analysis(instance.model.layer(i), &current);
        let mut least_on: Option<Rational> = None;
        let mut most_off = Rational::zero();
        for (value, true_value) in z.entries().iter().zip(truth.entries()) {
            if true_value.is_zero() {
                if *value > most_off {
                    most_off = value.clone();
                }
            } else if least_on.as_ref().is_none_or(|least| value < least) {
                least_on = Some(value.clone());
            }
        }
        let Some(least_on) = least_on else {
            return false;
        };
        if least_on <= most_off {
            return false;
        }
        let beta = (least_on + most_off) * r(1, 2);
        current = Thresholding::Nonnegative.apply_vector(&z, &beta);
    }
    true
}

/// Runs the study: every case of every cell in parallel, each from its own seeded stream.
pub fn run_depth_study(cases_per_cell: usize, seed: u64) -> DepthStudyReport {
    let grid: Vec<(usize, DepthDesign)> = DEPTHS
        .iter()
        .flat_map(|&k| DESIGNS.iter().map(move |&d| (k, d)))
        .collect();
    let cells = grid
        .iter()
        .enumerate()
        .map(|(j, &(depth, design))| {
            let outcomes: Vec<(bool, bool, bool)> = (0..cases_per_cell)
                .into_par_iter()
                .map(|k| {
                    let stream = (j * cases_per_cell + k) as u64;
                    let instance = depth_study_instance(seed, stream, depth, design);
                    let report = check_theorem2(&instance);
                    (
                        report.verdict.hypotheses_met(),
                        report.layers.iter().all(|l| l.support_recovered),
                        recoverable_by_some_thresholds(&instance),
                    )
                })
                .collect();
            DepthCell {
                depth,
                design,
                coherence: design.coherence(),
                cases: cases_per_cell,
                hypotheses_met: outcomes.iter().filter(|o| o.0).count(),
                support_recovered: outcomes.iter().filter(|o| o.1).count(),
                recoverable: outcomes.iter().filter(|o| o.2).count(),
                violated: outcomes.iter().filter(|o| o.0 && !o.1).count(),
            }
        })
        .collect();
    DepthStudyReport {
        cases_per_cell,
        seed,
        cells,
    }
}

impl DepthStudyReport {
    /// The study as CSV, one row per cell.
    pub fn to_csv(&self) -> String {
        let mut text = String::from(
            "depth,design,coherence,cases,hypotheses_met,support_recovered,recoverable,violated,hypotheses_fraction,recovery_fraction,recoverable_fraction\n",
        );
        for c in &self.cells {
            text.push_str(&format!(
                "{},{},{:.4},{},{},{},{},{},{:.4},{:.4},{:.4}\n",
                c.depth,
                c.design.label(),
                c.coherence,
                c.cases,
                c.hypotheses_met,
                c.support_recovered,
                c.recoverable,
                c.violated,
                c.hypotheses_met as f64 / c.cases.max(1) as f64,
                c.support_recovered as f64 / c.cases.max(1) as f64,
                c.recoverable as f64 / c.cases.max(1) as f64
            ));
        }
        text
    }
}
