//! The results of the paper as predicates: hypotheses, conclusions and a verdict each.

pub mod clause;
pub mod cnn_forward_pass;
pub mod dcp_stability;
pub mod dcp_stability_theorem;
pub mod definition1;
pub mod definition1_theorem;
pub mod layered_basis_pursuit;
pub mod layered_basis_pursuit_theorem;
pub mod notation;
pub mod outcome;
pub mod stripe_rip;
pub mod stripe_rip_theorem;
pub mod stripe_spark;
pub mod stripe_spark_theorem;
pub mod support_enumeration;
pub mod surd;
pub mod theorem;
pub mod theorem2;
pub mod theorem2_bounds;
pub mod theorem2_f64;
pub mod theorem2_small;
pub mod uniqueness;
pub mod uniqueness_theorem;
pub mod variant;
pub mod verdict;
pub mod welch_bound;
