//! Theorem 2 decided in [`SmallRational`](crate::small_rational::SmallRational): machine-word fractions that widen to big rationals
//! only when a value needs it, so the certified report equals the [`Rational`] one value for
//! value and is computed faster.

use crate::instance::{Instance, small_instance};
use crate::scalar::Rational;
use crate::theorems::theorem2::{Statement, Theorem2Report, check_theorem2_statement};

/// A form of Theorem 2 checked in [`SmallRational`](crate::small_rational::SmallRational): the same certified report as
/// [`check_theorem2_statement`] on the [`Rational`] instance (every intermediate value is
/// equal), computed faster.
pub fn check_theorem2_statement_small(
    instance: &Instance<Rational>,
    statement: Statement,
) -> Theorem2Report {
    check_theorem2_statement(&small_instance(instance), statement)
}

/// Theorem 2 as stated in the paper, checked in [`SmallRational`](crate::small_rational::SmallRational).
pub fn check_theorem2_small(instance: &Instance<Rational>) -> Theorem2Report {
    check_theorem2_statement_small(instance, Statement::PAPER)
}
