//! `mlcsc inspect FILE`: the model's quantities per layer.

use super::output::outln;
use std::path::Path;

use mlcsc::inspect::{InspectReport, inspect_instance};

use super::ArithmeticArg;
use super::output::{CliError, exact_instance, float_instance, print_json, read_instance_file, short};

pub fn run(path: &Path, arithmetic: ArithmeticArg, json: bool) -> Result<i32, CliError> {
    let file = read_instance_file(path)?;
    let report = match arithmetic {
        ArithmeticArg::Exact => inspect_instance(&exact_instance(path, &file)?),
        ArithmeticArg::F64 => inspect_instance(&float_instance(path, &file)?),
    };
    if json {
        print_json(&report);
    } else {
        print_text(&report);
    }
    Ok(0)
}

fn print_text(report: &InspectReport) {
    outln!(
        "{} ({}): N = {}, m_0 = {}, {} thresholding, {} arithmetic",
        report.name, report.source, report.signal_length, report.input_channels, report.thresholding, report.arithmetic
    );
    outln!("noise patch norm ε_0 = {}", short(report.noise_patch_norm));
    outln!(
        "{:>5} {:>4} {:>4} {:>4} {:>12} {:>10} {:>4} {:>4} {:>4} {:>10} {:>10}",
        "layer", "m", "n", "m_in", "coherence", "welch", "s", "p", "w", "|Γ|min", "|Γ|max"
    );
    for l in &report.layers {
        outln!(
            "{:>5} {:>4} {:>4} {:>4} {:>12} {:>10} {:>4} {:>4} {:>4} {:>10} {:>10}",
            l.layer,
            l.filters,
            l.filter_length,
            l.input_channels,
            l.coherence_exact.clone().unwrap_or_else(|| short(l.coherence)),
            short(l.welch_bound),
            l.stripe_sparsity,
            l.patch_sparsity,
            l.patch_width,
            l.gamma_min.map_or("-".into(), short),
            l.gamma_max.map_or("-".into(), short),
        );
    }
}
