//! An instance file with every filter made exactly unit ([`crate::rationalize`]): the same
//! file, number for number, but each filter replaced by a rational vector of squared norm
//! exactly 1 near the filter divided by its norm, with a report per layer and filter.

use serde_json::Value;

use super::instance::InstanceFile;
use super::instance_fields::{exact, field};
use super::number::rational_to_text;
use crate::rationalize::{Aim, UnitFilter, unit_filter};
use crate::scalar::Rational;

/// One filter of a rationalized instance.
#[derive(Clone, Debug)]
pub struct FilterReport {
    /// The layer, counted from 1.
    pub layer: usize,
    /// The filter, `filters[filter]` of the layer (counted from 0, as in the file).
    pub filter: usize,
    /// The unit filter written.
    pub unit: UnitFilter,
    /// Whether the filter was already of exactly unit norm, and kept as written.
    pub kept: bool,
}

/// The name of filter `c` of layer `index + 1` in messages.
fn filter_name(index: usize, c: usize) -> String {
    format!(
        "layers[{index}].filters[{c}] (layer {}, filter {c})",
        index + 1
    )
}

/// The taps of filter `c` of layer `index + 1`, flattened (`filters[c][t][k]`, `t` then `k`),
/// each read exactly; a tap that is not a finite number is refused by name.
fn read_filter(index: usize, c: usize, filter: &[Vec<Value>]) -> Result<Vec<Rational>, String> {
    let mut taps = Vec::new();
    for (t, tap) in filter.iter().enumerate() {
        for (k, value) in tap.iter().enumerate() {
            let name = format!(
                "layers[{index}].filters[{c}][{t}][{k}] (layer {}, filter {c})",
                index + 1
            );
            taps.push(exact(value, &name).map_err(|e| e.to_string())?);
        }
    }
    Ok(taps)
}

/// `taps` written back in the filter's shape, `filters[c][t][k]`.
fn reshape(shape: &[Vec<Value>], taps: &[Rational]) -> Vec<Vec<Value>> {
    let mut values = taps.iter();
    shape
        .iter()
        .map(|tap| {
            tap.iter()
                .map(|_| Value::String(rational_to_text(values.next().expect("as many taps"))))
                .collect()
        })
        .collect()
}

/// The instance with every filter made exactly unit as `aim` asks, and a report per layer
/// and filter. A tap that is not a finite number, and a filter whose taps are all zero, are
/// refused, naming the layer and filter; the result is checked as an exact instance (every
/// other field as the file gave it) before it is returned.
pub fn rationalize_instance(
    file: &InstanceFile,
    aim: &Aim,
) -> Result<(InstanceFile, Vec<FilterReport>), String> {
    let mut written = file.clone();
    let mut reports = Vec::new();
    for (index, layer) in written.layers.iter_mut().enumerate() {
        for (c, filter) in layer.filters.iter_mut().enumerate() {
            let taps = read_filter(index, c, filter)?;
            let unit = unit_filter(&taps, aim)
                .map_err(|why| field(&filter_name(index, c), &why.to_string()).to_string())?;
            let kept = unit.taps == taps && unit.denominator == 1.into();
            if !kept {
                *filter = reshape(filter, &unit.taps);
            }
            reports.push(FilterReport {
                layer: index + 1,
                filter: c,
                unit,
                kept,
            });
        }
    }
    written
        .to_exact()
        .map_err(|e| format!("the instance with unit filters is still not valid: {e}"))?;
    Ok((written, reports))
}

/// The largest distance bound of the reports (0 for none).
pub fn largest_distance_bound(reports: &[FilterReport]) -> f64 {
    reports
        .iter()
        .map(|r| r.unit.distance_bound())
        .fold(0.0, f64::max)
}
