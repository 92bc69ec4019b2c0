//! Fast `f64` kernels for the operators and norms, property-tested against the plain ones.
