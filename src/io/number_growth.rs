//! A bound on the length of the exact numbers an instance's check computes, before it computes
//! them. Each layer multiplies its input by rational taps and sums: the denominators of the
//! results divide the product of the input's common denominator and the taps' (the least
//! common multiple of their denominators), so their lengths add up layer after layer, in the
//! synthesis `Γ_K → Γ_0` and again in the forward pass `Y → Γ̂_1 → … → Γ̂_K`. Ten layers of
//! filters with 2,000-digit denominators give numbers of about 40,000 digits: the longest
//! number in the file says nothing of them.
//!
//! A set of rationals is summarised by [`Size`]: the bits of a common denominator and of the
//! largest magnitude, so every entry's numerator has at most `denominator + magnitude` bits.

use std::collections::HashSet;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, Zero};

use super::Instance;
use crate::scalar::Rational;

/// The least common multiple of the odd parts of the denominators is computed exactly up to
/// this many bits (a few machine words, so each step is cheap); beyond it, each further
/// distinct odd part adds its own length (the product bounds the least common multiple).
const EXACT_LCM_BITS: u64 = 4096;

/// Bounds on a set of rationals: every entry is `p / q` with `q` dividing a common denominator
/// of at most `denominator` bits and `|p / q| < 2^magnitude`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Size {
    /// Bits of a common denominator.
    pub denominator: u64,
    /// Bits of the largest magnitude (at least 0: magnitudes below 1 count as 1).
    pub magnitude: u64,
}

impl Size {
    /// The most bits of a numerator or denominator of an entry.
    pub fn bits(&self) -> u64 {
        self.denominator + self.magnitude
    }

    /// The bounds of `Σ_t a_t b_t` over `terms` products of an entry of `self` and one of
    /// `other`.
    fn products(self, other: Size, terms: usize) -> Size {
        Size {
            denominator: self.denominator + other.denominator,
            magnitude: self.magnitude + other.magnitude + ceil_log2(terms),
        }
    }

    /// The bounds of `a ± b` for an entry of each.
    fn sum(self, other: Size) -> Size {
        Size {
            denominator: self.denominator + other.denominator,
            magnitude: self.magnitude.max(other.magnitude) + 1,
        }
    }
}

fn ceil_log2(terms: usize) -> u64 {
    (usize::BITS - terms.max(1).saturating_sub(1).leading_zeros()) as u64
}

/// The bounds of a set of rationals: a common denominator (the largest power of two times the
/// least common multiple of the odd parts, bounded by their product beyond
/// `EXACT_LCM_BITS`) and their largest magnitude.
pub fn size_of<'a>(values: impl IntoIterator<Item = &'a Rational>) -> Size {
    let mut odd_parts: HashSet<BigInt> = HashSet::new();
    let (mut twos, mut magnitude) = (0u64, 0u64);
    for value in values {
        if value.is_zero() {
            continue;
        }
        let (numerator, denominator) = (value.numer(), value.denom());
        // |p / q| < 2^(bits(p) − bits(q) + 1).
        magnitude = magnitude.max((numerator.abs().bits() + 1).saturating_sub(denominator.bits()));
        let shift = denominator.trailing_zeros().unwrap_or(0);
        twos = twos.max(shift);
        if denominator.bits() > shift + 1 {
            odd_parts.insert(denominator >> shift);
        }
    }
    let mut common = BigInt::one();
    let mut beyond = 0u64;
    for odd in &odd_parts {
        if common.bits() <= EXACT_LCM_BITS {
            common = common.lcm(odd);
        } else {
            beyond += odd.bits();
        }
    }
    Size {
        denominator: twos + common.bits().saturating_sub(1) + beyond,
        magnitude,
    }
}

/// A bound in bits on the numerators and denominators the exact check of `instance` meets: the
/// longest of the numbers in the file, of `Γ_{i-1} = D_i Γ_i` down to `Γ_0`, of the signal
/// `Y = Γ_0 + E`, of `D_iᵀ Γ̂_{i-1}` and the thresholded `Γ̂_i` up to layer `K`, and of the
/// differences `Γ_i − Γ̂_i` whose norms the theorems compare.
pub fn longest_number_bits(instance: &Instance<Rational>) -> u64 {
    let model = &instance.model;
    let filters: Vec<Size> = model.layers().iter().map(|l| size_of(l.taps())).collect();
    let thresholds: Vec<Size> = (instance.thresholds.iter())
        .map(|b| size_of(b.values()))
        .collect();
    let noise = size_of(
        instance
            .noise
            .entries()
            .iter()
            .chain(&instance.noise_budget),
    );
    let mut longest = filters
        .iter()
        .chain(&thresholds)
        .chain([&noise])
        .map(Size::bits)
        .max()
        .unwrap_or(0);
    // The synthesis: chain[i] bounds Γ_i.
    let mut chain = vec![Size::default(); model.depth() + 1];
    chain[model.depth()] = size_of(instance.deepest_representation.entries());
    for i in (1..=model.depth()).rev() {
        let layer = model.layer(i);
        let terms = layer.filter_length() * layer.filter_count();
        chain[i - 1] = chain[i].products(filters[i - 1], terms);
    }
    // The forward pass from the signal, and the differences from the true chain.
    let mut estimate = chain[0].sum(noise);
    longest = longest.max(estimate.bits());
    for i in 1..=model.depth() {
        let layer = model.layer(i);
        let terms = layer.filter_length() * layer.input_channels();
        let correlation = estimate.products(filters[i - 1], terms);
        estimate = correlation.sum(thresholds[i - 1]);
        let difference = chain[i].sum(estimate);
        longest = longest
            .max(chain[i].bits())
            .max(correlation.bits())
            .max(difference.bits());
    }
    longest
}
