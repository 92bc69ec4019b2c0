//! The radius of a dense synthesis `D_i Γ` bounded as the kernel computes it: the sums
//! `|D̂| w` of each block of output rows replaced by their radii while the block is in cache,
//! rather than in passes over the whole output afterwards.

use super::hoisted::UpperBound;
use super::screen_layer::ScreenLayer;
use crate::fast::correlation::Correlation;
use crate::model::LayerVector;

/// The radii of `D_i Γ` with `terms` products per entry from the weights `w` of `Γ`, when
/// `stay_normal`, [`products_stay_normal`](super::reachability::products_stay_normal) for them, holds: each sum `s` of the kernel's
/// [`fast::synthesis`](crate::fast::synthesis)`(|D̂|, w)` (the same correlation, blocks and
/// multiply-adds) becomes `f64_upper_bound(s, terms + 6)` where `s > 0` and 0 elsewhere, the
/// radius [`super::enclosed`] gives (a computed 0 is then an entry no product reaches). `None`
/// otherwise, or when `w` is not a line of `m_i` channels: the caller takes the general path.
pub(super) fn bounded_synthesis_radius(
    layer: &ScreenLayer,
    w: &LayerVector<f64>,
    terms: usize,
    stay_normal: bool,
) -> Option<Vec<f64>> {
    let absolute = &layer.absolute;
    let shaped = w.is_line() && w.channels() == absolute.filter_count();
    if !(shaped && stay_normal) {
        return None;
    }
    let bound = UpperBound::new(terms + 6);
    let mut rad = vec![0.0; w.length() * absolute.input_channels()];
    Correlation::<f64>::synthesis(absolute).correlate(
        w.entries(),
        w.length(),
        &mut rad,
        &|block: &mut [f64]| {
            for s in block {
                let bounded = bound.of_positive(*s);
                *s = if *s > 0.0 { bounded } else { 0.0 };
            }
        },
    );
    Some(rad)
}
