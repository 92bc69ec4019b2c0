//! Pursuits: the thresholding operators, layered thresholding (the forward pass) and the CNN
//! layer written independently of it.

pub mod cnn;
mod convolution_layer;
mod image_convolution_layer;
pub mod lasso_certificate;
mod layered;

pub use crate::thresholding::{
    Thresholding, hard_threshold, nonnegative_soft_threshold, soft_threshold,
};
pub use layered::layered_thresholding;
