//! The dense matrix of a strided, padded layer's dictionary, built atom by atom from its
//! definition, which cross-checks the local loops of [`crate::strided_operators`]
//! (`proofs/strided_dictionary.md`).

use nalgebra::DMatrix;

use crate::model::{Geometry, Layer, ModelError};
use crate::scalar::Scalar;

/// The dense dictionary `D ∈ R^{N_{i-1} m_{i-1} × N_i m_i}` of layer `layer_number` with
/// `geometry`: column `p · m_i + c` is the atom `d_{c,p}`, built tap by tap from its definition
/// (entries that wrap onto the same input position add). For cross-checks only: its size is
/// the product of the two lengths. Errors: those of [`Geometry::output_length`].
pub fn strided_dense_dictionary<S: Scalar + nalgebra::Scalar>(
    layer_number: usize,
    layer: &Layer<S>,
    geometry: &Geometry,
    input_length: usize,
) -> Result<DMatrix<S>, ModelError> {
    let n = layer.filter_length();
    let output_length = geometry.output_length(layer_number, input_length, n)?;
    let m_prev = layer.input_channels();
    let m = layer.filter_count();
    let mut matrix = DMatrix::from_element(input_length * m_prev, output_length * m, S::zero());
    for p in 0..output_length {
        for c in 0..m {
            for t in 0..n {
                let Some(position) = geometry.input_position(p, t, input_length) else {
                    continue;
                };
                for k in 0..m_prev {
                    let row = position * m_prev + k;
                    let mut entry = matrix[(row, p * m + c)].clone();
                    entry += layer.tap(c, t, k);
                    matrix[(row, p * m + c)] = entry;
                }
            }
        }
    }
    Ok(matrix)
}
