//! One axis of a layer as the certified region reads it: the stripes that cover a window
//! (`proofs/certified_region.md`, CR1; on images each axis apart, `proofs/two_dimensions.md`,
//! G11). Re-exported by [`crate::certified_region`].

/// One axis of an image layer as the certificate reads it (`proofs/two_dimensions.md`, G11):
/// `n`, `σ`, the window `w` and whether it wraps, as [`LayerFigures`](crate::certified_region::LayerFigures) holds them for the
/// columns. A one-dimensional layer's rows axis is [`AxisFigures::LINE`], which covers every
/// window with one stripe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AxisFigures {
    /// `n` on this axis.
    pub filter_length: usize,
    /// `σ` on this axis.
    pub stride: usize,
    /// `w` on this axis.
    pub window: usize,
    /// Whether the windows wrap around the axis while its stripes do not.
    pub window_wraps: bool,
}

impl AxisFigures {
    /// The rows axis of a line: one tap, stride 1, a window of one row.
    pub const LINE: AxisFigures = AxisFigures {
        filter_length: 1,
        stride: 1,
        window: 1,
        window_wraps: false,
    };

    /// The stripes of this axis that cover one window ([`stripes_per_window`]).
    pub fn stripes(&self) -> usize {
        stripes_per_window(
            self.filter_length,
            self.stride,
            self.window,
            self.window_wraps,
        )
    }

    /// `2h + 1`, the positions of a stripe along this axis.
    pub fn stripe_width(&self) -> usize {
        2 * (self.filter_length.saturating_sub(1) / self.stride.max(1)) + 1
    }
}

/// `⌈w / (2h + 1)⌉` stripes of `2h + 1` consecutive positions, `h = ⌊(n − 1)/σ⌋`, cover a
/// window of `w` consecutive positions; a wrapped window is two runs, one stripe more
/// (`proofs/certified_region.md`, CR1).
pub fn stripes_per_window(
    filter_length: usize,
    stride: usize,
    window: usize,
    wraps: bool,
) -> usize {
    let width = 2 * (filter_length.saturating_sub(1) / stride.max(1)) + 1;
    window.div_ceil(width) + usize::from(wraps && width > 1 && window > 1)
}
