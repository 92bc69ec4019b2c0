//! Theorem 2 for real layers: strides, zero or no padding, and one threshold per channel
//! (`proofs/theorem2_real_layers.md`). It is Theorem 2 of Papyan, Romano and Elad with each
//! layer's coherence read per atom and each channel's threshold given its own window:
//!
//! > Suppose `Y = X + E`, `X = D_1 Γ_1`, `Γ_{i-1} = D_i Γ_i`, `‖E‖^P_{2,∞} ≤ ε_0` over the
//! > supports of the first layer's atoms, every `Γ_i ≠ 0` (`≥ 0` for the ReLU form), and the
//! > **guard band**: every `Γ_i` is supported on interior atoms of layer `i`. If for every layer
//! > `i` and channel `c`
//! >
//! > `(b_c)  s_i μ_{i,c} |Γ_i^max| + ε_{i-1} < β_{i,c} < |Γ^min_{i,c}| − (s_i − 1) μ_{i,c} |Γ_i^max| − ε_{i-1}`
//! >
//! > (a channel without support needs only the left inequality), then layered thresholding
//! > `Γ̂_i = T_{β_i}(D_iᵀ Γ̂_{i-1})`, `Γ̂_0 = Y`, recovers the support and signs of every `Γ_i`;
//! > the error of an atom of channel `c` is at most `δ_{i,c} = ε_{i-1} + (s_i − 1) μ_{i,c}
//! > |Γ_i^max| + β_{i,c}` (without `β_{i,c}` for hard thresholding); and
//! > `‖Γ_i − Γ̂_i‖^P_{2,∞} ≤ ε_i = sqrt(p_i) max_c δ_{i,c}`, the maximum over the channels
//! > holding support and the patch norm over the supports of layer `i + 1`'s atoms.
//!
//! Here `μ_{i,c}` is the coherence of channel `c` over displacements in `σ_i ℤ`
//! ([`crate::strided_coherence::channel_coherence`]), `s_i` the strided stripe sparsity and
//! `p_i` the strided patch sparsity ([`crate::strided_norms`]). At stride 1 with circular
//! padding and one threshold per layer the hypotheses are implied by Theorem 2's and the
//! conclusions imply Theorem 2's (`μ_{i,c} ≤ μ_i`).
//!
//! The two passes are those of Theorem 2: [`hypotheses::real_epsilon_chain`] fixes the
//! windows, the bounds `δ_{i,c}` and `ε_i` without looking at an estimate, and
//! [`conclusions::real_conclusions`] runs layered thresholding and checks it against them.
//!
//! The forms that drop a part ([`RealForm`]) are negative controls, each refuted by a
//! generated counterexample.
#![doc = include_str!("../../../../proofs/theorem2_real_layers.md")]

pub mod conclusions;
pub mod hypotheses;
pub mod profile;
mod witness;

pub use conclusions::{
    RealConclusions, RealLayerErrors, decide_real, real_conclusions, real_verdict,
};
pub use hypotheses::{RealEpsilonChain, RealLayerBounds, real_epsilon_chain};
pub use profile::{CoherenceSource, RealLayerProfile, real_layer_profile};

/// A form of the statement: the theorem ([`RealForm::STATED`]) or a negative control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RealForm {
    /// Whether the guard band is a hypothesis.
    pub guard_band: bool,
    /// Whether a channel without support needs its window's lower end (a threshold above the
    /// largest interference), so that a negative threshold, a positive bias, is excluded.
    pub idle_channel_window: bool,
    /// Where `μ` is read.
    pub coherence: CoherenceSource,
}

impl RealForm {
    /// The theorem.
    pub const STATED: RealForm = RealForm {
        guard_band: true,
        idle_channel_window: true,
        coherence: CoherenceSource::PerAtom,
    };
    /// The guard band dropped: supports on truncated border atoms are allowed.
    pub const WITHOUT_GUARD_BAND: RealForm = RealForm {
        guard_band: false,
        ..RealForm::STATED
    };
    /// Channels without support unconstrained: a channel with a positive bias is allowed.
    pub const WITHOUT_IDLE_CHANNEL_WINDOW: RealForm = RealForm {
        idle_channel_window: false,
        ..RealForm::STATED
    };
    /// The guard band dropped and one global `μ` read from the dictionary's Gram matrix as it
    /// is, truncated border atoms included.
    pub const NAIVE_GLOBAL_COHERENCE: RealForm = RealForm {
        guard_band: false,
        idle_channel_window: true,
        coherence: CoherenceSource::TruncatedGram,
    };
}
