//! Mutual coherence of a strided layer, per atom and in all, and its Welch-type lower bound
//! (`proofs/strided_coherence.md`).
//!
//! For unit-norm filters `f_c` (`c < m = m_i`, `n = n_i` taps over `m_prev = m_{i-1}` input
//! channels) and stride `σ` (`Layer::geometry`), the strided coherence is
//!
//! `μ = max |Σ_{c''} Σ_t f_c[t][c''] · f_{c'}[t+δ][c'']|` over `c, c' ∈ [m]`, `δ ∈ σℤ`,
//! `|δ| ≤ n − 1`, `(c, δ) ≠ (c', 0)`,
//!
//! with taps outside `[0, n)` read as 0. For a circular layer with `N_{i-1} ≥ 2n − 1` and
//! `σ | N_{i-1}` it is the largest off-diagonal `|Gram|` entry of the dictionary of unit atoms;
//! for a valid layer it bounds every such entry; for zero padding it says nothing about the
//! normalised truncated border atoms (`proofs/strided_coherence.md`, C1, C2). The padding
//! does not enter the computation. At stride 1 it is [`crate::coherence::mutual_coherence`].

use num_bigint::BigInt;

use crate::coherence::filter_correlation;
use crate::model::{FilterShape, Layer};
use crate::scalar::{Rational, Scalar};

/// The correlation of filter `c` with filter `c_other` displaced by `delta`:
/// `Σ_t Σ_{c''} f_c[t][c''] · f_{c_other}[t+δ][c'']`, taps outside `[0, n)` read as 0. For
/// `δ < 0` it is the correlation of `c_other` with `c` displaced by `−δ`.
pub fn displaced_correlation<S: Scalar>(
    layer: &Layer<S>,
    c: usize,
    c_other: usize,
    delta: isize,
) -> S {
    if delta >= 0 {
        filter_correlation(layer, c, c_other, delta.unsigned_abs())
    } else {
        filter_correlation(layer, c_other, c, delta.unsigned_abs())
    }
}

/// The correlation of an image filter `c` with `c_other` displaced by `(δ_h, δ_w)`
/// (`proofs/two_dimensions.md`, G5): `Σ_{(i, j)} Σ_{c''} f_c[(i, j)][c''] ·
/// f_{c_other}[(i + δ_h, j + δ_w)][c'']` over the taps where both exist, row by row. For a
/// one-row filter and `δ_h = 0` it is [`displaced_correlation`], term for term.
pub fn grid_displaced_correlation<S: Scalar>(
    layer: &Layer<S>,
    c: usize,
    c_other: usize,
    (delta_rows, delta_columns): (isize, isize),
) -> S {
    let shape = layer.filter_shape();
    let m_prev = layer.input_channels();
    let (first, second) = (layer.filter(c), layer.filter(c_other));
    // The taps `x` of one axis with `x + δ` also a tap: `max(0, −δ) ≤ x < min(n, n − δ)`.
    let range = |size: usize, delta: isize| {
        let size = size as isize;
        (0.max(-delta) as usize)..(size.min(size - delta).max(0) as usize)
    };
    let columns = range(shape.columns, delta_columns);
    let (start, width) = (columns.start, columns.len());
    let pairs = range(shape.rows, delta_rows).flat_map(move |i| {
        let here = (i * shape.columns + start) * m_prev;
        let row = i.wrapping_add_signed(delta_rows);
        let there = (row * shape.columns + start.wrapping_add_signed(delta_columns)) * m_prev;
        first[here..here + width * m_prev]
            .iter()
            .zip(&second[there..there + width * m_prev])
    });
    S::dot(pairs)
}

/// The displacements `δ ∈ σℤ` with `|δ| ≤ n − 1`, from the most negative (σ = 0 is read as 1).
pub fn strided_displacements(filter_length: usize, stride: usize) -> Vec<isize> {
    let stride = stride.max(1);
    let reach = (filter_length.saturating_sub(1) / stride) as isize;
    let step = stride as isize;
    (-reach..=reach).map(|k| k * step).collect()
}

/// `μ_c`, the coherence of the atoms of output channel `c` (`proofs/strided_coherence.md`,
/// C1): `max |Σ_{c''} Σ_t f_c[t][c''] · f_{c'}[t+δ][c'']|` over `c' ∈ [m]`, `δ ∈ σℤ`,
/// `|δ| ≤ n − 1`, `(c, δ) ≠ (c', 0)`; 0 when the set is empty. It is the largest off-diagonal
/// `|Gram|` entry in the row of an atom of channel `c` under the hypotheses of C1.
pub fn atom_coherence<S: Scalar>(layer: &Layer<S>, c: usize) -> S {
    let displacements = layer.grid_geometry().displacements(layer.filter_shape());
    let mut best = S::zero();
    for delta in displacements {
        for c_other in 0..layer.filter_count() {
            if delta == (0, 0) && c_other == c {
                continue;
            }
            let value = grid_displaced_correlation(layer, c, c_other, delta).abs();
            if value > best {
                best = value;
            }
        }
    }
    best
}

/// `(μ_0, …, μ_{m-1})`, [`atom_coherence`] of every output channel: the row maxima of the Gram
/// matrix, one per channel (`proofs/strided_coherence.md`, C1). Their maximum is
/// [`strided_coherence`].
pub fn channel_coherence<S: Scalar>(layer: &Layer<S>) -> Vec<S> {
    (0..layer.filter_count())
        .map(|c| atom_coherence(layer, c))
        .collect()
}

/// `μ`, the strided coherence: `max |Σ_{c''} Σ_t f_c[t][c''] · f_{c'}[t+δ][c'']|` over
/// `c, c' ∈ [m]`, `δ ∈ σℤ`, `|δ| ≤ n − 1`, `(c, δ) ≠ (c', 0)`, with `σ` the layer's stride; 0
/// when the set is empty (`proofs/strided_coherence.md`, C1). At `σ = 1` it equals
/// [`crate::coherence::mutual_coherence`] exactly (the same correlations, computed the same
/// way).
pub fn strided_coherence<S: Scalar>(layer: &Layer<S>) -> S {
    let mut best = S::zero();
    for value in channel_coherence(layer) {
        if value > best {
            best = value;
        }
    }
    best
}

/// `N*`, the smallest multiple of `σ` that is at least `2n − 1` (for `n ≥ 1`, `σ ≥ 1`): the
/// shortest circular input on which the strided dictionary has coherence `μ`
/// (`proofs/strided_coherence.md`, C3).
pub fn shortest_faithful_length(filter_length: usize, stride: usize) -> usize {
    let stride = stride.max(1);
    let least = (2 * filter_length).saturating_sub(1).max(1);
    least.div_ceil(stride) * stride
}

/// The square of the strided Welch-type lower bound (`proofs/strided_coherence.md`, C3):
/// with `N*` = [`shortest_faithful_length`], if `m > σ m_prev` then
///
/// `μ² ≥ (m − σ m_prev) / (m_prev (m N* − σ))`,
///
/// and `None` (no bound) when `m ≤ σ m_prev`, or when a count or the stride is 0. At `σ = 1`,
/// `N* = 2n − 1` and it is [`crate::coherence::welch_bound_squared`] wherever that is positive.
/// It is [`grid_welch_bound_squared`] of the filter `1 × n` at strides `(1, σ)`.
pub fn strided_welch_bound_squared(
    filter_count: usize,
    filter_length: usize,
    input_channels: usize,
    stride: usize,
) -> Option<Rational> {
    let shape = FilterShape::line(filter_length);
    grid_welch_bound_squared(filter_count, shape, input_channels, (1, stride))
}

/// The strided Welch-type bound of an image layer (`proofs/two_dimensions.md`, G8): the bound
/// of [`strided_welch_bound_squared`] with `σ = σ_h σ_w` and `N* = N*_h N*_w`, each axis's
/// [`shortest_faithful_length`],
///
/// `μ² ≥ (m − σ_h σ_w m_prev) / (m_prev (m N*_h N*_w − σ_h σ_w))` when `m > σ_h σ_w m_prev`,
///
/// `None` otherwise, or when a count or a stride is 0.
pub fn grid_welch_bound_squared(
    filter_count: usize,
    shape: FilterShape,
    input_channels: usize,
    (row_stride, column_stride): (usize, usize),
) -> Option<Rational> {
    if shape.taps() == 0 || input_channels == 0 || row_stride == 0 || column_stride == 0 {
        return None;
    }
    let stride = row_stride.checked_mul(column_stride)?;
    let excess = filter_count.checked_sub(stride.checked_mul(input_channels)?)?;
    if excess == 0 {
        return None;
    }
    let period = shortest_faithful_length(shape.rows, row_stride)
        * shortest_faithful_length(shape.columns, column_stride);
    let big = |value: usize| BigInt::from(value);
    let denominator = big(input_channels) * (big(filter_count) * big(period) - big(stride));
    Some(Rational::new(big(excess), denominator))
}

/// The strided Welch-type bound of `layer` at its own strides and filter shape
/// ([`grid_welch_bound_squared`]); a one-dimensional layer gets
/// [`strided_welch_bound_squared`] at its stride.
pub fn layer_welch_bound_squared<S: Scalar>(layer: &Layer<S>) -> Option<Rational> {
    let geometry = layer.grid_geometry();
    grid_welch_bound_squared(
        layer.filter_count(),
        layer.filter_shape(),
        layer.input_channels(),
        (geometry.rows.stride, geometry.columns.stride),
    )
}
