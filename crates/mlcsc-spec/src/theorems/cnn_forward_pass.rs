//! The CNN forward pass is layered thresholding (docs/math.md §4; the seed paper, Section II,
//! equation (1); `proofs/cnn_forward_pass.md`):
//!
//! > A network of convolution layers whose weights are the filters of `D_i` and whose biases are
//! > `−β_i`, each followed by a ReLU, computes layered nonnegative soft thresholding:
//! > `ReLU(W_iᵀ Z − β_i) = S⁺_{β_i}(D_iᵀ Z)` at every layer, so the two estimates of every `Γ_i`
//! > from `Y` are equal.
//!
//! [`cnn_forward_pass_conclusion`] decides it exactly on an instance's own signal `Y = X + E`
//! and thresholds, the network written independently of the dictionary code
//! ([`crate::pursuit::cnn`]), in the instance's exact field (the same verdict in every one).

use crate::instance::Instance;
use crate::pursuit::cnn::cnn_forward;
use crate::pursuit::{Thresholding, layered_thresholding};
use crate::scalar::{Scalar, rational_to_text};
use crate::theorems::verdict::{Clause, Witness};

/// The conclusion: the network's estimate of every `Γ_i` equals layered nonnegative soft
/// thresholding's, entry by entry; else the first entry where they differ.
pub fn cnn_forward_pass_conclusion<S: Scalar>(instance: &Instance<S>) -> Result<(), Witness> {
    network_equals_layered_thresholding(instance, Thresholding::Nonnegative)
}

/// The network's estimate of every `Γ_i` against layered thresholding with `thresholding`:
/// [`cnn_forward_pass_conclusion`] for the nonnegative one; with soft thresholding, the false
/// form a negative control states (a ReLU never outputs the negative estimates soft
/// thresholding keeps).
pub fn network_equals_layered_thresholding<S: Scalar>(
    instance: &Instance<S>,
    thresholding: Thresholding,
) -> Result<(), Witness> {
    let text = |x: &S| rational_to_text(&x.to_rational().expect("an exact value"));
    let (signal, _) = instance.signal_and_chain();
    let (model, thresholds) = (&instance.model, &instance.thresholds);
    let network = cnn_forward(model, &signal, thresholds);
    let pursuit = layered_thresholding(model, &signal, thresholds, thresholding);
    for (index, (by_network, by_pursuit)) in network.iter().zip(&pursuit).enumerate() {
        if let Some(k) = by_network
            .entries()
            .iter()
            .zip(by_pursuit.entries())
            .position(|(a, b)| a != b)
        {
            return Err(Witness {
                layer: index + 1,
                conclusion: Clause::Named("forward-pass-equals-layered-thresholding".into()),
                location: by_pursuit.atom_text(k),
                observed: text(&by_network.entries()[k]),
                bound: text(&by_pursuit.entries()[k]),
            });
        }
    }
    Ok(())
}
