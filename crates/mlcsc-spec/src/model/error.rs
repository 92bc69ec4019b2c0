//! Typed errors for invalid models and vectors. Each variant names the broken condition and
//! where it is (layer, filter, tap, channel), counted from 1 for layers as in the paper.

use thiserror::Error;

/// Why a model, layer or layer vector is not a valid instance of the ML-CSC conventions.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The model has no layers.
    #[error("the model has no layers: at least one layer is required")]
    NoLayers,
    /// `N = 0`.
    #[error("signal-length is 0: it must be at least 1")]
    ZeroSignalLength,
    /// `N` beyond what the tool will allocate.
    #[error("signal-length {length} exceeds the supported maximum {max}")]
    SignalLengthTooLarge {
        /// The requested `N`.
        length: usize,
        /// The largest supported `N`.
        max: usize,
    },
    /// A channel count of zero.
    #[error("{what} is 0: it must be at least 1")]
    ZeroChannels {
        /// Which count (`input_channels`, or the layer's filter count).
        what: String,
    },
    /// A layer with no filters or a filter with no taps.
    #[error("layer {layer}: {what}")]
    EmptyLayer {
        /// Layer number, from 1.
        layer: usize,
        /// What is empty.
        what: String,
    },
    /// A filter whose shape differs from the layer's first filter, or whose channel count does
    /// not match the previous layer.
    #[error(
        "layer {layer}, filter {filter}: {what} is {found}, expected {expected} (filters are m_i × n_i × m_(i-1))"
    )]
    Shape {
        /// Layer number, from 1.
        layer: usize,
        /// Filter index, from 0.
        filter: usize,
        /// What was measured.
        what: String,
        /// What was expected.
        expected: usize,
        /// What was found.
        found: usize,
    },
    /// `N < 2 n_i - 1`.
    #[error(
        "layer {layer}: signal-length {signal_length} is too small for filter length {filter_length}; the conventions need N ≥ 2n - 1 = {required}"
    )]
    SignalTooShort {
        /// Layer number, from 1.
        layer: usize,
        /// `N`.
        signal_length: usize,
        /// `n_i`.
        filter_length: usize,
        /// `2 n_i - 1`.
        required: usize,
    },
    /// A NaN or infinite entry.
    #[error(
        "layer {layer}, filter {filter}, tap {tap}, channel {channel}: entry {value} is not finite"
    )]
    NonFinite {
        /// Layer number, from 1.
        layer: usize,
        /// Filter index, from 0.
        filter: usize,
        /// Tap, from 0.
        tap: usize,
        /// Input channel, from 0.
        channel: usize,
        /// The value as text.
        value: String,
    },
    /// A filter whose squared `ℓ2` norm is not 1.
    #[error("layer {layer}, filter {filter}: squared norm is {norm_squared}, not 1{hint}")]
    FilterNotUnitNorm {
        /// Layer number, from 1.
        layer: usize,
        /// Filter index, from 0.
        filter: usize,
        /// `‖f‖²`, exactly or as a float.
        norm_squared: String,
        /// Advice on what to do.
        hint: String,
    },
    /// A vector whose shape does not match the layer it is used with.
    #[error(
        "{what}: shape {found_length} × {found_channels}, expected {expected_length} × {expected_channels}"
    )]
    VectorShape {
        /// Which vector.
        what: String,
        /// Expected `N`.
        expected_length: usize,
        /// Expected channels.
        expected_channels: usize,
        /// Found `N`.
        found_length: usize,
        /// Found channels.
        found_channels: usize,
    },
    /// A layer geometry with stride 0.
    #[error("layer {layer}: stride is 0: it must be at least 1")]
    ZeroStride {
        /// Layer number, from 1.
        layer: usize,
    },
    /// Circular padding with a stride that does not divide the input length.
    #[error(
        "layer {layer}: stride {stride} does not divide input-length {input_length}; circular padding needs σ | N_(i-1) (use zero or valid padding, or another length)"
    )]
    StrideDoesNotDivideLength {
        /// Layer number, from 1.
        layer: usize,
        /// `σ`.
        stride: usize,
        /// `N_{i-1}`.
        input_length: usize,
    },
    /// Zero or valid padding with `N_{i-1} + P^l + P^r < n_i`: no window fits.
    #[error(
        "layer {layer}: input-length {input_length} with {padding} padding {left} + {right} is shorter than filter-length {filter_length}; it needs N_(i-1) + P^l + P^r ≥ n"
    )]
    PaddedInputTooShort {
        /// Layer number, from 1.
        layer: usize,
        /// The padding mode (`zero` or `valid`).
        padding: &'static str,
        /// `N_{i-1}`.
        input_length: usize,
        /// `P^l`.
        left: usize,
        /// `P^r`.
        right: usize,
        /// `n_i`.
        filter_length: usize,
    },
}
