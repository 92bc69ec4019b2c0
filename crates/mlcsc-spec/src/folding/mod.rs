//! Folding a trained ReLU network into the model, exactly (`proofs/folding.md`).
//!
//! A network of convolutions with bias, stride and padding, ReLU, batch norms and average
//! pools ([`Network`]) is first read as a chain of layers `A_i = ReLU(W_i ⋆ A_{i-1} + b_i)`
//! ([`relu_layers`]: batch norms and pools fold into the convolutions, max pooling and residual
//! connections are refused, naming the stage and the layer). The chain then folds
//! ([`fold`]): with `ρ_0 ≡ 1`, `W'_i = W_i · ρ_{i-1}`, `ρ_{i,c} = ‖W'_i[c]‖`, the unit
//! filters `F_i = W'_i / ρ_i` and the thresholds `β_{i,c} = −b_{i,c}/ρ_{i,c}` give
//! `A_i = diag(ρ_i) Γ̂_i`, `Γ̂_i = S⁺_{β_i}(D(F_i)ᵀ Γ̂_{i-1})`, `Γ̂_0 = A_0`. [`forward`] runs
//! the network as written, the reference of `tests/all/folding.rs`.

mod canonical;
mod error;
mod exact_root;
mod fold;
mod folded_coherence;
mod forward;
mod input_transform;
mod network;

pub use canonical::relu_layers;
pub use error::{FoldingError, StagePlace};
pub use exact_root::exact_square_root;
pub use fold::{ChannelCoherence, FoldedLayer, FoldedNetwork, fold, fold_with};
pub use folded_coherence::{
    channel_coherence_squared, folded_correlation_squared, grid_channel_coherence_squared,
    grid_folded_correlation_squared, grid_largest_correlation_squared, grid_weighted_correlation,
    largest_correlation_squared, weighted_correlation,
};
pub use forward::forward;
pub use input_transform::{ReluLayer, pads_zeros};
pub use network::{BatchNorm, Convolution, Network, Stage};
