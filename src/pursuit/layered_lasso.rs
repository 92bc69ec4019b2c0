//! Layered basis pursuit as a pursuit: layer `i` solves the LASSO
//! `min_Γ ½ ‖Γ̂_{i-1} − D_i Γ‖² + ξ_i ‖Γ‖_1` from `Γ̂_0 = Y`, every minimiser certified exactly
//! ([`certified_lasso`]). It runs on any valid instance and any positive weights; whether the
//! recalled stability theorem speaks about the result is the business of
//! [`crate::theorems::layered_basis_pursuit`] (docs/math.md §7).
//!
//! A minimiser that cannot be certified (its support's Gram matrix `D_Sᵀ D_S` singular, so the
//! minimiser is not unique, or the solver's guess not repaired) is not the end of the pursuit:
//! [`layered_basis_pursuit_estimates`] keeps the solver's estimate, marked uncertified, and
//! goes on from it.
//!
//! The chain runs in [`SmallRational`]: the model, signal and weights are converted once, and
//! the estimates back to [`Rational`] as they are returned.

use super::basis_pursuit::{FISTA_SCHEDULE, certified_lasso, lasso_fista, support_guess};
use crate::model::{Layer, LayerVector, Model};
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;

/// The model, signal and weights in [`SmallRational`], converted once for the whole chain.
fn small_problem(
    model: &Model<Rational>,
    signal: &LayerVector<Rational>,
    weights: &[Rational],
) -> (
    Model<SmallRational>,
    LayerVector<SmallRational>,
    Vec<SmallRational>,
) {
    (
        model.map(|v| SmallRational::from(v)),
        signal.map(|v| SmallRational::from(v)),
        weights.iter().map(SmallRational::from).collect(),
    )
}

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
    let (model, mut input, weights) = small_problem(model, signal, weights);
    let mut estimates = Vec::with_capacity(model.depth());
    for (index, weight) in weights.iter().enumerate().take(model.depth()) {
        let layer = model.layer(index + 1);
        let certificate =
            certified_lasso(layer, &input, weight).map_err(|failure| LassoStopped {
                layer: index + 1,
                reason: failure.reason,
            })?;
        estimates.push(certificate.estimate.map(SmallRational::to_big));
        input = certificate.estimate;
    }
    Ok(estimates)
}

/// One layer's estimate of [`layered_basis_pursuit_estimates`].
#[derive(Clone, Debug, PartialEq)]
pub struct LayerEstimate {
    /// The estimate: the certified minimiser, or the solver's `f64` estimate (read exactly,
    /// entries off its support guess set to zero) when none could be certified.
    pub estimate: LayerVector<Rational>,
    /// `None` when certified: this layer's minimiser is certified and so is every earlier
    /// layer's, so the estimate is layered basis pursuit's own. Otherwise why not.
    pub uncertified: Option<String>,
}

/// The estimates of layered basis pursuit with weights `ξ_1, …, ξ_K > 0`, one per layer, each
/// certified exactly when it can be; a layer whose minimiser cannot be certified gives the
/// solver's estimate after its longest run, marked uncertified, and the next layer starts
/// from it; every later layer is then marked uncertified too, since its input is.
pub fn layered_basis_pursuit_estimates(
    model: &Model<Rational>,
    signal: &LayerVector<Rational>,
    weights: &[Rational],
) -> Vec<LayerEstimate> {
    let (model, mut input, weights) = small_problem(model, signal, weights);
    let mut estimates = Vec::with_capacity(model.depth());
    // The first layer whose estimate is uncertified: every later layer's minimiser is then
    // certified only for an uncertified input, so it is not layered basis pursuit's output.
    let mut first_uncertified: Option<usize> = None;
    for (index, weight) in weights.iter().enumerate().take(model.depth()) {
        let layer = model.layer(index + 1);
        let (estimate, uncertified) =
            match (certified_lasso(layer, &input, weight), first_uncertified) {
                (Ok(certificate), None) => (certificate.estimate, None),
                (Ok(certificate), Some(earlier)) => (
                    certificate.estimate,
                    Some(format!(
                        "its input is layer {earlier}'s uncertified estimate"
                    )),
                ),
                (Err(failure), _) => {
                    first_uncertified.get_or_insert(index + 1);
                    (solver_estimate(layer, &input, weight), Some(failure.reason))
                }
            };
        estimates.push(LayerEstimate {
            estimate: estimate.map(SmallRational::to_big),
            uncertified,
        });
        input = estimate;
    }
    estimates
}

/// The solver's estimate after the last and longest run of [`FISTA_SCHEDULE`], as exact
/// rationals, with the entries off its support guess set to zero.
fn solver_estimate(
    layer: &Layer<SmallRational>,
    y: &LayerVector<SmallRational>,
    weight: &SmallRational,
) -> LayerVector<SmallRational> {
    let (relative_gap, iterations) = FISTA_SCHEDULE[FISTA_SCHEDULE.len() - 1];
    let weight = weight.to_f64();
    let solution = lasso_fista(
        &layer.map(|v| v.to_f64()),
        &y.map(|v| v.to_f64()),
        weight,
        relative_gap,
        iterations,
    );
    let support = support_guess(&solution.estimate, weight);
    let mut entries = vec![num_traits::Zero::zero(); solution.estimate.entries().len()];
    for (k, _) in support {
        entries[k] = SmallRational::from_big(
            solution.estimate.entries()[k]
                .to_rational()
                .expect("a solver estimate is finite"),
        );
    }
    LayerVector::from_entries(y.length(), layer.filter_count(), entries)
        .expect("the shape of the layer's representation")
}
