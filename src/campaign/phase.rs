//! Phase-transition studies: success rates of layered thresholding over a grid of generator
//! parameters, with the region where Theorem 2 applies (docs/math.md §6).
//!
//! Each study fixes a single layer `D_1` from a [`FirstLayerDesign`](crate::generate::filters::FirstLayerDesign) with coherence `μ`, and a
//! grid whose vertical axis is the contrast `c = |Γ^min| / |Γ^max|` (with `|Γ^max| = 1`). The
//! horizontal axis is
//!
//! - the stripe sparsity `s = ‖Γ_1‖^S_{0,∞}` (study `theorem2-sparsity-contrast`, noise-free), or
//! - the noise level `ε_0 = ‖E‖^P_{2,∞}` as a declared budget (study `theorem2-noise-contrast`,
//!   at a fixed sparsity).
//!
//! For one layer, hypothesis (a) reads `2 ε_0 < |Γ^min| − (2s − 1) μ |Γ^max|`, so the theorem's
//! region is the part of the grid above the boundary curve
//! `c = (2s − 1) μ + 2 ε_0 / |Γ^max|`.
//!
//! Every case is built exactly, by construction, inside its cell
//! ([`crate::generate::phase_cases`]), with the threshold at the midpoint of the window of (b).
//! Each case is decided by [`check_theorem2`] in exact arithmetic: whether its hypotheses
//! hold, and whether the pursuit recovered the support and signs of `Γ_1` exactly.

use num_bigint::BigInt;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::coherence::mutual_coherence;
use crate::generate::filters::designed_layer;
use crate::generate::phase_cases::{PhaseCase, phase_instance as generate_phase_instance};
use crate::generate::theorem2::case_rng;
use crate::io::Instance;
use crate::io::number::rational_to_text;
use crate::scalar::{Rational, Scalar};
use crate::theorems::theorem2::check_theorem2;
use crate::theorems::theorem2_bounds::least_contrast;

use super::phase_settings::r;
pub use super::phase_settings::{PhaseSettings, PhaseStudy, design_name, parse_design};

/// One cell of the grid and what its cases showed.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PhaseCell {
    /// Column, from 0.
    pub column: usize,
    /// Row, from 0 (lowest contrast first).
    pub row: usize,
    /// The horizontal range `[x_low, x_high]` (equal ends for the sparsity axis).
    pub x_low: f64,
    /// See `x_low`.
    pub x_high: f64,
    /// The contrast range `[contrast_low, contrast_high)`.
    pub contrast_low: f64,
    /// See `contrast_low`.
    pub contrast_high: f64,
    /// Cases run.
    pub cases: usize,
    /// Cases meeting every hypothesis of Theorem 2.
    pub hypotheses_met: usize,
    /// Cases whose pursuit recovered the support and signs of `Γ_1` exactly.
    pub support_recovered: usize,
    /// Cases meeting the hypotheses whose verdict was `violated` (a counterexample).
    pub violated: usize,
    /// Cases whose verdict was `undecided`.
    pub undecided: usize,
    /// The boundary contrast `(2s − 1) μ + 2 ε_0` at the cell's horizontal centre.
    pub boundary_contrast: f64,
}

impl PhaseCell {
    /// `hypotheses_met / cases`.
    pub fn hypotheses_fraction(&self) -> f64 {
        self.hypotheses_met as f64 / self.cases as f64
    }

    /// `support_recovered / cases`.
    pub fn recovery_fraction(&self) -> f64 {
        self.support_recovered as f64 / self.cases as f64
    }
}

/// A study's settings, the layer's coherence and every cell, row-major from the lowest contrast.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PhaseReport {
    /// The settings.
    pub settings: PhaseSettings,
    /// `μ(D_1)`.
    pub coherence: f64,
    /// `μ(D_1)` exactly.
    pub coherence_exact: String,
    /// The cells.
    pub cells: Vec<PhaseCell>,
}

/// The outcome of one case.
#[derive(Clone, Copy, Debug)]
struct CaseOutcome {
    hypotheses_met: bool,
    support_recovered: bool,
    violated: bool,
    undecided: bool,
}

/// The cell's exact ranges: horizontal `[x_low, x_high]` (sparsity or noise) and contrast.
struct CellRanges {
    sparsity: usize,
    noise: (Rational, Rational),
    contrast: (Rational, Rational),
}

fn cell_ranges(settings: &PhaseSettings, column: usize, row: usize) -> CellRanges {
    let rows = settings.rows as i64;
    let contrast = (r(row as i64, rows), r(row as i64 + 1, rows));
    match settings.study {
        PhaseStudy::SparsityContrast => CellRanges {
            sparsity: column + 1,
            noise: (r(0, 1), r(0, 1)),
            contrast,
        },
        PhaseStudy::NoiseContrast => {
            let step =
                &settings.largest_noise / Rational::from_integer(BigInt::from(settings.columns));
            let low = &step * Rational::from_integer(BigInt::from(column));
            let high = &low + &step;
            CellRanges {
                sparsity: settings.sparsity,
                noise: (low, high),
                contrast,
            }
        }
    }
}

/// Builds one case of a cell ([`crate::generate::phase_cases`]).
pub fn phase_instance(
    settings: &PhaseSettings,
    column: usize,
    row: usize,
    rng: &mut ChaCha8Rng,
) -> Instance<Rational> {
    let ranges = cell_ranges(settings, column, row);
    let case = PhaseCase {
        design: settings.design,
        variant: settings.variant,
        sparsity: ranges.sparsity,
        noise: match settings.study {
            PhaseStudy::SparsityContrast => None,
            PhaseStudy::NoiseContrast => Some(ranges.noise),
        },
        contrast: ranges.contrast,
    };
    let name = format!("{}-column{column}-row{row}", settings.study.name());
    let source = format!(
        "mlcsc phase {} (design {}, seed {})",
        settings.study.name(),
        design_name(settings.design),
        settings.seed
    );
    generate_phase_instance(&case, name, source, rng)
}

fn run_case(settings: &PhaseSettings, column: usize, row: usize, stream: u64) -> CaseOutcome {
    let mut rng = case_rng(settings.seed, stream);
    let instance = phase_instance(settings, column, row, &mut rng);
    let report = check_theorem2(&instance);
    CaseOutcome {
        hypotheses_met: report.verdict.hypotheses_met() && report.verdict.name() != "undecided",
        support_recovered: report.layers.iter().all(|l| l.support_recovered),
        violated: report.verdict.is_violated(),
        undecided: report.verdict.name() == "undecided",
    }
}

/// Runs a study: every case of every cell in parallel (rayon), each from its own seeded stream,
/// so the report depends on the settings only.
pub fn run_phase_study(settings: &PhaseSettings) -> Result<PhaseReport, String> {
    settings.validate()?;
    let (filters, _) = settings.design.filters(&mut case_rng(settings.seed, 0));
    let mu = mutual_coherence(&designed_layer(1, filters));
    let cells: Vec<(usize, usize)> = (0..settings.rows)
        .flat_map(|row| (0..settings.columns).map(move |column| (column, row)))
        .collect();
    let per_cell = settings.cases_per_cell;
    let outcomes: Vec<CaseOutcome> = (0..cells.len() * per_cell)
        .into_par_iter()
        .map(|k| {
            let (column, row) = cells[k / per_cell];
            run_case(settings, column, row, k as u64)
        })
        .collect();
    let cells = cells
        .iter()
        .zip(outcomes.chunks(per_cell))
        .map(|(&(column, row), chunk)| {
            let ranges = cell_ranges(settings, column, row);
            let count = |f: fn(&CaseOutcome) -> bool| chunk.iter().filter(|o| f(o)).count();
            let noise_centre = (ranges.noise.0.to_f64() + ranges.noise.1.to_f64()) / 2.0;
            let (x_low, x_high) = match settings.study {
                PhaseStudy::SparsityContrast => (ranges.sparsity as f64, ranges.sparsity as f64),
                PhaseStudy::NoiseContrast => (ranges.noise.0.to_f64(), ranges.noise.1.to_f64()),
            };
            PhaseCell {
                column,
                row,
                x_low,
                x_high,
                contrast_low: ranges.contrast.0.to_f64(),
                contrast_high: ranges.contrast.1.to_f64(),
                cases: chunk.len(),
                hypotheses_met: count(|o| o.hypotheses_met),
                support_recovered: count(|o| o.support_recovered),
                violated: count(|o| o.violated),
                undecided: count(|o| o.undecided),
                boundary_contrast: boundary_contrast(mu.to_f64(), ranges.sparsity, noise_centre),
            }
        })
        .collect();
    Ok(PhaseReport {
        settings: settings.clone(),
        coherence: mu.to_f64(),
        coherence_exact: rational_to_text(&mu),
        cells,
    })
}

/// The boundary of hypothesis (a) for one layer with `|Γ^max| = 1`:
/// `c = (2s − 1) μ + 2 ε_0`.
pub fn boundary_contrast(mu: f64, sparsity: usize, noise: f64) -> f64 {
    least_contrast(mu, sparsity, noise)
}

impl PhaseReport {
    /// The grid as CSV, one line per cell, numbers rounded to 6 decimals.
    pub fn to_csv(&self) -> String {
        let axis = self.settings.study.axis_name();
        let mut out = format!(
            "{axis}_low,{axis}_high,contrast_low,contrast_high,cases,hypotheses_met,support_recovered,violated,undecided,hypotheses_fraction,recovery_fraction,boundary_contrast\n"
        );
        for c in &self.cells {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{}\n",
                decimal(c.x_low),
                decimal(c.x_high),
                decimal(c.contrast_low),
                decimal(c.contrast_high),
                c.cases,
                c.hypotheses_met,
                c.support_recovered,
                c.violated,
                c.undecided,
                decimal(c.hypotheses_fraction()),
                decimal(c.recovery_fraction()),
                decimal(c.boundary_contrast),
            ));
        }
        out
    }

    /// Cases meeting the hypotheses, over the whole grid.
    pub fn hypotheses_met(&self) -> usize {
        self.cells.iter().map(|c| c.hypotheses_met).sum()
    }

    /// Cases run, over the whole grid.
    pub fn cases(&self) -> usize {
        self.cells.iter().map(|c| c.cases).sum()
    }

    /// Violated verdicts, over the whole grid (a counterexample to Theorem 2 if nonzero).
    pub fn violated(&self) -> usize {
        self.cells.iter().map(|c| c.violated).sum()
    }

    /// Undecided verdicts, over the whole grid.
    pub fn undecided(&self) -> usize {
        self.cells.iter().map(|c| c.undecided).sum()
    }
}

/// A number with at most 6 decimals and no trailing zeros.
fn decimal(x: f64) -> String {
    let text = format!("{x:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}
