//! Layered thresholding, the pursuit that a CNN's forward pass computes (docs/math.md §4, SEED):
//! `Γ̂_0 = Y`, `Γ̂_i = T_{β_i}(D_iᵀ Γ̂_{i-1})`.

use crate::model::{LayerVector, Model};
use crate::operators::thresholded_analysis;
use crate::scalar::Scalar;
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

/// The estimates `[Γ̂_1, …, Γ̂_K]` of layered thresholding from the signal `Y`, with one
/// threshold per layer (shared by its channels or one per output channel).
pub fn layered_thresholding<S: Scalar>(
    model: &Model<S>,
    signal: &LayerVector<S>,
    thresholds: &[Threshold<S>],
    thresholding: Thresholding,
) -> Vec<LayerVector<S>> {
    assert_eq!(thresholds.len(), model.depth(), "one threshold per layer");
    let mut estimates: Vec<LayerVector<S>> = Vec::with_capacity(model.depth());
    for (layer, beta) in model.layers().iter().zip(thresholds) {
        let input = estimates.last().unwrap_or(signal);
        estimates.push(thresholded_analysis(layer, input, thresholding, beta));
    }
    estimates
}
