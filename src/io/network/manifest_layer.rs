//! One layer of a network manifest: its tensors, stride, padding and activation, and its
//! optional batch normalisation and average pooling; the keys the model cannot fold are
//! recognised to be refused by name. In an image manifest (`input.shape` `[H, W]`) the stride
//! may be a pair `[σ_h, σ_w]` and a zero padding gives `top`, `bottom`, `left` and `right`; each
//! form is refused in the other kind of manifest, naming the field, the layer and the value.

use serde_json::{Map, Value};

use super::error::NetworkError;
use super::manifest::{AveragePool, BatchNormNames, ManifestLayer};
use super::manifest_fields::{Fields, shown};
use crate::model::{Geometry, Padding};

/// The keys of a layer (`max-pool` and `residual` are refused before these are checked).
const LAYER_KEYS: [(&str, bool); 7] = [
    ("weight", true),
    ("bias", false),
    ("stride", false),
    ("padding", true),
    ("activation", true),
    ("batch-norm", false),
    ("average-pool", false),
];

/// The keys of `padding`.
const PADDING_KEYS: [(&str, bool); 3] = [("mode", true), ("left", false), ("right", false)];

/// The keys of `padding` in an image manifest.
const IMAGE_PADDING_KEYS: [(&str, bool); 5] = [
    ("mode", true),
    ("top", false),
    ("bottom", false),
    ("left", false),
    ("right", false),
];

/// The keys of `batch-norm`.
const BATCH_NORM_KEYS: [(&str, bool); 6] = [
    ("weight", true),
    ("bias", true),
    ("running-mean", true),
    ("running-var", true),
    ("eps", true),
    ("after-activation", false),
];

/// The keys of `average-pool`.
const AVERAGE_POOL_KEYS: [(&str, bool); 2] = [("kernel", true), ("stride", true)];

/// The keys the model cannot fold, and why.
const REFUSED_KEYS: [(&str, &str); 2] = [
    (
        "max-pool",
        "max pooling is outside the model: it cannot be folded into a convolution",
    ),
    (
        "residual",
        "a residual connection is outside the model: a layer's input must be the previous layer's output alone",
    ),
];

/// Layer `index + 1` of a manifest; `image` is the input's shape as written when the manifest
/// is an image manifest.
pub(super) fn layer(
    fields: Fields,
    index: usize,
    value: &Value,
    image: Option<&str>,
) -> Result<ManifestLayer, NetworkError> {
    let number = index + 1;
    let name = |key: &str| format!("layers[{index}].{key} (layer {number})");
    if let Value::Object(map) = value
        && let Some((key, reason)) = REFUSED_KEYS.iter().find(|(key, _)| map.contains_key(*key))
    {
        return Err(fields.error(
            &name(key),
            format!("{} is refused: {reason}", shown(&map[*key])),
        ));
    }
    let map = fields.object(
        value,
        &format!("layers[{index}] (layer {number})"),
        &name,
        ("a layer", &LAYER_KEYS),
    )?;
    let activation = fields.string(&map["activation"], &name("activation"))?;
    if activation != "relu" {
        return Err(fields.error(
            &name("activation"),
            format!(
                "{activation:?} is refused: the model needs a ReLU or thresholding after each convolution (\"relu\")"
            ),
        ));
    }
    let (stride, padding, rows) = match image {
        None => (
            match map.get("stride") {
                None => 1,
                Some(stride) => line_stride(fields, stride, &name)?,
            },
            padding(fields, &map["padding"], &name)?,
            None,
        ),
        Some(shape) => {
            if let Some(pool) = map.get("average-pool") {
                return Err(fields.error(
                    &name("average-pool"),
                    format!(
                        "{} is refused in an image manifest (input.shape {shape}): average pooling is folded into one-dimensional layers only",
                        shown(pool)
                    ),
                ));
            }
            let (row_stride, column_stride) = image_stride(fields, map.get("stride"), &name)?;
            let (row_padding, column_padding) =
                image_padding(fields, &map["padding"], &name, shape)?;
            let rows = Geometry {
                stride: row_stride,
                padding: row_padding,
            };
            (column_stride, column_padding, Some(rows))
        }
    };
    Ok(ManifestLayer {
        weight: fields.tensor_name(&map["weight"], &name("weight"))?,
        bias: match map.get("bias") {
            None => None,
            Some(bias) => Some(fields.tensor_name(bias, &name("bias"))?),
        },
        stride,
        padding,
        rows,
        batch_norm: match map.get("batch-norm") {
            None => None,
            Some(value) => Some(batch_norm(fields, value, &name)?),
        },
        average_pool: match map.get("average-pool") {
            None => None,
            Some(value) => Some(average_pool(fields, value, &name)?),
        },
    })
}

/// `padding`: `{"mode": "zero", "left": l, "right": r}`, `{"mode": "circular"}` or
/// `{"mode": "valid"}`.
fn padding(
    fields: Fields,
    value: &Value,
    name: &dyn Fn(&str) -> String,
) -> Result<Padding, NetworkError> {
    let inner = |key: &str| name(&format!("padding.{key}"));
    let map = fields.object(
        value,
        &name("padding"),
        &inner,
        ("a padding", &PADDING_KEYS),
    )?;
    let mode = fields.string(&map["mode"], &inner("mode"))?;
    let amount = |key: &str| fields.whole(&map[key], &inner(key), 0);
    match mode.as_str() {
        "zero" => {
            if let Some(missing) = ["left", "right"].iter().find(|k| !map.contains_key(**k)) {
                return Err(fields.error(
                    &inner(missing),
                    "missing: mode \"zero\" requires left and right (0 for none)".into(),
                ));
            }
            Ok(Padding::Zero {
                left: amount("left")?,
                right: amount("right")?,
            })
        }
        "circular" | "valid" if map.contains_key("left") || map.contains_key("right") => {
            Err(fields.error(
                &inner("mode"),
                format!("{mode:?} takes no amounts; only mode \"zero\" has left and right"),
            ))
        }
        "circular" => Ok(Padding::Circular),
        "valid" => Ok(Padding::Valid),
        other => Err(fields.error(
            &inner("mode"),
            format!("{other:?} is not one of \"circular\", \"zero\", \"valid\""),
        )),
    }
}

/// The stride of a one-dimensional layer: one whole number; a pair is the form of an image
/// manifest, refused by name.
fn line_stride(
    fields: Fields,
    value: &Value,
    name: &dyn Fn(&str) -> String,
) -> Result<usize, NetworkError> {
    if let Value::Array(_) = value {
        return Err(fields.error(
            &name("stride"),
            format!(
                "{} is a stride pair [σ_h, σ_w] of an image manifest; this manifest's input is one-dimensional (input.shape [N] or none), which gives one stride (or make it an image manifest with input.shape [H, W])",
                shown(value)
            ),
        ));
    }
    fields.whole(value, &name("stride"), 1)
}

/// The strides `(σ_h, σ_w)` of an image layer: one number for both axes, or a pair; 1 when
/// absent.
fn image_stride(
    fields: Fields,
    value: Option<&Value>,
    name: &dyn Fn(&str) -> String,
) -> Result<(usize, usize), NetworkError> {
    match value {
        None => Ok((1, 1)),
        Some(Value::Array(pair)) if pair.len() == 2 => Ok((
            fields.whole(&pair[0], &name("stride[0]"), 1)?,
            fields.whole(&pair[1], &name("stride[1]"), 1)?,
        )),
        Some(pair @ Value::Array(_)) => Err(fields.error(
            &name("stride"),
            format!("{} is not one stride or a pair [σ_h, σ_w]", shown(pair)),
        )),
        Some(number) => {
            let stride = fields.whole(number, &name("stride"), 1)?;
            Ok((stride, stride))
        }
    }
}

/// The padding of an image layer, rows then columns: `{"mode": "zero", "top": t, "bottom":
/// b, "left": l, "right": r}` (all four required), `{"mode": "circular"}` or
/// `{"mode": "valid"}` on both axes.
fn image_padding(
    fields: Fields,
    value: &Value,
    name: &dyn Fn(&str) -> String,
    shape: &str,
) -> Result<(Padding, Padding), NetworkError> {
    let inner = |key: &str| name(&format!("padding.{key}"));
    let map = fields.object(
        value,
        &name("padding"),
        &inner,
        ("an image padding", &IMAGE_PADDING_KEYS),
    )?;
    let mode = fields.string(&map["mode"], &inner("mode"))?;
    let amount = |key: &str| fields.whole(&map[key], &inner(key), 0);
    let sides = ["top", "bottom", "left", "right"];
    match mode.as_str() {
        "zero" => {
            if let Some(missing) = sides.iter().find(|k| !map.contains_key(**k)) {
                return Err(fields.error(
                    &inner(missing),
                    format!(
                        "missing: mode \"zero\" of an image manifest (input.shape {shape}) requires top, bottom, left and right (0 for none)"
                    ),
                ));
            }
            Ok((
                Padding::Zero {
                    left: amount("top")?,
                    right: amount("bottom")?,
                },
                Padding::Zero {
                    left: amount("left")?,
                    right: amount("right")?,
                },
            ))
        }
        "circular" | "valid" if sides.iter().any(|k| map.contains_key(*k)) => Err(fields.error(
            &inner("mode"),
            format!(
                "{mode:?} takes no amounts; only mode \"zero\" has top, bottom, left and right"
            ),
        )),
        "circular" => Ok((Padding::Circular, Padding::Circular)),
        "valid" => Ok((Padding::Valid, Padding::Valid)),
        other => Err(fields.error(
            &inner("mode"),
            format!("{other:?} is not one of \"circular\", \"zero\", \"valid\""),
        )),
    }
}

/// `batch-norm`: four tensor names, `eps` and `after-activation` (false when absent).
fn batch_norm(
    fields: Fields,
    value: &Value,
    name: &dyn Fn(&str) -> String,
) -> Result<BatchNormNames, NetworkError> {
    let inner = |key: &str| name(&format!("batch-norm.{key}"));
    let map: &Map<String, Value> = fields.object(
        value,
        &name("batch-norm"),
        &inner,
        ("a batch normalisation", &BATCH_NORM_KEYS),
    )?;
    let tensor = |key: &str| fields.tensor_name(&map[key], &inner(key));
    Ok(BatchNormNames {
        weight: tensor("weight")?,
        bias: tensor("bias")?,
        running_mean: tensor("running-mean")?,
        running_var: tensor("running-var")?,
        eps: fields.positive(&map["eps"], &inner("eps"))?,
        after_activation: match map.get("after-activation") {
            None => false,
            Some(value) => fields.boolean(value, &inner("after-activation"))?,
        },
    })
}

/// `average-pool`: `{"kernel": k, "stride": s}`.
fn average_pool(
    fields: Fields,
    value: &Value,
    name: &dyn Fn(&str) -> String,
) -> Result<AveragePool, NetworkError> {
    let inner = |key: &str| name(&format!("average-pool.{key}"));
    let map = fields.object(
        value,
        &name("average-pool"),
        &inner,
        ("an average pooling", &AVERAGE_POOL_KEYS),
    )?;
    Ok(AveragePool {
        kernel: fields.whole(&map["kernel"], &inner("kernel"), 1)?,
        stride: fields.whole(&map["stride"], &inner("stride"), 1)?,
    })
}
