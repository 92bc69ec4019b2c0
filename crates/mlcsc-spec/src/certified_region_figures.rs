//! The certificate's figures read off a folded network: per live channel `ρ`, `β` and `μ_c`
//! as `f64` from the fold's exact squares and signs, and each layer's geometry, as the
//! specification's [`LayerFigures`]. `mlcsc certify` and the entry `certified-region` both read
//! a network through these functions.

use std::cmp::Ordering;

use crate::certified_region::{ChannelFigures, LayerFigures};
use crate::folding::{FoldedLayer, FoldedNetwork};
use crate::model::Padding;
use crate::scalar::Scalar;

/// `sqrt` of a nonnegative square given in the scalar type, in `f64`.
fn root<S: Scalar>(square: &S) -> f64 {
    square.to_f64().max(0.0).sqrt()
}

/// The filter length `n_i` of a folded layer (pooling folded in).
pub fn filter_length<S>(layer: &FoldedLayer<S>) -> usize {
    layer
        .weights
        .first()
        .and_then(|filter| filter.first())
        .map_or(0, Vec::len)
}

/// The figures of every live channel of `layer`.
pub fn channel_figures<S: Scalar>(layer: &FoldedLayer<S>) -> Vec<ChannelFigures> {
    (0..layer.live.len())
        .map(|k| {
            let magnitude = root(&layer.thresholds_squared[k]);
            let beta = match layer.threshold_signs[k] {
                Ordering::Less => -magnitude,
                Ordering::Equal => 0.0,
                Ordering::Greater => magnitude,
            };
            ChannelFigures {
                channel: layer.live[k],
                rho: root(&layer.norms_squared[k]),
                beta,
                coherence: root(&layer.channel_coherence_squared[k]),
            }
        })
        .collect()
}

/// Every layer's figures; the window of layer `i` is `n_{i+1}`, and `n_K` at the last layer
/// (the declared `w_K = n_K`).
pub fn layer_figures<S: Scalar>(folded: &FoldedNetwork<S>) -> Vec<LayerFigures> {
    let layers = &folded.layers;
    layers
        .iter()
        .enumerate()
        .map(|(index, layer)| {
            let circular = layer.geometry.padding == Padding::Circular;
            let (window, window_wraps) = match layers.get(index + 1) {
                Some(next) => (
                    filter_length(next),
                    next.geometry.padding == Padding::Circular && !circular,
                ),
                None => (filter_length(layer), !circular),
            };
            LayerFigures {
                layer: layer.number,
                channels: channel_figures(layer),
                filter_length: filter_length(layer),
                stride: layer.geometry.stride,
                window,
                window_wraps,
            }
        })
        .collect()
}
