//! Solvers whose answers layered basis pursuit certifies exactly: FISTA on flat `f64`
//! buffers, and exact elimination on the banded Gram matrix of a support.

pub mod banded_gram;
pub mod basis_pursuit;
mod fista;
