//! The CNN forward pass is layered thresholding (docs/math.md §4; the seed paper, Section II,
//! equation (1); `proofs/cnn_forward_pass.md`), as a [`Statement`]:
//!
//! > A network of convolution layers whose weights are the filters of `D_i` and whose biases are
//! > `−β_i`, each followed by a ReLU, computes layered nonnegative soft thresholding:
//! > `ReLU(W_iᵀ Z − β_i) = S⁺_{β_i}(D_iᵀ Z)` at every layer, so the two estimates of every `Γ_i`
//! > from `Y` are equal.
//!
//! Decided exactly on the instance's own signal `Y = X + E` and thresholds, the network written
//! independently of the dictionary code ([`crate::pursuit::cnn`]), by the specification's
//! [`cnn_forward_pass_conclusion`].

use super::statement::Statement;
use super::verdict::{Clause, FailedHypothesis, Witness};
use crate::instance::{Instance, small_instance};
use crate::scalar::Rational;
use mlcsc_spec::theorems::cnn_forward_pass::cnn_forward_pass_conclusion;

/// The CNN forward pass equals layered nonnegative soft thresholding.
#[derive(Clone, Copy, Debug)]
pub struct CnnForwardPass;

impl Statement for CnnForwardPass {
    fn name(&self) -> &str {
        "cnn-forward-pass"
    }

    fn citation(&self) -> &str {
        "Papyan, Romano, Elad, \"Analyzing Convolutional Neural Networks Through the Eyes of Sparsity\" (the seed paper), Section II, equation (1): the forward pass is layered nonnegative soft thresholding; docs/math.md §4, proofs/cnn_forward_pass.md"
    }

    /// Every valid instance: the identity holds for any filters, signal and thresholds.
    fn hypotheses(&self, _instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        Ok(())
    }

    /// Decided in [`SmallRational`](crate::small_rational::SmallRational), which computes the
    /// same exact values as big rationals (falling back to them when a value leaves machine
    /// words).
    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        cnn_forward_pass_conclusion(&small_instance(instance))
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(Vec::new())
    }
}
