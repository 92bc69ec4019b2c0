//! Thresholding in place, in either machine precision (docs/math.md §4).

use super::simd::Real;
use crate::thresholding::Thresholding;

/// Applies `H_β`, `S_β` or `S⁺_β` to every entry, in place.
pub fn threshold_entries<T: Real>(values: &mut [T], thresholding: Thresholding, beta: T) {
    let zero = T::default();
    match thresholding {
        Thresholding::Soft => values.iter_mut().for_each(|z| {
            let shrunk = z.abs() - beta;
            *z = if shrunk > zero {
                shrunk.copysign(*z)
            } else {
                zero
            };
        }),
        Thresholding::Nonnegative => values.iter_mut().for_each(|z| {
            let shifted = *z - beta;
            *z = if shifted > zero { shifted } else { zero };
        }),
        Thresholding::Hard => values.iter_mut().for_each(|z| {
            *z = if z.abs() > beta { *z } else { zero };
        }),
    }
}
