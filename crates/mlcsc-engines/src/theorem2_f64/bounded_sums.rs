//! The radius of a dense synthesis `D_i Γ` bounded as the kernel computes it: the sums
//! `|D̂| w` of each block of output rows replaced by their radii while the block is in cache,
//! rather than in passes over the whole output afterwards; and the weights `w` formed block by
//! block as the kernel reads them, never stored whole.

use std::sync::{Mutex, PoisonError};

use super::enclosed::Enclosed;
use super::hoisted::UpperBound;
use super::reachability::{LeastPositive, form_weights, smallest_positive, stay_normal_from};
use super::screen_layer::ScreenLayer;
use crate::fast::correlation::Correlation;

/// The radii of `D_i Γ` with `terms` products per entry for `x` enclosing `Γ`, when the
/// weights `w` of `x` ([`ScreenLayer::weights`]) keep every product in the normal range
/// ([`products_stay_normal`](super::reachability::products_stay_normal)): each sum `s` of the
/// kernel's [`fast::synthesis`](crate::fast::synthesis)`(|D̂|, w)` (the same correlation, blocks
/// and multiply-adds) becomes `f64_upper_bound(s, terms + 6)` where `s > 0` and 0 elsewhere,
/// the radius [`super::enclosed`] gives (a computed 0 is then an entry no product reaches).
/// `None` otherwise, or when `x` is not a line of `m_i` channels: the caller takes the
/// general path.
///
/// The weights are formed block by block as the kernel reads them
/// ([`Correlation::correlate_filled`]), each as [`form_weights`] forms it, so they are never
/// stored whole; their least positive value and finiteness are gathered on the way (over
/// every weight, some of them twice where the blocks' windows overlap, which changes neither),
/// and the radii are kept only when the products stay normal.
pub(super) fn filled_synthesis_radius(
    layer: &ScreenLayer,
    x: &Enclosed,
    terms: usize,
) -> Option<Vec<f64>> {
    let absolute = &layer.absolute;
    let channels = absolute.filter_count();
    if !(x.mid.is_line() && x.mid.channels() == channels) {
        return None;
    }
    let (mid, rad) = (x.mid.entries(), &x.rad[..]);
    let factors = layer.weight_factors(terms);
    let least = Mutex::new(LeastPositive::new());
    let fill = |p: usize, rows: &mut [f64]| {
        let from = p * channels;
        let span = from..from + rows.len();
        let lanes = form_weights(&mid[span.clone()], &rad[span], factors, rows);
        (least.lock().unwrap_or_else(PoisonError::into_inner)).merge(&lanes);
    };
    let bound = UpperBound::new(terms + 6);
    let length = x.mid.length();
    let mut radii = vec![0.0; length * absolute.input_channels()];
    Correlation::<f64>::synthesis(absolute).correlate_filled(
        length,
        &fill,
        &mut radii,
        &|block: &mut [f64]| {
            for s in block {
                let bounded = bound.of_positive(*s);
                *s = if *s > 0.0 { bounded } else { 0.0 };
            }
        },
    );
    let least = least.into_inner().unwrap_or_else(PoisonError::into_inner);
    stay_normal_from(smallest_positive(absolute.taps()), least.smallest()).then_some(radii)
}
