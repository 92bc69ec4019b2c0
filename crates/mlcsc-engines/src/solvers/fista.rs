//! The `f64` solver of one layer's convolutional LASSO `min_Γ ½ ‖y − DΓ‖² + ξ ‖Γ‖_1`: FISTA
//! on the local operators, stopping on the duality gap, and the support its estimate suggests.
//! Its answer is a guess that [`crate::solvers::basis_pursuit`] certifies exactly, or reports
//! as uncertified.
//!
//! ## References
//! - A. Beck, M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear
//!   inverse problems", SIAM J. Imaging Sciences 2 (2009).

use crate::coherence::filter_correlation;
use crate::model::{Layer, LayerVector};

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

/// Positions whose analysis sums are formed side by side.
const ANALYSIS_BLOCK: usize = 4;

/// `D` and `Dᵀ` of one layer in `f64` over flat position-major entries, into buffers the
/// caller reuses. Every output is the same sum, of the same products in the same order, as
/// [`crate::operators::synthesis`] and [`crate::operators::analysis`] compute in `f64`, so the
/// values are equal bit for bit; only the iterator plumbing, the index arithmetic and the
/// allocations are gone.
struct LocalOperators<'a> {
    taps: &'a [f64],
    /// Scratch: the analysed vector on the unrolled circle.
    unrolled: Vec<f64>,
    filter_count: usize,
    filter_length: usize,
    input_channels: usize,
    length: usize,
}

impl<'a> LocalOperators<'a> {
    fn new(layer: &'a Layer<f64>, length: usize) -> Self {
        LocalOperators {
            taps: layer.taps(),
            unrolled: Vec::with_capacity((length + layer.filter_length()) * layer.input_channels()),
            filter_count: layer.filter_count(),
            filter_length: layer.filter_length(),
            input_channels: layer.input_channels(),
            length,
        }
    }

    /// `out = D Γ`: each nonzero `Γ[p, c]` adds `Γ[p, c] · f_c[t][k]` to `out[(p + t) mod N, k]`,
    /// in the order of `p`, `c`, `t`, `k`.
    fn synthesis_into(&self, gamma: &[f64], out: &mut [f64]) {
        let (m, n, m_prev, length) = self.shape();
        out.fill(0.0);
        for p in 0..length {
            for (c, &coefficient) in gamma[p * m..(p + 1) * m].iter().enumerate() {
                if coefficient == 0.0 {
                    continue;
                }
                let filter = &self.taps[c * n * m_prev..(c + 1) * n * m_prev];
                let mut q = p;
                for taps in filter.chunks_exact(m_prev) {
                    let row = &mut out[q * m_prev..(q + 1) * m_prev];
                    for (entry, tap) in row.iter_mut().zip(taps) {
                        *entry += coefficient * tap;
                    }
                    q = if q + 1 == length { 0 } else { q + 1 };
                }
            }
        }
    }

    /// `out = Dᵀ Z`: `out[p, c] = Σ_t Σ_k f_c[t][k] · Z[(p + t) mod N, k]`, summed from zero in
    /// the order of `t`, `k`. `Z` is first copied onto the circle unrolled (`N + n − 1`
    /// positions, so no index wraps), and [`ANALYSIS_BLOCK`] positions are summed side by side:
    /// their sums are independent, so they overlap in the pipeline, each in its own order.
    fn analysis_into(&mut self, z: &[f64], out: &mut [f64]) {
        let (m, n, m_prev, length) = self.shape();
        let total = (length + n - 1) * m_prev;
        self.unrolled.clear();
        while self.unrolled.len() < total {
            let more = (total - self.unrolled.len()).min(z.len());
            self.unrolled.extend_from_slice(&z[..more]);
        }
        let unrolled = &self.unrolled;
        let window = n * m_prev;
        for c in 0..m {
            let filter = &self.taps[c * window..(c + 1) * window];
            let mut p = 0;
            while p + ANALYSIS_BLOCK <= length {
                let mut acc = [0.0; ANALYSIS_BLOCK];
                for (i, tap) in filter.iter().enumerate() {
                    for (j, a) in acc.iter_mut().enumerate() {
                        *a += tap * unrolled[(p + j) * m_prev + i];
                    }
                }
                for (j, a) in acc.into_iter().enumerate() {
                    out[(p + j) * m + c] = a;
                }
                p += ANALYSIS_BLOCK;
            }
            for p in p..length {
                let mut acc = 0.0;
                for (tap, value) in filter
                    .iter()
                    .zip(&unrolled[p * m_prev..p * m_prev + window])
                {
                    acc += tap * value;
                }
                out[p * m + c] = acc;
            }
        }
    }

    fn shape(&self) -> (usize, usize, usize, usize) {
        let m = self.filter_count;
        (m, self.filter_length, self.input_channels, self.length)
    }
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
    let mut operators = LocalOperators::new(layer, y.length());
    let mut residual = vec![0.0; y.entries().len()];
    let mut correlations = vec![0.0; x.entries().len()];
    gap_into(
        &mut operators,
        y.entries(),
        x.entries(),
        weight,
        &mut residual,
        &mut correlations,
    )
}

/// [`duality_gap`] with the residual and correlation buffers supplied.
fn gap_into(
    operators: &mut LocalOperators,
    y: &[f64],
    x: &[f64],
    weight: f64,
    residual: &mut [f64],
    correlations: &mut [f64],
) -> f64 {
    operators.synthesis_into(x, residual);
    for (r, v) in residual.iter_mut().zip(y) {
        *r = v - *r;
    }
    operators.analysis_into(residual, correlations);
    let mut largest = 0.0;
    for c in correlations.iter() {
        if c.abs() > largest {
            largest = c.abs();
        }
    }
    let s = if largest > weight {
        weight / largest
    } else {
        1.0
    };
    let mut energy = 0.0;
    for r in residual.iter() {
        energy += r * r;
    }
    let data = 0.5 * (1.0 - s) * (1.0 - s) * energy;
    let complementarity: f64 = x
        .iter()
        .zip(correlations.iter())
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
    let (length, m) = (y.length(), layer.filter_count());
    let mut operators = LocalOperators::new(layer, length);
    let mut x = vec![0.0; length * m];
    let mut v = x.clone();
    let mut next = x.clone();
    let mut gradient = x.clone();
    let mut residual = vec![0.0; y.entries().len()];
    let mut t = 1.0f64;
    let target = relative_gap * 0.5 * y.inner_product(y);
    let mut gap = f64::INFINITY;
    let mut iterations = 0;
    while iterations < max_iterations {
        iterations += 1;
        operators.synthesis_into(&v, &mut residual);
        for (r, target) in residual.iter_mut().zip(y.entries()) {
            *r -= target;
        }
        operators.analysis_into(&residual, &mut gradient);
        for ((n, a), g) in next.iter_mut().zip(&v).zip(&gradient) {
            let z = a - step * g;
            *n = z.signum() * (z.abs() - step * weight).max(0.0);
        }
        let t_next = 0.5 * (1.0 + (1.0 + 4.0 * t * t).sqrt());
        let momentum = (t - 1.0) / t_next;
        for ((w, n), o) in v.iter_mut().zip(&next).zip(&x) {
            *w = n + momentum * (n - o);
        }
        std::mem::swap(&mut x, &mut next);
        t = t_next;
        if iterations % 20 == 0 {
            gap = gap_into(
                &mut operators,
                y.entries(),
                &x,
                weight,
                &mut residual,
                &mut gradient,
            );
            if gap <= target {
                break;
            }
        }
    }
    LassoSolution {
        estimate: LayerVector::from_entries(length, m, x).expect("the layer's shape"),
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
