//! Every floating-point tolerance of the crate, each with the reason for its size.
//!
//! Tolerances are used only on the `f64` screening path and for instances that exist only in
//! `f64` (say, filters of a trained network). Exact verdicts use none of them.

/// How far `‖f‖²` of an `f64` filter may be from 1 and still count as unit norm.
///
/// A filter read from a trained network and normalised in `f32` carries a relative error of
/// about `n · 2^-24 ≈ 1e-6` for filter sizes up to a few hundred entries, so `1e-5` accepts
/// such filters while rejecting any filter that was not normalised at all. The `f64` check of
/// Theorem 2 then normalises an accepted filter (its verdict is that of the normalised twin),
/// so the tolerance decides only which files are accepted, never a verdict.
pub const UNIT_NORM_SQUARED: f64 = 1e-5;

/// Relative slack granted to an `f64` comparison of a law that holds exactly but is evaluated in
/// floating point (the thresholding laws of `tests/all/thresholding_laws.rs`). The `f64` check of
/// Theorem 2 uses no slack: it carries rigorous bounds ([`F64_INPUT_RELATIVE`], [`higham_gamma`],
/// [`f64_upper_bound`]) and leaves a comparison within them undecided.
///
/// The quantities compared are sums of at most a few thousand products of numbers of order 1,
/// whose rounding error is below `1e3 · 2^-52 ≈ 2e-13` relative; `1e-9` leaves a wide margin
/// while still flagging any real violation.
pub const SCREEN_RELATIVE: f64 = 1e-9;

/// Agreement demanded between the `f64` and the exact operators on the same instance, relative
/// to the largest magnitude involved. Same reasoning as [`SCREEN_RELATIVE`].
pub const OPERATOR_AGREEMENT_RELATIVE: f64 = 1e-9;

/// Bits of precision in the first square-root enclosure of a certified comparison; doubled on
/// every refinement. 64 bits decide all but near-ties at once.
pub const ENCLOSURE_START_BITS: u32 = 64;

/// The most bits a square-root enclosure is refined to.
///
/// The precision that decides a comparison is not fixed: it is derived from the numbers
/// compared (`crate::theorems::surd`: a nonzero sum of `k` square roots with
/// coefficients of common denominator `D` and size `H` is at least
/// `D^(-2^t) max(1, H)^(1-2^t)` in magnitude, `t` the number of primes under the roots), so a
/// `β` within `2^-5002` of an irrational `ε` is decided with about `2 · 5002` bits. This limit
/// only bounds the work: an integer square root of `2^20` bits takes about a second, and a
/// comparison whose certified precision lies above it is reported as undecided, with both
/// numbers of bits.
pub const ENCLOSURE_LIMIT_BITS: u32 = 1 << 20;

/// The magnitudes `[low, high]` inside which an `f64` screen of Theorem 2 is sound: the
/// nonzero thresholds, coefficients, noise entries and budget that
/// `mlcsc::io::InstanceFile::to_f64` accepts, and the quantities a screen's report may carry
/// (`mlcsc::theorems::theorem2::screen_out_of_range`). Inside it the squares, products and
/// sums of up to `2^28` terms that the checks form stay far from overflow (`1.8e308`) and from
/// the subnormal range (`2.2e-308`): `(1e100)² · 2^28 ≈ 2.7e208` and `(1e-100)² = 1e-200`, so
/// rounding is their only error. Outside it a screen could compare `inf ≤ inf` or `0 ≤ 0` and
/// pass a violated bound.
pub const SCREEN_MAGNITUDES: (f64, f64) = (1e-100, 1e100);

/// The unit roundoff of `f64`, `u = 2^-53`.
pub const UNIT_ROUNDOFF: f64 = f64::EPSILON / 2.0;

/// `γ_k = k u / (1 - k u)`: a floating-point sum of `k` terms, or a dot product of length `k`,
/// is within `γ_k · Σ|terms|` of the exact value, in any order of evaluation (Higham, Accuracy
/// and Stability of Numerical Algorithms, 2nd ed., §3.1, eq. (3.5)). Used to bound how far the
/// `f64` CNN forward pass and the `f64` layered thresholding may differ
/// (`tests/all/cnn_forward_pass.rs`).
pub fn higham_gamma(k: usize) -> f64 {
    let ku = k as f64 * UNIT_ROUNDOFF;
    ku / (1.0 - ku)
}

/// How far an `f64` input may be from the exact number it stands for, relative to the `f64`:
/// `4u`, two units in the last place. An instance file's rational is converted by
/// [`crate::scalar::rational_to_f64`], which is within two units in the last place of it (the
/// nearest `f64` when numerator and denominator are below `9·10^15`), and one unit in the last
/// place of a normal `f64` is at most `2u` times its magnitude. An `f64` known only as itself
/// (a trained network's weight) is its own exact value, so the bound holds a fortiori.
pub const F64_INPUT_RELATIVE: f64 = 4.0 * UNIT_ROUNDOFF;

/// The absolute error one rounded `f64` operation may add when its result is subnormal:
/// `2^-1074`, the smallest subnormal (Higham, §2.1: `fl(x op y) = (x op y)(1 + δ) + η` with
/// `|η| ≤ 2^-1075` for products, and sums of subnormals are exact). The bounds of the `f64`
/// screen add it once per operation to every entry that is not exactly zero, so that they stay
/// rigorous below the normal range.
pub const F64_UNDERFLOW_PER_OPERATION: f64 = f64::from_bits(1);

/// An upper bound on a nonnegative quantity from its `f64` evaluation `computed`, a sum and
/// products of `operations` nonnegative terms in any order: the exact value is at most
/// `computed / (1 − γ_operations)` (each rounding moves a nonnegative partial result by at most
/// the factor `1 ± u`; Higham, §3.1) `≤ computed (1 + 2 γ_operations)`, plus
/// [`F64_UNDERFLOW_PER_OPERATION`] per operation. The two products and the sum of the bound
/// itself are rounded up with `next_up`. Zero stays zero only when the caller knows the
/// quantity is exactly zero; this function assumes it may not be.
pub fn f64_upper_bound(computed: f64, operations: usize) -> f64 {
    let scaled = next_up(computed * (1.0 + 2.0 * higham_gamma(operations + 1)));
    next_up(scaled + operations.max(1) as f64 * F64_UNDERFLOW_PER_OPERATION)
}

/// A lower bound on a nonnegative quantity from its `f64` evaluation in `operations` rounded
/// operations on nonnegative terms each already rounded down: `computed (1 − γ_operations)`,
/// less the underflow allowance, rounded down, and never below zero.
pub fn f64_lower_bound(computed: f64, operations: usize) -> f64 {
    let scaled = next_down(computed * (1.0 - higham_gamma(operations + 1)));
    next_down(scaled - operations.max(1) as f64 * F64_UNDERFLOW_PER_OPERATION).max(0.0)
}

/// Relative half-width of the `f64` screens of exact sums: the exact value of a sum of
/// `terms` products lies within `r Σ |terms|` of its `f64` evaluation, for
/// `r = 2 (γ_terms + 9u)`. Two sums use it:
///
/// - a patch energy `Σ v²` (`crate::norms::patch_norm_squared`): each `v` is read as an `f64`
///   `x` within [`F64_INPUT_RELATIVE`] `= 4u` of it, so `v² ∈ x² (1 ± 4u)²`, about `8u`;
/// - a sum of square roots `Σ c sqrt(m)` (`crate::theorems::surd`): `c` and `m` are read within
///   `4u`, `sqrt` rounds once (`sqrt(m)` within `2u + u`), and the product once more, about
///   `8u`.
///
/// The `f64` sum of the `terms` rounded products is within `γ_terms Σ |terms|` of their exact
/// sum ([`higham_gamma`], a dot product), so the total is `γ_terms + 8u` to first order; `9u`
/// and the factor 2 cover the second-order terms and the rounding of `r Σ |terms|` itself.
/// The numbers read must lie in [`SCREEN_MAGNITUDES`], so nothing underflows or overflows
/// and rounding is the only error.
pub fn f64_screen_relative(terms: usize) -> f64 {
    2.0 * (higham_gamma(terms) + 9.0 * UNIT_ROUNDOFF)
}

/// Relative error bound `r` of the `f64` screen of a folded layer's correlations
/// `g = Σ a b w` (`mlcsc_engines::folded_coherence_screen`): the exact `g` lies within
/// `r Σ |a b w|` of its `f64` evaluation, `r = 2 (γ_terms + 16u)`.
///
/// Each of `a`, `b`, `w` is read as an `f64` within [`F64_INPUT_RELATIVE`] `= 4u`, so the
/// product of the three is within `12u` to first order, and its two roundings add `2u`: `14u`
/// per term. The `f64` sum of the rounded products adds `γ_terms Σ |terms|` ([`higham_gamma`]).
/// `16u` and the factor 2 cover the second-order terms and the rounding of `r Σ |terms|`
/// itself. As for [`f64_screen_relative`], the numbers read must lie in
/// [`SCREEN_MAGNITUDES`].
pub fn f64_weighted_correlation_relative(terms: usize) -> f64 {
    2.0 * (higham_gamma(terms) + 16.0 * UNIT_ROUNDOFF)
}

/// The least `f64` above `x` (`x` itself for `+∞` and NaN): the bound on a rounded-to-nearest
/// result from above when its error is unknown. `f64::next_up` postdates the crate's minimum
/// Rust version.
pub fn next_up(x: f64) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        x
    } else if x == 0.0 {
        f64::from_bits(1)
    } else if x > 0.0 {
        f64::from_bits(x.to_bits() + 1)
    } else {
        f64::from_bits(x.to_bits() - 1)
    }
}

/// The greatest `f64` below `x` (`x` itself for `−∞` and NaN).
pub fn next_down(x: f64) -> f64 {
    -next_up(-x)
}

/// Relative allowance for the rounding of a bound built from [`higham_gamma`] itself: a few
/// dozen operations, each of relative error `u ≈ 1.1e-16`, so far below `1e-12`.
pub const BOUND_EVALUATION_SLACK: f64 = 1.0 + 1e-12;

/// How close to an integer an `f64` sparsity bound `c (1 + 1/μ)` of filters from a trained
/// network may be and still be read as that integer (the bound is then not attained: `s` must be
/// strictly below it). The coherence of normalised `f64` filters carries a relative rounding
/// error near `1e-15`; `1e-9` absorbs it and nothing more. Reports only: no verdict reads it.
pub const INTEGER_BOUND_SLACK: f64 = 1e-9;

/// The largest integer `s ≥ 0` with `s < bound`, reading a bound within
/// [`INTEGER_BOUND_SLACK`] of an integer as that integer (`None` for an infinite bound).
pub fn largest_integer_below(bound: f64) -> Option<u64> {
    if !bound.is_finite() {
        return None;
    }
    let nearest = bound.round();
    let ceiling = if (bound - nearest).abs() <= INTEGER_BOUND_SLACK {
        nearest
    } else {
        bound.ceil()
    };
    Some((ceiling - 1.0).max(0.0) as u64)
}

/// Agreement demanded between the `f32` and the `f64` fast kernels, relative to the largest
/// magnitude involved: `f32` keeps 24 bits, so each of the `K ≤ 512` products of a dot product
/// rounds at `2^-24 ≈ 6e-8`, and a sum of `K` such terms can drift by `K · 2^-24 ≈ 3e-5`; the
/// demand leaves a factor of about 30 for cancellation.
pub const SINGLE_AGREEMENT_RELATIVE: f64 = 1e-3;

/// Agreement demanded between a ReLU network run as written in `f64` and `diag(ρ)` times the
/// layered thresholding of its `f64` fold (`tests/all/folding.rs`), relative to the largest
/// output (at least 1); also between the exact squared coherence and thresholds of a fold and
/// those of its `f64` twin. Each of at most three layers sums a few dozen products of numbers
/// of order 1–100 (relative rounding below `1e2 · 2^-52 ≈ 2e-14`), the fold adds a square root
/// and a division or two per weight (a few `u`), and ReLU is 1-Lipschitz, so errors do not
/// grow at the thresholds; `1e-9` leaves a margin of `10^4` while still catching a wrong norm
/// or a misplaced tap, which move outputs by their own size.
pub const FOLDED_FORWARD_RELATIVE: f64 = 1e-9;

/// The relative margin by which `mlcsc certify` (`crate::certified_region`) makes every number
/// of a certified region conservative: each input `β`, `μ` is moved against the certificate
/// by this fraction, each computed upper limit is shrunk and each lower limit grown by it, and
/// each difference is lowered by it times the sum of the magnitudes of its terms.
///
/// The inputs are `f64` images of exact squares (`β²`, `μ²`, `ρ²` of the fold) square-rooted
/// once, within a few units of `2^-53` relative; the region is then a few dozen further
/// operations on numbers of order 1 (a stripe count, a square root of it, products, one
/// division), so the accumulated rounding is below `1e-14` relative to the magnitudes
/// involved. `1e-9` covers it with five orders of magnitude to spare and moves no reported
/// figure in its first eight digits.
pub const CERTIFIED_REGION_RELATIVE_MARGIN: f64 = 1e-9;
