//! The operations a statement computes in bulk, and the one door through which fast code
//! enters the mathematics.
//!
//! A statement is generic over a [`Kernels`] implementation. [`Plain`] *is* the definition:
//! `D_iᵀ` as the loop of docs/math.md §1, the thresholding operators entry by entry (§4), the
//! patch norm as a sliding sum over every position (§2), and the sign of a sum of square roots
//! by certified enclosures alone. Every other implementation (integer views, `f64` screens,
//! vector instructions) must give exactly what `Plain` gives; the agreement tests of `mlcsc` (`tests/all/engines_agree.rs`)
//! holds them to it.

use crate::error_norms::ErrorNorms;
use crate::model::{Layer, LayerVector};
use crate::norms::patch_norm_squared;
use crate::operators::analysis;
use crate::scalar::Scalar;
use crate::theorems::surd::{SignDecision, SquareClasses, Surd};
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

/// The bulk operations of the statements, each with the value of its definition.
///
/// # Laws
///
/// For every input, each method returns exactly the value [`Plain`]'s does (for an exact
/// scalar the same rational; a sign decision may differ only in the precision it reports when
/// both decide).
pub trait Kernels<S: Scalar> {
    /// `D_iᵀ Z`: the inner product of `Z` with every atom of layer `i`.
    fn analysis(layer: &Layer<S>, z: &LayerVector<S>) -> LayerVector<S>;

    /// `T_β(D_iᵀ Z)`: one layer of layered thresholding, channel `c` thresholded at `β_{i,c}`
    /// ([`Threshold::apply`]).
    fn thresholded_analysis(
        layer: &Layer<S>,
        z: &LayerVector<S>,
        thresholding: Thresholding,
        beta: &Threshold<S>,
    ) -> LayerVector<S> {
        beta.apply(thresholding, &Self::analysis(layer, z))
    }

    /// `(‖Z‖^P_{2,∞}(w))²`, the largest energy in a patch of `w` positions.
    fn patch_norm_squared(z: &LayerVector<S>, width: usize) -> S;

    /// What layer `i`'s estimate gets wrong: `‖Γ − Γ̂‖_∞`, `(‖Γ − Γ̂‖^P_{2,∞}(w))²` and the
    /// first entry where the signs differ, for `truth = Γ` and `estimate = Γ̂` of one shape
    /// ([`ErrorNorms::of`], the patch norm by [`Self::patch_norm_squared`]).
    fn error_norms(
        truth: &LayerVector<S>,
        estimate: &LayerVector<S>,
        width: usize,
    ) -> ErrorNorms<S> {
        ErrorNorms::of(truth, estimate, width, Self::patch_norm_squared)
    }

    /// The sign of a sum of square roots, certified (or `None` past the precision limit).
    fn sign(classes: &SquareClasses<S>, x: &Surd<S>) -> SignDecision;

    /// The sign of `x + c` for a rational `c`: [`Self::sign`] of [`Surd::add_rational`].
    fn sign_plus_rational(classes: &SquareClasses<S>, x: &Surd<S>, c: &S) -> SignDecision {
        Self::sign(classes, &x.add_rational(c))
    }

    /// The sign of `x² − c` for a rational `c`: [`Self::sign`] of the product
    /// [`SquareClasses::mul`] of `x` by itself, minus `c`.
    fn sign_square_minus(classes: &SquareClasses<S>, x: &Surd<S>, c: &S) -> SignDecision {
        Self::sign(classes, &classes.mul(x, x).add_rational(&-c.clone()))
    }
}

/// The definitions themselves, with no shortcut.
#[derive(Clone, Copy, Debug, Default)]
pub struct Plain;

impl<S: Scalar> Kernels<S> for Plain {
    fn analysis(layer: &Layer<S>, z: &LayerVector<S>) -> LayerVector<S> {
        analysis(layer, z)
    }

    fn patch_norm_squared(z: &LayerVector<S>, width: usize) -> S {
        patch_norm_squared(z, width)
    }

    fn sign(classes: &SquareClasses<S>, x: &Surd<S>) -> SignDecision {
        classes.certified_sign(x)
    }
}
