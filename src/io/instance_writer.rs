//! The file form of an exact instance: every number written as an exact rational string.

use serde_json::Value;

use super::instance::{EntryFile, INSTANCE_FORMAT, InstanceFile, LayerFile};
use super::number::rational_to_text;
use crate::instance::Instance;
use crate::model::LayerVector;
use crate::scalar::Rational;

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

/// The file form of an exact instance (`instance.to_file()`, with this trait in scope).
pub trait ToInstanceFile {
    /// The file form of an exact instance, every number written as an exact rational string.
    fn to_file(&self) -> InstanceFile;
}

impl ToInstanceFile for Instance<Rational> {
    fn to_file(&self) -> InstanceFile {
        InstanceFile {
            format: INSTANCE_FORMAT.into(),
            name: self.name.clone(),
            source: self.source.clone(),
            signal_length: Value::from(self.model.signal_length()),
            input_channels: Value::from(self.model.input_channels()),
            thresholding: self.thresholding.name().into(),
            layers: self
                .model
                .layers()
                .iter()
                .zip(&self.thresholds)
                .map(|(layer, beta)| LayerFile {
                    filters: layer
                        .nested_filters()
                        .iter()
                        .map(|f| {
                            f.iter()
                                .map(|t| t.iter().map(text_value).collect())
                                .collect()
                        })
                        .collect(),
                    threshold: text_value(beta),
                })
                .collect(),
            deepest_representation: sparse_entries(&self.deepest_representation),
            noise: sparse_entries(&self.noise),
            noise_budget: self.noise_budget.as_ref().map(text_value),
            last_patch_width: Some(Value::from(self.last_patch_width)),
        }
    }
}
