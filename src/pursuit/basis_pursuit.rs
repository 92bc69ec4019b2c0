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
//! ## References
//! - A. Beck, M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear
//!   inverse problems", SIAM J. Imaging Sciences 2 (2009).
//! - J.-J. Fuchs, "On sparse representations in arbitrary redundant bases", IEEE TIT 50 (2004)
//!   (the exact optimality certificate).

use nalgebra::{DMatrix, DVector};
use num_traits::{Signed, Zero};

use crate::coherence::filter_correlation;
use crate::exact_linear_algebra::solve;
use crate::model::{Layer, LayerVector};
use crate::operators::{analysis, synthesis};
use crate::scalar::{Rational, Scalar};

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

fn objective(
    y: &LayerVector<f64>,
    layer: &Layer<f64>,
    x: &LayerVector<f64>,
    weight: f64,
) -> (f64, LayerVector<f64>) {
    let residual = y.difference(&synthesis(layer, x));
    let data = 0.5 * residual.inner_product(&residual);
    let l1: f64 = x.entries().iter().map(|v| v.abs()).sum();
    (data + weight * l1, residual)
}

/// The duality gap of `x` for `min ½‖y − DΓ‖² + ξ‖Γ‖_1`: with `r = y − Dx` and the dual point
/// `ν = r · min(1, ξ / ‖Dᵀr‖_∞)`, gap `= P(x) − (½‖y‖² − ½‖y − ν‖²) ≥ 0`.
pub fn duality_gap(
    y: &LayerVector<f64>,
    layer: &Layer<f64>,
    x: &LayerVector<f64>,
    weight: f64,
) -> f64 {
    let (primal, residual) = objective(y, layer, x, weight);
    let correlation = analysis(layer, &residual).max_abs();
    let scale = if correlation > weight {
        weight / correlation
    } else {
        1.0
    };
    let nu = residual.map(|v| v * scale);
    let y_minus_nu = y.difference(&nu);
    let dual = 0.5 * y.inner_product(y) - 0.5 * y_minus_nu.inner_product(&y_minus_nu);
    (primal - dual).max(0.0)
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

/// An exactly certified LASSO minimiser.
#[derive(Clone, Debug)]
pub struct LassoCertificate {
    /// The minimiser, exactly.
    pub estimate: LayerVector<Rational>,
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

fn unit_atom(layer: &Layer<Rational>, length: usize, index: usize) -> LayerVector<Rational> {
    let m = layer.filter_count();
    let mut coefficient = LayerVector::zeros(length, m);
    coefficient.set(index / m, index % m, Rational::from_integer(1.into()));
    synthesis(layer, &coefficient)
}

/// Checks one support and sign guess exactly: `Ok` with the certificate, or `Err` with the
/// repair to try (an index to drop, or one to add).
fn certify_support(
    layer: &Layer<Rational>,
    y: &LayerVector<Rational>,
    weight: &Rational,
    support: &[(usize, i64)],
) -> Result<(LayerVector<Rational>, bool), Repair> {
    let length = y.length();
    let m = layer.filter_count();
    let atoms: Vec<LayerVector<Rational>> = support
        .iter()
        .map(|&(k, _)| unit_atom(layer, length, k))
        .collect();
    let size = support.len();
    let gram = DMatrix::from_fn(size, size, |a, b| atoms[a].inner_product(&atoms[b]));
    let correlations = analysis(layer, y);
    let right = DVector::from_fn(size, |a, _| {
        let (k, sign) = support[a];
        let mut value = correlations.entries()[k].clone();
        value -= &(weight * Rational::from_integer(sign.into()));
        value
    });
    let solution = if size == 0 {
        DVector::from_element(0, Rational::zero())
    } else {
        solve(&gram, &right).map_err(|_| Repair::Singular)?
    };
    // Signs on the support, strictly.
    if let Some(a) =
        (0..size).find(|&a| solution[a].signum() != Rational::from_integer(support[a].1.into()))
    {
        return Err(Repair::Drop(a));
    }
    let mut estimate = LayerVector::zeros(length, m);
    for (a, &(k, _)) in support.iter().enumerate() {
        estimate.set(k / m, k % m, solution[a].clone());
    }
    let residual = y.difference(&synthesis(layer, &estimate));
    let residual_correlations = analysis(layer, &residual);
    let on_support: std::collections::BTreeSet<usize> = support.iter().map(|&(k, _)| k).collect();
    let mut strict = true;
    let mut worst: Option<(usize, Rational)> = None;
    for (k, c) in residual_correlations.entries().iter().enumerate() {
        if on_support.contains(&k) {
            continue;
        }
        let magnitude = c.abs();
        if magnitude > *weight {
            if worst.as_ref().is_none_or(|(_, w)| magnitude > *w) {
                worst = Some((k, magnitude));
            }
        } else if magnitude == *weight {
            strict = false;
        }
    }
    if let Some((k, _)) = worst {
        let sign = if residual_correlations.entries()[k].is_positive() {
            1
        } else {
            -1
        };
        return Err(Repair::Add(k, sign));
    }
    Ok((estimate, strict))
}

enum Repair {
    Drop(usize),
    Add(usize, i64),
    Singular,
}

/// Solves one layer's LASSO in `f64` and certifies the minimiser exactly (see the module
/// documentation). `weight` is `ξ > 0`.
pub fn certified_lasso(
    layer: &Layer<Rational>,
    y: &LayerVector<Rational>,
    weight: &Rational,
) -> Result<LassoCertificate, Uncertified> {
    let layer_f64 = layer.map(|v| v.to_f64());
    let y_f64 = y.to_f64();
    let weight_f64 = weight.to_f64();
    let mut total_iterations = 0;
    let mut repairs = 0;
    let mut last_reason = String::new();
    for (relative_gap, iterations) in [(1e-14, 5_000), (1e-20, 40_000)] {
        let solution = lasso_fista(&layer_f64, &y_f64, weight_f64, relative_gap, iterations);
        total_iterations += solution.iterations;
        let largest = solution.estimate.max_abs();
        let cutoff = 1e-9 * largest.max(weight_f64);
        let mut support: Vec<(usize, i64)> = solution
            .estimate
            .entries()
            .iter()
            .enumerate()
            .filter(|(_, v)| v.abs() > cutoff)
            .map(|(k, v)| (k, if *v > 0.0 { 1 } else { -1 }))
            .collect();
        for _ in 0..(4 + support.len()) {
            match certify_support(layer, y, weight, &support) {
                Ok((estimate, unique)) => {
                    return Ok(LassoCertificate {
                        estimate,
                        unique,
                        support_size: support.len(),
                        solver_iterations: total_iterations,
                        repairs,
                    });
                }
                Err(Repair::Drop(a)) => {
                    last_reason = format!(
                        "the exact solution on the guessed support changes sign at atom {}",
                        support[a].0
                    );
                    support.remove(a);
                }
                Err(Repair::Add(k, sign)) => {
                    last_reason = format!("atom {k} violates the off-support KKT inequality");
                    support.push((k, sign));
                    support.sort_unstable();
                }
                Err(Repair::Singular) => {
                    last_reason = "the Gram matrix of the guessed support is singular".into();
                    break;
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
