//! Uniqueness of the deep coding problem, verified exhaustively on tiny instances: the
//! specification's statement ([`mlcsc_spec::theorems::uniqueness`], generic over the exact
//! field; the statement file [`crate::theorems::uniqueness_theorem`] decides it in
//! [`SmallRational`](crate::small_rational::SmallRational)).

pub use mlcsc_spec::theorems::uniqueness::*;
