//! The hypotheses of Theorem 2 that hold for the whole instance, in `f64` with error bounds:
//! the noise budget (or the measured `ε_0`), and nonzero (for the ReLU variant, nonnegative)
//! representations.

use super::deepest::deepest_radius;
use super::enclosed::Enclosed;
use super::enclosed_norms::patch_energy;
use super::interval::{Interval, input};
use super::open::Open;
use crate::enclosure::Decision;
use crate::fast::patch_norm_squared;
use crate::instance::Instance;
use crate::theorems::clause::Theorem2Clause;
use crate::theorems::verdict::FailedHypothesis;
use crate::thresholding::Thresholding;

/// `ε_0`, enclosed and as the plain `f64` of the report: the declared budget, or the noise's
/// patch norm at width `n_1`; with the budget's hypothesis `(‖E‖^P_2,∞)² ≤ ε_0²` when it is
/// certainly false.
pub(super) fn initial_error(
    instance: &Instance<f64>,
    noise: &Enclosed,
    open: &mut Open,
) -> (Interval, f64, Option<FailedHypothesis>) {
    let n1 = instance.model.layer(1).filter_length();
    let noise_energy = patch_energy(noise, n1);
    let noise_energy_mid = patch_norm_squared(&instance.noise, n1);
    let Some(budget) = instance.noise_budget else {
        return (noise_energy.sqrt(), noise_energy_mid.sqrt(), None);
    };
    let budget_interval = input(budget);
    let squared = budget_interval.square();
    let decision = open.hypothesis(
        noise_energy.less_or_equal(squared),
        0,
        || "the noise budget: (‖E‖^P_2,∞)² ≤ ε_0²".into(),
        noise_energy,
        squared,
    );
    let failed = (decision == Decision::False).then(|| FailedHypothesis {
        layer: 0,
        hypothesis: Theorem2Clause::NoiseBudget.into(),
        detail: format!(
            "(‖E‖^P_2,∞)² = {} exceeds the declared budget squared {}",
            noise_energy.text(),
            squared.text()
        ),
        shortfall: (noise_energy_mid.sqrt() - budget).max(0.0),
    });
    (budget_interval, budget, failed)
}

/// The first layer whose `Γ_i` is certainly all zero, or (for the ReLU variant) certainly has a
/// negative entry; a sign left open is recorded in `open`. With `deepest_unwritten`, the
/// radii of the last vector (`Γ_K`) are not written out, each a function of its entry
/// ([`deepest_radius`]).
pub(super) fn structural_hypotheses(
    instance: &Instance<f64>,
    chain: &[Enclosed],
    deepest_unwritten: bool,
    open: &mut Open,
) -> Option<FailedHypothesis> {
    for (i, gamma) in chain.iter().enumerate().skip(1) {
        let entries = gamma.mid.entries();
        let unwritten = deepest_unwritten && i + 1 == chain.len();
        let radius = |k: usize| {
            if unwritten {
                deepest_radius(entries[k])
            } else {
                gamma.rad[k]
            }
        };
        let entry = |k: usize| Interval::around(entries[k], radius(k));
        let signs = || (0..entries.len()).map(|k| Enclosed::sign_of(entries[k], radius(k)));
        if signs().all(|s| s == Some(0)) {
            return Some(FailedHypothesis {
                layer: i,
                hypothesis: Theorem2Clause::NonzeroRepresentation.into(),
                detail: "Γ_i is all zero, so |Γ_i^min| and |Γ_i^max| are undefined".into(),
                shortfall: 0.0,
            });
        }
        if instance.thresholding != Thresholding::Nonnegative {
            continue;
        }
        if let Some(k) = signs().position(|s| s == Some(-1)) {
            return Some(FailedHypothesis {
                layer: i,
                hypothesis: Theorem2Clause::NonnegativeRepresentation.into(),
                detail: format!(
                    "the ReLU variant needs Γ_i ≥ 0; Γ_i has the entry {}",
                    entry(k).text()
                ),
                shortfall: -gamma.mid.entries()[k],
            });
        }
        if let Some(k) = signs().position(|s| s.is_none()) {
            open.note_hypothesis(i, || {
                format!(
                    "the sign of Γ_{i} at entry {k}: {} is not certainly ≥ 0 within the f64 error bound",
                    entry(k).text()
                )
            });
        }
    }
    None
}
