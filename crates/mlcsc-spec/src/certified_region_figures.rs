//! The certificate's figures read off a folded network: per live channel `ρ`, `β` and `μ_c`
//! as `f64` from the fold's exact squares and signs, and each layer's geometry, as the
//! specification's [`LayerFigures`]. `mlcsc certify` and the entry `certified-region` both read
//! a network through these functions.

use std::cmp::Ordering;

use crate::certified_region::{AxisFigures, ChannelFigures, LayerFigures};
use crate::folding::{FoldedLayer, FoldedNetwork};
use crate::model::{Geometry, Padding};
use crate::scalar::Scalar;

/// `sqrt` of a nonnegative square given in the scalar type, in `f64`.
fn root<S: Scalar>(square: &S) -> f64 {
    square.to_f64().max(0.0).sqrt()
}

/// The filter length `n_i` of a folded layer (pooling folded in); `n_w`, the columns of its
/// filters, on an image layer.
pub fn filter_length<S>(layer: &FoldedLayer<S>) -> usize {
    layer.filter_shape.columns
}

/// One axis's figures: `n` and `σ` from `axis(layer)`, the window `n` of the next layer on the
/// same axis (the layer's own at the last), wrapping when the next layer is circular on the
/// axis and this one is not (at the last: when this one is not).
fn axis_figures<S>(
    layers: &[FoldedLayer<S>],
    index: usize,
    axis: impl Fn(&FoldedLayer<S>) -> (usize, Geometry),
) -> AxisFigures {
    let (filter_length, geometry) = axis(&layers[index]);
    let circular = geometry.padding == Padding::Circular;
    let (window, window_wraps) = match layers.get(index + 1) {
        Some(next) => {
            let (length, next_geometry) = axis(next);
            (
                length,
                next_geometry.padding == Padding::Circular && !circular,
            )
        }
        None => (filter_length, !circular),
    };
    AxisFigures {
        filter_length,
        stride: geometry.stride,
        window,
        window_wraps,
    }
}

/// Every layer's rows axis (`proofs/two_dimensions.md`, G11), as [`layer_figures`] reads the
/// columns: on a one-dimensional layer one tap at stride 1, whose one-row window is covered by
/// one stripe.
pub fn row_figures<S>(folded: &FoldedNetwork<S>) -> Vec<AxisFigures> {
    (0..folded.layers.len())
        .map(|index| {
            axis_figures(&folded.layers, index, |l| {
                (l.filter_shape.rows, l.row_geometry)
            })
        })
        .collect()
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
            let columns = axis_figures(layers, index, |l| (filter_length(l), l.geometry));
            LayerFigures {
                layer: layer.number,
                channels: channel_figures(layer),
                filter_length: columns.filter_length,
                stride: columns.stride,
                window: columns.window,
                window_wraps: columns.window_wraps,
            }
        })
        .collect()
}
