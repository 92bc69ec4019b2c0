//! One layer of an instance file read: its filters converted tap by tap with their exact
//! squared norms, normalised when asked, checked as a layer, and its threshold.

use num_traits::{One, Signed, Zero};

use super::error::InstanceError;
use super::instance::LayerFile;
use super::instance_fields::{Quantity, exact, field};
use super::number::{number_text, rational_to_text};
use crate::model::{Layer, ModelError};
use crate::scalar::{Rational, Scalar};
use crate::threshold::Threshold;
use serde_json::Value;

/// `‖f‖` for a squared norm within [`crate::tolerance::UNIT_NORM_SQUARED`] of 1 whose square
/// root is rational (numerator and denominator perfect squares), else `None`.
fn exact_unit_scale(norm_squared: &Rational) -> Option<Rational> {
    let deviation = (norm_squared - Rational::one()).abs();
    if deviation > Rational::from_float(crate::tolerance::UNIT_NORM_SQUARED)? {
        return None;
    }
    let (numerator, denominator) = (norm_squared.numer(), norm_squared.denom());
    let (p, q) = (numerator.sqrt(), denominator.sqrt());
    (&p * &p == *numerator && &q * &q == *denominator).then(|| Rational::new(p, q))
}

/// The filters of a layer: `filters[c][t][k]`, tap `t` of filter `c` on input channel `k`.
type Filters<S> = Vec<Vec<Vec<S>>>;

/// The taps of filter `c` of layer `index + 1`, each with the name of its field up to the
/// input channel: `filters[c][t]` of a one-dimensional file, `filters[c][i][j]` (tap
/// `t = i n_w + j`) of an image file, whose cells are lists of input channels.
fn filter_taps(
    index: usize,
    c: usize,
    filter: &[Vec<Value>],
    image: bool,
) -> Vec<(String, &[Value])> {
    let at = format!("layers[{index}].filters[{c}]");
    if !image {
        return (filter.iter().enumerate())
            .map(|(t, tap)| (format!("{at}[{t}]"), tap.as_slice()))
            .collect();
    }
    let cells = filter.iter().enumerate().flat_map(|(i, row)| {
        let at = &at;
        (row.iter().enumerate()).map(move |(j, cell)| {
            let channels = cell.as_array().map_or(&[][..], Vec::as_slice);
            (format!("{at}[{i}][{j}]"), channels)
        })
    });
    cells.collect()
}

/// How the taps of a layer are read: `convert` from the exact value, or `fast` straight from
/// the file's number when it can (`None` sends a tap to `convert`); `exact_norms` when the
/// exact squared norms are needed (exact arithmetic, or normalising), else they are left 0.
pub(super) struct TapReader<'a, C, F> {
    /// The exact value's conversion.
    pub(super) convert: &'a C,
    /// The file number's conversion without its exact value, where it applies.
    pub(super) fast: &'a F,
    /// Whether to sum the exact squared norms.
    pub(super) exact_norms: bool,
}

/// The filters of layer `index + 1` converted tap by tap, with their exact squared norms.
fn layer_filters<S: Scalar, C, F>(
    index: usize,
    layer: &LayerFile,
    reader: &TapReader<'_, C, F>,
    image: bool,
) -> Result<(Filters<S>, Vec<Rational>), InstanceError>
where
    C: Fn(&Rational, Quantity) -> Result<S, String>,
    F: Fn(&str, Quantity) -> Option<S>,
{
    let convert = reader.convert;
    let number = index + 1;
    let mut filters = Vec::with_capacity(layer.filters.len());
    let mut norms_squared = Vec::with_capacity(layer.filters.len());
    for (c, filter) in layer.filters.iter().enumerate() {
        let mut taps = Vec::with_capacity(filter.len());
        let mut norm_squared = Rational::zero();
        for (at, tap) in filter_taps(index, c, filter, image) {
            let mut channels = Vec::with_capacity(tap.len());
            for (k, value) in tap.iter().enumerate() {
                if !reader.exact_norms {
                    let fast =
                        number_text(value).and_then(|t| (reader.fast)(t, Quantity::FilterTap));
                    if let Some(entry) = fast {
                        channels.push(entry);
                        continue;
                    }
                }
                let name = format!("{at}[{k}] (layer {number})");
                let entry = exact(value, &name)?;
                if reader.exact_norms {
                    Rational::multiply_accumulate(&mut norm_squared, &entry, &entry);
                }
                channels.push(convert(&entry, Quantity::FilterTap).map_err(|m| field(&name, &m))?);
            }
            taps.push(channels);
        }
        filters.push(taps);
        norms_squared.push(norm_squared);
    }
    Ok((filters, norms_squared))
}

/// Divides each filter of layer `index + 1` by its exact norm (its squared norm within
/// [`crate::tolerance::UNIT_NORM_SQUARED`] of 1 with a rational square root), then records
/// the squared norms as 1.
fn normalise_filters<S: Scalar>(
    index: usize,
    filters: &mut [Vec<Vec<S>>],
    norms_squared: &mut [Rational],
    convert: &impl Fn(&Rational, Quantity) -> Result<S, String>,
) -> Result<(), InstanceError> {
    let number = index + 1;
    for (c, filter) in filters.iter_mut().enumerate() {
        let norm = exact_unit_scale(&norms_squared[c]).ok_or_else(|| {
            field(
                &format!("layers[{index}].filters[{c}] (layer {number})"),
                &format!(
                    "squared norm {} is not within {} of 1, or its square root is irrational, so the filter has no exact normalised twin",
                    rational_to_text(&norms_squared[c]),
                    crate::tolerance::UNIT_NORM_SQUARED
                ),
            )
        })?;
        for value in filter.iter_mut().flatten() {
            let exact_value = value.to_rational().expect("exact") / &norm;
            *value = convert(&exact_value, Quantity::FilterTap)
                .map_err(|m| field(&format!("layers[{index}].filters[{c}]"), &m))?;
        }
        norms_squared[c] = Rational::one();
    }
    Ok(())
}

/// Layer `index + 1` of a file and its threshold, converted (the filters normalised first
/// when `normalise`; `image` when its filters are `[out][row][column][in]`, read row-major).
pub(super) fn build_layer<S: Scalar>(
    index: usize,
    layer: &LayerFile,
    convert: &impl Fn(&Rational, Quantity) -> Result<S, String>,
    fast: &impl Fn(&str, Quantity) -> Option<S>,
    (normalise, image): (bool, bool),
) -> Result<(Layer<S>, Threshold<S>), InstanceError> {
    let number = index + 1;
    let reader = TapReader {
        convert,
        fast,
        exact_norms: S::EXACT || normalise,
    };
    let (mut filters, mut norms_squared) = layer_filters(index, layer, &reader, image)?;
    if normalise {
        normalise_filters(index, &mut filters, &mut norms_squared, convert)?;
    }
    let layer_model = Layer::new(number, filters).map_err(|error| match error {
        // The exact squared norm, written as a rational rather than a debug dump.
        ModelError::FilterNotUnitNorm {
            layer,
            filter,
            hint,
            ..
        } if S::EXACT => ModelError::FilterNotUnitNorm {
            layer,
            filter,
            norm_squared: rational_to_text(&norms_squared[filter]),
            hint,
        },
        other => other,
    })?;
    let exact_beta = exact_threshold(index, &layer.threshold, layer_model.filter_count())?;
    let converted = (exact_beta.values().iter().enumerate())
        .map(|(c, beta)| {
            let name = threshold_name(index, &layer.threshold, c);
            convert(beta, Quantity::Magnitude).map_err(|m| field(&name, &m))
        })
        .collect::<Result<Vec<S>, _>>()?;
    let beta = match exact_beta {
        Threshold::Shared(_) => Threshold::Shared(converted.into_iter().next().expect("one")),
        Threshold::PerChannel(_) => Threshold::per_channel(converted),
    };
    Ok((layer_model, beta))
}

/// The field of entry `c` of layer `index + 1`'s threshold: `layers[0].threshold (layer 1)`
/// for one number, `layers[0].threshold[2] (layer 1)` in a list.
fn threshold_name(index: usize, threshold: &Value, c: usize) -> String {
    let number = index + 1;
    match threshold {
        Value::Array(_) => format!("layers[{index}].threshold[{c}] (layer {number})"),
        _ => format!("layers[{index}].threshold (layer {number})"),
    }
}

/// The threshold of layer `index + 1` as written, exactly: one number `β_i`, or a list with one
/// number `β_{i,c}` per output channel (`filter_count` of them; a list of equal numbers is
/// the shared threshold). Each number must be ≥ 0.
pub(super) fn exact_threshold(
    index: usize,
    threshold: &Value,
    filter_count: usize,
) -> Result<Threshold<Rational>, InstanceError> {
    let values: Vec<Rational> = match threshold {
        Value::Array(list) => {
            if list.len() != filter_count {
                return Err(field(
                    &format!("layers[{index}].threshold (layer {})", index + 1),
                    &format!(
                        "is a list of {} thresholds; a list has one per output channel, m_{} = {filter_count}",
                        list.len(),
                        index + 1
                    ),
                ));
            }
            let read = |(c, value)| exact(value, &threshold_name(index, threshold, c));
            list.iter()
                .enumerate()
                .map(read)
                .collect::<Result<_, _>>()?
        }
        single => vec![exact(single, &threshold_name(index, threshold, 0))?],
    };
    if let Some((c, beta)) = values.iter().enumerate().find(|(_, b)| b.is_negative()) {
        return Err(field(
            &threshold_name(index, threshold, c),
            &format!(
                "{} is negative; a threshold must be ≥ 0",
                rational_to_text(beta)
            ),
        ));
    }
    Ok(match threshold {
        Value::Array(_) => Threshold::per_channel(values),
        _ => Threshold::Shared(values.into_iter().next().expect("one number")),
    })
}
