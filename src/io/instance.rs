//! Instance files, format `mlcsc-instance-1` (DESIGN.md, "Instance files").
//!
//! An instance holds the filters and threshold of every layer, the deepest representation
//! `Γ_K` and the noise `E` as sparse lists, an optional declared noise budget `ε_0`, and the
//! last layer's patch width. The intermediate `Γ_i` are computed, never stored, so an instance
//! is consistent by construction. Every number is read exactly.

use std::collections::BTreeSet;
use std::path::Path;

use num_traits::Signed;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::InstanceError;
use super::number::{rational_from_json, rational_to_text};
use crate::model::{Layer, LayerVector, Model};
use crate::pursuit::Thresholding;
use crate::scalar::{Rational, Scalar};

/// The format tag of this version of the file format.
pub const INSTANCE_FORMAT: &str = "mlcsc-instance-1";

/// The largest instance file read (64 MiB): larger is surely not an instance.
pub const MAX_INSTANCE_BYTES: u64 = 64 << 20;

/// An instance file as written: numbers still JSON values, nothing validated yet.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceFile {
    /// Must be [`INSTANCE_FORMAT`].
    pub format: String,
    /// A short name.
    #[serde(default)]
    pub name: String,
    /// Where the instance comes from (paper section, generator and seed, issue).
    #[serde(default)]
    pub source: String,
    /// `N`.
    pub signal_length: Value,
    /// `m_0`.
    #[serde(default = "one_value")]
    pub input_channels: Value,
    /// `soft`, `nonnegative` or `hard`.
    pub thresholding: String,
    /// Layers `1..=K`.
    pub layers: Vec<LayerFile>,
    /// `Γ_K`, sparse.
    #[serde(default)]
    pub deepest_representation: Vec<EntryFile>,
    /// `E`, sparse.
    #[serde(default)]
    pub noise: Vec<EntryFile>,
    /// Declared `ε_0 ≥ ‖E‖^P_{2,∞}(n_1)`.
    #[serde(default)]
    pub noise_budget: Option<Value>,
    /// `w_K`, default 1.
    #[serde(default)]
    pub last_patch_width: Option<Value>,
}

fn one_value() -> Value {
    Value::from(1)
}

/// One layer as written.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerFile {
    /// `filters[c][t][c']`.
    pub filters: Vec<Vec<Vec<Value>>>,
    /// `β_i`.
    pub threshold: Value,
}

/// One nonzero entry of a sparse vector.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryFile {
    /// Position, `0..N`.
    pub position: Value,
    /// Channel, `0..m`.
    pub channel: Value,
    /// The value.
    pub value: Value,
}

/// A validated instance in a scalar type.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance<S> {
    /// A short name.
    pub name: String,
    /// Where it comes from.
    pub source: String,
    /// The dictionaries.
    pub model: Model<S>,
    /// The pursuit's operator.
    pub thresholding: Thresholding,
    /// `β_1, …, β_K`.
    pub thresholds: Vec<S>,
    /// `Γ_K`.
    pub deepest_representation: LayerVector<S>,
    /// `E`.
    pub noise: LayerVector<S>,
    /// Declared `ε_0`, if any.
    pub noise_budget: Option<S>,
    /// `w_K`.
    pub last_patch_width: usize,
}

impl InstanceFile {
    /// Reads and parses a file, with errors that name the path, line and column.
    pub fn read(path: &Path) -> Result<Self, InstanceError> {
        let display = path.display().to_string();
        let metadata = std::fs::metadata(path).map_err(|e| InstanceError::Io {
            path: display.clone(),
            message: e.to_string(),
        })?;
        if metadata.is_dir() {
            return Err(InstanceError::Io {
                path: display,
                message: "is a directory, not an instance file".into(),
            });
        }
        if metadata.len() > MAX_INSTANCE_BYTES {
            return Err(InstanceError::Io {
                path: display,
                message: format!("file is larger than {MAX_INSTANCE_BYTES} bytes"),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|e| InstanceError::Io {
            path: display.clone(),
            message: e.to_string(),
        })?;
        Self::parse(&text)
    }

    /// Parses instance JSON text.
    pub fn parse(text: &str) -> Result<Self, InstanceError> {
        let file: InstanceFile = serde_json::from_str(text).map_err(|e| InstanceError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        if file.format != INSTANCE_FORMAT {
            return Err(InstanceError::Field {
                field: "format".into(),
                message: format!("{:?} is not a known format (expected {INSTANCE_FORMAT:?})", file.format),
            });
        }
        Ok(file)
    }

    /// The validated exact instance: every number exact, filters of exactly unit norm.
    pub fn to_exact(&self) -> Result<Instance<Rational>, InstanceError> {
        self.build(|r| r.clone())
    }

    /// The validated `f64` instance: numbers rounded, filters of unit norm within
    /// [`crate::tolerance::UNIT_NORM_SQUARED`].
    pub fn to_f64(&self) -> Result<Instance<f64>, InstanceError> {
        self.build(|r| r.to_f64())
    }

    fn build<S: Scalar>(&self, convert: impl Fn(&Rational) -> S) -> Result<Instance<S>, InstanceError> {
        let signal_length = count(&self.signal_length, "signal_length")?;
        let input_channels = count(&self.input_channels, "input_channels")?;
        if self.layers.is_empty() {
            return Err(field("layers", "no layers: at least one is required"));
        }
        let thresholding = Thresholding::parse(&self.thresholding).ok_or_else(|| {
            field(
                "thresholding",
                &format!("{:?} is not one of \"soft\", \"nonnegative\", \"hard\"", self.thresholding),
            )
        })?;
        let mut layers = Vec::with_capacity(self.layers.len());
        let mut thresholds = Vec::with_capacity(self.layers.len());
        for (index, layer) in self.layers.iter().enumerate() {
            let number = index + 1;
            let mut filters = Vec::with_capacity(layer.filters.len());
            for (c, filter) in layer.filters.iter().enumerate() {
                let mut taps = Vec::with_capacity(filter.len());
                for (t, tap) in filter.iter().enumerate() {
                    let mut channels = Vec::with_capacity(tap.len());
                    for (k, value) in tap.iter().enumerate() {
                        let name = format!("layers[{index}].filters[{c}][{t}][{k}] (layer {number})");
                        channels.push(convert(&exact(value, &name)?));
                    }
                    taps.push(channels);
                }
                filters.push(taps);
            }
            layers.push(Layer::new(number, filters)?);
            let name = format!("layers[{index}].threshold (layer {number})");
            let beta = exact(&layer.threshold, &name)?;
            if beta.is_negative() {
                return Err(field(&name, &format!("{} is negative; a threshold must be ≥ 0", rational_to_text(&beta))));
            }
            thresholds.push(convert(&beta));
        }
        let model = Model::new(signal_length, input_channels, layers)?;
        let depth = model.depth();
        let deepest_representation = sparse_vector(
            &self.deepest_representation,
            "deepest_representation",
            signal_length,
            model.channels(depth),
            &convert,
        )?;
        let noise = sparse_vector(&self.noise, "noise", signal_length, input_channels, &convert)?;
        let noise_budget = match &self.noise_budget {
            None | Some(Value::Null) => None,
            Some(value) => {
                let budget = exact(value, "noise_budget")?;
                if budget.is_negative() {
                    return Err(field("noise_budget", "is negative; a noise budget must be ≥ 0"));
                }
                Some(convert(&budget))
            }
        };
        let last_patch_width = match &self.last_patch_width {
            None | Some(Value::Null) => 1,
            Some(value) => {
                let width = count(value, "last_patch_width")?;
                if width > signal_length {
                    return Err(field(
                        "last_patch_width",
                        &format!("{width} exceeds signal_length {signal_length}"),
                    ));
                }
                width
            }
        };
        Ok(Instance {
            name: self.name.clone(),
            source: self.source.clone(),
            model,
            thresholding,
            thresholds,
            deepest_representation,
            noise,
            noise_budget,
            last_patch_width,
        })
    }
}

fn field(name: &str, message: &str) -> InstanceError {
    InstanceError::Field {
        field: name.to_string(),
        message: message.to_string(),
    }
}

fn exact(value: &Value, name: &str) -> Result<Rational, InstanceError> {
    rational_from_json(value).map_err(|message| field(name, &message))
}

/// A positive whole number (a size, position or channel count).
fn count(value: &Value, name: &str) -> Result<usize, InstanceError> {
    let index = index(value, name)?;
    if index == 0 {
        return Err(field(name, "is 0: it must be at least 1"));
    }
    Ok(index)
}

/// A non-negative whole number.
fn index(value: &Value, name: &str) -> Result<usize, InstanceError> {
    let number = exact(value, name)?;
    if !number.is_integer() || number.is_negative() {
        return Err(field(name, &format!("{} is not a non-negative whole number", rational_to_text(&number))));
    }
    number
        .to_integer()
        .try_into()
        .ok()
        .filter(|n: &usize| *n <= (1usize << 40))
        .ok_or_else(|| field(name, &format!("{} is too large", rational_to_text(&number))))
}

fn sparse_vector<S: Scalar>(
    entries: &[EntryFile],
    name: &str,
    length: usize,
    channels: usize,
    convert: &impl Fn(&Rational) -> S,
) -> Result<LayerVector<S>, InstanceError> {
    let mut vector = LayerVector::zeros(length, channels);
    let mut seen = BTreeSet::new();
    for (k, entry) in entries.iter().enumerate() {
        let position = index(&entry.position, &format!("{name}[{k}].position"))?;
        if position >= length {
            return Err(field(
                &format!("{name}[{k}].position"),
                &format!("{position} is out of range 0..{length} (signal_length)"),
            ));
        }
        let channel = index(&entry.channel, &format!("{name}[{k}].channel"))?;
        if channel >= channels {
            return Err(field(
                &format!("{name}[{k}].channel"),
                &format!("{channel} is out of range 0..{channels}"),
            ));
        }
        if !seen.insert((position, channel)) {
            return Err(field(
                &format!("{name}[{k}]"),
                &format!("a second entry for position {position}, channel {channel}"),
            ));
        }
        let value = exact(&entry.value, &format!("{name}[{k}].value"))?;
        vector.set(position, channel, convert(&value));
    }
    Ok(vector)
}

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

impl Instance<Rational> {
    /// The file form of an exact instance, every number written as an exact rational string.
    pub fn to_file(&self) -> InstanceFile {
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
                        .map(|f| f.iter().map(|t| t.iter().map(text_value).collect()).collect())
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

    /// The `f64` image of an exact instance (no re-validation: exact unit norm implies the
    /// rounded filters are within tolerance).
    pub fn to_f64(&self) -> Instance<f64> {
        let f = |r: &Rational| r.to_f64();
        Instance {
            name: self.name.clone(),
            source: self.source.clone(),
            model: self.model.map(f),
            thresholding: self.thresholding,
            thresholds: self.thresholds.iter().map(f).collect(),
            deepest_representation: self.deepest_representation.map(f),
            noise: self.noise.map(f),
            noise_budget: self.noise_budget.as_ref().map(f),
            last_patch_width: self.last_patch_width,
        }
    }
}

impl<S: Scalar> Instance<S> {
    /// The noisy signal `Y = X + E` and the chain `[Γ_0 = X, Γ_1, …, Γ_K]`.
    pub fn signal_and_chain(&self) -> (LayerVector<S>, Vec<LayerVector<S>>) {
        let chain = self
            .model
            .synthesis_chain(&self.deepest_representation)
            .expect("shapes validated at construction");
        let signal = chain[0].sum(&self.noise);
        (signal, chain)
    }

    /// Whether the noise is identically zero.
    pub fn is_noiseless(&self) -> bool {
        self.noise.entries().iter().all(|v| v.is_zero())
    }
}
