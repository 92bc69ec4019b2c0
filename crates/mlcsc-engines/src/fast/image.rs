//! The analysis `D_iᵀ Z` of an image layer (PyTorch's `conv2d`: a correlation with stride
//! `(σ_h, σ_w)` and the padding of each axis), thresholded channel by channel, in `f64` or
//! `f32`, on channels-last vectors (position-major, the channel fastest, as
//! [`crate::model::LayerVector`]). Equal to [`mlcsc_spec::strided_operators::grid_analysis`]
//! followed by the thresholding up to the order of summation (`tests/all/fast_image.rs`).
//!
//! # No im2col: windows of extended rows
//!
//! Output position `(r, c)` reads the input rows `σ_h r + i − P^t` (`i < n_h`) and in each of
//! them the `n_w` positions from `σ_w c − P^l` on. Copy those `n_h` input rows once, each
//! extended by its padding (zeros, or the periodic wrap, whatever
//! [`mlcsc_spec::model::Geometry::input_position`] says for every column and row), and the
//! `n_w m_{i-1}` numbers that tap row `i` multiplies are one contiguous run of the copy, the
//! runs of consecutive output columns `σ_w m_{i-1}` apart. Since the filters are stored tap
//! (row-major) before input channel, the packed filters split into `n_h` consecutive
//! segments, one per tap row, and an output row is the register-tile product of
//! [`super::image_kernel`], its accumulators in registers across all `n_h n_w m_{i-1}` terms.
//!
//! The copy is made per block of about [`BLOCK_POSITIONS`] output positions, into a buffer of
//! the worker thread that runs the block, kept across calls (no allocation in the steady
//! state), so it is still in cache when the product reads it; an input row is copied once per
//! block that reads it (the `n_h − σ_h` rows shared by neighbouring blocks twice). An im2col matrix
//! per block would copy every input number `n_h n_w / (σ_h σ_w)` times (nine times for 3 × 3
//! filters at stride 1) for the same product, so this form moves less memory for the same
//! kernel; im2col was not implemented here to measure. Blocks run in parallel under rayon, and
//! each is thresholded and counted while it is in cache.

use std::sync::{Mutex, PoisonError};

use pulp::{Arch, Simd, WithSimd};
use rayon::prelude::*;

use super::correlation::{BLOCK_POSITIONS, PARALLEL_MINIMUM};
use super::image_kernel::{RowShape, rows_product};
use super::kernel::PackedWeights;
use super::simd::Real;
use crate::model::{Geometry, Grid, GridGeometry, Layer, LayerVector, ModelError};
use crate::thresholding::Thresholding;
use mlcsc_spec::threshold::Threshold;

/// The analysis of one image layer on one input grid, its filters packed for the kernel.
#[derive(Debug)]
pub struct ImageAnalysis<T> {
    weights: PackedWeights<T>,
    shape: RowShape,
    input: Grid,
    output: Grid,
    channels_in: usize,
    stride_rows: usize,
    /// The input row that extended row `x` copies (`None`: zeros).
    row_sources: Vec<Option<usize>>,
    /// The input column that extended column `y` copies (`None`: zeros).
    column_sources: Vec<Option<usize>>,
    rows_per_block: usize,
    /// One buffer of extended rows per worker thread, and one for a caller outside the pool.
    scratch: Vec<Mutex<Vec<T>>>,
}

impl<T: Real> ImageAnalysis<T> {
    /// The analysis of layer `layer_number` (from 1, for errors) on `input`, the filters
    /// rounded to `T` once. Errors: those of [`GridGeometry::output_grid`].
    pub fn new(layer_number: usize, layer: &Layer<f64>, input: Grid) -> Result<Self, ModelError> {
        let geometry: GridGeometry = layer.grid_geometry();
        let filter = layer.filter_shape();
        let output = geometry.output_grid(layer_number, input, filter)?;
        let channels_in = layer.input_channels();
        // Extended position `x` is what tap `x` of the first atom reads: `σ · 0 + x − P^l`,
        // periodically wrapped or dropped (zeros) as the axis's padding says.
        let extended = |axis: &Geometry, length: usize, outputs: usize, taps: usize| {
            let span = if outputs == 0 {
                0
            } else {
                axis.stride * (outputs - 1) + taps
            };
            (0..span)
                .map(|x| axis.input_position(0, x, length))
                .collect::<Vec<_>>()
        };
        let row_sources = extended(&geometry.rows, input.rows, output.rows, filter.rows);
        let column_sources = extended(
            &geometry.columns,
            input.columns,
            output.columns,
            filter.columns,
        );
        let depth = layer.filter_length() * channels_in;
        let shape = RowShape {
            filter_rows: filter.rows,
            row_length: column_sources.len() * channels_in,
            row_step: geometry.rows.stride * column_sources.len() * channels_in,
            column_step: geometry.columns.stride * channels_in,
            width: filter.columns * channels_in,
            columns: output.columns,
        };
        Ok(ImageAnalysis {
            weights: PackedWeights::new(depth, layer.filter_count(), |c| layer.filter(c)),
            shape,
            input,
            output,
            channels_in,
            stride_rows: geometry.rows.stride,
            row_sources,
            column_sources,
            rows_per_block: (BLOCK_POSITIONS / output.columns.max(1)).max(1),
            scratch: (0..=rayon::current_num_threads())
                .map(|_| Mutex::new(Vec::new()))
                .collect(),
        })
    }

    /// The input grid `H × W`.
    pub fn input_grid(&self) -> Grid {
        self.input
    }

    /// The output grid `N_h × N_w`.
    pub fn output_grid(&self) -> Grid {
        self.output
    }

    /// `m_{i-1}`.
    pub fn channels_in(&self) -> usize {
        self.channels_in
    }

    /// `m_i`.
    pub fn channels_out(&self) -> usize {
        self.weights.outputs
    }

    /// Multiply-adds of one pass: `N_h N_w · m_i · n_h n_w m_{i-1}`.
    pub fn multiply_adds(&self) -> usize {
        self.output.positions() * self.weights.outputs * self.weights.depth
    }

    /// `out = D_iᵀ Z` (`Z` is `H W × m_{i-1}`, `out` `N_h N_w × m_i`, every entry written), then
    /// `finish` on every block of whole output positions while it is in cache; returns the sum
    /// of what `finish` returned (a count of nonzeros, for one).
    ///
    /// # Panics
    ///
    /// If `input` or `out` has another shape.
    pub fn apply(
        &self,
        input: &[T],
        out: &mut [T],
        finish: &(impl Fn(&mut [T]) -> usize + Sync),
    ) -> usize {
        assert_eq!(
            input.len(),
            self.input.positions() * self.channels_in,
            "Z has another shape"
        );
        let row_entries = self.output.columns * self.weights.outputs;
        assert_eq!(
            out.len(),
            self.output.rows * row_entries,
            "the output has another shape"
        );
        if out.is_empty() {
            return 0;
        }
        let block_entries = self.rows_per_block * row_entries;
        let run = |(block, chunk): (usize, &mut [T])| {
            self.block(input, block * self.rows_per_block, chunk);
            finish(chunk)
        };
        if out.len() >= PARALLEL_MINIMUM {
            out.par_chunks_mut(block_entries).enumerate().map(run).sum()
        } else {
            out.chunks_mut(block_entries).enumerate().map(run).sum()
        }
    }

    /// The output rows from `first_row` on that fill `chunk`.
    fn block(&self, input: &[T], first_row: usize, chunk: &mut [T]) {
        let rows = chunk.len() / (self.output.columns * self.weights.outputs);
        let count = self.stride_rows * (rows - 1) + self.shape.filter_rows;
        let needed = count * self.shape.row_length;
        let slot = rayon::current_thread_index().map_or(0, |i| i + 1) % self.scratch.len();
        let mut scratch = self.scratch[slot]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if scratch.len() < needed {
            scratch.resize(needed, T::default());
        }
        let first = self.stride_rows * first_row;
        let input_row = self.input.columns * self.channels_in;
        let extended = scratch[..needed].chunks_exact_mut(self.shape.row_length.max(1));
        for (source, row) in self.row_sources[first..first + count].iter().zip(extended) {
            match source {
                Some(q) => self.extend_row(&input[q * input_row..][..input_row], row),
                None => row.fill(T::default()),
            }
        }
        rows_product(&self.weights, &self.shape, &scratch[..needed], chunk);
    }

    /// One input row extended by its columns' padding.
    fn extend_row(&self, source: &[T], row: &mut [T]) {
        let m = self.channels_in;
        for (column, entries) in self.column_sources.iter().zip(row.chunks_exact_mut(m)) {
            match column {
                Some(q) => entries.copy_from_slice(&source[q * m..(q + 1) * m]),
                None => entries.fill(T::default()),
            }
        }
    }
}

/// Applies `H_β`, `S_β` or `S⁺_β` with channel `c` at `betas[c]` to a block of whole positions
/// (`betas.len()` channels each), in place; returns the nonzeros left.
pub fn threshold_channels<T: Real>(
    block: &mut [T],
    thresholding: Thresholding,
    betas: &[T],
) -> usize {
    // One loop per rule, each free of branches, compiled for the widest vector instructions
    // found at run time.
    Arch::new().dispatch(ThresholdChannels {
        block,
        thresholding,
        betas,
    })
}

/// The arguments of [`threshold_channels`], dispatched as a struct so that the loops are
/// inlined into the entry point that enables the vector instructions.
struct ThresholdChannels<'a, T> {
    block: &'a mut [T],
    thresholding: Thresholding,
    betas: &'a [T],
}

impl<T: Real> WithSimd for ThresholdChannels<'_, T> {
    type Output = usize;

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) -> usize {
        channels_by_rule(self.block, self.thresholding, self.betas)
    }
}

/// The loops of [`threshold_channels`], one per rule.
#[inline(always)]
fn channels_by_rule<T: Real>(block: &mut [T], thresholding: Thresholding, betas: &[T]) -> usize {
    let zero = T::default();
    match thresholding {
        Thresholding::Soft => each_channel(block, betas, |z, beta| {
            let shrunk = z.abs() - beta;
            if shrunk > zero {
                shrunk.copysign(z)
            } else {
                zero
            }
        }),
        Thresholding::Nonnegative => each_channel(block, betas, |z, beta| {
            let shifted = z - beta;
            if shifted > zero { shifted } else { zero }
        }),
        Thresholding::Hard => each_channel(
            block,
            betas,
            |z, beta| if z.abs() > beta { z } else { zero },
        ),
    }
}

/// `z ← rule(z, betas[c])` for every entry of channel `c` of every position; the nonzeros left.
#[inline(always)]
fn each_channel<T: Real>(block: &mut [T], betas: &[T], rule: impl Fn(T, T) -> T) -> usize {
    let zero = T::default();
    let mut nonzeros = 0;
    for position in block.chunks_exact_mut(betas.len()) {
        let mut count = 0u32;
        for (z, &beta) in position.iter_mut().zip(betas) {
            *z = rule(*z, beta);
            count += u32::from(*z != zero);
        }
        nonzeros += count as usize;
    }
    nonzeros
}

/// `T_β(D_iᵀ Z)` of image layer `layer_number` (from 1) in `f64`, channel `c` thresholded at
/// `β_{i,c}`, or `D_iᵀ Z` for `None`; a vector on the output grid. Errors: those of
/// [`GridGeometry::output_grid`], and a `Z` not on a grid with `m_{i-1}` channels.
pub fn image_thresholded_analysis(
    layer_number: usize,
    layer: &Layer<f64>,
    z: &LayerVector<f64>,
    threshold: Option<(Thresholding, &Threshold<f64>)>,
) -> Result<LayerVector<f64>, ModelError> {
    if z.channels() != layer.input_channels() {
        return Err(ModelError::VectorShape {
            what: format!("layer {layer_number}: input Z"),
            expected_length: z.length(),
            expected_channels: layer.input_channels(),
            found_length: z.length(),
            found_channels: z.channels(),
        });
    }
    let analysis = ImageAnalysis::<f64>::new(layer_number, layer, z.grid())?;
    let mut out = LayerVector::zeros_on(analysis.output_grid(), layer.filter_count());
    match threshold {
        Some((thresholding, beta)) => {
            let betas: Vec<f64> = (0..layer.filter_count())
                .map(|c| *beta.channel(c))
                .collect();
            let finish = |block: &mut [f64]| threshold_channels(block, thresholding, &betas);
            analysis.apply(z.entries(), out.entries_mut(), &finish);
        }
        None => {
            analysis.apply(z.entries(), out.entries_mut(), &|_: &mut [f64]| 0);
        }
    }
    Ok(out)
}
