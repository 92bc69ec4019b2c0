//! Uniqueness of the deep coding problem on grids (`proofs/two_dimensions.md`, G16): the
//! exhaustive enumeration of [`crate::theorems::uniqueness`] with the atoms of
//! [`exact_grid_dictionary`] (any stride, padding and grid) and the stripes of
//! [`StripeCounter::on_grid`] (on an image the products of the axes' stripes, G7). `μ_i` is the
//! largest `|⟨d_j, d_k⟩|` over distinct atoms of the exact grid dictionary, as for the stripe
//! spark on images (G15). On a line at the paper's geometry every function here is its line
//! counterpart (the same solutions, hypotheses and verdict).

use nalgebra::DMatrix;

use super::support_enumeration::{StripeCounter, exact_grid_dictionary};
use super::uniqueness::{UniquenessCheck, UniquenessHypothesisFailure, below_uniqueness_bound};
use super::uniqueness_enumeration::{
    DcpSolutions, LayerSolutions, enumerate_with, solutions_on_dictionary,
};
use crate::exact_linear_algebra::ExactField;
use crate::model::{Grid, Layer, LayerVector, Model, ModelError};

/// All solutions of `D_i Γ = target` with `‖Γ‖^S_{0,∞} ≤ λ` (stripes on the output grid),
/// `D_i` the layer `layer_number` reading the grid `input`. Errors: those of
/// [`exact_grid_dictionary`].
pub fn layer_solutions_on_grid<S: ExactField>(
    layer_number: usize,
    layer: &Layer<S>,
    input: Grid,
    target: &LayerVector<S>,
    lambda: usize,
) -> Result<LayerSolutions<S>, ModelError> {
    let (dictionary, output) = exact_grid_dictionary(layer_number, layer, input)?;
    let counter = StripeCounter::on_grid(layer, output);
    let shape = (output, layer.filter_count());
    Ok(solutions_on_dictionary(
        &dictionary,
        counter,
        shape,
        target,
        lambda,
    ))
}

/// The solutions of `DCP_λ` for `X` on the model's grids (`model.grid(i)`), found exhaustively
/// layer by layer, stopping after `limit` complete ones.
///
/// # Panics
///
/// If a layer does not fit its grid (a model's layers always do).
pub fn enumerate_dcp_solutions_on_grid<S: ExactField>(
    model: &Model<S>,
    signal: &LayerVector<S>,
    lambda: &[usize],
    limit: usize,
) -> DcpSolutions<S> {
    let solve = |i: usize, above: &LayerVector<S>, budget: usize| {
        layer_solutions_on_grid(i, model.layer(i), model.grid(i - 1), above, budget)
            .expect("the model's layers fit its grids")
    };
    enumerate_with(model, signal, (lambda, limit), &solve)
}

/// `μ(D)`: the largest `|⟨d_j, d_k⟩|` over distinct columns of a dense dictionary (zero for
/// fewer than two columns).
pub fn dictionary_coherence<S: ExactField>(dictionary: &DMatrix<S>) -> S {
    let mut largest = S::zero();
    for j in 0..dictionary.ncols() {
        for k in j + 1..dictionary.ncols() {
            let mut inner = S::zero();
            for row in 0..dictionary.nrows() {
                inner = inner + dictionary[(row, j)].clone() * dictionary[(row, k)].clone();
            }
            let magnitude = if inner < S::zero() {
                S::zero() - inner
            } else {
                inner
            };
            if magnitude > largest {
                largest = magnitude;
            }
        }
    }
    largest
}

/// `μ_i` of layer `layer_number` reading the grid `input`: [`dictionary_coherence`] of its
/// exact grid dictionary. Errors: those of [`exact_grid_dictionary`].
pub fn grid_coherence<S: ExactField>(
    layer_number: usize,
    layer: &Layer<S>,
    input: Grid,
) -> Result<S, ModelError> {
    let (dictionary, _) = exact_grid_dictionary(layer_number, layer, input)?;
    Ok(dictionary_coherence(&dictionary))
}

/// `‖Γ‖^S_{0,∞}` with the stripes of `layer` on the grid of `Γ` ([`StripeCounter::on_grid`]).
pub fn grid_stripe_sparsity<S: ExactField>(layer: &Layer<S>, gamma: &LayerVector<S>) -> usize {
    let support: Vec<usize> = (0..gamma.entries().len())
        .filter(|&a| !gamma.entries()[a].is_zero())
        .collect();
    StripeCounter::on_grid(layer, gamma.grid()).sparsity_of(&support)
}

/// The stripe hypothesis alone on the model's grids: `‖Γ_i‖^S_{0,∞} ≤ λ_i` for every layer.
pub fn stripe_budgets_on_grid<S: ExactField>(
    model: &Model<S>,
    representations: &[LayerVector<S>],
    lambda: &[usize],
) -> Result<(), UniquenessHypothesisFailure<S>> {
    for i in 1..=model.depth() {
        let sparsity = grid_stripe_sparsity(model.layer(i), &representations[i - 1]);
        if sparsity > lambda[i - 1] {
            return Err(UniquenessHypothesisFailure::StripeAboveBudget {
                layer: i,
                stripe_sparsity: sparsity,
                lambda: lambda[i - 1],
            });
        }
    }
    Ok(())
}

/// The hypotheses of the uniqueness theorem on the model's grids: per layer
/// `‖Γ_i‖^S_{0,∞} ≤ λ_i` and `(2λ_i − 1) μ_i < 1`, `μ_i` by [`grid_coherence`].
pub fn uniqueness_hypotheses_on_grid<S: ExactField>(
    model: &Model<S>,
    representations: &[LayerVector<S>],
    lambda: &[usize],
) -> Result<(), UniquenessHypothesisFailure<S>> {
    stripe_budgets_on_grid(model, representations, lambda)?;
    for i in 1..=model.depth() {
        let coherence =
            grid_coherence(i, model.layer(i), model.grid(i - 1)).expect("the model's grids fit");
        if !below_uniqueness_bound(lambda[i - 1], &coherence) {
            return Err(UniquenessHypothesisFailure::BudgetBeyondBound {
                layer: i,
                lambda: lambda[i - 1],
                coherence,
            });
        }
    }
    Ok(())
}

/// The uniqueness theorem on the model's grids, for the instance with deepest representation
/// `Γ_K`: the hypotheses ([`uniqueness_hypotheses_on_grid`]), then the exhaustive enumeration
/// ([`enumerate_dcp_solutions_on_grid`]) of `DCP_λ` for `X = D_1 ⋯ D_K Γ_K`.
///
/// # Panics
///
/// If `λ` does not have one entry per layer or `Γ_K` has the wrong shape.
pub fn uniqueness_theorem_on_grid<S: ExactField>(
    model: &Model<S>,
    deepest: &LayerVector<S>,
    lambda: &[usize],
) -> UniquenessCheck<S> {
    assert_eq!(lambda.len(), model.depth(), "one budget per layer");
    let chain = model
        .synthesis_chain(deepest)
        .expect("Γ_K has the shape of the last layer");
    let truth = &chain[1..];
    let solutions = enumerate_dcp_solutions_on_grid(model, &chain[0], lambda, 2);
    let hypotheses = uniqueness_hypotheses_on_grid(model, truth, lambda);
    UniquenessCheck::decide(truth, solutions, hypotheses)
}
