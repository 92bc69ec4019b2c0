//! The workloads of `mlcsc bench`, as a library: the NumPy and PyTorch peers' computations
//! (`benches/numpy_peer.py`, `benches/torch_peer.py`) and certified campaigns, built, run and
//! timed here, so that the command line only parses and renders, and a user binary can measure
//! the same things.
//!
//! - [`forward::forward_large`]: one model, `N = 2^16` by default, layers `(n, m)` = (8,16),
//!   (8,32), (8,64) (layer `i` has `m · 2^(i-1)` filters of length 8), unit filters of random
//!   direction, `Γ_K` of density 1 %; the synthesis chain, layered soft thresholding (`β = 0.1`)
//!   of `X + E`, and the stripe and patch norms of every layer. GFLOP/s count
//!   `2 · 2 · N · Σ_i |f_i|` (one `D` and one `Dᵀ` per layer), as the peers do, and are printed
//!   beside the multiply-add peak measured on the machine ([`crate::fast::peak`]).
//! - [`forward_image::forward_image`]: a `256 × 256` image through three layers of `3 × 3`
//!   filters (1 → 16 → 32 → 64 channels, stride 1, zero padding 1), each `D_iᵀ` followed by a
//!   bias and ReLU per channel, with the nonzeros of every layer; GFLOP/s of the whole pass and
//!   of the products alone, beside the measured peak.
//! - [`campaigns::campaign_small`]: many two-layer models, `N = 64`, layers (8, 2), (2, 2),
//!   density 5 %; per case the coherence of both layers and the same forward computation.
//! - [`campaigns::campaign_exact`]: generated two-layer Theorem 2 cases of length 64, counted
//!   end to end (generation, certified check and record), with the check alone beside it.
//!
//! [`instance_file::forward_large_instance`] writes forward-large's problem as an instance file,
//! for `forward` and `check --arithmetic f64` on the same numbers
//! (`cargo run --release --example forward_large_instance`).
//!
//! Speed is measured here and in `benches/`, never in a timed test.

pub mod campaigns;
pub mod forward;
pub mod forward_image;
mod forward_single;
pub mod instance_file;
pub mod problem;
pub mod timing;
