//! The file form of an exact instance: every number written as an exact rational string.

use serde_json::Value;

use super::instance::{EntryFile, INSTANCE_FORMAT, INSTANCE_FORMAT_2, InstanceFile, LayerFile};
use super::instance_geometry::{PaddingFile, geometry_keys};
use super::number::rational_to_text;
use crate::instance::Instance;
use crate::model::{GridGeometry, Layer, LayerVector, Padding};
use crate::scalar::{Rational, Scalar};
use crate::threshold::Threshold;

fn text_value(value: &Rational) -> Value {
    Value::String(rational_to_text(value))
}

/// The nonzero entries, each position a number on a line and `[row, column]` on an image's
/// grid.
fn sparse_entries(vector: &LayerVector<Rational>, image: bool) -> Vec<EntryFile> {
    let grid = vector.grid();
    vector
        .support()
        .map(|(position, channel, value)| EntryFile {
            position: if image {
                let (row, column) = grid.coordinates(position);
                Value::from(vec![row, column]).into()
            } else {
                Value::from(position).into()
            },
            channel: Value::from(channel).into(),
            value: text_value(value).into(),
        })
        .collect()
}

/// The file form of an exact instance (`instance.to_file()`, with this trait in scope): format
/// 1 for the paper's layers (stride 1, circular, one threshold per layer), format 2 with each
/// layer's stride and padding otherwise, and a layer's threshold a list, one number per output
/// channel, when its channels' thresholds differ. An image instance (its signal more than one
/// row, or a layer with a rows axis or filters of more than one row) is written in the image
/// form of format 2 ([`is_image_instance`]).
pub trait ToInstanceFile {
    /// The file form of an exact instance, every number written as an exact rational string.
    fn to_file(&self) -> InstanceFile;
}

impl ToInstanceFile for Instance<Rational> {
    fn to_file(&self) -> InstanceFile {
        let image = is_image_instance(self);
        let paper = !image
            && self.model.has_paper_geometry()
            && self.thresholds.iter().all(|beta| beta.shared().is_some());
        let length = Value::from(self.model.signal_length());
        let signal = self.model.grid(0);
        InstanceFile {
            format: if paper {
                INSTANCE_FORMAT
            } else {
                INSTANCE_FORMAT_2
            }
            .into(),
            name: self.name.clone(),
            source: self.source.clone(),
            signal_length: paper.then(|| length.clone()),
            signal_shape: (!paper).then(|| match image {
                true => Value::from(vec![signal.rows, signal.columns]),
                false => Value::Array(vec![length]),
            }),
            input_channels: Value::from(self.model.input_channels()),
            thresholding: self.thresholding.name().into(),
            layers: (self.model.layers().iter().zip(&self.thresholds))
                .map(|(layer, beta)| layer_file(layer, beta, image))
                .collect(),
            deepest_representation: sparse_entries(&self.deepest_representation, image),
            noise: sparse_entries(&self.noise, image),
            noise_budget: self.noise_budget.as_ref().map(text_value),
            last_patch_width: Some(match image {
                true => Value::from(vec![self.last_patch_rows, self.last_patch_width]),
                false => Value::from(self.last_patch_width),
            }),
        }
    }
}

/// Whether an instance is written as an image: its signal has more than one row, its last
/// patch more than one row, or a layer has filters of more than one row or a rows axis other
/// than a line's (stride 1, no padding). A `1 × W` image whose layers are lines is written as
/// the one-dimensional instance it equals.
pub fn is_image_instance<S: Scalar>(instance: &Instance<S>) -> bool {
    !instance.model.is_line() || instance.last_patch_rows > 1
}

/// One layer in the file form: filters `[out][tap][in]` and the columns axis's stride and
/// padding on a line; filters `[out][row][column][in]`, the stride pair and the padding of
/// both axes for an image.
fn layer_file(layer: &Layer<Rational>, beta: &Threshold<Rational>, image: bool) -> LayerFile {
    let filters = layer.nested_filters();
    let shape = layer.filter_shape();
    let tap = |t: &Vec<Rational>| t.iter().map(text_value).collect::<Vec<_>>();
    let (stride, padding, filters) = if image {
        let (stride, padding) = image_geometry_keys(&layer.grid_geometry());
        let filters = (filters.iter())
            .map(|f| {
                (f.chunks(shape.columns))
                    .map(|row| row.iter().map(|t| Value::Array(tap(t))).collect())
                    .collect()
            })
            .collect();
        (Some(stride), Some(padding), filters)
    } else {
        let (stride, padding) = geometry_keys(layer);
        let filters = (filters.iter())
            .map(|f| f.iter().map(tap).collect())
            .collect();
        (stride, padding, filters)
    };
    LayerFile {
        stride,
        padding,
        filters,
        threshold: match beta {
            Threshold::Shared(beta) => text_value(beta),
            Threshold::PerChannel(values) => Value::Array(values.iter().map(text_value).collect()),
        },
    }
}

/// An image layer's `"stride"` (`[σ_h, σ_w]`) and `"padding"`: the mode both axes share, with
/// `top`, `bottom`, `left`, `right` for mode `zero`. A valid axis beside a zero-padded one is
/// written as zero padding of 0 and 0 (the same windows). A circular axis beside another mode
/// cannot be written in the format: its mode is written as `"circular+zero"` (or
/// `"circular+valid"`), which reading refuses, naming the layer, rather than losing an axis.
fn image_geometry_keys(geometry: &GridGeometry) -> (Value, PaddingFile) {
    let stride = Value::from(vec![geometry.rows.stride, geometry.columns.stride]);
    let amount = |value: usize| Some(Value::from(value));
    let padding = match (geometry.rows.padding, geometry.columns.padding) {
        (same, other) if same == other && !matches!(same, Padding::Zero { .. }) => PaddingFile {
            mode: same.mode_name().into(),
            top: None,
            bottom: None,
            left: None,
            right: None,
        },
        (Padding::Circular, other) | (other, Padding::Circular) => PaddingFile {
            mode: format!("circular+{}", other.mode_name()),
            top: None,
            bottom: None,
            left: None,
            right: None,
        },
        (rows, columns) => PaddingFile {
            mode: "zero".into(),
            top: amount(rows.amounts().0),
            bottom: amount(rows.amounts().1),
            left: amount(columns.amounts().0),
            right: amount(columns.amounts().1),
        },
    };
    (stride, padding)
}
