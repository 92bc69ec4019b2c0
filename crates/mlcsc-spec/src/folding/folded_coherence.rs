//! The coherence of the folded filters, squared, from the unfolded weights and the previous
//! layer's squared norms (`proofs/folding.md`, F5): no square root is taken, so it is exact
//! for rational weights even when the norms are irrational.

use crate::scalar::Scalar;
use crate::strided_coherence::strided_displacements;

/// `⟨W'_c, W'_d displaced by δ⟩ = Σ_{c'} Σ_t W[c, c', t] W[d, c', t + δ] ρ²_{i-1, c'}` (taps
/// outside `[0, n)` read as 0), where `W' = W · ρ_{i-1}` and `weights[c][c'][t] = W[c, c', t]`.
pub fn weighted_correlation<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    c: usize,
    d: usize,
    delta: isize,
) -> S {
    let (first, second) = if delta >= 0 { (c, d) } else { (d, c) };
    let shift = delta.unsigned_abs();
    let mut sum = S::zero();
    for ((a, b), weight) in weights[first]
        .iter()
        .zip(&weights[second])
        .zip(previous_norms_squared)
    {
        let overlap = a.len().saturating_sub(shift);
        let mut channel = S::zero();
        for t in 0..overlap {
            S::multiply_accumulate(&mut channel, &a[t], &b[t + shift]);
        }
        S::multiply_accumulate(&mut sum, &channel, weight);
    }
    sum
}

/// `⟨F_c, F_d displaced by δ⟩² = ⟨W'_c, W'_d displaced by δ⟩² / (ρ_c² ρ_d²)`, the squared
/// correlation of two unit folded filters, for `(c, d, δ)`.
pub fn folded_correlation_squared<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    norms_squared: &[S],
    (c, d, delta): (usize, usize, isize),
) -> S {
    let g = weighted_correlation(weights, previous_norms_squared, c, d, delta);
    g.clone() * g / (norms_squared[c].clone() * norms_squared[d].clone())
}

/// The largest [`folded_correlation_squared`] of channel `c` over `pairs` `(d, δ)`, and 0 when
/// there are none.
pub fn largest_correlation_squared<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    norms_squared: &[S],
    c: usize,
    pairs: impl IntoIterator<Item = (usize, isize)>,
) -> S {
    let mut best = S::zero();
    for (d, delta) in pairs {
        let value = folded_correlation_squared(
            weights,
            previous_norms_squared,
            norms_squared,
            (c, d, delta),
        );
        if value > best {
            best = value;
        }
    }
    best
}

/// `μ_c²` of every channel: `max ⟨W'_c, W'_d displaced by δ⟩² / (ρ_c² ρ_d²)` over the channels
/// `d`, `δ ∈ σℤ`, `|δ| ≤ n − 1`, `(d, δ) ≠ (c, 0)`; 0 when the set is empty. Every
/// `norms_squared[c]` must be positive (the dead channels are already dropped).
pub fn channel_coherence_squared<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    norms_squared: &[S],
    stride: usize,
) -> Vec<S> {
    let displacements = strided_displacements(weights[0][0].len(), stride);
    (0..weights.len())
        .map(|c| {
            let pairs = displacements.iter().flat_map(|&delta| {
                (0..weights.len())
                    .filter(move |&d| delta != 0 || d != c)
                    .map(move |d| (d, delta))
            });
            largest_correlation_squared(weights, previous_norms_squared, norms_squared, c, pairs)
        })
        .collect()
}
