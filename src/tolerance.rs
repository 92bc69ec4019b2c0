//! Every floating-point tolerance of the crate, each with the reason for its size.
//!
//! Tolerances are used only on the `f64` screening path and for instances that exist only in
//! `f64` (say, filters of a trained network). Exact verdicts use none of them.

/// How far `‖f‖²` of an `f64` filter may be from 1 and still count as unit norm.
///
/// A filter read from a trained network and normalised in `f32` carries a relative error of
/// about `n · 2^-24 ≈ 1e-6` for filter sizes up to a few hundred entries, so `1e-5` accepts
/// such filters while rejecting any filter that was not normalised at all.
pub const UNIT_NORM_SQUARED: f64 = 1e-5;

/// Relative slack granted to an `f64` comparison of a law that holds exactly but is evaluated in
/// floating point (the thresholding laws of `tests/thresholding_laws.rs`). The `f64` screen of
/// Theorem 2 uses none: it compares without slack, and every violation it reports is re-decided
/// exactly.
///
/// The quantities compared are sums of at most a few thousand products of numbers of order 1,
/// whose rounding error is below `1e3 · 2^-52 ≈ 2e-13` relative; `1e-9` leaves a wide margin
/// while still flagging any real violation.
pub const SCREEN_RELATIVE: f64 = 1e-9;

/// Agreement demanded between the `f64` and the exact operators on the same instance, relative
/// to the largest magnitude involved. Same reasoning as [`SCREEN_RELATIVE`].
pub const OPERATOR_AGREEMENT_RELATIVE: f64 = 1e-9;

/// Bits of precision in the first square-root enclosure of a certified evaluation; doubled on
/// every refinement up to [`ENCLOSURE_MAX_BITS`]. 64 bits decide all but near-ties at once.
pub const ENCLOSURE_START_BITS: u32 = 64;

/// The cap on refinement. A comparison not decided at 4096 bits is a tie to within `2^-4096`
/// relative, which for the instances here (rationals with denominators below `2^256`) only an
/// exact tie between an irrational and a rational can produce, which is impossible, or an
/// exact tie between two irrationals, which must be reported as undecided.
pub const ENCLOSURE_MAX_BITS: u32 = 4096;

/// The magnitudes `[low, high]` inside which an `f64` screen of Theorem 2 is sound: the
/// nonzero thresholds, coefficients, noise entries and budget that
/// [`crate::io::InstanceFile::to_f64`] accepts, and the quantities a screen's report may carry
/// ([`crate::theorems::theorem2::screen_out_of_range`]). Inside it the squares, products and
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
/// (`tests/cnn_forward_pass.rs`).
pub fn higham_gamma(k: usize) -> f64 {
    let ku = k as f64 * UNIT_ROUNDOFF;
    ku / (1.0 - ku)
}

/// Relative allowance for the rounding of a bound built from [`higham_gamma`] itself: a few
/// dozen operations, each of relative error `u ≈ 1.1e-16`, so far below `1e-12`.
pub const BOUND_EVALUATION_SLACK: f64 = 1.0 + 1e-12;
