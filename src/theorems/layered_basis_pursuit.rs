//! Stability of layered basis pursuit: the specification's statement
//! ([`mlcsc_spec::theorems::layered_basis_pursuit`], generic over the exact field, the patch
//! norms and the LASSO solver), decided here in [`SmallRational`] with the fast exact engine
//! ([`IntegerViews`]) and the solver [`BandedLasso`] (FISTA, then the exact certificate on the
//! banded Gram matrix). The report's estimates are converted back to
//! [`Rational`].

pub use mlcsc_spec::theorems::layered_basis_pursuit::{
    BasisPursuitLayer, BasisPursuitReport, BasisPursuitSolver, CertifiedMinimiser,
};

use crate::exact_engine::IntegerViews;
use crate::instance::{Instance, small_instance};
use crate::pursuit::basis_pursuit::BandedLasso;
use crate::scalar::Rational;
use crate::small_rational::SmallRational;
use crate::theorems::variant::Variant;
use mlcsc_spec::theorems::layered_basis_pursuit as statement;

/// The weights `ξ_i = 4 ε_{i-1}` the theorem prescribes
/// ([`statement::prescribed_weights`]), computed in [`SmallRational`].
pub fn prescribed_weights(instance: &Instance<Rational>) -> Vec<Rational> {
    statement::prescribed_weights::<SmallRational, IntegerViews>(&small_instance(instance))
        .iter()
        .map(SmallRational::to_big)
        .collect()
}

/// Checks the layered basis pursuit theorem on an instance (its `thresholds` are ignored).
pub fn check_layered_basis_pursuit(instance: &Instance<Rational>) -> BasisPursuitReport {
    check_layered_basis_pursuit_with(instance, &Variant::PAPER)
}

/// As [`check_layered_basis_pursuit`] for another form of the statement (a negative control
/// with other constants).
pub fn check_layered_basis_pursuit_with(
    instance: &Instance<Rational>,
    variant: &Variant,
) -> BasisPursuitReport {
    statement::check_layered_basis_pursuit::<SmallRational, IntegerViews>(
        &small_instance(instance),
        variant,
        &BandedLasso,
    )
    .map(SmallRational::to_big)
}
