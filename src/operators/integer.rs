//! The exact operators on integer views: when the taps and the vector are each integers over
//! one common denominator in machine words ([`Scalar::over_common_denominator`]), every sum of
//! products is formed in `i128` and reduced once, as one fraction over `D_f D_z`. The values are
//! the same exact rationals as the operators' plain loops.

use crate::model::{Layer, LayerVector};
use crate::scalar::Scalar;

/// The integer views of the taps and of a vector, and `D_f D_z`, when both exist and every
/// sum of at most `n m_{i-1}` products (`m_i` for synthesis) stays below `2^126` in magnitude.
type IntegerViews = (Vec<i64>, Vec<i64>, i128);

fn integer_views<S: Scalar>(
    layer: &Layer<S>,
    v: &LayerVector<S>,
    terms: usize,
) -> Option<IntegerViews> {
    if !S::EXACT {
        return None;
    }
    let (filters, filter_denominator) = S::over_common_denominator(layer.taps())?;
    let (values, value_denominator) = S::over_common_denominator(v.entries())?;
    let largest = |values: &[i64]| values.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
    if bits(largest(&filters)) + bits(largest(&values)) + bits(terms as u64) > 126 {
        return None;
    }
    let denominator = i128::from(filter_denominator) * i128::from(value_denominator);
    Some((filters, values, denominator))
}

/// The exact values `sums[k] / denominator`.
fn fractions<S: Scalar>(sums: Vec<i128>, denominator: i128) -> Vec<S> {
    sums.into_iter()
        .map(|sum| {
            if sum == 0 {
                S::zero()
            } else {
                S::from_integer_fraction(sum, denominator)
            }
        })
        .collect()
}

/// [`super::synthesis`] on integer views: `(D Γ)[q, k]` sums `f_c[t][k] Γ[p, c]` over `p + t ≡ q`.
pub(super) fn integer_synthesis<S: Scalar>(
    layer: &Layer<S>,
    gamma: &LayerVector<S>,
) -> Option<LayerVector<S>> {
    let m = layer.filter_count();
    let n = layer.filter_length();
    let m_prev = layer.input_channels();
    // A position of the output receives at most `n` taps from each of the `m` channels.
    let (filters, coefficients, denominator) = integer_views(layer, gamma, n * m)?;
    let length = gamma.length();
    let mut sums = vec![0i128; length * m_prev];
    for (p, position) in coefficients.chunks(m).enumerate() {
        for (c, &x) in position.iter().enumerate() {
            if x == 0 {
                continue;
            }
            let x = i128::from(x);
            let filter = &filters[c * n * m_prev..(c + 1) * n * m_prev];
            for t in 0..n {
                let row = ((p + t) % length) * m_prev;
                for (sum, tap) in sums[row..row + m_prev]
                    .iter_mut()
                    .zip(&filter[t * m_prev..(t + 1) * m_prev])
                {
                    *sum += i128::from(*tap) * x;
                }
            }
        }
    }
    LayerVector::from_entries(length, m_prev, fractions(sums, denominator))
}

/// The number of bits of `|x|` (0 for 0).
fn bits(x: u64) -> u32 {
    u64::BITS - x.leading_zeros()
}

/// [`super::analysis`] on integer numerators `f` (over `D_f`) and `z` (over `D_z`): each inner product
/// is an `i128` sum divided by `D_f D_z` (`None` without integer views).
pub(super) fn integer_analysis<S: Scalar>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
) -> Option<LayerVector<S>> {
    let m_prev = layer.input_channels();
    let n = layer.filter_length();
    let (filters, signal, denominator) = integer_views(layer, z, n * m_prev)?;
    let length = z.length();
    let m = layer.filter_count();
    // Each nonzero entry `z[q, c']` adds `f_c[t][c'] z[q, c']` to atom `(p, c)` with
    // `p + t ≡ q (mod N)`: zeros of `Z` (most of a thresholded estimate) cost nothing.
    let mut sums = vec![0i128; length * m];
    for (q, position) in signal.chunks(m_prev).enumerate() {
        for (k, &x) in position.iter().enumerate() {
            if x == 0 {
                continue;
            }
            let x = i128::from(x);
            for t in 0..n {
                let p = (q + length - t % length) % length;
                for (c, sum) in sums[p * m..(p + 1) * m].iter_mut().enumerate() {
                    *sum += i128::from(filters[(c * n + t) * m_prev + k]) * x;
                }
            }
        }
    }
    LayerVector::from_entries(length, m, fractions(sums, denominator))
}
