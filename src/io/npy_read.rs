//! Reading a `.npy` file without trusting it: its size, then its header, then only the data
//! the header declares, each bounded before it is read, and the declared shape checked against
//! the work `inspect` would do on it.

use std::path::Path;

use super::npy::{
    FilterBank, MAX_NPY_COHERENCE_WORK, MAX_NPY_ENTRIES, NpyError, parse_filter_bank,
};
use super::npy_header::{MAX_NPY_HEADER_BYTES, declared_shape, entry_count, header_end};

/// The most bytes read of a `.npy` file before its header is known: the magic string, the
/// version, the header length and the longest header.
const HEADER_PREFIX_BYTES: u64 = 12 + MAX_NPY_HEADER_BYTES as u64;

/// Reads one filter bank `[out][in][kernel]` of `float32` or `float64`. Nothing is read
/// without a bound: a regular file larger than any accepted bank is refused by its size, then
/// the header (at most [`MAX_NPY_HEADER_BYTES`]) is read, its declared shape checked against
/// [`MAX_NPY_ENTRIES`] and [`MAX_NPY_COHERENCE_WORK`], and only the bytes it declares are read
/// after it: a device or pipe (`/dev/zero`) is read no further.
pub fn read_filter_bank(path: &Path) -> Result<FilterBank, NpyError> {
    use std::io::Read;
    let read_error = |reason: String| NpyError::Read {
        path: path.to_path_buf(),
        reason,
    };
    let metadata = std::fs::metadata(path).map_err(|e| read_error(e.to_string()))?;
    if metadata.is_dir() {
        return Err(read_error("is a directory, not a .npy file".into()));
    }
    let size = metadata.len();
    if size > MAX_NPY_ENTRIES * 8 + HEADER_PREFIX_BYTES {
        return Err(read_error(format!(
            "{size} bytes is larger than any accepted filter bank"
        )));
    }
    let mut file = std::fs::File::open(path).map_err(|e| read_error(e.to_string()))?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(HEADER_PREFIX_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(e.to_string()))?;
    if let Some(shape) = declared_shape(&bytes) {
        // Too many entries or axes: the parser reports it.
        if shape.len() == 3 && entry_count(&shape).is_some() {
            check_declared_work(&shape, path)?;
        }
        // The data the header declares (8 bytes an entry at most) after the header.
        let header_end = header_end(&bytes).unwrap_or(bytes.len() as u64);
        let entries = entry_count(&shape).unwrap_or(0);
        let wanted = (header_end + entries * 8).saturating_sub(bytes.len() as u64);
        file.take(wanted)
            .read_to_end(&mut bytes)
            .map_err(|e| read_error(e.to_string()))?;
    }
    parse_filter_bank(&bytes, path)
}

/// Refuses a declared shape `[out][in][kernel]` whose coherence passes
/// [`MAX_NPY_COHERENCE_WORK`] (other shapes are the parser's to report).
pub(super) fn check_declared_work(shape: &[u64], path: &Path) -> Result<(), NpyError> {
    if let [m, previous, n] = *shape {
        let work = (m as u128)
            .saturating_mul(m as u128)
            .saturating_mul(n as u128)
            .saturating_mul(n as u128)
            .saturating_mul(previous as u128);
        if work > MAX_NPY_COHERENCE_WORK {
            return Err(NpyError::TooMuchWork {
                path: path.to_path_buf(),
                shape: shape.to_vec(),
                work,
            });
        }
    }
    Ok(())
}
