//! Measurements of well-kept crates against the hand-written speed-ups of `mlcsc-engines`
//! (docs/crate-candidates.md). Not part of the mlcsc workspace.

#[cfg(feature = "intervals")]
pub mod intervals;
pub mod kernels;
pub mod measure;
pub mod products;
pub mod ratio;
pub mod timing;
