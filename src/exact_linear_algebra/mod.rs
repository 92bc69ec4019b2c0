//! Exact linear algebra: the specification's plain algorithms
//! ([`mlcsc_spec::exact_linear_algebra`]: elimination, rank, null spaces, solving, definiteness
//! and certified eigenvalue bounds, generic over an [`ExactField`]), the independence test
//! modulo a prime from the engines ([`mlcsc_engines::modular_span`]), and the conversions
//! between big rationals and [`SmallRational`], the exact field the checks of the theorems run
//! in.

use nalgebra::{DMatrix, DVector};

pub use mlcsc_engines::modular_span::*;
pub use mlcsc_spec::exact_linear_algebra::*;

use crate::scalar::Rational;
use crate::small_rational::SmallRational;

/// A matrix of big rationals in [`SmallRational`] (the same values).
pub fn to_small_rationals(matrix: &DMatrix<Rational>) -> DMatrix<SmallRational> {
    matrix.map(|x| SmallRational::from(&x))
}

/// A vector of [`SmallRational`] as big rationals (the same values).
pub fn to_big_rationals(vector: &DVector<SmallRational>) -> DVector<Rational> {
    vector.map(|x| x.to_big())
}

#[cfg(test)]
mod tests;
