//! The two operators of a layer as matrix products through `gemm` and `nano-gemm`, in the same
//! position-major layout as `mlcsc_engines::fast` (an `N × m` vector is `N` rows of `m`).
//!
//! - Overlapping rows (no im2col): row `p` of the patch matrix is the window
//!   `input[(p + offset)·m_in ..][..K]` of the input itself, so the left operand is the input
//!   read with row stride `m_in` (the rows overlap). The `n − 1` rows that wrap around the
//!   period read a small copy of the positions around the seam, as the hand-written kernel does.
//! - im2col: the `N × K` patch matrix is built row by row (timed), then multiplied.
//!
//! `W` is `K × outputs`, column `o` contiguous (`w[o·K + k]`).

use gemm::Parallelism;

/// Which library multiplies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Library {
    /// `gemm::gemm` (blocked, packs both operands).
    Gemm,
    /// `nano_gemm::Plan` (small-matrix micro-kernels, no packing).
    Nano,
}

/// A periodic correlation `out = A W` (analysis: `offset = 0`; synthesis: `offset = −(n−1)`).
pub struct Operator {
    /// `W`, column-major: `w[o·depth + k]`.
    pub w: Vec<f64>,
    /// `W` in `f32`.
    pub w32: Vec<f32>,
    /// `Wᵀ` packed for nano-gemm's column-major left operand: `wt[k·outputs + o]`.
    pub wt: Vec<f64>,
    /// `K = span · channels`.
    pub depth: usize,
    /// Output channels.
    pub outputs: usize,
    /// `n`.
    pub span: usize,
    /// The first position of the window of row `p` is `p + offset`.
    pub offset: isize,
}

impl Operator {
    /// From `W` given column-major.
    pub fn new(w: Vec<f64>, depth: usize, outputs: usize, span: usize, offset: isize) -> Self {
        let mut wt = vec![0.0; depth * outputs];
        for o in 0..outputs {
            for k in 0..depth {
                wt[k * outputs + o] = w[o * depth + k];
            }
        }
        Operator {
            w32: w.iter().map(|x| *x as f32).collect(),
            w,
            wt,
            depth,
            outputs,
            span,
            offset,
        }
    }

    /// Input channels.
    pub fn channels(&self) -> usize {
        self.depth / self.span
    }

    /// `out = A W` with overlapping rows; `seam` is scratch kept by the caller.
    pub fn correlate(
        &self,
        library: Library,
        input: &[f64],
        length: usize,
        out: &mut [f64],
        seam: &mut Vec<f64>,
    ) {
        let channels = self.channels();
        assert_eq!(input.len(), length * channels);
        assert_eq!(out.len(), length * self.outputs);
        let first = (-self.offset) as usize;
        let count = length + 1 - self.span;
        self.rows(
            library,
            &input[(first as isize + self.offset) as usize * channels..],
            channels,
            count,
            &mut out[first * self.outputs..(first + count) * self.outputs],
        );
        let remaining = length - count;
        let start = (first + count) % length;
        let positions = remaining + self.span - 1;
        seam.clear();
        for j in 0..positions {
            let p =
                (start as isize + self.offset + j as isize).rem_euclid(length as isize) as usize;
            seam.extend_from_slice(&input[p * channels..(p + 1) * channels]);
        }
        self.rows(
            library,
            seam,
            channels,
            remaining,
            &mut out[start * self.outputs..(start + remaining) * self.outputs],
        );
    }

    /// `out[r, :] = window[r·stride ..][..K] · W` for `rows` rows.
    pub fn rows(
        &self,
        library: Library,
        window: &[f64],
        stride: usize,
        rows: usize,
        out: &mut [f64],
    ) {
        assert!(rows == 0 || window.len() >= (rows - 1) * stride + self.depth);
        assert!(out.len() >= rows * self.outputs);
        if rows == 0 {
            return;
        }
        let (k, m) = (self.depth, self.outputs);
        // SAFETY: the asserts above keep every index of A (rows × K, row stride `stride`),
        // W (K × m, column stride K) and out (rows × m, row stride m) inside its slice.
        unsafe {
            match library {
                Library::Gemm => gemm::gemm(
                    rows,
                    m,
                    k,
                    out.as_mut_ptr(),
                    1,
                    m as isize,
                    false,
                    window.as_ptr(),
                    1,
                    stride as isize,
                    self.w.as_ptr(),
                    k as isize,
                    1,
                    0.0,
                    1.0,
                    false,
                    false,
                    false,
                    Parallelism::None,
                ),
                Library::Nano => {
                    // outᵀ (m × rows, column-major) = Wᵀ (m × K, column-major) · Aᵀ (K × rows).
                    let plan = nano_gemm::Plan::new_colmajor_lhs_and_dst_f64(m, rows, k);
                    plan.execute_unchecked(
                        m,
                        rows,
                        k,
                        out.as_mut_ptr(),
                        1,
                        m as isize,
                        self.wt.as_ptr(),
                        1,
                        m as isize,
                        window.as_ptr(),
                        1,
                        stride as isize,
                        0.0,
                        1.0,
                        false,
                        false,
                    );
                }
            }
        }
    }

    /// `out = A W` in `f32` through `gemm` with overlapping rows (interior rows only: the
    /// seam is a few rows, timed in the `f64` forms).
    pub fn rows_f32(&self, window: &[f32], stride: usize, rows: usize, out: &mut [f32]) {
        let (k, m) = (self.depth, self.outputs);
        assert!(rows == 0 || window.len() >= (rows - 1) * stride + k);
        assert!(out.len() >= rows * m);
        // SAFETY: as in `rows`.
        unsafe {
            gemm::gemm(
                rows,
                m,
                k,
                out.as_mut_ptr(),
                1,
                m as isize,
                false,
                window.as_ptr(),
                1,
                stride as isize,
                self.w32.as_ptr(),
                k as isize,
                1,
                0.0f32,
                1.0f32,
                false,
                false,
                false,
                Parallelism::None,
            );
        }
    }

    /// im2col: builds the `N × K` patch matrix into `patches` (periodic windows), then one
    /// `gemm` with row stride `K`.
    pub fn correlate_im2col(
        &self,
        input: &[f64],
        length: usize,
        out: &mut [f64],
        patches: &mut Vec<f64>,
    ) {
        let channels = self.channels();
        let k = self.depth;
        patches.resize(length * k, 0.0);
        for (p, row) in patches.chunks_exact_mut(k).enumerate() {
            let begin = (p as isize + self.offset).rem_euclid(length as isize) as usize;
            if begin + self.span <= length {
                row.copy_from_slice(&input[begin * channels..(begin + self.span) * channels]);
            } else {
                let head = (length - begin) * channels;
                row[..head].copy_from_slice(&input[begin * channels..]);
                row[head..].copy_from_slice(&input[..k - head]);
            }
        }
        self.rows(Library::Gemm, patches, k, length, out);
    }
}

/// `D_iᵀ`: column `c` of `W` is the filter `f_{i,c}` (tap-major), windows start at `p`.
pub fn analysis_operator(taps: &[f64], span: usize, channels: usize, filters: usize) -> Operator {
    Operator::new(taps.to_vec(), span * channels, filters, span, 0)
}

/// `D_i`: `W[(s, c), c'] = f_{i,c}[n−1−s][c']`, windows start at `q − n + 1`.
pub fn synthesis_operator(taps: &[f64], span: usize, channels: usize, filters: usize) -> Operator {
    let depth = span * filters;
    let mut w = vec![0.0; depth * channels];
    for output in 0..channels {
        for s in 0..span {
            for c in 0..filters {
                w[output * depth + s * filters + c] =
                    taps[c * span * channels + (span - 1 - s) * channels + output];
            }
        }
    }
    Operator::new(w, depth, channels, span, -(span as isize - 1))
}
