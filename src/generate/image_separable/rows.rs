//! The rows axis of a separable ladder: for every layer a stride `σ_h ∈ {1, 2}`, a rows gap
//! `h_i` (a multiple of `σ_h`, the rows factor `g_i` having taps at rows 0 and `h_i`), a
//! padding (circular exactly when the columns axis is), and the heights `H_0, …, H_K` sized
//! from the top down so that the row of `Γ_K` and every row its images reach are interior
//! (the guard band on the rows axis; `proofs/two_dimensions.md`, G13).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::model::{Geometry, Padding};

/// The largest height a separable ladder gives any grid: a stride falls back to 1 when it
/// would pass it, so that the image stays within a few times the line's work.
pub const MOST_SEPARABLE_ROWS: usize = 24;

/// The rows axis of every layer.
pub(super) struct RowsAxes {
    /// Each layer's rows stride and padding.
    pub geometries: Vec<Geometry>,
    /// Each layer's rows gap `h_i` (a multiple of `σ_h`); the filter height is `h_i + 1`.
    pub gaps: Vec<usize>,
    /// `H_0, …, H_K`.
    pub heights: Vec<usize>,
    /// The row `r_K` of `Γ_K`'s support.
    pub top_row: usize,
}

/// Draws the rows axes of `circular.len()` layers, layer `i` circular exactly when
/// `circular[i − 1]` (its columns axis is).
pub(super) fn draw_rows_axes(rng: &mut ChaCha8Rng, circular: &[bool]) -> RowsAxes {
    let depth = circular.len();
    let mut strides: Vec<usize> = (0..depth)
        .map(|_| if rng.random_bool(0.75) { 2 } else { 1 })
        .collect();
    // Keep the product of the strides (the growth of the heights) within bounds.
    while strides.iter().product::<usize>() > 4 {
        let last = strides
            .iter()
            .rposition(|&s| s > 1)
            .expect("a stride above 1");
        strides[last] = 1;
    }
    let gaps = draw_rows_gaps(rng, &strides);
    let geometries: Vec<Geometry> = (0..depth)
        .map(|i| Geometry {
            stride: strides[i],
            padding: rows_padding(rng, gaps[i] + 1, circular[i]),
        })
        .collect();
    let extras: Vec<usize> = strides.iter().map(|&s| rng.random_range(0..s)).collect();
    (1..)
        .map(|margin| {
            let heights = heights_below(2 * margin + 1, &geometries, &gaps, &extras);
            (margin, heights)
        })
        .find(|(margin, heights)| rows_fit(*margin, heights, &geometries, &gaps))
        .map(|(top_row, heights)| RowsAxes {
            geometries,
            gaps,
            heights,
            top_row,
        })
        .expect("a wide enough margin makes the rows interior")
}

/// Rows gaps, as the columns' (`crate::generate::real_layers`): `h_1 = σ_1 k`, `k ∈ {1, 2}`;
/// deeper gaps *paired*, `h_i = h_{i-1}/σ_{i-1}` when that is a multiple of `σ_i` (the two rows
/// an atom writes below are exactly those where two atoms of layer `i − 1` meet: cross-row
/// interference), or *spread*, the least multiple of `σ_i` above `2 h_{i-1}/σ_{i-1}`.
fn draw_rows_gaps(rng: &mut ChaCha8Rng, strides: &[usize]) -> Vec<usize> {
    let mut gaps = vec![strides[0] * rng.random_range(1..=2usize)];
    for i in 1..strides.len() {
        let meeting = gaps[i - 1] / strides[i - 1];
        let paired = rng.random_bool(0.5) && meeting % strides[i] == 0;
        gaps.push(if paired {
            meeting
        } else {
            (2 * meeting / strides[i] + 1) * strides[i]
        });
    }
    gaps
}

/// A rows padding for a filter of height `n`: circular when `circular`, else zero (top and
/// bottom amounts below `n` together) or valid.
fn rows_padding(rng: &mut ChaCha8Rng, n: usize, circular: bool) -> Padding {
    if circular {
        return Padding::Circular;
    }
    if rng.random_bool(0.5) {
        let left = rng.random_range(0..n);
        let right = rng.random_range(0..n - left);
        Padding::Zero { left, right }
    } else {
        Padding::Valid
    }
}

/// `H_0, …, H_K` from `H_K = top`: `H_{i-1} = σ H_i` (circular) or
/// `σ (H_i − 1) + n − P^t − P^b + x` with `0 ≤ x < σ` (zero, valid).
fn heights_below(
    top: usize,
    geometries: &[Geometry],
    gaps: &[usize],
    extras: &[usize],
) -> Vec<usize> {
    let mut heights = vec![top];
    for i in (0..geometries.len()).rev() {
        let (stride, n) = (geometries[i].stride, gaps[i] + 1);
        let above = heights[0];
        let below = match geometries[i].padding {
            Padding::Circular => stride * above,
            padding => {
                let (top, bottom) = padding.amounts();
                stride * (above - 1) + n + extras[i] - top - bottom
            }
        };
        heights.insert(0, below);
    }
    heights
}

/// Whether the heights are valid (circular axes of at least `2 n − 1` rows) and the row
/// `top_row` of `Γ_K` and every row its images reach are interior at every layer.
fn rows_fit(top_row: usize, heights: &[usize], geometries: &[Geometry], gaps: &[usize]) -> bool {
    let depth = geometries.len();
    let circular_ok =
        (0..depth).all(|i| geometries[i].padding != Padding::Circular || heights[i] > 2 * gaps[i]);
    if !circular_ok {
        return false;
    }
    let mut rows = vec![top_row];
    for i in (1..=depth).rev() {
        let (geometry, n, input) = (geometries[i - 1], gaps[i - 1] + 1, heights[i - 1]);
        let mut below = Vec::new();
        for &row in &rows {
            if !geometry.is_interior(row, input, n) {
                return false;
            }
            for t in [0, gaps[i - 1]] {
                match geometry.input_position(row, t, input) {
                    Some(q) => below.push(q),
                    None => return false,
                }
            }
        }
        below.sort_unstable();
        below.dedup();
        rows = below;
    }
    true
}

/// Whether a drawn rows axis keeps every height within [`MOST_SEPARABLE_ROWS`].
pub(super) fn within_bounds(axes: &RowsAxes) -> bool {
    axes.heights.iter().all(|&h| h <= MOST_SEPARABLE_ROWS)
}
