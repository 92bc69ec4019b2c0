//! A network's layers with their weights read and their shapes checked against one another:
//! the input side of a certificate, before any folding.

use std::path::Path;

use super::error::NetworkError;
use super::manifest::{AveragePool, BatchNormNames, ManifestLayer, read_manifest};
use super::weights::WeightFile;
use crate::model::Padding;

/// A network as read: its input and its layers, every tensor converted exactly to `f64`.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkFile {
    /// The input's channels, `m_0`.
    pub input_channels: usize,
    /// The input's length `[N]`, when the manifest gives it.
    pub input_shape: Option<Vec<usize>>,
    /// The layers, in order.
    pub layers: Vec<NetworkLayer>,
}

/// One convolutional layer: an optional average pooling, the convolution, the ReLU, and an
/// optional batch normalisation before or after the ReLU.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkLayer {
    /// `[out, in, kernel]`.
    pub shape: [usize; 3],
    /// `weight[(c · in + c') · kernel + t] = w[c][c'][t]`, PyTorch's `Conv1d` layout.
    pub weight: Vec<f64>,
    /// The bias, `[out]`, when the layer has one.
    pub bias: Option<Vec<f64>>,
    /// The stride `σ`.
    pub stride: usize,
    /// The padding.
    pub padding: Padding,
    /// The batch normalisation, when the layer has one.
    pub batch_norm: Option<BatchNorm>,
    /// The average pooling before the convolution, when the layer has one.
    pub average_pool: Option<AveragePool>,
}

/// A batch normalisation's tensors, each `[out]`, and its `ε`.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNorm {
    /// `γ`.
    pub weight: Vec<f64>,
    /// `β`.
    pub bias: Vec<f64>,
    /// The running mean.
    pub running_mean: Vec<f64>,
    /// The running variance (every entry at least 0).
    pub running_var: Vec<f64>,
    /// `ε`, added to the variance.
    pub eps: f64,
    /// Whether it follows the ReLU (`false`: between the convolution and the ReLU).
    pub after_activation: bool,
}

/// Reads a network: its manifest, then every tensor the manifest names from the weight file
/// (`.safetensors` or `.npz`, by extension), each shape checked (weight `[out][in][kernel]`
/// with `in` the previous layer's `out` or the input's channels, bias and batch-norm tensors
/// `[out]`); any problem is refused before anything is returned, naming the file, the layer,
/// the tensor, and the shape expected and found.
pub fn load_network(weights: &Path, manifest: &Path) -> Result<NetworkFile, NetworkError> {
    let manifest = read_manifest(manifest)?;
    let mut file = WeightFile::open(weights)?;
    let mut channels = manifest.input_channels;
    let mut layers = Vec::with_capacity(manifest.layers.len());
    for (index, written) in manifest.layers.iter().enumerate() {
        let layer = read_layer(&mut file, weights, (index, channels), written)?;
        channels = layer.shape[0];
        layers.push(layer);
    }
    Ok(NetworkFile {
        input_channels: manifest.input_channels,
        input_shape: manifest.input_shape,
        layers,
    })
}

/// The `[out]` tensors of one layer: its bias and batch-norm tensors.
struct OutVectors<'a> {
    file: &'a mut WeightFile,
    path: &'a Path,
    index: usize,
    out: usize,
}

impl OutVectors<'_> {
    /// The tensor `name` of field `key`, refused unless its shape is `[out]`.
    fn read(&mut self, key: &str, name: &str) -> Result<Vec<f64>, NetworkError> {
        let tensor = self.file.tensor(name)?;
        if tensor.shape != [self.out] {
            return Err(NetworkError::Tensor {
                path: self.path.to_path_buf(),
                tensor: name.to_string(),
                message: format!(
                    "layer {} (layers[{}].{key}): expected shape [{}] (the weight's out), found {:?}",
                    self.index + 1,
                    self.index,
                    self.out,
                    tensor.shape
                ),
            });
        }
        Ok(tensor.values)
    }

    /// The tensors of a batch normalisation; a negative running variance is refused.
    fn batch_norm(&mut self, names: &BatchNormNames) -> Result<BatchNorm, NetworkError> {
        let running_var = self.read("batch-norm.running-var", &names.running_var)?;
        if let Some(channel) = running_var.iter().position(|&v| v < 0.0) {
            return Err(NetworkError::Tensor {
                path: self.path.to_path_buf(),
                tensor: names.running_var.clone(),
                message: format!(
                    "layer {}: entry [{channel}] of the running variance is {}; a variance is at least 0",
                    self.index + 1,
                    running_var[channel]
                ),
            });
        }
        Ok(BatchNorm {
            weight: self.read("batch-norm.weight", &names.weight)?,
            bias: self.read("batch-norm.bias", &names.bias)?,
            running_mean: self.read("batch-norm.running-mean", &names.running_mean)?,
            running_var,
            eps: names.eps,
            after_activation: names.after_activation,
        })
    }
}

/// Layer `index + 1`, whose input has `channels` channels.
fn read_layer(
    file: &mut WeightFile,
    path: &Path,
    (index, channels): (usize, usize),
    written: &ManifestLayer,
) -> Result<NetworkLayer, NetworkError> {
    let number = index + 1;
    let source = if index == 0 {
        "the input's channels".to_string()
    } else {
        format!("layer {index}'s out")
    };
    let weight = file.tensor(&written.weight)?;
    let out = match weight.shape.as_slice() {
        &[out, input, kernel] if out > 0 && input == channels && kernel > 0 => out,
        found => {
            return Err(NetworkError::Tensor {
                path: path.to_path_buf(),
                tensor: written.weight.clone(),
                message: format!(
                    "layer {number} (layers[{index}].weight): expected shape [out, {channels}, kernel] ([out][in][kernel] as PyTorch's Conv1d stores it, in = {channels}, {source}; out and kernel at least 1), found {found:?}"
                ),
            });
        }
    };
    let mut vectors = OutVectors {
        file,
        path,
        index,
        out,
    };
    let bias = match &written.bias {
        None => None,
        Some(name) => Some(vectors.read("bias", name)?),
    };
    let batch_norm = match &written.batch_norm {
        None => None,
        Some(names) => Some(vectors.batch_norm(names)?),
    };
    Ok(NetworkLayer {
        shape: [out, channels, weight.shape[2]],
        weight: weight.values,
        bias,
        stride: written.stride,
        padding: written.padding,
        batch_norm,
        average_pool: written.average_pool,
    })
}
