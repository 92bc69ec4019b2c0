//! Why a network does not fold into the model, naming the stage and the layer.

use thiserror::Error;

use crate::model::ModelError;

/// Where a stage sits: its number in the list (from 1), its name, and the convolution layer
/// it follows (`after layer 2`) or precedes (`before layer 1`), counted from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagePlace {
    /// The stage's number, from 1.
    pub stage: usize,
    /// The stage's name ([`super::Stage::name`]).
    pub name: &'static str,
    /// The convolutions before this stage, itself included when it is one.
    pub layers_before: usize,
}

impl std::fmt::Display for StagePlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (stage, name) = (self.stage, self.name);
        match self.layers_before {
            0 => write!(f, "stage {stage} ({name}, before layer 1)"),
            layer if name == "convolution" => write!(f, "stage {stage} ({name}, layer {layer})"),
            layer => write!(f, "stage {stage} ({name}, after layer {layer})"),
        }
    }
}

/// Why a network does not fold, or does not run.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum FoldingError {
    /// A stage, or an arrangement of stages, that the model has no counterpart for.
    #[error("{place}: {reason}")]
    Refused {
        /// The stage.
        place: StagePlace,
        /// Why, in words.
        reason: String,
    },
    /// A stage whose channel count differs from that of its input.
    #[error("{place}: {what} has {found} channels, its input has {expected}")]
    Channels {
        /// The stage.
        place: StagePlace,
        /// What was measured.
        what: String,
        /// The channels of the input.
        expected: usize,
        /// The channels found.
        found: usize,
    },
    /// A zero filter with a positive bias: the channel is the constant `ReLU(b) > 0`, which is
    /// no code of the model.
    #[error(
        "layer {layer}, filter {filter}: the folded filter is zero and the bias {bias} is positive, so the channel is the constant {bias}, which the model (a synthesis from sparse codes) does not have"
    )]
    ConstantChannel {
        /// The layer, from 1.
        layer: usize,
        /// The filter, by its index in the network.
        filter: usize,
        /// The bias, as text.
        bias: String,
    },
    /// Every filter of a layer is zero.
    #[error("layer {layer}: every folded filter is zero (all channels dead); nothing to fold")]
    AllDead {
        /// The layer, from 1.
        layer: usize,
    },
    /// The folded filters do not form a layer of the model (a shape the model refuses).
    #[error("layer {layer}: the folded filters: {source}")]
    Dictionary {
        /// The layer, from 1.
        layer: usize,
        /// The model's error.
        source: ModelError,
    },
}
