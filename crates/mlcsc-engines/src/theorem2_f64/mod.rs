//! Theorem 2 in `f64` with rigorous error bounds: a verdict `holds`, `violated` or `vacuous` is
//! right whenever it is given, and a comparison that rounding could tip is `undecided`
//! (docs/math.md §8).
//!
//! # What is bounded
//!
//! The exact instance is the one the `f64` numbers stand for: every input within
//! [`F64_INPUT_RELATIVE`](crate::tolerance::F64_INPUT_RELATIVE) of its `f64` (an instance file's rationals, or the `f64`
//! values themselves), with every filter **normalised** to unit norm. This needs every nonzero
//! input to have a normal, nonzero `f64` image, as the loader ensures
//! (`mlcsc::io::InstanceFile::to_f64`); a subnormal input makes the verdict undecided, and an
//! image rounded to zero is read as zero. A filter whose computed
//! squared norm is not 1 up to rounding is divided by its computed norm; either way the
//! relative distance `ρ_i` between the filters used and the exact unit filters is bounded from
//! the computed norm (Higham's `γ_k` for the sum of squares, directed rounding for the rest).
//! So a filter of squared norm 1.000008 gets the verdict of its normalised twin or none.
//!
//! Every vector of the check (the chain `Γ_{i-1} = D_i Γ_i`, the signal, the correlations
//! `D_iᵀ Γ̂_{i-1}`, the estimates and the errors) is carried as a midpoint, computed as
//! `forward --arithmetic f64` computes it (the products and thresholding by the fast kernels of
//! [`crate::fast`], whose order of summation and fused multiply-adds differ from the plain
//! loops'), and a radius that bounds the distance to the exact vector entry by entry. For a
//! product `D x` with `k` terms per entry,
//!
//! ```text
//! |D x − fl(D̂ x̂)| ≤ |D̂| ((ρ + γ_k) |x̂| + (1 + ρ) r_x)
//! ```
//!
//! (the filters' error `ρ |D̂|`, the input's radius `r_x`, and Higham's bound `γ_k Σ |terms|`
//! on the rounding of the sum, in any order of summation), the bound itself evaluated with
//! [`f64_upper_bound`](crate::tolerance::f64_upper_bound). An entry has radius 0 only when it is exactly zero: every
//! product that reaches it has a zero factor. Thresholding is 1-Lipschitz in `z` and `β` for
//! `S_β` and `S⁺_β`, and its image of an interval is computed with directed rounding; for `H_β`
//! an entry whose `|z|` may lie on either side of `β` is enclosed by `0` and `z`. Coherences,
//! magnitudes, `ε_i` and the windows are intervals with outward rounding (`next_up`,
//! `next_down`, or the exact error of `TwoSum` and fused multiply-add to keep exact results
//! exact).
//!
//! # What is decided
//!
//! The exact support of each `Γ_i` and of each estimate is known where an entry's interval
//! excludes 0 or its radius is 0. A comparison is decided when the two intervals are disjoint
//! (for `≤`, when they touch at most at the decided end); otherwise it is open and named in the
//! verdict. A hypothesis certainly false gives `vacuous` whatever else is open.
//!
//! # Shortcuts with the same report
//!
//! Each is a proof that a cheaper computation gives the very same `f64` numbers or decisions,
//! tested against the computation it replaces (`tests_shortcut.rs`,
//! `tests/all/f64_vacuous_shortcut.rs`):
//!
//! - **A `vacuous` verdict without the estimates' radii** (`vacuous.rs`): the hypotheses read
//!   only the chain, the noise and the thresholds; when one is certainly false, every layer's
//!   midpoints of `Γ_i` and `Γ̂_i` differ in sign somewhere (so `support_recovered` is false
//!   whatever the radii) and the estimates' radii are bounded finite by two numbers per layer,
//!   the report is the full check's without the products on `|D̂_i|` of the analyses, the
//!   interval thresholding and the conclusions. [`check_theorem2_f64_with_every_radius`] is
//!   the full check.
//! - **The hypotheses decided once** (`evaluate::pass`, `evaluate::complete`): they never read
//!   the estimates, so one pass on the chain decides them for the shortcut and the full check
//!   alike; the full check adds each layer's clauses that read `Γ̂_i`, and the first open
//!   comparison is the one a single pass in the order of the layers meets first.
//! - **The estimates compared as they are computed** (`compared_estimate.rs`): for the
//!   shortcut, each block of `Γ̂_i` is compared with `Γ_i` (signs, largest entry, error
//!   energies) while the kernel has it in cache, with the numbers of the separate passes;
//!   `Γ̂_i` is written into the memory of the radius of `Γ_i`, which the shortcut no longer
//!   reads (the chain is built again if the full check runs after all); the last, which
//!   nothing reads, is compared block by block in a buffer and not kept, with the same blocks
//!   and numbers (`fast::correlation::Correlation::correlate_unkept`).
//! - **`Γ_K`'s radii not written out** (`deepest::deepest_start`): each is a function of its
//!   entry (`deepest::deepest_radius`, the number `Enclosed::input` writes). When every entry
//!   is zero or normal, the nonzero entries are listed and the synthesis `D_K Γ_K` is formed
//!   from the listing alone (`listed_synthesis.rs`: the count product, which would read the
//!   radii, not needed), the radii are left unwritten: the hypotheses and the magnitudes of
//!   the support read them as that function, the vacuous shortcut reads none, and the full
//!   check writes them out before the estimates' clauses (`evaluate::Chain::write_deepest_radii`).
//! - **Reachability by magnitudes** (`reachability::products_stay_normal`): when every product of
//!   a nonzero tap and a positive weight is at least `2^-1022`, a radius sum computed as 0 is
//!   an entry no product reaches, and the count product is not formed. The least positive
//!   weight is found on vector lanes as the weights are formed (the least of the same values).
//! - **Sparse inputs** (`sparse_sums.rs`): the product and the radius sums of a synthesis whose
//!   input is mostly zero (the deepest representation) are the kernel's chain of fused
//!   multiply-adds on the nonzero terms alone, in the kernel's order, so the same `f64`s (for
//!   the signed product, when no product falls below `2^-968`, so that no chain holds `−0`).
//! - **The magnitudes of the support** (`support::certain_magnitudes_with_range`): only the entries at the
//!   extremes of the plain `fl(|m| ∓ r)` are rounded outward, since directed rounding is
//!   monotone in them; the same pass gives the report's plain `min |m|` and `max |m|`, and the
//!   enclosed coherence the plain one (`midpoint_profile::Known`). For `Γ_K` the pass reads
//!   only the nonzero entries its enclosing pass lists (the others are exactly zero, which the
//!   pass passes over); elsewhere the extremes are found block by block on vector lanes and
//!   only the blocks attaining one are read again (`magnitude_blocks.rs`).
//! - **The coherence** (`coherence.rs`): the correlations of four pairs of filters are summed
//!   side by side, each in the specification's order, so every sum is the same `f64`.
//! - **Radii bounded in the kernel's blocks** (`bounded_sums.rs`): the sums `|D̂| w` of a dense
//!   synthesis are bounded block by block as the kernel finishes them, and the weights `w` are
//!   formed block by block as the kernel reads them, never stored whole
//!   (`fast::correlation::Correlation::correlate_filled`, the same numbers); their least
//!   positive value is gathered on the way, and the radii are kept when it settles
//!   reachability by magnitudes (else the general path).

use crate::instance::Instance;
use crate::theorem2_report::Theorem2Report;
use crate::theorems::theorem2::Statement;
use crate::theorems::verdict::Verdict;
pub use screen::screen_out_of_range;

mod bounded_sums;
mod coherence;
mod compared_estimate;
mod conclusions;
mod deepest;
mod enclosed;
mod enclosed_norms;
mod error_norms;
mod evaluate;
mod hoisted;
mod hypotheses;
mod interval;
mod layer;
mod listed_synthesis;
mod magnitude_blocks;
mod midpoint_profile;
mod open;
mod reachability;
mod rounding;
mod screen;
mod screen_layer;
mod sparse_sums;
mod support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_shortcut;
#[cfg(test)]
mod tests_sparse_product;
#[cfg(test)]
mod tests_vector_passes;
mod vacuous;

pub use interval::Interval;
pub use rounding::{add_down, add_up, mul_down, mul_up, sub_down, sub_up};

/// Checks a form of Theorem 2 on an `f64` instance with rigorous rounding-error bounds (module
/// documentation). The report's numbers are the plain `f64` values; its verdict is right
/// whenever it is `holds`, `violated` or `vacuous`.
///
/// A verdict certainly `vacuous` is given without the estimates' radii when the report does
/// not need them (docs/math.md §8); the report is then [`check_theorem2_f64_with_every_radius`]'s.
pub fn check_theorem2_f64(instance: &Instance<f64>, statement: Statement) -> Theorem2Report {
    let (report, deepest_normal) = evaluate::evaluate(instance, statement, true);
    screened(instance, report, deepest_normal)
}

/// [`check_theorem2_f64`] with every radius computed, the estimates' included, whatever the
/// verdict: the reference its shortcut for `vacuous` verdicts is tested against.
pub fn check_theorem2_f64_with_every_radius(
    instance: &Instance<f64>,
    statement: Statement,
) -> Theorem2Report {
    let (report, deepest_normal) = evaluate::evaluate(instance, statement, false);
    screened(instance, report, deepest_normal)
}

/// `report`, made undecided where the screen's numbers decide nothing; `deepest_normal` says
/// that every entry of `Γ_K` is zero or normal, as the check found when it enclosed `Γ_K`.
fn screened(
    instance: &Instance<f64>,
    mut report: Theorem2Report,
    deepest_normal: bool,
) -> Theorem2Report {
    if let Some((layer, reason)) = per_channel_threshold(instance)
        .or_else(|| subnormal_input(instance, deepest_normal))
        .or_else(|| screen_out_of_range(&report))
    {
        report.verdict = Verdict::Undecided {
            layer,
            comparison: format!(
                "the f64 screen cannot decide here: {reason}; decide it in exact arithmetic"
            ),
        };
    }
    report
}

/// The first layer whose channels have thresholds of their own: Theorem 2 is stated for one
/// threshold per layer, so the screen's numbers there (computed at the largest of the
/// layer's thresholds) decide nothing. Statements refuse such an instance before any work;
/// this keeps the screen from answering if it is called on one anyway.
fn per_channel_threshold(instance: &Instance<f64>) -> Option<(usize, String)> {
    let index = instance
        .thresholds
        .iter()
        .position(|beta| beta.shared().is_none())?;
    Some((
        index + 1,
        "the layer has one threshold per channel, and Theorem 2 is stated for one threshold per layer".into(),
    ))
}

/// The threshold the screen reads at a layer: the shared `β_i`, or the largest of the
/// channels' (see [`per_channel_threshold`]).
pub(super) fn screen_threshold(beta: &mlcsc_spec::threshold::Threshold<f64>) -> f64 {
    match beta.shared() {
        Some(beta) => *beta,
        None => beta
            .values()
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max),
    }
}

/// The first nonzero input below the normal range of `f64`, with its layer (0 for `Γ_K`, the
/// noise and the budget): there an `f64` need not be within [`F64_INPUT_RELATIVE`](crate::tolerance::F64_INPUT_RELATIVE) of the
/// number it stands for, which every bound of this module assumes.
///
/// `Γ_K` is searched only when `deepest_normal` does not already say it holds none.
fn subnormal_input(instance: &Instance<f64>, deepest_normal: bool) -> Option<(usize, String)> {
    let subnormal = |x: &f64| *x != 0.0 && !x.is_normal();
    for (index, layer) in instance.model.layers().iter().enumerate() {
        if let Some(x) = layer.taps().iter().find(|x| subnormal(x)) {
            return Some((index + 1, format!("a filter tap {x:e} is subnormal")));
        }
        if instance.thresholds[index].values().iter().any(subnormal) {
            return Some((index + 1, "the threshold is subnormal".into()));
        }
    }
    let vectors = [
        ("Γ_K", instance.deepest_representation.entries()),
        ("E", instance.noise.entries()),
    ];
    for (name, entries) in vectors.into_iter().skip(usize::from(deepest_normal)) {
        if let Some(x) = first_not_normal(entries) {
            return Some((0, format!("an entry {x:e} of {name} is subnormal")));
        }
    }
    instance
        .noise_budget
        .filter(subnormal)
        .map(|x| (0, format!("the noise budget {x:e} is subnormal")))
}

/// The first `x` with `x ≠ 0` and `x` not normal (subnormal, infinite or NaN), as
/// `find(|x| *x != 0.0 && !x.is_normal())` gives it: each block of entries is first asked
/// whether it holds one by their exponent bits (all zero with a nonzero fraction, or all
/// one), a test without branches that runs on vectors, and searched only then.
pub(super) fn first_not_normal(values: &[f64]) -> Option<f64> {
    const EXPONENT: u64 = 0x7ff0_0000_0000_0000;
    const FRACTION: u64 = 0x000f_ffff_ffff_ffff;
    let flagged = |x: &f64| {
        let bits = x.to_bits();
        let exponent = bits & EXPONENT;
        ((exponent == 0) & (bits & FRACTION != 0)) | (exponent == EXPONENT)
    };
    values
        .chunks(1024)
        .find(|block| block.iter().fold(false, |any, x| any | flagged(x)))
        .and_then(|block| block.iter().copied().find(|x| *x != 0.0 && !x.is_normal()))
}
