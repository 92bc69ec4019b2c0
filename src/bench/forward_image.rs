//! `forward-image`: the thresholded analyses of a three-layer image model, `Γ̂_i =
//! S⁺_{β_i}(D_iᵀ Γ̂_{i-1})` with a bias `β_{i,c}` per channel (a CNN's convolution, bias and
//! ReLU), and the nonzeros of every layer, in `f64` or `f32` through
//! [`crate::fast::image`].
//!
//! The shape is a small image CNN's: a `256 × 256` image of one channel, three layers of
//! `3 × 3` filters with 16, 32 and 64 channels, each at stride 1 with one zero on every side
//! (so every layer keeps the `256 × 256` grid). The filters are unit vectors of uniformly
//! drawn entries, the image uniform in `[-1, 1]`, and `β_{i,c}` uniform in `[0, 0.2]`, all from
//! a seeded ChaCha stream. One pass is `2 · 256² · Σ_i 9 m_i m_{i-1}` ≈ 3.04 GFLOP, 98 % of it
//! in the last two layers, whose `K = 9 m_{i-1}` of 144 and 288 keeps the register tile busy.
//!
//! The report, what the peers compute too, is the count of nonzeros of every `Γ̂_i`, counted
//! inside the timed pass (fused with the thresholding, block by block). The conv-only pass
//! (`conv-gflops`) runs the same three products without thresholding or counting, each on
//! the thresholded input of the full pass, for a kernel-to-kernel comparison. Every vector is
//! kept across runs: after one untimed run, the timed runs are the steady state.

use std::hint::black_box;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::timing::{peak_resident_bytes, timed_with_cpu};
use crate::fast;
use crate::fast::image::{ImageAnalysis, threshold_channels};
use crate::fast::simd::Real;
use crate::model::{FilterShape, Geometry, Grid, GridGeometry, Layer, Padding};
use crate::thresholding::Thresholding;

/// The image's side.
pub const IMAGE_SIDE: usize = 256;
/// The channels of the image and of every layer.
pub const CHANNELS: [usize; 4] = [1, 16, 32, 64];

/// One measurement of `forward-image`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ImageMeasurement {
    /// `forward-image`.
    pub workload: &'static str,
    /// `f64` or `f32`.
    pub arithmetic: &'static str,
    /// `[H, W]`.
    pub image: [usize; 2],
    /// `m_0, m_1, …, m_K`.
    pub channels: Vec<usize>,
    /// `[n_h, n_w]`, the same at every layer.
    pub filter: [usize; 2],
    /// Timed runs.
    pub repeat: usize,
    /// Worker threads.
    pub threads: usize,
    /// Median seconds of a pass (products, thresholding and counts).
    pub seconds: f64,
    /// `2 · Σ_i N_h N_w m_i n_h n_w m_{i-1} / seconds`, in 10^9 per second.
    pub gflops: f64,
    /// Median seconds of the products alone.
    pub conv_seconds: f64,
    /// The same operations over `conv_seconds`.
    pub conv_gflops: f64,
    /// The peak of multiply-adds of this precision on these threads, measured just before.
    pub peak_gflops: f64,
    /// `gflops / peak_gflops`.
    pub fraction_of_peak: f64,
    /// `conv_gflops / peak_gflops`.
    pub conv_fraction_of_peak: f64,
    /// The products' operations per CPU second over the per-core peak in CPU time.
    pub conv_fraction_of_peak_in_cpu_time: f64,
    /// Median CPU seconds of a pass, all threads together.
    pub cpu_seconds: f64,
    /// The operations over `cpu_seconds`.
    pub gflops_per_cpu_second: f64,
    /// The peak of one core in its own CPU time.
    pub peak_gflops_per_core: f64,
    /// `gflops_per_cpu_second / peak_gflops_per_core`.
    pub fraction_of_peak_in_cpu_time: f64,
    /// Nonzeros of every `Γ̂_i`: the report.
    pub nonzeros: Vec<usize>,
    /// Peak resident memory of the process.
    pub peak_resident_bytes: Option<u64>,
}

/// The model's layers, the image and the biases, drawn from `seed`.
pub struct ImageProblem {
    /// The layers, 1 first.
    pub layers: Vec<Layer<f64>>,
    /// The image, `H W × 1`.
    pub image: Vec<f64>,
    /// `β_{i,c}`, per layer.
    pub biases: Vec<Vec<f64>>,
}

/// `forward-image`'s problem.
///
/// # Panics
///
/// Never: the drawn filters are unit vectors and the shapes fit.
pub fn image_problem(seed: u64) -> ImageProblem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let shape = FilterShape {
        rows: 3,
        columns: 3,
    };
    let axis = Geometry {
        stride: 1,
        padding: Padding::Zero { left: 1, right: 1 },
    };
    let mut layers = Vec::new();
    let mut biases = Vec::new();
    for (i, pair) in CHANNELS.windows(2).enumerate() {
        let (m_prev, m) = (pair[0], pair[1]);
        let filters = (0..m)
            .map(|_| {
                let taps: Vec<f64> = (0..9 * m_prev)
                    .map(|_| rng.random_range(-1.0..1.0))
                    .collect();
                let norm = taps.iter().map(|v| v * v).sum::<f64>().sqrt();
                taps.chunks(m_prev)
                    .map(|t| t.iter().map(|v| v / norm).collect())
                    .collect()
            })
            .collect();
        let layer = Layer::new(i + 1, filters)
            .and_then(|l| {
                l.on_grid(
                    i + 1,
                    shape,
                    GridGeometry {
                        rows: axis,
                        columns: axis,
                    },
                )
            })
            .expect("unit filters of 3 × 3 taps");
        layers.push(layer);
        biases.push((0..m).map(|_| rng.random_range(0.0..0.2)).collect());
    }
    let image = (0..IMAGE_SIDE * IMAGE_SIDE)
        .map(|_| rng.random_range(-1.0..1.0))
        .collect();
    ImageProblem {
        layers,
        image,
        biases,
    }
}

/// The pass in precision `T`: the packed layers, the rounded image and biases, the outputs.
struct Pass<T> {
    analyses: Vec<ImageAnalysis<T>>,
    image: Vec<T>,
    biases: Vec<Vec<T>>,
    outputs: Vec<Vec<T>>,
    /// The products of the conv-only pass.
    products: Vec<Vec<T>>,
}

impl<T: Real> Pass<T> {
    fn new(problem: &ImageProblem) -> Self {
        let grid = Grid {
            rows: IMAGE_SIDE,
            columns: IMAGE_SIDE,
        };
        let mut analyses: Vec<ImageAnalysis<T>> = Vec::new();
        for (i, layer) in problem.layers.iter().enumerate() {
            let input = analyses.last().map_or(grid, ImageAnalysis::output_grid);
            analyses.push(ImageAnalysis::new(i + 1, layer, input).expect("the grids fit"));
        }
        let sizes: Vec<usize> = analyses
            .iter()
            .map(|a| a.output_grid().positions() * a.channels_out())
            .collect();
        let rounded = |v: &[f64]| v.iter().map(|x| T::from_f64(*x)).collect::<Vec<T>>();
        Pass {
            image: rounded(&problem.image),
            biases: problem.biases.iter().map(|b| rounded(b)).collect(),
            outputs: sizes.iter().map(|s| vec![T::default(); *s]).collect(),
            products: sizes.iter().map(|s| vec![T::default(); *s]).collect(),
            analyses,
        }
    }

    /// The full pass; the nonzeros of every layer.
    fn forward(&mut self) -> Vec<usize> {
        let mut nonzeros = Vec::with_capacity(self.analyses.len());
        for (i, analysis) in self.analyses.iter().enumerate() {
            let (lower, upper) = self.outputs.split_at_mut(i);
            let input: &[T] = lower.last().map_or(&self.image, |v| v.as_slice());
            let betas = &self.biases[i];
            let finish =
                |block: &mut [T]| threshold_channels(block, Thresholding::Nonnegative, betas);
            nonzeros.push(analysis.apply(input, &mut upper[0], &finish));
        }
        nonzeros
    }

    /// The products alone, each on the full pass's input of its layer.
    fn products_only(&mut self) {
        for (i, analysis) in self.analyses.iter().enumerate() {
            let input: &[T] = if i == 0 {
                &self.image
            } else {
                &self.outputs[i - 1]
            };
            let skip = |_: &mut [T]| 0;
            analysis.apply(input, &mut self.products[i], &skip);
        }
    }
}

/// Measures `forward-image` in `f64` (`single` false) or `f32`: the medians of `repeat` runs of
/// the pass and of the products alone, and the peak of the precision just before.
pub fn forward_image(single: bool, repeat: usize) -> ImageMeasurement {
    if single {
        measure::<f32>("f32", repeat)
    } else {
        measure::<f64>("f64", repeat)
    }
}

fn measure<T: Real>(arithmetic: &'static str, repeat: usize) -> ImageMeasurement {
    let threads = rayon::current_num_threads();
    let problem = image_problem(2017);
    let mut pass = Pass::<T>::new(&problem);
    let operations = 2.0
        * (pass.analyses.iter())
            .map(|a| a.multiply_adds() as f64)
            .sum::<f64>();
    let peak = fast::peak::peak::<T>(threads);
    let mut nonzeros = Vec::new();
    let timing = timed_with_cpu(repeat, 1, || {
        nonzeros = pass.forward();
        black_box(&nonzeros);
    });
    let conv = timed_with_cpu(repeat, 1, || {
        pass.products_only();
        black_box(&pass.products);
    });
    let gflops = operations / timing.seconds / 1e9;
    let conv_gflops = operations / conv.seconds / 1e9;
    let per_cpu = operations / timing.cpu_seconds / 1e9;
    ImageMeasurement {
        workload: "forward-image",
        arithmetic,
        image: [IMAGE_SIDE, IMAGE_SIDE],
        channels: CHANNELS.to_vec(),
        filter: [3, 3],
        repeat,
        threads,
        seconds: timing.seconds,
        gflops,
        conv_seconds: conv.seconds,
        conv_gflops,
        peak_gflops: peak.gflops,
        fraction_of_peak: gflops / peak.gflops,
        conv_fraction_of_peak: conv_gflops / peak.gflops,
        conv_fraction_of_peak_in_cpu_time: operations
            / conv.cpu_seconds
            / 1e9
            / peak.gflops_per_core,
        cpu_seconds: timing.cpu_seconds,
        gflops_per_cpu_second: per_cpu,
        peak_gflops_per_core: peak.gflops_per_core,
        fraction_of_peak_in_cpu_time: per_cpu / peak.gflops_per_core,
        nonzeros,
        peak_resident_bytes: peak_resident_bytes(),
    }
}
