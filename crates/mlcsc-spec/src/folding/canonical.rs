//! A network read as a chain of layers `ReLU(W_i ⋆ A_{i-1} + b_i)` (`proofs/folding.md`, F2 to
//! F4): a batch norm before a ReLU folds into its convolution, and the batch norms and average
//! pools after it fold into the next one; every other arrangement is refused, naming the stage
//! and the layer.

use super::error::{FoldingError, StagePlace};
use super::input_transform::{InputTransform, ReluLayer};
use super::network::{BatchNorm, Network, Stage};
use crate::scalar::Scalar;

/// The layers `ReLU(W_i ⋆ A_{i-1} + b_i)` whose chain computes `network` exactly, layer 1
/// first, on every signal length the chain accepts (`proofs/folding.md`, F2 to F4).
pub fn relu_layers<S: Scalar>(network: &Network<S>) -> Result<Vec<ReluLayer<S>>, FoldingError> {
    let mut layers: Vec<ReluLayer<S>> = Vec::new();
    let mut waiting = InputTransform::default();
    let mut open: Option<(ReluLayer<S>, StagePlace)> = None;
    let mut channels = network.input_channels;
    for (index, stage) in network.stages.iter().enumerate() {
        let is_convolution = matches!(stage, Stage::Convolution(_));
        let place = StagePlace {
            stage: index + 1,
            name: stage.name(),
            layers_before: layers.len() + usize::from(open.is_some() || is_convolution),
        };
        let refuse = |reason: String| FoldingError::Refused {
            place: place.clone(),
            reason,
        };
        match stage {
            Stage::Convolution(convolution) => {
                if let Some((_, before)) = &open {
                    return Err(refuse(format!(
                        "layer {} ({before}) has no ReLU before this convolution; the model's layers are each a convolution followed by ReLU",
                        before.layers_before
                    )));
                }
                let found = convolution.weights()[0].len();
                if found != channels {
                    return Err(FoldingError::Channels {
                        place,
                        what: "the convolution".into(),
                        expected: channels,
                        found,
                    });
                }
                let layer = ReluLayer {
                    weights: convolution.weights().to_vec(),
                    biases: convolution.biases().to_vec(),
                    geometry: convolution.geometry(),
                    filter_shape: convolution.filter_shape(),
                    row_geometry: convolution.grid_geometry().rows,
                };
                let layer = std::mem::take(&mut waiting).fold_into(place.layers_before, layer)?;
                channels = layer.weights.len();
                open = Some((layer, place));
            }
            Stage::BatchNorm(norm) => {
                check_norm(norm, channels, &place)?;
                match &mut open {
                    Some((layer, _)) => fold_norm_before_relu(layer, norm),
                    None => waiting.add_affine(&norm.scale, &norm.shift, place),
                }
            }
            Stage::Relu => match open.take() {
                Some((layer, _)) => layers.push(layer),
                None => {
                    return Err(refuse(
                        "a ReLU not preceded by a convolution: the model applies one ReLU per layer, after its convolution".into(),
                    ));
                }
            },
            Stage::AveragePool { kernel, stride } => {
                if open.is_some() {
                    return Err(refuse(format!(
                        "average pooling between layer {} and its ReLU is no convolution followed by ReLU",
                        place.layers_before
                    )));
                }
                waiting.add_pool(*kernel, *stride, place);
            }
            Stage::MaxPool { .. } => {
                return Err(refuse(
                    "max pooling is not linear, so it folds into no convolution; the model has no counterpart for it".into(),
                ));
            }
            Stage::Residual(_) => {
                return Err(refuse(
                    "a residual connection adds a layer's input to its output, which the model's chain (each layer reading only the one before) does not have".into(),
                ));
            }
        }
    }
    finish(network, layers, open, &waiting)
}

/// The layers, once every stage is read: refused when a layer has no ReLU, when stages follow
/// the last ReLU, or when there is no layer.
fn finish<S: Scalar>(
    network: &Network<S>,
    layers: Vec<ReluLayer<S>>,
    open: Option<(ReluLayer<S>, StagePlace)>,
    waiting: &InputTransform<S>,
) -> Result<Vec<ReluLayer<S>>, FoldingError> {
    if let Some((_, place)) = open {
        return Err(FoldingError::Refused {
            place,
            reason: "the network ends before this layer's ReLU".into(),
        });
    }
    if let Some(place) = waiting.pending() {
        return Err(FoldingError::Refused {
            place: place.clone(),
            reason: "it follows the last ReLU: the network's output would be no code of the model"
                .into(),
        });
    }
    if layers.is_empty() {
        return Err(FoldingError::Refused {
            place: StagePlace {
                stage: network.stages.len(),
                name: "end",
                layers_before: 0,
            },
            reason: "the network has no convolution".into(),
        });
    }
    Ok(layers)
}

/// A batch norm with one scale and one shift per channel, or the error naming the stage.
fn check_norm<S: Scalar>(
    norm: &BatchNorm<S>,
    channels: usize,
    place: &StagePlace,
) -> Result<(), FoldingError> {
    for (what, found) in [("scale", norm.scale.len()), ("shift", norm.shift.len())] {
        if found != channels {
            return Err(FoldingError::Channels {
                place: place.clone(),
                what: format!("the batch norm's {what}"),
                expected: channels,
                found,
            });
        }
    }
    Ok(())
}

/// A batch norm between a convolution and its ReLU: `a_c (W_c ⋆ Z + b_c) + s_c`, so
/// `W_c ← a_c W_c` and `b_c ← a_c b_c + s_c` (a negative `a_c` negates the filter).
fn fold_norm_before_relu<S: Scalar>(layer: &mut ReluLayer<S>, norm: &BatchNorm<S>) {
    for (c, (filter, bias)) in layer.weights.iter_mut().zip(&mut layer.biases).enumerate() {
        let scale = &norm.scale[c];
        for w in filter.iter_mut().flatten() {
            *w = w.clone() * scale.clone();
        }
        let mut shifted = norm.shift[c].clone();
        S::multiply_accumulate(&mut shifted, scale, bias);
        *bias = shifted;
    }
}
