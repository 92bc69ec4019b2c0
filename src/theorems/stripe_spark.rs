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
//!   later atom. [`stripe_spark`] searches independent sets depth first in increasing atom
//!   order (independence tested exactly and incrementally) and, for each, every later atom that
//!   makes it dependent; it prunes sets whose stripe sparsity already reaches the best found.
//!   Independence is tested modulo the prime `2^61 − 1` on integer multiples of the columns:
//!   independent modulo `p` implies independent over `Q`, and each dependency is confirmed by
//!   the exact solve that builds the circuit's null vector (a refuted one sends the search back
//!   to rationals; `proofs/uniqueness.md`, L1).
//! - [`stripe_spark_by_all_supports`] is the plain definition, for cross-checks on the smallest
//!   dictionaries: every one of the `2^{N m}` supports, the exact null space of `D_T`, and the
//!   stripe sparsity of the *own support* of each null basis vector.
//!
//! The lemma's proof: with `k` an atom where `|Δ_k|` is largest,
//! `Δ_k = -Σ_{j ≠ k} ⟨d_k, d_j⟩ Δ_j`, and only atoms of the stripe of `k` overlap `d_k`, so
//! `|Δ_k| ≤ μ (‖Δ‖^S_{0,∞} - 1) |Δ_k|`.

use std::time::Instant;

use nalgebra::DVector;
use num_traits::{One, Signed, Zero};

use super::support_enumeration::{
    Coverage, StripeCounter, exact_dictionary, scatter, support_stripe_sparsity,
};
use crate::exact_linear_algebra::{
    IncrementalSpan, LinearSystemSolution, ModularSpan, SPAN_MODULUS, columns_on_support,
    null_space, solve_linear_system, to_big_rationals, to_small_rationals,
};
use crate::model::{Layer, LayerVector};
use crate::scalar::Rational;
use crate::small_rational::SmallRational;

/// The stripe spark of a dictionary with a witness.
#[derive(Clone, Debug, PartialEq)]
pub struct StripeSpark {
    /// `σ_S(D)`, or `None` when the columns of `D` are independent (no nonzero null vector).
    pub spark: Option<usize>,
    /// A nonzero `Δ` with `D Δ = 0` and `‖Δ‖^S_{0,∞} = σ_S(D)`.
    pub witness: Option<LayerVector<Rational>>,
    /// What the search covered.
    pub coverage: Coverage,
}

/// A dependency modulo `p` that is not one over `Q`: the modular search must be redone.
struct FalseDependency;

/// The independence test of the search: modulo a prime ([`ModularSpan`], on the residues of
/// each column scaled to integers), where "independent" is certain and "dependent" is
/// confirmed by the exact solve of [`CircuitSearch::circuit_vector`]; or in [`SmallRational`]
/// ([`IncrementalSpan`]), exact both ways.
enum Independence {
    Modular {
        columns: Vec<Vec<u64>>,
        span: ModularSpan,
    },
    Exact {
        columns: Vec<DVector<SmallRational>>,
        span: IncrementalSpan<SmallRational>,
    },
}

impl Independence {
    /// Adds the atom if it is independent of those added and returns whether it was.
    fn insert(&mut self, atom: usize) -> bool {
        match self {
            Independence::Modular { columns, span } => span.insert(&columns[atom]),
            Independence::Exact { columns, span } => span.insert(&columns[atom]),
        }
    }

    /// Removes the atom added last.
    fn remove_last(&mut self) {
        match self {
            Independence::Modular { span, .. } => span.remove_last(),
            Independence::Exact { span, .. } => span.remove_last(),
        }
    }
}

struct CircuitSearch<'a> {
    atoms: usize,
    dictionary: &'a nalgebra::DMatrix<SmallRational>,
    length: usize,
    channels: usize,
    filter_length: usize,
    best: Option<usize>,
    witness: Option<LayerVector<Rational>>,
    coverage: Coverage,
}

impl CircuitSearch<'_> {
    /// The null vector of `I ∪ {atom}` (with `I` independent), or `None` when `atom` is not in
    /// the span of `I` after all (a false dependency modulo `p`).
    fn circuit_vector(&self, independent: &[usize], atom: usize) -> Option<LayerVector<Rational>> {
        let restricted = columns_on_support(self.dictionary, independent).expect("atoms in range");
        let column = self.dictionary.column(atom).into_owned();
        let x = match solve_linear_system(&restricted, &column) {
            Ok(LinearSystemSolution::Unique(x)) => x,
            Ok(LinearSystemSolution::Inconsistent) => return None,
            other => unreachable!("an independent set has no null vector: {other:?}"),
        };
        let mut support = independent.to_vec();
        support.push(atom);
        let mut values: Vec<Rational> = to_big_rationals(&x).iter().cloned().collect();
        values.push(-Rational::one());
        Some(scatter(
            &support,
            &DVector::from_vec(values),
            self.length,
            self.channels,
        ))
    }

    fn descend(
        &mut self,
        start: usize,
        span: &mut Independence,
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
                let own_sparsity =
                    support_stripe_sparsity(&own, self.length, self.channels, self.filter_length);
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

fn witness_support(vector: &LayerVector<Rational>) -> Vec<usize> {
    vector
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_zero())
        .map(|(k, _)| k)
        .collect()
}

/// The circuit search with the given independence test, or `FalseDependency`.
fn circuit_search(
    layer: &Layer<Rational>,
    length: usize,
    dictionary: &nalgebra::DMatrix<SmallRational>,
    mut independence: Independence,
) -> Result<StripeSpark, FalseDependency> {
    let started = Instant::now();
    let channels = layer.filter_count();
    let mut search = CircuitSearch {
        atoms: dictionary.ncols(),
        dictionary,
        length,
        channels,
        filter_length: layer.filter_length(),
        best: None,
        witness: None,
        coverage: Coverage::of_dictionary(dictionary.ncols(), dictionary.nrows()),
    };
    let mut counter = StripeCounter::new(length, channels, layer.filter_length());
    search.descend(0, &mut independence, &mut counter, &mut Vec::new())?;
    let mut coverage = search.coverage;
    coverage.elapsed = started.elapsed();
    Ok(StripeSpark {
        spark: search.best,
        witness: search.witness,
        coverage,
    })
}

/// `σ_S(D)` of a layer over `N` positions, by the exact circuit search: independence tested
/// modulo [`SPAN_MODULUS`] ([`stripe_spark_modulo`]), and, if a dependency modulo `p` proves
/// false, the search redone in [`SmallRational`] ([`stripe_spark_in_rationals`]). Either way
/// the result, witness and coverage are those of [`stripe_spark_in_rationals`].
pub fn stripe_spark(layer: &Layer<Rational>, length: usize) -> StripeSpark {
    stripe_spark_modulo(layer, length, SPAN_MODULUS)
        .unwrap_or_else(|| stripe_spark_in_rationals(layer, length))
}

/// `σ_S(D)` by the circuit search with independence tested modulo the prime `modulus`:
/// "independent" modulo `p` is certain, and every "dependent" is confirmed by the exact solve
/// that builds the circuit's null vector. `None` when the solve refutes one (a false
/// dependency: the search cannot go on modulo `p`). The search meets the same answers as in
/// rationals, so a `Some` is [`stripe_spark_in_rationals`]'s result. A small modulus makes
/// false dependencies common (for tests of the fallback).
pub fn stripe_spark_modulo(
    layer: &Layer<Rational>,
    length: usize,
    modulus: u64,
) -> Option<StripeSpark> {
    let exact = exact_dictionary(layer, length);
    let dictionary = to_small_rationals(&exact);
    let span = ModularSpan::new(modulus);
    let columns = (0..exact.ncols())
        .map(|k| span.residues(&exact.column(k).into_owned()))
        .collect();
    circuit_search(
        layer,
        length,
        &dictionary,
        Independence::Modular { columns, span },
    )
    .ok()
}

/// `σ_S(D)` by the same circuit search with independence tested in [`SmallRational`]
/// throughout: the fallback of [`stripe_spark`], and its cross-check.
pub fn stripe_spark_in_rationals(layer: &Layer<Rational>, length: usize) -> StripeSpark {
    let dictionary = to_small_rationals(&exact_dictionary(layer, length));
    let columns = (0..dictionary.ncols())
        .map(|k| dictionary.column(k).into_owned())
        .collect();
    let span = IncrementalSpan::new();
    let independence = Independence::Exact { columns, span };
    match circuit_search(layer, length, &dictionary, independence) {
        Ok(spark) => spark,
        Err(FalseDependency) => unreachable!("a rational dependency is a true one"),
    }
}

/// `σ_S(D)` by the definition: every support `T`, the exact null space of `D_T`, and for each
/// null basis vector the stripe sparsity of its own support. Exponential in `N m`; for
/// cross-checks only (at most 16 atoms).
pub fn stripe_spark_by_all_supports(layer: &Layer<Rational>, length: usize) -> StripeSpark {
    let started = Instant::now();
    let dictionary = exact_dictionary(layer, length);
    let atoms = dictionary.ncols();
    assert!(
        atoms <= 16,
        "the plain definition enumerates 2^{atoms} supports"
    );
    let channels = layer.filter_count();
    let mut coverage = Coverage::of_dictionary(atoms, dictionary.nrows());
    let mut best: Option<(usize, LayerVector<Rational>)> = None;
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
pub fn spark_lower_bound_holds(spark: Option<usize>, coherence: &Rational, slack: usize) -> bool {
    match spark {
        None => true,
        Some(sigma) => {
            let margin = sigma as i64 - 1 - slack as i64;
            coherence.is_positive()
                && Rational::from_integer(margin.into()) * coherence >= Rational::one()
        }
    }
}
