//! The quantities of Theorem 2 for real layers that layer `i` reads off an instance, and its
//! formulas, each written once (`proofs/theorem2_real_layers.md`, R1–R4):
//!
//! ```text
//! window of channel c   s_i μ_{i,c} |Γ_i^max| + ε_{i-1}  <  β_{i,c}  <  |Γ^min_{i,c}| − (s_i − 1) μ_{i,c} |Γ_i^max| − ε_{i-1}
//! entrywise bound       δ_{i,c} = ε_{i-1} + (s_i − 1) μ_{i,c} |Γ_i^max| + β_{i,c}      (hard thresholding: without β_{i,c})
//! next error            ε_i = sqrt(p_i) · max over the channels c holding support of δ_{i,c}
//! ```
//!
//! The window of a channel without support has no upper end.

use crate::model::{FilterShape, Grid, Layer, LayerVector, Model};
use crate::operators::synthesis_onto_grid;
use crate::scalar::Scalar;
use crate::strided_coherence::channel_coherence;
use crate::strided_norms::{
    periodic_patch_sparsity, strided_patch_sparsity, strided_stripe_sparsity,
};
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

/// Where the coherence of a layer's atoms is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoherenceSource {
    /// `μ_{i,c}`: the largest correlation of filter `c` with any filter at a displacement in
    /// `σ_i ℤ` ([`channel_coherence`]), the statement's.
    PerAtom,
    /// One number for every channel: the largest `|⟨d_j, d_k⟩|` over distinct atoms of the
    /// dictionary as it is, truncated border atoms included ([`truncated_gram_maximum`]), the
    /// naive reading of a negative control.
    TruncatedGram,
}

/// The quantities of layer `i` that the statement reads off the instance.
#[derive(Clone, Debug, PartialEq)]
pub struct RealLayerProfile<S> {
    /// The layer, from 1.
    pub layer: usize,
    /// `μ_{i,c}` for each output channel `c`.
    pub channel_coherence: Vec<S>,
    /// `s_i`: the largest count of nonzeros of `Γ_i` over the strided stripes.
    pub stripe_sparsity: usize,
    /// `p_i`: the largest count of nonzeros of `Γ_i` in one support of a layer-`(i+1)` atom, or
    /// in one periodic last patch (`w_K` consecutive positions, `h × w_K` on an image) at the
    /// last layer.
    pub patch_sparsity: usize,
    /// `|Γ_i^max|` (0 for an all-zero `Γ_i`).
    pub gamma_max: S,
    /// `|Γ^min_{i,c}|` for each channel, `None` where channel `c` of `Γ_i` is all zero.
    pub channel_min: Vec<Option<S>>,
}

/// The profile of layer `i` given `Γ_i` (`gamma`, on the model's grid `N_i`), reading `μ`
/// from `source`; `last_patch` is the last layer's patch (`1 × w_K` on a line).
pub fn real_layer_profile<S: Scalar>(
    model: &Model<S>,
    layer: usize,
    gamma: &LayerVector<S>,
    last_patch: FilterShape,
    source: CoherenceSource,
) -> RealLayerProfile<S> {
    let dictionary = model.layer(layer);
    let channel_coherence = match source {
        CoherenceSource::PerAtom => channel_coherence(dictionary),
        CoherenceSource::TruncatedGram => {
            let input = model.grid(layer - 1);
            vec![truncated_gram_maximum(dictionary, input); dictionary.filter_count()]
        }
    };
    let patch_sparsity = if layer < model.depth() {
        strided_patch_sparsity(layer + 1, gamma, model.layer(layer + 1))
            .expect("shapes validated at construction")
    } else {
        periodic_patch_sparsity(gamma, last_patch)
    };
    RealLayerProfile {
        layer,
        channel_coherence,
        stripe_sparsity: strided_stripe_sparsity(gamma, dictionary),
        patch_sparsity,
        gamma_max: gamma.max_abs(),
        channel_min: channel_minima(gamma),
    }
}

/// `|Γ^min_{c}|` for each channel of `gamma`: the smallest nonzero magnitude in channel `c`,
/// `None` when the channel is all zero.
pub fn channel_minima<S: Scalar>(gamma: &LayerVector<S>) -> Vec<Option<S>> {
    let mut minima: Vec<Option<S>> = vec![None; gamma.channels()];
    for (_, channel, value) in gamma.support() {
        let magnitude = value.abs();
        let slot = &mut minima[channel];
        if slot.as_ref().is_none_or(|m| magnitude < *m) {
            *slot = Some(magnitude);
        }
    }
    minima
}

/// The largest `|⟨d_j, d_k⟩|` over pairs of distinct atoms of `layer` as it acts on the
/// `input` grid, truncated border atoms included: what one computes by taking the
/// dictionary's Gram matrix at face value. Only atoms in one another's stripe can meet.
pub fn truncated_gram_maximum<S: Scalar>(layer: &Layer<S>, input: Grid) -> S {
    let (geometry, shape) = (layer.grid_geometry(), layer.filter_shape());
    let output = geometry
        .output_grid(1, input, shape)
        .expect("shapes validated at construction");
    let m = layer.filter_count();
    // Each atom kept as its nonzero entries (index, value), in increasing index, so that an
    // inner product costs the atoms' supports rather than the whole signal.
    let atoms: Vec<Vec<(usize, S)>> = (0..output.positions() * m)
        .map(|k| {
            let mut gamma = LayerVector::zeros_on(output, m);
            gamma.set(k / m, k % m, S::one());
            let atom = synthesis_onto_grid(layer, &gamma, input);
            (atom.entries().iter().cloned().enumerate())
                .filter(|(_, v)| !v.is_zero())
                .collect()
        })
        .collect();
    let inner_product = |a: &[(usize, S)], b: &[(usize, S)]| {
        let (mut i, mut j, mut sum) = (0, 0, S::zero());
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    S::multiply_accumulate(&mut sum, &a[i].1, &b[j].1);
                    (i, j) = (i + 1, j + 1);
                }
            }
        }
        sum
    };
    let mut best = S::zero();
    for p in 0..output.positions() {
        for q in geometry.stripe_positions(p, output, shape) {
            for (c, c2) in (0..m).flat_map(|c| (0..m).map(move |c2| (c, c2))) {
                if (q, c2) == (p, c) {
                    continue;
                }
                let product = inner_product(&atoms[p * m + c], &atoms[q * m + c2]).abs();
                if product > best {
                    best = product;
                }
            }
        }
    }
    best
}

impl<S: Scalar> RealLayerProfile<S> {
    /// `μ_{i,c} |Γ_i^max|`.
    fn coherence_times_max(&self, c: usize) -> S {
        self.channel_coherence[c].clone() * self.gamma_max.clone()
    }

    /// The interference on channel `c`, `(s_i − 1) μ_{i,c} |Γ_i^max|` (lemma L2 on the support).
    pub fn interference(&self, c: usize) -> S {
        S::from_integer(self.stripe_sparsity.saturating_sub(1) as i64) * self.coherence_times_max(c)
    }

    /// The rational part of the window's lower end of channel `c`, `s_i μ_{i,c} |Γ_i^max|`
    /// (the window's lower end adds `ε_{i-1}`).
    pub fn window_low(&self, c: usize) -> S {
        S::from_integer(self.stripe_sparsity as i64) * self.coherence_times_max(c)
    }

    /// The rational part of the window's upper end of channel `c`,
    /// `|Γ^min_{i,c}| − (s_i − 1) μ_{i,c} |Γ_i^max|` (the upper end subtracts `ε_{i-1}`), or
    /// `None` for a channel without support.
    pub fn window_high(&self, c: usize) -> Option<S> {
        let minimum = self.channel_min[c].clone()?;
        Some(minimum - self.interference(c))
    }

    /// The rational part of `δ_{i,c}`, `(s_i − 1) μ_{i,c} |Γ_i^max| + β_{i,c}` (without `β_{i,c}`
    /// for hard thresholding); `δ_{i,c}` adds `ε_{i-1}`.
    pub fn entrywise_bound(&self, c: usize, threshold: &Threshold<S>, variant: Thresholding) -> S {
        let interference = self.interference(c);
        if variant == Thresholding::Hard {
            interference
        } else {
            interference + threshold.channel(c).clone()
        }
    }

    /// The channels that hold support of `Γ_i`.
    pub fn support_channels(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.channel_min.len()).filter(|&c| self.channel_min[c].is_some())
    }

    /// The rational part of `max_c δ_{i,c}` over the channels holding support (0 when none).
    pub fn largest_entrywise_bound(&self, threshold: &Threshold<S>, variant: Thresholding) -> S {
        self.support_channels()
            .map(|c| self.entrywise_bound(c, threshold, variant))
            .reduce(|a, b| if b > a { b } else { a })
            .unwrap_or_else(S::zero)
    }
}
