//! The plain `f64` profile of a layer that the report gives: the specification's
//! [`dictionary_profile`] on the midpoint of `Γ_i`, its numbers from fewer passes.

use crate::coherence::mutual_coherence;
use crate::fast::stripe_and_patch_sparsity;
use crate::model::{Layer, LayerVector};
use crate::theorems::theorem2_bounds::{LayerProfile, dictionary_profile};

/// [`dictionary_profile`]`(layer, dictionary, gamma, width)`, the same numbers: on a line with
/// the paper's geometry the sparsities are the fast kernels' counts (exact, as the
/// specification's) and the magnitudes one pass that keeps the specification's comparisons;
/// elsewhere the specification's function itself.
#[cfg(test)]
pub(super) fn midpoint_profile(
    layer: usize,
    dictionary: &Layer<f64>,
    gamma: &LayerVector<f64>,
    width: usize,
) -> LayerProfile<f64> {
    midpoint_profile_with(layer, dictionary, gamma, width, Known::default())
}

/// Numbers of the profile another pass has already found, each the very `f64` the profile
/// would compute.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Known {
    /// [`support_magnitude_range`] of `Γ_i`'s entries.
    pub range: Option<(f64, f64)>,
    /// `μ(D_i)` as [`mutual_coherence`] gives it.
    pub coherence: Option<f64>,
}

/// [`midpoint_profile`], with the numbers in `known` taken as found (on the paper's geometry;
/// the specification's function ignores them).
pub(super) fn midpoint_profile_with(
    layer: usize,
    dictionary: &Layer<f64>,
    gamma: &LayerVector<f64>,
    width: usize,
    known: Known,
) -> LayerProfile<f64> {
    let n = dictionary.filter_length();
    if !(dictionary.has_paper_geometry() && gamma.is_line() && width > 0 && n > 0) {
        return dictionary_profile(layer, dictionary, gamma, width);
    }
    let (gamma_min, gamma_max) = known
        .range
        .unwrap_or_else(|| support_magnitude_range(gamma.entries()));
    let (stripe_sparsity, patch_sparsity) = stripe_and_patch_sparsity(gamma, n, width);
    LayerProfile {
        layer,
        coherence: (known.coherence).unwrap_or_else(|| mutual_coherence(dictionary)),
        stripe_sparsity,
        patch_sparsity,
        patch_width: width,
        gamma_min,
        gamma_max,
    }
}

/// [`LayerVector::support_magnitude_range`] of these entries, `(0, 0)` without a nonzero: the
/// first nonzero's magnitude, then each later one taken where it is strictly beyond (so a NaN
/// first stays, and a NaN later is passed over, as there).
fn support_magnitude_range(entries: &[f64]) -> (f64, f64) {
    let mut magnitudes = entries.iter().filter(|v| **v != 0.0).map(|v| v.abs());
    let Some(first) = magnitudes.next() else {
        return (0.0, 0.0);
    };
    magnitudes.fold((first, first), |(lo, hi), a| {
        (if a < lo { a } else { lo }, if a > hi { a } else { hi })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The profile against the specification's, on vectors with zeros, signed zeros, ties,
    /// a NaN first and later, at widths from 1 past the length.
    #[test]
    fn the_midpoint_profile_is_the_specifications() {
        // Two filters of three taps on two channels, not unit (the profile does not ask).
        let filter = |k: usize| {
            (0..3)
                .map(|t| {
                    (0..2)
                        .map(|c| ((k * 5 + t * 3 + c) % 7) as f64 - 3.0)
                        .collect()
                })
                .collect()
        };
        let layer = Layer::new_unchecked_norm(2, vec![filter(0), filter(1)]).expect("a layer");
        let cases: [&[f64]; 5] = [
            &[
                0.0, 1.5, -0.0, -2.0, 0.0, 0.0, 3.0, -1.5, 0.0, 0.25, 0.0, 0.0,
            ],
            &[0.0; 12],
            &[
                f64::NAN,
                1.0,
                0.0,
                2.0,
                0.0,
                0.0,
                -3.0,
                0.0,
                0.0,
                0.0,
                5.0,
                0.0,
            ],
            &[
                1.0,
                f64::NAN,
                0.0,
                -7.0,
                0.0,
                0.5,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                2.0,
            ],
            &[
                -1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0,
            ],
        ];
        for entries in cases {
            let gamma = LayerVector::from_entries(6, 2, entries.to_vec()).expect("a vector");
            for width in 1..=8 {
                let fast = midpoint_profile(2, &layer, &gamma, width);
                let spec = dictionary_profile(2, &layer, &gamma, width);
                let bits = |p: &LayerProfile<f64>| {
                    (
                        p.coherence.to_bits(),
                        p.gamma_min.to_bits(),
                        p.gamma_max.to_bits(),
                        p.stripe_sparsity,
                        p.patch_sparsity,
                        p.patch_width,
                        p.layer,
                    )
                };
                assert_eq!(bits(&fast), bits(&spec), "{entries:?} at width {width}");
            }
        }
    }
}
