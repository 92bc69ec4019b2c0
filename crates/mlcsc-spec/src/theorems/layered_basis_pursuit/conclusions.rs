//! The conclusions of layered basis pursuit at one layer: its hypothesis on the stripe
//! sparsity, the entries the estimate must recover, and the first conclusion that fails.

use super::{BasisPursuitClause, Witness, count, text};
use crate::exact_linear_algebra::ExactField;
use crate::kernels::Kernels;
use crate::model::LayerVector;

/// The hypothesis `s < ⅓ (1 + 1/μ)`, decided exactly as `3 s μ < μ + 1`: the bound
/// `⅓ (1 + 1/μ)` in `f64` (infinite for `μ = 0`) when it holds, else the reason it fails.
pub(super) fn sparsity_hypothesis<S: ExactField>(mu: &S, s: usize) -> Result<f64, String> {
    let hypothesis = count::<S>(3).product(&count(s)).product(mu) < mu.clone() + count(1);
    let sparsity_bound = if mu.is_zero() {
        f64::INFINITY
    } else {
        (1.0 + 1.0 / mu.to_f64()) / 3.0
    };
    if hypothesis {
        Ok(sparsity_bound)
    } else {
        Err(format!(
            "s = {s} is not below ⅓ (1 + 1/μ) = {sparsity_bound:.6} (μ = {})",
            text(mu)
        ))
    }
}

/// The indices of the entries of `Γ_i` above `7.5 ε'` in magnitude, whose signs the estimate
/// must recover.
fn large_entries<S: ExactField>(gamma: &LayerVector<S>, entrywise_bound: &S) -> Vec<usize> {
    // |0| > 7.5 ε' only for a negative bound: zero entries skip the comparison.
    let zero_is_large = entrywise_bound.is_negative();
    gamma
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            if t.is_zero() {
                zero_is_large
            } else {
                t.abs() > *entrywise_bound
            }
        })
        .map(|(k, _)| k)
        .collect()
}

/// One layer's estimate against its conclusions.
pub(super) struct Comparison<'a, S> {
    layer: usize,
    /// The patch width of the patch error.
    width: usize,
    gamma: &'a LayerVector<S>,
    estimate: &'a LayerVector<S>,
    /// The first entry of the estimate outside `supp Γ_i`.
    pub outside: Option<usize>,
    /// The number of large entries (above `7.5 ε'`).
    pub large: usize,
    /// The first large entry whose sign the estimate misses.
    pub missed: Option<usize>,
    /// `max |Γ_i − Γ̂_i|`.
    pub error_max: S,
    /// `7.5 ε'`.
    pub entrywise_bound: S,
    /// The largest squared patch norm of `Γ_i − Γ̂_i`.
    pub patch_squared: S,
    /// `ε_i² = 56.25 ε'² p`, exactly.
    epsilon_squared: S,
}

impl<'a, S: ExactField> Comparison<'a, S> {
    /// Measures the estimate of layer `layer` against `Γ_i` (patch width `width`, patch
    /// sparsity `p`, entrywise bound `7.5 ε'`), with the patch norm of `K`.
    pub(super) fn new<K: Kernels<S>>(
        layer: usize,
        width: usize,
        p: usize,
        gamma: &'a LayerVector<S>,
        estimate: &'a LayerVector<S>,
        entrywise_bound: S,
    ) -> Self {
        let error = gamma.difference(estimate);
        let patch_squared = K::patch_norm_squared(&error, width);
        let epsilon_squared = entrywise_bound.product(&entrywise_bound).product(&count(p));
        let outside = estimate
            .entries()
            .iter()
            .zip(gamma.entries())
            .position(|(e, t)| !e.is_zero() && t.is_zero());
        let large = large_entries(gamma, &entrywise_bound);
        let missed = large
            .iter()
            .find(|&&k| estimate.entries()[k].signum() != gamma.entries()[k].signum())
            .copied();
        Comparison {
            layer,
            width,
            gamma,
            estimate,
            outside,
            large: large.len(),
            missed,
            error_max: error.max_abs(),
            entrywise_bound,
            patch_squared,
            epsilon_squared,
        }
    }
}

impl<S: ExactField> Comparison<'_, S> {
    /// The first conclusion that fails, in the order support inclusion, entrywise error,
    /// large entries, patch error; `None` when all hold.
    pub(super) fn witness(&self) -> Option<Witness> {
        if let Some(k) = self.outside {
            Some(Witness {
                layer: self.layer,
                conclusion: BasisPursuitClause::SupportInclusion.into(),
                location: self.gamma.atom_text(k),
                observed: text(&self.estimate.entries()[k]),
                bound: "0 (outside supp Γ_i)".into(),
            })
        } else if self.error_max > self.entrywise_bound {
            Some(Witness {
                layer: self.layer,
                conclusion: BasisPursuitClause::EntrywiseError.into(),
                location: "largest entry of Γ_i − Γ̂_i".into(),
                observed: text(&self.error_max),
                bound: format!("7.5 ε_(i-1) = {}", text(&self.entrywise_bound)),
            })
        } else if let Some(k) = self.missed {
            Some(Witness {
                layer: self.layer,
                conclusion: BasisPursuitClause::LargeEntryRecovery.into(),
                location: self.gamma.atom_text(k),
                observed: text(&self.estimate.entries()[k]),
                bound: format!("the sign of Γ = {}", text(&self.gamma.entries()[k])),
            })
        } else if self.patch_squared > self.epsilon_squared {
            Some(Witness {
                layer: self.layer,
                conclusion: BasisPursuitClause::PatchError.into(),
                location: format!("patches of width {}", self.width),
                observed: format!("squared norm {}", text(&self.patch_squared)),
                bound: format!("ε_i² = {}", text(&self.epsilon_squared)),
            })
        } else {
            None
        }
    }
}
