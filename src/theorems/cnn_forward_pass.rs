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
use crate::thresholding::Thresholding;
use mlcsc_spec::theorems::cnn_forward_pass::{
    cnn_forward_pass_conclusion, network_equals_layered_thresholding,
};

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

/// The same identity on image models (`conv2d` layers, `proofs/two_dimensions.md`), under
/// its own name so that `verify` counts it apart; or, as a negative control, the false form
/// that compares the network with layered *soft* thresholding.
#[derive(Clone, Copy, Debug)]
pub struct ImageCnnForwardPass {
    /// The layered thresholding the network is compared with.
    pub against: Thresholding,
}

impl ImageCnnForwardPass {
    /// The identity: the network is layered nonnegative soft thresholding.
    pub const STATED: Self = ImageCnnForwardPass {
        against: Thresholding::Nonnegative,
    };

    /// The negative control: the network is layered soft thresholding (false wherever a
    /// correlation falls below `−β`).
    pub const SOFT_FORM: Self = ImageCnnForwardPass {
        against: Thresholding::Soft,
    };
}

impl Statement for ImageCnnForwardPass {
    fn name(&self) -> &str {
        match self.against {
            Thresholding::Nonnegative => "cnn-forward-pass-image",
            _ => "cnn-forward-pass-image-soft-form",
        }
    }

    fn citation(&self) -> &str {
        match self.against {
            Thresholding::Nonnegative => {
                "Papyan, Romano, Elad, \"Analyzing Convolutional Neural Networks Through the Eyes of Sparsity\" (the seed paper), Section II, equation (1), with conv2d layers: the forward pass is layered nonnegative soft thresholding; proofs/cnn_forward_pass.md, proofs/two_dimensions.md"
            }
            _ => {
                "the forward pass compared with layered soft thresholding instead of its nonnegative form (negative control); proofs/cnn_forward_pass.md"
            }
        }
    }

    fn hypotheses(&self, _instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        Ok(())
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        network_equals_layered_thresholding(&small_instance(instance), self.against)
    }

    /// Stated for image layers of any stride and padding.
    fn states_real_layers(&self) -> bool {
        true
    }

    fn hypothesis_clauses(&self) -> Option<Vec<Clause>> {
        Some(Vec::new())
    }
}
