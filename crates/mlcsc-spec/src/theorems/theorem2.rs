//! Theorem 2 of Papyan, Romano and Elad: stability of layered soft thresholding, that is, of
//! the CNN forward pass (docs/math.md §6; the seed paper, Theorem 2).
//!
//! > Suppose `Y = X + E`, where `X = D_1 Γ_1`, `Γ_{i-1} = D_i Γ_i`, `‖E‖^P_{2,∞} ≤ ε_0`, and
//! > `‖Γ_i‖^S_{0,∞} = s_i < ½ (1 + (1/μ(D_i)) |Γ_i^min| / |Γ_i^max|) − (1/μ(D_i)) ε_{i-1} / |Γ_i^max|`.
//! > Then, for thresholds chosen properly, layered soft thresholding recovers the support of
//! > every `Γ_i`, and `‖Γ_i − Γ̂_i‖^P_{2,∞} ≤ ε_i = sqrt(p_i) (ε_{i-1} + μ(D_i)(s_i − 1)|Γ_i^max| + β_i)`.
//!
//! "Chosen properly" is made precise as hypothesis (b), the threshold window
//! `s_i μ_i |Γ_i^max| + ε_{i-1} < β_i < |Γ_i^min| − (s_i − 1) μ_i |Γ_i^max| − ε_{i-1}`, which is
//! non-empty exactly when (a) holds (lemma L4). Multiplying (a) by `2 μ_i |Γ_i^max| > 0` gives
//! the form checked here, `2 ε_{i-1} < |Γ_i^min| − (2 s_i − 1) μ_i |Γ_i^max|`, which is also
//! the paper's reading for `μ_i = 0`.
//!
//! Conclusions, for every layer: (1) `supp(Γ̂_i) = supp(Γ_i)` with equal signs; (2) the patch
//! bound at width `n_{i+1}` (or the declared `w_K`); (3) the entrywise bound
//! `‖Γ_i − Γ̂_i‖_∞ ≤ ε_{i-1} + μ_i (s_i − 1)|Γ_i^max| + β_i`. The hard-thresholding variant drops
//! `+ β_i`; the nonnegative variant (the ReLU network) also assumes every `Γ_i ≥ 0`.
//!
//! Square roots (`ε_0` without a declared budget, `sqrt(p_i)`) are kept exact: `ε_i` is a sum
//! of rational multiples of square roots by square class ([`super::surd`]), so ties such as
//! `ε_2 = sqrt(2) sqrt(2) / 10 = 1/5 = β_3` are decided exactly and every other comparison by
//! enclosures refined to a certified precision; past
//! [`ENCLOSURE_LIMIT_BITS`](crate::tolerance::ENCLOSURE_LIMIT_BITS) a comparison gives
//! [`Verdict::Undecided`], never a pass. Reference: Papyan, Romano, Elad, "Convolutional Neural
//! Networks Analyzed via Convolutional Sparse Coding", Theorem 2 (the seed paper's numbering).
//!
#![doc = include_str!("../../../../proofs/theorem2.md")]

pub use super::variant::Variant;
#[cfg(doc)]
use super::verdict::Verdict;

pub mod conclusions;
pub mod hypotheses;
pub(crate) mod witness;

pub use conclusions::{Conclusions, LayerErrors, conclusions, verdict};
pub use hypotheses::{EpsilonChain, LayerBounds, epsilon_chain, epsilon_chain_on};
pub use witness::{exact_text, text};

/// Which form of the statement is checked: the paper's ([`Variant::PAPER`]), or one with
/// [`Part::ContrastTerm`](super::variant::Part::ContrastTerm),
/// [`Part::PatchSparsityFactor`](super::variant::Part::PatchSparsityFactor) or
/// [`Part::ThresholdWindow`](super::variant::Part::ThresholdWindow) removed (the negative
/// controls, which must be refuted).
pub type Statement = Variant;
