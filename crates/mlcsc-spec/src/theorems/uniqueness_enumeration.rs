//! The exhaustive enumeration behind the uniqueness check ([`crate::theorems::uniqueness`]):
//! every support within the stripe budget is visited and `D_T x = Γ̂_{i-1}` solved exactly, layer
//! by layer, on a line ([`layer_solutions_within_budget`], [`enumerate_dcp_solutions`]) or, through
//! the same search over a stripe counter and a dense dictionary, on any grid
//! ([`crate::theorems::uniqueness_grid`]).

use std::time::Instant;

use nalgebra::DMatrix;
use num_traits::Zero;

use super::support_enumeration::{
    Coverage, StripeCounter, exact_dictionary, for_each_support_with_counter, scatter_on_grid,
    to_column,
};
use crate::exact_linear_algebra::{
    ExactField, LinearSystemSolution, columns_on_support, solve_linear_system,
};
use crate::model::{Grid, Layer, LayerVector, Model};
use crate::scalar::Rational;

/// Every `Γ` with `D Γ = target` and `‖Γ‖^S_{0,∞} ≤ λ`, found by enumerating supports.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerSolutions<S = Rational> {
    /// The distinct solutions that are alone on some support (finitely many).
    pub isolated: Vec<LayerVector<S>>,
    /// When some support carries an affine family: two distinct members of it.
    pub family: Option<(LayerVector<S>, LayerVector<S>)>,
    /// The supports enumerated and the systems solved.
    pub coverage: Coverage,
}

impl<S> LayerSolutions<S> {
    /// Whether the solution set is exactly one point.
    pub fn is_single(&self) -> bool {
        self.family.is_none() && self.isolated.len() == 1
    }
}

/// All solutions of `D Γ = target` with `‖Γ‖^S_{0,∞} ≤ λ` over `N` positions. The empty
/// support is included (it solves `target = 0`).
pub fn layer_solutions_within_budget<S: ExactField>(
    layer: &Layer<S>,
    target: &LayerVector<S>,
    lambda: usize,
) -> LayerSolutions<S> {
    let length = target.length();
    let channels = layer.filter_count();
    let counter = StripeCounter::new(length, channels, layer.filter_length());
    let line = Grid {
        rows: 1,
        columns: length,
    };
    let dictionary = exact_dictionary(layer, length);
    solutions_on_dictionary(&dictionary, counter, (line, channels), target, lambda)
}

/// All solutions of `D Γ = target` with stripe sparsity (counted by the empty `counter`) at
/// most `λ`, `Γ` on the grid `output` with `channels` channels; the atoms are the columns of
/// `dictionary`, indexed as the entries of `Γ`. The empty support is included.
pub(crate) fn solutions_on_dictionary<S: ExactField>(
    dictionary: &DMatrix<S>,
    counter: StripeCounter,
    (output, channels): (Grid, usize),
    target: &LayerVector<S>,
    lambda: usize,
) -> LayerSolutions<S> {
    let b = to_column(target);
    let mut coverage = Coverage::of_dictionary(dictionary.ncols(), dictionary.nrows());
    let mut isolated: Vec<LayerVector<S>> = Vec::new();
    let mut family = None;
    if b.iter().all(Zero::is_zero) {
        isolated.push(LayerVector::zeros_on(output, channels));
    }
    coverage.count_support(0);
    let visited = for_each_support_with_counter(counter, dictionary.ncols(), lambda, |support| {
        coverage.count_support(support.len());
        let restricted = columns_on_support(dictionary, support).expect("atoms in range");
        match solve_linear_system(&restricted, &b).expect("shapes agree") {
            LinearSystemSolution::Inconsistent => {}
            LinearSystemSolution::Unique(x) => {
                let candidate = scatter_on_grid(support, &x, output, channels);
                if !isolated.contains(&candidate) {
                    isolated.push(candidate);
                }
            }
            LinearSystemSolution::Affine {
                particular,
                null_space,
            } => {
                if family.is_none() {
                    let mut shifted = particular.clone();
                    for (x, y) in shifted.iter_mut().zip(null_space[0].iter()) {
                        *x += y;
                    }
                    family = Some((
                        scatter_on_grid(support, &particular, output, channels),
                        scatter_on_grid(support, &shifted, output, channels),
                    ));
                }
            }
        }
    });
    debug_assert_eq!(visited + 1, coverage.supports_enumerated);
    LayerSolutions {
        isolated,
        family,
        coverage,
    }
}

/// The solutions of `DCP_λ` for a signal, found exhaustively layer by layer.
#[derive(Clone, Debug, PartialEq)]
pub struct DcpSolutions<S = Rational> {
    /// Distinct complete solutions `[Γ̂_1, …, Γ̂_K]` found (up to the requested limit).
    pub complete: Vec<Vec<LayerVector<S>>>,
    /// Layers (below the last) where an affine family of solutions was met, whose extension to
    /// deeper layers is not enumerated.
    pub unresolved_families: Vec<usize>,
    /// Supports enumerated over all layers and branches.
    pub coverage: Coverage,
}

/// Enumerates the solutions of `DCP_λ` for `X`, stopping after `limit` complete ones. An affine
/// family at the last layer yields two complete solutions.
pub fn enumerate_dcp_solutions<S: ExactField>(
    model: &Model<S>,
    signal: &LayerVector<S>,
    lambda: &[usize],
    limit: usize,
) -> DcpSolutions<S> {
    let solve = |i: usize, above: &LayerVector<S>, budget: usize| {
        layer_solutions_within_budget(model.layer(i), above, budget)
    };
    enumerate_with(model, signal, (lambda, limit), &solve)
}

/// The enumeration of `DCP_λ` for `X` layer by layer, each layer's solutions found by `solve`,
/// stopping after `limit` complete ones; its coverage counts one instance and the time taken.
pub(crate) fn enumerate_with<S: ExactField>(
    model: &Model<S>,
    signal: &LayerVector<S>,
    (lambda, limit): (&[usize], usize),
    solve: &LayerSolver<'_, S>,
) -> DcpSolutions<S> {
    let started = Instant::now();
    let mut found = DcpSolutions {
        complete: Vec::new(),
        unresolved_families: Vec::new(),
        coverage: Coverage::default(),
    };
    extend(
        model,
        (lambda, limit),
        solve,
        &mut Vec::new(),
        signal,
        &mut found,
    );
    found.coverage.instances = 1;
    found.coverage.elapsed = started.elapsed();
    found
}

/// The solutions at layer `i` of `D_i Γ = above` within the budget `λ_i`.
pub(crate) type LayerSolver<'a, S> =
    dyn Fn(usize, &LayerVector<S>, usize) -> LayerSolutions<S> + 'a;

/// Extends `prefix` (the layers above, solved) by every solution at the next layer (found by
/// `solve`), depth first, until `limit` complete solutions are found.
fn extend<S: ExactField>(
    model: &Model<S>,
    (lambda, limit): (&[usize], usize),
    solve: &LayerSolver<'_, S>,
    prefix: &mut Vec<LayerVector<S>>,
    above: &LayerVector<S>,
    found: &mut DcpSolutions<S>,
) {
    let i = prefix.len() + 1;
    let solutions = solve(i, above, lambda[i - 1]);
    let mut coverage = solutions.coverage.clone();
    coverage.instances = 0;
    found.coverage.absorb(&coverage);
    let last = i == model.depth();
    let mut candidates = solutions.isolated;
    if let Some((first, second)) = solutions.family {
        if last {
            candidates.extend([first, second]);
        } else {
            found.unresolved_families.push(i);
        }
    }
    for candidate in candidates {
        if found.complete.len() >= limit {
            return;
        }
        prefix.push(candidate);
        if last {
            if !found.complete.contains(prefix) {
                found.complete.push(prefix.clone());
            }
        } else {
            let next = prefix.last().expect("just pushed").clone();
            extend(model, (lambda, limit), solve, prefix, &next, found);
        }
        prefix.pop();
    }
}
