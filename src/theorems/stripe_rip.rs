//! The stripe restricted isometry of a convolutional dictionary, certified on every support:
//! the specification's statement ([`mlcsc_spec::theorems::stripe_rip`], generic over the exact
//! field; the statement file [`crate::theorems::stripe_rip_theorem`] decides it in
//! [`SmallRational`](crate::small_rational::SmallRational)).

pub use mlcsc_spec::theorems::stripe_rip::*;
