//! `mlcsc-spec`: the multi-layer convolutional sparse coding (ML-CSC) model of Papyan, Romano
//! and Elad, and its results, as plain exact code. This crate is the specification: it states
//! every definition once, plainly, and depends only on number, matrix and error crates. Other
//! code enters a statement only through [`kernels::Kernels`], held equal to [`kernels::Plain`].
//!
//! # Reading order
//!
//! 1. Numbers: [`scalar`] (the field the model is computed in; exact [`scalar::Rational`]),
//!    [`enclosure`] (certified decisions), [`tolerance`] (every tolerance, with its reason).
//! 2. The model: [`model`] (filters, layer vectors, the synthesis chain), [`operators`] (`D`,
//!    `Dᵀ`; [`strided_operators`] for a layer of any stride and padding, see
//!    [`model::Geometry`]), [`norms`] (stripe and patch norms), [`coherence`] (mutual coherence),
//!    [`thresholding`] (the operators), [`threshold`] (`β_i`, shared or per channel), [`pursuit`] (layered thresholding; the CNN layer,
//!    written independently), [`instance`] (what every result is stated on).
//! 3. The bulk operations: [`kernels`] (the bulk operations; [`kernels::Plain`] is the
//!    definition), and [`exact_linear_algebra`] (elimination, rank, null spaces, definiteness
//!    and certified eigenvalue bounds, generic over an exact field).
//! 4. Results: [`theorems`]. Theorem 2 reads in
//!    [`theorems::theorem2`] (the statement), its two passes
//!    [`theorems::theorem2::hypotheses`](mod@theorems::theorem2::hypotheses) and [`theorems::theorem2::conclusions`](mod@theorems::theorem2::conclusions), the
//!    formulas [`theorems::theorem2_bounds`], the forms [`theorems::variant`] and the verdicts
//!    [`theorems::verdict`], trusting the square-root API of [`theorems::surd`]. Definition 1
//!    reads in [`theorems::definition1`]. The exhaustive results on tiny dictionaries share
//!    [`theorems::support_enumeration`]: [`theorems::uniqueness`], [`theorems::stripe_spark`],
//!    [`theorems::stripe_rip`] and [`theorems::dcp_stability`]. The Welch-type bound reads in
//!    [`theorems::welch_bound`], the CNN forward pass in [`theorems::cnn_forward_pass`], and
//!    layered basis pursuit in [`theorems::layered_basis_pursuit`], each minimiser certified
//!    by [`pursuit::lasso_certificate`]. A trained ReLU network folds into the model in [`folding`].

pub mod certified_region;
pub mod certified_region_axis;
pub mod certified_region_figures;
pub mod coherence;
pub mod enclosure;
pub mod error_norms;
pub mod exact_linear_algebra;
pub mod folding;
pub mod instance;
pub mod kernels;
pub mod model;
pub mod norms;
pub mod operators;
pub mod pursuit;
pub mod scalar;
pub mod strided_coherence;
pub mod strided_dense_dictionary;
pub mod strided_norms;
pub mod strided_operators;
pub mod theorems;
pub mod threshold;
pub mod thresholding;
pub mod tolerance;

pub use model::{Layer, LayerVector, Model, ModelError};
pub use scalar::{Rational, Scalar};
