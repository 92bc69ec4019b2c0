//! The `f64` solver of one layer's convolutional LASSO `min_Γ ½ ‖y − DΓ‖² + ξ ‖Γ‖_1`: FISTA
//! on the local operators, stopping on the duality gap, and the support its estimate suggests.
//! Its answer is a guess that [`crate::pursuit::basis_pursuit`] certifies exactly, or reports
//! as uncertified.
//!
//! ## References
//! - A. Beck, M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear
//!   inverse problems", SIAM J. Imaging Sciences 2 (2009).

use crate::coherence::filter_correlation;
use crate::model::{Layer, LayerVector};
use crate::operators::{analysis, synthesis};

/// What the `f64` solver returns.
#[derive(Clone, Debug)]
pub struct LassoSolution {
    /// The estimate.
    pub estimate: LayerVector<f64>,
    /// Iterations run.
    pub iterations: usize,
    /// The final duality gap.
    pub duality_gap: f64,
}

/// A Lipschitz constant of `Γ ↦ DᵀDΓ`: Gershgorin's bound `max_c Σ_{c', s} |⟨f_c, f_{c'}⟩_s|`,
/// which is rigorous for every `N ≥ 2n − 1` and independent of `N`.
pub fn lipschitz_bound(layer: &Layer<f64>) -> f64 {
    let m = layer.filter_count();
    let n = layer.filter_length();
    (0..m)
        .map(|a| {
            (0..m)
                .map(|b| {
                    let mut row = filter_correlation(layer, a, b, 0).abs();
                    for s in 1..n {
                        row += filter_correlation(layer, a, b, s).abs()
                            + filter_correlation(layer, b, a, s).abs();
                    }
                    row
                })
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
}

/// The duality gap of `x` for `min ½‖y − DΓ‖² + ξ‖Γ‖_1`: with `r = y − Dx` and the dual point
/// `ν = s r`, `s = min(1, ξ / ‖Dᵀr‖_∞)`, gap `= P(x) − (½‖y‖² − ½‖y − ν‖²) ≥ 0`.
///
/// It is evaluated as a sum of non-negative terms (C2 of `proofs/layered_basis_pursuit.md`):
/// since `⟨y, r⟩ = ⟨x, Dᵀr⟩ + ‖r‖²`,
/// `gap = ½ (1 − s)² ‖r‖² + Σ_k (ξ |x_k| − s x_k (Dᵀr)_k)`, each term `≥ 0` as `s |(Dᵀr)_k| ≤ ξ`.
/// The two sides of `P − D`, each about `½‖y‖²`, are never subtracted, so the rounding error
/// is relative to the gap's own terms and does not grow with `N`.
pub fn duality_gap(
    y: &LayerVector<f64>,
    layer: &Layer<f64>,
    x: &LayerVector<f64>,
    weight: f64,
) -> f64 {
    let residual = y.difference(&synthesis(layer, x));
    let correlations = analysis(layer, &residual);
    let largest = correlations.max_abs();
    let s = if largest > weight {
        weight / largest
    } else {
        1.0
    };
    let data = 0.5 * (1.0 - s) * (1.0 - s) * residual.inner_product(&residual);
    let complementarity: f64 = x
        .entries()
        .iter()
        .zip(correlations.entries())
        .map(|(v, c)| (weight * v.abs() - s * v * c).max(0.0))
        .sum();
    data + complementarity
}

/// FISTA for one layer's LASSO, from zero, until the duality gap is below
/// `relative_gap · ½‖y‖²` or `max_iterations` pass.
pub fn lasso_fista(
    layer: &Layer<f64>,
    y: &LayerVector<f64>,
    weight: f64,
    relative_gap: f64,
    max_iterations: usize,
) -> LassoSolution {
    let lipschitz = lipschitz_bound(layer).max(f64::MIN_POSITIVE);
    let step = 1.0 / lipschitz;
    let mut x = LayerVector::zeros(y.length(), layer.filter_count());
    let mut v = x.clone();
    let mut t = 1.0f64;
    let target = relative_gap * 0.5 * y.inner_product(y);
    let mut gap = f64::INFINITY;
    let mut iterations = 0;
    while iterations < max_iterations {
        iterations += 1;
        let residual = synthesis(layer, &v).difference(y);
        let gradient = analysis(layer, &residual);
        let next = LayerVector::from_entries(
            v.length(),
            v.channels(),
            v.entries()
                .iter()
                .zip(gradient.entries())
                .map(|(a, g)| {
                    let z = a - step * g;
                    z.signum() * (z.abs() - step * weight).max(0.0)
                })
                .collect(),
        )
        .expect("same shape");
        let t_next = 0.5 * (1.0 + (1.0 + 4.0 * t * t).sqrt());
        let momentum = (t - 1.0) / t_next;
        v = LayerVector::from_entries(
            next.length(),
            next.channels(),
            next.entries()
                .iter()
                .zip(x.entries())
                .map(|(n, o)| n + momentum * (n - o))
                .collect(),
        )
        .expect("same shape");
        x = next;
        t = t_next;
        if iterations % 20 == 0 {
            gap = duality_gap(y, layer, &x, weight);
            if gap <= target {
                break;
            }
        }
    }
    LassoSolution {
        estimate: x,
        iterations,
        duality_gap: gap,
    }
}

/// The solver's attempts, `(relative duality gap, iterations)`: the second runs longer.
pub const FISTA_SCHEDULE: [(f64, usize); 2] = [(1e-14, 5_000), (1e-20, 40_000)];

/// The support and signs the solver's estimate suggests: entries above
/// `1e-9 · max(‖x‖_∞, ξ)`.
pub fn support_guess(estimate: &LayerVector<f64>, weight: f64) -> Vec<(usize, i64)> {
    let cutoff = 1e-9 * estimate.max_abs().max(weight);
    let entries = estimate.entries().iter().enumerate();
    entries
        .filter(|(_, v)| v.abs() > cutoff)
        .map(|(k, v)| (k, if *v > 0.0 { 1 } else { -1 }))
        .collect()
}
