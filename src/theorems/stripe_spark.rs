//! The stripe spark of a convolutional dictionary, computed exactly: the specification's
//! statement ([`mlcsc_spec::theorems::stripe_spark`], generic over the exact field), and its
//! fast form on big-rational layers: the circuit search in
//! [`SmallRational`] with independence tested modulo a prime
//! ([`mlcsc_engines::modular_span`]), falling back to the exact test. Each gives the
//! specification's result, witness and coverage.

pub use mlcsc_spec::theorems::stripe_spark::{
    ExactIndependence, FalseDependency, IndependenceTest, StripeSpark, circuit_search,
    spark_lower_bound_holds, stripe_spark_by_all_supports,
};

use crate::model::Layer;
use crate::scalar::Rational;
use crate::small_rational::SmallRational;
use mlcsc_engines::modular_span::fast_stripe_spark;

/// The layer in [`SmallRational`] (the same values).
fn small_layer(layer: &Layer<Rational>) -> Layer<SmallRational> {
    layer.map(|value: &Rational| SmallRational::from(value))
}

/// The spark back in [`Rational`] (the same values).
fn big_spark(spark: StripeSpark<SmallRational>) -> StripeSpark {
    StripeSpark {
        spark: spark.spark,
        witness: spark.witness.map(|w| w.map(SmallRational::to_big)),
        coverage: spark.coverage,
    }
}

/// `σ_S(D)` of a layer over `N` positions ([`fast_stripe_spark`]): independence tested modulo
/// [`SPAN_MODULUS`](crate::exact_linear_algebra::SPAN_MODULUS)
/// ([`stripe_spark_modulo`]), and, if a dependency modulo `p` proves false, the search redone
/// exactly ([`stripe_spark_in_rationals`]), both in [`SmallRational`]. Either way the result,
/// witness and coverage are those of the specification's exact search.
pub fn stripe_spark(layer: &Layer<Rational>, length: usize) -> StripeSpark {
    big_spark(fast_stripe_spark(&small_layer(layer), length))
}

/// `σ_S(D)` with independence tested modulo the prime `modulus`
/// ([`mlcsc_engines::modular_span::stripe_spark_modulo`], in [`SmallRational`]); `None` after a
/// false dependency.
pub fn stripe_spark_modulo(
    layer: &Layer<Rational>,
    length: usize,
    modulus: u64,
) -> Option<StripeSpark> {
    mlcsc_engines::modular_span::stripe_spark_modulo(&small_layer(layer), length, modulus)
        .map(big_spark)
}

/// `σ_S(D)` by the specification's exact circuit search
/// ([`mlcsc_spec::theorems::stripe_spark::stripe_spark`]) in [`SmallRational`]: the fallback
/// of [`stripe_spark`], and its cross-check.
pub fn stripe_spark_in_rationals(layer: &Layer<Rational>, length: usize) -> StripeSpark {
    big_spark(mlcsc_spec::theorems::stripe_spark::stripe_spark(
        &small_layer(layer),
        length,
    ))
}
