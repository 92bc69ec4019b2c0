//! `mlcsc inspect FILE`: the model's quantities per layer; `mlcsc inspect --npy FILTERS.npy …`:
//! how far real filter banks (NumPy or PyTorch arrays `[out][in][kernel]`, one per layer) are
//! from the hypotheses of the theorems (docs/math.md §3, §6, §7), in `f64`, uncertified.

use super::output::outln;
use std::path::{Path, PathBuf};

use crate::coherence::{mutual_coherence, mutual_coherence_with_witness, welch_bound};
use crate::inspect::{InspectReport, inspect_instance};
use crate::io::npy::{FilterBank, read_filter_banks};
use crate::io::npy_folding::{fold_banks, without_filters};
use crate::model::{Layer, Model};
use crate::theorems::theorem2_bounds::stripe_sparsity_bound;
use crate::theorems::uniqueness::uniqueness_sparsity_bound;
use crate::tolerance::largest_integer_below;
use clap::Args;
use serde::Serialize;

use super::Arithmetic;
use super::output::{CliError, exact_instance, float_instance, print_json, read_instance_file};
use super::readable::number;

/// Arguments of `inspect`: an instance file, or filter banks from `.npy` files (exactly one).
#[derive(Args, Debug)]
pub struct InspectArgs {
    /// An instance file (mlcsc-instance-1); omit it when --npy is given.
    #[arg(required_unless_present = "npy", conflicts_with = "npy")]
    file: Option<PathBuf>,
    /// A filter bank [out][in][kernel] (float32 or float64, C or Fortran order), one file per
    /// layer, in order from the input: `--npy conv1.npy --npy conv2.npy`.
    #[arg(long, value_name = "FILTERS.npy")]
    npy: Vec<PathBuf>,
    /// The signal length N of the model built from --npy (default: the smallest the
    /// conventions allow, the largest 2 n_i − 1).
    #[arg(long, requires = "npy")]
    signal_length: Option<usize>,
    /// Arithmetic for an instance file (filter banks from --npy are always f64).
    #[arg(long, value_enum)]
    arithmetic: Option<Arithmetic>,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

/// `inspect` with parsed arguments.
pub fn run_args(args: InspectArgs) -> Result<i32, CliError> {
    match args.file {
        Some(file) => run(
            &file,
            args.arithmetic.unwrap_or(Arithmetic::Exact),
            args.json,
        ),
        None => {
            if args.arithmetic == Some(Arithmetic::Exact) {
                return Err(CliError::Input(
                    "--arithmetic exact: filter banks from .npy are f64 numbers and are checked in f64 (uncertified)"
                        .into(),
                ));
            }
            run_npy(&args.npy, args.signal_length, args.json)
        }
    }
}

/// `inspect FILE`.
pub fn run(path: &Path, arithmetic: Arithmetic, json: bool) -> Result<i32, CliError> {
    let file = read_instance_file(path)?;
    let report = match arithmetic {
        Arithmetic::Exact => inspect_instance(&exact_instance(path, &file)?),
        Arithmetic::F64 => inspect_instance(&float_instance(path, &file)?),
    };
    if json {
        print_json(&report);
    } else {
        print_text(&report);
    }
    Ok(0)
}

fn print_text(report: &InspectReport) {
    let signal = match report.signal_shape {
        Some([rows, columns]) => format!("N = {} ({rows} × {columns})", report.signal_length),
        None => format!("N = {}", report.signal_length),
    };
    outln!(
        "{} ({}): {signal}, m_0 = {}, {} thresholding, {} arithmetic",
        report.name,
        report.source,
        report.input_channels,
        report.thresholding,
        report.arithmetic
    );
    match report.noise_budget {
        Some(budget) => outln!(
            "noise: measured ‖E‖^P_2,∞ = {}; declared budget ε_0 = {} (the ε_0 check uses)",
            number(report.noise_patch_norm),
            number(budget)
        ),
        None => outln!(
            "noise: measured ε_0 = ‖E‖^P_2,∞ = {} (no declared budget; check uses this ε_0)",
            number(report.noise_patch_norm)
        ),
    }
    outln!(
        "{:>5} {:>4} {:>4} {:>4} {:>12} {:>10} {:>4} {:>4} {:>4} {:>10} {:>10}",
        "layer",
        "m",
        "n",
        "m_in",
        "coherence",
        "welch",
        "s",
        "p",
        "w",
        "|Γ|min",
        "|Γ|max"
    );
    for l in &report.layers {
        outln!(
            "{:>5} {:>4} {:>4} {:>4} {:>12} {:>10} {:>4} {:>4} {:>4} {:>10} {:>10}",
            l.layer,
            l.filters,
            l.filter_length,
            l.input_channels,
            l.coherence_exact
                .clone()
                .unwrap_or_else(|| number(l.coherence)),
            number(l.welch_bound),
            l.stripe_sparsity,
            l.patch_sparsity,
            l.patch_width,
            l.gamma_min.map_or("-".into(), number),
            l.gamma_max.map_or("-".into(), number),
        );
    }
    for l in &report.layers {
        if let Some(geometry) = &l.geometry {
            outln!("layer {}: {geometry}", l.layer);
        }
        if let Some(thresholds) = &l.channel_thresholds {
            let values: Vec<String> = thresholds.iter().map(|&b| number(b)).collect();
            outln!(
                "layer {}: thresholds per channel {}",
                l.layer,
                values.join(", ")
            );
        }
    }
}

/// What one `.npy` layer gives.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct NpyLayer {
    layer: usize,
    file: PathBuf,
    shape: [usize; 3],
    dtype: String,
    order: &'static str,
    filters: usize,
    filter_length: usize,
    input_channels: usize,
    filter_norms: Vec<f64>,
    smallest_filter_norm: f64,
    largest_filter_norm: f64,
    /// `μ` of the folded filters (`proofs/folding.md`); the witness indexes the live filters.
    coherence: f64,
    coherence_witness: serde_json::Value,
    /// `μ` of this layer's filters each divided by its own norm, as if the layer stood alone:
    /// at layer 1 the same as `coherence`, below it an understatement.
    layer_alone_coherence: f64,
    /// The filters of norm 0 (dead channels), by index in the file; dropped before folding.
    dead_filters: Vec<usize>,
    welch_bound: f64,
    /// `½ (1 + 1/μ)`: Theorem 2 with contrast 1 and no noise, and the uniqueness of `DCP_λ`.
    uniqueness_bound: Option<f64>,
    theorem2_largest_stripe_sparsity: Option<u64>,
    uniqueness_largest_stripe_sparsity: Option<u64>,
    /// `⅓ (1 + 1/μ)`: layered basis pursuit.
    basis_pursuit_bound: Option<f64>,
    basis_pursuit_largest_stripe_sparsity: Option<u64>,
}

/// The report of layer `number` (from 1): `bank` as stored, `layer` its folded unit filters,
/// `alone` the coherence of its own filters normalised alone, `dead` its dead filters.
fn npy_layer(
    number: usize,
    bank: &FilterBank,
    layer: &Layer<f64>,
    alone: f64,
    dead: &[usize],
) -> NpyLayer {
    let norms = bank.filter_norms();
    let witness = mutual_coherence_with_witness(layer);
    let mu = witness.coherence;
    let theorem2 = stripe_sparsity_bound(mu, 1.0, 0.0);
    let uniqueness = uniqueness_sparsity_bound(mu);
    // Layered basis pursuit's `s < ⅓ (1 + 1/μ)` (docs/math.md §7).
    let third = (mu > 0.0).then(|| (1.0 + 1.0 / mu) / 3.0);
    let below = |b: Option<f64>| b.and_then(largest_integer_below);
    NpyLayer {
        layer: number,
        file: bank.path.clone(),
        shape: bank.shape,
        dtype: bank.dtype.clone(),
        order: if bank.fortran_order { "Fortran" } else { "C" },
        filters: bank.filter_count(),
        filter_length: bank.filter_length(),
        input_channels: bank.input_channels(),
        smallest_filter_norm: norms.iter().copied().fold(f64::INFINITY, f64::min),
        largest_filter_norm: norms.iter().copied().fold(0.0, f64::max),
        filter_norms: norms,
        coherence: mu,
        layer_alone_coherence: alone,
        dead_filters: dead.to_vec(),
        coherence_witness: serde_json::json!({
            "first-filter": witness.first,
            "second-filter": witness.second,
            "shift": witness.shift,
        }),
        welch_bound: welch_bound(
            layer.filter_count(),
            layer.filter_length(),
            layer.input_channels(),
        ),
        uniqueness_bound: uniqueness,
        theorem2_largest_stripe_sparsity: below(theorem2),
        uniqueness_largest_stripe_sparsity: below(uniqueness),
        basis_pursuit_bound: third,
        basis_pursuit_largest_stripe_sparsity: below(third),
    }
}

/// The unit filters of a bank, as a layer (`number` from 1), refused with the file named.
fn unit_layer(number: usize, bank: &FilterBank) -> Result<Layer<f64>, CliError> {
    if bank.filter_count() == 0 {
        return Err(CliError::Input(format!(
            "{}: every filter is zero (all channels dead); nothing to fold",
            bank.path.display()
        )));
    }
    let filters = bank
        .normalised_filters()
        .map_err(|e| CliError::Input(e.to_string()))?;
    Layer::new(number, filters)
        .map_err(|e| CliError::Input(format!("{}: {e}", bank.path.display())))
}

/// `inspect --npy FILTERS.npy …`.
fn run_npy(paths: &[PathBuf], signal_length: Option<usize>, json: bool) -> Result<i32, CliError> {
    let banks = read_filter_banks(paths).map_err(|e| CliError::Input(e.to_string()))?;
    let folded = fold_banks(&banks).map_err(CliError::Input)?;
    let mut layers = Vec::with_capacity(banks.len());
    let mut alone = Vec::with_capacity(banks.len());
    for (index, (bank, dead)) in folded.banks.iter().zip(&folded.dead).enumerate() {
        layers.push(unit_layer(index + 1, bank)?);
        let own = unit_layer(index + 1, &without_filters(&banks[index], dead))?;
        alone.push(mutual_coherence(&own));
    }
    let smallest = layers.iter().map(|l| l.stripe_width()).max().unwrap_or(1);
    let length = signal_length.unwrap_or(smallest);
    let model = Model::new(length, banks[0].input_channels(), layers)
        .map_err(|e| CliError::Input(format!("--signal-length {length}: {e}")))?;
    let reports: Vec<NpyLayer> = banks
        .iter()
        .enumerate()
        .map(|(i, bank)| npy_layer(i + 1, bank, model.layer(i + 1), alone[i], &folded.dead[i]))
        .collect();
    let normalisation = "the layers are folded (proofs/folding.md): each input channel of layer i is scaled by the norm of layer i-1's folded filter, then each filter is divided by its l2 norm before the coherence is computed; dead (zero) filters are dropped; layer-alone-coherence normalises each layer on its own; filter_norms are the norms as stored";
    if json {
        print_json(&serde_json::json!({
            "source": "npy",
            "arithmetic": "f64",
            "certified": false,
            "normalisation": normalisation,
            "signal-length": length,
            "input-channels": model.input_channels(),
            "layers": reports,
        }));
        return Ok(0);
    }
    print_npy_table(length, model.input_channels(), normalisation, &reports);
    Ok(0)
}

/// The text output of `inspect --npy`: one row per layer, the legend, then the filter norms.
fn print_npy_table(
    length: usize,
    input_channels: usize,
    normalisation: &str,
    reports: &[NpyLayer],
) {
    outln!(
        "filter banks from .npy: f64 arithmetic, UNCERTIFIED (the filters are not exact rationals)"
    );
    outln!("{normalisation}");
    outln!("N = {length}, m_0 = {}", input_channels);
    outln!(
        "{:>5} {:>14} {:>6} {:>7} {:>21} {:>10} {:>10} {:>10} {:>9} {:>9} {:>9}",
        "layer",
        "m×m_in×n",
        "dtype",
        "order",
        "filter norms",
        "coherence",
        "alone",
        "welch",
        "thm2 s≤",
        "unique s≤",
        "lbp s≤"
    );
    let shown = |s: Option<u64>| s.map_or("any".to_string(), |s| s.to_string());
    for l in reports {
        outln!(
            "{:>5} {:>14} {:>6} {:>7} {:>21} {:>10} {:>10} {:>10} {:>9} {:>9} {:>9}",
            l.layer,
            format!("{}×{}×{}", l.filters, l.input_channels, l.filter_length),
            l.dtype,
            l.order,
            format!(
                "{}..{}",
                number(l.smallest_filter_norm),
                number(l.largest_filter_norm)
            ),
            number(l.coherence),
            number(l.layer_alone_coherence),
            number(l.welch_bound),
            shown(l.theorem2_largest_stripe_sparsity),
            shown(l.uniqueness_largest_stripe_sparsity),
            shown(l.basis_pursuit_largest_stripe_sparsity),
        );
    }
    outln!(
        "thm2: Theorem 2 with contrast |Γ^min|/|Γ^max| = 1 and no noise, s < ½(1 + 1/μ); unique: uniqueness of DCP_λ, s < ½(1 + 1/μ); lbp: layered basis pursuit, s < ⅓(1 + 1/μ)"
    );
    outln!(
        "coherence: of the folded filters; alone: each layer normalised on its own (an understatement below layer 1)"
    );
    for l in reports {
        if !l.dead_filters.is_empty() {
            outln!(
                "layer {}: dead (zero) filters dropped: {:?}",
                l.layer,
                l.dead_filters
            );
        }
    }
    for l in reports {
        outln!(
            "layer {} ({}): filter norms {:?}",
            l.layer,
            l.file.display(),
            l.filter_norms
                .iter()
                .map(|v| number(*v))
                .collect::<Vec<_>>()
        );
    }
}
