//! The stripe spark of a convolutional dictionary, computed exactly, and the lemma that bounds
//! it by the mutual coherence (docs/math.md §7, RECALLED).
//!
//! > Every nonzero `Δ` with `D Δ = 0` has `‖Δ‖^S_{0,∞} ≥ 1 + 1/μ(D)`.
//!
//! The stripe spark `σ_S(D) = min { ‖Δ‖^S_{0,∞} : D Δ = 0, Δ ≠ 0 }` is computed here by an
//! exhaustive search over supports, exactly:
//!
//! - A nonzero null vector `Δ` has a dependent support, and every dependent support `T` holds a
//!   *circuit* (a minimal dependent set) `C ⊆ T`, whose stripe sparsity is at most that of `T`.
//!   The one-dimensional null space of `D_C` gives a null vector with support exactly `C`. So
//!   `σ_S(D)` is the least stripe sparsity of a circuit.
//! - Every circuit `C = {c_1 < … < c_k}` is an independent set `{c_1, …, c_{k-1}}` plus one
//!   later atom. [`circuit_search`] searches independent sets depth first in increasing atom
//!   order (independence tested exactly and incrementally) and, for each, every later atom that
//!   makes it dependent; it prunes sets whose stripe sparsity already reaches the best found.
//!   The independence test is passed in ([`IndependenceTest`]): [`ExactIndependence`] decides
//!   it exactly; a faster test may answer "dependent" wrongly (independence modulo a prime,
//!   say: independent modulo `p` implies independent over `Q`, `proofs/uniqueness.md`, L1),
//!   because each dependency is confirmed by the exact solve that builds the circuit's null
//!   vector, and a refuted one ends the search with [`FalseDependency`].
//! - [`stripe_spark_by_all_supports`] is the plain definition, for cross-checks on the smallest
//!   dictionaries: every one of the `2^{N m}` supports, the exact null space of `D_T`, and the
//!   stripe sparsity of the *own support* of each null basis vector.
//!
//! The lemma's proof: with `k` an atom where `|Δ_k|` is largest,
//! `Δ_k = -Σ_{j ≠ k} ⟨d_k, d_j⟩ Δ_j`, and only atoms of the stripe of `k` overlap `d_k`, so
//! `|Δ_k| ≤ μ (‖Δ‖^S_{0,∞} - 1) |Δ_k|`.

use std::time::Instant;

use nalgebra::{DMatrix, DVector};

use super::support_enumeration::{
    Coverage, StripeCounter, exact_dictionary, exact_grid_dictionary, scatter,
    support_stripe_sparsity,
};
use crate::exact_linear_algebra::{
    ExactField, IncrementalSpan, LinearSystemSolution, columns_on_support, null_space,
    solve_linear_system,
};
use crate::model::{Grid, Layer, LayerVector};
use crate::scalar::{Rational, Scalar};

/// The stripe spark of a dictionary with a witness.
#[derive(Clone, Debug, PartialEq)]
pub struct StripeSpark<S = Rational> {
    /// `σ_S(D)`, or `None` when the columns of `D` are independent (no nonzero null vector).
    pub spark: Option<usize>,
    /// A nonzero `Δ` with `D Δ = 0` and `‖Δ‖^S_{0,∞} = σ_S(D)`.
    pub witness: Option<LayerVector<S>>,
    /// What the search covered.
    pub coverage: Coverage,
}

/// A dependency reported by an [`IndependenceTest`] that is not one over `Q`: the search
/// must be redone with an exact test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FalseDependency;

/// The independence test of the circuit search, grown and shrunk one atom at a time.
/// "Independent" must be certain; "dependent" may be wrong, as the search confirms it.
pub trait IndependenceTest {
    /// Adds the atom if it is independent of those added and returns whether it was.
    fn insert(&mut self, atom: usize) -> bool;
    /// Removes the atom added last.
    fn remove_last(&mut self);
}

/// The exact independence test: the dictionary's columns in an [`IncrementalSpan`].
#[derive(Clone, Debug)]
pub struct ExactIndependence<S = Rational> {
    columns: Vec<DVector<S>>,
    span: IncrementalSpan<S>,
}

impl<S: ExactField> ExactIndependence<S> {
    /// The test over the columns of a dictionary, with no atom added.
    pub fn new(dictionary: &DMatrix<S>) -> Self {
        ExactIndependence {
            columns: (0..dictionary.ncols())
                .map(|k| dictionary.column(k).into_owned())
                .collect(),
            span: IncrementalSpan::new(),
        }
    }
}

impl<S: ExactField> IndependenceTest for ExactIndependence<S> {
    fn insert(&mut self, atom: usize) -> bool {
        self.span.insert(&self.columns[atom])
    }

    fn remove_last(&mut self) {
        self.span.remove_last();
    }
}

/// The state of the depth-first circuit search.
struct CircuitSearch<'a, S> {
    atoms: usize,
    dictionary: &'a DMatrix<S>,
    /// The grid of `Δ` (the layer's output grid).
    grid: Grid,
    channels: usize,
    /// The layer's stripes, with no atom counted.
    stripes: &'a StripeCounter,
    best: Option<usize>,
    witness: Option<LayerVector<S>>,
    coverage: Coverage,
}

impl<S: ExactField> CircuitSearch<'_, S> {
    /// The null vector of `I ∪ {atom}` (with `I` independent), or `None` when `atom` is not in
    /// the span of `I` after all (a false dependency modulo `p`).
    fn circuit_vector(&self, independent: &[usize], atom: usize) -> Option<LayerVector<S>> {
        let restricted = columns_on_support(self.dictionary, independent).expect("atoms in range");
        let column = self.dictionary.column(atom).into_owned();
        let x = match solve_linear_system(&restricted, &column) {
            Ok(LinearSystemSolution::Unique(x)) => x,
            Ok(LinearSystemSolution::Inconsistent) => return None,
            other => unreachable!("an independent set has no null vector: {other:?}"),
        };
        let mut support = independent.to_vec();
        support.push(atom);
        let mut values: Vec<S> = x.iter().cloned().collect();
        values.push(-S::one());
        let line = scatter(
            &support,
            &DVector::from_vec(values),
            self.grid.positions(),
            self.channels,
        );
        Some(line.on_grid(self.grid).expect("the grid's positions"))
    }

    /// Grows the independent set `support` by every later atom, depth first, recording each
    /// circuit met.
    fn descend(
        &mut self,
        start: usize,
        span: &mut impl IndependenceTest,
        counter: &mut StripeCounter,
        support: &mut Vec<usize>,
    ) -> Result<(), FalseDependency> {
        for atom in start..self.atoms {
            let sparsity = counter.sparsity_with(atom);
            if self.best.is_some_and(|best| sparsity >= best) {
                continue;
            }
            self.coverage.count_support(support.len() + 1);
            if !span.insert(atom) {
                let witness = self.circuit_vector(support, atom).ok_or(FalseDependency)?;
                let own: Vec<usize> = witness_support(&witness);
                let own_sparsity = self.stripes.sparsity_of(&own);
                if self.best.is_none_or(|best| own_sparsity < best) {
                    self.best = Some(own_sparsity);
                    self.witness = Some(witness);
                }
                continue;
            }
            counter.add(atom);
            support.push(atom);
            self.descend(atom + 1, span, counter, support)?;
            support.pop();
            counter.remove(atom);
            span.remove_last();
        }
        Ok(())
    }
}

/// The atoms where a vector is nonzero.
fn witness_support<S: Scalar>(vector: &LayerVector<S>) -> Vec<usize> {
    vector
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_zero())
        .map(|(k, _)| k)
        .collect()
}

/// `σ_S(D)` of a layer over `N` positions (`dictionary` is its [`exact_dictionary`]) by the
/// circuit search with the given independence test, or [`FalseDependency`] when a dependency
/// it reports proves false. With an exact test the result is that of [`stripe_spark`]; with
/// any test that completes, it is the same result, witness and coverage.
pub fn circuit_search<S: ExactField>(
    layer: &Layer<S>,
    length: usize,
    dictionary: &DMatrix<S>,
    independence: &mut impl IndependenceTest,
) -> Result<StripeSpark<S>, FalseDependency> {
    let stripes = StripeCounter::new(length, layer.filter_count(), layer.filter_length());
    circuit_search_with(&stripes, Grid::line(length), dictionary, independence)
}

/// The circuit search over the atoms of `dictionary` (a layer's, its `Δ` on `grid`), each
/// support's stripe sparsity counted with `stripes` (empty): [`circuit_search`] at the paper's
/// geometry, [`stripe_spark_on_grid`] on any grid.
pub fn circuit_search_with<S: ExactField>(
    stripes: &StripeCounter,
    grid: Grid,
    dictionary: &DMatrix<S>,
    independence: &mut impl IndependenceTest,
) -> Result<StripeSpark<S>, FalseDependency> {
    let started = Instant::now();
    let channels = dictionary.ncols() / grid.positions().max(1);
    let mut search = CircuitSearch {
        atoms: dictionary.ncols(),
        dictionary,
        grid,
        channels,
        stripes,
        best: None,
        witness: None,
        coverage: Coverage::of_dictionary(dictionary.ncols(), dictionary.nrows()),
    };
    let mut counter = stripes.clone();
    search.descend(0, independence, &mut counter, &mut Vec::new())?;
    let mut coverage = search.coverage;
    coverage.elapsed = started.elapsed();
    Ok(StripeSpark {
        spark: search.best,
        witness: search.witness,
        coverage,
    })
}

/// `σ_S(D)` of a layer of any stride, padding and grid reading the grid `input` (layer number
/// `layer_number`, for errors), by the exact circuit search: the atoms are the columns of
/// [`exact_grid_dictionary`], the stripes those of [`StripeCounter::on_grid`] (on an image the
/// products of the axes' stripes, `proofs/two_dimensions.md`, G15). On a line at the paper's
/// geometry it is [`stripe_spark`]. Errors: those of
/// [`GridGeometry::output_grid`](crate::model::GridGeometry::output_grid).
pub fn stripe_spark_on_grid<S: ExactField>(
    layer_number: usize,
    layer: &Layer<S>,
    input: Grid,
) -> Result<StripeSpark<S>, crate::model::ModelError> {
    let (dictionary, output) = exact_grid_dictionary(layer_number, layer, input)?;
    let stripes = StripeCounter::on_grid(layer, output);
    let mut independence = ExactIndependence::new(&dictionary);
    match circuit_search_with(&stripes, output, &dictionary, &mut independence) {
        Ok(spark) => Ok(spark),
        Err(FalseDependency) => unreachable!("an exact dependency is a true one"),
    }
}

/// `σ_S(D)` of a layer over `N` positions by the exact circuit search, independence tested
/// exactly ([`ExactIndependence`]) throughout.
pub fn stripe_spark<S: ExactField>(layer: &Layer<S>, length: usize) -> StripeSpark<S> {
    let dictionary = exact_dictionary(layer, length);
    let mut independence = ExactIndependence::new(&dictionary);
    match circuit_search(layer, length, &dictionary, &mut independence) {
        Ok(spark) => spark,
        Err(FalseDependency) => unreachable!("an exact dependency is a true one"),
    }
}

/// `σ_S(D)` by the definition: every support `T`, the exact null space of `D_T`, and for each
/// null basis vector the stripe sparsity of its own support. Exponential in `N m`; for
/// cross-checks only (at most 16 atoms).
pub fn stripe_spark_by_all_supports<S: ExactField>(
    layer: &Layer<S>,
    length: usize,
) -> StripeSpark<S> {
    let started = Instant::now();
    let dictionary = exact_dictionary(layer, length);
    let atoms = dictionary.ncols();
    assert!(
        atoms <= 16,
        "the plain definition enumerates 2^{atoms} supports"
    );
    let channels = layer.filter_count();
    let mut coverage = Coverage::of_dictionary(atoms, dictionary.nrows());
    let mut best: Option<(usize, LayerVector<S>)> = None;
    for mask in 1u32..(1u32 << atoms) {
        let support: Vec<usize> = (0..atoms).filter(|k| mask >> k & 1 == 1).collect();
        coverage.count_support(support.len());
        let restricted = columns_on_support(&dictionary, &support).expect("atoms in range");
        for v in null_space(&restricted) {
            let delta = scatter(&support, &v, length, channels);
            let own = witness_support(&delta);
            let sparsity = support_stripe_sparsity(&own, length, channels, layer.filter_length());
            if best.as_ref().is_none_or(|(b, _)| sparsity < *b) {
                best = Some((sparsity, delta));
            }
        }
    }
    coverage.elapsed = started.elapsed();
    StripeSpark {
        spark: best.as_ref().map(|(s, _)| *s),
        witness: best.map(|(_, w)| w),
        coverage,
    }
}

/// Whether `σ ≥ 1 + 1/μ + slack`, decided exactly as `(σ - 1 - slack) μ ≥ 1` (the lemma is
/// `slack = 0`; a positive slack is a deliberately wrong bound for negative controls). An
/// infinite spark (`None`) satisfies every bound; `μ = 0` demands an infinite spark.
pub fn spark_lower_bound_holds<S: Scalar>(
    spark: Option<usize>,
    coherence: &S,
    slack: usize,
) -> bool {
    match spark {
        None => true,
        Some(sigma) => {
            let margin = sigma as i64 - 1 - slack as i64;
            coherence.is_positive() && S::from_integer(margin) * coherence.clone() >= S::one()
        }
    }
}
