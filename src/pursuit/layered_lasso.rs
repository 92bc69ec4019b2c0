//! Layered basis pursuit as a pursuit: layer `i` solves the LASSO
//! `min_Γ ½ ‖Γ̂_{i-1} − D_i Γ‖² + ξ_i ‖Γ‖_1` from `Γ̂_0 = Y`, every minimiser certified exactly
//! ([`certified_lasso`]). It runs on any valid instance and any positive weights; whether the
//! recalled stability theorem speaks about the result is the business of
//! [`crate::theorems::layered_basis_pursuit`] (docs/math.md §7).

use super::basis_pursuit::certified_lasso;
use crate::model::{LayerVector, Model};
use crate::scalar::Rational;

/// Where the layered pursuit stopped: the layer, and why its minimiser was not certified.
#[derive(Clone, Debug, PartialEq)]
pub struct LassoStopped {
    /// The layer, from 1.
    pub layer: usize,
    /// The certificate's failure.
    pub reason: String,
}

/// The estimates `[Γ̂_1, …, Γ̂_K]` of layered basis pursuit with weights `ξ_1, …, ξ_K > 0`.
pub fn layered_basis_pursuit(
    model: &Model<Rational>,
    signal: &LayerVector<Rational>,
    weights: &[Rational],
) -> Result<Vec<LayerVector<Rational>>, LassoStopped> {
    let mut input = signal.clone();
    let mut estimates = Vec::with_capacity(model.depth());
    for (index, weight) in weights.iter().enumerate().take(model.depth()) {
        let layer = model.layer(index + 1);
        let certificate =
            certified_lasso(layer, &input, weight).map_err(|failure| LassoStopped {
                layer: index + 1,
                reason: failure.reason,
            })?;
        input = certificate.estimate.clone();
        estimates.push(certificate.estimate);
    }
    Ok(estimates)
}
