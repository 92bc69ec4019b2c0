//! Instances converted to and from machine-word rationals, value for value.

use super::SmallRational;
use crate::scalar::Rational;

/// An exact instance in [`SmallRational`]: the same model, thresholds, representation, noise
/// and budget, value for value (no re-validation is needed: the values are equal).
pub fn small_instance(
    instance: &mlcsc_spec::instance::Instance<Rational>,
) -> mlcsc_spec::instance::Instance<SmallRational> {
    instance.map(|r: &Rational| SmallRational::from(r))
}

/// The instance back in [`Rational`].
pub fn rational_instance(
    instance: &mlcsc_spec::instance::Instance<SmallRational>,
) -> mlcsc_spec::instance::Instance<Rational> {
    instance.map(SmallRational::to_big)
}
