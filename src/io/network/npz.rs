//! Weights from a NumPy `.npz` file: a zip archive of `.npy` files (`numpy.savez`, stored, or
//! `numpy.savez_compressed`, deflated), each tensor named by its member's name without `.npy`.
//! Arrays of `float16`, `float32` and `float64`, in either byte order and in C or Fortran order,
//! are read; each member's declared size is checked before it is inflated.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use npyz::Endianness;
use npyz::{DType, NpyHeader, Order, TypeChar};
use zip::ZipArchive;
use zip::result::ZipError;

use super::error::NetworkError;
use super::limits::MAX_WEIGHT_FILE_BYTES;
use super::tensor::{Element, Tensor, decode};
use crate::io::npy_header::{check_header_length, dtype_text};

/// A `.npz` archive, its members read on request.
pub(super) struct NpzFile {
    path: PathBuf,
    archive: ZipArchive<Cursor<Vec<u8>>>,
}

impl NpzFile {
    /// Opens the bytes of a `.npz` file.
    pub(super) fn new(path: &Path, bytes: Vec<u8>) -> Result<Self, NetworkError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| NetworkError::File {
            path: path.to_path_buf(),
            message: format!("not a valid .npz file (a zip archive of .npy files): {e}"),
        })?;
        Ok(NpzFile {
            path: path.to_path_buf(),
            archive,
        })
    }

    /// The tensor `name`, from member `name.npy`, converted exactly to `f64`.
    pub(super) fn tensor(&mut self, name: &str) -> Result<Tensor, NetworkError> {
        let error = |message: String| NetworkError::Tensor {
            path: self.path.clone(),
            tensor: name.to_string(),
            message,
        };
        let names: Vec<String> = self
            .archive
            .file_names()
            .filter_map(|member| member.strip_suffix(".npy"))
            .map(String::from)
            .collect();
        let mut member = match self.archive.by_name(&format!("{name}.npy")) {
            Ok(member) => member,
            Err(ZipError::FileNotFound) => {
                let mut names = names;
                names.sort();
                return Err(error(super::missing_message(&names)));
            }
            Err(e) => return Err(error(format!("member {name}.npy cannot be read: {e}"))),
        };
        if member.size() > MAX_WEIGHT_FILE_BYTES {
            return Err(error(format!(
                "member {name}.npy inflates to {} bytes, more than the {MAX_WEIGHT_FILE_BYTES} read",
                member.size()
            )));
        }
        let mut bytes = Vec::new();
        (&mut member)
            .take(MAX_WEIGHT_FILE_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| error(format!("member {name}.npy cannot be read: {e}")))?;
        parse_npy(&bytes, (&self.path, name))
    }
}

/// The tensor of the bytes of a `.npy` member.
fn parse_npy(bytes: &[u8], (path, name): (&Path, &str)) -> Result<Tensor, NetworkError> {
    let error = |message: String| NetworkError::Tensor {
        path: path.to_path_buf(),
        tensor: name.to_string(),
        message: format!("member {name}.npy: {message}"),
    };
    if !bytes.starts_with(b"\x93NUMPY") {
        return Err(error(
            "it does not start with the .npy magic string \\x93NUMPY".into(),
        ));
    }
    check_header_length(bytes).map_err(error)?;
    let mut cursor = Cursor::new(bytes);
    let header = NpyHeader::from_reader(&mut cursor).map_err(|e| error(e.to_string()))?;
    let dtype = header.dtype();
    let (element, little_endian) = match &dtype {
        DType::Plain(t) if t.type_char() == TypeChar::Float => {
            let element = match t.size_field() {
                2 => Element::F16,
                4 => Element::F32,
                8 => Element::F64,
                _ => return Err(error(unsupported(&dtype))),
            };
            (element, t.endianness() != Endianness::Big)
        }
        _ => return Err(error(unsupported(&dtype))),
    };
    let shape: Vec<usize> = header
        .shape()
        .iter()
        .map(|&d| usize::try_from(d).ok())
        .collect::<Option<_>>()
        .ok_or_else(|| error(format!("shape {:?} is too large", header.shape())))?;
    let expected = shape
        .iter()
        .try_fold(element.size(), |n, &d| n.checked_mul(d))
        .ok_or_else(|| error(format!("shape {shape:?} is too large")))?;
    let data = &bytes[cursor.position() as usize..];
    if data.len() < expected {
        return Err(error(format!(
            "the header promises shape {shape:?} ({expected} bytes) but the member holds {} bytes of data: it is truncated",
            data.len()
        )));
    }
    let fortran_order = header.order() == Order::Fortran;
    decode(
        &data[..expected],
        element,
        little_endian,
        shape,
        fortran_order,
        (path, name),
    )
}

/// The refusal of a dtype other than a float of 2, 4 or 8 bytes.
fn unsupported(dtype: &DType) -> String {
    format!(
        "dtype {} is not read: a weight must be float16, float32 or float64 (<f2, <f4, <f8, or big-endian)",
        dtype_text(dtype)
    )
}
