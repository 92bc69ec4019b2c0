//! Limits on the work one command may take on a valid instance, checked before the work, each
//! with a clear error that names the limit and what to use instead (docs/robustness.md). The
//! measure is the number of multiply-adds of one synthesis or analysis pass over every layer,
//! `N · Σ_i n_i m_i m_{i-1}`; in exact arithmetic it is weighted by the square of the longest
//! number's length in 16-digit words, since a rational product costs about that, and the
//! longest number is bounded with its growth through the layers
//! ([`super::number_growth`]).
//!
//! The `f64` limit is stated in seconds and bytes: the pass work at the measured speed of
//! `check --arithmetic f64` ([`F64_CHECK_PASS_RATE`], the slower of `forward` and `check`)
//! may take at most [`MAX_F64_SECONDS`], and the vectors `Γ_0, …, Γ_K` at the measured bytes
//! per entry at most [`MAX_MEMORY_BYTES`]; the exact check keeps its weighted limit and the
//! same memory bound at its own bytes per entry.

use super::Instance;
use super::number_growth::longest_number_bits;
use crate::model::Model;
use crate::scalar::{Rational, Scalar};

/// The most weighted multiply-adds of one exact pass (about a minute of exact checking).
pub const MAX_EXACT_WORK: u128 = 50_000_000;

/// The most CPU seconds an `f64` `forward` or `check` may be expected to compute for.
pub const MAX_F64_SECONDS: f64 = 30.0;

/// Multiply-adds of one pass `N · Σ n_i m_i m_{i-1}` that `check --arithmetic f64` computes per
/// CPU second, all its work included (the chain, the estimates and their radii, each one
/// product for the midpoint and one for the radius, then the norms): measured on
/// `bench --workload forward-large`'s instance (`N = 2^16`, 3 layers of 8 taps, 16, 32 and 64
/// filters: `1.35·10^9` multiply-adds a pass) in 1.03 CPU seconds (load average 9 on two
/// shared cores), rounded down. `forward --arithmetic f64` computes it in 0.11.
pub const F64_CHECK_PASS_RATE: f64 = 1.3e9;

/// The most multiply-adds of one `f64` pass: [`MAX_F64_SECONDS`] at [`F64_CHECK_PASS_RATE`]
/// (`3.9·10^10`; two 3 × 3 layers of 64 → 64 channels on a 224 × 224 image take `3.7·10^9`).
pub const MAX_F64_WORK: u128 = (MAX_F64_SECONDS * F64_CHECK_PASS_RATE) as u128;

/// The most memory a command's vectors may take: 8 GiB.
pub const MAX_MEMORY_BYTES: u128 = 8 << 30;

/// Peak bytes per entry of `Γ_0, …, Γ_K` of `check --arithmetic f64`, measured (65 on the
/// forward-large instance: each vector's midpoint and radius, the products' weights and sums,
/// the estimates and the errors), rounded up; `forward --arithmetic f64` takes 40.
pub const F64_BYTES_PER_ENTRY: u128 = 80;

/// Peak bytes per entry of the exact check, measured: 280 with a sparse deepest representation,
/// 330 with dense vectors, rounded up.
pub const EXACT_BYTES_PER_ENTRY: u128 = 400;

/// `Σ_{i=0}^{K}` positions times channels of `Γ_i`: the entries of the chain.
pub fn chain_entries<S: Scalar>(model: &Model<S>) -> u128 {
    let input = model.grid(0).positions() as u128 * model.input_channels() as u128;
    let layers: u128 = (1..=model.depth())
        .map(|i| model.grid(i).positions() as u128 * model.layer(i).filter_count() as u128)
        .sum();
    input + layers
}

/// Refuses an instance whose vectors would take more than [`MAX_MEMORY_BYTES`] at
/// `bytes_per_entry` (`what` names the arithmetic).
fn check_memory<S: Scalar>(
    model: &Model<S>,
    bytes_per_entry: u128,
    what: &str,
) -> Result<(), String> {
    let entries = chain_entries(model);
    let bytes = entries.saturating_mul(bytes_per_entry);
    if bytes > MAX_MEMORY_BYTES {
        return Err(format!(
            "the {what} would need about {:.1} GB ({entries} entries of Γ_0, …, Γ_K at {bytes_per_entry} bytes each, as measured), above the limit of {:.1} GB; use a shorter signal, a smaller image or fewer channels",
            bytes as f64 / 1e9,
            MAX_MEMORY_BYTES as f64 / 1e9
        ));
    }
    Ok(())
}

/// The most multiply-adds `N · n_i · m_i · m_{i-1}` of one pass of a layer in exact layered
/// basis pursuit. Its solver runs up to 45,000 `f64` iterations of two such passes, and its
/// certificate works on a banded Gram matrix and the Gram table, linear in `N` times the
/// length of the exact numbers, which grows with the longest run of overlapping support atoms.
/// At this limit (`N = 65536`, two 16-tap filters) a theorem instance took about 10 s, and a
/// support whose atoms overlap in one run around the whole signal about 20 s (load 10 on two
/// cores), within the minute of [`MAX_EXACT_WORK`].
pub const MAX_BASIS_PURSUIT_WORK: u128 = 1 << 21;

/// `N · Σ_i n_i m_i m_{i-1}`: the multiply-adds of one pass over every layer.
pub fn pass_work<S: Scalar>(instance: &Instance<S>) -> u128 {
    model_pass_work(&instance.model)
}

/// [`pass_work`] of a model.
pub fn model_pass_work<S: Scalar>(model: &Model<S>) -> u128 {
    let taps: u128 = model
        .layers()
        .iter()
        .map(|l| (l.filter_length() * l.filter_count() * l.input_channels()) as u128)
        .sum();
    model.signal_length() as u128 * taps
}

/// Refuses an instance whose exact check would take more than [`MAX_EXACT_WORK`]: one pass
/// weighted by the square of the longest number it meets, in 16-digit words, as bounded by
/// [`longest_number_bits`] (numbers grow through the layers: their denominators multiply).
pub fn check_exact_work(instance: &Instance<Rational>) -> Result<(), String> {
    let bits = longest_number_bits(instance);
    // log10(2) ≈ 0.30103, rounded up.
    let digits = (bits as f64 * std::f64::consts::LOG10_2).ceil() as u128;
    let words = digits.div_ceil(16).max(1);
    let work = pass_work(instance).saturating_mul(words * words);
    if work > MAX_EXACT_WORK {
        return Err(format!(
            "the exact check would take about {work} weighted multiply-adds per pass (N · Σ n_i m_i m_(i-1) = {}, times the square of the longest number's length in 16-digit words = {words}²: the numbers reach about {digits} digits, as denominators multiply through the layers), above the limit of {MAX_EXACT_WORK}; use --arithmetic f64, or fewer layers, shorter numbers, or a shorter signal or filters",
            pass_work(instance)
        ));
    }
    check_memory(&instance.model, EXACT_BYTES_PER_ENTRY, "exact check")
}

/// Refuses an instance whose `f64` passes would take more than [`MAX_F64_WORK`] (about
/// [`MAX_F64_SECONDS`] of `check`), or whose vectors more than [`MAX_MEMORY_BYTES`].
pub fn check_f64_work<S: Scalar>(instance: &Instance<S>) -> Result<(), String> {
    check_f64_model(&instance.model)
}

/// [`check_f64_work`] on the model's sizes alone (no vector is needed).
pub fn check_f64_model<S: Scalar>(model: &Model<S>) -> Result<(), String> {
    let work = model_pass_work(model);
    if work > MAX_F64_WORK {
        return Err(format!(
            "one f64 pass would take {work} multiply-adds (N · Σ n_i m_i m_(i-1)), about {:.0} CPU seconds of check --arithmetic f64 at the measured {F64_CHECK_PASS_RATE:e} a second, above the limit of {MAX_F64_WORK} ({MAX_F64_SECONDS} s); use a shorter signal, a smaller image, or fewer or shorter filters",
            work as f64 / F64_CHECK_PASS_RATE
        ));
    }
    check_memory(model, F64_BYTES_PER_ENTRY, "f64 computation")
}

/// Refuses exact layered basis pursuit on a layer whose pass takes more than
/// [`MAX_BASIS_PURSUIT_WORK`] multiply-adds.
pub fn check_basis_pursuit_size<S: Scalar>(instance: &Instance<S>) -> Result<(), String> {
    let model = &instance.model;
    for (index, layer) in model.layers().iter().enumerate() {
        let work = model.signal_length() as u128
            * layer.filter_length() as u128
            * layer.filter_count() as u128
            * layer.input_channels() as u128;
        if work > MAX_BASIS_PURSUIT_WORK {
            let i = index + 1;
            return Err(format!(
                "layer {i}: exact layered basis pursuit would take N · n_{i} · m_{i} · m_{} = {work} multiply-adds per pass (up to 90,000 f64 passes, then an exact certificate), above the limit of {MAX_BASIS_PURSUIT_WORK}; use a shorter signal, or the forward pass (--pursuit thresholding)",
                i - 1
            ));
        }
    }
    Ok(())
}
