//! A network as read ([`NetworkFile`]) as a network of the specification
//! ([`mlcsc_spec::folding::Network`]): exactly, every `f64` weight and bias being a dyadic
//! rational, when no layer has a batch normalisation; in `f64` otherwise, since a batch
//! norm's scale `γ / sqrt(var + eps)` is irrational in general. An image network
//! ([`ReadNetwork`] with grids) gives image convolutions ([`Convolution::on_grid`]).

use mlcsc_spec::folding::{BatchNorm, Convolution, Network, Stage};
use mlcsc_spec::scalar::Scalar;

use crate::io::network::{LayerGrid, NetworkFile, NetworkLayer, ReadNetwork};
use crate::scalar::Rational;

/// The network in the scalar type its numbers allow.
#[derive(Clone, Debug, PartialEq)]
pub enum SpecNetwork {
    /// No batch normalisation: every number exact.
    Exact(Network<Rational>),
    /// A batch normalisation folded in `f64`.
    Float(Network<f64>),
}

/// `value` as the rational it is (a finite `f64` is `m · 2^e`), or the message naming it.
pub fn exact_rational(value: f64) -> Result<Rational, String> {
    Rational::from_float(value).ok_or_else(|| format!("{value} is not a finite number"))
}

/// The network of `file`: exact without batch norms, `f64` with one. Errors name the layer
/// (from 1) and the tensor whose entry is not finite.
pub fn spec_network(file: &NetworkFile) -> Result<SpecNetwork, String> {
    spec_network_on_grids(file, &[])
}

/// The network of a one-dimensional or image network as read ([`spec_network`] with each
/// image layer's filter shape and axes).
pub fn spec_read_network(read: &ReadNetwork) -> Result<SpecNetwork, String> {
    let grids = read.image.as_ref().map_or(&[][..], |image| &image.layers);
    spec_network_on_grids(&read.file, grids)
}

/// [`spec_network`] with `grids[i]` the filter shape and axes of layer `i + 1` (none: every
/// layer one-dimensional).
fn spec_network_on_grids(file: &NetworkFile, grids: &[LayerGrid]) -> Result<SpecNetwork, String> {
    if file.layers.iter().any(|l| l.batch_norm.is_some()) {
        let stages = stages_of(file, grids, |value, _| Ok(value))?;
        return Ok(SpecNetwork::Float(Network {
            input_channels: file.input_channels,
            stages,
        }));
    }
    let stages = stages_of(file, grids, |value, what| {
        exact_rational(value).map_err(|why| format!("{what}: {why}"))
    })?;
    Ok(SpecNetwork::Exact(Network {
        input_channels: file.input_channels,
        stages,
    }))
}

/// The stages of every layer, each number converted by `convert` (given the number and where
/// it is, for messages).
fn stages_of<S: Scalar>(
    file: &NetworkFile,
    grids: &[LayerGrid],
    convert: impl Fn(f64, &str) -> Result<S, String> + Copy,
) -> Result<Vec<Stage<S>>, String> {
    let mut stages = Vec::new();
    for (index, layer) in file.layers.iter().enumerate() {
        stages.extend(layer_stages(index + 1, (layer, grids.get(index)), convert)?);
    }
    Ok(stages)
}

/// One layer's stages: the average pool, the convolution, then the ReLU and the batch norm in
/// the manifest's order.
fn layer_stages<S: Scalar>(
    number: usize,
    (layer, grid): (&NetworkLayer, Option<&LayerGrid>),
    convert: impl Fn(f64, &str) -> Result<S, String> + Copy,
) -> Result<Vec<Stage<S>>, String> {
    let [out, input, kernel] = layer.shape;
    let mut weights = Vec::with_capacity(out);
    for c in 0..out {
        let mut filter = Vec::with_capacity(input);
        for c2 in 0..input {
            let mut taps = Vec::with_capacity(kernel);
            for t in 0..kernel {
                let value = layer.weight[(c * input + c2) * kernel + t];
                taps.push(convert(
                    value,
                    &format!("layer {number}: weight[{c}][{c2}][{t}]"),
                )?);
            }
            filter.push(taps);
        }
        weights.push(filter);
    }
    let biases = match &layer.bias {
        Some(bias) => (0..out)
            .map(|c| convert(bias[c], &format!("layer {number}: bias[{c}]")))
            .collect::<Result<Vec<S>, String>>()?,
        None => vec![S::zero(); out],
    };
    let mut convolution = Convolution::new(weights, biases)
        .map_err(|e| format!("layer {number}: {e}"))?
        .with_stride_and_padding(layer.stride, layer.padding);
    if let Some(grid) = grid {
        convolution = convolution
            .on_grid(number, grid.filter_shape, grid.geometry)
            .map_err(|e| format!("layer {number}: {e}"))?;
    }
    let mut stages = Vec::new();
    if let Some(pool) = &layer.average_pool {
        stages.push(Stage::AveragePool {
            kernel: pool.kernel,
            stride: pool.stride,
        });
    }
    stages.push(Stage::Convolution(convolution));
    match &layer.batch_norm {
        None => stages.push(Stage::Relu),
        Some(norm) => {
            let affine = batch_norm_affine(number, norm, convert)?;
            if norm.after_activation {
                stages.extend([Stage::Relu, affine]);
            } else {
                stages.extend([affine, Stage::Relu]);
            }
        }
    }
    Ok(stages)
}

/// `a = γ / sqrt(var + eps)`, `s = β − a · mean`, in `f64`, per channel.
fn batch_norm_affine<S: Scalar>(
    number: usize,
    norm: &crate::io::network::BatchNorm,
    convert: impl Fn(f64, &str) -> Result<S, String> + Copy,
) -> Result<Stage<S>, String> {
    let mut scale = Vec::with_capacity(norm.weight.len());
    let mut shift = Vec::with_capacity(norm.weight.len());
    for c in 0..norm.weight.len() {
        let a = norm.weight[c] / (norm.running_var[c] + norm.eps).sqrt();
        let s = norm.bias[c] - a * norm.running_mean[c];
        scale.push(convert(
            a,
            &format!("layer {number}: batch-norm scale[{c}]"),
        )?);
        shift.push(convert(
            s,
            &format!("layer {number}: batch-norm shift[{c}]"),
        )?);
    }
    Ok(Stage::BatchNorm(BatchNorm { scale, shift }))
}
