//! `mlcsc`: the multi-layer convolutional sparse coding (ML-CSC) model of Papyan, Romano and
//! Elad as executable mathematics.
//!
//! A CNN's forward pass is a layered thresholding pursuit; Theorem 2 of "Analyzing
//! Convolutional Neural Networks Through the Eyes of Sparsity" (the seed paper of
//! `docs/math.md`, whose numbering every citation uses) says when that pursuit recovers the sparse
//! feature maps and how large its error is. This crate turns the model's definitions into
//! exact computations over [`scalar::Rational`] (with `f64` as a fast screen) and the theorem's
//! claims into predicates, decided exactly on instances generated to meet their hypotheses.
//!
//! # A first verdict
//!
//! Generate an instance that meets Theorem 2's hypotheses by construction and decide the
//! theorem on it, exactly:
//!
//! ```
//! use mlcsc::conjecture::find;
//! use mlcsc::generate::seed::case_rng;
//!
//! let entry = find("theorem2-soft").expect("a registered result");
//! let instance = entry.generate(&mut case_rng(2017, 0));
//! let outcome = entry.check(&instance);
//! assert!(outcome.certified, "decided in exact arithmetic");
//! assert!(!outcome.verdict.is_violated(), "Theorem 2 holds");
//! println!("{}: {}", instance.name, outcome.verdict.name());
//! ```
//!
//! # Where things are
//!
//! - The model: [`model`] (filters, layer vectors, the synthesis chain), [`operators`]
//!   (`D`, `Dᵀ`), [`norms`] (stripe and patch norms), [`coherence`] (mutual coherence and the
//!   Welch bound), [`pursuit`] (thresholding, the CNN layer, layered basis pursuit).
//! - The results: [`theorems`] (Theorem 2 and its bounds, uniqueness, stripe spark and RIP,
//!   `DCP^E` stability, layered basis pursuit), each with its proof under `proofs/`.
//! - Extending the suite: [`conjecture`] (a conjecture in a few lines with
//!   [`conjecture::conjecture`], run as a test that shrinks in the domain; the
//!   [`conjecture::Statement`] trait, the one trait of every result and conjecture, and the registry of every result `verify` runs),
//!   [`cli`] (every command, for a crate's own entries too: [`cli::run_with`]), [`generate`]
//!   (instances that meet the hypotheses by construction, one seed scheme), [`campaign`] (many
//!   cases, statistics, shrinking, checkpoints, shards, studies), [`io`] (instance files,
//!   atomic writes).
//! - Numbers: [`scalar`], [`small_rational`], [`enclosure`] (certified square-root
//!   enclosures), [`tolerance`] (every tolerance, each with its reason).
//! - Speed: [`fast`] (the operators, norms and layered thresholding in `f64` and `f32` on the
//!   vector instructions found at run time, and the measured peak), [`bench`](mod@bench) (the workloads of
//!   `mlcsc bench`, timed).

pub mod bench;
pub mod campaign;
pub mod certify;
pub mod cli;
pub mod conjecture;
pub mod exact_linear_algebra;
pub mod generate;
pub mod inspect;
pub mod io;
pub mod pursuit;
pub mod rationalize;
pub mod theorems;

pub use mlcsc_engines::{exact_engine, fast, integer_view, small_rational};
pub use mlcsc_spec::{
    coherence, enclosure, kernels, model, scalar, strided_coherence, strided_norms,
    strided_operators, threshold, thresholding, tolerance,
};

/// The instance (from the specification), and its conversions to and from machine-word
/// rationals (from the engines).
pub mod instance {
    pub use mlcsc_engines::small_rational::{rational_instance, small_instance};
    pub use mlcsc_spec::instance::*;
}

/// The dictionary operators of the specification, with `Dᵀ` from the fast exact engine (the
/// same values, on integer views where they exist).
pub mod operators {
    pub use mlcsc_engines::integer_views::{analysis, thresholded_analysis};
    pub use mlcsc_spec::operators::*;
}

/// The local norms of the specification, with the patch norm from the fast exact engine (the
/// same value, summed exactly only where an `f64` screen cannot rule a patch out).
pub mod norms {
    pub use mlcsc_engines::patch_screen::patch_norm_squared;
    pub use mlcsc_spec::norms::*;
}

pub use model::{Layer, LayerVector, Model, ModelError};
pub use scalar::{Rational, Scalar};
pub use threshold::Threshold;
