//! Definition 1 (docs/math.md §5) as a [`Statement`]: the synthesis chain of an instance solves
//! the deep coding problems it defines. `{Γ_i}` is feasible for `DCP_λ` with signal `X` and for
//! `DCP^E_λ` with signal `Y = X + E`, `E_0² = ‖E‖²` and `E_i = 0` deeper, where `λ_i` is the
//! chain's own stripe sparsity; each predicate ([`crate::theorems::definition1`]) is decided
//! exactly. A consistency check of the predicates.

use super::definition1::{DcpVerdict, deep_coding_problem, noisy_deep_coding_problem};
use super::statement::Statement;
use super::verdict::{Clause, FailedHypothesis, Witness};
use crate::instance::{Instance, small_instance};
use crate::norms::stripe_sparsity;
use crate::scalar::{Rational, Scalar};
#[cfg(doc)]
use crate::small_rational::SmallRational;

/// Definition 1: the true chain solves `DCP_λ` and `DCP^E_λ`.
#[derive(Clone, Copy, Debug)]
pub struct TrueChainIsFeasible;

impl Statement for TrueChainIsFeasible {
    fn name(&self) -> &str {
        "definition1-true-chain-is-feasible"
    }

    fn citation(&self) -> &str {
        "Papyan, Romano, Elad, \"Analyzing Convolutional Neural Networks Through the Eyes of Sparsity\" (the seed paper), Definition 1 (the deep coding problems DCP_λ and DCP^E_λ); docs/math.md §5"
    }

    /// Every valid instance: the budgets are the chain's own.
    fn hypotheses(&self, _instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        Ok(())
    }

    /// Decided by the specification's predicates instantiated at [`SmallRational`] (the
    /// instance converted once), which computes the same exact values as big rationals (falling
    /// back to them when a value leaves machine words): the same verdict and numbers. With the
    /// reference engine ([`crate::exact_engine::use_reference_engine`]) they run over
    /// [`Rational`] itself.
    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        if crate::exact_engine::reference_engine() {
            true_chain_is_feasible(instance)
        } else {
            true_chain_is_feasible(&small_instance(instance))
        }
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(Vec::new())
    }
}

/// `DCP_λ` and `DCP^E_λ` on the instance's own chain, with its own stripe sparsities and
/// noise energy as budgets: `Err` names the first problem that finds it infeasible.
fn true_chain_is_feasible<S: Scalar>(instance: &Instance<S>) -> Result<(), Witness> {
    let model = &instance.model;
    let (signal, chain) = instance.signal_and_chain();
    let truth = &chain[1..];
    let lambda: Vec<usize> = model
        .layers()
        .iter()
        .zip(truth)
        .map(|(layer, gamma)| stripe_sparsity(gamma, layer.filter_length()))
        .collect();
    let mut budgets = vec![S::zero(); model.depth()];
    budgets[0] = instance.noise.inner_product(&instance.noise);
    let verdicts = [
        (
            "DCP_λ",
            deep_coding_problem::<S>(model, &chain[0], truth, &lambda),
        ),
        (
            "DCP^E_λ",
            noisy_deep_coding_problem::<S>(model, &signal, truth, &lambda, &budgets),
        ),
    ];
    for (problem, verdict) in verdicts {
        let violation = match verdict {
            Ok(DcpVerdict::Feasible) => continue,
            Ok(DcpVerdict::Infeasible(violations)) => violations[0].clone(),
            Err(error) => {
                return Err(Witness {
                    layer: 0,
                    conclusion: Clause::Named(problem.to_string()),
                    location: "the inputs".into(),
                    observed: error.to_string(),
                    bound: "inputs that fit the model".into(),
                });
            }
        };
        return Err(Witness {
            layer: violation.layer,
            conclusion: Clause::Named(format!("{problem}: {:?}", violation.constraint)),
            location: format!("{:?}", violation.location),
            observed: exact_string(&violation.found),
            bound: exact_string(&violation.allowed),
        });
    }
    Ok(())
}

/// The exact value as big rationals print it.
fn exact_string<S: Scalar>(x: &S) -> String {
    x.to_rational()
        .map_or_else(|| format!("{:?}", x), |r| r.to_string())
}
