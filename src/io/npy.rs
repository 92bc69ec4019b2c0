//! Filter banks from NumPy `.npy` files (`[out][in][kernel]`, as PyTorch stores `Conv1d`
//! weights), one file per layer.
//!
//! A PyTorch `Conv1d` computes the cross-correlation `y[c][p] = Σ_{c'} Σ_t w[c][c'][t] x[c'][p + t]`,
//! which is the analysis `D_iᵀ` of docs/math.md §1 with `f_{i,c}[t][c'] = w[c][c'][t]`. Arrays of
//! `float32` or `float64` in either byte order and in C or Fortran order are read; every other
//! input (a missing file, another dtype, another number of axes, an empty axis, a non-finite
//! entry, a layer whose input channels differ from the previous layer's filters) is an
//! [`NpyError`] naming the file and the problem. Nothing is normalised silently: the weights are
//! kept as stored, and [`FilterBank::normalised_filters`] divides each filter by its norm on
//! request.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use npyz::{DType, NpyFile, NpyHeader, Order, TypeChar};
use thiserror::Error;

pub use super::npy_header::MAX_NPY_HEADER_BYTES;
use super::npy_header::{check_before_header, dtype_text, entry_count};
use super::npy_read::check_declared_work;
pub use super::npy_read::read_filter_bank;

/// The most entries one `.npy` filter bank may hold (`2^26`, 512 MiB as `f64`).
pub const MAX_NPY_ENTRIES: u64 = 1 << 26;

/// The most multiply-adds `m_i² n_i² m_{i-1}` of the coherence `inspect` computes of one bank
/// (every pair of filters at every shift, each an inner product of up to `n_i m_{i-1}` taps):
/// `2·10^9`, about a second. The work grows with the square of the filter length: `3 · 10^5`
/// taps would take minutes.
pub const MAX_NPY_COHERENCE_WORK: u128 = 2_000_000_000;

/// Names of the three axes, in order.
pub const AXES: [&str; 3] = ["out", "in", "kernel"];

/// Why a `.npy` file is not a usable filter bank.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum NpyError {
    /// The file could not be read.
    #[error("{}: cannot read the file: {reason}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// The file is not a well-formed `.npy` file.
    #[error("{}: not a valid .npy file: {reason}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The entries are not `float32` or `float64`.
    #[error("{}: dtype {dtype} is not supported; expected float32 or float64 (<f4, >f4, <f8, >f8)", path.display())]
    DType {
        /// The file.
        path: PathBuf,
        /// The dtype as NumPy writes it.
        dtype: String,
    },
    /// The array does not have the three axes `[out][in][kernel]`.
    #[error("{}: expected 3 axes [out][in][kernel] (as PyTorch stores Conv1d weights), found {} with shape {shape:?}", path.display(), shape.len())]
    Dimensions {
        /// The file.
        path: PathBuf,
        /// The shape found.
        shape: Vec<u64>,
    },
    /// An axis has size zero.
    #[error("{}: axis `{axis}` has size 0 (shape {shape:?}); a filter bank needs at least one filter, channel and tap", path.display())]
    EmptyAxis {
        /// The file.
        path: PathBuf,
        /// `out`, `in` or `kernel`.
        axis: &'static str,
        /// The shape found.
        shape: Vec<u64>,
    },
    /// The array is larger than [`MAX_NPY_ENTRIES`].
    #[error("{}: shape {shape:?} holds more than {MAX_NPY_ENTRIES} entries", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The shape found.
        shape: Vec<u64>,
    },
    /// The bank's coherence would take more than [`MAX_NPY_COHERENCE_WORK`] multiply-adds.
    #[error("{}: shape {shape:?} (out, in, kernel): its coherence would take m² n² m_in = {work} multiply-adds, above the limit of {MAX_NPY_COHERENCE_WORK}; inspect fewer or shorter filters (the work grows with the square of the kernel size)", path.display())]
    TooMuchWork {
        /// The file.
        path: PathBuf,
        /// The shape found.
        shape: Vec<u64>,
        /// `m² n² m_in`.
        work: u128,
    },
    /// An entry is NaN or infinite.
    #[error("{}: entry [{out}][{input}][{tap}] (out, in, kernel) is {value}; every weight must be finite", path.display())]
    NotFinite {
        /// The file.
        path: PathBuf,
        /// Output channel (filter).
        out: usize,
        /// Input channel.
        input: usize,
        /// Tap.
        tap: usize,
        /// The value.
        value: f64,
    },
    /// A filter is zero, so it cannot be normalised to unit norm.
    #[error("{}: filter {filter} (out channel {filter}) is zero (every weight is 0), so it has no unit-norm direction", path.display())]
    ZeroFilter {
        /// The file.
        path: PathBuf,
        /// The filter.
        filter: usize,
    },
    /// A filter's weights are all subnormal in `f64` (below `2^-1022`): not zero, but too
    /// small to be normalised without losing most of their digits.
    #[error("{}: filter {filter} (out channel {filter}) is not zero, but its largest weight {largest:e} is subnormal in f64 (below 2.2e-308), too small to normalise without losing digits; rescale the bank (a common factor does not change the normalised filters)", path.display())]
    SubnormalFilter {
        /// The file.
        path: PathBuf,
        /// The filter.
        filter: usize,
        /// The largest `|w|` of the filter.
        largest: f64,
    },
    /// A filter's `l2` norm is beyond the largest `f64`.
    #[error("{}: filter {filter} (out channel {filter}) has an l2 norm that overflows f64 (largest weight {largest:e}); rescale the bank, or write the filters as exact rationals in an instance file and use --arithmetic exact", path.display())]
    NormOverflow {
        /// The file.
        path: PathBuf,
        /// The filter.
        filter: usize,
        /// The largest `|w|` of the filter.
        largest: f64,
    },
    /// A layer's input channels differ from the previous layer's filter count.
    #[error("{}: layer {layer} has {found} input channels (axis `in`), but layer {} ({}) has {expected} filters (axis `out`)", path.display(), layer - 1, previous.display())]
    ChannelMismatch {
        /// The file of this layer.
        path: PathBuf,
        /// This layer, from 1.
        layer: usize,
        /// Its input channels.
        found: usize,
        /// The previous layer's file.
        previous: PathBuf,
        /// The previous layer's filter count.
        expected: usize,
    },
}

/// One layer's weights as stored, in `[out][in][kernel]` order (C order, whatever the file's).
#[derive(Clone, Debug, PartialEq)]
pub struct FilterBank {
    /// The file.
    pub path: PathBuf,
    /// `[out, in, kernel]`: `m_i`, `m_{i-1}`, `n_i`.
    pub shape: [usize; 3],
    /// The dtype as NumPy writes it (`<f4`, `>f8`, …).
    pub dtype: String,
    /// Whether the file stored the array in Fortran order.
    pub fortran_order: bool,
    /// `weights[(c · m_{i-1} + c') · n_i + t] = w[c][c'][t]`, converted exactly to `f64`.
    pub weights: Vec<f64>,
}

impl FilterBank {
    /// `m_i`, the number of filters (output channels).
    pub fn filter_count(&self) -> usize {
        self.shape[0]
    }

    /// `m_{i-1}`, the input channels.
    pub fn input_channels(&self) -> usize {
        self.shape[1]
    }

    /// `n_i`, the kernel size.
    pub fn filter_length(&self) -> usize {
        self.shape[2]
    }

    /// `w[c][c'][t]`.
    pub fn weight(&self, c: usize, input: usize, t: usize) -> f64 {
        self.weights[(c * self.shape[1] + input) * self.shape[2] + t]
    }

    /// `‖f_c‖_2` of every filter, as stored, computed as `a · sqrt(Σ (w/a)²)` with
    /// `a = max |w|`, so that squares neither underflow (weights near `1e-310` have a norm
    /// near `1e-310`, not 0) nor overflow (weights near `1e200` have a finite norm); it is
    /// `inf` only when the norm itself is beyond the largest `f64`.
    pub fn filter_norms(&self) -> Vec<f64> {
        self.filters().map(scaled_norm).collect()
    }

    /// The weights of each filter, in storage order.
    fn filters(&self) -> std::slice::Chunks<'_, f64> {
        self.weights.chunks(self.shape[1] * self.shape[2])
    }

    /// The filters `f_c[t][c'] = w[c][c'][t] / ‖w[c]‖`, each of unit norm (up to rounding), in
    /// the layout of [`crate::model::Layer::new`].
    pub fn normalised_filters(&self) -> Result<Vec<Vec<Vec<f64>>>, NpyError> {
        let norms = self.filter_norms();
        let [m, m_previous, n] = self.shape;
        let largest: Vec<f64> = self
            .filters()
            .map(|f| f.iter().fold(0.0, |a: f64, v| a.max(v.abs())))
            .collect();
        (0..m)
            .map(|c| {
                let (path, filter, largest) = (self.path.clone(), c, largest[c]);
                if largest == 0.0 {
                    return Err(NpyError::ZeroFilter { path, filter });
                }
                if largest < f64::MIN_POSITIVE {
                    return Err(NpyError::SubnormalFilter {
                        path,
                        filter,
                        largest,
                    });
                }
                if norms[c].is_infinite() {
                    return Err(NpyError::NormOverflow {
                        path,
                        filter,
                        largest,
                    });
                }
                Ok((0..n)
                    .map(|t| {
                        (0..m_previous)
                            .map(|k| self.weight(c, k, t) / norms[c])
                            .collect()
                    })
                    .collect())
            })
            .collect()
    }
}

/// `‖f‖_2` scaled by the largest `|f_k|`, so no square underflows or overflows.
fn scaled_norm(filter: &[f64]) -> f64 {
    let largest = filter.iter().fold(0.0, |a: f64, v| a.max(v.abs()));
    if largest == 0.0 || !largest.is_finite() {
        return largest;
    }
    largest
        * filter
            .iter()
            .map(|v| (v / largest) * (v / largest))
            .sum::<f64>()
            .sqrt()
}

/// The stored values in `[out][in][kernel]` order, read through `strides`; a value that is not
/// finite is an error naming its position.
fn finite_weights(
    stored: &[f64],
    [m, m_previous, n]: [usize; 3],
    strides: &[usize],
    path: &Path,
) -> Result<Vec<f64>, NpyError> {
    let mut weights = Vec::with_capacity(m * m_previous * n);
    for c in 0..m {
        for k in 0..m_previous {
            for t in 0..n {
                let value = stored[c * strides[0] + k * strides[1] + t * strides[2]];
                if !value.is_finite() {
                    return Err(NpyError::NotFinite {
                        path: path.to_path_buf(),
                        out: c,
                        input: k,
                        tap: t,
                        value,
                    });
                }
                weights.push(value);
            }
        }
    }
    Ok(weights)
}

/// Parses the bytes of a `.npy` file holding one filter bank `[out][in][kernel]` of `float32`
/// or `float64`; `path` only names the file in errors. Any bytes give a bank or an error, never
/// a panic (`tests/all/fuzz_loaders.rs`).
pub fn parse_filter_bank(bytes: &[u8], path: &Path) -> Result<FilterBank, NpyError> {
    let format_error = |reason: String| NpyError::Format {
        path: path.to_path_buf(),
        reason,
    };
    check_before_header(bytes, path)?;
    let mut cursor = Cursor::new(bytes);
    let header = NpyHeader::from_reader(&mut cursor).map_err(|e| format_error(e.to_string()))?;
    let shape = header.shape().to_vec();
    if shape.len() != 3 {
        return Err(NpyError::Dimensions {
            path: path.to_path_buf(),
            shape,
        });
    }
    let entries = entry_count(&shape).ok_or_else(|| NpyError::TooLarge {
        path: path.to_path_buf(),
        shape: shape.clone(),
    })?;
    check_declared_work(&shape, path)?;
    if let Some(axis) = shape.iter().position(|&d| d == 0) {
        return Err(NpyError::EmptyAxis {
            path: path.to_path_buf(),
            axis: AXES[axis],
            shape,
        });
    }
    let dtype = header.dtype();
    let item_size = match &dtype {
        DType::Plain(t) if t.type_char() == TypeChar::Float && matches!(t.size_field(), 4 | 8) => {
            t.size_field()
        }
        other => {
            return Err(NpyError::DType {
                path: path.to_path_buf(),
                dtype: dtype_text(other),
            });
        }
    };
    let data = &bytes[cursor.position() as usize..];
    let expected = entries * item_size;
    if (data.len() as u64) < expected {
        return Err(format_error(format!(
            "the header promises {entries} entries ({expected} bytes) but the file holds {} bytes of data",
            data.len()
        )));
    }
    let data = &data[..expected as usize];
    let fortran_order = header.order() == Order::Fortran;
    let strides: Vec<usize> = header.strides().iter().map(|&s| s as usize).collect();
    let stored: Vec<f64> = if item_size == 4 {
        NpyFile::with_header(header, data)
            .into_vec::<f32>()
            .map_err(|e| format_error(e.to_string()))?
            .into_iter()
            .map(f64::from)
            .collect()
    } else {
        NpyFile::with_header(header, data)
            .into_vec::<f64>()
            .map_err(|e| format_error(e.to_string()))?
    };
    let [m, m_previous, n] = [shape[0] as usize, shape[1] as usize, shape[2] as usize];
    let weights = finite_weights(&stored, [m, m_previous, n], &strides, path)?;
    Ok(FilterBank {
        path: path.to_path_buf(),
        shape: [m, m_previous, n],
        dtype: dtype_text(&dtype),
        fortran_order,
        weights,
    })
}

/// Reads the filter banks of layers `1..=K` in order and checks that each layer's input
/// channels equal the previous layer's filter count.
pub fn read_filter_banks(paths: &[PathBuf]) -> Result<Vec<FilterBank>, NpyError> {
    let mut banks: Vec<FilterBank> = Vec::with_capacity(paths.len());
    for (index, path) in paths.iter().enumerate() {
        let bank = read_filter_bank(path)?;
        if let Some(previous) = banks.last()
            && previous.filter_count() != bank.input_channels()
        {
            return Err(NpyError::ChannelMismatch {
                path: path.clone(),
                layer: index + 1,
                found: bank.input_channels(),
                previous: previous.path.clone(),
                expected: previous.filter_count(),
            });
        }
        banks.push(bank);
    }
    Ok(banks)
}
