//! The keys of format `mlcsc-instance-2` that lay a layer out as a CNN layer: per layer
//! `"stride": σ` and `"padding": {"mode": "zero", "left": 1, "right": 1}` (`mode` one of
//! `circular`, `zero`, `valid`; absent means circular), and at the top `"signal-shape": [N]`
//! (`proofs/strided_dictionary.md`). Format 2 also lets a layer's `"threshold"` be a list, one
//! number per output channel. A file of format `mlcsc-instance-1` has none of them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::InstanceError;
use super::instance::{INSTANCE_FORMAT, INSTANCE_FORMAT_2, InstanceFile, LayerFile};
use super::instance_fields::{count, field, index as whole_number};
use crate::model::{Geometry, Layer, Padding};
use crate::scalar::Scalar;

/// A layer's padding as written.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "kebab-case", deny_unknown_fields)]
pub struct PaddingFile {
    /// `circular`, `zero` or `valid`.
    pub mode: String,
    /// `P^t`, zero rows above the image (mode `zero` of an image file only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<Value>,
    /// `P^b`, zero rows below the image (mode `zero` of an image file only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottom: Option<Value>,
    /// `P^l`, zeros before the signal (mode `zero` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<Value>,
    /// `P^r`, zeros after the signal (mode `zero` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<Value>,
}

super::objects_only::objects_only!(PaddingFile);

/// Refuses a key of format 2 (or a list of thresholds) in a file of format 1, naming the key.
pub(super) fn check_format_keys(file: &InstanceFile) -> Result<(), InstanceError> {
    if file.format != INSTANCE_FORMAT {
        return Ok(());
    }
    let of_format_2 = |key: &str| {
        field(
            key,
            &format!(
                "is a key of format {INSTANCE_FORMAT_2:?}; this file says {INSTANCE_FORMAT:?} (change its \"format\")"
            ),
        )
    };
    if file.signal_shape.is_some() {
        return Err(of_format_2("signal-shape"));
    }
    for (index, layer) in file.layers.iter().enumerate() {
        if layer.stride.is_some() {
            return Err(of_format_2(&format!("layers[{index}].stride")));
        }
        if layer.padding.is_some() {
            return Err(of_format_2(&format!("layers[{index}].padding")));
        }
        if layer.threshold.is_array() {
            return Err(field(
                &format!("layers[{index}].threshold (layer {})", index + 1),
                &format!(
                    "is a list (one threshold per output channel), which format {INSTANCE_FORMAT_2:?} allows; this file says {INSTANCE_FORMAT:?} (change its \"format\", or give one number)"
                ),
            ));
        }
    }
    Ok(())
}

/// `N`, from `"signal-shape": [N]` or `"signal-length": N` (exactly one of them).
pub(super) fn signal_length(file: &InstanceFile) -> Result<usize, InstanceError> {
    match (&file.signal_shape, &file.signal_length) {
        (Some(_), Some(_)) => Err(field(
            "signal-shape",
            "and signal-length are both given; give one (signal-shape in format 2)",
        )),
        (None, None) => Err(field(
            "signal-shape",
            "is missing: give \"signal-shape\": [N] (or \"signal-length\": N)",
        )),
        (None, Some(length)) => count(length, "signal-length"),
        (Some(shape), None) => match shape.as_array().map(Vec::as_slice) {
            Some([length]) => count(length, "signal-shape[0]"),
            _ => Err(field(
                "signal-shape",
                &format!(
                    "{shape} is not [N] or [H, W]: a one-dimensional signal has one length, an image two"
                ),
            )),
        },
    }
}

/// Layer `index + 1`'s stride and padding as written (stride 1 and circular when absent).
pub(super) fn layer_geometry(index: usize, layer: &LayerFile) -> Result<Geometry, InstanceError> {
    let number = index + 1;
    let stride = match &layer.stride {
        None => 1,
        Some(value) => count(value, &format!("layers[{index}].stride (layer {number})"))?,
    };
    let padding = match &layer.padding {
        None => Padding::Circular,
        Some(padding) => padding_of(index, padding)?,
    };
    Ok(Geometry { stride, padding })
}

fn padding_of(index: usize, padding: &PaddingFile) -> Result<Padding, InstanceError> {
    let name = |key: &str| format!("layers[{index}].padding.{key} (layer {})", index + 1);
    let amount = |key: &str, value: &Option<Value>| match value {
        None => Ok(None),
        Some(value) => whole_number(value, &name(key)).map(Some),
    };
    let left = amount("left", &padding.left)?;
    let right = amount("right", &padding.right)?;
    match padding.mode.as_str() {
        "zero" => Ok(Padding::Zero {
            left: left.unwrap_or(0),
            right: right.unwrap_or(0),
        }),
        "circular" | "valid" if left.is_some() || right.is_some() => Err(field(
            &name("mode"),
            &format!(
                "{:?} takes no amounts; only mode \"zero\" has left and right",
                padding.mode
            ),
        )),
        "circular" => Ok(Padding::Circular),
        "valid" => Ok(Padding::Valid),
        other => Err(field(
            &name("mode"),
            &format!("{other:?} is not one of \"circular\", \"zero\", \"valid\""),
        )),
    }
}

/// The file keys of a layer's geometry: `None` for the paper's (stride 1, circular), written
/// in format 1 without them.
pub(super) fn geometry_keys<S: Scalar>(layer: &Layer<S>) -> (Option<Value>, Option<PaddingFile>) {
    if layer.has_paper_geometry() {
        return (None, None);
    }
    let geometry = layer.geometry();
    let padding = match geometry.padding {
        Padding::Zero { left, right } => PaddingFile {
            mode: "zero".into(),
            top: None,
            bottom: None,
            left: Some(Value::from(left)),
            right: Some(Value::from(right)),
        },
        other => PaddingFile {
            mode: other.mode_name().into(),
            top: None,
            bottom: None,
            left: None,
            right: None,
        },
    };
    (Some(Value::from(geometry.stride)), Some(padding))
}
