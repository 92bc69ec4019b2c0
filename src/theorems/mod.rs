//! The results of the paper as predicates: hypotheses, conclusions and a verdict each.

pub mod definition1;
pub mod theorem2;
pub mod uniqueness;
pub mod verdict;
