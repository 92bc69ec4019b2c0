//! The geometry of a layer as a CNN layer lays it out: a stride `σ ≥ 1` and a padding mode
//! (`proofs/strided_dictionary.md`). The default, stride 1 with circular padding, is the model
//! of the paper and of every other module.
//!
//! With input length `N = N_{i-1}`, filter length `n`, stride `σ` and padding amounts
//! `(P^l, P^r)` (both 0 unless the mode is [`Padding::Zero`]):
//!
//! - `(W ⋆ Z)[c, p] = Σ_{c'} Σ_{t=0}^{n-1} W[c, c', t] · Z̃[c', σ p + t − P^l]`, where `Z̃` is `Z`
//!   extended by zeros ([`Padding::Zero`], [`Padding::Valid`]) or periodically
//!   ([`Padding::Circular`]);
//! - the output length is `⌊(N + P^l + P^r − n)/σ⌋ + 1`, or `N/σ` when circular;
//! - atom `d_{c,p}` holds `W[c, ·, t]` at input position `σ p + t − P^l` (modulo `N` when
//!   circular, dropped when outside `[0, N)` otherwise), so that `W ⋆ Z = Dᵀ Z`.

use super::error::ModelError;

/// How a layer extends its input beyond its `N` positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Padding {
    /// Periodic extension: `Z̃[q] = Z[q mod N]`, no padding amounts, output length `N/σ`
    /// (the stride must divide `N`). The model of the paper.
    #[default]
    Circular,
    /// Zero extension, with `left` zeros before position 0 and `right` zeros after position
    /// `N − 1` (PyTorch's `conv1d` after `F.pad(z, (left, right))`).
    Zero {
        /// `P^l`, the zeros before the signal.
        left: usize,
        /// `P^r`, the zeros after the signal.
        right: usize,
    },
    /// No padding: every window lies inside the signal (`P^l = P^r = 0`).
    Valid,
}

impl Padding {
    /// `(P^l, P^r)`: the amounts of [`Padding::Zero`], and `(0, 0)` for the other modes.
    pub fn amounts(&self) -> (usize, usize) {
        match *self {
            Padding::Zero { left, right } => (left, right),
            Padding::Circular | Padding::Valid => (0, 0),
        }
    }

    /// The mode's name as the documentation writes it: `circular`, `zero` or `valid`.
    pub fn mode_name(&self) -> &'static str {
        match self {
            Padding::Circular => "circular",
            Padding::Zero { .. } => "zero",
            Padding::Valid => "valid",
        }
    }
}

/// The stride and padding of one layer. [`Geometry::default`] is stride 1, circular.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Geometry {
    /// `σ ≥ 1`, the step between the input windows of consecutive code positions.
    pub stride: usize,
    /// How the input is extended beyond its positions.
    pub padding: Padding,
}

impl Default for Geometry {
    fn default() -> Self {
        Geometry {
            stride: 1,
            padding: Padding::Circular,
        }
    }
}

/// The first of the layers' geometries (layer 1 first) that is not the paper's, in words
/// (`layer 2: stride 2, zero padding (1, 1)`), for a result stated for the paper's layers only.
pub fn first_real_layer(geometries: impl IntoIterator<Item = Geometry>) -> Option<String> {
    geometries
        .into_iter()
        .enumerate()
        .find(|(_, geometry)| !geometry.is_paper())
        .map(|(index, geometry)| format!("layer {}: {}", index + 1, geometry.describe()))
}

impl Geometry {
    /// Whether this is the paper's geometry: stride 1 with circular padding.
    pub fn is_paper(&self) -> bool {
        *self == Geometry::default()
    }

    /// The geometry in words: `stride 2, zero padding (1, 1)`, `stride 1, circular padding`.
    pub fn describe(&self) -> String {
        let padding = match self.padding {
            Padding::Zero { left, right } => format!("zero padding ({left}, {right})"),
            other => format!("{} padding", other.mode_name()),
        };
        format!("stride {}, {padding}", self.stride)
    }

    /// `N_i`, the number of code positions of a layer with this geometry:
    /// `⌊(N + P^l + P^r − n)/σ⌋ + 1` for zero and valid padding, `N/σ` for circular padding
    /// (`proofs/strided_dictionary.md`, S1). Errors, naming `layer` (from 1), the field and
    /// the value: a stride of 0; circular padding with `σ ∤ N`; zero or valid padding with
    /// `N + P^l + P^r < n`.
    pub fn output_length(
        &self,
        layer: usize,
        input_length: usize,
        filter_length: usize,
    ) -> Result<usize, ModelError> {
        if self.stride == 0 {
            return Err(ModelError::ZeroStride { layer });
        }
        if self.padding == Padding::Circular {
            if input_length % self.stride != 0 {
                return Err(ModelError::StrideDoesNotDivideLength {
                    layer,
                    stride: self.stride,
                    input_length,
                });
            }
            return Ok(input_length / self.stride);
        }
        let (left, right) = self.padding.amounts();
        let padded = input_length.saturating_add(left).saturating_add(right);
        if padded < filter_length {
            return Err(ModelError::PaddedInputTooShort {
                layer,
                padding: self.padding.mode_name(),
                input_length,
                left,
                right,
                filter_length,
            });
        }
        Ok((padded - filter_length) / self.stride + 1)
    }

    /// The input position that tap `t` of the atom at code position `p` lands on:
    /// `σ p + t − P^l`, taken modulo `N` when circular, and `None` when it falls outside
    /// `[0, N)` otherwise (`proofs/strided_dictionary.md`, S2). `None` for `N = 0`.
    pub fn input_position(&self, p: usize, t: usize, input_length: usize) -> Option<usize> {
        if input_length == 0 {
            return None;
        }
        let shifted = self.stride * p + t;
        match self.padding {
            // `% N` only past the end: the division costs more than the comparison.
            Padding::Circular if shifted < input_length => Some(shifted),
            Padding::Circular => Some(shifted % input_length),
            Padding::Zero { left, .. } => shifted
                .checked_sub(left)
                .filter(|&position| position < input_length),
            Padding::Valid => (shifted < input_length).then_some(shifted),
        }
    }

    /// Whether the atom at code position `p` is interior: its `n` taps all land inside the
    /// signal without wrapping, `σ p − P^l ≥ 0` and `σ p − P^l + n − 1 ≤ N − 1`. Every atom of a
    /// circular or valid layer is interior (`proofs/strided_dictionary.md`, S4).
    pub fn is_interior(&self, p: usize, input_length: usize, filter_length: usize) -> bool {
        match self.padding {
            Padding::Circular | Padding::Valid => true,
            Padding::Zero { left, .. } => (self.stride * p)
                .checked_sub(left)
                .is_some_and(|start| start + filter_length <= input_length),
        }
    }

    /// `⌊(n − 1)/σ⌋`: two atoms at code positions `p`, `p'` can meet on the input only when
    /// `|p' − p|` (cyclically, when circular) is at most this (`proofs/strided_dictionary.md`,
    /// S5). It is `n − 1` at stride 1, the half of today's stripe width `2n − 1`.
    pub fn stripe_half_width(&self, filter_length: usize) -> usize {
        filter_length.saturating_sub(1) / self.stride.max(1)
    }

    /// The code positions of the stripe of position `p` among `output_length` positions: those
    /// within [`Geometry::stripe_half_width`] of `p`, cyclically when circular and clipped to
    /// `[0, output_length)` otherwise, each once, in increasing offset from `p − half width`.
    pub fn stripe_positions(
        &self,
        p: usize,
        output_length: usize,
        filter_length: usize,
    ) -> Vec<usize> {
        let half = self.stripe_half_width(filter_length);
        let mut positions = Vec::new();
        if output_length == 0 {
            return positions;
        }
        for offset in 0..=2 * half {
            let position = if self.padding == Padding::Circular {
                let whole_turns = output_length * (half / output_length + 1);
                (p + offset + whole_turns - half) % output_length
            } else {
                match (p + offset).checked_sub(half) {
                    Some(position) if position < output_length => position,
                    _ => continue,
                }
            };
            if !positions.contains(&position) {
                positions.push(position);
            }
        }
        positions
    }

    /// The patch of code position `p`: the input positions `σ p − P^l, …, σ p − P^l + n − 1`
    /// that exist (modulo `N` when circular, those inside `[0, N)` otherwise), in tap order,
    /// each once; with all input channels, the rows an atom at `p` can touch
    /// (`proofs/strided_dictionary.md`, S5).
    pub fn patch_positions(
        &self,
        p: usize,
        input_length: usize,
        filter_length: usize,
    ) -> Vec<usize> {
        let mut positions = Vec::new();
        for t in 0..filter_length {
            if let Some(position) = self.input_position(p, t, input_length)
                && !positions.contains(&position)
            {
                positions.push(position);
            }
        }
        positions
    }
}
