//! Pursuits: the thresholding operators and layered thresholding (the forward pass).

pub mod basis_pursuit;
pub mod cnn;
mod layered;
pub mod layered_lasso;
mod thresholding;

pub use layered::layered_thresholding;
pub use thresholding::{Thresholding, hard_threshold, nonnegative_soft_threshold, soft_threshold};
