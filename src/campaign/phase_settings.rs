//! The settings of a phase study: which study, which first-layer design, the grid and its
//! ranges, each validated before any case is built.

use num_bigint::BigInt;
use num_traits::Signed;
use serde::Serialize;

use crate::generate::filters::FirstLayerDesign;
use crate::generate::theorem2::case_rng;
use crate::io::number::rational_to_text;
use crate::pursuit::Thresholding;
use crate::scalar::Rational;

/// The studies `mlcsc phase` runs (in JSON by their command-line names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PhaseStudy {
    /// Stripe sparsity × contrast, noise-free.
    #[serde(rename = "theorem2-sparsity-contrast")]
    SparsityContrast,
    /// Noise level × contrast, at a fixed stripe sparsity.
    #[serde(rename = "theorem2-noise-contrast")]
    NoiseContrast,
}

impl PhaseStudy {
    /// Every study.
    pub const ALL: [PhaseStudy; 2] = [PhaseStudy::SparsityContrast, PhaseStudy::NoiseContrast];

    /// The study's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PhaseStudy::SparsityContrast => "theorem2-sparsity-contrast",
            PhaseStudy::NoiseContrast => "theorem2-noise-contrast",
        }
    }

    /// The study with this name.
    pub fn parse(name: &str) -> Option<PhaseStudy> {
        PhaseStudy::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The quantity on the horizontal axis (a CSV column name).
    pub fn axis_name(self) -> &'static str {
        match self {
            PhaseStudy::SparsityContrast => "stripe_sparsity",
            PhaseStudy::NoiseContrast => "noise",
        }
    }
}

/// The name of a first-layer design on the command line.
pub fn design_name(design: FirstLayerDesign) -> &'static str {
    match design {
        FirstLayerDesign::Dirac => "dirac",
        FirstLayerDesign::Binary4 => "binary4",
        FirstLayerDesign::Binary9 => "binary9",
        FirstLayerDesign::Binary16 => "binary16",
        FirstLayerDesign::BinaryPair16 => "binary-pair16",
        FirstLayerDesign::Barker13 => "barker13",
        FirstLayerDesign::Householder => "householder",
    }
}

/// The design with this name.
pub fn parse_design(name: &str) -> Option<FirstLayerDesign> {
    FirstLayerDesign::ALL
        .into_iter()
        .find(|d| design_name(*d) == name)
}

/// What a study runs.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct PhaseSettings {
    /// The study.
    pub study: PhaseStudy,
    /// The layer `D_1`.
    #[serde(serialize_with = "serialize_design")]
    pub design: FirstLayerDesign,
    /// The pursuit's operator.
    pub variant: Thresholding,
    /// Cells along the horizontal axis (for the sparsity study, `s = 1..=columns`).
    pub columns: usize,
    /// Cells along the contrast axis, which covers `(0, 1]`.
    pub rows: usize,
    /// Cases drawn in each cell.
    pub cases_per_cell: usize,
    /// Master seed: case `k` of cell `j` uses the stream `j · cases_per_cell + k`.
    pub seed: u64,
    /// The stripe sparsity of the noise study.
    pub sparsity: usize,
    /// The noise axis covers `[0, largest_noise]` (noise study).
    #[serde(serialize_with = "serialize_rational")]
    pub largest_noise: Rational,
}

fn serialize_design<Se: serde::Serializer>(
    d: &FirstLayerDesign,
    s: Se,
) -> Result<Se::Ok, Se::Error> {
    s.serialize_str(design_name(*d))
}

fn serialize_rational<Se: serde::Serializer>(r: &Rational, s: Se) -> Result<Se::Ok, Se::Error> {
    s.serialize_str(&rational_to_text(r))
}

pub(super) fn r(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

impl PhaseSettings {
    /// Default settings of a study: a Barker-13 layer (`μ ≈ 1/13`), soft thresholding,
    /// a 10 × 10 grid of 40 cases per cell, sparsity 2 and noise up to `1/2` for the noise study.
    pub fn new(study: PhaseStudy) -> Self {
        PhaseSettings {
            study,
            design: FirstLayerDesign::Barker13,
            variant: Thresholding::Soft,
            columns: 10,
            rows: 10,
            cases_per_cell: 40,
            seed: 2017,
            sparsity: 2,
            largest_noise: r(1, 2),
        }
    }

    /// Checks the settings against the design: the sparsity axis needs `s ≤ n · m` atoms in one
    /// cluster of width `n`.
    pub fn validate(&self) -> Result<(), String> {
        if self.columns == 0 || self.rows == 0 || self.cases_per_cell == 0 {
            return Err("the grid and the cases per cell must be at least 1".into());
        }
        let (filters, _) = self.design.filters(&mut case_rng(self.seed, 0));
        // A Householder layer draws m ∈ {2, 3} per case: only m = 2 is sure.
        let most = match self.design {
            FirstLayerDesign::Householder => 2,
            _ => filters.len() * filters[0].len(),
        };
        let largest = match self.study {
            PhaseStudy::SparsityContrast => self.columns,
            PhaseStudy::NoiseContrast => self.sparsity,
        };
        if largest == 0 || largest > most {
            return Err(format!(
                "stripe sparsity {largest} is not in 1..={most}, the most one cluster of design {} holds (n · m)",
                design_name(self.design)
            ));
        }
        if !self.largest_noise.is_positive() {
            return Err("the largest noise level must be positive".into());
        }
        Ok(())
    }
}
