//! Candidate 1: `gemm` and `nano-gemm` against the hand-written kernels of
//! `mlcsc_engines::fast` on the shapes of `forward-large` and of `campaign-small`.

use std::hint::black_box;

use mlcsc_engines::fast;
use mlcsc_engines::fast::correlation::Correlation;
use mlcsc_spec::model::{Layer, LayerVector, Model};
use mlcsc_spec::thresholding::Thresholding;

use crate::measure::{Contender, interleaved, print_table};
use crate::products::{Library, analysis_operator, synthesis_operator};

/// Deterministic entries in `[-2, 2)`, about a third of them zero (as `benches/fast_kernels.rs`).
pub fn entries(count: usize, seed: u64) -> Vec<f64> {
    let mut state = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    (0..count)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            if u < 0.33 { 0.0 } else { 4.0 * u - 2.0 }
        })
        .collect()
}

/// A layer of `filters` filters of length `span` over `channels` channels, each of unit norm.
pub fn layer(index: usize, span: usize, channels: usize, filters: usize, seed: u64) -> Layer<f64> {
    let mut taps = entries(filters * span * channels, seed);
    for filter in taps.chunks_mut(span * channels) {
        let norm = filter.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-300);
        filter.iter_mut().for_each(|x| *x /= norm);
    }
    let filters = taps
        .chunks(span * channels)
        .map(|f| f.chunks(channels).map(<[f64]>::to_vec).collect())
        .collect();
    Layer::new_unchecked_norm(index, filters).expect("shapes agree")
}

fn largest_difference(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// `D_iᵀ Z` for one layer: hand-written, gemm (overlapping rows), gemm after im2col, nano-gemm.
pub fn analysis_table(
    title: &str,
    length: usize,
    shape: (usize, usize, usize),
    rounds: usize,
    peak: f64,
) {
    let (span, channels, filters) = shape;
    let layer = layer(1, span, channels, filters, 1);
    let z =
        LayerVector::from_entries(length, channels, entries(length * channels, 2)).expect("sizes");
    let mut reference = LayerVector::zeros(length, filters);
    fast::thresholded_analysis_into(&layer, &z, None, &mut reference);
    let outputs: Vec<Vec<f64>> = [0, 1, 2]
        .iter()
        .map(|_| vec![0.0; length * filters])
        .collect();
    let [mut o1, mut o2, mut o3] = <[Vec<f64>; 3]>::try_from(outputs).expect("three");
    let (mut seam1, mut seam3, mut patches) = (Vec::new(), Vec::new(), Vec::new());
    let mut hand = LayerVector::zeros(length, filters);
    let zs = z.entries();
    let mut contenders = vec![
        Contender::new("hand-written `fast::analysis` (mlcsc-engines)", || {
            fast::thresholded_analysis_into(&layer, black_box(&z), None, &mut hand);
        }),
        Contender::new("`gemm` 0.19, overlapping rows (no im2col)", || {
            let op = analysis_operator(layer.taps(), span, channels, filters);
            op.correlate(Library::Gemm, black_box(zs), length, &mut o1, &mut seam1);
        }),
        Contender::new(
            "`gemm` 0.19 after im2col (building the patch matrix included)",
            || {
                let op = analysis_operator(layer.taps(), span, channels, filters);
                op.correlate_im2col(black_box(zs), length, &mut o2, &mut patches);
            },
        ),
        Contender::new("`nano-gemm` 0.2, overlapping rows", || {
            let op = analysis_operator(layer.taps(), span, channels, filters);
            op.correlate(Library::Nano, black_box(zs), length, &mut o3, &mut seam3);
        }),
    ];
    let summaries = interleaved(rounds, &mut contenders);
    drop(contenders);
    let flops = 2.0 * (length * span * channels * filters) as f64;
    print_table(title, &summaries, Some((flops, peak)));
    let r = reference.entries();
    println!(
        "\nlargest |difference| from the hand-written result: gemm {:.1e}, im2col+gemm {:.1e}, nano-gemm {:.1e}",
        largest_difference(&o1, r),
        largest_difference(&o2, r),
        largest_difference(&o3, r)
    );
}

/// `D_i Γ` for one layer: hand-written against gemm and nano-gemm (overlapping rows).
pub fn synthesis_table(
    title: &str,
    length: usize,
    shape: (usize, usize, usize),
    rounds: usize,
    peak: f64,
) {
    let (span, channels, filters) = shape;
    let layer = layer(1, span, channels, filters, 1);
    let gamma =
        LayerVector::from_entries(length, filters, entries(length * filters, 3)).expect("sizes");
    let reference = fast::synthesis(&layer, &gamma);
    let mut hand = LayerVector::zeros(length, channels);
    let (mut o1, mut o2) = (vec![0.0; length * channels], vec![0.0; length * channels]);
    let (mut seam1, mut seam2) = (Vec::new(), Vec::new());
    let gs = gamma.entries();
    let mut contenders = vec![
        Contender::new("hand-written `fast::synthesis` (mlcsc-engines)", || {
            fast::synthesis_into(&layer, black_box(&gamma), &mut hand);
        }),
        Contender::new("`gemm` 0.19, overlapping rows", || {
            let op = synthesis_operator(layer.taps(), span, channels, filters);
            op.correlate(Library::Gemm, black_box(gs), length, &mut o1, &mut seam1);
        }),
        Contender::new("`nano-gemm` 0.2, overlapping rows", || {
            let op = synthesis_operator(layer.taps(), span, channels, filters);
            op.correlate(Library::Nano, black_box(gs), length, &mut o2, &mut seam2);
        }),
    ];
    let summaries = interleaved(rounds, &mut contenders);
    drop(contenders);
    let flops = 2.0 * (length * span * channels * filters) as f64;
    print_table(title, &summaries, Some((flops, peak)));
    let r = reference.entries();
    println!(
        "\nlargest |difference| from the hand-written result: gemm {:.1e}, nano-gemm {:.1e}",
        largest_difference(&o1, r),
        largest_difference(&o2, r)
    );
}

/// `D_iᵀ Z` in `f32` (interior rows; the hand-written path through its `Correlation<f32>`).
pub fn analysis_f32_table(
    title: &str,
    length: usize,
    shape: (usize, usize, usize),
    rounds: usize,
    peak32: f64,
) {
    let (span, channels, filters) = shape;
    let layer = layer(1, span, channels, filters, 1);
    let z: Vec<f32> = entries(length * channels, 2)
        .iter()
        .map(|x| *x as f32)
        .collect();
    let rows = length + 1 - span;
    let (mut o1, mut o2) = (vec![0.0f32; length * filters], vec![0.0f32; rows * filters]);
    let mut contenders = vec![
        Contender::new(
            "hand-written `Correlation::<f32>` (mlcsc-engines, whole period)",
            || {
                let c = Correlation::<f32>::analysis(&layer);
                c.correlate(black_box(&z), length, &mut o1, &|_: &mut [f32]| {});
            },
        ),
        Contender::new(
            "`gemm` 0.19 f32, overlapping rows (interior rows only)",
            || {
                let op = analysis_operator(layer.taps(), span, channels, filters);
                op.rows_f32(black_box(&z), channels, rows, &mut o2);
            },
        ),
    ];
    let summaries = interleaved(rounds, &mut contenders);
    drop(contenders);
    let flops = 2.0 * (length * span * channels * filters) as f64;
    print_table(title, &summaries, Some((flops, peak32)));
    let d = o2
        .iter()
        .zip(&o1)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    println!(
        "\nlargest |difference| (interior rows): {d:.1e}; the rate column is against the f32 peak"
    );
}

/// Layered soft thresholding over the three layers of `forward-large`: the hand-written
/// kernels (thresholding fused per block) against gemm followed by one thresholding pass.
pub fn layered_table(title: &str, length: usize, rounds: usize, peak: f64) {
    let shapes = [(8, 1, 16), (8, 16, 32), (8, 32, 64)];
    let layers: Vec<Layer<f64>> = shapes
        .iter()
        .enumerate()
        .map(|(i, &(n, c, m))| layer(i + 1, n, c, m, 10 + i as u64))
        .collect();
    let model = Model::new(length, 1, layers.clone()).expect("valid model");
    let signal = LayerVector::from_entries(length, 1, entries(length, 4)).expect("sizes");
    let thresholds = [0.1, 0.1, 0.1];
    let mut hand = Vec::new();
    fast::layered_thresholding_into(&model, &signal, &thresholds, Thresholding::Soft, &mut hand);
    let mut estimates: Vec<Vec<f64>> = shapes.iter().map(|s| vec![0.0; length * s.2]).collect();
    let mut seam = Vec::new();
    let mut contenders = vec![
        Contender::new(
            "hand-written `fast::layered_thresholding` (mlcsc-engines)",
            || {
                fast::layered_thresholding_into(
                    &model,
                    black_box(&signal),
                    &thresholds,
                    Thresholding::Soft,
                    &mut hand,
                );
            },
        ),
        Contender::new(
            "`gemm` 0.19 per layer, then `fast::threshold_in_place`",
            || {
                for (i, &(n, c, m)) in shapes.iter().enumerate() {
                    let (lower, upper) = estimates.split_at_mut(i);
                    let input = lower.last().map_or(signal.entries(), |v| v.as_slice());
                    let op = analysis_operator(layers[i].taps(), n, c, m);
                    op.correlate(
                        Library::Gemm,
                        black_box(input),
                        length,
                        &mut upper[0],
                        &mut seam,
                    );
                    fast::threshold_in_place(&mut upper[0], Thresholding::Soft, thresholds[i]);
                }
            },
        ),
    ];
    let summaries = interleaved(rounds, &mut contenders);
    drop(contenders);
    let flops: f64 = shapes
        .iter()
        .map(|&(n, c, m)| 2.0 * (length * n * c * m) as f64)
        .sum();
    print_table(title, &summaries, Some((flops, peak)));
    let mut hand_again = Vec::new();
    fast::layered_thresholding_into(
        &model,
        &signal,
        &thresholds,
        Thresholding::Soft,
        &mut hand_again,
    );
    println!(
        "\nlargest |difference| of the deepest estimate: {:.1e}",
        largest_difference(&estimates[2], hand_again[2].entries())
    );
}

/// Every table of candidate 1.
pub fn run(rounds: usize) {
    let peak = fast::peak::peak::<f64>(1).gflops_per_core;
    let peak32 = fast::peak::peak::<f32>(1).gflops_per_core;
    println!(
        "measured peak of one core: f64 {peak:.1} GFLOP/s, f32 {peak32:.1} GFLOP/s (per CPU-second)"
    );
    let deep = (8, 32, 64);
    analysis_table(
        "Dᵀz, forward-large deepest layer: N = 65536, n = 8, m_prev = 32, m = 64 (K = 256)",
        1 << 16,
        deep,
        rounds,
        peak,
    );
    analysis_table(
        "Dᵀz, forward-large first layer: N = 65536, n = 8, m_prev = 1, m = 16 (K = 8)",
        1 << 16,
        (8, 1, 16),
        rounds,
        peak,
    );
    analysis_table(
        "Dᵀz, forward-large second layer: N = 65536, n = 8, m_prev = 16, m = 32 (K = 128)",
        1 << 16,
        (8, 16, 32),
        rounds,
        peak,
    );
    analysis_table(
        "Dᵀz, N = 4096, n = 8, m_prev = 32, m = 64 (fast_kernels' short length)",
        1 << 12,
        deep,
        rounds,
        peak,
    );
    analysis_table(
        "Dᵀz, campaign-small first layer: N = 64, n = 8, m_prev = 1, m = 2",
        64,
        (8, 1, 2),
        rounds,
        peak,
    );
    synthesis_table(
        "Dγ, forward-large deepest layer: N = 65536, n = 8, m = 64 → m_prev = 32 (K = 512)",
        1 << 16,
        deep,
        rounds,
        peak,
    );
    analysis_f32_table(
        "Dᵀz in f32, forward-large deepest layer: N = 65536",
        1 << 16,
        deep,
        rounds,
        peak32,
    );
    layered_table(
        "layered soft thresholding, forward-large: N = 65536, layers (8,1→16), (8,16→32), (8,32→64)",
        1 << 16,
        rounds,
        peak,
    );
}
