//! Vectors of a layer: an `N × m` array stored position-major (global index `pos · m + channel`),
//! used for representations `Γ_i`, signals and errors (docs/math.md §1). The `N` positions
//! form a [`Grid`] of `H × W`, numbered row-major (`proofs/two_dimensions.md`); a
//! one-dimensional vector has one row.

use super::grid::Grid;
use crate::scalar::{Rational, Scalar};

/// An `N × m` array of a layer, position-major, its positions a grid of `rows` rows.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerVector<S> {
    length: usize,
    rows: usize,
    channels: usize,
    entries: Vec<S>,
}

impl<S: Scalar> LayerVector<S> {
    /// The all-zero vector of `length` positions and `channels` channels.
    pub fn zeros(length: usize, channels: usize) -> Self {
        LayerVector {
            length,
            rows: 1,
            channels,
            entries: vec![S::zero(); length * channels],
        }
    }

    /// The all-zero vector on the positions of `grid`, with `channels` channels.
    pub fn zeros_on(grid: Grid, channels: usize) -> Self {
        LayerVector {
            rows: grid.rows,
            ..Self::zeros(grid.positions(), channels)
        }
    }

    /// The positions as a grid: `H × W`, one row for a one-dimensional vector.
    pub fn grid(&self) -> Grid {
        Grid {
            rows: self.rows,
            columns: self.length.checked_div(self.rows).unwrap_or(0),
        }
    }

    /// Whether the positions are one row (a one-dimensional vector).
    pub fn is_line(&self) -> bool {
        self.rows == 1
    }

    /// The same entries on `grid`, or `None` when it has another number of positions.
    pub fn on_grid(mut self, grid: Grid) -> Option<Self> {
        (grid.positions() == self.length && grid.rows > 0).then(|| {
            self.rows = grid.rows;
            self
        })
    }

    /// A vector from its position-major entries; `None` if the count is not `length · channels`.
    pub fn from_entries(length: usize, channels: usize, entries: Vec<S>) -> Option<Self> {
        (entries.len() == length * channels).then_some(LayerVector {
            length,
            rows: 1,
            channels,
            entries,
        })
    }

    /// `N`, the number of positions.
    pub fn length(&self) -> usize {
        self.length
    }

    /// `m`, the number of channels.
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// All entries, position-major.
    pub fn entries(&self) -> &[S] {
        &self.entries
    }

    /// All entries, mutably.
    pub fn entries_mut(&mut self) -> &mut [S] {
        &mut self.entries
    }

    /// The entry at a position (taken modulo `N`) and channel.
    pub fn get(&self, position: usize, channel: usize) -> &S {
        &self.entries[(position % self.length) * self.channels + channel]
    }

    /// Sets the entry at a position (taken modulo `N`) and channel.
    pub fn set(&mut self, position: usize, channel: usize, value: S) {
        let index = (position % self.length) * self.channels + channel;
        self.entries[index] = value;
    }

    /// The `m` entries at one position.
    pub fn at_position(&self, position: usize) -> &[S] {
        let start = (position % self.length) * self.channels;
        &self.entries[start..start + self.channels]
    }

    /// The entry-wise map of the vector.
    pub fn map<T: Scalar>(&self, f: impl Fn(&S) -> T) -> LayerVector<T> {
        LayerVector {
            length: self.length,
            rows: self.rows,
            channels: self.channels,
            entries: self.entries.iter().map(f).collect(),
        }
    }

    /// `self - other` (same shape).
    pub fn difference(&self, other: &Self) -> Self {
        assert_eq!(self.entries.len(), other.entries.len(), "shapes differ");
        let entries = self
            .entries
            .iter()
            .zip(&other.entries)
            .map(|(a, b)| {
                let mut d = a.clone();
                // An exact zero subtracts nothing (in `f64`, `-0 - -0` is `+0`, so it is formed).
                if !(S::EXACT && b.is_zero()) {
                    d -= b;
                }
                d
            })
            .collect();
        LayerVector {
            length: self.length,
            rows: self.rows,
            channels: self.channels,
            entries,
        }
    }

    /// `self + other` (same shape).
    pub fn sum(&self, other: &Self) -> Self {
        assert_eq!(self.entries.len(), other.entries.len(), "shapes differ");
        let entries = self
            .entries
            .iter()
            .zip(&other.entries)
            .map(|(a, b)| {
                let mut d = a.clone();
                d += b;
                d
            })
            .collect();
        LayerVector {
            length: self.length,
            rows: self.rows,
            channels: self.channels,
            entries,
        }
    }

    /// The Euclidean inner product `⟨self, other⟩`.
    pub fn inner_product(&self, other: &Self) -> S {
        let mut acc = S::zero();
        for (a, b) in self.entries.iter().zip(&other.entries) {
            S::multiply_accumulate(&mut acc, a, b);
        }
        acc
    }

    /// The nonzero entries as `(position, channel, value)`, in index order.
    pub fn support(&self) -> impl Iterator<Item = (usize, usize, &S)> {
        let channels = self.channels;
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_zero())
            .map(move |(k, v)| (k / channels, k % channels, v))
    }

    /// The number of nonzero entries.
    pub fn count_nonzeros(&self) -> usize {
        self.entries.iter().filter(|v| !v.is_zero()).count()
    }

    /// The largest absolute entry (`‖·‖_∞`).
    pub fn max_abs(&self) -> S {
        let mut best = S::zero();
        for v in self.entries.iter().filter(|v| !v.is_zero()) {
            let a = v.abs();
            if a > best {
                best = a;
            }
        }
        best
    }

    /// `|Γ^min|` and `|Γ^max|`: the smallest and largest magnitude over the support, or `None`
    /// for the zero vector (docs/math.md §2).
    pub fn support_magnitude_range(&self) -> Option<(S, S)> {
        magnitude_range(self.entries.iter().filter(|v| !v.is_zero()))
    }

    /// The atom of entry `k` (position-major, channel fastest) in words, for witnesses:
    /// `atom (position p, channel c)` on a line, `atom (position [r, c], channel k)` on a grid
    /// of several rows.
    pub fn atom_text(&self, k: usize) -> String {
        let channels = self.channels.max(1);
        let (p, c) = (k / channels, k % channels);
        if self.is_line() {
            format!("atom (position {p}, channel {c})")
        } else {
            let (row, column) = self.grid().coordinates(p);
            format!("atom (position [{row}, {column}], channel {c})")
        }
    }

    /// The vector with rows and columns exchanged: entry `(r, c)` of the grid `H × W` moves
    /// to `(c, r)` of `W × H` (`proofs/two_dimensions.md`, G3).
    pub fn transposed(&self) -> Self {
        let grid = self.grid();
        let mut out = Self::zeros_on(grid.transposed(), self.channels);
        for p in 0..self.length {
            let (row, column) = grid.coordinates(p);
            let q = grid.transposed().position(column, row);
            for c in 0..self.channels {
                out.set(q, c, self.get(p, c).clone());
            }
        }
        out
    }

    /// The vector circularly shifted by `shift` positions: entry `p` moves to `p + shift`.
    pub fn shifted(&self, shift: usize) -> Self {
        let mut out = Self::zeros_on(self.grid(), self.channels);
        for p in 0..self.length {
            for c in 0..self.channels {
                out.set(p + shift, c, self.get(p, c).clone());
            }
        }
        out
    }
}

impl LayerVector<Rational> {
    /// The `f64` image of an exact vector.
    pub fn to_f64(&self) -> LayerVector<f64> {
        self.map(|v| v.to_f64())
    }
}

/// The smallest and largest magnitude `|v|` of the given values, or `None` when there are none.
pub fn magnitude_range<'a, S: Scalar + 'a>(
    values: impl IntoIterator<Item = &'a S>,
) -> Option<(S, S)> {
    let mut range: Option<(S, S)> = None;
    for v in values {
        let a = v.abs();
        range = Some(match range {
            None => (a.clone(), a),
            Some((lo, hi)) => {
                let lo = if a < lo { a.clone() } else { lo };
                let hi = if a > hi { a } else { hi };
                (lo, hi)
            }
        });
    }
    range
}
