//! The dictionary `D_i` and its adjoint `D_iᵀ` as local loops (docs/math.md §1), at cost
//! `O(N · n_i · m_i · m_{i-1})` and without forming any matrix; plus the dense global matrix
//! (nalgebra) used only to cross-check them in tests.
//!
//! - Synthesis: `(D_i Γ)[q, c'] = Σ_c Σ_t f_{i,c}[t][c'] · Γ[(q - t) mod N, c]`.
//! - Analysis: `(D_iᵀ Z)[p, c] = Σ_t Σ_{c'} f_{i,c}[t][c'] · Z[(p + t) mod N, c']`, a CNN layer's
//!   cross-correlation with circular padding.

use nalgebra::DMatrix;

use crate::model::{Grid, Layer, LayerVector, Model, ModelError};
use crate::scalar::Scalar;
use crate::strided_operators::{analysis_on_grids, synthesis_on_grids, synthesis_onto_length};
use crate::threshold::Threshold;

use crate::thresholding::Thresholding;

/// `D_i Γ` for a layer of the paper's geometry (stride 1, circular, so `N_{i-1} = N_i`): each
/// nonzero coefficient `Γ[p, c]` adds its atom `(p, c)`, the filter `f_{i,c}` placed at
/// positions `p, …, p + n_i - 1` (mod `N`). Zero coefficients cost nothing. A strided or
/// padded layer does not determine `N_{i-1}` from `N_i`: give it to [`synthesis_onto`].
pub fn synthesis<S: Scalar>(layer: &Layer<S>, gamma: &LayerVector<S>) -> LayerVector<S> {
    synthesis_onto(layer, gamma, gamma.length())
}

/// `D_i Γ` onto an input of `input_length` positions, with the layer's stride and padding:
/// [`strided_synthesis`](crate::strided_operators::strided_synthesis), summed in the same
/// order (`proofs/strided_dictionary.md`, S3, S6).
pub fn synthesis_onto<S: Scalar>(
    layer: &Layer<S>,
    gamma: &LayerVector<S>,
    input_length: usize,
) -> LayerVector<S> {
    synthesis_onto_length(layer, &layer.geometry(), input_length, gamma)
}

/// `D_i Γ` onto the input grid `input` (`proofs/two_dimensions.md`, G4): [`synthesis_onto`]
/// for an image layer or a vector of several rows. `Γ` must lie on the layer's output grid.
pub fn synthesis_onto_grid<S: Scalar>(
    layer: &Layer<S>,
    gamma: &LayerVector<S>,
    input: Grid,
) -> LayerVector<S> {
    synthesis_on_grids(layer, gamma, (input, gamma.grid()))
}

/// `D_iᵀ Z`: the inner product of `Z` with every atom `(p, c)`,
/// `(D_iᵀ Z)[p, c] = Σ_t Σ_{c'} f_{i,c}[t][c'] · Z[(p + t) mod N, c']` at the paper's geometry,
/// summed in that order; with a stride and padding, `Z` at `σ p + t − P^l` instead
/// ([`strided_analysis`](crate::strided_operators::strided_analysis);
/// `proofs/strided_dictionary.md`, S2, S6), and on an image layer the pairs of positions of
/// its grid ([`grid_analysis`](crate::strided_operators::grid_analysis);
/// `proofs/two_dimensions.md`, G4). The output has the layer's `N_i` positions; an input
/// whose grid the layer's geometry does not admit (never one of its model's) gives no
/// positions.
pub fn analysis<S: Scalar>(layer: &Layer<S>, z: &LayerVector<S>) -> LayerVector<S> {
    let output = if layer.has_paper_geometry() {
        z.grid()
    } else {
        layer
            .grid_geometry()
            .output_grid(0, z.grid(), layer.filter_shape())
            .unwrap_or(Grid::line(0))
    };
    analysis_on_grids(layer, z, (z.grid(), output))
}

/// `T_β(D_iᵀ Z)`, a layer of layered thresholding: the correlations with every atom, each
/// passed through the thresholding operator at its channel's threshold ([`Threshold::apply`]).
pub fn thresholded_analysis<S: Scalar>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
    thresholding: Thresholding,
    beta: &Threshold<S>,
) -> LayerVector<S> {
    beta.apply(thresholding, &analysis(layer, z))
}

/// The dense global dictionary `D_i ∈ R^{N m_{i-1} × N m_i}`; column `p · m_i + c` is the atom
/// `(p, c)`. For cross-checks only: its size is quadratic in `N`.
pub fn dense_dictionary<S: Scalar + nalgebra::Scalar>(
    layer: &Layer<S>,
    signal_length: usize,
) -> DMatrix<S> {
    let m_prev = layer.input_channels();
    let m = layer.filter_count();
    let mut matrix = DMatrix::from_element(signal_length * m_prev, signal_length * m, S::zero());
    for p in 0..signal_length {
        for c in 0..m {
            for t in 0..layer.filter_length() {
                for k in 0..m_prev {
                    let row = ((p + t) % signal_length) * m_prev + k;
                    let mut entry = matrix[(row, p * m + c)].clone();
                    entry += layer.tap(c, t, k);
                    matrix[(row, p * m + c)] = entry;
                }
            }
        }
    }
    matrix
}

/// The dense product `M v` of a matrix with a layer vector, as a layer vector of `channels`.
pub fn dense_apply<S: Scalar + nalgebra::Scalar>(
    matrix: &DMatrix<S>,
    v: &LayerVector<S>,
    channels: usize,
) -> LayerVector<S> {
    let rows = matrix.nrows();
    let mut out = Vec::with_capacity(rows);
    for r in 0..rows {
        let mut acc = S::zero();
        for (k, x) in v.entries().iter().enumerate() {
            S::multiply_accumulate(&mut acc, &matrix[(r, k)], x);
        }
        out.push(acc);
    }
    LayerVector::from_entries(rows / channels, channels, out).expect("rows are N · channels")
}

/// The synthesis chain of a model, owned here with the operators it composes.
impl<S: Scalar> Model<S> {
    /// The synthesis chain `[Γ_0 = X, Γ_1, …, Γ_K]` from the deepest representation `Γ_K`,
    /// by `Γ_{i-1} = D_i Γ_i`, each `Γ_i` of the model's `N_i` positions.
    pub fn synthesis_chain(
        &self,
        deepest: &LayerVector<S>,
    ) -> Result<Vec<LayerVector<S>>, ModelError> {
        let k = self.depth();
        if deepest.length() != self.length(k) || deepest.channels() != self.channels(k) {
            return Err(ModelError::VectorShape {
                what: format!("deepest representation Γ_{k}"),
                expected_length: self.length(k),
                expected_channels: self.channels(k),
                found_length: deepest.length(),
                found_channels: deepest.channels(),
            });
        }
        let mut chain = vec![
            deepest
                .clone()
                .on_grid(self.grid(k))
                .expect("N_K positions"),
        ];
        for i in (1..=k).rev() {
            let next = synthesis_onto_grid(self.layer(i), &chain[0], self.grid(i - 1));
            chain.insert(0, next);
        }
        Ok(chain)
    }
}
