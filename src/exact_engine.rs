//! The fast exact engine: the [`Kernels`] of campaigns and `check`.
//!
//! Same values as [`crate::kernels::Plain`], by three shortcuts proved in
//! `proofs/exact_shortcuts.md`: correlations summed on integer views (and the ones the
//! thresholding operator sends to zero recognised by an integer comparison), the largest patch
//! energy summed exactly only where an `f64` screen cannot rule a patch out, and the sign of a
//! sum of square roots taken from `f64` where its rigorous error bound settles it.

use crate::kernels::Kernels;
use crate::model::{Layer, LayerVector};
use crate::scalar::Scalar;
use crate::theorems::surd::{SignDecision, SquareClasses, Surd};
use crate::thresholding::Thresholding;

/// Integer views, the patch screen and the sign screen.
#[derive(Clone, Copy, Debug, Default)]
pub struct IntegerViews;

impl<S: Scalar> Kernels<S> for IntegerViews {
    fn analysis(layer: &Layer<S>, z: &LayerVector<S>) -> LayerVector<S> {
        crate::operators::analysis(layer, z)
    }

    fn thresholded_analysis(
        layer: &Layer<S>,
        z: &LayerVector<S>,
        thresholding: Thresholding,
        beta: &S,
    ) -> LayerVector<S> {
        crate::operators::thresholded_analysis(layer, z, thresholding, beta)
    }

    fn patch_norm_squared(z: &LayerVector<S>, width: usize) -> S {
        crate::norms::patch_norm_squared(z, width)
    }

    fn sign(classes: &SquareClasses<S>, x: &Surd<S>) -> SignDecision {
        classes.sign(x)
    }
}
