//! The error `Γ − Γ̂` of a layer's estimate, measured without forming it as a dense vector.
//!
//! [`ErrorNorms::of`] forms `Γ − Γ̂` entry by entry, then reads its largest magnitude, its
//! largest patch energy and the signs of `Γ` and `Γ̂`, one pass over all `N · m` entries each.
//! An entry where both vectors are zero contributes nothing to any of them: it is zero in the
//! error (neither the largest magnitude nor a patch energy, since energies are sums of
//! squares) and its signs agree. Here one pass over the two vectors keeps only the entries
//! where one of them is nonzero: the first sign mismatch is noted there, and the nonzero
//! differences are kept with their indices and `f64` magnitudes. The largest magnitude is
//! taken over them (compared exactly only where the `f64` magnitudes cannot tell) and the
//! largest patch energy by [`sparse_patch_norm_squared`] (the `f64` patch screen over their
//! positions), so the same exact values come out. For `f64`, or where the screen does not
//! apply, the error is formed and measured as the definition does.

use mlcsc_spec::error_norms::ErrorNorms;

use crate::model::LayerVector;
use crate::patch_screen::{SparseEntries, patch_norm_squared, sparse_patch_norm_squared};
use crate::scalar::Scalar;
use crate::tolerance;

/// `‖Γ − Γ̂‖_∞`, `(‖Γ − Γ̂‖^P_{2,∞}(w))²` and the first sign mismatch, for `truth = Γ` and
/// `estimate = Γ̂` of one shape: the same values as [`ErrorNorms::of`].
pub fn error_norms<S: Scalar>(
    truth: &LayerVector<S>,
    estimate: &LayerVector<S>,
    width: usize,
) -> ErrorNorms<S> {
    let (length, channels) = (truth.length(), truth.channels());
    let same_shape = (estimate.length(), estimate.channels()) == (length, channels);
    if !S::EXACT || !same_shape {
        return ErrorNorms::of(truth, estimate, width, patch_norm_squared);
    }
    let (mut indices, mut values, mut magnitudes) = (
        Vec::with_capacity(16),
        Vec::with_capacity(16),
        Vec::with_capacity(16),
    );
    let mut sign_mismatch = None;
    for (k, (t, e)) in truth.entries().iter().zip(estimate.entries()).enumerate() {
        let (t_zero, e_zero) = (t.is_zero(), e.is_zero());
        if t_zero && e_zero {
            continue;
        }
        let signs = |x: &S| (x.is_positive(), x.is_negative());
        if sign_mismatch.is_none() && signs(t) != signs(e) {
            sign_mismatch = Some(k);
        }
        let difference = if e_zero {
            t.clone()
        } else {
            let mut d = t.clone();
            d -= e;
            d
        };
        if !difference.is_zero() {
            indices.push(k);
            magnitudes.push(difference.to_f64().abs());
            values.push(difference);
        }
    }
    let (smallest, largest) = tolerance::SCREEN_MAGNITUDES;
    let in_range = magnitudes.iter().all(|x| (smallest..=largest).contains(x));
    let screened = in_range
        .then(|| {
            let sparse = SparseEntries {
                indices: &indices,
                values: &values,
                magnitudes: &magnitudes,
            };
            sparse_patch_norm_squared((length, channels), width.min(length), sparse)
        })
        .flatten();
    let patch_squared = screened.unwrap_or_else(|| {
        let mut error = LayerVector::zeros(length, channels);
        for (&k, v) in indices.iter().zip(&values) {
            error.entries_mut()[k] = v.clone();
        }
        mlcsc_spec::norms::patch_norm_squared(&error, width)
    });
    let max = if in_range {
        screened_largest_magnitude(&values, &magnitudes)
    } else {
        largest_magnitude(&values)
    };
    ErrorNorms {
        max,
        patch_squared,
        sign_mismatch,
    }
}

/// `max |v|` over `values`, zero when there are none.
fn largest_magnitude<'a, S: Scalar + 'a>(values: impl IntoIterator<Item = &'a S>) -> S {
    let mut best = S::zero();
    for v in values {
        let a = v.abs();
        if a > best {
            best = a;
        }
    }
    best
}

/// [`largest_magnitude`] of `values` whose `f64` magnitudes `magnitudes` lie in
/// [`tolerance::SCREEN_MAGNITUDES`]: only the values whose magnitude may be the largest are
/// compared exactly. Each `|v|` lies within [`tolerance::F64_INPUT_RELATIVE`] `= 4u` of its
/// `f64` `m` (relative to `m`), so a value with `m (1 + r) < m_top (1 − r)` is below the value
/// of the largest `f64` `m_top`, for `r = 4u`; `r = 8u` covers the rounding of both products.
fn screened_largest_magnitude<S: Scalar>(values: &[S], magnitudes: &[f64]) -> S {
    let relative = 2.0 * tolerance::F64_INPUT_RELATIVE;
    let top = magnitudes.iter().copied().fold(0.0, f64::max) * (1.0 - relative);
    let candidates = (values.iter().zip(magnitudes))
        .filter(|&(_, &m)| m * (1.0 + relative) >= top)
        .map(|(v, _)| v);
    largest_magnitude(candidates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::small_rational::SmallRational;
    use mlcsc_spec::scalar::Rational;
    use num_bigint::BigInt;
    use num_traits::Zero;

    /// A pair `(Γ, Γ̂)` as the conclusions meet them: `Γ` sparse, `Γ̂` mostly on the same
    /// support, near it in value, sometimes equal to it, sometimes of the other sign or zero,
    /// sometimes nonzero off the support; values in every form of [`SmallRational`] (machine
    /// words, `i128`, big), now and then below the `f64` screens' magnitudes.
    fn pair(
        next: &mut impl FnMut(u64) -> u64,
    ) -> (LayerVector<SmallRational>, LayerVector<SmallRational>) {
        let (length, channels) = (1 + next(40) as usize, 1 + next(3) as usize);
        let size = length * channels;
        let scale = [1u64, 1 << 40, 1 << 62][next(3) as usize];
        let tiny = next(20) == 0;
        let value = |next: &mut dyn FnMut(u64) -> u64| {
            let n = (1 + next(9)) as i64 * if next(2) == 0 { 1 } else { -1 };
            let d = 1 + next(scale) as i64;
            let v = Rational::new(n.into(), d.into());
            let v = match next(8) {
                0 => v.clone() * v.clone() * v,
                // Below the screen's magnitudes: the definition's way is taken.
                1 if tiny => v / Rational::from_integer(BigInt::from(10).pow(120)),
                _ => v,
            };
            SmallRational::from(&v)
        };
        let mut truth = Vec::with_capacity(size);
        let mut estimate = Vec::with_capacity(size);
        let density = 1 + next(6);
        for _ in 0..size {
            let t = if next(8) < density {
                value(next)
            } else {
                SmallRational::from(&Rational::from_integer(0.into()))
            };
            let e = match next(10) {
                0 => SmallRational::from(&Rational::from_integer(0.into())),
                1 => t.clone(),
                2 => -t.clone(),
                3 => value(next),
                _ if t.is_zero() => t.clone(),
                _ => {
                    t.clone()
                        + value(next) / SmallRational::from(&Rational::from_integer(64.into()))
                }
            };
            truth.push(t);
            estimate.push(e);
        }
        let v = |e| LayerVector::from_entries(length, channels, e).expect("sizes agree");
        (v(truth), v(estimate))
    }

    /// The sparse measurement of the error is the definition's, on random pairs of every
    /// density, every width up to the length and one to three channels; the patch screen must
    /// answer in most cases.
    #[test]
    fn error_norms_equal_the_definition() {
        let mut stream = crate::test_stream::xorshift(0x3c6e_f372_fe94_f82b);
        let mut next = move |bound: u64| stream() % bound;
        let mut screened = 0;
        for case in 0..3000 {
            let (truth, estimate) = pair(&mut next);
            let width = 1 + next(truth.length() as u64) as usize;
            let plain = ErrorNorms::of(
                &truth,
                &estimate,
                width,
                mlcsc_spec::norms::patch_norm_squared,
            );
            assert_eq!(error_norms(&truth, &estimate, width), plain, "case {case}");
            let error = truth.difference(&estimate);
            let (indices, values): (Vec<usize>, Vec<SmallRational>) =
                (error.entries().iter().enumerate())
                    .filter(|(_, v)| !v.is_zero())
                    .map(|(k, v)| (k, v.clone()))
                    .unzip();
            let magnitudes: Vec<f64> = values.iter().map(|v| v.to_f64().abs()).collect();
            let sparse = SparseEntries {
                indices: &indices,
                values: &values,
                magnitudes: &magnitudes,
            };
            let shape = (truth.length(), truth.channels());
            screened += usize::from(sparse_patch_norm_squared(shape, width, sparse).is_some());
        }
        assert!(screened * 10 >= 3000 * 8, "{screened} of 3000 screened");
    }
}
