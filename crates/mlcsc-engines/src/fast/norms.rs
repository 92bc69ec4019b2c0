//! The patch and stripe norms of docs/math.md §2 in one pass over a position-major vector:
//! per-position values (energies or counts of nonzeros), then the largest sum over a periodic
//! window of positions.

use pulp::{Arch, Simd, WithSimd};
use rayon::prelude::*;

use super::correlation::{BLOCK_POSITIONS, PARALLEL_MINIMUM};
use super::simd::Real;

/// Per-position values `g(Z[p, :])`, in parallel for large vectors.
pub fn per_position<T: Real, V: Send + Copy + Default>(
    entries: &[T],
    channels: usize,
    g: impl Fn(&[T]) -> V + Sync,
) -> Vec<V> {
    let length = entries.len() / channels.max(1);
    let mut out = vec![V::default(); length];
    let block = |out: &mut [V], z: &[T]| per_position_into(z, channels, out, &g);
    if entries.len() >= PARALLEL_MINIMUM {
        out.par_chunks_mut(BLOCK_POSITIONS)
            .zip(entries.par_chunks(BLOCK_POSITIONS * channels))
            .for_each(|(o, z)| block(o, z));
    } else {
        block(&mut out, entries);
    }
    out
}

/// `out[p] = g(Z[p, :])` for the positions of one block (as many as `out` holds), the loop
/// compiled for the widest vector instructions found at run time.
pub fn per_position_into<T: Real, V>(
    entries: &[T],
    channels: usize,
    out: &mut [V],
    g: &impl Fn(&[T]) -> V,
) {
    Arch::new().dispatch(PerPosition {
        out,
        z: entries,
        channels,
        g,
    });
}

/// The nonzero entries of one position.
#[inline(always)]
pub(crate) fn count_nonzeros<T: Real>(row: &[T]) -> u32 {
    let zero = T::default();
    row.iter().filter(|v| **v != zero).count() as u32
}

/// Lanes of the independent partial sums of [`squared_distance`]: eight `f64`, two vector
/// registers, so the sum is bound by the adds' throughput rather than their latency.
const SUM_LANES: usize = 8;

/// `Σ_k (x_k − y_k)²` in `f64`, in [`SUM_LANES`] partial sums added at the end.
#[inline(always)]
pub(crate) fn squared_distance<T: Real>(x: &[T], y: &[T]) -> f64 {
    let mut partial = [0.0f64; SUM_LANES];
    let (xs, ys) = (x.chunks_exact(SUM_LANES), y.chunks_exact(SUM_LANES));
    let tail: f64 = xs
        .remainder()
        .iter()
        .zip(ys.remainder())
        .map(|(u, v)| (u.to_f64() - v.to_f64()).powi(2))
        .sum();
    for (a, b) in xs.zip(ys) {
        for lane in 0..SUM_LANES {
            let d = a[lane].to_f64() - b[lane].to_f64();
            partial[lane] += d * d;
        }
    }
    partial.iter().sum::<f64>() + tail
}

/// [`squared_distance`] and the nonzeros of `y`, in one pass over both (the same sum, in the
/// same order).
#[inline(always)]
pub(crate) fn squared_distance_and_nonzeros<T: Real>(x: &[T], y: &[T]) -> (f64, u32) {
    let zero = T::default();
    let mut partial = [0.0f64; SUM_LANES];
    let mut nonzeros = [0u32; SUM_LANES];
    let (xs, ys) = (x.chunks_exact(SUM_LANES), y.chunks_exact(SUM_LANES));
    let mut tail_nonzeros = 0;
    let tail: f64 = xs
        .remainder()
        .iter()
        .zip(ys.remainder())
        .map(|(u, v)| {
            tail_nonzeros += u32::from(*v != zero);
            (u.to_f64() - v.to_f64()).powi(2)
        })
        .sum();
    for (a, b) in xs.zip(ys) {
        for lane in 0..SUM_LANES {
            let d = a[lane].to_f64() - b[lane].to_f64();
            partial[lane] += d * d;
            nonzeros[lane] += u32::from(b[lane] != zero);
        }
    }
    (
        partial.iter().sum::<f64>() + tail,
        nonzeros.iter().sum::<u32>() + tail_nonzeros,
    )
}

/// `Σ_k x_k²` in `f64`, as [`squared_distance`] from zero.
#[inline(always)]
fn squared_norm<T: Real>(x: &[T]) -> f64 {
    let mut partial = [0.0f64; SUM_LANES];
    let xs = x.chunks_exact(SUM_LANES);
    let tail: f64 = xs.remainder().iter().map(|u| u.to_f64().powi(2)).sum();
    for a in xs {
        for lane in 0..SUM_LANES {
            partial[lane] += a[lane].to_f64() * a[lane].to_f64();
        }
    }
    partial.iter().sum::<f64>() + tail
}

/// `‖Z[p, :]‖²` for every position, accumulated in `f64`.
pub fn energies<T: Real>(entries: &[T], channels: usize) -> Vec<f64> {
    per_position(entries, channels, squared_norm)
}

/// `‖A[p, :] − B[p, :]‖²` for every position, without forming `A − B`.
///
/// # Panics
///
/// If the lengths differ.
pub fn difference_energies<T: Real>(a: &[T], b: &[T], channels: usize) -> Vec<f64> {
    assert_eq!(a.len(), b.len(), "shapes differ");
    let length = a.len() / channels.max(1);
    let mut energies = vec![0.0; length];
    let energy = |out: &mut [f64], x: &[T], y: &[T]| {
        Arch::new().dispatch(DifferenceEnergies {
            out,
            x,
            y,
            channels,
        })
    };
    if a.len() >= PARALLEL_MINIMUM {
        energies
            .par_chunks_mut(BLOCK_POSITIONS)
            .zip(a.par_chunks(BLOCK_POSITIONS * channels))
            .zip(b.par_chunks(BLOCK_POSITIONS * channels))
            .for_each(|((out, x), y)| energy(out, x, y));
    } else {
        energy(&mut energies, a, b);
    }
    energies
}

/// `out[p] = g(z[p, :])` for a block of positions, compiled for the widest vector instructions
/// found at run time.
struct PerPosition<'a, T, V, G> {
    out: &'a mut [V],
    z: &'a [T],
    channels: usize,
    g: &'a G,
}

impl<T: Real, V, G: Fn(&[T]) -> V> WithSimd for PerPosition<'_, T, V, G> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let rows = self.z.chunks_exact(self.channels);
        self.out
            .iter_mut()
            .zip(rows)
            .for_each(|(v, row)| *v = (self.g)(row));
    }
}

/// `out[p] = ‖x[p, :] − y[p, :]‖²` for a block of positions, compiled for the widest vector
/// instructions found at run time (a struct, so that the loop is inlined into the dispatch).
struct DifferenceEnergies<'a, T> {
    out: &'a mut [f64],
    x: &'a [T],
    y: &'a [T],
    channels: usize,
}

impl<T: Real> WithSimd for DifferenceEnergies<'_, T> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let DifferenceEnergies {
            out,
            x,
            y,
            channels,
        } = self;
        for ((e, xr), yr) in out
            .iter_mut()
            .zip(x.chunks_exact(channels))
            .zip(y.chunks_exact(channels))
        {
            *e = squared_distance(xr, yr);
        }
    }
}

/// The nonzeros of every position.
pub fn nonzeros_per_position<T: Real>(entries: &[T], channels: usize) -> Vec<u32> {
    per_position(entries, channels, count_nonzeros)
}

/// The largest sum over `width` consecutive (periodic) values, `width` read as at most `N`.
/// Each block of positions starts from a fresh sum, so rounding does not drift along `N`.
pub fn windowed_maximum(values: &[f64], width: usize) -> f64 {
    windowed_maximum_of(values.len(), |q| values[q], width)
}

/// [`windowed_maximum`] of the values `value(0), …, value(length − 1)`.
pub fn windowed_maximum_of(
    length: usize,
    value: impl Fn(usize) -> f64 + Sync,
    width: usize,
) -> f64 {
    if length == 0 {
        return 0.0;
    }
    let width = width.clamp(1, length);
    let wrapped = |q: usize| if q >= length { q - length } else { q };
    let block_maximum = |block: usize| {
        let start = block * BLOCK_POSITIONS;
        let end = (start + BLOCK_POSITIONS).min(length);
        let mut window: f64 = (start..start + width).map(|q| value(wrapped(q))).sum();
        let mut best = window;
        for p in start + 1..end {
            window += value(wrapped(p + width - 1)) - value(p - 1);
            best = best.max(window);
        }
        best
    };
    let blocks = length.div_ceil(BLOCK_POSITIONS);
    if length >= PARALLEL_MINIMUM {
        (0..blocks)
            .into_par_iter()
            .map(block_maximum)
            .reduce(|| f64::NEG_INFINITY, f64::max)
    } else {
        (0..blocks)
            .map(block_maximum)
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// The largest count over `width` consecutive (periodic) positions (exact).
pub fn windowed_count_maximum(counts: &[u32], width: usize) -> usize {
    windowed_count_maximum_of(counts.len(), |q| counts[q], width)
}

/// [`windowed_count_maximum`] of the counts `count(0), …, count(length − 1)`.
pub fn windowed_count_maximum_of(
    length: usize,
    count: impl Fn(usize) -> u32,
    width: usize,
) -> usize {
    if length == 0 {
        return 0;
    }
    let width = width.clamp(1, length);
    let mut window: u64 = (0..width).map(|q| u64::from(count(q))).sum();
    let mut best = window;
    for p in 1..length {
        let entering = p + width - 1;
        window += u64::from(count(if entering >= length {
            entering - length
        } else {
            entering
        }));
        window -= u64::from(count(p - 1));
        best = best.max(window);
    }
    best as usize
}
