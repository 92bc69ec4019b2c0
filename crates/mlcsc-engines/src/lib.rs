//! `mlcsc-engines`: every speed-up of `mlcsc`, each held equal to the specification in
//! `mlcsc-spec` (the agreement tests are `mlcsc`'s `tests/all/engines_agree.rs` and
//! `tests/all/fast_paths.rs`).
//!
//! - [`small_rational`]: machine-word rationals, promoted to big ones on overflow; the same
//!   values as [`mlcsc_spec::scalar::Rational`].
//! - [`integer_view`] and [`integer_views`]: `Dᵀ` summed on integers over common denominators,
//!   and the thresholding decided on the integer sums.
//! - [`patch_screen`], [`surd_screen`]: `f64` screens with rigorous bounds that choose which
//!   exact computations to do.
//! - [`exact_engine`]: the three as one [`mlcsc_spec::kernels::Kernels`] implementation.
//! - [`solvers`]: FISTA and the banded Gram, which propose what layered basis pursuit then
//!   certifies exactly.

pub mod exact_engine;
pub mod integer_view;
pub mod integer_views;
pub mod patch_screen;
pub mod small_rational;
pub mod solvers;
pub mod surd_screen;

/// The specification's modules under their own names, so that every engine reads as the
/// specification does.
pub(crate) use mlcsc_spec::{coherence, model, scalar, thresholding, tolerance};

/// The dictionary operators, with `Dᵀ` on integer views where they exist.
pub mod operators {
    pub use crate::integer_views::{analysis, thresholded_analysis};
    pub use mlcsc_spec::operators::synthesis;
}
