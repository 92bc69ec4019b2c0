//! Reading a `.npy` header without trusting it: its declared shape and length, capped before
//! anything is allocated, and the names of its dtypes.

use npyz::DType;

use std::path::Path;

use super::npy::{MAX_NPY_ENTRIES, NpyError};

/// The shape written in a `.npy` header, read without trusting it: `None` when the header
/// cannot be parsed here (the `.npy` reader then reports the problem).
pub(super) fn declared_shape(bytes: &[u8]) -> Option<Vec<u64>> {
    let major = *bytes.get(6)?;
    let (length, start): (usize, usize) = if major == 1 {
        (
            u16::from_le_bytes([*bytes.get(8)?, *bytes.get(9)?]) as usize,
            10usize,
        )
    } else {
        let b = bytes.get(8..12)?;
        (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize, 12)
    };
    let header = std::str::from_utf8(bytes.get(start..start.checked_add(length)?)?).ok()?;
    let key = header
        .find("'shape'")
        .or_else(|| header.find("\"shape\""))?;
    let rest = header[key + 7..]
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('(')?;
    let inside = &rest[..rest.find(')')?];
    inside
        .split(',')
        .map(|s| s.trim().trim_end_matches('L'))
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect()
}

/// The longest `.npy` header read (NumPy writes a few hundred bytes, and its own reader
/// refuses more than 10000 by default).
pub const MAX_NPY_HEADER_BYTES: usize = 65_536;

/// Checks the header length a `.npy` file declares against [`MAX_NPY_HEADER_BYTES`] and
/// against the bytes present, before any reader allocates a buffer of that length.
pub(super) fn check_header_length(bytes: &[u8]) -> Result<(), String> {
    let Some(&major) = bytes.get(6) else {
        return Err("the file ends inside its magic string and version".into());
    };
    let (length, start) = match major {
        1 => match bytes.get(8..10) {
            Some(b) => (u16::from_le_bytes([b[0], b[1]]) as u64, 10u64),
            None => return Err("the file ends before its header length".into()),
        },
        2 | 3 => match bytes.get(8..12) {
            Some(b) => (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64, 12u64),
            None => return Err("the file ends before its header length".into()),
        },
        other => return Err(format!("format version {other} is not 1, 2 or 3")),
    };
    if length > MAX_NPY_HEADER_BYTES as u64 {
        return Err(format!(
            "the header claims {length} bytes, more than the {MAX_NPY_HEADER_BYTES} read"
        ));
    }
    if start + length > bytes.len() as u64 {
        return Err(format!(
            "the header claims {length} bytes but the file holds {} after its start",
            bytes.len() as u64 - start.min(bytes.len() as u64)
        ));
    }
    Ok(())
}

/// The offset where the data begins: after the magic string, version, header length and
/// header; `None` when the bytes end before the header length.
pub(super) fn header_end(bytes: &[u8]) -> Option<u64> {
    match *bytes.get(6)? {
        1 => Some(10 + u16::from_le_bytes([*bytes.get(8)?, *bytes.get(9)?]) as u64),
        _ => {
            let b = bytes.get(8..12)?;
            Some(12 + u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64)
        }
    }
}

/// The number of entries of a shape, if it is at most [`MAX_NPY_ENTRIES`].
pub(super) fn entry_count(shape: &[u64]) -> Option<u64> {
    shape
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n <= MAX_NPY_ENTRIES)
}

/// A dtype as NumPy writes it (`<f4`; record dtypes as their Python description).
pub(super) fn dtype_text(dtype: &DType) -> String {
    match dtype {
        DType::Plain(t) => t.to_string(),
        other => other.descr(),
    }
}

/// The checks that need no parsed header: the magic string, the header length, and a shape
/// declared with three axes and a countable number of entries.
pub(super) fn check_before_header(bytes: &[u8], path: &Path) -> Result<(), NpyError> {
    let format_error = |reason: String| NpyError::Format {
        path: path.to_path_buf(),
        reason,
    };
    if !bytes.starts_with(b"\x93NUMPY") {
        return Err(format_error(
            "it does not start with the .npy magic string \\x93NUMPY".into(),
        ));
    }
    check_header_length(bytes).map_err(format_error)?;
    if let Some(shape) = declared_shape(bytes) {
        if shape.len() != 3 {
            return Err(NpyError::Dimensions {
                path: path.to_path_buf(),
                shape,
            });
        }
        if entry_count(&shape).is_none() {
            return Err(NpyError::TooLarge {
                path: path.to_path_buf(),
                shape,
            });
        }
    }
    Ok(())
}
