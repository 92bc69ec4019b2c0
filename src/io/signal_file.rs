//! A user's own signal `Y` for `forward --signal FILE`, in place of the instance's `X + E`:
//! a `.npy` array (`float64`, `float32` or integers, C order) or a JSON array of numbers (or
//! strings `"p/q"`), shaped position-major with channels last, as the model reads it:
//! `[N]` or `[N, m_0]` for a one-dimensional model, `[H, W]` or `[H, W, m_0]` for an image.
//! Every `f64` is a rational, so the signal is read exactly.

use std::path::Path;

use npyz::{DType, NpyFile, TypeChar};
use serde_json::Value;

use super::number::rational_from_json;
use crate::model::{Grid, LayerVector};
use crate::scalar::Rational;

/// The largest signal file read (1 GiB): 2^27 entries of `float64`.
pub const MAX_SIGNAL_BYTES: u64 = 1 << 30;

/// Reads the signal of `path` for a model whose signal lies on `grid` with `channels`
/// channels; errors name the file, the shape expected and the shape found, or the entry.
pub fn read_signal(
    path: &Path,
    grid: Grid,
    channels: usize,
) -> Result<LayerVector<Rational>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    if size > MAX_SIGNAL_BYTES {
        return Err(format!(
            "{}: {size} bytes, above the {MAX_SIGNAL_BYTES} a signal file may have",
            path.display()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (shape, values) = if path.extension().is_some_and(|e| e == "npy") {
        npy_values(&bytes)
    } else {
        json_values(&bytes)
    }
    .map_err(|reason| format!("{}: {reason}", path.display()))?;
    check_shape(path, &shape, grid, channels)?;
    LayerVector::from_entries(grid.positions(), channels, values)
        .and_then(|v| v.on_grid(grid))
        .ok_or_else(|| format!("{}: the entries do not fill the shape", path.display()))
}

/// The shapes a signal on `grid` with `channels` channels may be written in.
fn accepted_shapes(grid: Grid, channels: usize) -> Vec<Vec<usize>> {
    let positions: Vec<usize> = if grid.rows == 1 {
        vec![grid.columns]
    } else {
        vec![grid.rows, grid.columns]
    };
    let mut with_channels = positions.clone();
    with_channels.push(channels);
    if channels == 1 {
        vec![positions, with_channels]
    } else {
        vec![with_channels]
    }
}

/// Reads the signal of `path` as `f64`, for `--arithmetic f64`: a `.npy` file is decoded
/// straight from the file (no copy of its bytes, no rational per entry), so a dense signal of
/// `2^24` entries takes 128 MB and a fraction of a second; integers are rounded as the exact
/// signal's rationals would be (exactly, up to `2^53`); a JSON file is read exactly, then rounded.
/// The same shapes and errors as [`read_signal`].
pub fn read_signal_f64(
    path: &Path,
    grid: Grid,
    channels: usize,
) -> Result<LayerVector<f64>, String> {
    if path.extension().is_none_or(|e| e != "npy") {
        return read_signal(path, grid, channels).map(|y| y.to_f64());
    }
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    if size > MAX_SIGNAL_BYTES {
        return Err(format!(
            "{}: {size} bytes, above the {MAX_SIGNAL_BYTES} a signal file may have",
            path.display()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (shape, values) = npy_floats(std::io::BufReader::new(file))
        .map_err(|reason| format!("{}: {reason}", path.display()))?;
    check_shape(path, &shape, grid, channels)?;
    LayerVector::from_entries(grid.positions(), channels, values)
        .and_then(|v| v.on_grid(grid))
        .ok_or_else(|| format!("{}: the entries do not fill the shape", path.display()))
}

/// Refuses a shape the model does not read, naming the shapes it does.
fn check_shape(path: &Path, shape: &[usize], grid: Grid, channels: usize) -> Result<(), String> {
    let accepted = accepted_shapes(grid, channels);
    if !accepted.iter().any(|s| s == shape) {
        return Err(format!(
            "{}: the signal has shape {shape:?}; the model reads {} (channels last)",
            path.display(),
            accepted
                .iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    Ok(())
}

/// The numbers of a `.npy` stream as stored: floats (float64, or float32 widened exactly) or
/// integers.
enum NpyNumbers {
    Floats(Vec<f64>),
    Integers(Vec<i64>),
}

/// The shape (C order) and numbers of a `.npy` stream of floats or integers.
fn npy_numbers(reader: impl std::io::Read) -> Result<(Vec<usize>, NpyNumbers), String> {
    let file = NpyFile::new(reader).map_err(|e| format!("not a .npy file: {e}"))?;
    let shape: Vec<usize> = file.shape().iter().map(|&d| d as usize).collect();
    if file.order() == npyz::Order::Fortran {
        return Err("Fortran order; save it in C order (numpy.ascontiguousarray)".into());
    }
    let dtype = file.dtype();
    let numbers = match &dtype {
        DType::Plain(t) if t.type_char() == TypeChar::Float && t.size_field() == 8 => {
            NpyNumbers::Floats(file.into_vec::<f64>().map_err(|e| e.to_string())?)
        }
        DType::Plain(t) if t.type_char() == TypeChar::Float && t.size_field() == 4 => {
            let values = file.into_vec::<f32>().map_err(|e| e.to_string())?;
            NpyNumbers::Floats(values.into_iter().map(f64::from).collect())
        }
        DType::Plain(t) if t.type_char() == TypeChar::Int => {
            NpyNumbers::Integers(file.into_vec::<i64>().map_err(|e| e.to_string())?)
        }
        other => {
            return Err(format!(
                "dtype {other:?}; a signal is float64, float32 or integers"
            ));
        }
    };
    Ok((shape, numbers))
}

/// The shape and entries (C order) of a `.npy` stream of floats or integers, as `f64`; every
/// entry finite.
fn npy_floats(reader: impl std::io::Read) -> Result<(Vec<usize>, Vec<f64>), String> {
    let (shape, numbers) = npy_numbers(reader)?;
    let values: Vec<f64> = match numbers {
        NpyNumbers::Floats(values) => values,
        NpyNumbers::Integers(values) => {
            // Exact up to 2^53; beyond, rounded as the exact signal's rational would be.
            let exact_limit = 1i64 << 53;
            let rounded = |v: i64| match v.unsigned_abs() <= exact_limit.unsigned_abs() {
                true => v as f64,
                false => crate::scalar::Scalar::to_f64(&Rational::from_integer(v.into())),
            };
            values.into_iter().map(rounded).collect()
        }
    };
    if let Some((k, x)) = values.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        return Err(format!("entry {k} is {x}, not a finite number"));
    }
    Ok((shape, values))
}

/// The shape and entries (C order) of a `.npy` file of floats or integers, exactly.
fn npy_values(bytes: &[u8]) -> Result<(Vec<usize>, Vec<Rational>), String> {
    let (shape, numbers) = npy_numbers(bytes)?;
    let values = match numbers {
        NpyNumbers::Integers(values) => values
            .into_iter()
            .map(|v| Rational::from_integer(v.into()))
            .collect(),
        NpyNumbers::Floats(floats) => floats
            .iter()
            .enumerate()
            .map(|(k, &x)| {
                Rational::from_float(x)
                    .ok_or_else(|| format!("entry {k} is {x}, not a finite number"))
            })
            .collect::<Result<_, _>>()?,
    };
    Ok((shape, values))
}

/// The shape and entries (row-major) of a JSON array of numbers nested to any depth.
fn json_values(bytes: &[u8]) -> Result<(Vec<usize>, Vec<Rational>), String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let mut shape = Vec::new();
    let mut level = &value;
    while let Value::Array(items) = level {
        shape.push(items.len());
        match items.first() {
            Some(first) => level = first,
            None => break,
        }
    }
    let mut values = Vec::new();
    flatten(&value, &shape, &mut values, "signal")?;
    Ok((shape, values))
}

/// Appends the entries of `value` (an array of shape `shape`) in row-major order.
fn flatten(
    value: &Value,
    shape: &[usize],
    out: &mut Vec<Rational>,
    at: &str,
) -> Result<(), String> {
    match (value, shape.split_first()) {
        (Value::Array(items), Some((&length, rest))) if items.len() == length => {
            for (k, item) in items.iter().enumerate() {
                flatten(item, rest, out, &format!("{at}[{k}]"))?;
            }
            Ok(())
        }
        (Value::Array(items), _) => Err(format!(
            "{at} has {} entries: the array is ragged",
            items.len()
        )),
        (number, None) => {
            out.push(rational_from_json(number).map_err(|e| format!("{at}: {e}"))?);
            Ok(())
        }
        (_, Some(_)) => Err(format!("{at} is a number where an array was expected")),
    }
}
