//! What deciding a result on one instance gives: the verdict, how it was decided, the
//! measurements a campaign collects, and the result's own report for `check` to show
//! (docs/math.md §8).

use std::fmt::Debug;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use super::verdict::{DecidedBy, Verdict};
use crate::instance::Instance;
use crate::scalar::Scalar;

/// The outcome of one case: the verdict, whether it is certified, and measurements.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Outcome {
    /// The verdict.
    pub verdict: Verdict,
    /// Decided in exact arithmetic.
    pub certified: bool,
    /// How close the conclusion came to its bound (observed / bound), if measured.
    pub tightness: Option<f64>,
    /// Named margins: how far the case is from each hypothesis's boundary (≥ 0 inside).
    pub margins: Vec<(String, f64)>,
    /// Named features of the case (depth, sparsity, noise, channels) for coverage statistics.
    pub features: Vec<(String, f64)>,
    /// Which arithmetic decided the verdict.
    #[serde(skip)]
    pub decided_by: DecidedBy,
    /// The result's own report on the instance, if it has one beyond the verdict; rendered
    /// only when shown.
    #[serde(skip)]
    pub details: Option<Arc<dyn Details>>,
}

impl Outcome {
    /// An exact outcome with only a verdict.
    pub fn from_verdict(verdict: Verdict) -> Self {
        Outcome {
            verdict,
            certified: true,
            tightness: None,
            margins: Vec::new(),
            features: Vec::new(),
            decided_by: DecidedBy::Exact,
            details: None,
        }
    }

    /// This outcome with a result's own report attached.
    pub fn with_details(mut self, details: impl Details + 'static) -> Self {
        self.details = Some(Arc::new(details));
        self
    }
}

/// The coverage features every layered result shares: the depth `K`, whether the instance is
/// noisy (1 or 0), the largest stripe sparsity `max_i s_i` of the report, and the most channels
/// `max_i m_i` of any layer.
pub fn shape_features<S: Scalar>(
    instance: &Instance<S>,
    stripe_sparsities: impl Iterator<Item = usize>,
) -> Vec<(String, f64)> {
    let model = &instance.model;
    vec![
        ("depth".into(), model.depth() as f64),
        (
            "noisy".into(),
            if instance.is_noiseless() { 0.0 } else { 1.0 },
        ),
        (
            "max-stripe-sparsity".into(),
            stripe_sparsities.max().unwrap_or(0) as f64,
        ),
        (
            "max-channels".into(),
            (0..=model.depth())
                .map(|i| model.channels(i))
                .max()
                .unwrap_or(1) as f64,
        ),
    ]
}

/// The coverage events of real layers every result stated for them shares: `event:strided`
/// (a layer of stride at least 2), `event:zero-padding` and `event:differing-thresholds` (a
/// layer whose channels' thresholds differ), each 1 or 0.
pub fn real_layer_events<S: Scalar>(instance: &Instance<S>) -> Vec<(String, f64)> {
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let layers = instance.model.layers();
    vec![
        (
            "event:strided".into(),
            flag(layers.iter().any(|l| l.geometry().stride >= 2)),
        ),
        (
            "event:zero-padding".into(),
            flag(
                layers
                    .iter()
                    .any(|l| matches!(l.geometry().padding, crate::model::Padding::Zero { .. })),
            ),
        ),
        (
            "event:differing-thresholds".into(),
            flag(instance.thresholds.iter().any(|t| t.shared().is_none())),
        ),
    ]
}

/// The coverage events of an image instance (signal grid of more than one row and column),
/// none for a one-dimensional one: `event:image-strided` (a layer of stride at least 2 on both
/// axes), `event:image-padded` (a layer zero-padded on some axis) and
/// `event:image-separable-overlap` (a layer whose atoms overlap across rows and columns:
/// [`overlaps_across_rows_and_columns`]), each 1 or 0.
pub fn image_events<S: Scalar>(instance: &Instance<S>) -> Vec<(String, f64)> {
    let signal = instance.model.grid(0);
    if signal.rows <= 1 || signal.columns <= 1 {
        return Vec::new();
    }
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let axes = || instance.model.layers().iter().map(|l| l.grid_geometry());
    let zero = |g: crate::model::Geometry| matches!(g.padding, crate::model::Padding::Zero { .. });
    vec![
        (
            "event:image-strided".into(),
            flag(axes().any(|g| g.rows.stride >= 2 && g.columns.stride >= 2)),
        ),
        (
            "event:image-padded".into(),
            flag(axes().any(|g| zero(g.rows) || zero(g.columns))),
        ),
        (
            "event:image-separable-overlap".into(),
            flag(
                instance
                    .model
                    .layers()
                    .iter()
                    .any(overlaps_across_rows_and_columns),
            ),
        ),
    ]
}

/// Whether the nonzero taps of `layer`'s filters (all filters and channels) span more than one
/// row and more than one column, and each axis's stride is below that axis's span: atoms of
/// neighbouring positions overlap on both axes, so an atom meets atoms on other rows and on
/// other columns (for a separable `g ⊗ f`, both factors longer than one tap and each stride
/// below its factor's length; a Dirac row `e_j ⊗ f` never).
pub fn overlaps_across_rows_and_columns<S: Scalar>(layer: &crate::model::Layer<S>) -> bool {
    let shape = layer.filter_shape();
    let channels = layer.input_channels();
    let (mut rows, mut columns) = ((usize::MAX, 0), (usize::MAX, 0));
    for c in 0..layer.filter_count() {
        for t in 0..shape.taps() {
            if (0..channels).any(|k| !layer.tap(c, t, k).is_zero()) {
                let (row, column) = shape.coordinates(t);
                rows = (rows.0.min(row), rows.1.max(row));
                columns = (columns.0.min(column), columns.1.max(column));
            }
        }
    }
    let span = |(low, high): (usize, usize)| if low > high { 0 } else { high - low + 1 };
    let geometry = layer.grid_geometry();
    let (rows, columns) = (span(rows), span(columns));
    rows >= 2 && columns >= 2 && geometry.rows.stride < rows && geometry.columns.stride < columns
}

/// A result's own report on one instance (its typed per-layer record), kept as computed and
/// rendered for `check` only when shown.
pub trait Details: Debug + Send + Sync {
    /// The report in the one form every result is shown in.
    fn render(&self) -> Report;
}

/// A result's report on one instance beyond its verdict, typed by what each value is so that
/// one printer renders every result: JSON fields, lines of text, and a table with one row per
/// layer.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Named values for the JSON report, in order.
    pub fields: Vec<(&'static str, Value)>,
    /// Lines of text, each a label (`ε_0 = `) and a value.
    pub lines: Vec<(String, Cell)>,
    /// The per-layer table, if the result has one.
    pub table: Option<Table>,
}

/// A per-layer table: the column headings with their widths, and the rows. Its JSON is
/// `layers`, the rows' full records.
#[derive(Clone, Debug)]
pub struct Table {
    /// Each column's heading and width.
    pub columns: Vec<(&'static str, usize)>,
    /// One row of cells per layer.
    pub rows: Vec<Vec<Cell>>,
    /// The full per-layer records, as JSON.
    pub json: Value,
}

/// One value as the text report shows it.
#[derive(Clone, Debug)]
pub enum Cell {
    /// A real number, written for reading.
    Number(f64),
    /// A count.
    Count(usize),
    /// A yes/no fact.
    Flag(bool),
    /// Anything else, as written.
    Text(String),
}
