//! Fast kernels for the operators, the norms and layered thresholding in `f64` (and `f32`, in
//! [`single`]), property-tested against the plain ones (`tests/all/fast_paths.rs`).
//!
//! # One layout for `D` and `Dᵀ`
//!
//! Layer vectors are stored position-major, so the `n` consecutive positions
//! `Z[p..p+n-1, :]` are one contiguous run of `n · m_{i-1}` numbers: the im2col row of
//! position `p` is a window of `Z` itself. Both operators (docs/math.md §1) are therefore one
//! matrix product `out = A W` whose rows overlap in memory, with no im2col matrix at all:
//!
//! - analysis, `(D_iᵀ Z)[p, c] = Σ_{t, c'} f_{i,c}[t][c'] · Z[p + t, c']`: row `p` of `A` is
//!   `Z[p..p+n-1, :]` and column `c` of `W` is the filter `f_{i,c}`, `K = n_i m_{i-1}`;
//! - synthesis, `(D_i Γ)[q, c'] = Σ_{t, c} f_{i,c}[t][c'] · Γ[q - t, c]`: with `s = n - 1 - t`,
//!   row `q` of `A` is `Γ[q-n+1..q, :]` and `W[(s, c), c'] = f_{i,c}[n-1-s][c']`,
//!   `K = n_i m_i`.
//!
//! Rows whose window does not wrap around the period read `Z` in place; the `n - 1` rows that
//! wrap read a small copy of the `2(n - 1)` positions around the seam. `W` is packed once per
//! operator; the product runs a register-blocked kernel ([`kernel`]) with fused multiply-adds,
//! on the vector instructions found at run time, over blocks of 1024 positions that rayon runs
//! in parallel; each block is thresholded while it is still in cache.
//!
//! # Memory
//!
//! The `_into` forms write into a vector the caller keeps, so a computation repeated over
//! layers or passes allocates nothing in its steady state (no page faults, no zeroing). The
//! extra memory of an operator is the seam copy and its packed `W`; of a norm, one `N`-vector.
//!
//! Results agree with [`crate::operators`], [`crate::norms`] and
//! [`mlcsc_spec::pursuit::layered_thresholding`] up to the order of floating-point summation
//! (within [`crate::tolerance::OPERATOR_AGREEMENT_RELATIVE`]); counts of nonzeros agree exactly.

pub mod correlation;
pub mod dot_kernel;
pub mod forward_pass;
pub mod image;
pub mod image_kernel;
pub mod kernel;
#[cfg(test)]
mod kernel_order;
pub mod norms;
pub mod peak;
mod prefetch;
mod report_windows;
pub mod simd;
pub mod single;
pub mod threshold;

use crate::model::{Layer, LayerVector, Model};
use crate::thresholding::Thresholding;
use mlcsc_spec::threshold::Threshold;

use correlation::Correlation;
use norms::{
    difference_energies, energies, nonzeros_per_position, windowed_count_maximum, windowed_maximum,
};

fn assert_channels(found: usize, expected: usize, what: &str) {
    assert_eq!(
        found, expected,
        "{what} has {found} channels, the layer expects {expected}"
    );
}

/// Makes `out` an `N × m` vector, reusing its memory when it already has that shape (its
/// entries are then left as they are, for the caller to overwrite).
fn shaped(out: &mut LayerVector<f64>, length: usize, channels: usize) {
    if out.length() != length || out.channels() != channels || !out.is_line() {
        *out = LayerVector::zeros(length, channels);
    }
}

/// `D_i Γ` (fast `f64`).
///
/// # Panics
///
/// If `Γ` does not have `m_i` channels.
pub fn synthesis(layer: &Layer<f64>, gamma: &LayerVector<f64>) -> LayerVector<f64> {
    let mut out = LayerVector::zeros(0, 0);
    synthesis_into(layer, gamma, &mut out);
    out
}

/// `D_i Γ` written into `out` (reshaped to `N × m_{i-1}` if needed, every entry overwritten).
///
/// # Panics
///
/// If `Γ` does not have `m_i` channels.
pub fn synthesis_into(layer: &Layer<f64>, gamma: &LayerVector<f64>, out: &mut LayerVector<f64>) {
    assert_channels(gamma.channels(), layer.filter_count(), "Γ");
    shaped(out, gamma.length(), layer.input_channels());
    Correlation::<f64>::synthesis(layer).correlate(
        gamma.entries(),
        gamma.length(),
        out.entries_mut(),
        &|_: &mut [f64]| {},
    );
}

/// `D_iᵀ Z` (fast `f64`).
///
/// # Panics
///
/// If `Z` does not have `m_{i-1}` channels.
pub fn analysis(layer: &Layer<f64>, z: &LayerVector<f64>) -> LayerVector<f64> {
    thresholded_analysis(layer, z, None)
}

/// `T_β(D_iᵀ Z)`, thresholding each block as soon as it is computed; `None` leaves `D_iᵀ Z`.
///
/// # Panics
///
/// If `Z` does not have `m_{i-1}` channels.
pub fn thresholded_analysis(
    layer: &Layer<f64>,
    z: &LayerVector<f64>,
    threshold: Option<(Thresholding, f64)>,
) -> LayerVector<f64> {
    let mut out = LayerVector::zeros(0, 0);
    thresholded_analysis_into(layer, z, threshold, &mut out);
    out
}

/// [`thresholded_analysis`] written into `out` (reshaped to `N × m_i` if needed, every entry
/// overwritten).
///
/// # Panics
///
/// If `Z` does not have `m_{i-1}` channels.
pub fn thresholded_analysis_into(
    layer: &Layer<f64>,
    z: &LayerVector<f64>,
    threshold: Option<(Thresholding, f64)>,
    out: &mut LayerVector<f64>,
) {
    assert_channels(z.channels(), layer.input_channels(), "Z");
    if !(layer.has_paper_geometry() && z.is_line()) {
        // A strided, padded or image layer takes the specification's loop.
        *out = mlcsc_spec::operators::analysis(layer, z);
        if let Some((thresholding, beta)) = threshold {
            threshold_in_place(out.entries_mut(), thresholding, beta);
        }
        return;
    }
    shaped(out, z.length(), layer.filter_count());
    let finish = |block: &mut [f64]| {
        if let Some((thresholding, beta)) = threshold {
            threshold::threshold_entries(block, thresholding, beta);
        }
    };
    Correlation::<f64>::analysis(layer).correlate(
        z.entries(),
        z.length(),
        out.entries_mut(),
        &finish,
    );
}

/// `T_β(D_iᵀ Z)` with channel `c` thresholded at `β_{i,c}`: the fused [`thresholded_analysis`]
/// for a threshold shared by the channels, [`analysis`] thresholded channel by channel
/// otherwise.
///
/// # Panics
///
/// If `Z` does not have `m_{i-1}` channels.
pub fn thresholded_analysis_at(
    layer: &Layer<f64>,
    z: &LayerVector<f64>,
    thresholding: Thresholding,
    beta: &Threshold<f64>,
) -> LayerVector<f64> {
    let mut out = LayerVector::zeros(0, 0);
    thresholded_analysis_at_into(layer, z, thresholding, beta, &mut out);
    out
}

/// [`thresholded_analysis_at`] written into `out`.
fn thresholded_analysis_at_into(
    layer: &Layer<f64>,
    z: &LayerVector<f64>,
    thresholding: Thresholding,
    beta: &Threshold<f64>,
    out: &mut LayerVector<f64>,
) {
    match beta {
        Threshold::Shared(beta) => {
            thresholded_analysis_into(layer, z, Some((thresholding, *beta)), out);
        }
        Threshold::PerChannel(values) => {
            thresholded_analysis_into(layer, z, None, out);
            let channels = out.channels();
            for (k, value) in out.entries_mut().iter_mut().enumerate() {
                *value = thresholding.apply(value, &values[k % channels]);
            }
        }
    }
}

/// Applies `H_β`, `S_β` or `S⁺_β` to every entry, in place (docs/math.md §4).
pub fn threshold_in_place(values: &mut [f64], thresholding: Thresholding, beta: f64) {
    threshold::threshold_entries(values, thresholding, beta);
}

/// The synthesis chain without its last element: `[Γ_0 = X, Γ_1, …, Γ_{K-1}]` from `Γ_K`
/// (the caller holds `Γ_K`; no copy of it is made).
pub fn synthesis_chain(model: &Model<f64>, deepest: &LayerVector<f64>) -> Vec<LayerVector<f64>> {
    let mut chain = Vec::new();
    synthesis_chain_into(model, deepest, &mut chain);
    chain
}

/// [`synthesis_chain`] written into `chain`, reusing its vectors.
pub fn synthesis_chain_into(
    model: &Model<f64>,
    deepest: &LayerVector<f64>,
    chain: &mut Vec<LayerVector<f64>>,
) {
    let depth = model.depth();
    chain.resize_with(depth, || LayerVector::zeros(0, 0));
    for i in (1..=depth).rev() {
        let (lower, upper) = chain.split_at_mut(i);
        let input = upper.first().unwrap_or(deepest);
        let layer = model.layer(i);
        if layer.has_paper_geometry() && input.is_line() {
            synthesis_into(layer, input, &mut lower[i - 1]);
        } else {
            // A strided, padded or image layer takes the specification's loop onto its grid.
            let grid = model.grid(i - 1);
            lower[i - 1] = mlcsc_spec::operators::synthesis_onto_grid(layer, input, grid);
        }
    }
}

/// Layered thresholding `Γ̂_i = T_{β_i}(D_iᵀ Γ̂_{i-1})`, `Γ̂_0 = Y` (fast `f64`).
///
/// # Panics
///
/// If there is not one threshold per layer.
pub fn layered_thresholding(
    model: &Model<f64>,
    signal: &LayerVector<f64>,
    thresholds: &[Threshold<f64>],
    thresholding: Thresholding,
) -> Vec<LayerVector<f64>> {
    let mut estimates = Vec::new();
    layered_thresholding_into(model, signal, thresholds, thresholding, &mut estimates);
    estimates
}

/// [`layered_thresholding`] written into `estimates`, reusing its vectors.
///
/// # Panics
///
/// If there is not one threshold per layer.
pub fn layered_thresholding_into(
    model: &Model<f64>,
    signal: &LayerVector<f64>,
    thresholds: &[Threshold<f64>],
    thresholding: Thresholding,
    estimates: &mut Vec<LayerVector<f64>>,
) {
    assert_eq!(thresholds.len(), model.depth(), "one threshold per layer");
    estimates.resize_with(model.depth(), || LayerVector::zeros(0, 0));
    for (i, (layer, beta)) in model.layers().iter().zip(thresholds).enumerate() {
        let (lower, upper) = estimates.split_at_mut(i);
        let input = lower.last().unwrap_or(signal);
        thresholded_analysis_at_into(layer, input, thresholding, beta, &mut upper[0]);
    }
}

/// `(‖Z‖^P_{2,∞}(w))²` (fast `f64`, docs/math.md §2).
pub fn patch_norm_squared(z: &LayerVector<f64>, width: usize) -> f64 {
    windowed_maximum(&energies(z.entries(), z.channels()), width)
}

/// `(‖A − B‖^P_{2,∞}(w))²` without forming `A − B`.
///
/// # Panics
///
/// If the shapes differ.
pub fn difference_patch_norm_squared(
    a: &LayerVector<f64>,
    b: &LayerVector<f64>,
    width: usize,
) -> f64 {
    assert!(
        a.length() == b.length() && a.channels() == b.channels(),
        "shapes differ"
    );
    windowed_maximum(
        &difference_energies(a.entries(), b.entries(), a.channels()),
        width,
    )
}

/// `‖Z‖^P_{0,∞}(w)` (exact count).
pub fn patch_sparsity(z: &LayerVector<f64>, width: usize) -> usize {
    windowed_count_maximum(&nonzeros_per_position(z.entries(), z.channels()), width)
}

/// `(‖Γ‖^S_{0,∞}, ‖Γ‖^P_{0,∞}(w))` for filter length `n` from one pass over `Γ`.
pub fn stripe_and_patch_sparsity(
    gamma: &LayerVector<f64>,
    filter_length: usize,
    width: usize,
) -> (usize, usize) {
    let counts = nonzeros_per_position(gamma.entries(), gamma.channels());
    (
        windowed_count_maximum(&counts, 2 * filter_length - 1),
        windowed_count_maximum(&counts, width),
    )
}

/// `‖Γ‖^S_{0,∞}` for filter length `n`: nonzeros in a stripe of `2n − 1` positions.
pub fn stripe_sparsity(gamma: &LayerVector<f64>, filter_length: usize) -> usize {
    patch_sparsity(gamma, 2 * filter_length - 1)
}
