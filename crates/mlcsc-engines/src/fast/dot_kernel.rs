//! The product `out = A w` of one block of rows when `W` has a single column `w` (a layer
//! whose input has one channel, as `X = D_1 Γ_1` of a one-channel signal): row `r` of `A` is
//! the window `window[r·stride .. r·stride + K]`, as in [`super::kernel`].
//!
//! The register tile of [`super::kernel`] spreads the output channels over the lanes, so with
//! one output it would fill one lane of every register and discard the others (7 of 8
//! multiply-adds in `f64`, 15 of 16 in `f32`). Here the lanes run along `K` instead: each of
//! [`DOT_ROWS`] rows keeps one register of partial sums over `K`, every step loads one register
//! of each window and one of `w`, and the lanes are added at the end, with the `K mod lanes`
//! last terms one by one.

use pulp::Simd;

use super::simd::Real;

/// Rows of a tile: one accumulator register each, one shared register of `w`.
pub const DOT_ROWS: usize = 8;

/// `out[r] = window[r·stride .. r·stride + K] · w` for `rows` rows, `K = w.len()`.
///
/// # Panics
///
/// If the windows exceed `window` or `out` is shorter than `rows`.
#[inline(always)]
pub(crate) fn dot_rows<T: Real, S: Simd>(
    simd: S,
    window: &[T],
    stride: usize,
    rows: usize,
    w: &[T],
    out: &mut [T],
) {
    let mut r = 0;
    while r + DOT_ROWS <= rows {
        let sums = dot_tile::<T, S, DOT_ROWS>(simd, &window[r * stride..], stride, w);
        out[r..r + DOT_ROWS].copy_from_slice(&sums);
        r += DOT_ROWS;
    }
    for r in r..rows {
        let [sum] = dot_tile::<T, S, 1>(simd, &window[r * stride..], stride, w);
        out[r] = sum;
    }
}

/// The `ROWS` dot products of the windows `window[i·stride ..][..K]` with `w`.
#[inline(always)]
fn dot_tile<T: Real, S: Simd, const ROWS: usize>(
    simd: S,
    window: &[T],
    stride: usize,
    w: &[T],
) -> [T; ROWS] {
    let depth = w.len();
    let w_lanes = T::as_lanes::<S>(w);
    let steps = w_lanes.len();
    let head = steps * T::lanes::<S>();
    let rows: [&[T]; ROWS] = std::array::from_fn(|i| &window[i * stride..][..depth]);
    let row_lanes: [&[T::Lanes<S>]; ROWS] =
        std::array::from_fn(|i| &T::as_lanes::<S>(rows[i])[..steps]);
    let zero = T::splat(simd, T::default());
    let mut accumulators = [zero; ROWS];
    for (k, wk) in w_lanes.iter().enumerate() {
        for (accumulator, row) in accumulators.iter_mut().zip(&row_lanes) {
            *accumulator = T::mul_add(simd, row[k], *wk, *accumulator);
        }
    }
    std::array::from_fn(|i| {
        let tail = rows[i][head..].iter().zip(&w[head..]);
        tail.fold(T::reduce_sum(simd, accumulators[i]), |s, (a, b)| {
            s + *a * *b
        })
    })
}
