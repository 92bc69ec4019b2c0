//! One layer of an image file: its stride pair and padding on both axes, its filters'
//! `n_h × n_w` shape (the same for every filter of the layer), and the axes' lengths checked
//! layer by layer, each refusal naming the layer and the axis.

use serde_json::Value;

use super::error::InstanceError;
use super::instance::LayerFile;
use super::instance_fields::{count, field, index as whole_number};
use super::instance_geometry::PaddingFile;
use crate::model::{FilterShape, Geometry, Grid, GridGeometry, Layer, Padding, stripe_width};
use crate::scalar::Scalar;

/// Layer `index + 1`'s stride and padding on both axes (stride 1 and circular when absent).
pub(super) fn image_geometry(
    index: usize,
    layer: &LayerFile,
) -> Result<GridGeometry, InstanceError> {
    let number = index + 1;
    let name = format!("layers[{index}].stride (layer {number})");
    let (row_stride, column_stride) = match &layer.stride {
        None => (1, 1),
        Some(Value::Array(pair)) if pair.len() == 2 => (
            count(
                &pair[0],
                &format!("layers[{index}].stride[0] (layer {number})"),
            )?,
            count(
                &pair[1],
                &format!("layers[{index}].stride[1] (layer {number})"),
            )?,
        ),
        Some(value) => {
            let stride = count(value, &name)?;
            (stride, stride)
        }
    };
    let (rows, columns) = match &layer.padding {
        None => (Padding::Circular, Padding::Circular),
        Some(padding) => image_padding(index, padding)?,
    };
    Ok(GridGeometry {
        rows: Geometry {
            stride: row_stride,
            padding: rows,
        },
        columns: Geometry {
            stride: column_stride,
            padding: columns,
        },
    })
}

/// The padding of the rows axis (`top`, `bottom`) and of the columns axis (`left`, `right`).
fn image_padding(index: usize, padding: &PaddingFile) -> Result<(Padding, Padding), InstanceError> {
    let name = |key: &str| format!("layers[{index}].padding.{key} (layer {})", index + 1);
    let amount = |key: &str, value: &Option<Value>| match value {
        None => Ok(None),
        Some(value) => whole_number(value, &name(key)).map(Some),
    };
    let top = amount("top", &padding.top)?;
    let bottom = amount("bottom", &padding.bottom)?;
    let left = amount("left", &padding.left)?;
    let right = amount("right", &padding.right)?;
    let given = [top, bottom, left, right].iter().any(Option::is_some);
    match padding.mode.as_str() {
        "zero" => Ok((
            Padding::Zero {
                left: top.unwrap_or(0),
                right: bottom.unwrap_or(0),
            },
            Padding::Zero {
                left: left.unwrap_or(0),
                right: right.unwrap_or(0),
            },
        )),
        "circular" | "valid" if given => Err(field(
            &name("mode"),
            &format!(
                "{:?} takes no amounts; only mode \"zero\" has top, bottom, left and right",
                padding.mode
            ),
        )),
        "circular" => Ok((Padding::Circular, Padding::Circular)),
        "valid" => Ok((Padding::Valid, Padding::Valid)),
        other => Err(field(
            &name("mode"),
            &format!("{other:?} is not one of \"circular\", \"zero\", \"valid\""),
        )),
    }
}

/// The shape `n_h × n_w` of layer `index + 1`'s filters `[out][row][column][in]`: every
/// filter has the rows of filter 0, every row the columns of its first row.
pub(super) fn image_filter_shape(
    index: usize,
    layer: &LayerFile,
) -> Result<FilterShape, InstanceError> {
    let number = index + 1;
    let Some(first) = layer.filters.first() else {
        return Err(field(
            &format!("layers[{index}].filters (layer {number})"),
            "is empty: a layer has at least one filter",
        ));
    };
    let rows = first.len();
    let columns = first.first().map_or(0, Vec::len);
    if rows == 0 || columns == 0 {
        return Err(field(
            &format!("layers[{index}].filters[0] (layer {number})"),
            &format!("is {rows} × {columns}: a filter has at least one row and one column"),
        ));
    }
    for (c, filter) in layer.filters.iter().enumerate() {
        if filter.len() != rows {
            return Err(field(
                &format!("layers[{index}].filters[{c}] (layer {number})"),
                &format!(
                    "has {} rows; filter 0 has {rows} (every filter of a layer is n_h × n_w)",
                    filter.len()
                ),
            ));
        }
        if let Some((i, row)) = filter
            .iter()
            .enumerate()
            .find(|(_, row)| row.len() != columns)
        {
            return Err(field(
                &format!("layers[{index}].filters[{c}][{i}] (layer {number})"),
                &format!(
                    "has {} columns; filters[0][0] has {columns} (every filter of a layer is n_h × n_w)",
                    row.len()
                ),
            ));
        }
    }
    Ok(FilterShape { rows, columns })
}

/// Refuses, naming the layer and the axis, an axis too short for circular padding
/// (`H_{i-1} < 2 n_h − 1` or `W_{i-1} < 2 n_w − 1`) or whose output length is refused,
/// before the model is built.
pub(super) fn check_image_axes<S: Scalar>(
    signal: Grid,
    layers: &[Layer<S>],
) -> Result<(), InstanceError> {
    let mut input = signal;
    for (index, layer) in layers.iter().enumerate() {
        let number = index + 1;
        let geometry = layer.grid_geometry();
        let shape = layer.filter_shape();
        let axes = [
            ("rows", "H", "n_h", geometry.rows, input.rows, shape.rows),
            (
                "columns",
                "W",
                "n_w",
                geometry.columns,
                input.columns,
                shape.columns,
            ),
        ];
        let mut output = [0; 2];
        for (slot, (axis, length_name, filter_name, axis_geometry, length, filter)) in
            axes.into_iter().enumerate()
        {
            let at = format!("layers[{index}] (layer {number}), the {axis} axis");
            let required = stripe_width(filter);
            if axis_geometry.padding == Padding::Circular && length < required {
                return Err(field(
                    &at,
                    &format!(
                        "{length_name}_{index} = {length} {axis} is shorter than 2 {filter_name} − 1 = {required}, which circular padding requires"
                    ),
                ));
            }
            output[slot] = axis_geometry
                .output_length(number, length, filter)
                .map_err(|error| field(&at, &error.to_string()))?;
        }
        input = Grid {
            rows: output[0],
            columns: output[1],
        };
    }
    Ok(())
}

/// The first layer of an image file in words (`layer 1: image layer, 2 × 2 filters, stride (2,
/// 2), rows valid padding, columns valid padding`): every image layer is outside the paper's
/// one-dimensional layers.
pub(super) fn image_layer_words(layer: &LayerFile) -> Result<String, InstanceError> {
    let geometry = image_geometry(0, layer)?;
    let shape = image_filter_shape(0, layer)?;
    Ok(format!(
        "layer 1: image layer, {} × {} filters, {}",
        shape.rows,
        shape.columns,
        describe_grid_geometry(&geometry)
    ))
}

/// A grid geometry in words: `stride (2, 2), rows zero padding (1, 1), columns valid padding`.
pub fn describe_grid_geometry(geometry: &GridGeometry) -> String {
    let padding = |axis: &Geometry| match axis.padding {
        Padding::Zero { left, right } => format!("zero padding ({left}, {right})"),
        other => format!("{} padding", other.mode_name()),
    };
    format!(
        "stride ({}, {}), rows {}, columns {}",
        geometry.rows.stride,
        geometry.columns.stride,
        padding(&geometry.rows),
        padding(&geometry.columns)
    )
}
