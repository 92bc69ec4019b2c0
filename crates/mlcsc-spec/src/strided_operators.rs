//! The dictionary `D_i` of a strided, padded layer and its adjoint `D_iᵀ` as local loops, and
//! the dense matrix that cross-checks them (`proofs/strided_dictionary.md`).
//!
//! With stride `σ`, padding `(P^l, P^r)` and input length `N = N_{i-1}` ([`Geometry`]):
//!
//! - Analysis, PyTorch's `conv1d(stride, padding)`:
//!   `(W ⋆ Z)[c, p] = Σ_{c'} Σ_{t=0}^{n-1} W[c, c', t] · Z̃[c', σ p + t − P^l] = (Dᵀ Z)[p, c]`.
//! - Synthesis, PyTorch's `conv_transpose1d` with the same stride and padding (cropped to `N`
//!   for zero padding): `(D Γ)[q, c'] = Σ_c Σ_p Σ_{t : σ p + t − P^l ≡ q} W[c, c', t] · Γ[p, c]`.
//!
//! Here `W[c, c', t]` is the filter entry `f_{i,c}[t][c']` ([`Layer::tap`]); vectors are
//! position-major with the channel fastest, as [`LayerVector`]. At the default geometry
//! (stride 1, circular) they are [`crate::operators::analysis`] and
//! [`crate::operators::synthesis`], which call them (`proofs/strided_dictionary.md`, S6).

use crate::model::{FilterShape, Geometry, Grid, GridGeometry, Layer, LayerVector, ModelError};
use crate::scalar::Scalar;

pub use crate::strided_dense_dictionary::strided_dense_dictionary;

/// `Dᵀ Z` of layer `layer_number` (from 1, for error messages) with `geometry`: the
/// correlation of `Z` (`N_{i-1} × m_{i-1}`) with every atom `d_{c,p}`, an `N_i × m_i` vector,
/// `(Dᵀ Z)[p, c] = Σ_t Σ_{c'} W[c, c', t] · Z̃[c', σ p + t − P^l]`, summed in that order over
/// the taps that land inside the signal (`proofs/strided_dictionary.md`, S2). Errors: those
/// of [`Geometry::output_length`], and a `Z` with other than `m_{i-1}` channels.
pub fn strided_analysis<S: Scalar>(
    layer_number: usize,
    layer: &Layer<S>,
    geometry: &Geometry,
    z: &LayerVector<S>,
) -> Result<LayerVector<S>, ModelError> {
    let output_length = geometry.output_length(layer_number, z.length(), layer.filter_length())?;
    check_channels(layer_number, "input Z", z, layer.input_channels())?;
    Ok(analysis_with_output_length(
        layer,
        geometry,
        z,
        output_length,
    ))
}

/// [`strided_analysis`] once the output length `N_i` is known and the shapes are checked.
pub(crate) fn analysis_with_output_length<S: Scalar>(
    layer: &Layer<S>,
    geometry: &Geometry,
    z: &LayerVector<S>,
    output_length: usize,
) -> LayerVector<S> {
    let grids = (Grid::line(z.length()), Grid::line(output_length));
    let filter = FilterShape::line(layer.filter_length());
    analysis_with(layer, &GridGeometry::line(*geometry), filter, z, grids)
}

/// `Dᵀ Z` of an image layer (`proofs/two_dimensions.md`) with the layer's own
/// [`GridGeometry`] and filter shape, `Z` on its grid (`H × W`, row-major):
/// `(Dᵀ Z)[(r, c), k] = Σ_{(i, j)} Σ_{c'} W[k, c', (i, j)] · Z̃[c', (σ_h r + i − P^t, σ_w c + j − P^l)]`.
/// A one-dimensional layer and vector give [`strided_analysis`]. Errors: those of
/// [`GridGeometry::output_grid`], and a `Z` with other than `m_{i-1}` channels.
pub fn grid_analysis<S: Scalar>(
    layer_number: usize,
    layer: &Layer<S>,
    z: &LayerVector<S>,
) -> Result<LayerVector<S>, ModelError> {
    let geometry = layer.grid_geometry();
    let output = geometry.output_grid(layer_number, z.grid(), layer.filter_shape())?;
    check_channels(layer_number, "input Z", z, layer.input_channels())?;
    Ok(analysis_on_grids(layer, z, (z.grid(), output)))
}

/// `Dᵀ Z` of a layer with its own geometry and filter shape on the grids `(input, output)`,
/// the shapes checked.
pub(crate) fn analysis_on_grids<S: Scalar>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
    grids: (Grid, Grid),
) -> LayerVector<S> {
    analysis_with(
        layer,
        &layer.grid_geometry(),
        layer.filter_shape(),
        z,
        grids,
    )
}

/// `Dᵀ Z` on the grids `(input, output)`, the shapes checked: each output position's taps
/// land by [`GridGeometry::input_position`], and the `m` filters share those input rows.
fn analysis_with<S: Scalar>(
    layer: &Layer<S>,
    geometry: &GridGeometry,
    filter: FilterShape,
    z: &LayerVector<S>,
    (input, output): (Grid, Grid),
) -> LayerVector<S> {
    let m_prev = layer.input_channels();
    let m = layer.filter_count();
    let n = layer.filter_length();
    let mut out = LayerVector::zeros_on(output, m);
    let out_entries = out.entries_mut();
    // The input rows under the taps of position `p` (empty for a dropped tap), shared by the
    // `m` filters.
    let mut rows: Vec<&[S]> = Vec::with_capacity(n);
    for p in 0..output.positions() {
        rows.clear();
        rows.extend((0..n).map(|t| {
            geometry
                .input_position(p, t, input, output, filter)
                .map_or(&[][..], |q| z.at_position(q))
        }));
        for c in 0..m {
            let filter = layer.filter(c);
            out_entries[p * m + c] = S::dot(
                filter
                    .chunks_exact(m_prev)
                    .zip(&rows)
                    .flat_map(|(taps, row)| taps.iter().zip(*row)),
            );
        }
    }
    out
}

/// `D Γ` of layer `layer_number` (from 1, for error messages) with `geometry`, onto an input of
/// `input_length` positions: each nonzero coefficient `Γ[p, c]` adds its atom `d_{c,p}`,
/// `W[c, ·, t]` at input position `σ p + t − P^l` (modulo `N` when circular, dropped outside
/// `[0, N)` otherwise), in the order `p`, `c`, `t`, `c'` (`proofs/strided_dictionary.md`, S3).
/// Errors: those of [`Geometry::output_length`], and a `Γ` of other than `N_i × m_i`.
pub fn strided_synthesis<S: Scalar>(
    layer_number: usize,
    layer: &Layer<S>,
    geometry: &Geometry,
    input_length: usize,
    gamma: &LayerVector<S>,
) -> Result<LayerVector<S>, ModelError> {
    let output_length =
        geometry.output_length(layer_number, input_length, layer.filter_length())?;
    if gamma.length() != output_length || gamma.channels() != layer.filter_count() {
        return Err(ModelError::VectorShape {
            what: format!("layer {layer_number}: coefficients Γ"),
            expected_length: output_length,
            expected_channels: layer.filter_count(),
            found_length: gamma.length(),
            found_channels: gamma.channels(),
        });
    }
    Ok(synthesis_onto_length(layer, geometry, input_length, gamma))
}

/// [`strided_synthesis`] once the shapes are checked.
pub(crate) fn synthesis_onto_length<S: Scalar>(
    layer: &Layer<S>,
    geometry: &Geometry,
    input_length: usize,
    gamma: &LayerVector<S>,
) -> LayerVector<S> {
    let grids = (Grid::line(input_length), Grid::line(gamma.length()));
    let filter = FilterShape::line(layer.filter_length());
    synthesis_with(layer, &GridGeometry::line(*geometry), filter, gamma, grids)
}

/// `D Γ` of an image layer onto the input grid `input` (`proofs/two_dimensions.md`), with
/// the layer's own [`GridGeometry`] and filter shape: each nonzero `Γ[(r, c), k]` adds its
/// atom at `(σ_h r + i − P^t, σ_w c + j − P^l)` for every tap `(i, j)` that lands. A
/// one-dimensional layer and vector give [`strided_synthesis`]. Errors: those of
/// [`GridGeometry::output_grid`], and a `Γ` not on the output grid with `m_i` channels.
pub fn grid_synthesis<S: Scalar>(
    layer_number: usize,
    layer: &Layer<S>,
    input: Grid,
    gamma: &LayerVector<S>,
) -> Result<LayerVector<S>, ModelError> {
    let geometry = layer.grid_geometry();
    let output = geometry.output_grid(layer_number, input, layer.filter_shape())?;
    if gamma.grid() != output || gamma.channels() != layer.filter_count() {
        return Err(ModelError::VectorShape {
            what: format!("layer {layer_number}: coefficients Γ"),
            expected_length: output.positions(),
            expected_channels: layer.filter_count(),
            found_length: gamma.length(),
            found_channels: gamma.channels(),
        });
    }
    Ok(synthesis_on_grids(layer, gamma, (input, output)))
}

/// `D Γ` of a layer with its own geometry and filter shape on the grids `(input, output)`,
/// the shapes checked.
pub(crate) fn synthesis_on_grids<S: Scalar>(
    layer: &Layer<S>,
    gamma: &LayerVector<S>,
    grids: (Grid, Grid),
) -> LayerVector<S> {
    synthesis_with(
        layer,
        &layer.grid_geometry(),
        layer.filter_shape(),
        gamma,
        grids,
    )
}

/// `D Γ` on the grids `(input, output)`, the shapes checked.
fn synthesis_with<S: Scalar>(
    layer: &Layer<S>,
    geometry: &GridGeometry,
    filter: FilterShape,
    gamma: &LayerVector<S>,
    (input, output): (Grid, Grid),
) -> LayerVector<S> {
    let m_prev = layer.input_channels();
    let n = layer.filter_length();
    let mut out = LayerVector::zeros_on(input, m_prev);
    let out_entries = out.entries_mut();
    // The input positions under the taps of position `p`, shared by the `m` filters.
    let mut positions: Vec<Option<usize>> = Vec::with_capacity(n);
    for p in 0..output.positions() {
        // A position whose coefficients all vanish adds nothing (Γ is sparse).
        if gamma.at_position(p).iter().all(S::is_zero) {
            continue;
        }
        positions.clear();
        positions.extend((0..n).map(|t| geometry.input_position(p, t, input, output, filter)));
        for (c, coefficient) in gamma.at_position(p).iter().enumerate() {
            if coefficient.is_zero() {
                continue;
            }
            let taps_of = layer.filter(c);
            for (taps, position) in taps_of.chunks_exact(m_prev).zip(&positions) {
                let Some(position) = *position else {
                    continue;
                };
                let row = &mut out_entries[position * m_prev..(position + 1) * m_prev];
                for (entry, tap) in row.iter_mut().zip(taps) {
                    S::multiply_accumulate(entry, coefficient, tap);
                }
            }
        }
    }
    out
}

/// `Ok` when `vector` has `channels` channels; else the shape error naming the layer.
pub(crate) fn check_channels<S: Scalar>(
    layer_number: usize,
    what: &str,
    vector: &LayerVector<S>,
    channels: usize,
) -> Result<(), ModelError> {
    if vector.channels() == channels {
        return Ok(());
    }
    Err(ModelError::VectorShape {
        what: format!("layer {layer_number}: {what}"),
        expected_length: vector.length(),
        expected_channels: channels,
        found_length: vector.length(),
        found_channels: vector.channels(),
    })
}
