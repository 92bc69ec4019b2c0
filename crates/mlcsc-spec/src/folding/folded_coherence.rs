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
            let mut best = S::zero();
            for &delta in &displacements {
                for d in 0..weights.len() {
                    if delta == 0 && d == c {
                        continue;
                    }
                    let g = weighted_correlation(weights, previous_norms_squared, c, d, delta);
                    let value =
                        g.clone() * g / (norms_squared[c].clone() * norms_squared[d].clone());
                    if value > best {
                        best = value;
                    }
                }
            }
            best
        })
        .collect()
}
