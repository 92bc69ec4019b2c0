//! A network's layers with their weights read and their shapes checked against one another:
//! the input side of a certificate, before any folding.

use std::path::Path;

use super::error::NetworkError;
use super::manifest::{AveragePool, BatchNormNames, ManifestLayer, read_manifest};
use super::weights::WeightFile;
use crate::model::{FilterShape, Grid, GridGeometry, Padding};

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

/// A network as read, one-dimensional or on images: the layers in [`NetworkFile`]'s form (an
/// image layer's weights `[out][in][kh][kw]` as `[out, in, kh kw]`, taps row-major, with its
/// columns' stride and padding), and, for an image manifest, each layer's filter shape and
/// both axes' geometry.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadNetwork {
    /// The layers.
    pub file: NetworkFile,
    /// The grids, for an image manifest (`input.shape` `[H, W]`).
    pub image: Option<ImageLayers>,
}

/// The two-dimensional side of an image network.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageLayers {
    /// The input's `H × W`.
    pub input: Grid,
    /// Per layer, in order.
    pub layers: Vec<LayerGrid>,
}

/// One image layer's filter shape and geometry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerGrid {
    /// `n_h × n_w`, the `kh × kw` of the weight.
    pub filter_shape: FilterShape,
    /// The stride and padding of both axes.
    pub geometry: GridGeometry,
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
/// An image manifest is refused here, naming `input.shape`: [`read_network`] reads both kinds.
pub fn load_network(weights: &Path, manifest_path: &Path) -> Result<NetworkFile, NetworkError> {
    let read = read_network(weights, manifest_path)?;
    if read.image.is_some() {
        return Err(NetworkError::Field {
            path: manifest_path.to_path_buf(),
            field: "input.shape".into(),
            message: "is [H, W], an image network; this reader takes one-dimensional networks (read_network reads both)".into(),
        });
    }
    Ok(read.file)
}

/// Reads a network of either kind ([`load_network`]'s checks; for an image manifest each weight
/// is `[out, in, kh, kw]`, and the grids `H_i × W_i` are checked layer by layer, every refusal
/// naming the layer).
pub fn read_network(weights: &Path, manifest_path: &Path) -> Result<ReadNetwork, NetworkError> {
    let manifest = read_manifest(manifest_path)?;
    let mut file = WeightFile::open(weights)?;
    let mut channels = manifest.input_channels;
    let mut layers = Vec::with_capacity(manifest.layers.len());
    let mut grids = Vec::new();
    let input_grid = manifest.input_grid();
    let mut grid = input_grid;
    for (index, written) in manifest.layers.iter().enumerate() {
        let (layer, layer_grid) = read_layer(&mut file, weights, (index, channels), written)?;
        channels = layer.shape[0];
        layers.push(layer);
        if let (Some(input), Some(layer_grid)) = (grid, layer_grid) {
            grid = Some(output_grid(manifest_path, index, input, layer_grid)?);
            grids.push(layer_grid);
        }
    }
    Ok(ReadNetwork {
        file: NetworkFile {
            input_channels: manifest.input_channels,
            input_shape: manifest.input_shape,
            layers,
        },
        image: input_grid.map(|input| ImageLayers {
            input,
            layers: grids,
        }),
    })
}

/// The output grid of image layer `index + 1` on `input`, or the refusal naming the layer.
fn output_grid(
    manifest: &Path,
    index: usize,
    input: Grid,
    layer: LayerGrid,
) -> Result<Grid, NetworkError> {
    let refuse = |message: String| NetworkError::Field {
        path: manifest.to_path_buf(),
        field: format!("layers[{index}] (layer {})", index + 1),
        message,
    };
    let circular = |axis: &str, length: usize, n: usize| {
        refuse(format!(
            "the {axis} axis is circular over {length} positions, fewer than 2 n − 1 = {} for a filter of {n}",
            2 * n - 1
        ))
    };
    let (geometry, shape) = (layer.geometry, layer.filter_shape);
    if geometry.rows.padding == Padding::Circular && input.rows < 2 * shape.rows - 1 {
        return Err(circular("rows", input.rows, shape.rows));
    }
    if geometry.columns.padding == Padding::Circular && input.columns < 2 * shape.columns - 1 {
        return Err(circular("columns", input.columns, shape.columns));
    }
    geometry
        .output_grid(index + 1, input, shape)
        .map_err(|error| {
            refuse(format!(
                "on the input grid {} × {}: {error}",
                input.rows, input.columns
            ))
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

/// Layer `index + 1`, whose input has `channels` channels, with its grid when the manifest is
/// an image manifest.
fn read_layer(
    file: &mut WeightFile,
    path: &Path,
    (index, channels): (usize, usize),
    written: &ManifestLayer,
) -> Result<(NetworkLayer, Option<LayerGrid>), NetworkError> {
    let weight = file.tensor(&written.weight)?;
    let (out, kernel, grid) =
        weight_shape(&weight.shape, written, (index, channels)).map_err(|message| {
            NetworkError::Tensor {
                path: path.to_path_buf(),
                tensor: written.weight.clone(),
                message: format!("layer {} (layers[{index}].weight): {message}", index + 1),
            }
        })?;
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
    let layer = NetworkLayer {
        shape: [out, channels, kernel],
        weight: weight.values,
        bias,
        stride: written.stride,
        padding: written.padding,
        batch_norm,
        average_pool: written.average_pool,
    };
    Ok((layer, grid))
}

/// `(out, taps, grid)` of layer `index + 1`'s weight of shape `shape`, whose input has
/// `channels` channels: `[out, channels, kernel]` in a one-dimensional manifest, `[out,
/// channels, kh, kw]` in an image manifest; otherwise the message saying which was expected.
fn weight_shape(
    shape: &[usize],
    written: &ManifestLayer,
    (index, channels): (usize, usize),
) -> Result<(usize, usize, Option<LayerGrid>), String> {
    let source = if index == 0 {
        "the input's channels".to_string()
    } else {
        format!("layer {index}'s out")
    };
    match (shape, written.rows) {
        (&[out, input, kernel], None) if out > 0 && input == channels && kernel > 0 => {
            Ok((out, kernel, None))
        }
        (&[out, input, rows, columns], Some(row_geometry))
            if out > 0 && input == channels && rows > 0 && columns > 0 =>
        {
            let geometry = GridGeometry {
                rows: row_geometry,
                columns: crate::model::Geometry {
                    stride: written.stride,
                    padding: written.padding,
                },
            };
            let filter_shape = FilterShape { rows, columns };
            let grid = LayerGrid {
                filter_shape,
                geometry,
            };
            Ok((out, rows * columns, Some(grid)))
        }
        (found @ [_, _, _, _], None) => Err(format!(
            "shape {found:?} is a Conv2d weight [out, in, kh, kw]; this manifest's input is one-dimensional (input.shape [N] or none), whose weights are [out, {channels}, kernel] (an image network gives input.shape [H, W])"
        )),
        (found @ [_, _, _], Some(_)) => Err(format!(
            "shape {found:?} is a Conv1d weight [out, in, kernel]; this image manifest (input.shape [H, W]) expects [out, {channels}, kh, kw] as PyTorch's Conv2d stores it"
        )),
        (found, None) => Err(format!(
            "expected shape [out, {channels}, kernel] ([out][in][kernel] as PyTorch's Conv1d stores it, in = {channels}, {source}; out and kernel at least 1), found {found:?}"
        )),
        (found, Some(_)) => Err(format!(
            "expected shape [out, {channels}, kh, kw] ([out][in][kh][kw] as PyTorch's Conv2d stores it, in = {channels}, {source}; out, kh and kw at least 1), found {found:?}"
        )),
    }
}
