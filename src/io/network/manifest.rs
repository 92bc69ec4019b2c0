//! The network manifest, format `mlcsc-network-1`: which tensors of a weight file make each
//! convolutional layer, and the layer's stride, padding, activation, batch normalisation and
//! average pooling (`fixtures/README.md`, "The network manifest"). An input `"shape"` of two
//! lengths `[H, W]` makes the manifest an image manifest: its weights are `Conv2d`'s
//! `[out][in][kh][kw]`, a layer's `"stride"` is one number or `[σ_h, σ_w]`, and a zero
//! padding gives `top`, `bottom`, `left` and `right`, the keys of an image instance file.
//!
//! ```json
//! {"format": "mlcsc-network-1",
//!  "input": {"channels": 129, "shape": [64]},
//!  "layers": [
//!    {"weight": "conv1.weight", "bias": "conv1.bias", "stride": 1,
//!     "padding": {"mode": "zero", "left": 1, "right": 1}, "activation": "relu"}]}
//! ```

use std::path::Path;

use serde_json::Value;

use super::error::NetworkError;
use super::limits::{MAX_MANIFEST_BYTES, read_bounded};
use super::manifest_fields::{Fields, shown};
use super::manifest_layer::layer;
use crate::model::{Geometry, Grid, Padding};

/// The format of a network manifest.
pub const NETWORK_FORMAT: &str = "mlcsc-network-1";

/// A network manifest as read: the input and the layers, with tensors named, not yet read.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// The input's channels, `m_0`.
    pub input_channels: usize,
    /// The input's length `[N]`, or `[H, W]` for an image manifest, when given.
    pub input_shape: Option<Vec<usize>>,
    /// The convolutional layers, in order.
    pub layers: Vec<ManifestLayer>,
}

/// One convolutional layer of a manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct ManifestLayer {
    /// The name of the weight tensor `[out][in][kernel]`.
    pub weight: String,
    /// The name of the bias tensor `[out]`, when the layer has one.
    pub bias: Option<String>,
    /// The stride `σ` (1 when absent); `σ_w` in an image manifest.
    pub stride: usize,
    /// The padding (required); of the columns (`left`, `right`) in an image manifest.
    pub padding: Padding,
    /// The rows axis's stride `σ_h` and padding (`top`, `bottom`) in an image manifest;
    /// `None` in a one-dimensional one.
    pub rows: Option<Geometry>,
    /// The batch normalisation, when the layer has one.
    pub batch_norm: Option<BatchNormNames>,
    /// The average pooling before the convolution, when the layer has one.
    pub average_pool: Option<AveragePool>,
}

/// A batch normalisation as a manifest names it.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNormNames {
    /// The name of `γ`, `[out]`.
    pub weight: String,
    /// The name of `β`, `[out]`.
    pub bias: String,
    /// The name of the running mean, `[out]`.
    pub running_mean: String,
    /// The name of the running variance, `[out]`.
    pub running_var: String,
    /// `ε`, added to the variance.
    pub eps: f64,
    /// Whether it follows the activation (`false`: between the convolution and the activation).
    pub after_activation: bool,
}

/// An average pooling over `kernel` positions every `stride` positions, before a convolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AveragePool {
    /// The positions averaged.
    pub kernel: usize,
    /// The step between windows.
    pub stride: usize,
}

impl Manifest {
    /// The input's grid `H × W` when the manifest is an image manifest (`input.shape` of two
    /// lengths).
    pub fn input_grid(&self) -> Option<Grid> {
        match self.input_shape.as_deref() {
            Some(&[rows, columns]) => Some(Grid { rows, columns }),
            _ => None,
        }
    }
}

/// The keys of a manifest.
const MANIFEST_KEYS: [(&str, bool); 3] = [("format", true), ("input", true), ("layers", true)];

/// The keys of `input`.
const INPUT_KEYS: [(&str, bool); 2] = [("channels", true), ("shape", false)];

/// Reads a manifest file (at most [`MAX_MANIFEST_BYTES`]).
pub fn read_manifest(path: &Path) -> Result<Manifest, NetworkError> {
    let bytes = read_bounded(path, MAX_MANIFEST_BYTES, "a network manifest")?;
    let text = String::from_utf8(bytes).map_err(|e| NetworkError::File {
        path: path.to_path_buf(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {}); a manifest is a JSON file",
            e.utf8_error().valid_up_to()
        ),
    })?;
    parse_manifest(&text, path)
}

/// Parses manifest text; `path` names the manifest in errors.
pub fn parse_manifest(text: &str, path: &Path) -> Result<Manifest, NetworkError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let document: Value = serde_json::from_str(text).map_err(|e| NetworkError::File {
        path: path.to_path_buf(),
        message: format!("invalid manifest JSON: {e}"),
    })?;
    let fields = Fields { path };
    let top = fields.object(
        &document,
        "(the document)",
        &|key: &str| key.to_string(),
        ("a network manifest", &MANIFEST_KEYS),
    )?;
    let format = fields.string(&top["format"], "format")?;
    if format != NETWORK_FORMAT {
        return Err(fields.error(
            "format",
            format!("is {format:?}; this reader reads {NETWORK_FORMAT:?}"),
        ));
    }
    let (input_channels, input_shape) = input(fields, &top["input"])?;
    let Value::Array(written) = &top["layers"] else {
        return Err(fields.error(
            "layers",
            format!("expected a list of layers, found {}", shown(&top["layers"])),
        ));
    };
    if written.is_empty() {
        return Err(fields.error(
            "layers",
            "is empty: a network has at least one layer".into(),
        ));
    }
    let image = match &input_shape {
        Some(shape) if shape.len() == 2 => Some(shown(&top["input"]["shape"])),
        _ => None,
    };
    let layers = written
        .iter()
        .enumerate()
        .map(|(index, value)| layer(fields, index, value, image.as_deref()))
        .collect::<Result<_, _>>()?;
    Ok(Manifest {
        input_channels,
        input_shape,
        layers,
    })
}

/// `input.channels` and `input.shape`.
fn input(fields: Fields, value: &Value) -> Result<(usize, Option<Vec<usize>>), NetworkError> {
    let map = fields.object(
        value,
        "input",
        &|key: &str| format!("input.{key}"),
        ("the input", &INPUT_KEYS),
    )?;
    let channels = fields.whole(&map["channels"], "input.channels", 1)?;
    let shape = match map.get("shape") {
        None => None,
        Some(Value::Array(lengths)) if matches!(lengths.len(), 1 | 2) => Some(
            lengths
                .iter()
                .enumerate()
                .map(|(axis, length)| fields.whole(length, &format!("input.shape[{axis}]"), 1))
                .collect::<Result<Vec<usize>, _>>()?,
        ),
        Some(other) => {
            return Err(fields.error(
                "input.shape",
                format!(
                    "expected [N], the length of a one-dimensional signal, or [H, W], the rows and columns of an image, found {}",
                    shown(other)
                ),
            ));
        }
    };
    Ok((channels, shape))
}
