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
    let accepted = accepted_shapes(grid, channels);
    if !accepted.contains(&shape) {
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

/// The shape and entries (C order) of a `.npy` file of floats or integers.
fn npy_values(bytes: &[u8]) -> Result<(Vec<usize>, Vec<Rational>), String> {
    let file = NpyFile::new(bytes).map_err(|e| format!("not a .npy file: {e}"))?;
    let shape: Vec<usize> = file.shape().iter().map(|&d| d as usize).collect();
    if file.order() == npyz::Order::Fortran {
        return Err("Fortran order; save it in C order (numpy.ascontiguousarray)".into());
    }
    let dtype = file.dtype();
    let floats: Vec<f64> = match &dtype {
        DType::Plain(t) if t.type_char() == TypeChar::Float && t.size_field() == 8 => {
            file.into_vec::<f64>().map_err(|e| e.to_string())?
        }
        DType::Plain(t) if t.type_char() == TypeChar::Float && t.size_field() == 4 => {
            let values = file.into_vec::<f32>().map_err(|e| e.to_string())?;
            values.into_iter().map(f64::from).collect()
        }
        DType::Plain(t) if t.type_char() == TypeChar::Int => {
            let values = file.into_vec::<i64>().map_err(|e| e.to_string())?;
            let exact = values.into_iter().map(|v| Rational::from_integer(v.into()));
            return Ok((shape, exact.collect()));
        }
        other => {
            return Err(format!(
                "dtype {other:?}; a signal is float64, float32 or integers"
            ));
        }
    };
    let values = floats
        .iter()
        .enumerate()
        .map(|(k, &x)| {
            Rational::from_float(x).ok_or_else(|| format!("entry {k} is {x}, not a finite number"))
        })
        .collect::<Result<_, _>>()?;
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
