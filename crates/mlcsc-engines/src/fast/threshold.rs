//! Thresholding in place, in either machine precision (docs/math.md §4).

use pulp::{Arch, Simd, WithSimd};

use super::simd::Real;
use crate::thresholding::Thresholding;

/// Applies `H_β`, `S_β` or `S⁺_β` to every entry, in place, compiled for the widest vector
/// instructions found at run time (one branch-free loop per rule, on their registers).
pub fn threshold_entries<T: Real>(values: &mut [T], thresholding: Thresholding, beta: T) {
    Arch::new().dispatch(ThresholdEntries {
        values,
        thresholding,
        beta,
    });
}

/// The arguments of [`threshold_entries`], dispatched as a struct so that the loops are
/// inlined into the entry point that enables the vector instructions.
struct ThresholdEntries<'a, T> {
    values: &'a mut [T],
    thresholding: Thresholding,
    beta: T,
}

impl<T: Real> WithSimd for ThresholdEntries<'_, T> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        entries_by_rule(self.values, self.thresholding, self.beta);
    }
}

/// The loops of [`threshold_entries`], one per rule.
#[inline(always)]
pub(crate) fn entries_by_rule<T: Real>(values: &mut [T], thresholding: Thresholding, beta: T) {
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
