//! Weights from a `.safetensors` file: an 8-byte little-endian header length, a JSON header
//! giving each tensor's `dtype`, `shape` and `data_offsets`, then the tensors' little-endian
//! bytes in C order. The `safetensors` crate parses and validates the header (offsets that tile
//! the data, sizes that match the shapes); its refusals are explained by
//! [`super::safetensors_errors`], naming the tensor.

use std::path::{Path, PathBuf};

use safetensors::tensor::{Dtype, Metadata, SafeTensors};

use super::error::NetworkError;
use super::safetensors_errors::explain;
use super::tensor::{Element, Tensor, decode};

/// A validated `.safetensors` file, its tensors read on request.
pub(super) struct SafeTensorsFile {
    path: PathBuf,
    bytes: Vec<u8>,
    /// Where the tensors' data begins: after the header length and the header.
    data_start: usize,
    metadata: Metadata,
}

impl SafeTensorsFile {
    /// Validates the bytes of a `.safetensors` file.
    pub(super) fn new(path: &Path, bytes: Vec<u8>) -> Result<Self, NetworkError> {
        let (header_length, metadata) =
            SafeTensors::read_metadata(&bytes).map_err(|e| explain(&e, &bytes, path))?;
        Ok(SafeTensorsFile {
            path: path.to_path_buf(),
            data_start: 8 + header_length,
            bytes,
            metadata,
        })
    }

    /// The tensor `name`, converted exactly to `f64`; refused when absent, of a dtype other
    /// than `F32`, `F64`, `F16` or `BF16`, or with a non-finite entry.
    pub(super) fn tensor(&self, name: &str) -> Result<Tensor, NetworkError> {
        let error = |message: String| NetworkError::Tensor {
            path: self.path.clone(),
            tensor: name.to_string(),
            message,
        };
        let Some(info) = self.metadata.info(name) else {
            let mut names: Vec<String> = self.metadata.tensors().into_keys().collect();
            names.sort();
            return Err(error(super::missing_message(&names)));
        };
        let element = match info.dtype {
            Dtype::F16 => Element::F16,
            Dtype::BF16 => Element::BF16,
            Dtype::F32 => Element::F32,
            Dtype::F64 => Element::F64,
            other => {
                return Err(error(format!(
                    "dtype {other} is not read: a weight must be F32, F64, F16 or BF16"
                )));
            }
        };
        let (start, end) = info.data_offsets;
        let data = &self.bytes[self.data_start + start..self.data_start + end];
        decode(
            data,
            element,
            true,
            info.shape.clone(),
            false,
            (&self.path, name),
        )
    }
}
