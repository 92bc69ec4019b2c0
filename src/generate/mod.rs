//! Instance generators that meet the theorems' hypotheses by construction. The same code path
//! serves the property tests (as proptest strategies) and the command line (seeded ChaCha).

pub mod catalogue;
pub mod certified_region;
pub mod coherent;
mod dyadic;
pub mod filter_banks;
pub mod filters;
pub mod image_lift;
pub mod image_separable;
pub mod phase_cases;
pub mod random;
pub mod random_images;
pub mod real_layers;
pub mod seed;
mod sparse_chain;
pub mod strategies;
pub mod strided_filter_banks;
pub mod theorem2;
pub mod unit_vectors;

/// The stream every generator draws from (case `k` of a campaign is [`seed::case_rng`]),
/// re-exported so that a custom family (`mlcsc::conjecture::Family::custom`) needs no
/// `rand_chacha` of its own.
pub use rand_chacha::ChaCha8Rng;

/// `rand`, re-exported for custom families (`use mlcsc::generate::rand::RngExt;`).
pub use rand;
