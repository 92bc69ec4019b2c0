//! Stability of the noisy deep coding problem `DCP^E_λ`, certified against the exact worst
//! case: the specification's statement ([`mlcsc_spec::theorems::dcp_stability`], generic over
//! the exact field; the statement file [`crate::theorems::dcp_stability_theorem`] decides it in
//! [`SmallRational`](crate::small_rational::SmallRational)).

pub use mlcsc_spec::theorems::dcp_stability::*;
