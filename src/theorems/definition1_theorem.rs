//! Definition 1 (docs/math.md §5) as a [`Statement`]: the synthesis chain of an instance solves
//! the deep coding problems it defines. `{Γ_i}` is feasible for `DCP_λ` with signal `X` and for
//! `DCP^E_λ` with signal `Y = X + E`, `E_0² = ‖E‖²` and `E_i = 0` deeper, where `λ_i` is the
//! chain's own stripe sparsity; each predicate ([`crate::theorems::definition1`]) is decided
//! exactly. A consistency check of the predicates.
//!
//! The same statement on images ([`TrueChainIsFeasible::IMAGE`]): the predicates read every
//! product and stripe on the model's grids (`proofs/two_dimensions.md`, G7, G14), with its
//! negative control [`TrueChainIsFeasible::IMAGE_LAMBDA_BELOW_STRIPE`], each `λ_i` one below
//! the chain's own stripe sparsity: a chain whose stripe sparsity exceeds `λ` is infeasible.

use super::definition1::{DcpVerdict, deep_coding_problem, noisy_deep_coding_problem};
use super::statement::Statement;
use super::verdict::{Clause, FailedHypothesis, Witness};
use crate::instance::{Instance, small_instance};
use crate::scalar::{Rational, Scalar};
#[cfg(doc)]
use crate::small_rational::SmallRational;
use crate::strided_norms::strided_stripe_sparsity;
use crate::theorems::outcome::image_events;

/// Definition 1: the true chain solves `DCP_λ` and `DCP^E_λ` (a form: on lines or on images,
/// with the chain's own `λ` or one below it).
#[derive(Clone, Copy, Debug)]
pub struct TrueChainIsFeasible {
    /// Stated on images (layers of any stride and padding, on grids).
    pub image: bool,
    /// The negative control: every `λ_i` one below the chain's stripe sparsity `s_i` (0 when
    /// `s_i = 0`).
    pub lambda_below_stripe: bool,
}

impl TrueChainIsFeasible {
    /// The statement on the paper's layers.
    pub const STATED: Self = TrueChainIsFeasible {
        image: false,
        lambda_below_stripe: false,
    };

    /// The statement on images.
    pub const IMAGE: Self = TrueChainIsFeasible {
        image: true,
        lambda_below_stripe: false,
    };

    /// The negative control on images: `λ_i = s_i − 1`.
    pub const IMAGE_LAMBDA_BELOW_STRIPE: Self = TrueChainIsFeasible {
        image: true,
        lambda_below_stripe: true,
    };
}

impl Statement for TrueChainIsFeasible {
    fn name(&self) -> &str {
        match (self.image, self.lambda_below_stripe) {
            (false, _) => "definition1-true-chain-is-feasible",
            (true, false) => "definition1-true-chain-is-feasible-image",
            (true, true) => "definition1-image-lambda-below-stripe",
        }
    }

    fn citation(&self) -> &str {
        match (self.image, self.lambda_below_stripe) {
            (false, _) => {
                "Papyan, Romano, Elad, \"Analyzing Convolutional Neural Networks Through the Eyes of Sparsity\" (the seed paper), Definition 1 (the deep coding problems DCP_λ and DCP^E_λ); docs/math.md §5"
            }
            (true, false) => {
                "Papyan, Romano, Elad, \"Analyzing Convolutional Neural Networks Through the Eyes of Sparsity\" (the seed paper), Definition 1 (DCP_λ and DCP^E_λ), on images (DERIVED): products and stripes on the model's grids; docs/math.md §5, proofs/two_dimensions.md (G7, G14)"
            }
            (true, true) => {
                "Papyan, Romano, Elad, \"Analyzing Convolutional Neural Networks Through the Eyes of Sparsity\" (the seed paper), Definition 1 on images (DERIVED) with each λ_i one below the chain's stripe sparsity (negative control); proofs/two_dimensions.md (G14)"
            }
        }
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
        let below = usize::from(self.lambda_below_stripe);
        if crate::exact_engine::reference_engine() {
            true_chain_is_feasible(instance, below)
        } else {
            true_chain_is_feasible(&small_instance(instance), below)
        }
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(Vec::new())
    }

    /// The image forms are stated for layers of any stride and padding.
    fn states_real_layers(&self) -> bool {
        self.image
    }

    /// The image events (`image-strided`, `image-padded`, `image-separable-overlap`).
    fn features(&self, instance: &Instance<Rational>) -> Vec<(String, f64)> {
        image_events(instance)
    }
}

/// `DCP_λ` and `DCP^E_λ` on the instance's own chain, with its own stripe sparsities less
/// `below` (floored at 0) and its noise energy as budgets: `Err` names the first problem that
/// finds it infeasible.
fn true_chain_is_feasible<S: Scalar>(instance: &Instance<S>, below: usize) -> Result<(), Witness> {
    let model = &instance.model;
    let (signal, chain) = instance.signal_and_chain();
    let truth = &chain[1..];
    let lambda: Vec<usize> = model
        .layers()
        .iter()
        .zip(truth)
        .map(|(layer, gamma)| strided_stripe_sparsity(gamma, layer).saturating_sub(below))
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
