//! The sizes read of a network's files, each checked before the file is read: a file is
//! refused by its length, and read no further than the limit (a device or pipe reports no
//! length).

use std::io::Read;
use std::path::Path;

use super::error::NetworkError;

/// The largest weight file read, `.safetensors` or `.npz` (512 MiB): 2^27 `float32` weights,
/// which as `f64` take 1 GiB, and 2^28 `float16` ones, 2 GiB; far beyond the networks whose
/// every layer an exact certificate can treat.
pub const MAX_WEIGHT_FILE_BYTES: u64 = 512 << 20;

/// The largest manifest read (1 MiB): a manifest names a few tensors per layer, so a thousand
/// layers take well under 1 MiB.
pub const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// The bytes of a file of at most `limit` bytes; `what` names the kind of file in errors.
pub(super) fn read_bounded(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, NetworkError> {
    let error = |message: String| NetworkError::File {
        path: path.to_path_buf(),
        message,
    };
    let metadata = std::fs::metadata(path).map_err(|e| error(e.to_string()))?;
    if metadata.is_dir() {
        return Err(error(format!("is a directory, not {what}")));
    }
    let too_large = |size: String| {
        error(format!(
            "{size} is larger than the {limit} bytes read of {what}"
        ))
    };
    if metadata.len() > limit {
        return Err(too_large(format!("{} bytes", metadata.len())));
    }
    let file = std::fs::File::open(path).map_err(|e| error(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(format!("a stream of more than {limit} bytes")));
    }
    Ok(bytes)
}
