//! The instance: what every result is stated on (docs/math.md §5–§7).
//!
//! An instance holds the filters and threshold of every layer, the thresholding operator, the
//! deepest representation `Γ_K`, the noise `E`, an optional declared noise budget `ε_0`, and the
//! last layer's patch width `w_K`. The intermediate `Γ_i` are computed, never stored, so an
//! instance is consistent by construction. Its file form is `mlcsc::io::InstanceFile`.

use crate::model::{FilterShape, LayerVector, Model};
use crate::scalar::{Rational, Scalar};
use crate::threshold::{Threshold, first_real_layer_of};
use crate::thresholding::Thresholding;

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
    /// `β_1, …, β_K`, each shared by its layer's channels or one per output channel.
    pub thresholds: Vec<Threshold<S>>,
    /// `Γ_K`.
    pub deepest_representation: LayerVector<S>,
    /// `E`.
    pub noise: LayerVector<S>,
    /// Declared `ε_0`, if any.
    pub noise_budget: Option<S>,
    /// `w_K`: the columns of the last layer's patch (its positions on a line).
    pub last_patch_width: usize,
    /// The rows of the last layer's patch: 1 on a line; `h` of the patch `h × w_K` of an
    /// image.
    pub last_patch_rows: usize,
}

impl Instance<Rational> {
    /// The `f64` image of an exact instance (no re-validation: exact unit norm implies the
    /// rounded filters are within tolerance).
    pub fn to_f64(&self) -> Instance<f64> {
        self.map(|r: &Rational| r.to_f64())
    }
}

impl<S: Scalar> Instance<S> {
    /// The same instance in another scalar type, every number mapped by `f`, without
    /// re-validation (the caller vouches that `f` keeps the instance valid).
    pub fn map<T: Scalar>(&self, f: impl Fn(&S) -> T + Copy) -> Instance<T> {
        Instance {
            name: self.name.clone(),
            source: self.source.clone(),
            model: self.model.map(f),
            thresholding: self.thresholding,
            thresholds: self.thresholds.iter().map(|t| t.map(f)).collect(),
            deepest_representation: self.deepest_representation.map(f),
            noise: self.noise.map(f),
            noise_budget: self.noise_budget.as_ref().map(f),
            last_patch_width: self.last_patch_width,
            last_patch_rows: self.last_patch_rows,
        }
    }

    /// The noisy signal `Y = X + E` and the chain `[Γ_0 = X, Γ_1, …, Γ_K]`.
    pub fn signal_and_chain(&self) -> (LayerVector<S>, Vec<LayerVector<S>>) {
        let chain = self
            .model
            .synthesis_chain(&self.deepest_representation)
            .expect("shapes validated at construction");
        let signal = chain[0].sum(&self.noise);
        (signal, chain)
    }

    /// The first layer (from 1) that is not the paper's, in words: its stride and padding when
    /// they are not stride 1 with circular padding, then `one threshold per channel` when its
    /// channels' thresholds differ (`layer 2: one threshold per channel`); `None` when every
    /// layer is the paper's. A result stated for the paper's layers refuses such an instance.
    pub fn first_real_layer(&self) -> Option<String> {
        if let Some(image) = self.model.first_image_layer() {
            return Some(image);
        }
        let layers = self.model.layers().iter().zip(&self.thresholds);
        first_real_layer_of(layers.map(|(layer, beta)| (layer.geometry(), beta.shared().is_none())))
    }

    /// The last layer's patch, `h × w_K` (`1 × w_K` on a line).
    pub fn last_patch(&self) -> FilterShape {
        FilterShape {
            rows: self.last_patch_rows,
            columns: self.last_patch_width,
        }
    }

    /// Whether the noise is identically zero.
    pub fn is_noiseless(&self) -> bool {
        self.noise.entries().iter().all(|v| v.is_zero())
    }
}
