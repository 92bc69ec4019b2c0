//! The results of the paper as predicates: hypotheses, conclusions and a verdict each.

pub mod clause;
pub mod cnn_forward_pass;
pub mod dcp_stability;
pub mod definition1;
pub mod layered_basis_pursuit;
pub mod notation;
pub mod real_layers;
pub(crate) mod signs;
pub mod stripe_rip;
pub mod stripe_spark;
pub mod support_enumeration;
pub mod surd;
pub mod theorem2;
pub mod theorem2_bounds;
pub mod uniqueness;
pub mod uniqueness_enumeration;
pub mod uniqueness_grid;
pub mod variant;
pub mod verdict;
pub mod welch_bound;
