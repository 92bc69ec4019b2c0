//! What Theorem 2's conclusions measure of a layer's error `Γ − Γ̂`: its largest magnitude,
//! its largest patch energy, and where `Γ̂` first gets a sign of `Γ` wrong.

use crate::model::LayerVector;
use crate::scalar::Scalar;

/// The error `Γ_i − Γ̂_i` of layer `i`'s estimate as the conclusions measure it.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorNorms<S> {
    /// `‖Γ_i − Γ̂_i‖_∞`.
    pub max: S,
    /// `(‖Γ_i − Γ̂_i‖^P_{2,∞}(w_i))²`.
    pub patch_squared: S,
    /// The first entry (position-major) where `Γ̂_i` and `Γ_i` differ in sign (zero being a
    /// sign of its own), if any.
    pub sign_mismatch: Option<usize>,
}

impl<S: Scalar> ErrorNorms<S> {
    /// The definition: `Γ − Γ̂` formed entry by entry, its largest magnitude, its largest
    /// energy in a patch of `width` positions by `patch_norm_squared`, and the signs compared
    /// entry by entry ([`first_sign_mismatch`]).
    pub fn of(
        truth: &LayerVector<S>,
        estimate: &LayerVector<S>,
        width: usize,
        patch_norm_squared: impl Fn(&LayerVector<S>, usize) -> S,
    ) -> Self {
        let error = truth.difference(estimate);
        ErrorNorms {
            max: error.max_abs(),
            patch_squared: patch_norm_squared(&error, width),
            sign_mismatch: first_sign_mismatch(truth, estimate),
        }
    }
}

/// The first entry where `estimate` and `truth` differ in sign (zero being a sign of its own).
pub fn first_sign_mismatch<S: Scalar>(
    truth: &LayerVector<S>,
    estimate: &LayerVector<S>,
) -> Option<usize> {
    let sign = |x: &S| (x.is_positive(), x.is_negative());
    (truth.entries().iter().zip(estimate.entries())).position(|(t, e)| sign(t) != sign(e))
}
