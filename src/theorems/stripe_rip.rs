//! The stripe restricted isometry of a convolutional dictionary, certified on every support
//! (docs/math.md §7, DERIVED).
//!
//! > For `‖Δ‖^S_{0,∞} ≤ k`: `(1 - (k-1)μ) ‖Δ‖² ≤ ‖DΔ‖² ≤ (1 + (k-1)μ) ‖Δ‖²`.
//!
//! For a support `T`, the extreme values of `‖DΔ‖² / ‖Δ‖²` over `Δ` supported on `T` are the
//! extreme eigenvalues of the Gram matrix `G_T = D_Tᵀ D_T`. So the lemma is, for every support
//! of stripe sparsity at most `k`: `G_T - (1 - (k-1)μ) I ⪰ 0` and `(1 + (k-1)μ) I - G_T ⪰ 0`.
//! Both are decided exactly by symmetric elimination ([`crate::exact_linear_algebra`]); nothing
//! is sampled. (Proof: Gershgorin, since a row of `G_T` has at most `k - 1` off-diagonal
//! nonzeros, each of magnitude at most `μ`, because only atoms of one stripe overlap.)
//!
//! Beside the verdict, the exact extremes `min_T λ_min(G_T)` and `max_T λ_max(G_T)` are
//! enclosed between rationals: an `f64` screen picks the extreme support, bisection encloses its
//! eigenvalue, and an exact definiteness test on every support certifies that none goes beyond.

use std::time::Instant;

use nalgebra::DMatrix;
use num_traits::One;

use super::support_enumeration::{Coverage, exact_dictionary, for_each_support_within_budget};
use crate::coherence::mutual_coherence;
use crate::exact_linear_algebra::{
    gram_on_support, is_positive_definite, largest_eigenvalue_at_most, shifted_by_identity,
    smallest_eigenvalue_at_least, smallest_eigenvalue_enclosure, to_small_rationals,
};
use crate::model::Layer;
use crate::scalar::{Rational, Scalar};
use crate::small_rational::SmallRational;

/// A support and the Gram matrix `G_T` of the dictionary's columns on it.
type SupportGram = (Vec<usize>, DMatrix<SmallRational>);

/// Bisection steps in the enclosure of an extreme eigenvalue: a width of about `2^-40`.
pub const EIGENVALUE_BISECTION_STEPS: u32 = 40;

/// The constants `(1 - (k-1)μ, 1 + (k-1)μ)` of the stripe RIP.
pub fn stripe_rip_constants(coherence: &Rational, k: usize) -> (Rational, Rational) {
    let spread = Rational::from_integer((k as i64 - 1).into()) * coherence;
    (Rational::one() - &spread, Rational::one() + spread)
}

/// A certified closed interval `[lo, hi]` holding an extreme eigenvalue over all supports, and
/// the support that attains the upper end of the search.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtremeEigenvalue {
    /// A certified lower bound.
    pub lo: Rational,
    /// A certified upper bound.
    pub hi: Rational,
    /// A support whose eigenvalue lies in `[lo, hi]`.
    pub support: Vec<usize>,
}

/// The per-support certificate of eigenvalue bounds on the Gram matrices of a dictionary.
#[derive(Clone, Debug, PartialEq)]
pub struct GramBoundsCertificate {
    /// The claimed lower bound on every `λ_min(G_T)`.
    pub lower: Rational,
    /// The claimed upper bound on every `λ_max(G_T)`, if one was claimed.
    pub upper: Option<Rational>,
    /// The first support with `λ_min(G_T) < lower`, if any.
    pub lower_violation: Option<Vec<usize>>,
    /// The first support with `λ_max(G_T) > upper`, if any.
    pub upper_violation: Option<Vec<usize>>,
    /// `min_T λ_min(G_T)`, enclosed.
    pub smallest: ExtremeEigenvalue,
    /// `max_T λ_max(G_T)`, enclosed (when an upper bound was claimed).
    pub largest: Option<ExtremeEigenvalue>,
    /// Supports enumerated (each certified exactly).
    pub coverage: Coverage,
}

impl GramBoundsCertificate {
    /// Whether both bounds hold on every support.
    pub fn holds(&self) -> bool {
        self.lower_violation.is_none() && self.upper_violation.is_none()
    }
}

fn screen_extremes(gram: &DMatrix<SmallRational>) -> (f64, f64) {
    let eigenvalues = gram.map(|x| x.to_f64()).symmetric_eigenvalues();
    (eigenvalues.min(), eigenvalues.max())
}

/// Encloses `min_T λ_min(±G_T)` over the supports, starting from the screen's candidate: the
/// candidate's eigenvalue is enclosed by bisection, then every support is certified above the
/// lower end by an exact definiteness test (a support that fails becomes the candidate).
fn certify_extreme(grams: &[SupportGram], candidate: usize, negate: bool) -> ExtremeEigenvalue {
    let orient = |g: &DMatrix<SmallRational>| if negate { g.map(|x| -x) } else { g.clone() };
    let first =
        smallest_eigenvalue_enclosure(&orient(&grams[candidate].1), EIGENVALUE_BISECTION_STEPS);
    let (mut lo, mut hi, mut support) = (first.lo, first.hi, candidate);
    for (k, (_, gram)) in grams.iter().enumerate() {
        let oriented = orient(gram);
        if !is_positive_definite(&shifted_by_identity(&oriented, &lo)) {
            let enclosure = smallest_eigenvalue_enclosure(&oriented, EIGENVALUE_BISECTION_STEPS);
            lo = enclosure.lo;
            if enclosure.hi < hi {
                hi = enclosure.hi;
            }
            support = k;
        }
    }
    let support = grams[support].0.clone();
    let (lo, hi) = (lo.to_big(), hi.to_big());
    if negate {
        ExtremeEigenvalue {
            lo: -hi,
            hi: -lo,
            support,
        }
    } else {
        ExtremeEigenvalue { lo, hi, support }
    }
}

/// Certifies `λ_min(G_T) ≥ lower` (and `λ_max(G_T) ≤ upper` when given) for every non-empty
/// support `T` of stripe sparsity at most `budget` of the layer's dictionary over `N` positions,
/// and encloses the extreme eigenvalues over those supports (the largest only when `upper` is
/// given).
pub fn certify_gram_bounds(
    layer: &Layer<Rational>,
    length: usize,
    budget: usize,
    lower: &Rational,
    upper: Option<&Rational>,
) -> GramBoundsCertificate {
    let started = Instant::now();
    let dictionary = to_small_rationals(&exact_dictionary(layer, length));
    let (lower_small, upper_small) = (SmallRational::from(lower), upper.map(SmallRational::from));
    let channels = layer.filter_count();
    let n = layer.filter_length();
    let mut coverage = Coverage::of_dictionary(dictionary.ncols(), dictionary.nrows());
    let mut grams = Vec::new();
    for_each_support_within_budget(length, channels, n, budget, |t| {
        coverage.count_support(t.len());
        let gram = gram_on_support(&dictionary, t).expect("atoms in range");
        grams.push((t.to_vec(), gram));
    });
    let lower_violation = grams
        .iter()
        .find(|(_, gram)| !smallest_eigenvalue_at_least(gram, &lower_small))
        .map(|(t, _)| t.clone());
    let upper_violation = upper_small.as_ref().and_then(|upper| {
        grams
            .iter()
            .find(|(_, gram)| !largest_eigenvalue_at_most(gram, upper))
            .map(|(t, _)| t.clone())
    });
    let screens: Vec<(f64, f64)> = grams.iter().map(|(_, g)| screen_extremes(g)).collect();
    let min_candidate = (0..screens.len())
        .min_by(|&a, &b| screens[a].0.total_cmp(&screens[b].0))
        .expect("a dictionary has at least one atom");
    let smallest = certify_extreme(&grams, min_candidate, false);
    let largest = upper.map(|_| {
        let max_candidate = (0..screens.len())
            .max_by(|&a, &b| screens[a].1.total_cmp(&screens[b].1))
            .expect("a dictionary has at least one atom");
        certify_extreme(&grams, max_candidate, true)
    });
    coverage.elapsed = started.elapsed();
    GramBoundsCertificate {
        lower: lower.clone(),
        upper: upper.cloned(),
        lower_violation,
        upper_violation,
        smallest,
        largest,
        coverage,
    }
}

/// The stripe RIP of one dictionary at stripe sparsity `k`.
#[derive(Clone, Debug, PartialEq)]
pub struct StripeRipCheck {
    /// `k`.
    pub k: usize,
    /// `μ(D)`.
    pub coherence: Rational,
    /// The certificate for the constants `1 ∓ (k-1)μ`.
    pub certificate: GramBoundsCertificate,
}

/// Certifies the stripe RIP with constants `1 ∓ (k-1)μ` on every support of stripe sparsity at
/// most `k`.
pub fn stripe_rip(layer: &Layer<Rational>, length: usize, k: usize) -> StripeRipCheck {
    let coherence = mutual_coherence(layer);
    let (lower, upper) = stripe_rip_constants(&coherence, k);
    let certificate = certify_gram_bounds(layer, length, k, &lower, Some(&upper));
    StripeRipCheck {
        k,
        coherence,
        certificate,
    }
}
