//! `mlcsc`: the multi-layer convolutional sparse coding (ML-CSC) model of Papyan, Romano and
//! Elad as executable mathematics.
//!
//! A CNN's forward pass is a layered thresholding pursuit; Theorem 2 of "Convolutional Neural
//! Networks Analyzed via Convolutional Sparse Coding" says when that pursuit recovers the sparse
//! feature maps and how large its error is. This crate turns the model's definitions into
//! exact computations over [`scalar::Rational`] (with `f64` as a fast screen) and the theorem's
//! claims into predicates.
//!
//! Modules follow the paper's concepts: [`model`] (filters, layer vectors, the synthesis chain),
//! [`operators`] (`D`, `Dᵀ`), [`norms`] (stripe and patch norms), [`coherence`] (mutual
//! coherence and the Welch bound), [`pursuit`] (thresholding), [`io`] (instance files).

pub mod campaign;
pub mod coherence;
pub mod conjecture;
pub mod enclosure;
pub mod exact_linear_algebra;
pub mod fast;
pub mod generate;
pub mod inspect;
pub mod io;
pub mod model;
pub mod norms;
pub mod operators;
pub mod pursuit;
pub mod scalar;
pub mod small_rational;
pub mod theorems;
pub mod tolerance;

pub use model::{Layer, LayerVector, Model, ModelError};
pub use scalar::{Rational, Scalar};
