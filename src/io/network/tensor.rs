//! A tensor of a weight file, converted exactly to `f64` in C order, and the element types read.

use super::error::NetworkError;
use super::float16::{bf16_to_f64, f16_to_f64};
use std::path::Path;

/// A tensor's values, converted exactly to `f64`, in C order (the last axis varies fastest).
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    /// The length of each axis.
    pub shape: Vec<usize>,
    /// The values; `values.len()` is the product of `shape`.
    pub values: Vec<f64>,
}

/// The floating-point element types read, each converted exactly to `f64`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Element {
    /// IEEE 754 binary16.
    F16,
    /// bfloat16.
    BF16,
    /// IEEE 754 binary32.
    F32,
    /// IEEE 754 binary64.
    F64,
}

impl Element {
    /// The bytes of one element.
    pub(super) fn size(self) -> usize {
        match self {
            Element::F16 | Element::BF16 => 2,
            Element::F32 => 4,
            Element::F64 => 8,
        }
    }

    /// The value of one element's bytes, in the given byte order.
    fn value(self, bytes: &[u8], little_endian: bool) -> f64 {
        let mut word = [0u8; 8];
        word[..bytes.len()].copy_from_slice(bytes);
        if !little_endian {
            word[..bytes.len()].reverse();
        }
        match self {
            Element::F16 => f16_to_f64(u16::from_le_bytes([word[0], word[1]])),
            Element::BF16 => bf16_to_f64(u16::from_le_bytes([word[0], word[1]])),
            Element::F32 => f64::from(f32::from_le_bytes([word[0], word[1], word[2], word[3]])),
            Element::F64 => f64::from_le_bytes(word),
        }
    }
}

/// The position `[i, j, …]` of the `index`-th value in C order of a shape, for messages.
fn position(shape: &[usize], mut index: usize) -> String {
    let mut axes = vec![0; shape.len()];
    for (axis, &length) in shape.iter().enumerate().rev() {
        if length > 0 {
            axes[axis] = index % length;
            index /= length;
        }
    }
    format!("{axes:?}")
}

/// The tensor of raw element bytes stored in C order (`fortran_order` false) or Fortran order;
/// a NaN or an infinity is refused, naming the tensor and its position.
pub(super) fn decode(
    bytes: &[u8],
    element: Element,
    little_endian: bool,
    shape: Vec<usize>,
    fortran_order: bool,
    (path, name): (&Path, &str),
) -> Result<Tensor, NetworkError> {
    let stored: Vec<f64> = bytes
        .chunks_exact(element.size())
        .map(|chunk| element.value(chunk, little_endian))
        .collect();
    let values = if fortran_order {
        to_c_order(&stored, &shape)
    } else {
        stored
    };
    if let Some(index) = values.iter().position(|v| !v.is_finite()) {
        return Err(NetworkError::Tensor {
            path: path.to_path_buf(),
            tensor: name.to_string(),
            message: format!(
                "entry {} is {}; every weight must be finite",
                position(&shape, index),
                values[index]
            ),
        });
    }
    Ok(Tensor { shape, values })
}

/// Values stored in Fortran order (the first axis varies fastest), in C order.
fn to_c_order(stored: &[f64], shape: &[usize]) -> Vec<f64> {
    let mut fortran_strides = vec![1usize; shape.len()];
    for axis in 1..shape.len() {
        fortran_strides[axis] = fortran_strides[axis - 1] * shape[axis - 1];
    }
    (0..stored.len())
        .map(|mut index| {
            let mut offset = 0;
            for axis in (0..shape.len()).rev() {
                offset += (index % shape[axis]) * fortran_strides[axis];
                index /= shape[axis];
            }
            stored[offset]
        })
        .collect()
}
