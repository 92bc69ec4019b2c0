//! `mlcsc bench`: parses the arguments, validates them, runs the workloads of
//! [`crate::bench`] and renders their measurements (a JSON array with `--json`).

use clap::{Args, ValueEnum};
use serde_json::Value;

use crate::bench::campaigns::{campaign_exact, campaign_small};
use crate::bench::forward::{ForwardArithmetic, ForwardShape, forward_large};
use crate::bench::forward_image::forward_image;
use crate::bench::timing::load_average;

use super::output::{CliError, outln, print_json};

/// A workload of `bench`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Workload {
    /// One large three-layer forward computation (the peers' `forward-large`).
    ForwardLarge,
    /// A 256 × 256 image through three layers of 3 × 3 filters, with a bias and ReLU per
    /// channel (the peers' `forward-image`).
    ForwardImage,
    /// Many small two-layer cases in `f64` (the peers' `campaign-small`).
    CampaignSmall,
    /// Certified cases of the campaign `theorem2-soft`, end to end, and the check alone.
    CampaignExact,
    /// All four.
    All,
}

/// The arithmetic of a workload.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum BenchArithmetic {
    /// `f64` through the fast kernels (`crate::fast`).
    F64,
    /// `f32` through the fast kernels (forward-large and forward-image).
    F32,
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
    /// campaign-exact, where `rational` measures the check alone in big rationals).
    #[arg(long, value_enum)]
    arithmetic: Option<BenchArithmetic>,
    /// Master seed of campaign-exact.
    #[arg(long, default_value_t = 2017)]
    seed: u64,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

fn text_line(result: &Value) -> String {
    let field = |name: &str| result.get(name).cloned().unwrap_or(Value::Null);
    let number = |name: &str| field(name).as_f64().unwrap_or(f64::NAN);
    let rate = if result.get("gflops").is_some() {
        let peak = match field("peak-gflops").as_f64() {
            Some(peak) => format!(
                ", {:.0}% of the measured peak of {peak:.1} GFLOP/s; in CPU time {:.1} GFLOP/s per core, {:.0}% of the per-core peak of {:.1}",
                100.0 * number("fraction-of-peak"),
                number("gflops-per-cpu-second"),
                100.0 * number("fraction-of-peak-in-cpu-time"),
                number("peak-gflops-per-core"),
            ),
            None => String::new(),
        };
        let memory = match field("bytes-per-entry").as_f64() {
            Some(b) => format!(", {b:.1} bytes of peak memory per entry"),
            None => String::new(),
        };
        let products = match field("conv-gflops").as_f64() {
            Some(conv) => format!(
                "; the products alone {conv:.2} GFLOP/s, {:.0}% of the peak ({:.0}% in CPU time){}",
                100.0 * number("conv-fraction-of-peak"),
                100.0 * number("conv-fraction-of-peak-in-cpu-time"),
                match result.get("nonzeros") {
                    Some(counts) => format!("; nonzeros per layer {counts}"),
                    None => String::new(),
                },
            ),
            None => String::new(),
        };
        format!("{:.2} GFLOP/s{peak}{memory}{products}", number("gflops"))
    } else if result.get("check-only-cases-per-second").is_some() {
        format!(
            "{:.0} certified cases/s end to end (generation, check, record); check alone ({}): {:.0} cases/s",
            number("cases-per-second"),
            field("check-only-arithmetic").as_str().unwrap_or(""),
            number("check-only-cases-per-second"),
        )
    } else {
        format!("{:.0} cases/s", number("cases-per-second"))
    };
    format!(
        "{} ({}): {:.4} s (median of {}, {} threads), {rate}",
        field("workload").as_str().unwrap_or(""),
        field("arithmetic")
            .as_str()
            .or(field("campaign").as_str())
            .unwrap_or(""),
        number("seconds"),
        field("repeat"),
        field("threads"),
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
    if let Some(arithmetic) = args.arithmetic {
        let name = arithmetic
            .to_possible_value()
            .map_or(String::new(), |v| v.get_name().to_string());
        let fits = match args.workload {
            Workload::ForwardLarge => true,
            Workload::ForwardImage => {
                matches!(arithmetic, BenchArithmetic::F64 | BenchArithmetic::F32)
            }
            Workload::CampaignSmall => {
                matches!(arithmetic, BenchArithmetic::F64 | BenchArithmetic::F64Plain)
            }
            Workload::CampaignExact => matches!(
                arithmetic,
                BenchArithmetic::SmallRational | BenchArithmetic::Rational
            ),
            Workload::All => false,
        };
        if !fits {
            return refuse(format!(
                "--arithmetic {name} does not apply to --workload {}: forward-large takes any, forward-image f64 or f32, campaign-small f64 or f64-plain, campaign-exact small-rational or rational (its check alone), and all takes none",
                args.workload
                    .to_possible_value()
                    .map_or(String::new(), |v| v.get_name().to_string())
            ));
        }
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
            Workload::ForwardImage,
            Workload::CampaignSmall,
            Workload::CampaignExact,
        ],
        one => vec![one],
    };
    let mut results = Vec::new();
    for workload in workloads {
        let mut result = match workload {
            Workload::ForwardLarge => {
                let shape = ForwardShape {
                    length: args.n,
                    depth: args.depth,
                    channels: args.channels,
                };
                let arithmetic = match args.arithmetic.unwrap_or(BenchArithmetic::F64) {
                    BenchArithmetic::F64 => ForwardArithmetic::F64,
                    BenchArithmetic::F32 => ForwardArithmetic::F32,
                    BenchArithmetic::F64Plain => ForwardArithmetic::F64Plain,
                    BenchArithmetic::SmallRational => ForwardArithmetic::SmallRational,
                    BenchArithmetic::Rational => ForwardArithmetic::Rational,
                };
                serde_json::to_value(forward_large(&shape, arithmetic, args.repeat))
            }
            Workload::ForwardImage => serde_json::to_value(forward_image(
                args.arithmetic == Some(BenchArithmetic::F32),
                args.repeat,
            )),
            Workload::CampaignSmall => serde_json::to_value(campaign_small(
                args.cases,
                args.repeat,
                args.arithmetic == Some(BenchArithmetic::F64Plain),
            )),
            Workload::CampaignExact => serde_json::to_value(campaign_exact(
                args.cases,
                args.repeat,
                args.seed,
                args.arithmetic == Some(BenchArithmetic::Rational),
            )),
            Workload::All => unreachable!("expanded above"),
        }
        .expect("measurements serialise");
        result["load-average"] = serde_json::json!(load_average());
        if !args.json {
            outln!("{}", text_line(&result));
        }
        results.push(result);
    }
    if !args.json {
        if let Some([one, five, fifteen]) = load_average() {
            outln!("load average: {one:.2} {five:.2} {fifteen:.2}");
        }
    }
    if args.json {
        print_json(&results);
    }
    Ok(0)
}
