//! The thresholding operators of the layered pursuit (docs/math.md §4, SEED):
//!
//! - hard `H_β(z) = z · [|z| > β]`;
//! - soft `S_β(z) = sign(z) · max(|z| - β, 0)`;
//! - nonnegative soft `S⁺_β(z) = max(z - β, 0)`, which is `ReLU(z - β)`.
//!
//! # Laws
//!
//! `S_β(z) = S⁺_β(z) - S⁺_β(-z)`; each operator is monotone non-decreasing in `z`; soft
//! thresholding moves `z` by at most `β` (`|S_β(z) - z| ≤ β`). These are checked with
//! quickcheck in `tests/all/thresholding_laws.rs`.

use crate::model::LayerVector;
use crate::scalar::Scalar;

/// Which thresholding operator a pursuit applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Thresholding {
    /// `S_β`.
    Soft,
    /// `S⁺_β` (the CNN forward pass with ReLU).
    Nonnegative,
    /// `H_β`.
    Hard,
}

impl Thresholding {
    /// The name used in instance files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Thresholding::Soft => "soft",
            Thresholding::Nonnegative => "nonnegative",
            Thresholding::Hard => "hard",
        }
    }

    /// Parses `soft`, `nonnegative` or `hard`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "soft" => Some(Thresholding::Soft),
            "nonnegative" => Some(Thresholding::Nonnegative),
            "hard" => Some(Thresholding::Hard),
            _ => None,
        }
    }

    /// The operator applied to one value.
    pub fn apply<S: Scalar>(self, z: &S, beta: &S) -> S {
        match self {
            Thresholding::Soft => soft_threshold(z, beta),
            Thresholding::Nonnegative => nonnegative_soft_threshold(z, beta),
            Thresholding::Hard => hard_threshold(z, beta),
        }
    }

    /// The operator applied entry by entry.
    pub fn apply_vector<S: Scalar>(self, z: &LayerVector<S>, beta: &S) -> LayerVector<S> {
        z.map(|v| self.apply(v, beta))
    }
}

/// `H_β(z) = z · [|z| > β]`.
pub fn hard_threshold<S: Scalar>(z: &S, beta: &S) -> S {
    if z.abs() > *beta {
        z.clone()
    } else {
        S::zero()
    }
}

/// `S_β(z) = sign(z) · max(|z| - β, 0)`.
pub fn soft_threshold<S: Scalar>(z: &S, beta: &S) -> S {
    // `|z| < β` gives zero by a comparison, without forming `|z| − β`; ties, and `f64` values
    // that do not compare, take the formula (which keeps their signed zeros and NaNs).
    let mut shrunk = z.abs();
    if shrunk.partial_cmp(beta) == Some(std::cmp::Ordering::Less) {
        return S::zero();
    }
    shrunk -= beta;
    if shrunk.is_positive() {
        if z.is_negative() { -shrunk } else { shrunk }
    } else {
        S::zero()
    }
}

/// `S⁺_β(z) = max(z - β, 0)`.
pub fn nonnegative_soft_threshold<S: Scalar>(z: &S, beta: &S) -> S {
    // `z < β` gives zero by a comparison, as in the soft form.
    if z.partial_cmp(beta) == Some(std::cmp::Ordering::Less) {
        return S::zero();
    }
    let mut shifted = z.clone();
    shifted -= beta;
    if shifted.is_positive() {
        shifted
    } else {
        S::zero()
    }
}
