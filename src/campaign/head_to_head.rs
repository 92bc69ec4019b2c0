//! The forward pass against layered basis pursuit (the seed's "better pursuit"), over a grid of
//! contrast `|Γ^min| / |Γ^max|` and noise level, on single-layer instances with a
//! low-coherence filter. In every cell and for each pursuit: how often its theorem's hypotheses
//! hold, and how often it actually recovers the support with the right signs (decided exactly).

use rand::RngExt;
use rayon::prelude::*;
use serde::Serialize;

use crate::generate::filters::FirstLayerDesign;
use crate::generate::theorem2::{Theorem2Settings, case_rng, generate_theorem2_instance};
use crate::pursuit::Thresholding;
use crate::theorems::layered_basis_pursuit::check_layered_basis_pursuit;
use crate::theorems::theorem2::{Statement, check_theorem2_statement};
use crate::threshold::Threshold;

/// One cell of the grid.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct HeadToHeadCell {
    /// The contrast of `Γ`.
    pub contrast: f64,
    /// The noise level as a fraction of `|Γ^max|`.
    pub noise: f64,
    /// Cases run.
    pub cases: usize,
    /// Theorem 2's hypotheses held.
    pub forward_hypotheses: usize,
    /// The forward pass (soft thresholding, threshold in the middle of the window)
    /// recovered the support with signs.
    pub forward_success: usize,
    /// The basis pursuit theorem's hypotheses held.
    pub basis_pursuit_hypotheses: usize,
    /// Layered basis pursuit recovered the support with signs.
    pub basis_pursuit_success: usize,
}

/// Runs the grid: `contrasts × noises`, `cases` per cell, deterministic for a seed.
pub fn head_to_head(
    contrasts: &[f64],
    noises: &[f64],
    cases: usize,
    seed: u64,
) -> Vec<HeadToHeadCell> {
    let cells: Vec<(usize, f64, f64)> = contrasts
        .iter()
        .flat_map(|&c| noises.iter().map(move |&e| (c, e)))
        .enumerate()
        .map(|(k, (c, e))| (k, c, e))
        .collect();
    cells
        .par_iter()
        .map(|&(k, contrast, noise)| {
            let mut cell = HeadToHeadCell {
                contrast,
                noise,
                cases,
                forward_hypotheses: 0,
                forward_success: 0,
                basis_pursuit_hypotheses: 0,
                basis_pursuit_success: 0,
            };
            for case in 0..cases {
                let mut rng = case_rng(seed ^ ((k as u64) << 32), case as u64);
                let mut settings = Theorem2Settings::new(Thresholding::Soft);
                settings.max_depth = 1;
                settings.first_layer = Some(if rng.random_bool(0.5) {
                    FirstLayerDesign::Barker13
                } else {
                    FirstLayerDesign::Binary16
                });
                settings.contrast = Some(contrast);
                settings.min_clusters = 3;
                settings.noiseless_probability = 0.0;
                settings.last_window_position = Some(0.5);
                let mut instance = generate_theorem2_instance(&mut rng, &settings, "head-to-head");
                // Noise at the cell's level: rescale the generated noise (or place one entry).
                rescale_noise(&mut instance, noise);
                // The forward pass with its threshold mid-window; where the window is empty,
                // success is judged on its own.
                let forward = check_theorem2_statement(&instance, Statement::PAPER);
                cell.forward_hypotheses += usize::from(forward.verdict.hypotheses_met());
                cell.forward_success +=
                    usize::from(forward.layers.iter().all(|l| l.support_recovered));
                let basis = check_layered_basis_pursuit(&instance);
                cell.basis_pursuit_hypotheses += usize::from(basis.verdict.hypotheses_met());
                let recovered = basis.estimates.first().is_some_and(|estimate| {
                    let (_, chain) = instance.signal_and_chain();
                    chain[1]
                        .entries()
                        .iter()
                        .zip(estimate.entries())
                        .all(|(t, e)| {
                            num_traits::Signed::signum(t) == num_traits::Signed::signum(e)
                        })
                });
                cell.basis_pursuit_success += usize::from(recovered);
            }
            cell
        })
        .collect()
}

/// Scales the instance's noise so that its largest patch norm is `level · |Γ^max|` (within a
/// rational rounding below), declaring that level as the noise budget.
fn rescale_noise(instance: &mut crate::io::Instance<crate::scalar::Rational>, level: f64) {
    use crate::norms::patch_norm_squared;
    use crate::scalar::{Rational, Scalar};
    let gamma_max = instance
        .deepest_representation
        .support_magnitude_range()
        .map_or(1.0, |(_, hi)| hi.to_f64());
    let width = instance.model.layer(1).filter_length();
    if instance.is_noiseless() {
        instance.noise.set(0, 0, Rational::from_integer(1.into()));
    }
    let energy = patch_norm_squared(&instance.noise, width).to_f64();
    let target = level * gamma_max;
    let denominator = 1i64 << 30;
    let scale = Rational::new(
        (((target / energy.sqrt()) * denominator as f64).floor() as i64).into(),
        denominator.into(),
    );
    instance.noise = instance.noise.map(|v| v * &scale);
    let budget = patch_norm_squared(&instance.noise, width).sqrt_bounds(64).1;
    instance.noise_budget = Some(budget);
    // The middle of the window, (|Γ^min| + μ|Γ^max|) / 2, does not depend on ε: the threshold
    // stays there whether or not the window is empty.
    if let Some((gamma_min, gamma_max)) = instance.deepest_representation.support_magnitude_range()
    {
        let mu = crate::coherence::mutual_coherence(instance.model.layer(1));
        let beta = (gamma_min + mu * gamma_max) / Rational::from_integer(2.into());
        instance.thresholds[0] = Threshold::Shared(beta);
    }
}

/// The grid as CSV.
pub fn head_to_head_csv(cells: &[HeadToHeadCell]) -> String {
    let mut out = String::from(
        "contrast,noise,cases,forward_hypotheses,forward_success,basis_pursuit_hypotheses,basis_pursuit_success\n",
    );
    for c in cells {
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            c.contrast,
            c.noise,
            c.cases,
            c.forward_hypotheses,
            c.forward_success,
            c.basis_pursuit_hypotheses,
            c.basis_pursuit_success
        ));
    }
    out
}
