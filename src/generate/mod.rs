//! Instance generators that meet the theorems' hypotheses by construction. The same code path
//! serves the property tests (as proptest strategies) and the command line (seeded ChaCha).

pub mod coherent;
pub mod filters;
pub mod random;
pub mod seed;
pub mod theorem2;
