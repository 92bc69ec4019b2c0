//! Reading the fields of an instance file: exact numbers, whole numbers and sparse vectors,
//! each refused with the field's name; and the `f64` image of a number with the range the
//! screen demands of it.

use serde_json::Value;

use super::entry_value::EntryValue;
use super::error::InstanceError;
use super::instance::{EntryFile, InstanceFile};
use super::number::{rational_from_json, rational_to_text};
use crate::model::{Grid, LayerVector};
use crate::scalar::{Rational, Scalar};
use num_traits::{Signed, Zero};

/// What a number of an instance is, for the range demanded of it in `f64`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Quantity {
    /// A filter entry: at most 1 in magnitude by unit norm, any size below.
    FilterTap,
    /// A threshold, coefficient, noise entry or budget: within [`InstanceFile::F64_MAGNITUDES`].
    Magnitude,
}

/// [`float_image`] of a short decimal without its exact value: `Some` exactly when the file's
/// number (its text, [`crate::io::number::number_text`]) is a short decimal
/// ([`crate::io::number::decimal_text_f64`]) that `float_image` accepts, with the same `f64`;
/// `None` sends it to the exact path.
pub(super) fn fast_float_image(text: &str, quantity: Quantity) -> Option<f64> {
    let (low, high) = InstanceFile::F64_MAGNITUDES;
    crate::io::number::decimal_text_f64(text)
        .filter(|x| quantity != Quantity::Magnitude || (low..=high).contains(&x.abs()))
}

/// The `f64` image of a number, or why rounding would change it or mislead the screen.
pub(super) fn float_image(value: &Rational, quantity: Quantity) -> Result<f64, String> {
    let image = value.to_f64();
    let magnitude = || {
        let bits = value.numer().bits() as f64 - value.denom().bits() as f64;
        format!(
            "a number of magnitude about 1e{:.0}",
            bits * std::f64::consts::LOG10_2
        )
    };
    if !image.is_finite() {
        return Err(format!(
            "{} is beyond the range of f64 (|x| < 1.8e308); use --arithmetic exact",
            magnitude()
        ));
    }
    if !value.is_zero() && !image.is_normal() {
        return Err(format!(
            "{} is below the normal range of f64 (|x| ≥ 2.2e-308): rounding would change it; use --arithmetic exact",
            magnitude()
        ));
    }
    let (low, high) = InstanceFile::F64_MAGNITUDES;
    if quantity == Quantity::Magnitude && image != 0.0 && !(low..=high).contains(&image.abs()) {
        return Err(format!(
            "{} is outside [{low:e}, {high:e}], the magnitudes the f64 screen decides soundly; use --arithmetic exact or rescale",
            magnitude()
        ));
    }
    Ok(image)
}

pub(super) fn field(name: &str, message: &str) -> InstanceError {
    InstanceError::Field {
        field: name.to_string(),
        message: message.to_string(),
    }
}

pub(super) fn exact(value: &Value, name: &str) -> Result<Rational, InstanceError> {
    rational_from_json(value).map_err(|message| field(name, &message))
}

/// A positive whole number (a size, position or channel count).
pub(super) fn count(value: &Value, name: &str) -> Result<usize, InstanceError> {
    let index = index(value, name)?;
    if index == 0 {
        return Err(field(name, "is 0: it must be at least 1"));
    }
    Ok(index)
}

/// A non-negative whole number.
pub(super) fn index(value: &Value, name: &str) -> Result<usize, InstanceError> {
    // A plain JSON integer needs no rational (the common case: every position and channel).
    if let Some(n) = plain_index(value) {
        return Ok(n);
    }
    let number = exact(value, name)?;
    if !number.is_integer() || number.is_negative() {
        return Err(field(
            name,
            &format!(
                "{} is not a non-negative whole number",
                rational_to_text(&number)
            ),
        ));
    }
    number
        .to_integer()
        .try_into()
        .ok()
        .filter(|n: &usize| *n <= (1usize << 40))
        .ok_or_else(|| field(name, &format!("{} is too large", rational_to_text(&number))))
}

/// A sparse vector on `grid`: positions numbers on a line, `[row, column]` on an image grid
/// (the form checked when the file was parsed), each inside the grid, channels inside
/// `0..channels`, no position and channel twice.
pub(super) fn sparse_vector<S: Scalar>(
    entries: &[EntryFile],
    name: &str,
    grid: Grid,
    channels: usize,
    convert: &impl Fn(&Rational, Quantity) -> Result<S, String>,
    fast: &impl Fn(&str, Quantity) -> Option<S>,
) -> Result<LayerVector<S>, InstanceError> {
    let mut vector = LayerVector::zeros_on(grid, channels);
    // One bit per entry of the vector: which (position, channel) were given.
    let mut seen = vec![0u64; (vector.entries().len()).div_ceil(64)];
    for (k, entry) in entries.iter().enumerate() {
        let position_name = || format!("{name}[{k}].position");
        let position = match plain_position(&entry.position, grid) {
            Some(position) => position,
            None => entry_position(&entry.position.to_value(), &position_name(), grid)?.0,
        };
        let channel = match plain_whole(&entry.channel).filter(|c| *c < channels) {
            Some(channel) => channel,
            None => index(&entry.channel.to_value(), &format!("{name}[{k}].channel"))?,
        };
        if channel >= channels {
            return Err(field(
                &format!("{name}[{k}].channel"),
                &format!("{channel} is out of range 0..{channels}"),
            ));
        }
        let bit = position * channels + channel;
        let (word, mask) = (bit / 64, 1u64 << (bit % 64));
        let given_before = seen[word] & mask != 0;
        seen[word] |= mask;
        if given_before {
            let words = entry_position(&entry.position.to_value(), &position_name(), grid)?.1;
            return Err(field(
                &format!("{name}[{k}]"),
                &format!("a second entry for position {words}, channel {channel}"),
            ));
        }
        if let Some(value) = (entry.value.text()).and_then(|t| fast(t, Quantity::Magnitude)) {
            vector.set(position, channel, value);
            continue;
        }
        let value_name = format!("{name}[{k}].value");
        let value = exact(&entry.value.to_value(), &value_name)?;
        vector.set(
            position,
            channel,
            convert(&value, Quantity::Magnitude).map_err(|m| field(&value_name, &m))?,
        );
    }
    Ok(vector)
}

/// A plain JSON integer up to `2^40` (positions and channels, as files usually write them).
fn plain_index(value: &Value) -> Option<usize> {
    match value {
        Value::Number(n) => n.as_u64().filter(|n| *n <= 1 << 40).map(|n| n as usize),
        _ => None,
    }
}

/// [`plain_index`] of an entry's field.
fn plain_whole(value: &EntryValue) -> Option<usize> {
    (value.plain_whole())
        .filter(|n| *n <= 1 << 40)
        .map(|n| n as usize)
}

/// The position of an entry written plainly and inside the grid (a number on a line, a pair of
/// numbers on an image), without the words of [`entry_position`]; `None` for anything else,
/// which `entry_position` then reads or refuses.
fn plain_position(value: &EntryValue, grid: Grid) -> Option<usize> {
    match value.as_array() {
        Some(pair) => match pair.as_slice() {
            [row, column] => {
                let (row, column) = (plain_index(row)?, plain_index(column)?);
                (row < grid.rows && column < grid.columns).then(|| grid.position(row, column))
            }
            _ => None,
        },
        None => plain_whole(value).filter(|p| *p < grid.positions()),
    }
}

/// The position `p` of an entry and its words: a number in `0..N` on a line, a pair
/// `[row, column]` inside the `H × W` grid (`p = row W + column`) otherwise.
fn entry_position(value: &Value, name: &str, grid: Grid) -> Result<(usize, String), InstanceError> {
    let Value::Array(pair) = value else {
        let length = grid.positions();
        let position = index(value, name)?;
        if position >= length {
            return Err(field(
                name,
                &format!("{position} is out of range 0..{length} (signal-length)"),
            ));
        }
        return Ok((position, position.to_string()));
    };
    let [row, column] = pair.as_slice() else {
        return Err(field(
            name,
            &format!("{value} is not a position [row, column]"),
        ));
    };
    let row = index(row, &format!("{name}[0]"))?;
    let column = index(column, &format!("{name}[1]"))?;
    if row >= grid.rows || column >= grid.columns {
        return Err(field(
            name,
            &format!(
                "[{row}, {column}] is outside the grid of {} × {} positions: row {row} of 0..{}, column {column} of 0..{}",
                grid.rows, grid.columns, grid.rows, grid.columns
            ),
        ));
    }
    Ok((grid.position(row, column), format!("[{row}, {column}]")))
}
