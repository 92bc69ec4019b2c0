//! Instance files, formats `mlcsc-instance-1` and `mlcsc-instance-2` (fixtures/README.md, "The
//! instance format"); format 2 adds each layer's stride and padding and `signal-shape`
//! ([`super::instance_geometry`]).
//!
//! An instance holds the filters and threshold of every layer, the deepest representation
//! `Γ_K` and the noise `E` as sparse lists, an optional declared noise budget `ε_0`, and the
//! last layer's patch width. The intermediate `Γ_i` are computed, never stored, so an instance
//! is consistent by construction. Every number is read exactly.

use std::path::Path;

use num_traits::Signed;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::entry_value::EntryValue;
use super::error::InstanceError;
use super::instance_fields::{
    Quantity, count, exact, fast_float_image, field, float_image, sparse_vector,
};
pub use super::instance_geometry::PaddingFile;
use super::instance_geometry::{check_format_keys, layer_geometry};
use super::instance_image::{check_dimension_keys, is_image, last_patch, signal_grid};
use super::instance_image_layer::{
    check_image_axes, image_filter_shape, image_geometry, image_layer_words,
};
use super::instance_layer::{build_layer, exact_threshold};
use super::json_errors::explain_json_error;
use super::objects_only::objects_only;
use crate::instance::Instance;
use crate::model::Model;
use crate::scalar::{Rational, Scalar};
use crate::thresholding::Thresholding;

/// The format tag of the paper's instances (stride 1, circular), which are written in it.
pub const INSTANCE_FORMAT: &str = "mlcsc-instance-1";

/// The format tag of instances with strides and padding.
pub const INSTANCE_FORMAT_2: &str = "mlcsc-instance-2";

/// The largest instance file read (64 MiB): larger is surely not an instance.
pub const MAX_INSTANCE_BYTES: u64 = 64 << 20;

/// The largest `N · (m_0 + m_1 + … + m_K)` of an exact instance read from a file: the entries of
/// the signal and of every representation. An exact check holds several such vectors of big
/// rationals (about 600 bytes per entry in all), so this keeps a file from demanding more
/// memory than a workstation has, before any vector is allocated. It is below
/// [`crate::model::MAX_VECTOR_ENTRIES`], which bounds each `N · m_i` for `i ≥ 1` only.
pub const MAX_EXACT_INSTANCE_ENTRIES: usize = 1 << 22;

/// The same limit for `f64` instances (about 100 bytes per entry in all), also below
/// [`crate::model::MAX_VECTOR_ENTRIES`].
pub const MAX_FLOAT_INSTANCE_ENTRIES: usize = 1 << 26;

/// An instance file as written: numbers still JSON values, nothing validated yet.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "kebab-case", deny_unknown_fields)]
pub struct InstanceFile {
    /// [`INSTANCE_FORMAT`] or [`INSTANCE_FORMAT_2`].
    pub format: String,
    /// A short name.
    #[serde(default)]
    pub name: String,
    /// Where the instance comes from (paper section, generator and seed, issue).
    #[serde(default)]
    pub source: String,
    /// `N` (format 1, still read in format 2).
    #[serde(
        default,
        alias = "signal_length",
        skip_serializing_if = "Option::is_none"
    )]
    pub signal_length: Option<Value>,
    /// `[N]` (format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal_shape: Option<Value>,
    /// `m_0`.
    #[serde(default = "one_value", alias = "input_channels")]
    pub input_channels: Value,
    /// `soft`, `nonnegative` or `hard`.
    pub thresholding: String,
    /// Layers `1..=K`.
    pub layers: Vec<LayerFile>,
    /// `Γ_K`, sparse.
    #[serde(default, alias = "deepest_representation")]
    pub deepest_representation: Vec<EntryFile>,
    /// `E`, sparse.
    #[serde(default)]
    pub noise: Vec<EntryFile>,
    /// Declared `ε_0 ≥ ‖E‖^P_{2,∞}(n_1)`.
    #[serde(default, alias = "noise_budget")]
    pub noise_budget: Option<Value>,
    /// `w_K`, default 1.
    #[serde(default, alias = "last_patch_width")]
    pub last_patch_width: Option<Value>,
}

fn one_value() -> Value {
    Value::from(1)
}

objects_only!(InstanceFile, LayerFile, EntryFile);

/// One layer as written.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "kebab-case", deny_unknown_fields)]
pub struct LayerFile {
    /// `filters[c][t][c']`.
    pub filters: Vec<Vec<Vec<Value>>>,
    /// `β_i`.
    pub threshold: Value,
    /// `σ_i ≥ 1` (format 2; 1 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stride: Option<Value>,
    /// The padding (format 2; circular when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub padding: Option<PaddingFile>,
}

/// One nonzero entry of a sparse vector.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "kebab-case", deny_unknown_fields)]
pub struct EntryFile {
    /// Position, `0..N` (`[row, column]` on an image).
    pub position: EntryValue,
    /// Channel, `0..m`.
    pub channel: EntryValue,
    /// The value.
    pub value: EntryValue,
}

impl InstanceFile {
    /// Reads and parses a file, with errors that name the path, line and column.
    pub fn read(path: &Path) -> Result<Self, InstanceError> {
        use std::io::Read;
        let display = path.display().to_string();
        let io_error = |message: String| InstanceError::Io {
            path: display.clone(),
            message,
        };
        let metadata = std::fs::metadata(path).map_err(|e| io_error(e.to_string()))?;
        if metadata.is_dir() {
            return Err(io_error("is a directory, not an instance file".into()));
        }
        let too_large = || io_error(format!("file is larger than {MAX_INSTANCE_BYTES} bytes"));
        if metadata.len() > MAX_INSTANCE_BYTES {
            return Err(too_large());
        }
        // Read at most one byte past the limit: a device or pipe reports no length.
        let file = std::fs::File::open(path).map_err(|e| io_error(e.to_string()))?;
        // Room for the whole file at once (its stated length and the one byte that ends it), so
        // the buffer is not grown and copied as it is read.
        let mut bytes = Vec::with_capacity(metadata.len() as usize + 1);
        file.take(MAX_INSTANCE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(e.to_string()))?;
        if bytes.len() as u64 > MAX_INSTANCE_BYTES {
            return Err(too_large());
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            io_error(format!(
                "not UTF-8 text (invalid byte at offset {}); an instance is a JSON file",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Self::parse(&text)
    }

    /// Parses instance JSON text.
    pub fn parse(text: &str) -> Result<Self, InstanceError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(InstanceError::Json {
                line: 1,
                column: 1,
                message: "the file is empty; an instance is a JSON object".into(),
            });
        }
        // Objects only (`objects_only!`): an array in an object's place is a data error here,
        // which `explain_json_error` names by the document's shape.
        let file: InstanceFile =
            serde_json::from_str(text).map_err(|e| explain_json_error(text, &e))?;
        if file.format != INSTANCE_FORMAT && file.format != INSTANCE_FORMAT_2 {
            return Err(InstanceError::Field {
                field: "format".into(),
                message: format!(
                    "{:?} is not a known format (expected {INSTANCE_FORMAT:?} or {INSTANCE_FORMAT_2:?})",
                    file.format
                ),
            });
        }
        check_format_keys(&file)?;
        check_dimension_keys(&file)?;
        Ok(file)
    }

    /// The first layer whose stride and padding are not the paper's (stride 1, circular), or
    /// whose channels have thresholds of their own, in words (`layer 2: stride 2, zero padding
    /// (1, 1)`, `layer 1: one threshold per channel`), read before any number but the
    /// thresholds is.
    /// Every layer of an image file is outside the paper's layers: the first is named, with
    /// its filters' shape and both axes' strides and padding.
    pub fn first_real_layer(&self) -> Result<Option<String>, InstanceError> {
        if is_image(self) {
            return match self.layers.first() {
                Some(layer) => image_layer_words(layer).map(Some),
                None => Ok(None),
            };
        }
        let layers = (self.layers.iter().enumerate())
            .map(|(index, layer)| {
                let geometry = layer_geometry(index, layer)?;
                let filter_count = layer.filters.len();
                let beta = exact_threshold(index, &layer.threshold, filter_count)?;
                Ok((geometry, beta.shared().is_none()))
            })
            .collect::<Result<Vec<_>, InstanceError>>()?;
        Ok(crate::threshold::first_real_layer_of(layers))
    }

    /// The validated exact instance: every number exact, filters of exactly unit norm.
    pub fn to_exact(&self) -> Result<Instance<Rational>, InstanceError> {
        self.build(
            |r, _| Ok(r.clone()),
            |_, _| None,
            MAX_EXACT_INSTANCE_ENTRIES,
            false,
        )
    }

    /// The exact **normalised twin** of an instance whose filters are unit only within
    /// [`crate::tolerance::UNIT_NORM_SQUARED`] (the filters the `f64` screen accepts and
    /// normalises): every filter `f` divided by `‖f‖`, exactly. This is possible when each
    /// `‖f‖²` is the square of a rational (as for `1.000004`, whose square is
    /// `1.000008000016`); otherwise the twin has irrational taps, and the error names the
    /// filter. Filters of exactly unit norm are kept as they are, so an exact-valid file gives
    /// [`InstanceFile::to_exact`]'s instance.
    pub fn to_exact_normalised(&self) -> Result<Instance<Rational>, InstanceError> {
        self.build(
            |r, _| Ok(r.clone()),
            |_, _| None,
            MAX_EXACT_INSTANCE_ENTRIES,
            true,
        )
    }

    /// The magnitudes `[low, high]` of the nonzero thresholds, coefficients of `Γ_K`, noise
    /// entries and noise budget that [`InstanceFile::to_f64`] accepts:
    /// [`crate::tolerance::SCREEN_MAGNITUDES`], where the reason for its size is given.
    pub const F64_MAGNITUDES: (f64, f64) = crate::tolerance::SCREEN_MAGNITUDES;

    /// The validated `f64` instance: numbers rounded, filters of unit norm within
    /// [`crate::tolerance::UNIT_NORM_SQUARED`]. A nonzero number whose `f64` image is
    /// infinite, zero or subnormal is an error (rounding it would change the instance), and so
    /// is a threshold, coefficient, noise entry or budget outside
    /// [`InstanceFile::F64_MAGNITUDES`].
    pub fn to_f64(&self) -> Result<Instance<f64>, InstanceError> {
        self.build(
            float_image,
            fast_float_image,
            MAX_FLOAT_INSTANCE_ENTRIES,
            false,
        )
    }

    /// The declared noise budget `ε_0`, converted; `None` when the file has none.
    fn noise_budget<S: Scalar>(
        &self,
        convert: &impl Fn(&Rational, Quantity) -> Result<S, String>,
    ) -> Result<Option<S>, InstanceError> {
        let Some(value) = self.noise_budget.as_ref().filter(|v| !v.is_null()) else {
            return Ok(None);
        };
        let budget = exact(value, "noise-budget")?;
        if budget.is_negative() {
            return Err(field(
                "noise-budget",
                "is negative; a noise budget must be ≥ 0",
            ));
        }
        convert(&budget, Quantity::Magnitude)
            .map(Some)
            .map_err(|m| field("noise-budget", &m))
    }

    fn build<S: Scalar>(
        &self,
        convert: impl Fn(&Rational, Quantity) -> Result<S, String>,
        fast: impl Fn(&str, Quantity) -> Option<S>,
        max_entries: usize,
        normalise: bool,
    ) -> Result<Instance<S>, InstanceError> {
        let image = is_image(self);
        let signal = signal_grid(self)?;
        let input_channels = count(&self.input_channels, "input-channels")?;
        if self.layers.is_empty() {
            return Err(field("layers", "no layers: at least one is required"));
        }
        let thresholding = Thresholding::parse(&self.thresholding).ok_or_else(|| {
            field(
                "thresholding",
                &format!(
                    "{:?} is not one of \"soft\", \"nonnegative\", \"hard\"",
                    self.thresholding
                ),
            )
        })?;
        let mut layers = Vec::with_capacity(self.layers.len());
        let mut thresholds = Vec::with_capacity(self.layers.len());
        for (index, layer) in self.layers.iter().enumerate() {
            let shape = if image {
                Some(image_filter_shape(index, layer)?)
            } else {
                None
            };
            let (layer_model, beta) =
                build_layer(index, layer, &convert, &fast, (normalise, image))?;
            layers.push(match shape {
                Some(shape) => {
                    layer_model.on_grid(index + 1, shape, image_geometry(index, layer)?)?
                }
                None => layer_model.with_geometry(layer_geometry(index, layer)?),
            });
            thresholds.push(beta);
        }
        if image {
            check_image_axes(signal, &layers)?;
        }
        let model = Model::on_grid(signal, input_channels, layers)?;
        let depth = model.depth();
        check_entry_count(&model, max_entries)?;
        let deepest_representation = sparse_vector(
            &self.deepest_representation,
            "deepest-representation",
            model.grid(depth),
            model.channels(depth),
            &convert,
            &fast,
        )?;
        let noise = sparse_vector(
            &self.noise,
            "noise",
            model.grid(0),
            input_channels,
            &convert,
            &fast,
        )?;
        let noise_budget = self.noise_budget(&convert)?;
        let (last_patch_rows, last_patch_width) =
            last_patch(self.last_patch_width.as_ref(), &model, image)?;
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
            last_patch_rows,
        })
    }
}

/// `N · (m_0 + … + m_K)` within `max_entries`, checked before any vector is allocated.
fn check_entry_count<S: Scalar>(model: &Model<S>, max_entries: usize) -> Result<(), InstanceError> {
    let channels: usize = (0..=model.depth()).map(|i| model.channels(i)).sum();
    let length = model.signal_length();
    let entries = (0..=model.depth())
        .map(|i| model.length(i).saturating_mul(model.channels(i)))
        .fold(0usize, usize::saturating_add);
    if entries > max_entries {
        let arithmetic = if S::EXACT { "exact" } else { "f64" };
        let sizes = if model.has_paper_geometry() {
            format!("N × (m_0 + … + m_K) = {length} × {channels}")
        } else {
            format!("N_0 m_0 + … + N_K m_K = {entries}")
        };
        // An image's sizes come from its signal-shape [H, W].
        let name = if model.grid(0).rows > 1 {
            "signal-shape"
        } else {
            "signal-length"
        };
        return Err(field(
            name,
            &format!("{sizes} entries exceed the limit {max_entries} of {arithmetic} instances"),
        ));
    }
    Ok(())
}
