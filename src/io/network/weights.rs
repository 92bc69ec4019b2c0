//! A weight file chosen by its extension: `.safetensors` or `.npz`; a `.npy` file holds one
//! array, not a network, and is refused.

use std::path::Path;

use super::error::NetworkError;
use super::limits::{MAX_WEIGHT_FILE_BYTES, read_bounded};
use super::npz::NpzFile;
use super::safetensors_file::SafeTensorsFile;
use super::tensor::Tensor;

/// An open weight file, read whole (at most [`MAX_WEIGHT_FILE_BYTES`]) and validated; its
/// tensors are converted when asked for, so tensors no layer names (such as PyTorch's
/// `num_batches_tracked`, of dtype `I64`) are never refused.
pub(super) enum WeightFile {
    /// A `.safetensors` file.
    SafeTensors(SafeTensorsFile),
    /// A `.npz` archive.
    Npz(NpzFile),
}

impl WeightFile {
    /// Opens a weight file by its extension.
    pub(super) fn open(path: &Path) -> Result<Self, NetworkError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let refuse = |message: String| NetworkError::File {
            path: path.to_path_buf(),
            message,
        };
        match extension.as_deref() {
            Some("safetensors") => {
                let bytes = read_bounded(path, MAX_WEIGHT_FILE_BYTES, "a weight file")?;
                Ok(WeightFile::SafeTensors(SafeTensorsFile::new(path, bytes)?))
            }
            Some("npz") => {
                let bytes = read_bounded(path, MAX_WEIGHT_FILE_BYTES, "a weight file")?;
                Ok(WeightFile::Npz(NpzFile::new(path, bytes)?))
            }
            Some("npy") => Err(refuse(
                "a .npy file holds one array, not a network's weights; save them as .safetensors or as .npz (numpy.savez)".into(),
            )),
            _ => Err(refuse(
                "the extension is not .safetensors or .npz, the weight files read".into(),
            )),
        }
    }

    /// The tensor `name`.
    pub(super) fn tensor(&mut self, name: &str) -> Result<Tensor, NetworkError> {
        match self {
            WeightFile::SafeTensors(file) => file.tensor(name),
            WeightFile::Npz(file) => file.tensor(name),
        }
    }
}
