//! Layered basis pursuit: one convolutional LASSO per layer (docs/math.md §7),
//! `Γ̂_i = argmin_Γ ½ ‖Γ̂_{i-1} − D_i Γ‖² + ξ_i ‖Γ‖_1`.
//!
//! The minimiser is found in `f64` by FISTA on the local operators, stopping on the duality
//! gap, and then **certified in exact arithmetic**: from the solver's support `S` and signs `z`,
//! the normal equations `D_Sᵀ D_S x_S = D_Sᵀ y − ξ z` are solved in rationals, and the KKT
//! conditions are checked exactly: `sign(x_S) = z` and `|D_kᵀ (y − D x)| ≤ ξ` off the support.
//! Those conditions are necessary and sufficient for a minimiser of the convex problem; it is
//! unique when `D_Sᵀ D_S` is nonsingular and every off-support inequality is strict. A guess
//! that fails is repaired (entries with the wrong sign leave `S`, the most violated off-support
//! atom joins it) a bounded number of times, then the solver runs longer; if certification
//! still fails the answer is "uncertified", never a pass.
//!
//! **Cost.** Each FISTA iteration is two local passes, and its gap is a sum of non-negative
//! terms whose rounding does not grow with `N`. The certificate ([`ExactLasso`]) runs in
//! [`SmallRational`] (big rationals only on overflow, and at the edges): `D_Sᵀ D_S` is never
//! formed from full-length atoms but read from the filter correlations and solved by the banded
//! elimination of [`crate::solvers::banded_gram`]; `Dᵀ y` is one local pass, and each
//! `D_kᵀ(y − D x) = (Dᵀy)_k − Σ_l ⟨d_k, d_l⟩ x_l` sums over the support atoms that meet atom `k`
//! only; so time and memory are linear in `N` for fixed filter sizes, times the length
//! of the exact numbers, which grows with the longest run of mutually overlapping support
//! atoms (a run of `L` atoms has pivots that are ratios of `L × L` minors).
//!
//! ## References
//! - A. Beck, M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear
//!   inverse problems", SIAM J. Imaging Sciences 2 (2009).
//! - J.-J. Fuchs, "On sparse representations in arbitrary redundant bases", IEEE TIT 50 (2004)
//!   (the exact optimality certificate).

use std::sync::OnceLock;

use mlcsc_spec::theorems::layered_basis_pursuit::{
    BasisPursuitSolver, CertifiedMinimiser, root_upper,
};
use num_traits::{Signed, Zero};

use super::banded_gram::{AtomCorrelations, solve_support_gram};
pub use super::fista::{
    FISTA_SCHEDULE, LassoSolution, duality_gap, lasso_fista, lipschitz_bound, support_guess,
};
use crate::model::{Layer, LayerVector};
use crate::operators::analysis;
use crate::scalar::Scalar;
use crate::small_rational::SmallRational;

/// An exactly certified LASSO minimiser.
#[derive(Clone, Debug)]
pub struct LassoCertificate {
    /// The minimiser, exactly.
    pub estimate: LayerVector<SmallRational>,
    /// `D_Sᵀ D_S` nonsingular and every off-support KKT inequality strict.
    pub unique: bool,
    /// `|S|`.
    pub support_size: usize,
    /// FISTA iterations spent in all.
    pub solver_iterations: usize,
    /// Support repairs spent.
    pub repairs: usize,
}

/// Why certification failed.
#[derive(Clone, Debug, PartialEq)]
pub struct Uncertified {
    /// What the last attempt found.
    pub reason: String,
}

/// One layer's LASSO in exact arithmetic, prepared once for every support guess: the layer's
/// shape, `Dᵀy`, `ξ` and the filter correlations that give every Gram entry, in
/// [`SmallRational`] (machine words, big rationals only on overflow).
pub struct ExactLasso {
    /// `m`, `n` and `N`.
    filter_count: usize,
    filter_length: usize,
    signal_length: usize,
    correlations: LayerVector<SmallRational>,
    weight: SmallRational,
    gram: AtomCorrelations<SmallRational>,
}

impl ExactLasso {
    /// The problem `min_Γ ½ ‖y − DΓ‖² + ξ ‖Γ‖_1` for `layer` (its dictionary `D`), `y` and
    /// `weight = ξ`.
    pub fn new(
        layer: &Layer<SmallRational>,
        y: &LayerVector<SmallRational>,
        weight: &SmallRational,
    ) -> Self {
        let correlations = analysis(layer, y);
        let gram = AtomCorrelations::new(layer, y.length());
        ExactLasso {
            filter_count: layer.filter_count(),
            filter_length: layer.filter_length(),
            signal_length: y.length(),
            correlations,
            weight: weight.clone(),
            gram,
        }
    }

    /// Decides one support and sign guess `S, z` exactly (C1 of
    /// `proofs/layered_basis_pursuit.md`): `x_S` solves `D_Sᵀ D_S x_S = D_Sᵀ y − ξ z` (the
    /// banded solver of [`crate::solvers::banded_gram`]); the guess is certified when
    /// `sign(x_S) = z` and `|D_kᵀ (y − D x)| ≤ ξ` for every atom `k` off `S`. `support` lists
    /// atoms `p · m + c` with signs `±1`, each atom once.
    pub fn check_support(&self, support: &[(usize, i64)]) -> SupportCheck {
        let m = self.filter_count;
        let atoms: Vec<usize> = support.iter().map(|&(k, _)| k).collect();
        let right: Vec<SmallRational> = support
            .iter()
            .map(|&(k, sign)| {
                let mut value = self.correlations.entries()[k].clone();
                let step = &self.weight * &SmallRational::from_integer(sign);
                value -= &step;
                value
            })
            .collect();
        let solution = match solve_support_gram(&self.gram, &atoms, &right) {
            Ok(solution) => solution,
            Err(singular) => {
                return SupportCheck::Singular {
                    atom: support[singular.entry].0,
                };
            }
        };
        // Signs on the support, strictly.
        if let Some(a) = (0..support.len())
            .find(|&a| solution[a].signum() != SmallRational::from_integer(support[a].1))
        {
            return SupportCheck::SignChanges {
                entry: a,
                atom: support[a].0,
            };
        }
        let mut estimate = LayerVector::zeros(self.signal_length, m);
        for (value, &(k, _)) in solution.into_iter().zip(support) {
            estimate.set(k / m, k % m, value);
        }
        let mut strict = true;
        let mut worst: Option<(usize, SmallRational, bool)> = None;
        for k in 0..estimate.entries().len() {
            if !estimate.entries()[k].is_zero() {
                continue;
            }
            let c = self.residual_correlation(&estimate, k);
            let magnitude = c.abs();
            if magnitude > self.weight {
                if worst.as_ref().is_none_or(|(_, w, _)| magnitude > *w) {
                    worst = Some((k, magnitude, c.is_positive()));
                }
            } else if magnitude == self.weight {
                strict = false;
            }
        }
        if let Some((k, _, positive)) = worst {
            let sign = if positive { 1 } else { -1 };
            return SupportCheck::OffSupportViolation { atom: k, sign };
        }
        SupportCheck::Certified {
            estimate,
            unique: strict,
        }
    }

    /// `D_kᵀ (y − D x) = (Dᵀy)_k − Σ_l ⟨d_k, d_l⟩ x_l`, the sum over the atoms `l` of `x`'s
    /// support that meet atom `k` (positions closer than `n`, circularly): local, and free of
    /// the residual's long denominators.
    fn residual_correlation(&self, x: &LayerVector<SmallRational>, k: usize) -> SmallRational {
        let (m, length) = (self.filter_count, x.length());
        let reach = self.filter_length - 1;
        let p = k / m;
        let mut value = self.correlations.entries()[k].clone();
        let window = (2 * reach + 1).min(length);
        for j in 0..window {
            let q = if window == length {
                j
            } else {
                (p + length - reach + j) % length
            };
            for (c, coefficient) in x.at_position(q).iter().enumerate() {
                if !coefficient.is_zero() {
                    let product = &self.gram.inner_product(k, q * m + c) * coefficient;
                    value -= &product;
                }
            }
        }
        value
    }
}

/// The exact verdict on one support and sign guess.
#[derive(Clone, Debug, PartialEq)]
pub enum SupportCheck {
    /// Every KKT condition holds: `estimate` is a minimiser, `unique` when `D_Sᵀ D_S` is
    /// nonsingular and every off-support inequality is strict.
    Certified {
        /// The minimiser, exactly.
        estimate: LayerVector<SmallRational>,
        /// Certified unique.
        unique: bool,
    },
    /// The solution of the normal equations has the wrong sign (or is zero) at `support[entry]`.
    SignChanges {
        /// The index into the support.
        entry: usize,
        /// The atom `p · m + c`.
        atom: usize,
    },
    /// `|D_kᵀ (y − D x)| > ξ` at atom `k` off the support (the most violated one), whose
    /// correlation has sign `sign`.
    OffSupportViolation {
        /// The atom `p · m + c`.
        atom: usize,
        /// The sign of `D_kᵀ (y − D x)`.
        sign: i64,
    },
    /// `D_Sᵀ D_S` is singular (found at the pivot of `atom`).
    Singular {
        /// The atom `p · m + c` whose pivot vanished.
        atom: usize,
    },
}

/// Solves one layer's LASSO in `f64` and certifies the minimiser exactly (see the module
/// documentation). `weight` is `ξ > 0`.
pub fn certified_lasso(
    layer: &Layer<SmallRational>,
    y: &LayerVector<SmallRational>,
    weight: &SmallRational,
) -> Result<LassoCertificate, Uncertified> {
    let problem = ExactLasso::new(layer, y, weight);
    let layer_f64 = layer.map(|v| v.to_f64());
    let y_f64 = y.map(|v| v.to_f64());
    let weight_f64 = weight.to_f64();
    let mut total_iterations = 0;
    let mut repairs = 0;
    let mut last_reason = String::new();
    for (relative_gap, iterations) in FISTA_SCHEDULE {
        let solution = lasso_fista(&layer_f64, &y_f64, weight_f64, relative_gap, iterations);
        total_iterations += solution.iterations;
        let mut support = support_guess(&solution.estimate, weight_f64);
        for _ in 0..(4 + support.len()) {
            match problem.check_support(&support) {
                SupportCheck::Certified { estimate, unique } => {
                    return Ok(LassoCertificate {
                        estimate,
                        unique,
                        support_size: support.len(),
                        solver_iterations: total_iterations,
                        repairs,
                    });
                }
                SupportCheck::SignChanges { entry, atom } => {
                    last_reason = format!(
                        "the exact solution on the guessed support changes sign at atom {atom}"
                    );
                    support.remove(entry);
                }
                SupportCheck::OffSupportViolation { atom, sign } => {
                    last_reason = format!("atom {atom} violates the off-support KKT inequality");
                    support.push((atom, sign));
                    support.sort_unstable();
                }
                SupportCheck::Singular { atom } => {
                    // The atom whose pivot vanished is a combination of the atoms eliminated
                    // before it, so dropping it keeps the span of `D_S`: the reduced support has
                    // the same fits, and the certificate decides it (proofs/layered_basis_pursuit.md, C2).
                    last_reason = format!(
                        "the Gram matrix of the guessed support is singular at atom {atom}"
                    );
                    support.retain(|&(k, _)| k != atom);
                }
            }
            repairs += 1;
        }
    }
    Err(Uncertified {
        reason: format!(
            "no certified minimiser after {total_iterations} FISTA iterations and {repairs} repairs: {last_reason}"
        ),
    })
}

/// Patch sparsities below this have their `sqrt(p)` computed once per process.
const REMEMBERED_ROOTS: usize = 64;

/// Layered basis pursuit's solver in the engines: FISTA proposes each minimiser and the banded
/// certificate decides it ([`certified_lasso`]), in [`SmallRational`]; `sqrt(p)` rounded up
/// ([`root_upper`]) is remembered for small `p`.
#[derive(Clone, Copy, Debug, Default)]
pub struct BandedLasso;

impl BasisPursuitSolver<SmallRational> for BandedLasso {
    fn certify(
        &self,
        layer: &Layer<SmallRational>,
        y: &LayerVector<SmallRational>,
        weight: &SmallRational,
    ) -> Result<CertifiedMinimiser<SmallRational>, String> {
        certified_lasso(layer, y, weight)
            .map(|certificate| CertifiedMinimiser {
                estimate: certificate.estimate,
                unique: certificate.unique,
                support_size: certificate.support_size,
            })
            .map_err(|failure| failure.reason)
    }

    fn root_upper(&self, p: usize) -> SmallRational {
        static ROOTS: OnceLock<Vec<SmallRational>> = OnceLock::new();
        if p < REMEMBERED_ROOTS {
            ROOTS.get_or_init(|| (0..REMEMBERED_ROOTS).map(root_upper).collect())[p].clone()
        } else {
            root_upper(p)
        }
    }
}
