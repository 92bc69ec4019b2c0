//! The image (two-dimensional) form of format `mlcsc-instance-2` (fixtures/README.md, "The
//! instance format"; `proofs/two_dimensions.md`). A file whose `"signal-shape"` is `[H, W]` is
//! an image file: its positions are `[row, column]`, its filters `[out][row][column][in]`, a
//! layer's `"stride"` one number or `[σ_h, σ_w]`, its padding may give `top` and `bottom` (the
//! rows axis's `P^t, P^b`) beside `left` and `right`, and `"last-patch-width"` is `[h, w]`.
//!
//! Every key of the other form is refused when the file is parsed, before any number is read,
//! naming the field, the layer and the value ([`check_dimension_keys`]).

use serde_json::Value;

use super::error::InstanceError;
use super::instance::{EntryFile, InstanceFile, LayerFile};
use super::instance_fields::{count, field};
use super::instance_geometry::signal_length;
use crate::model::{Grid, Model};
use crate::scalar::Scalar;

/// Whether the file is an image file: its `"signal-shape"` has two lengths.
pub(super) fn is_image(file: &InstanceFile) -> bool {
    matches!(&file.signal_shape, Some(Value::Array(shape)) if shape.len() == 2)
}

/// The signal's grid: `H × W` from `"signal-shape": [H, W]`, else the line of
/// [`signal_length`].
pub(super) fn signal_grid(file: &InstanceFile) -> Result<Grid, InstanceError> {
    match (&file.signal_shape, &file.signal_length) {
        (Some(Value::Array(shape)), None) if shape.len() == 2 => Ok(Grid {
            rows: count(&shape[0], "signal-shape[0]")?,
            columns: count(&shape[1], "signal-shape[1]")?,
        }),
        _ => signal_length(file).map(Grid::line),
    }
}

/// The file's signal as it says it, for messages: `signal-shape [6,6]`, `signal-length 16`.
fn signal_words(file: &InstanceFile) -> String {
    match (&file.signal_shape, &file.signal_length) {
        (Some(shape), _) => format!("signal-shape {shape}"),
        (None, Some(length)) => format!("signal-length {length}"),
        (None, None) => "no signal-shape".into(),
    }
}

/// The refusal of a key's form that belongs to the other kind of file.
struct Refusal<'a> {
    image: bool,
    signal: &'a str,
}

impl Refusal<'_> {
    /// `value` at `name` is of an image file in a one-dimensional one, or the reverse.
    fn refuse(
        &self,
        name: &str,
        value: &Value,
        image_form: &str,
        line_form: &str,
    ) -> InstanceError {
        let message = if self.image {
            format!(
                "{value} is {line_form} of a one-dimensional file; this file's {} makes it an image file, which gives {image_form}",
                self.signal
            )
        } else {
            format!(
                "{value} is {image_form} of an image file; this file's {} is one-dimensional, which gives {line_form} (or make the file an image file with \"signal-shape\": [H, W])",
                self.signal
            )
        };
        field(name, &message)
    }
}

/// Refuses every key written in the form of the other kind of file (a pair in a
/// one-dimensional file, a single number where an image file gives a pair, a filter of the
/// other depth), and a pair of the wrong length, naming the field, the layer and the value.
pub(super) fn check_dimension_keys(file: &InstanceFile) -> Result<(), InstanceError> {
    if let Some(shape @ Value::Array(lengths)) = &file.signal_shape
        && !matches!(lengths.len(), 1 | 2)
    {
        return Err(field(
            "signal-shape",
            &format!(
                "{shape} is not [N] or [H, W]: a one-dimensional signal has one length, an image two"
            ),
        ));
    }
    let image = is_image(file);
    let signal = signal_words(file);
    let refusal = Refusal {
        image,
        signal: &signal,
    };
    for (index, layer) in file.layers.iter().enumerate() {
        check_layer_keys(&refusal, index, layer)?;
    }
    for (name, entries) in [
        ("deepest-representation", &file.deepest_representation),
        ("noise", &file.noise),
    ] {
        check_positions(&refusal, name, entries)?;
    }
    if let Some(value) = file.last_patch_width.as_ref().filter(|v| !v.is_null()) {
        check_pair(
            &refusal,
            "last-patch-width",
            value,
            "a pair [h, w]",
            "one width",
        )?;
    }
    Ok(())
}

/// A value that is a pair in an image file and a number in a one-dimensional one.
fn check_pair(
    refusal: &Refusal,
    name: &str,
    value: &Value,
    image_form: &str,
    line_form: &str,
) -> Result<(), InstanceError> {
    match value {
        Value::Array(pair) if refusal.image && pair.len() != 2 => Err(field(
            name,
            &format!("{value} is not {image_form}: it has {} entries", pair.len()),
        )),
        Value::Array(_) if !refusal.image => {
            Err(refusal.refuse(name, value, image_form, line_form))
        }
        Value::Array(_) => Ok(()),
        _ if refusal.image => Err(refusal.refuse(name, value, image_form, line_form)),
        _ => Ok(()),
    }
}

fn check_positions(
    refusal: &Refusal,
    name: &str,
    entries: &[EntryFile],
) -> Result<(), InstanceError> {
    for (k, entry) in entries.iter().enumerate() {
        // Only a pair, or a position in an image file, needs the value itself.
        if entry.position.as_array().is_some() || refusal.image {
            check_pair(
                refusal,
                &format!("{name}[{k}].position"),
                &entry.position.to_value(),
                "a position [row, column]",
                "one position",
            )?;
        }
    }
    Ok(())
}

fn check_layer_keys(
    refusal: &Refusal,
    index: usize,
    layer: &LayerFile,
) -> Result<(), InstanceError> {
    let number = index + 1;
    let at = |key: &str| format!("layers[{index}].{key} (layer {number})");
    if let Some(stride @ Value::Array(pair)) = &layer.stride {
        if !refusal.image {
            return Err(refusal.refuse(
                &at("stride"),
                stride,
                "a stride pair [σ_h, σ_w]",
                "one stride",
            ));
        }
        if pair.len() != 2 {
            return Err(field(
                &at("stride"),
                &format!(
                    "{stride} is neither one number nor a pair [σ_h, σ_w]: it has {} entries",
                    pair.len()
                ),
            ));
        }
    }
    if let Some(padding) = &layer.padding {
        for (key, value) in [("top", &padding.top), ("bottom", &padding.bottom)] {
            if let (Some(value), false) = (value, refusal.image) {
                return Err(refusal.refuse(
                    &at(&format!("padding.{key}")),
                    value,
                    &format!("the rows axis's padding `{key}`"),
                    "padding `left` and `right` only",
                ));
            }
        }
    }
    for (c, filter) in layer.filters.iter().enumerate() {
        for (t, tap) in filter.iter().enumerate() {
            for (k, value) in tap.iter().enumerate() {
                let is_list = value.is_array();
                if is_list != refusal.image {
                    let name = at(&format!("filters[{c}][{t}][{k}]"));
                    return Err(refusal.refuse(
                        &name,
                        value,
                        "a list of input channels of a filter [out][row][column][in]",
                        "a number of a filter [out][tap][in]",
                    ));
                }
            }
        }
    }
    Ok(())
}

/// `"last-patch-width"` as `(h, w)`: `(1, 1)` when absent; a number `w ≤ N_K` on a line (then
/// `h = 1`); a pair `[h, w]` within the deepest grid `H_K × W_K` for an image.
pub(super) fn last_patch<S: Scalar>(
    value: Option<&Value>,
    model: &Model<S>,
    image: bool,
) -> Result<(usize, usize), InstanceError> {
    let value = match value {
        None | Some(Value::Null) => return Ok((1, 1)),
        Some(value) => value,
    };
    let deepest = model.grid(model.depth());
    if !image {
        let width = count(value, "last-patch-width")?;
        if width > deepest.positions() {
            let length = deepest.positions();
            return Err(field(
                "last-patch-width",
                &if model.has_paper_geometry() {
                    format!("{width} exceeds signal-length {length}")
                } else {
                    format!("{width} exceeds the deepest layer's length {length}")
                },
            ));
        }
        return Ok((1, width));
    }
    let pair = value.as_array().map(Vec::as_slice).unwrap_or_default();
    let [rows, columns] = pair else {
        return Err(field(
            "last-patch-width",
            &format!("{value} is not a pair [h, w]"),
        ));
    };
    let rows = count(rows, "last-patch-width[0]")?;
    let columns = count(columns, "last-patch-width[1]")?;
    if rows > deepest.rows || columns > deepest.columns {
        return Err(field(
            "last-patch-width",
            &format!(
                "[{rows}, {columns}] exceeds the deepest layer's grid {} × {} (rows × columns)",
                deepest.rows, deepest.columns
            ),
        ));
    }
    Ok((rows, columns))
}
