//! The fast exact engine: the [`Kernels`] of campaigns and `check`.
//!
//! Same values as [`mlcsc_spec::kernels::Plain`], by the shortcuts proved in
//! `proofs/exact_shortcuts.md` of `mlcsc`: correlations summed on integer views (and the ones the
//! thresholding operator sends to zero recognised by an integer comparison), the largest patch
//! energy summed exactly only where an `f64` screen cannot rule a patch out, the error of an
//! estimate measured on the entries where it or the truth is nonzero, and the sign of a sum of
//! square roots taken from `f64` where its rigorous error bound settles it.

use std::sync::atomic::{AtomicBool, Ordering};

use mlcsc_spec::error_norms::ErrorNorms;
use mlcsc_spec::kernels::Kernels;
use mlcsc_spec::theorems::surd::{SignDecision, SquareClasses, Surd};

use crate::integer_view::IntegerView;
use crate::model::{Layer, LayerVector};
use crate::thresholding::Thresholding;
use mlcsc_spec::threshold::Threshold;

/// Integer views, the patch screen and the sign screen.
#[derive(Clone, Copy, Debug, Default)]
pub struct IntegerViews;

impl<S: IntegerView> Kernels<S> for IntegerViews {
    fn analysis(layer: &Layer<S>, z: &LayerVector<S>) -> LayerVector<S> {
        crate::integer_views::analysis(layer, z)
    }

    fn thresholded_analysis(
        layer: &Layer<S>,
        z: &LayerVector<S>,
        thresholding: Thresholding,
        beta: &Threshold<S>,
    ) -> LayerVector<S> {
        crate::integer_views::thresholded_analysis(layer, z, thresholding, beta)
    }

    fn patch_norm_squared(z: &LayerVector<S>, width: usize) -> S {
        crate::patch_screen::patch_norm_squared(z, width)
    }

    fn error_norms(
        truth: &LayerVector<S>,
        estimate: &LayerVector<S>,
        width: usize,
    ) -> ErrorNorms<S> {
        crate::error_screen::error_norms(truth, estimate, width)
    }

    fn sign(classes: &SquareClasses<S>, x: &Surd<S>) -> SignDecision {
        crate::surd_screen::sign(classes, x)
    }

    fn sign_plus_rational(classes: &SquareClasses<S>, x: &Surd<S>, c: &S) -> SignDecision {
        crate::surd_screen::sign_plus_rational(classes, x, c)
    }

    fn sign_square_minus(classes: &SquareClasses<S>, x: &Surd<S>, c: &S) -> SignDecision {
        crate::surd_screen::sign_square_minus(classes, x, c)
    }
}

/// Whether exact decisions use the reference engine (see [`use_reference_engine`]).
static REFERENCE_ENGINE: AtomicBool = AtomicBool::new(false);

/// Chooses the engine of exact decisions for this process: the fast exact engine (`false`, the
/// default: machine-word rationals, integer views and `f64` screens,
/// [`IntegerViews`]) or the reference (`true`: big
/// rationals and the specification's plain definitions,
/// [`Plain`](mlcsc_spec::kernels::Plain)). Both give the same verdicts and reports
/// (`mlcsc`'s `tests/all/engines_agree.rs`); the reference exists to be read and to be compared with.
pub fn use_reference_engine(reference: bool) {
    REFERENCE_ENGINE.store(reference, Ordering::Relaxed);
}

/// Whether exact decisions use the reference engine.
pub fn reference_engine() -> bool {
    REFERENCE_ENGINE.load(Ordering::Relaxed)
}
