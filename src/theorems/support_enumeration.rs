//! Exhaustive enumeration of supports within a stripe budget: the specification's
//! ([`mlcsc_spec::theorems::support_enumeration`]), and the exact coherence the checks read,
//! computed in [`SmallRational`].

pub use mlcsc_spec::theorems::support_enumeration::*;

use crate::coherence::mutual_coherence;
use crate::model::Layer;
use crate::scalar::Rational;
use crate::small_rational::SmallRational;

/// `μ(D_i)` of a layer ([`mutual_coherence`]), computed in [`SmallRational`]: the same exact
/// value as in [`Rational`], in machine words while it fits.
pub fn exact_coherence(layer: &Layer<Rational>) -> Rational {
    mutual_coherence(&layer.map(|value: &Rational| SmallRational::from(value))).to_big()
}
