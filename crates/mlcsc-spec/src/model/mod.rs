//! The ML-CSC model: layers of filters, layer vectors, and the multi-layer synthesis chain.

mod error;
mod geometry;
mod grid;
mod layer;
mod layer_vector;
mod multilayer;

pub use error::ModelError;
pub use geometry::{Geometry, Padding, first_real_layer};
pub use grid::{FilterShape, Grid, GridGeometry};
pub use layer::{Layer, stripe_width, sum_of_squares};
pub use layer_vector::{LayerVector, magnitude_range};
pub use multilayer::{MAX_SIGNAL_LENGTH, MAX_VECTOR_ENTRIES, Model};
