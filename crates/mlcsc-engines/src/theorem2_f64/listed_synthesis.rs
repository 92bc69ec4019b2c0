//! The synthesis `D_K Γ_K` from the listing of `Γ_K`'s nonzero entries and weights
//! ([`SparseEntries`]): the midpoint and the radius of [`synthesize_from`](super::enclosed::synthesize_from), each from the
//! listing alone where the sparse sums of [`super::sparse_sums`] apply. Without the radii of
//! `Γ_K` written out ([`super::deepest::listed_deepest`]), the synthesis is taken this way
//! when the count product, the only part that would read them, is not needed.

use std::borrow::Cow;

use super::enclosed::{Enclosed, bound_sums};
use super::reachability::products_stay_normal;
use super::screen_layer::ScreenLayer;
use super::sparse_sums::{SparseEntries, sparse_synthesis, sparse_synthesis_sums};
use crate::fast;
use crate::model::LayerVector;

/// The midpoint `D̂ x̂` of [`synthesize_from`](super::enclosed::synthesize_from): from the nonzero entries listed in `sparse`
/// when [`sparse_synthesis`] applies, else by the kernel.
pub(super) fn listed_midpoint(
    layer: &ScreenLayer,
    mid: &LayerVector<f64>,
    sparse: Option<&SparseEntries>,
) -> LayerVector<f64> {
    let f = &layer.filters;
    let length = mid.length();
    let listed = sparse.and_then(|s| sparse_synthesis(f, length, &s.values));
    let listed = listed.map(|entries| {
        LayerVector::from_entries(length, f.input_channels(), entries).expect("shape")
    });
    listed.unwrap_or_else(|| fast::synthesis(f, mid))
}

/// The radius of [`synthesize_from`](super::enclosed::synthesize_from) from the nonzero weights alone
/// ([`sparse_synthesis_sums`], bounded by [`bound_sums`]), `counts` giving the count
/// product where reachability needs it; `None` when the sums are not formed so, or the count
/// product is needed and `counts` gives none.
pub(super) fn listed_radius(
    layer: &ScreenLayer,
    length: usize,
    nonzero: &[(usize, f64)],
    counts: impl FnOnce() -> Option<LayerVector<f64>>,
) -> Option<Vec<f64>> {
    let f = &layer.filters;
    let k = f.filter_length() * f.filter_count();
    let mut rad = sparse_synthesis_sums(&layer.absolute, length, nonzero)?;
    let stay_normal = || products_stay_normal(layer, nonzero.iter().map(|(_, w)| w));
    bound_sums(&mut rad, k, stay_normal, counts).then_some(rad)
}

/// [`synthesize_from`](super::enclosed::synthesize_from)`(layer, x, Some(sparse))` for `x` of midpoints `mid` and the listing
/// `sparse` of its entries and weights, without reading `x`'s radii: `None` where the radius
/// would need them (the sums not formed from the listing, or the count product needed).
pub(super) fn synthesize_listed(
    layer: &ScreenLayer,
    mid: &LayerVector<f64>,
    sparse: &SparseEntries,
) -> Option<Enclosed<'static>> {
    let rad = listed_radius(layer, mid.length(), &sparse.weights, || None)?;
    Some(Enclosed {
        mid: Cow::Owned(listed_midpoint(layer, mid, Some(sparse))),
        rad,
    })
}
