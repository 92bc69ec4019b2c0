//! The norms of the error `Γ_i − Γ̂_i` that the report gives, from the midpoints.

use crate::model::LayerVector;

/// `(‖Γ_i − Γ̂_i‖^P_2,∞)²` and `‖Γ_i − Γ̂_i‖_∞` of the midpoints, as the report gives them.
pub(super) struct ErrorNorms {
    pub(super) patch_squared: f64,
    pub(super) largest: f64,
}

/// Positions of the difference formed at a time by [`ErrorNorms::of_difference`].
const DIFFERENCE_BLOCK: usize = 1024;

impl ErrorNorms {
    /// Zeros, for a check of the hypotheses alone ([`super::layer::check_layer`]).
    pub(super) const NONE: ErrorNorms = ErrorNorms {
        patch_squared: 0.0,
        largest: 0.0,
    };

    /// The norms of `truth − estimate` without forming it: block by block, the same
    /// differences, the same energy of each position ([`crate::fast::norms::energies`] is
    /// position by position) and the same largest entry as [`LayerVector::max_abs`] (the
    /// largest magnitude of a nonzero, NaN passed over).
    pub(super) fn of_difference(
        truth: &LayerVector<f64>,
        estimate: &LayerVector<f64>,
        width: usize,
    ) -> Self {
        let channels = truth.channels().max(1);
        let mut energies = Vec::with_capacity(truth.length());
        let mut block = Vec::with_capacity(DIFFERENCE_BLOCK * channels);
        let mut largest = 0.0f64;
        let chunk = DIFFERENCE_BLOCK * channels;
        for (a, b) in truth
            .entries()
            .chunks(chunk)
            .zip(estimate.entries().chunks(chunk))
        {
            block.clear();
            block.extend(a.iter().zip(b).map(|(x, y)| x - y));
            for d in &block {
                if *d != 0.0 && d.abs() > largest {
                    largest = d.abs();
                }
            }
            energies.extend(crate::fast::norms::energies(&block, channels));
        }
        ErrorNorms {
            patch_squared: crate::fast::norms::windowed_maximum(&energies, width),
            largest,
        }
    }
}
