//! `mlcsc bench`: the workloads of the NumPy peer (`benches/numpy_peer.py`), measured, and
//! the certified Theorem 2 campaign.
//!
//! - `forward-large`: one model, `N = 2^16` (or `--n`), layers `(n, m)` = (8,16), (8,32), (8,64)
//!   (or `--depth K`, `--channels m`: layer `i` has `m · 2^(i-1)` filters of length 8), unit
//!   filters of random direction, `Γ_K` of density 1 %; the synthesis chain, layered soft
//!   thresholding (`β = 0.1`) of `X + E`, and the stripe and patch norms of every layer.
//!   `gflops` counts `2 · 2 · N · Σ_i |f_i|` (one `D` and one `Dᵀ` per layer), as the peer does.
//! - `campaign-small`: `--cases` two-layer models, `N = 64`, layers (8, 2), (2, 2), density 5 %;
//!   per case the coherence of both layers and the same forward computation.
//! - `campaign-exact`: `--cases` generated two-layer Theorem 2 instances of length 64, each
//!   decided by the certified check (in [`SmallRational`] unless `--arithmetic rational`).
//!
//! Instances are built before the clock starts; `seconds` is the median of `--repeat` runs
//! (the two campaigns, which take about a millisecond, after one untimed run).

use std::hint::black_box;
use std::time::Instant;

use crate::coherence::mutual_coherence;
use crate::fast;
use crate::generate::random::unit_rational_near;
use crate::generate::theorem2::{Theorem2Settings, case_rng, generate_theorem2_instance};
use crate::io::Instance;
use crate::model::{Layer, LayerVector, Model};
use crate::norms::{patch_norm_squared, patch_sparsity, stripe_sparsity};
use crate::operators::synthesis;
use crate::pursuit::{Thresholding, layered_thresholding};
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;
use crate::theorems::theorem2::check_theorem2;
use crate::theorems::theorem2_small::check_theorem2_small;
use clap::{Args, ValueEnum};
use num_bigint::BigInt;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde_json::{Value, json};

use super::output::{CliError, outln, print_json};

/// A workload of `bench`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Workload {
    /// One large three-layer forward computation (the peer's `forward-large`).
    ForwardLarge,
    /// Many small two-layer cases in `f64` (the peer's `campaign-small`).
    CampaignSmall,
    /// Many certified Theorem 2 verdicts on generated two-layer cases of length 64.
    CampaignExact,
    /// All three.
    All,
}

/// The arithmetic of a workload.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum BenchArithmetic {
    /// `f64` through the fast kernels (`crate::fast`).
    F64,
    /// `f64` through the plain generic operators.
    F64Plain,
    /// Exact, in machine-word rationals promoted on overflow.
    SmallRational,
    /// Exact, in big rationals.
    Rational,
}

/// Arguments of `bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Which workload.
    #[arg(long, value_enum, default_value_t = Workload::ForwardLarge)]
    workload: Workload,
    /// Signal length `N` of forward-large.
    #[arg(long, default_value_t = 1 << 16)]
    n: usize,
    /// Number of cases of the campaigns.
    #[arg(long, default_value_t = 200)]
    cases: usize,
    /// Runs; `seconds` is their median.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Layers `K` of forward-large.
    #[arg(long, default_value_t = 3)]
    depth: usize,
    /// Filters of the first layer of forward-large (doubling at every further layer).
    #[arg(long, default_value_t = 16)]
    channels: usize,
    /// Arithmetic (default: f64 for forward-large and campaign-small, small-rational for
    /// campaign-exact).
    #[arg(long, value_enum)]
    arithmetic: Option<BenchArithmetic>,
    /// Master seed of campaign-exact.
    #[arg(long, default_value_t = 2017)]
    seed: u64,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = 1.0 - rng.random_range(0.0..1.0);
    let v: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// How a workload's random draws become numbers of an arithmetic.
trait Drawn: Scalar {
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
/// `0.1`: the peer's model, drawn from a ChaCha stream instead of NumPy's generator.
struct Problem<S> {
    model: Model<S>,
    deepest: LayerVector<S>,
    noise: LayerVector<S>,
    thresholds: Vec<S>,
}

fn problem<S: Drawn>(
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
    let thresholds = vec![S::drawn(0.1); shapes.len()];
    Problem {
        model,
        deepest,
        noise,
        thresholds,
    }
}

/// The peer's per-layer report from the fast kernels: `(s_i, p_i, ‖Γ_i − Γ̂_i‖^P_{2,∞})`.
fn forward_fast(p: &Problem<f64>, last_width: usize) -> Vec<(usize, usize, f64)> {
    let chain = fast::synthesis_chain(&p.model, &p.deepest);
    let mut estimate = chain[0].sum(&p.noise);
    let depth = p.model.depth();
    let mut report = Vec::with_capacity(depth);
    for (i, layer) in p.model.layers().iter().enumerate() {
        estimate = fast::thresholded_analysis(
            layer,
            &estimate,
            Some((Thresholding::Soft, p.thresholds[i])),
        );
        let gamma = chain.get(i + 1).unwrap_or(&p.deepest);
        let width = if i + 1 < depth {
            p.model.layer(i + 2).filter_length()
        } else {
            last_width
        };
        let (stripe, patch) = fast::stripe_and_patch_sparsity(gamma, layer.filter_length(), width);
        report.push((
            stripe,
            patch,
            fast::difference_patch_norm_squared(&estimate, gamma, width).sqrt(),
        ));
    }
    report
}

/// The same report through the plain generic operators (any scalar).
fn forward_plain<S: Scalar>(p: &Problem<S>, last_width: usize) -> Vec<(usize, usize, f64)> {
    let mut chain = vec![p.deepest.clone()];
    for layer in p.model.layers().iter().rev() {
        let next = synthesis(layer, &chain[0]);
        chain.insert(0, next);
    }
    let signal = chain[0].sum(&p.noise);
    let estimates = layered_thresholding(&p.model, &signal, &p.thresholds, Thresholding::Soft);
    let depth = p.model.depth();
    (0..depth)
        .map(|i| {
            let layer = p.model.layer(i + 1);
            let width = if i + 1 < depth {
                p.model.layer(i + 2).filter_length()
            } else {
                last_width
            };
            let gamma = &chain[i + 1];
            let error = patch_norm_squared(&gamma.difference(&estimates[i]), width);
            (
                stripe_sparsity(gamma, layer.filter_length()),
                patch_sparsity(gamma, width),
                error.to_f64().sqrt(),
            )
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let k = values.len();
    if k % 2 == 1 {
        values[k / 2]
    } else {
        0.5 * (values[k / 2 - 1] + values[k / 2])
    }
}

/// Median seconds of `repeat` runs of `work`.
fn timed(repeat: usize, mut work: impl FnMut()) -> f64 {
    timed_after_warm_up(repeat, 0, &mut work)
}

/// As [`timed`], after `warm_up` untimed runs (for workloads of a millisecond, whose first
/// run would otherwise measure caches and the allocator warming up).
fn timed_after_warm_up(repeat: usize, warm_up: usize, mut work: impl FnMut()) -> f64 {
    for _ in 0..warm_up {
        work();
    }
    median(
        (0..repeat.max(1))
            .map(|_| {
                let start = Instant::now();
                work();
                start.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// The peak resident memory of the process so far, in bytes (Linux; `None` elsewhere).
fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

fn forward_large(args: &BenchArgs, arithmetic: BenchArithmetic) -> Value {
    let shapes: Vec<(usize, usize)> = (0..args.depth.max(1))
        .map(|i| (8, args.channels << i))
        .collect();
    let length = args.n;
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let (seconds, filter_entries, summary) = match arithmetic {
        BenchArithmetic::F64 | BenchArithmetic::F64Plain => {
            let p = problem::<f64>(&mut rng, length, &shapes, 0.01);
            let fast_path = arithmetic == BenchArithmetic::F64;
            let mut summary = Vec::new();
            let seconds = timed(args.repeat, || {
                summary = if fast_path {
                    forward_fast(&p, 1)
                } else {
                    forward_plain(&p, 1)
                };
                black_box(&summary);
            });
            (
                seconds,
                p.model
                    .layers()
                    .iter()
                    .map(|l| l.taps().len())
                    .sum::<usize>(),
                summary,
            )
        }
        BenchArithmetic::SmallRational => exact_forward::<SmallRational>(&mut rng, args, &shapes),
        BenchArithmetic::Rational => exact_forward::<Rational>(&mut rng, args, &shapes),
    };
    let flops = 4.0 * length as f64 * filter_entries as f64;
    // Every array the computation produces or reads: Γ_K, E, X … Γ_{K-1}, Y, Γ̂_1 … Γ̂_K.
    let channels: usize = shapes.iter().map(|s| s.1).sum();
    let array_bytes = 8 * length * (2 * channels + 3);
    let peak = peak_resident_bytes();
    json!({
        "workload": "forward-large",
        "N": length,
        "seconds": seconds,
        "gflops": flops / seconds / 1e9,
        "arithmetic": arithmetic_name(arithmetic),
        "layers": shapes.iter().map(|s| json!({"n": s.0, "m": s.1})).collect::<Vec<_>>(),
        "repeat": args.repeat,
        "threads": rayon::current_num_threads(),
        "array_bytes": if arithmetic == BenchArithmetic::F64 { json!(array_bytes) } else { Value::Null },
        "peak_resident_bytes": peak,
        "peak_over_arrays": match (arithmetic, peak) {
            (BenchArithmetic::F64, Some(peak)) => json!(peak as f64 / array_bytes as f64),
            _ => Value::Null,
        },
        "stripe_sparsity": summary.iter().map(|r| r.0).collect::<Vec<_>>(),
        "patch_sparsity": summary.iter().map(|r| r.1).collect::<Vec<_>>(),
        "error_patch_norm": summary.iter().map(|r| r.2).collect::<Vec<_>>(),
    })
}

fn exact_forward<S: Drawn>(
    rng: &mut ChaCha8Rng,
    args: &BenchArgs,
    shapes: &[(usize, usize)],
) -> (f64, usize, Vec<(usize, usize, f64)>) {
    let p = problem::<S>(rng, args.n, shapes, 0.01);
    let mut summary = Vec::new();
    let seconds = timed(args.repeat, || {
        summary = forward_plain(&p, 1);
        black_box(&summary);
    });
    (
        seconds,
        p.model.layers().iter().map(|l| l.taps().len()).sum(),
        summary,
    )
}

fn campaign_small(args: &BenchArgs, arithmetic: BenchArithmetic) -> Value {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let cases: Vec<Problem<f64>> = (0..args.cases)
        .map(|_| problem(&mut rng, 64, &[(8, 2), (2, 2)], 0.05))
        .collect();
    let fast_path = arithmetic != BenchArithmetic::F64Plain;
    let seconds = timed_after_warm_up(args.repeat, 1, || {
        let total: f64 = cases
            .par_iter()
            .map(|p| {
                let coherence: f64 = p.model.layers().iter().map(mutual_coherence).sum();
                let report = if fast_path {
                    forward_fast(p, 1)
                } else {
                    forward_plain(p, 1)
                };
                coherence
                    + report
                        .iter()
                        .map(|r| r.0 as f64 + r.1 as f64 + r.2)
                        .sum::<f64>()
            })
            .sum();
        black_box(total);
    });
    json!({
        "workload": "campaign-small",
        "cases": args.cases,
        "seconds": seconds,
        "cases_per_second": args.cases as f64 / seconds,
        "arithmetic": if fast_path { "f64" } else { "f64-plain" },
        "repeat": args.repeat,
        "threads": rayon::current_num_threads(),
    })
}

/// A generated instance of length at most `length` placed in a signal of length `length`
/// (zeros appended). Generated supports never wrap around the period, so the cluster images,
/// `s_i`, `μ_i` and the magnitudes are unchanged and no patch gains energy: the hypotheses the
/// generator met still hold, and the certified check decides every case anyway.
fn with_signal_length(instance: Instance<Rational>, length: usize) -> Instance<Rational> {
    if instance.model.signal_length() == length {
        return instance;
    }
    let model = Model::new(
        length,
        instance.model.input_channels(),
        instance.model.layers().to_vec(),
    )
    .expect("a longer signal is valid");
    let widen = |v: &LayerVector<Rational>| {
        let mut out = LayerVector::zeros(length, v.channels());
        for (p, c, value) in v.support() {
            out.set(p, c, value.clone());
        }
        out
    };
    Instance {
        deepest_representation: widen(&instance.deepest_representation),
        noise: widen(&instance.noise),
        model,
        ..instance
    }
}

/// Two-layer soft-thresholding Theorem 2 instances of length 64: the cases of the generator
/// (depth at most 2, length at most 64) that have two layers, in case order (generated in
/// parallel batches; the order does not depend on threads).
fn two_layer_instances(seed: u64, cases: usize) -> Vec<Instance<Rational>> {
    let mut settings = Theorem2Settings::new(Thresholding::Soft);
    settings.max_depth = 2;
    settings.max_signal_length = 64;
    let mut instances = Vec::with_capacity(cases);
    let mut next = 0u64;
    while instances.len() < cases {
        let batch = 2 * (cases - instances.len()) as u64 + 8;
        let generated: Vec<Instance<Rational>> = (next..next + batch)
            .into_par_iter()
            .map(|k| {
                generate_theorem2_instance(
                    &mut case_rng(seed, k),
                    &settings,
                    "bench campaign-exact",
                )
            })
            .collect();
        next += batch;
        instances.extend(
            generated
                .into_iter()
                .filter(|instance| instance.model.depth() == 2),
        );
    }
    instances.truncate(cases);
    instances
        .into_iter()
        .map(|instance| with_signal_length(instance, 64))
        .collect()
}

fn campaign_exact(args: &BenchArgs, arithmetic: BenchArithmetic) -> Result<Value, CliError> {
    let exact_small = match arithmetic {
        BenchArithmetic::SmallRational => true,
        BenchArithmetic::Rational => false,
        _ => {
            return Err(CliError::Input(
                "campaign-exact is certified: use --arithmetic small-rational or rational".into(),
            ));
        }
    };
    let generation = Instant::now();
    let instances = two_layer_instances(args.seed, args.cases);
    let generation_seconds = generation.elapsed().as_secs_f64();
    let mut verdicts: Vec<&'static str> = Vec::new();
    let seconds = timed_after_warm_up(args.repeat, 1, || {
        verdicts = instances
            .par_iter()
            .map(|instance| {
                let report = if exact_small {
                    check_theorem2_small(instance)
                } else {
                    check_theorem2(instance)
                };
                assert!(report.certified, "an exact check is certified");
                report.verdict.name()
            })
            .collect();
    });
    let count = |name: &str| verdicts.iter().filter(|v| **v == name).count();
    Ok(json!({
        "workload": "campaign-exact",
        "cases": args.cases,
        "seconds": seconds,
        "cases_per_second": args.cases as f64 / seconds,
        "arithmetic": arithmetic_name(arithmetic),
        "signal_length": 64,
        "depth": 2,
        "seed": args.seed,
        "holds": count("holds"),
        "vacuous": count("vacuous"),
        "violated": count("violated"),
        "undecided": count("undecided"),
        "hypotheses_met": args.cases - count("vacuous"),
        "generation_seconds": generation_seconds,
        "repeat": args.repeat,
        "threads": rayon::current_num_threads(),
    }))
}

fn arithmetic_name(arithmetic: BenchArithmetic) -> &'static str {
    match arithmetic {
        BenchArithmetic::F64 => "f64",
        BenchArithmetic::F64Plain => "f64-plain",
        BenchArithmetic::SmallRational => "small-rational",
        BenchArithmetic::Rational => "rational",
    }
}

fn text_line(result: &Value) -> String {
    let field = |name: &str| result.get(name).cloned().unwrap_or(Value::Null);
    let rate = match result.get("gflops") {
        Some(g) => format!("{:.2} GFLOP/s", g.as_f64().unwrap_or(0.0)),
        None => format!(
            "{:.0} cases/s",
            field("cases_per_second").as_f64().unwrap_or(0.0)
        ),
    };
    format!(
        "{} ({}): {:.4} s (median of {}), {rate}",
        field("workload").as_str().unwrap_or(""),
        field("arithmetic").as_str().unwrap_or(""),
        field("seconds").as_f64().unwrap_or(0.0),
        field("repeat"),
    )
}

/// The most entries `N · Σ_i m_i` of every layer's representation of forward-large in `f64`
/// (2^27: about 2 GiB of arrays; `scripts/cost_growth.py` goes to `N = 2^20` with 112 filters).
const MAX_FORWARD_ENTRIES_F64: u128 = 1 << 27;
/// The same in exact arithmetic, whose entries take tens of bytes more each.
const MAX_FORWARD_ENTRIES_EXACT: u128 = 1 << 20;
/// The most cases of the two campaigns (each is built and kept before the clock starts).
const MAX_BENCH_CASES: usize = 100_000;
/// The most layers of forward-large (filters double at each layer).
const MAX_BENCH_DEPTH: usize = 12;
/// The most runs measured.
const MAX_BENCH_REPEAT: usize = 1000;

/// Checks the arguments before anything is built, so that no size overflows or exhausts
/// memory: each limit is named in its message.
fn validate(args: &BenchArgs) -> Result<(), CliError> {
    let refuse = |m: String| Err(CliError::Input(m));
    if args.n < 15 {
        return refuse(format!(
            "--n {}: need N ≥ 15 (N ≥ 2n − 1 for filters of length 8)",
            args.n
        ));
    }
    if args.cases == 0 || args.cases > MAX_BENCH_CASES {
        return refuse(format!(
            "--cases {}: need 1 to {MAX_BENCH_CASES}",
            args.cases
        ));
    }
    if args.channels == 0 {
        return refuse("--channels 0: need at least 1 filter".into());
    }
    if args.depth == 0 || args.depth > MAX_BENCH_DEPTH {
        return refuse(format!(
            "--depth {}: need 1 to {MAX_BENCH_DEPTH} layers",
            args.depth
        ));
    }
    if args.repeat > MAX_BENCH_REPEAT {
        return refuse(format!(
            "--repeat {}: need at most {MAX_BENCH_REPEAT} runs",
            args.repeat
        ));
    }
    if matches!(args.workload, Workload::ForwardLarge | Workload::All) {
        let exact = matches!(
            args.arithmetic,
            Some(BenchArithmetic::SmallRational | BenchArithmetic::Rational)
        );
        let limit = if exact {
            MAX_FORWARD_ENTRIES_EXACT
        } else {
            MAX_FORWARD_ENTRIES_F64
        };
        // Σ_i m · 2^(i-1) = m (2^K − 1), in u128: no overflow for any usize m and K ≤ 12.
        let filters = args.channels as u128 * ((1u128 << args.depth) - 1);
        let entries = args.n as u128 * filters;
        if entries > limit {
            return refuse(format!(
                "forward-large with --n {} and {filters} filters over {} layers holds {entries} entries, above the limit of {limit} in {} arithmetic; lower --n, --channels or --depth",
                args.n,
                args.depth,
                if exact { "exact" } else { "f64" }
            ));
        }
    }
    Ok(())
}

/// Runs the chosen workloads and prints their measurements (a JSON array with `--json`).
pub fn run(args: BenchArgs) -> Result<i32, CliError> {
    validate(&args)?;
    // Start the worker threads before any clock does.
    rayon::broadcast(|_| ());
    let workloads = match args.workload {
        Workload::All => vec![
            Workload::ForwardLarge,
            Workload::CampaignSmall,
            Workload::CampaignExact,
        ],
        one => vec![one],
    };
    let mut results = Vec::new();
    for workload in workloads {
        let result = match workload {
            Workload::ForwardLarge => {
                forward_large(&args, args.arithmetic.unwrap_or(BenchArithmetic::F64))
            }
            Workload::CampaignSmall => {
                campaign_small(&args, args.arithmetic.unwrap_or(BenchArithmetic::F64))
            }
            Workload::CampaignExact => campaign_exact(
                &args,
                args.arithmetic.unwrap_or(BenchArithmetic::SmallRational),
            )?,
            Workload::All => unreachable!("expanded above"),
        };
        if !args.json {
            outln!("{}", text_line(&result));
        }
        results.push(result);
    }
    if args.json {
        print_json(&results);
    }
    Ok(0)
}
