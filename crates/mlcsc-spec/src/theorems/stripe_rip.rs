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
//! enclosed between rationals: an `f64` screen picks the extreme support and estimates its
//! eigenvalue, two exact definiteness tests confirm an enclosure of width `3 · 2^-42` around
//! the estimate (bisection takes over if they do not), and an exact definiteness test on every
//! support certifies that none goes beyond. The screen never decides: it only places the ends.
//!
//! The dictionary is circulant, so the Gram matrices of a support and of its cyclic shifts are
//! permutation-similar (`proofs/uniqueness.md`, D3): every support is enumerated and counted,
//! and every exact test runs once per class of supports under shifts.

use std::collections::HashMap;
use std::time::Instant;

use nalgebra::DMatrix;

use super::support_enumeration::{
    Coverage, exact_dictionary, for_each_support_within_budget, shift_canonical_support,
};
use crate::coherence::mutual_coherence;
use crate::exact_linear_algebra::{
    EigenvalueEnclosure, ExactField, gram_on_support, is_positive_definite,
    largest_eigenvalue_at_most, shifted_by_identity, smallest_eigenvalue_at_least,
    smallest_eigenvalue_enclosure, smallest_eigenvalue_enclosure_near,
};
use crate::model::Layer;
use crate::scalar::{Rational, Scalar};

/// A support and the Gram matrix `G_T` of the dictionary's columns on it.
type SupportGram<S> = (Vec<usize>, DMatrix<S>);

/// Bisection steps in the enclosure of an extreme eigenvalue: a width of about `2^-40`.
pub const EIGENVALUE_BISECTION_STEPS: u32 = 40;

/// The grid `2^-42` on which an extreme eigenvalue is enclosed around the `f64` screen's
/// estimate (a width of at most `3 · 2^-42 < 2^-40`). The screen is accurate to about `10^-15`
/// on these small Gram matrices, far inside `2^-42 ≈ 2.3 · 10^-13`; were it not, the exact
/// tests would reject the enclosure and bisection would take over.
const ESTIMATE_BITS: u32 = 42;

/// The grid `2^-10` of the coarse lower end tried first when certifying a support above an
/// enclosure (see `LowerEnd`).
const COARSE_BITS: u32 = 10;

/// The constants `(1 - (k-1)μ, 1 + (k-1)μ)` of the stripe RIP.
pub fn stripe_rip_constants<S: Scalar>(coherence: &S, k: usize) -> (S, S) {
    let spread = S::from_integer(k as i64 - 1) * coherence.clone();
    (S::one() - spread.clone(), S::one() + spread)
}

/// A certified closed interval `[lo, hi]` holding an extreme eigenvalue over all supports, and
/// the support that attains the upper end of the search.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtremeEigenvalue<S = Rational> {
    /// A certified lower bound.
    pub lo: S,
    /// A certified upper bound.
    pub hi: S,
    /// A support whose eigenvalue lies in `[lo, hi]`.
    pub support: Vec<usize>,
}

/// The per-support certificate of eigenvalue bounds on the Gram matrices of a dictionary.
#[derive(Clone, Debug, PartialEq)]
pub struct GramBoundsCertificate<S = Rational> {
    /// The claimed lower bound on every `λ_min(G_T)`.
    pub lower: S,
    /// The claimed upper bound on every `λ_max(G_T)`, if one was claimed.
    pub upper: Option<S>,
    /// The first support with `λ_min(G_T) < lower`, if any.
    pub lower_violation: Option<Vec<usize>>,
    /// The first support with `λ_max(G_T) > upper`, if any.
    pub upper_violation: Option<Vec<usize>>,
    /// `min_T λ_min(G_T)`, enclosed.
    pub smallest: ExtremeEigenvalue<S>,
    /// `max_T λ_max(G_T)`, enclosed (when an upper bound was claimed).
    pub largest: Option<ExtremeEigenvalue<S>>,
    /// Supports enumerated (each certified exactly).
    pub coverage: Coverage,
}

impl<S> GramBoundsCertificate<S> {
    /// Whether both bounds hold on every support.
    pub fn holds(&self) -> bool {
        self.lower_violation.is_none() && self.upper_violation.is_none()
    }
}

/// The `f64` estimates `(λ_min, λ_max)` of a Gram matrix: they only order and place the exact
/// tests, never decide.
fn screen_extremes<S: ExactField>(gram: &DMatrix<S>) -> (f64, f64) {
    let eigenvalues = gram.map(|x| x.to_f64()).symmetric_eigenvalues();
    (eigenvalues.min(), eigenvalues.max())
}

/// Encloses `λ_min(A)` to a width of at most `2^-40`: around the screen's estimate when its two
/// exact tests confirm it, else by [`EIGENVALUE_BISECTION_STEPS`] bisections.
fn enclose_smallest<S: ExactField>(a: &DMatrix<S>, estimate: f64) -> EigenvalueEnclosure<S> {
    smallest_eigenvalue_enclosure_near(a, estimate, ESTIMATE_BITS)
        .unwrap_or_else(|| smallest_eigenvalue_enclosure(a, EIGENVALUE_BISECTION_STEPS))
}

/// A certified strict lower end `lo` of the extreme eigenvalue, with `coarse ≥ lo`, a dyadic
/// with a denominator of `2^COARSE_BITS`: `A − coarse I ≻ 0` implies `A − lo I ≻ 0`, and its
/// elimination stays in machine words far more often than that of `lo` (a denominator of
/// `2^42`).
struct LowerEnd<S> {
    lo: S,
    coarse: S,
}

impl<S: ExactField> LowerEnd<S> {
    /// The lower end `lo`, with its coarse companion `⌈lo · 2^COARSE_BITS⌉ / 2^COARSE_BITS`.
    fn new(lo: S) -> Self {
        let exact = lo.to_rational().expect("an exact field holds rationals");
        let coarse = (exact * Rational::from_integer((1i64 << COARSE_BITS).into())).ceil()
            / Rational::from_integer((1i64 << COARSE_BITS).into());
        LowerEnd {
            lo,
            coarse: S::from_rational(&coarse),
        }
    }

    /// Whether `λ_min(A) > lo`, exactly: first `A − coarse I ≻ 0` when the screen puts
    /// `λ_min(A)` clearly above `coarse` (the screen only chooses the order of the tests).
    fn is_below(&self, a: &DMatrix<S>, estimate: f64) -> bool {
        let clear = estimate > self.coarse.to_f64() + 1.0 / (1i64 << COARSE_BITS) as f64;
        (clear && is_positive_definite(&shifted_by_identity(a, &self.coarse)))
            || is_positive_definite(&shifted_by_identity(a, &self.lo))
    }
}

/// Encloses `min_T λ_min(±G_T)` over the classes of supports, starting from the screen's
/// candidate: the candidate's eigenvalue is enclosed, then every other class is certified
/// above the lower end by an exact definiteness test (a class that fails becomes the
/// candidate). `estimates[k]` is the screen's `λ_min(±G_k)`.
fn certify_extreme<S: ExactField>(
    classes: &[SupportGram<S>],
    estimates: &[f64],
    negate: bool,
) -> ExtremeEigenvalue<S> {
    let orient = |g: &DMatrix<S>| if negate { g.map(|x| -x) } else { g.clone() };
    let candidate = (0..estimates.len())
        .min_by(|&a, &b| estimates[a].total_cmp(&estimates[b]))
        .expect("a dictionary has at least one atom");
    let first = enclose_smallest(&orient(&classes[candidate].1), estimates[candidate]);
    let (mut lower, mut hi, mut support) = (LowerEnd::new(first.lo), first.hi, candidate);
    for (k, (_, gram)) in classes.iter().enumerate() {
        let oriented = orient(gram);
        if k != candidate && !lower.is_below(&oriented, estimates[k]) {
            let enclosure = enclose_smallest(&oriented, estimates[k]);
            lower = LowerEnd::new(enclosure.lo);
            if enclosure.hi < hi {
                hi = enclosure.hi;
            }
            support = k;
        }
    }
    let support = classes[support].0.clone();
    let lo = lower.lo;
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

/// The first support, in enumeration order, whose class fails `holds` (decided once per class).
fn first_failure<S: ExactField>(
    supports: &[(Vec<usize>, usize)],
    classes: &[SupportGram<S>],
    holds: impl Fn(&DMatrix<S>) -> bool,
) -> Option<Vec<usize>> {
    let mut verdicts: Vec<Option<bool>> = vec![None; classes.len()];
    supports
        .iter()
        .find(|(_, class)| !*verdicts[*class].get_or_insert_with(|| holds(&classes[*class].1)))
        .map(|(t, _)| t.clone())
}

/// Certifies `λ_min(G_T) ≥ lower` (and `λ_max(G_T) ≤ upper` when given) for every non-empty
/// support `T` of stripe sparsity at most `budget` of the layer's dictionary over `N` positions,
/// and encloses the extreme eigenvalues over those supports (the largest only when `upper` is
/// given). Every support is enumerated and counted; the exact tests run once per class of
/// supports under cyclic shifts, whose Gram matrices are permutation-similar
/// ([`shift_canonical_support`]).
pub fn certify_gram_bounds<S: ExactField>(
    layer: &Layer<S>,
    length: usize,
    budget: usize,
    lower: &S,
    upper: Option<&S>,
) -> GramBoundsCertificate<S> {
    let started = Instant::now();
    let dictionary = exact_dictionary(layer, length);
    let channels = layer.filter_count();
    let n = layer.filter_length();
    let mut coverage = Coverage::of_dictionary(dictionary.ncols(), dictionary.nrows());
    let mut classes: Vec<SupportGram<S>> = Vec::new();
    let mut class_of: HashMap<Vec<usize>, usize> = HashMap::new();
    let mut supports: Vec<(Vec<usize>, usize)> = Vec::new();
    for_each_support_within_budget(length, channels, n, budget, |t| {
        coverage.count_support(t.len());
        let key = shift_canonical_support(t, length, channels);
        let class = *class_of.entry(key).or_insert_with(|| {
            let gram = gram_on_support(&dictionary, t).expect("atoms in range");
            classes.push((t.to_vec(), gram));
            classes.len() - 1
        });
        supports.push((t.to_vec(), class));
    });
    let lower_violation = first_failure(&supports, &classes, |gram| {
        smallest_eigenvalue_at_least(gram, lower)
    });
    let upper_violation = upper.and_then(|upper| {
        first_failure(&supports, &classes, |gram| {
            largest_eigenvalue_at_most(gram, upper)
        })
    });
    let screens: Vec<(f64, f64)> = classes.iter().map(|(_, g)| screen_extremes(g)).collect();
    let smallest = certify_extreme(
        &classes,
        &screens.iter().map(|s| s.0).collect::<Vec<_>>(),
        false,
    );
    let largest = upper.map(|_| {
        let negated: Vec<f64> = screens.iter().map(|s| -s.1).collect();
        certify_extreme(&classes, &negated, true)
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
pub struct StripeRipCheck<S = Rational> {
    /// `k`.
    pub k: usize,
    /// `μ(D)`.
    pub coherence: S,
    /// The certificate for the constants `1 ∓ (k-1)μ`.
    pub certificate: GramBoundsCertificate<S>,
}

/// Certifies the stripe RIP with constants `1 ∓ (k-1)μ` on every support of stripe sparsity at
/// most `k`.
pub fn stripe_rip<S: ExactField>(layer: &Layer<S>, length: usize, k: usize) -> StripeRipCheck<S> {
    let coherence = mutual_coherence(layer);
    let (lower, upper) = stripe_rip_constants(&coherence, k);
    let certificate = certify_gram_bounds(layer, length, k, &lower, Some(&upper));
    StripeRipCheck {
        k,
        coherence,
        certificate,
    }
}
