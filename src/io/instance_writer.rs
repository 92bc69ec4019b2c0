//! The file form of an exact instance: every number written as an exact rational string.

use serde_json::Value;

use super::instance::{EntryFile, INSTANCE_FORMAT, INSTANCE_FORMAT_2, InstanceFile, LayerFile};
use super::instance_geometry::geometry_keys;
use super::number::rational_to_text;
use crate::instance::Instance;
use crate::model::LayerVector;
use crate::scalar::Rational;
use crate::threshold::Threshold;

fn text_value(value: &Rational) -> Value {
    Value::String(rational_to_text(value))
}

fn sparse_entries(vector: &LayerVector<Rational>) -> Vec<EntryFile> {
    vector
        .support()
        .map(|(position, channel, value)| EntryFile {
            position: Value::from(position),
            channel: Value::from(channel),
            value: text_value(value),
        })
        .collect()
}

/// The file form of an exact instance (`instance.to_file()`, with this trait in scope): format
/// 1 for the paper's layers (stride 1, circular, one threshold per layer), format 2 with each
/// layer's stride and padding otherwise, and a layer's threshold a list, one number per output
/// channel, when its channels' thresholds differ.
pub trait ToInstanceFile {
    /// The file form of an exact instance, every number written as an exact rational string.
    fn to_file(&self) -> InstanceFile;
}

impl ToInstanceFile for Instance<Rational> {
    fn to_file(&self) -> InstanceFile {
        let paper = self.model.has_paper_geometry()
            && self.thresholds.iter().all(|beta| beta.shared().is_some());
        let length = Value::from(self.model.signal_length());
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
            signal_shape: (!paper).then(|| Value::Array(vec![length])),
            input_channels: Value::from(self.model.input_channels()),
            thresholding: self.thresholding.name().into(),
            layers: self
                .model
                .layers()
                .iter()
                .zip(&self.thresholds)
                .map(|(layer, beta)| LayerFile {
                    stride: geometry_keys(layer).0,
                    padding: geometry_keys(layer).1,
                    filters: layer
                        .nested_filters()
                        .iter()
                        .map(|f| {
                            f.iter()
                                .map(|t| t.iter().map(text_value).collect())
                                .collect()
                        })
                        .collect(),
                    threshold: match beta {
                        Threshold::Shared(beta) => text_value(beta),
                        Threshold::PerChannel(values) => {
                            Value::Array(values.iter().map(text_value).collect())
                        }
                    },
                })
                .collect(),
            deepest_representation: sparse_entries(&self.deepest_representation),
            noise: sparse_entries(&self.noise),
            noise_budget: self.noise_budget.as_ref().map(text_value),
            last_patch_width: Some(Value::from(self.last_patch_width)),
        }
    }
}
