//! `forward-large`: the synthesis chain, layered soft thresholding and the norms of every layer
//! on one large model, in `f64` or `f32` through the fast kernels, or in any arithmetic through
//! the plain operators.
//!
//! The fast paths keep every vector across runs (the chain, the signal, the estimates), so the
//! timed runs, after one untimed run that allocates them, measure the steady state of a
//! repeated forward pass: no allocation, no page fault, no zeroing of fresh memory.

use std::hint::black_box;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::forward_single::Single;
use super::instance_file::forward_large_problem;
use super::problem::{Drawn, Problem, problem};
use super::timing::{Timing, peak_resident_bytes, timed_with_cpu};
use crate::fast;
use crate::fast::forward_pass::{
    LayerOperators, PositionReport, layer_report, layered_thresholding_against_into, products_into,
    synthesis_chain_into,
};
use crate::fast::peak::Peak;
use crate::norms::{patch_norm_squared, patch_sparsity, stripe_sparsity};
use crate::operators::synthesis;
use crate::pursuit::layered_thresholding;
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;
use crate::theorems::theorem2_bounds::patch_width;
use crate::thresholding::Thresholding;

/// The arithmetic of `forward-large`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForwardArithmetic {
    /// `f64` through the fast kernels.
    F64,
    /// `f32` through the fast kernels (filters rounded once).
    F32,
    /// `f64` through the plain generic operators.
    F64Plain,
    /// Exact, in machine-word rationals promoted on overflow.
    SmallRational,
    /// Exact, in big rationals.
    Rational,
}

impl ForwardArithmetic {
    /// The name printed in reports.
    pub fn name(self) -> &'static str {
        match self {
            ForwardArithmetic::F64 => "f64",
            ForwardArithmetic::F32 => "f32",
            ForwardArithmetic::F64Plain => "f64-plain",
            ForwardArithmetic::SmallRational => "small-rational",
            ForwardArithmetic::Rational => "rational",
        }
    }
}

/// The size of `forward-large`: `N`, `K` and the filters of the first layer (doubling at every
/// further layer), each of length 8.
#[derive(Clone, Copy, Debug)]
pub struct ForwardShape {
    /// `N`.
    pub length: usize,
    /// `K`.
    pub depth: usize,
    /// `m_1`.
    pub channels: usize,
}

impl ForwardShape {
    /// `(n_i, m_i)` of every layer.
    pub fn layers(&self) -> Vec<(usize, usize)> {
        (0..self.depth).map(|i| (8, self.channels << i)).collect()
    }

    /// `N · Σ_{i=0}^{K} m_i`: the entries of `X = Γ_0, Γ_1, …, Γ_K`.
    pub fn entries(&self) -> usize {
        self.length * (1 + self.layers().iter().map(|l| l.1).sum::<usize>())
    }
}

/// What the peers report of one layer: `(‖Γ_i‖^S_{0,∞}, ‖Γ_i‖^P_{0,∞}, ‖Γ_i − Γ̂_i‖^P_{2,∞})`.
pub type LayerSummary = (usize, usize, f64);

/// One measurement of `forward-large`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ForwardMeasurement {
    /// `forward-large`.
    pub workload: &'static str,
    /// `N`.
    #[serde(rename = "N")]
    pub length: usize,
    /// Median seconds of a forward computation.
    pub seconds: f64,
    /// `2 · 2 · N · Σ_i |f_i| / seconds`, in 10^9 per second.
    pub gflops: f64,
    /// The arithmetic's name.
    pub arithmetic: &'static str,
    /// `(n_i, m_i)` of every layer.
    pub layers: Vec<serde_json::Value>,
    /// Timed runs.
    pub repeat: usize,
    /// Worker threads.
    pub threads: usize,
    /// The peak of multiply-adds of this precision on these threads, measured just before.
    pub peak_gflops: Option<f64>,
    /// `gflops / peak_gflops`.
    pub fraction_of_peak: Option<f64>,
    /// Median CPU seconds of a forward computation, all threads together.
    pub cpu_seconds: f64,
    /// `2 · 2 · N · Σ_i |f_i| / cpu_seconds`: the rate per core while it held the core.
    pub gflops_per_cpu_second: f64,
    /// The peak of one core in its own CPU time, measured just before.
    pub peak_gflops_per_core: Option<f64>,
    /// `gflops_per_cpu_second / peak_gflops_per_core`: the fraction of the peak that other
    /// load on the machine does not change.
    pub fraction_of_peak_in_cpu_time: Option<f64>,
    /// Median seconds of the `2K` products alone (the synthesis chain, then each analysis
    /// without thresholding on the input it had in the pass), on the fast paths.
    pub conv_seconds: Option<f64>,
    /// The same operations over `conv_seconds`: the kernel-to-kernel figure.
    pub conv_gflops: Option<f64>,
    /// `conv_gflops / peak_gflops`.
    pub conv_fraction_of_peak: Option<f64>,
    /// The products' operations per CPU second over the per-core peak in CPU time.
    pub conv_fraction_of_peak_in_cpu_time: Option<f64>,
    /// `N · Σ_{i=0}^{K} m_i`.
    pub entries: usize,
    /// Peak resident memory of the process.
    pub peak_resident_bytes: Option<u64>,
    /// `peak_resident_bytes / entries`.
    pub bytes_per_entry: Option<f64>,
    /// `‖Γ_i‖^S_{0,∞}` per layer.
    pub stripe_sparsity: Vec<usize>,
    /// `‖Γ_i‖^P_{0,∞}` per layer.
    pub patch_sparsity: Vec<usize>,
    /// `‖Γ_i − Γ̂_i‖^P_{2,∞}` per layer.
    pub error_patch_norm: Vec<f64>,
}

/// The vectors of the `f64` forward computation, kept across runs: the chain, the signal, the
/// estimates, and per layer the nonzeros and error energy of every position.
#[derive(Default)]
struct Buffers64 {
    chain: Vec<Vec<f64>>,
    signal: Vec<f64>,
    estimates: Vec<Vec<f64>>,
    reports: Vec<Vec<PositionReport>>,
}

/// The peers' per-layer report from the fast `f64` kernels, into kept buffers.
pub fn forward_fast(p: &Problem<f64>, last_width: usize) -> Vec<LayerSummary> {
    forward_fast_into(p, last_width, &mut Buffers64::default())
}

/// The operators of every layer of `p`, packed (part of every timed `f64` run).
fn operators64(p: &Problem<f64>) -> Vec<LayerOperators<f64>> {
    p.model.layers().iter().map(LayerOperators::new).collect()
}

/// The `f64` pass: the synthesis chain, the signal, layered soft thresholding taking each
/// row's error energy against `Γ_i` and `Γ_i`'s nonzeros as the row is thresholded, and the
/// windowed maxima of those per-position values.
fn forward_fast_into(p: &Problem<f64>, last_width: usize, b: &mut Buffers64) -> Vec<LayerSummary> {
    let operators = operators64(p);
    let (length, deepest) = (p.deepest.length(), p.deepest.entries());
    synthesis_chain_into(&operators, deepest, length, &mut b.chain);
    b.signal.clear();
    let sum = b.chain[0].iter().zip(p.noise.entries()).map(|(x, e)| x + e);
    b.signal.extend(sum);
    let thresholds: Vec<f64> = (p.thresholds.iter())
        .map(|b| *b.shared().expect("the bench draws one threshold per layer"))
        .collect();
    let references: Vec<&[f64]> = (1..=operators.len())
        .map(|i| b.chain.get(i).map_or(deepest, Vec::as_slice))
        .collect();
    layered_thresholding_against_into(
        &operators,
        &b.signal,
        length,
        (&thresholds, Thresholding::Soft),
        &references,
        &mut b.estimates,
        &mut b.reports,
    );
    (0..p.model.depth())
        .map(|i| {
            let width = patch_width(&p.model, i + 1, last_width);
            let filter_length = p.model.layer(i + 1).filter_length();
            layer_report(&b.reports[i], filter_length, width)
        })
        .collect()
}

/// The products alone of the `f64` pass: the synthesis chain, then every analysis on the
/// input it had in the pass, without thresholding. Each analysis writes over the estimate of
/// its own layer, deepest first, so every input is still the pass's and nothing is allocated.
fn products_fast(p: &Problem<f64>, b: &mut Buffers64) {
    let operators = operators64(p);
    let (length, deepest) = (p.deepest.length(), p.deepest.entries());
    products_into(
        &operators,
        deepest,
        length,
        &b.signal,
        &mut b.chain,
        &mut b.estimates,
    );
}

/// The same report through the plain generic operators (any scalar).
pub fn forward_plain<S: Scalar>(p: &Problem<S>, last_width: usize) -> Vec<LayerSummary> {
    let mut chain = vec![p.deepest.clone()];
    for layer in p.model.layers().iter().rev() {
        let next = synthesis(layer, &chain[0]);
        chain.insert(0, next);
    }
    let signal = chain[0].sum(&p.noise);
    let estimates = layered_thresholding(&p.model, &signal, &p.thresholds, Thresholding::Soft);
    (0..p.model.depth())
        .map(|i| {
            let width = patch_width(&p.model, i + 1, last_width);
            let gamma = &chain[i + 1];
            let error = patch_norm_squared(&gamma.difference(&estimates[i]), width);
            (
                stripe_sparsity(gamma, p.model.layer(i + 1).filter_length()),
                patch_sparsity(gamma, width),
                error.to_f64().sqrt(),
            )
        })
        .collect()
}

fn exact<S: Drawn>(
    rng: &mut ChaCha8Rng,
    shape: &ForwardShape,
    repeat: usize,
) -> (Timing, Vec<LayerSummary>) {
    let p = problem::<S>(rng, shape.length, &shape.layers(), 0.01);
    let mut summary = Vec::new();
    let seconds = timed_with_cpu(repeat, 0, || {
        summary = forward_plain(&p, 1);
        black_box(&summary);
    });
    (seconds, summary)
}

/// The number of filter taps of the layers `(n, m)`: `n · m · m_prev` summed, `m_prev = 1` for
/// the first layer.
fn filter_taps(shapes: &[(usize, usize)]) -> usize {
    let mut previous = 1;
    shapes
        .iter()
        .map(|&(n, m)| {
            let t = n * m * previous;
            previous = m;
            t
        })
        .sum()
}

/// A timed pass in floating point: the peak measured before it (on the fast paths), the pass,
/// its report and the seconds of its products alone.
type FloatingRun = (Option<Peak>, Timing, Vec<LayerSummary>, Option<Timing>);

/// Times the pass in `f64`, `f32` or plain `f64` on `p`, and on the fast paths the products
/// alone on the inputs the pass left in its kept buffers.
fn floating(
    p: &Problem<f64>,
    arithmetic: ForwardArithmetic,
    threads: usize,
    repeat: usize,
) -> FloatingRun {
    let mut summary = Vec::new();
    match arithmetic {
        ForwardArithmetic::F64 => {
            let peak = fast::peak::peak::<f64>(threads);
            let mut buffers = Buffers64::default();
            let seconds = timed_with_cpu(repeat, 1, || {
                summary = forward_fast_into(p, 1, &mut buffers);
                black_box(&summary);
            });
            let conv = timed_with_cpu(repeat, 1, || {
                products_fast(p, &mut buffers);
                black_box(&buffers.estimates);
            });
            (Some(peak), seconds, summary, Some(conv))
        }
        ForwardArithmetic::F32 => {
            let peak = fast::peak::peak::<f32>(threads);
            let mut single = Single::new(p);
            let seconds = timed_with_cpu(repeat, 1, || {
                summary = single.forward(1);
                black_box(&summary);
            });
            let conv = timed_with_cpu(repeat, 1, || {
                single.products();
                black_box(&single.estimates);
            });
            (Some(peak), seconds, summary, Some(conv))
        }
        _ => {
            let seconds = timed_with_cpu(repeat, 0, || {
                summary = forward_plain(p, 1);
                black_box(&summary);
            });
            (None, seconds, summary, None)
        }
    }
}

/// Measures `forward-large`: the median of `repeat` runs (after one untimed run on the fast
/// paths), and the peak of its precision just before.
///
/// # Panics
///
/// If `N < 15` (filters of length 8 need `N ≥ 2n − 1`); `mlcsc bench` validates first.
pub fn forward_large(
    shape: &ForwardShape,
    arithmetic: ForwardArithmetic,
    repeat: usize,
) -> ForwardMeasurement {
    let shapes = shape.layers();
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let threads = rayon::current_num_threads();
    let (peak, seconds, summary, conv) = match arithmetic {
        ForwardArithmetic::F64 | ForwardArithmetic::F64Plain | ForwardArithmetic::F32 => {
            let p = forward_large_problem(shape);
            floating(&p, arithmetic, threads, repeat)
        }
        ForwardArithmetic::SmallRational => {
            let (s, summary) = exact::<SmallRational>(&mut rng, shape, repeat);
            (None, s, summary, None)
        }
        ForwardArithmetic::Rational => {
            let (s, summary) = exact::<Rational>(&mut rng, shape, repeat);
            (None, s, summary, None)
        }
    };
    let taps = filter_taps(&shapes);
    let operations = 4.0 * shape.length as f64 * taps as f64;
    let gflops = operations / seconds.seconds / 1e9;
    let gflops_per_cpu_second = operations / seconds.cpu_seconds / 1e9;
    let peak_resident = peak_resident_bytes();
    let entries = shape.entries();
    ForwardMeasurement {
        workload: "forward-large",
        length: shape.length,
        seconds: seconds.seconds,
        gflops,
        arithmetic: arithmetic.name(),
        layers: shapes
            .iter()
            .map(|s| serde_json::json!({"n": s.0, "m": s.1}))
            .collect(),
        repeat,
        threads,
        peak_gflops: peak.map(|p| p.gflops),
        fraction_of_peak: peak.map(|p| gflops / p.gflops),
        cpu_seconds: seconds.cpu_seconds,
        gflops_per_cpu_second,
        peak_gflops_per_core: peak.map(|p| p.gflops_per_core),
        fraction_of_peak_in_cpu_time: peak.map(|p| gflops_per_cpu_second / p.gflops_per_core),
        conv_seconds: conv.map(|c| c.seconds),
        conv_gflops: conv.map(|c| operations / c.seconds / 1e9),
        conv_fraction_of_peak: conv
            .zip(peak)
            .map(|(c, p)| operations / c.seconds / 1e9 / p.gflops),
        conv_fraction_of_peak_in_cpu_time: conv
            .zip(peak)
            .map(|(c, p)| operations / c.cpu_seconds / 1e9 / p.gflops_per_core),
        entries,
        peak_resident_bytes: peak_resident,
        bytes_per_entry: peak_resident.map(|b| b as f64 / entries as f64),
        stripe_sparsity: summary.iter().map(|r| r.0).collect(),
        patch_sparsity: summary.iter().map(|r| r.1).collect(),
        error_patch_norm: summary.iter().map(|r| r.2).collect(),
    }
}
