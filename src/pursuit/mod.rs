//! Pursuits: the thresholding operators and layered thresholding (the forward pass).

pub mod banded_gram;
pub mod basis_pursuit;
pub mod cnn;
mod fista;
mod layered;
pub mod layered_lasso;

pub use crate::thresholding::{
    Thresholding, hard_threshold, nonnegative_soft_threshold, soft_threshold,
};
pub use layered::layered_thresholding;
