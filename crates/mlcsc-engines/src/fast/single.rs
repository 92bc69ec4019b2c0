//! The forward computation in `f32`, as a CNN library runs it: the same kernels as the `f64`
//! path on numbers of half the width (twice the lanes per register). The filters are rounded
//! to `f32` once; vectors are position-major `N × m` slices.
//!
//! Nothing exact rests on this path: it is measured against the `f64` one (`mlcsc bench`) and
//! checked against it in `tests/all/fast_paths.rs` within [`crate::tolerance::SINGLE_AGREEMENT_RELATIVE`].

use super::correlation::Correlation;
use super::norms::{
    difference_energies, nonzeros_per_position, windowed_count_maximum, windowed_maximum,
};
use super::threshold::threshold_entries;
use crate::model::Model;
use crate::thresholding::Thresholding;

/// One layer's operators `D_i` and `D_iᵀ` in `f32`.
#[derive(Clone, Debug)]
struct SingleLayer {
    analysis: Correlation<f32>,
    synthesis: Correlation<f32>,
}

/// A model whose filters are rounded to `f32`.
#[derive(Clone, Debug)]
pub struct SingleModel {
    layers: Vec<SingleLayer>,
}

fn reshaped(out: &mut Vec<f32>, entries: usize) {
    if out.len() != entries {
        out.clear();
        out.resize(entries, 0.0);
    }
}

impl SingleModel {
    /// The model with every tap rounded to the nearest `f32`.
    pub fn new(model: &Model<f64>) -> Self {
        SingleModel {
            layers: model
                .layers()
                .iter()
                .map(|layer| SingleLayer {
                    analysis: Correlation::analysis(layer),
                    synthesis: Correlation::synthesis(layer),
                })
                .collect(),
        }
    }

    /// The number of layers `K`.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// `[Γ_0 = X, …, Γ_{K-1}]` from `Γ_K` (`N × m_K`) into `chain`, reusing its vectors.
    ///
    /// # Panics
    ///
    /// If `Γ_K` is not `length × m_K`.
    pub fn synthesis_chain_into(&self, deepest: &[f32], length: usize, chain: &mut Vec<Vec<f32>>) {
        let depth = self.depth();
        chain.resize_with(depth, Vec::new);
        for i in (0..depth).rev() {
            let (lower, upper) = chain.split_at_mut(i + 1);
            let input: &[f32] = upper.first().map_or(deepest, |v| v.as_slice());
            let synthesis = &self.layers[i].synthesis;
            let out = &mut lower[i];
            reshaped(out, length * synthesis.channels_out());
            synthesis.correlate(input, length, out, &|_: &mut [f32]| {});
        }
    }

    /// `D_iᵀ Z` of layer `i` (from 1) into `out`, without thresholding: the product alone.
    ///
    /// # Panics
    ///
    /// If `i` is not a layer, or `Z` is not `length × m_{i-1}`.
    pub fn analysis_into(&self, i: usize, z: &[f32], length: usize, out: &mut Vec<f32>) {
        let analysis = &self.layers[i - 1].analysis;
        reshaped(out, length * analysis.channels_out());
        analysis.correlate(z, length, out, &|_: &mut [f32]| {});
    }

    /// Layered thresholding `Γ̂_i = T_{β_i}(D_iᵀ Γ̂_{i-1})`, `Γ̂_0 = Y`, into `estimates`.
    ///
    /// # Panics
    ///
    /// If there is not one threshold per layer, or `Y` is not `length × m_0`.
    pub fn layered_thresholding_into(
        &self,
        signal: &[f32],
        length: usize,
        thresholds: &[f32],
        thresholding: Thresholding,
        estimates: &mut Vec<Vec<f32>>,
    ) {
        assert_eq!(thresholds.len(), self.depth(), "one threshold per layer");
        estimates.resize_with(self.depth(), Vec::new);
        for (i, (layer, beta)) in self.layers.iter().zip(thresholds).enumerate() {
            let (lower, upper) = estimates.split_at_mut(i);
            let input: &[f32] = lower.last().map_or(signal, |v| v.as_slice());
            let out = &mut upper[0];
            reshaped(out, length * layer.analysis.channels_out());
            let finish = |block: &mut [f32]| threshold_entries(block, thresholding, *beta);
            layer.analysis.correlate(input, length, out, &finish);
        }
    }
}

/// `(‖A − B‖^P_{2,∞}(w))²` of two `N × channels` vectors, summed in `f64`.
pub fn difference_patch_norm_squared(a: &[f32], b: &[f32], channels: usize, width: usize) -> f64 {
    windowed_maximum(&difference_energies(a, b, channels), width)
}

/// `(‖Γ‖^S_{0,∞}, ‖Γ‖^P_{0,∞}(w))` of an `N × channels` vector, filter length `n`.
pub fn stripe_and_patch_sparsity(
    gamma: &[f32],
    channels: usize,
    filter_length: usize,
    width: usize,
) -> (usize, usize) {
    let counts = nonzeros_per_position(gamma, channels);
    (
        windowed_count_maximum(&counts, 2 * filter_length - 1),
        windowed_count_maximum(&counts, width),
    )
}
