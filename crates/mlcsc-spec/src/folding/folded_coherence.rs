//! The coherence of the folded filters, squared, from the unfolded weights and the previous
//! layer's squared norms (`proofs/folding.md`, F5; on images `proofs/two_dimensions.md`, G10):
//! no square root is taken, so it is exact for rational weights even when the norms are
//! irrational. The one-dimensional functions are the image ones on filters of one row at
//! displacements `(0, δ)`, term for term.

use crate::model::{FilterShape, Geometry, GridGeometry, Padding};
use crate::scalar::Scalar;

/// `⟨W'_c, W'_d displaced by δ⟩ = Σ_{c'} Σ_t W[c, c', t] W[d, c', t + δ] ρ²_{i-1, c'}` (taps
/// outside `[0, n)` read as 0), where `W' = W · ρ_{i-1}` and `weights[c][c'][t] = W[c, c', t]`.
pub fn weighted_correlation<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    c: usize,
    d: usize,
    delta: isize,
) -> S {
    let shape = FilterShape::line(weights[c][0].len());
    grid_weighted_correlation(weights, previous_norms_squared, shape, (c, d), (0, delta))
}

/// The image form of [`weighted_correlation`]: with taps `t = i n_w + j` of `shape`,
/// `Σ_{c'} ρ²_{i-1, c'} Σ_{(i, j)} W[c, c', (i, j)] W[d, c', (i + δ_h, j + δ_w)]` over the taps
/// where both exist, row by row. A displacement before `(0, 0)` (row first) is read as `d`
/// against `c` at `−δ`.
pub fn grid_weighted_correlation<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    shape: FilterShape,
    (c, d): (usize, usize),
    delta: (isize, isize),
) -> S {
    let ((first, second), (delta_rows, delta_columns)) = if delta < (0, 0) {
        ((d, c), (-delta.0, -delta.1))
    } else {
        ((c, d), delta)
    };
    // The taps `x` of one axis with `x + δ` also a tap: `max(0, −δ) ≤ x < min(n, n − δ)`.
    let range = |size: usize, delta: isize| {
        let size = size as isize;
        (0.max(-delta) as usize)..(size.min(size - delta).max(0) as usize)
    };
    let rows = range(shape.rows, delta_rows);
    let columns = range(shape.columns, delta_columns);
    let mut sum = S::zero();
    for ((a, b), weight) in weights[first]
        .iter()
        .zip(&weights[second])
        .zip(previous_norms_squared)
    {
        let mut channel = S::zero();
        for i in rows.clone() {
            let there = i.wrapping_add_signed(delta_rows) * shape.columns;
            for j in columns.clone() {
                let t = i * shape.columns + j;
                S::multiply_accumulate(
                    &mut channel,
                    &a[t],
                    &b[there + j.wrapping_add_signed(delta_columns)],
                );
            }
        }
        S::multiply_accumulate(&mut sum, &channel, weight);
    }
    sum
}

/// `⟨F_c, F_d displaced by δ⟩² = ⟨W'_c, W'_d displaced by δ⟩² / (ρ_c² ρ_d²)`, the squared
/// correlation of two unit folded filters, for `(c, d, δ)`.
pub fn folded_correlation_squared<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    norms_squared: &[S],
    (c, d, delta): (usize, usize, isize),
) -> S {
    let shape = FilterShape::line(weights[c][0].len());
    grid_folded_correlation_squared(
        weights,
        previous_norms_squared,
        norms_squared,
        shape,
        (c, d, (0, delta)),
    )
}

/// The image form of [`folded_correlation_squared`], at a displacement `(δ_h, δ_w)`.
pub fn grid_folded_correlation_squared<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    norms_squared: &[S],
    shape: FilterShape,
    (c, d, delta): (usize, usize, (isize, isize)),
) -> S {
    let g = grid_weighted_correlation(weights, previous_norms_squared, shape, (c, d), delta);
    g.clone() * g / (norms_squared[c].clone() * norms_squared[d].clone())
}

/// The largest [`folded_correlation_squared`] of channel `c` over `pairs` `(d, δ)`, and 0 when
/// there are none.
pub fn largest_correlation_squared<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    norms_squared: &[S],
    c: usize,
    pairs: impl IntoIterator<Item = (usize, isize)>,
) -> S {
    let shape = FilterShape::line(weights[c][0].len());
    let pairs = pairs.into_iter().map(|(d, delta)| (d, (0, delta)));
    grid_largest_correlation_squared(
        weights,
        previous_norms_squared,
        norms_squared,
        shape,
        (c, pairs),
    )
}

/// The image form of [`largest_correlation_squared`], over pairs `(d, (δ_h, δ_w))`.
pub fn grid_largest_correlation_squared<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    norms_squared: &[S],
    shape: FilterShape,
    (c, pairs): (usize, impl IntoIterator<Item = (usize, (isize, isize))>),
) -> S {
    let mut best = S::zero();
    for (d, delta) in pairs {
        let value = grid_folded_correlation_squared(
            weights,
            previous_norms_squared,
            norms_squared,
            shape,
            (c, d, delta),
        );
        if value > best {
            best = value;
        }
    }
    best
}

/// `μ_c²` of every channel: `max ⟨W'_c, W'_d displaced by δ⟩² / (ρ_c² ρ_d²)` over the channels
/// `d`, `δ ∈ σℤ`, `|δ| ≤ n − 1`, `(d, δ) ≠ (c, 0)`; 0 when the set is empty. Every
/// `norms_squared[c]` must be positive (the dead channels are already dropped).
pub fn channel_coherence_squared<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    norms_squared: &[S],
    stride: usize,
) -> Vec<S> {
    let shape = FilterShape::line(weights[0][0].len());
    let geometry = GridGeometry::line(Geometry {
        stride,
        padding: Padding::Valid,
    });
    grid_channel_coherence_squared(
        weights,
        previous_norms_squared,
        norms_squared,
        shape,
        geometry,
    )
}

/// The image form of [`channel_coherence_squared`] (`proofs/two_dimensions.md`, G10): the
/// maximum over `d` and the displacements `δ ∈ σ_h ℤ × σ_w ℤ` of
/// [`GridGeometry::displacements`], `(d, δ) ≠ (c, (0, 0))`.
pub fn grid_channel_coherence_squared<S: Scalar>(
    weights: &[Vec<Vec<S>>],
    previous_norms_squared: &[S],
    norms_squared: &[S],
    shape: FilterShape,
    geometry: GridGeometry,
) -> Vec<S> {
    let displacements = geometry.displacements(shape);
    (0..weights.len())
        .map(|c| {
            let pairs = displacements.iter().flat_map(|&delta| {
                (0..weights.len())
                    .filter(move |&d| delta != (0, 0) || d != c)
                    .map(move |d| (d, delta))
            });
            grid_largest_correlation_squared(
                weights,
                previous_norms_squared,
                norms_squared,
                shape,
                (c, pairs),
            )
        })
        .collect()
}
