//! Limits on the work one command may take on a valid instance, checked before the work, each
//! with a clear error that names the limit and what to use instead (docs/robustness.md). The
//! measure is the number of multiply-adds of one synthesis or analysis pass over every layer,
//! `N · Σ_i n_i m_i m_{i-1}`; in exact arithmetic it is weighted by the square of the longest
//! number's length in 16-digit words, since a rational product costs about that, and the
//! longest number is bounded with its growth through the layers
//! ([`super::number_growth`]).

use super::Instance;
use super::number_growth::longest_number_bits;
use crate::scalar::{Rational, Scalar};

/// The most weighted multiply-adds of one exact pass (about a minute of exact checking).
pub const MAX_EXACT_WORK: u128 = 50_000_000;

/// The most multiply-adds of one `f64` pass (a few seconds, with room for the check's passes).
pub const MAX_F64_WORK: u128 = 2_000_000_000;

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
    let model = &instance.model;
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
    Ok(())
}

/// Refuses an instance whose `f64` passes would take more than [`MAX_F64_WORK`].
pub fn check_f64_work<S: Scalar>(instance: &Instance<S>) -> Result<(), String> {
    let work = pass_work(instance);
    if work > MAX_F64_WORK {
        return Err(format!(
            "one f64 pass would take {work} multiply-adds (N · Σ n_i m_i m_(i-1)), above the limit of {MAX_F64_WORK}; use a shorter signal or filters"
        ));
    }
    Ok(())
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
