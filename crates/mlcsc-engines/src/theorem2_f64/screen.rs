//! Which quantities an `f64` screen's report may carry: outside a range its comparisons are
//! not to be trusted.

use crate::theorem2_report::Theorem2Report;
use crate::tolerance;

/// The first quantity of an `f64` screen's report that is not finite or lies outside
/// [`tolerance::SCREEN_MAGNITUDES`], with its layer (0 for `ε_0`). Outside that range squares
/// overflow to `inf` or underflow to 0, and a comparison such as `inf ≤ inf` or `0 ≤ 0` would
/// pass a violated bound, so [`check_theorem2_f64`](super::check_theorem2_f64)
/// turns such a screen into [`Verdict::Undecided`](crate::theorems::verdict::Verdict::Undecided). Loaded files are checked against the range
/// when read; an [`Instance`](crate::instance::Instance) built in code, or a deep chain of
/// layers, can still carry a quantity outside.
pub fn screen_out_of_range(report: &Theorem2Report) -> Option<(usize, String)> {
    let (low, high) = tolerance::SCREEN_MAGNITUDES;
    let mut quantities = vec![(0, "ε_0".to_string(), report.epsilon_0)];
    for l in &report.layers {
        let i = l.layer;
        quantities.extend([
            (i, format!("|Γ_{i}^min|"), l.gamma_min),
            (i, format!("|Γ_{i}^max|"), l.gamma_max),
            (i, format!("β_{i}"), l.threshold),
            (i, format!("ε_{i}"), l.epsilon),
            (i, format!("‖Γ_{i} − Γ̂_{i}‖_∞"), l.error_max),
            (i, format!("‖Γ_{i} − Γ̂_{i}‖^P_2,∞"), l.error_patch_norm),
        ]);
        for (name, value) in [("window_low", l.window_low), ("window_high", l.window_high)] {
            if !value.is_finite() {
                return Some((i, format!("the {name} of layer {i} is {value}")));
            }
        }
    }
    quantities.into_iter().find_map(|(layer, what, value)| {
        let outside = !value.is_finite() || (value != 0.0 && !(low..=high).contains(&value.abs()));
        outside.then(|| {
            (
                layer,
                format!("{what} = {value:e} is outside [{low:e}, {high:e}]"),
            )
        })
    })
}
