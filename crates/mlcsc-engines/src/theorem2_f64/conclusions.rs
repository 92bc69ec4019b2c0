//! Conclusions 1–3 of Theorem 2 at one layer in `f64` with error bounds: the support, the
//! largest entry of the error and its patch energy, each compared with its bound.

use super::enclosed::Enclosed;
use super::enclosed_norms::{max_abs, patch_energy};
use super::interval::Interval;
use super::layer::LayerInput;
use super::open::Open;
use super::support::support_conclusion;
use crate::enclosure::Decision;
use crate::norms::worst_patch;
use crate::theorems::clause::Theorem2Clause;
use crate::theorems::verdict::Witness;

/// Conclusions 1–3 at one layer: the first certainly false, as a witness; open comparisons are
/// recorded in `open`.
pub(super) fn conclusions(
    input: &LayerInput,
    estimate: &Enclosed,
    error: &Enclosed,
    entrywise: Interval,
    epsilon_squared: Interval,
    open: &mut Open,
) -> Option<Witness> {
    let (i, previous, width) = (input.number, input.number - 1, input.patch_width);
    let truth = input.truth;
    let error_max = max_abs(error);
    let entrywise_ok = open.compare(
        error_max.less_or_equal(entrywise),
        i,
        || format!("conclusion 3 at layer {i}: ‖Γ_{i} − Γ̂_{i}‖_∞ ≤ ε_{previous} + μ (s − 1) |Γ^max| + β_{i}"),
        error_max,
        entrywise,
    );
    let patch = patch_energy(error, width);
    let patch_ok = open.compare(
        patch.less_or_equal(epsilon_squared),
        i,
        || format!("conclusion 2 at layer {i}: (‖Γ_{i} − Γ̂_{i}‖^P_2,∞)² ≤ ε_{i}²"),
        patch,
        epsilon_squared,
    );
    let channels = truth.mid.channels();
    let (support_ok, mismatch, uncertain) = support_conclusion(truth, estimate);
    if let Some(k) = uncertain {
        open.note(i, || {
            format!(
                "conclusion 1 at layer {i}: the sign of Γ̂_{i} at position {}, channel {} is {}, zero or not within the f64 error bound (Γ_{i} there is {})",
                k / channels,
                k % channels,
                estimate.entry(k).text(),
                truth.entry(k).text()
            )
        });
    }
    match (support_ok, entrywise_ok, patch_ok) {
        (Decision::False, _, _) => mismatch.map(|k| Witness {
            layer: i,
            conclusion: Theorem2Clause::Support.into(),
            location: format!("atom (position {}, channel {})", k / channels, k % channels),
            observed: estimate.entry(k).text(),
            bound: format!("the sign of Γ = {}", truth.entry(k).text()),
        }),
        (_, Decision::False, _) => Some(Witness {
            layer: i,
            conclusion: Theorem2Clause::EntrywiseError.into(),
            location: "largest entry of Γ_i − Γ̂_i".into(),
            observed: error_max.text(),
            bound: entrywise.text(),
        }),
        (_, _, Decision::False) => {
            let (start, _) = worst_patch(&error.mid, width);
            Some(Witness {
                layer: i,
                conclusion: Theorem2Clause::PatchError.into(),
                location: format!(
                    "patch at positions {}..{} (width {})",
                    start,
                    start + width - 1,
                    width
                ),
                observed: format!("squared norm {}", patch.text()),
                bound: format!("ε_i² = {}", epsilon_squared.text()),
            })
        }
        _ => None,
    }
}
