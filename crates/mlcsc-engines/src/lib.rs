//! `mlcsc-engines`: every speed-up of `mlcsc`, each held equal to the specification in
//! `mlcsc-spec` (the agreement tests are `mlcsc`'s `tests/all/engines_agree.rs` and
//! `tests/all/fast_paths.rs`).
//!
//! - [`small_rational`]: machine-word rationals, promoted to big ones on overflow; the same
//!   values as [`mlcsc_spec::scalar::Rational`].
//! - [`integer_view`] and [`integer_views`]: `Dᵀ` summed on integers over common denominators,
//!   and the thresholding decided on the integer sums.
//! - [`modular_span`]: independence certified modulo a prime, in machine words.
//! - [`patch_screen`], [`surd_screen`], [`folded_coherence_screen`]: `f64` screens with rigorous bounds that choose which
//!   exact computations to do.
//! - [`exact_engine`]: the three as one [`mlcsc_spec::kernels::Kernels`] implementation.
//! - [`fast`]: the operators, norms and layered thresholding in `f64` and `f32` on the vector
//!   instructions found at run time; [`theorem2_f64`]: Theorem 2 decided in `f64` with a
//!   rigorous bound on every compared quantity's rounding error (`holds`, `violated` and
//!   `vacuous` only where provably right, else `undecided`).
//! - [`solvers`]: FISTA and the banded Gram, which propose what layered basis pursuit then
//!   certifies exactly.

pub mod bounds;
mod correlation_sums;
pub mod error_screen;
pub mod exact_engine;
pub mod fast;
pub mod folded_coherence_screen;
pub mod integer_view;
pub mod integer_views;
pub mod modular_span;
pub mod patch_screen;
pub mod small_rational;
pub mod solvers;
pub mod surd_screen;
#[cfg(test)]
mod test_stream;
pub mod theorem2_f64;
pub mod theorem2_report;

/// The specification's modules under their own names, so that every engine reads as the
/// specification does.
pub(crate) use mlcsc_spec::{
    coherence, enclosure, instance, model, norms, scalar, theorems, thresholding, tolerance,
};

/// The dictionary operators, with `Dᵀ` on integer views where they exist.
pub mod operators {
    pub use crate::integer_views::{analysis, thresholded_analysis};
    pub use mlcsc_spec::operators::synthesis;
}
