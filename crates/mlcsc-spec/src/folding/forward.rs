//! The network run as written, stage after stage, as a framework runs it: the reference the
//! folded model is tested against (`tests/all/folding.rs`).

use super::error::{FoldingError, StagePlace};
use super::network::{BatchNorm, Network, Stage};
use crate::model::LayerVector;
use crate::pursuit::cnn::relu;
use crate::scalar::Scalar;

/// The output of `network` on `input` (`L` positions × `m_0` channels), every stage applied as
/// written. Errors: an input or a stage whose channels do not match, naming the stage.
pub fn forward<S: Scalar>(
    network: &Network<S>,
    input: &LayerVector<S>,
) -> Result<LayerVector<S>, FoldingError> {
    if input.channels() != network.input_channels {
        return Err(FoldingError::Channels {
            place: StagePlace {
                stage: 0,
                name: "input",
                layers_before: 0,
            },
            what: "the signal".into(),
            expected: network.input_channels,
            found: input.channels(),
        });
    }
    run_stages(&network.stages, input.clone())
}

/// The stages applied in order to `x`.
fn run_stages<S: Scalar>(
    stages: &[Stage<S>],
    mut x: LayerVector<S>,
) -> Result<LayerVector<S>, FoldingError> {
    let mut layers_before = 0;
    for (index, stage) in stages.iter().enumerate() {
        if matches!(stage, Stage::Convolution(_)) {
            layers_before += 1;
        }
        let place = StagePlace {
            stage: index + 1,
            name: stage.name(),
            layers_before,
        };
        let channels = |what: &str, found: usize| FoldingError::Channels {
            place: place.clone(),
            what: what.into(),
            expected: x.channels(),
            found,
        };
        x = match stage {
            Stage::Convolution(convolution) if !convolution.is_line() => {
                return Err(FoldingError::Refused {
                    place,
                    reason: "an image convolution: this reference runs one-dimensional networks"
                        .into(),
                });
            }
            Stage::Convolution(convolution) => {
                let layer = convolution.framework_layer();
                if layer.in_channels() != x.channels() {
                    return Err(channels("the convolution", layer.in_channels()));
                }
                layer.pre_activation(&x)
            }
            Stage::Relu => x.map(relu),
            Stage::BatchNorm(norm) => {
                if norm.scale.len() != x.channels() || norm.shift.len() != x.channels() {
                    return Err(channels("the batch norm", norm.scale.len()));
                }
                batch_norm(norm, &x)
            }
            Stage::AveragePool { kernel, stride } => pool(&x, *kernel, *stride, average),
            Stage::MaxPool { kernel, stride } => pool(&x, *kernel, *stride, maximum),
            Stage::Residual(block) => {
                let branch = run_stages(block, x.clone())?;
                if branch.channels() != x.channels() || branch.length() != x.length() {
                    return Err(channels("the block's output", branch.channels()));
                }
                x.sum(&branch)
            }
        };
    }
    Ok(x)
}

/// `a_c x + s_c` on every entry of channel `c`.
fn batch_norm<S: Scalar>(norm: &BatchNorm<S>, x: &LayerVector<S>) -> LayerVector<S> {
    let mut out = x.clone();
    for p in 0..x.length() {
        for c in 0..x.channels() {
            let mut value = norm.shift[c].clone();
            S::multiply_accumulate(&mut value, &norm.scale[c], x.get(p, c));
            out.set(p, c, value);
        }
    }
    out
}

/// The pooling of every channel by windows of `kernel` positions at step `stride` (both read
/// as at least 1), no padding: `⌊(L − k)/s⌋ + 1` outputs, none when `L < k`.
fn pool<S: Scalar>(
    x: &LayerVector<S>,
    kernel: usize,
    stride: usize,
    combine: fn(&[S]) -> S,
) -> LayerVector<S> {
    let (kernel, stride) = (kernel.max(1), stride.max(1));
    let outputs = if x.length() < kernel {
        0
    } else {
        (x.length() - kernel) / stride + 1
    };
    let mut out = LayerVector::zeros(outputs, x.channels());
    for q in 0..outputs {
        for c in 0..x.channels() {
            let window: Vec<S> = (0..kernel)
                .map(|u| x.get(stride * q + u, c).clone())
                .collect();
            out.set(q, c, combine(&window));
        }
    }
    out
}

/// `(1/k) Σ_u w_u`, summed first and divided once.
fn average<S: Scalar>(window: &[S]) -> S {
    let mut sum = S::zero();
    for value in window {
        sum += value;
    }
    sum / S::from_integer(window.len() as i64)
}

/// `max_u w_u`.
fn maximum<S: Scalar>(window: &[S]) -> S {
    let mut best = window[0].clone();
    for value in &window[1..] {
        if *value > best {
            best = value.clone();
        }
    }
    best
}
