//! The multi-layer model: `K` convolutional dictionaries over one signal length `N`, with the
//! synthesis chain `X = D_1 Γ_1`, `Γ_{i-1} = D_i Γ_i` (docs/math.md §1, §5).

use super::error::ModelError;
use super::layer::Layer;
use crate::scalar::Scalar;

/// The largest `N` accepted (`2^24`), so that a mistyped length cannot trigger a giant
/// allocation; the benchmarks use up to `2^20`.
pub const MAX_SIGNAL_LENGTH: usize = 1 << 24;

/// The largest number of entries (`N · m_i`) of any layer vector, for the same reason.
pub const MAX_VECTOR_ENTRIES: usize = 1 << 28;

/// An ML-CSC model: signal length `N`, input channels `m_0` and layers `1..=K`.
#[derive(Clone, Debug, PartialEq)]
pub struct Model<S> {
    signal_length: usize,
    input_channels: usize,
    layers: Vec<Layer<S>>,
}

impl<S: Scalar> Model<S> {
    /// A model, checking every requirement of docs/math.md §1 except unit norm (checked by
    /// [`Layer::new`]): at least one layer, `N ≥ 1`, channel agreement between layers,
    /// `N ≥ 2 n_i - 1`, and sizes within [`MAX_SIGNAL_LENGTH`] and [`MAX_VECTOR_ENTRIES`].
    pub fn new(
        signal_length: usize,
        input_channels: usize,
        layers: Vec<Layer<S>>,
    ) -> Result<Self, ModelError> {
        if signal_length == 0 {
            return Err(ModelError::ZeroSignalLength);
        }
        if signal_length > MAX_SIGNAL_LENGTH {
            return Err(ModelError::SignalLengthTooLarge {
                length: signal_length,
                max: MAX_SIGNAL_LENGTH,
            });
        }
        if input_channels == 0 {
            return Err(ModelError::ZeroChannels {
                what: "input-channels".into(),
            });
        }
        if layers.is_empty() {
            return Err(ModelError::NoLayers);
        }
        let mut previous = input_channels;
        for (index, layer) in layers.iter().enumerate() {
            let number = index + 1;
            if layer.input_channels() != previous {
                return Err(ModelError::Shape {
                    layer: number,
                    filter: 0,
                    what: "the number of input channels".into(),
                    expected: previous,
                    found: layer.input_channels(),
                });
            }
            let required = layer.stripe_width();
            if signal_length < required {
                return Err(ModelError::SignalTooShort {
                    layer: number,
                    signal_length,
                    filter_length: layer.filter_length(),
                    required,
                });
            }
            if signal_length.saturating_mul(layer.filter_count()) > MAX_VECTOR_ENTRIES {
                return Err(ModelError::SignalLengthTooLarge {
                    length: signal_length,
                    max: MAX_VECTOR_ENTRIES / layer.filter_count(),
                });
            }
            previous = layer.filter_count();
        }
        Ok(Model {
            signal_length,
            input_channels,
            layers,
        })
    }

    /// `N`.
    pub fn signal_length(&self) -> usize {
        self.signal_length
    }

    /// `m_0`.
    pub fn input_channels(&self) -> usize {
        self.input_channels
    }

    /// `K`, the number of layers.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// The layers `1..=K` (index 0 is layer 1).
    pub fn layers(&self) -> &[Layer<S>] {
        &self.layers
    }

    /// Layer `i` for `1 ≤ i ≤ K`.
    pub fn layer(&self, i: usize) -> &Layer<S> {
        &self.layers[i - 1]
    }

    /// `m_i` for `0 ≤ i ≤ K`.
    pub fn channels(&self, i: usize) -> usize {
        if i == 0 {
            self.input_channels
        } else {
            self.layers[i - 1].filter_count()
        }
    }

    /// The same model in another scalar type, without re-validation.
    pub fn map<T: Scalar>(&self, f: impl Fn(&S) -> T + Copy) -> Model<T> {
        Model {
            signal_length: self.signal_length,
            input_channels: self.input_channels,
            layers: self.layers.iter().map(|l| l.map(f)).collect(),
        }
    }
}
