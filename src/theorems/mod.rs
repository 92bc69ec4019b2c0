//! The results of the paper as predicates: hypotheses, conclusions and a verdict each. The
//! mathematics of every result comes from the specification (`mlcsc-spec`), generic over the
//! exact field; the statement files here (`*_theorem.rs` and the other statement types)
//! choose the engine and the field each is decided in.

pub use mlcsc_engines::theorem2_f64;
pub use mlcsc_spec::theorems::{clause, definition1, notation, real_layers, surd, variant};

/// Verdicts (the specification's), and which arithmetic decided one (the report's).
pub mod verdict {
    pub use mlcsc_engines::theorem2_report::DecidedBy;
    pub use mlcsc_spec::theorems::verdict::*;
}

/// Theorem 2's formulas (the specification's) and what generators, searches and the `f64`
/// check derive from them (the engines').
pub mod theorem2_bounds {
    pub use mlcsc_engines::bounds::*;
    pub use mlcsc_spec::theorems::theorem2_bounds::*;
}

pub mod certified_region_membership;
pub mod certified_region_theorem;
pub mod cnn_forward_pass;
pub mod dcp_stability;
pub mod dcp_stability_theorem;
pub mod definition1_theorem;
pub mod layered_basis_pursuit;
pub mod layered_basis_pursuit_theorem;
pub mod outcome;
pub mod real_layers_report;
pub mod statement;
pub mod strided_welch_bound;
pub mod stripe_rip;
pub mod stripe_rip_theorem;
pub mod stripe_spark;
pub mod stripe_spark_image;
pub mod stripe_spark_theorem;
pub mod support_enumeration;
pub mod theorem2;
pub mod theorem2_real_layers;
pub mod theorem2_small;
pub mod uniqueness;
pub mod uniqueness_image;
pub mod uniqueness_theorem;
pub mod welch_bound;
