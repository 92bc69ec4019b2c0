//! The refusals of the `safetensors` crate in words that name the file and, where one tensor is
//! at fault, the tensor: the header is read again here, without trusting it, to find which.

use std::path::Path;

use safetensors::SafeTensorError;
use safetensors::tensor::Dtype;
use serde_json::Value;

use super::error::NetworkError;
use super::manifest_fields::shown;

/// The largest header the crate reads.
const MAX_HEADER_BYTES: u64 = 100_000_000;

/// A tensor's entry in the header, read without trusting it.
struct Entry {
    name: String,
    dtype: Value,
    shape: Value,
    offsets: Value,
}

impl Entry {
    /// `data_offsets` as `(start, end)`, when they are two whole numbers.
    fn offsets(&self) -> Option<(u64, u64)> {
        match self.offsets.as_array().map(Vec::as_slice) {
            Some([start, end]) => Some((start.as_u64()?, end.as_u64()?)),
            _ => None,
        }
    }

    /// The bytes its shape and dtype take, when both are readable.
    fn declared_bytes(&self) -> Option<u64> {
        let dtype: Dtype = serde_json::from_value(self.dtype.clone()).ok()?;
        let entries = self
            .shape
            .as_array()?
            .iter()
            .try_fold(1u64, |n, d| n.checked_mul(d.as_u64()?))?;
        entries
            .checked_mul(dtype.bitsize() as u64)
            .map(|bits| bits / 8)
    }
}

/// The header length written in the first 8 bytes.
fn header_length(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?))
}

/// The tensors' entries of the header, in the file's order (none when it is not a JSON object).
fn entries(bytes: &[u8]) -> Vec<Entry> {
    let header = header_length(bytes)
        .and_then(|n| bytes.get(8..usize::try_from(n).ok()?.checked_add(8)?))
        .and_then(|text| serde_json::from_slice::<Value>(text).ok());
    let Some(Value::Object(map)) = header else {
        return Vec::new();
    };
    let field = |value: &Value, key: &str| value.get(key).cloned().unwrap_or(Value::Null);
    map.iter()
        .filter(|(name, _)| name.as_str() != "__metadata__")
        .map(|(name, value)| Entry {
            name: name.clone(),
            dtype: field(value, "dtype"),
            shape: field(value, "shape"),
            offsets: field(value, "data_offsets"),
        })
        .collect()
}

/// The crate's refusal of the bytes of `path`, naming the tensor at fault where there is one.
pub(super) fn explain(error: &SafeTensorError, bytes: &[u8], path: &Path) -> NetworkError {
    let file = |message: String| NetworkError::File {
        path: path.to_path_buf(),
        message: format!("not a valid .safetensors file: {message}"),
    };
    let tensor = |entry: &Entry, message: String| NetworkError::Tensor {
        path: path.to_path_buf(),
        tensor: entry.name.clone(),
        message,
    };
    let length = header_length(bytes).unwrap_or(0);
    let data_length = (bytes.len() as u64)
        .saturating_sub(8)
        .saturating_sub(length);
    let entries = entries(bytes);
    match error {
        SafeTensorError::HeaderTooSmall => file(format!(
            "the file holds {} bytes, fewer than the 8 of the header length",
            bytes.len()
        )),
        SafeTensorError::HeaderTooLarge => file(format!(
            "the header length {length} is larger than the {MAX_HEADER_BYTES} bytes a header may take"
        )),
        SafeTensorError::InvalidHeaderLength => file(format!(
            "the header length {length} passes the end of the file, which holds {} bytes after it",
            bytes.len().saturating_sub(8)
        )),
        SafeTensorError::InvalidHeader(e) => file(format!("the header is not UTF-8 text: {e}")),
        SafeTensorError::InvalidHeaderDeserialization(e) => {
            match entries.iter().find(|entry| {
                entry.dtype.is_string()
                    && serde_json::from_value::<Dtype>(entry.dtype.clone()).is_err()
            }) {
                Some(entry) => tensor(
                    entry,
                    format!(
                        "unknown dtype {}; a weight must be F32, F64, F16 or BF16",
                        shown(&entry.dtype)
                    ),
                ),
                None => file(format!("its header is not a safetensors header: {e}")),
            }
        }
        SafeTensorError::InvalidOffset(name) => match entries.iter().find(|e| &e.name == name) {
            Some(entry) => tensor(
                entry,
                format!(
                    "data_offsets {} leave a gap or an overlap: the tensors' offsets must tile the data in order from byte 0",
                    shown(&entry.offsets)
                ),
            ),
            None => file(format!("the data_offsets of tensor `{name}` are invalid")),
        },
        SafeTensorError::TensorInvalidInfo => size_mismatch(&entries, tensor)
            .unwrap_or_else(|| file("a tensor's data_offsets do not match its shape and dtype".into())),
        SafeTensorError::MetadataIncompleteBuffer => incomplete(&entries, data_length, tensor)
            .unwrap_or_else(|| {
                file(format!(
                    "the tensors' data_offsets do not cover the {data_length} bytes of data after the header"
                ))
            }),
        other => file(other.to_string()),
    }
}

/// The tensor whose data_offsets span other than the bytes its shape and dtype take.
fn size_mismatch(
    entries: &[Entry],
    tensor: impl Fn(&Entry, String) -> NetworkError,
) -> Option<NetworkError> {
    entries.iter().find_map(|entry| {
        let (start, end) = entry.offsets()?;
        let declared = entry.declared_bytes()?;
        (end.checked_sub(start) != Some(declared)).then(|| {
            tensor(
                entry,
                format!(
                    "shape {} of dtype {} takes {declared} bytes, but data_offsets {} span {}",
                    shown(&entry.shape),
                    shown(&entry.dtype),
                    shown(&entry.offsets),
                    end.saturating_sub(start)
                ),
            )
        })
    })
}

/// The tensor whose data passes the end of the file, or the bytes no tensor holds.
fn incomplete(
    entries: &[Entry],
    data_length: u64,
    tensor: impl Fn(&Entry, String) -> NetworkError,
) -> Option<NetworkError> {
    let last = entries
        .iter()
        .filter_map(|entry| Some((entry.offsets()?.1, entry)))
        .max_by_key(|(end, _)| *end)?;
    if last.0 > data_length {
        return Some(tensor(
            last.1,
            format!(
                "data_offsets {} pass the end of the data, which holds {data_length} bytes: the file is truncated",
                shown(&last.1.offsets)
            ),
        ));
    }
    None
}
