//! The local norms of a layer of any stride and padding (`proofs/strided_norms.md`), built on
//! the stripes and patches of [`Geometry`] (`proofs/strided_dictionary.md`, S5).
//!
//! - `s_i = ‖Γ_i‖^S_{0,∞}`: the largest number of nonzeros of `Γ_i` (all channels) over the
//!   stripes `{p' : |p' − p| ≤ ⌊(n_i − 1)/σ_i⌋}` (cyclic when circular, clipped otherwise);
//! - `(‖Z‖^P_{2,∞})²`: the largest energy of `Z` (all channels) over the supports of the atoms
//!   of the layer that reads `Z`, the patches `σ p − P^l, …, σ p − P^l + n − 1` that exist;
//! - `p_i = ‖Γ_i‖^P_{0,∞}`: the largest number of nonzeros of `Γ_i` over the supports of the
//!   atoms of layer `i + 1`.
//!
//! At stride 1 with circular padding each is the norm of [`crate::norms`] (N1–N4 of the proof).

use crate::model::{Geometry, Layer, LayerVector, ModelError, Padding};
use crate::scalar::Scalar;
use crate::strided_operators::check_channels;

/// The number of nonzeros of `Γ` (all channels) in the stripe of code position `p` of
/// `layer`: over the positions `{p' : |p' − p| ≤ ⌊(n − 1)/σ⌋}` of [`Geometry::stripe_positions`]
/// (cyclic when circular, clipped to `[0, N_i)` otherwise), each counted once. These are the
/// positions of the atoms that can meet an atom at `p` (`proofs/strided_norms.md`, N1).
pub fn strided_stripe_count_at<S: Scalar>(
    gamma: &LayerVector<S>,
    layer: &Layer<S>,
    p: usize,
) -> usize {
    layer
        .geometry()
        .stripe_positions(p, gamma.length(), layer.filter_length())
        .into_iter()
        .map(|position| nonzeros_at(gamma, position))
        .sum()
}

/// `s_i = ‖Γ_i‖^S_{0,∞}` for the coefficients `Γ_i` of `layer`: "the largest number of nonzeros
/// of `Γ_i` (all channels) over the stripes of code positions `{p' : |p' − p| ≤ ⌊(n_i − 1)/σ_i⌋}`
/// (cyclic when circular, clipped at the edges otherwise)", the maximum of
/// [`strided_stripe_count_at`] over `p < N_i`; 0 when `Γ_i` has no positions. At stride 1 with
/// circular padding it is [`crate::norms::stripe_sparsity`] (`proofs/strided_norms.md`, N1, N4).
pub fn strided_stripe_sparsity<S: Scalar>(gamma: &LayerVector<S>, layer: &Layer<S>) -> usize {
    (0..gamma.length())
        .map(|p| strided_stripe_count_at(gamma, layer, p))
        .max()
        .unwrap_or(0)
}

/// `(‖Z‖^P_{2,∞})²` over the atom supports of `layer` (number `layer_number`, from 1, for error
/// messages), which reads `Z`: "the largest `Σ z²` over the input positions `patch_positions(p)`
/// (all `m_{i-1}` channels) over code positions `p = 0..N_i`", with `N_{i-1} = Z.length()`
/// (`proofs/strided_norms.md`, N2). It bounds `|⟨d, Z⟩| ≤ ‖d‖₂ · ‖Z‖^P_{2,∞}` for every atom `d`
/// of the layer. At stride 1 with circular padding it is [`crate::norms::patch_norm_squared`]
/// at width `n_i` (N4). Errors: those of [`Geometry::output_length`], and a `Z` with other than
/// `m_{i-1}` channels.
pub fn atom_support_patch_norm_squared<S: Scalar>(
    layer_number: usize,
    layer: &Layer<S>,
    z: &LayerVector<S>,
) -> Result<S, ModelError> {
    let geometry = layer.geometry();
    let n = layer.filter_length();
    let output_length = geometry.output_length(layer_number, z.length(), n)?;
    check_channels(layer_number, "Z", z, layer.input_channels())?;
    let energies = energies_per_position(z);
    Ok(atom_support_maximum(
        &energies,
        &geometry,
        n,
        output_length,
        S::zero(),
    ))
}

/// `(‖Z‖^P_{2,∞})²` over any window: "the largest `Σ z²` (all channels) over all windows of
/// `n` consecutive positions" of `Z`, `n = n_i` the filter length of `layer`; cyclic windows
/// when the layer is circular, windows inside `[0, N_{i-1})` otherwise (the whole of `Z` when
/// `n ≥ N_{i-1}`). Every atom support lies in such a window, so it bounds
/// [`atom_support_patch_norm_squared`] from above (`proofs/strided_norms.md`, N3); at stride 1
/// with circular padding the two are equal, and equal to [`crate::norms::patch_norm_squared`]
/// (N4).
pub fn any_window_patch_norm_squared<S: Scalar>(z: &LayerVector<S>, layer: &Layer<S>) -> S {
    let energies = energies_per_position(z);
    let length = energies.len();
    let width = layer.filter_length().min(length);
    if width == 0 {
        return S::zero();
    }
    let starts = match layer.geometry().padding {
        Padding::Circular => length,
        Padding::Zero { .. } | Padding::Valid => length - width + 1,
    };
    let mut best = S::zero();
    for start in 0..starts {
        let mut window = S::zero();
        for offset in 0..width {
            window += &energies[(start + offset) % length];
        }
        if window > best {
            best = window;
        }
    }
    best
}

/// `p_i = ‖Γ_i‖^P_{0,∞}` over the atom supports of `next_layer` (layer `i + 1`, number
/// `next_layer_number` from 1, for error messages), which reads `Γ_i`: "the largest number of
/// nonzeros of `Γ_i` inside one support of a layer-`(i+1)` atom", the `n_{i+1}` positions
/// `patch_positions(p)` of the next layer's geometry at stride `σ_{i+1}`, all `m_i` channels,
/// over `p < N_{i+1}` (`proofs/strided_norms.md`, N2). At stride 1 with circular padding it is
/// [`crate::norms::patch_sparsity`] at width `n_{i+1}` (N4). Errors: those of
/// [`Geometry::output_length`], and a `Γ_i` with other than `m_i` channels.
pub fn strided_patch_sparsity<S: Scalar>(
    next_layer_number: usize,
    gamma: &LayerVector<S>,
    next_layer: &Layer<S>,
) -> Result<usize, ModelError> {
    let geometry = next_layer.geometry();
    let n = next_layer.filter_length();
    let output_length = geometry.output_length(next_layer_number, gamma.length(), n)?;
    check_channels(
        next_layer_number,
        "Γ (its input)",
        gamma,
        next_layer.input_channels(),
    )?;
    let counts: Vec<usize> = (0..gamma.length()).map(|q| nonzeros_at(gamma, q)).collect();
    Ok(atom_support_maximum(
        &counts,
        &geometry,
        n,
        output_length,
        0,
    ))
}

/// The largest sum of `per_position` over the patches of code positions `0..output_length`
/// ([`Geometry::patch_positions`] on an input of `per_position.len()` positions); `zero` when
/// there are none.
fn atom_support_maximum<T>(
    per_position: &[T],
    geometry: &Geometry,
    filter_length: usize,
    output_length: usize,
    zero: T,
) -> T
where
    T: Clone + PartialOrd + for<'a> std::ops::AddAssign<&'a T>,
{
    let mut best = zero.clone();
    for p in 0..output_length {
        let mut sum = zero.clone();
        for q in geometry.patch_positions(p, per_position.len(), filter_length) {
            sum += &per_position[q];
        }
        if sum > best {
            best = sum;
        }
    }
    best
}

/// `Σ_c z[q, c]²` for every position `q`.
fn energies_per_position<S: Scalar>(z: &LayerVector<S>) -> Vec<S> {
    (0..z.length())
        .map(|q| {
            let mut energy = S::zero();
            for v in z.at_position(q) {
                S::multiply_accumulate(&mut energy, v, v);
            }
            energy
        })
        .collect()
}

fn nonzeros_at<S: Scalar>(vector: &LayerVector<S>, position: usize) -> usize {
    vector
        .at_position(position)
        .iter()
        .filter(|v| !v.is_zero())
        .count()
}
