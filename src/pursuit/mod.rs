//! Pursuits: the thresholding operators and layered thresholding (the forward pass), the CNN
//! layer, and layered basis pursuit with its solvers.

pub use mlcsc_engines::solvers::{banded_gram, basis_pursuit};
pub use mlcsc_spec::pursuit::*;

pub mod layered_lasso;
