//! The results of the paper as predicates: hypotheses, conclusions and a verdict each.

pub mod clause;
pub mod definition1;
pub mod notation;
pub mod surd;
pub mod theorem2;
pub mod theorem2_bounds;
pub mod variant;
pub mod verdict;
