//! Exhaustive enumeration of supports within a stripe budget, shared by the exhaustive checks
//! of uniqueness, the stripe spark, the stripe RIP and stability (docs/math.md §2, §7).
//!
//! The atoms of `D_i` are indexed as the entries of `Γ_i`: atom `(p, c)` is `a = p · m_i + c`.
//! A support `T` (a set of atoms) has stripe sparsity `max_p #(T ∩ stripe(p))`, the stripe at
//! `p` being positions `p - n_i + 1, …, p + n_i - 1` (mod `N`): a window of `2 n_i - 1`
//! positions (all of them when `N < 2 n_i - 1` would make it wrap). Supports within a budget
//! form a family closed under subsets, so a depth-first search that adds atoms in increasing
//! index order and never exceeds the budget visits each of them exactly once.

use std::time::Duration;

use nalgebra::{DMatrix, DVector};

use crate::model::{Grid, Layer, LayerVector};
use crate::operators::dense_dictionary;
use crate::scalar::Scalar;

/// How much an exhaustive check covered.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub struct Coverage {
    /// The instances (dictionaries, or models with representations) examined.
    pub instances: usize,
    /// The supports enumerated (each solved or certified exactly).
    pub supports_enumerated: u64,
    /// The largest support met.
    pub largest_support: usize,
    /// The largest number of atoms `N m_i` of a dictionary examined.
    pub largest_atom_count: usize,
    /// The largest signal dimension `N m_{i-1}` of a dictionary examined.
    pub largest_signal_dimension: usize,
    /// Wall-clock time (not part of snapshots).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub elapsed: Duration,
}

impl Coverage {
    /// The coverage of one dictionary of `atoms` atoms in dimension `dimension`.
    pub fn of_dictionary(atoms: usize, dimension: usize) -> Self {
        Coverage {
            instances: 1,
            largest_atom_count: atoms,
            largest_signal_dimension: dimension,
            ..Coverage::default()
        }
    }

    /// Counts one support of the given size.
    pub fn count_support(&mut self, size: usize) {
        self.supports_enumerated += 1;
        self.largest_support = self.largest_support.max(size);
    }

    /// Adds another coverage to this one.
    pub fn absorb(&mut self, other: &Coverage) {
        self.instances += other.instances;
        self.supports_enumerated += other.supports_enumerated;
        self.largest_support = self.largest_support.max(other.largest_support);
        self.largest_atom_count = self.largest_atom_count.max(other.largest_atom_count);
        self.largest_signal_dimension = self
            .largest_signal_dimension
            .max(other.largest_signal_dimension);
        self.elapsed += other.elapsed;
    }
}

/// The number of nonzeros of a support in every stripe, kept up to date as atoms are added and
/// removed.
#[derive(Clone, Debug)]
pub struct StripeCounter {
    channels: usize,
    /// `containing[q]`: the stripes that hold position `q`.
    containing: Vec<Vec<usize>>,
    /// `window[s]` counts the atoms in stripe `s`.
    window: Vec<usize>,
}

impl StripeCounter {
    /// An empty support over `N` positions and `m` channels, for filters of length `n` at the
    /// paper's geometry: stripe `s` is the positions `s, …, s + w − 1` (mod N),
    /// `w = min(2n − 1, N)`.
    pub fn new(length: usize, channels: usize, filter_length: usize) -> Self {
        let width = (2 * filter_length - 1).min(length);
        let containing = (0..length)
            .map(|q| (0..width).map(|j| (q + length - j) % length).collect())
            .collect();
        StripeCounter {
            channels,
            containing,
            window: vec![0; length],
        }
    }

    /// An empty support over the output grid `output` of `layer` (any stride, padding and
    /// grid): stripe `p` is [`GridGeometry::stripe_positions`](crate::model::GridGeometry::stripe_positions)
    /// of position `p`, on an image the product of its axes' stripes (`proofs/two_dimensions.md`,
    /// G7). At the paper's geometry on a line it counts as [`StripeCounter::new`].
    pub fn on_grid<S: Scalar>(layer: &Layer<S>, output: Grid) -> Self {
        let geometry = layer.grid_geometry();
        let mut containing = vec![Vec::new(); output.positions()];
        for p in 0..output.positions() {
            let mut stripe = geometry.stripe_positions(p, output, layer.filter_shape());
            stripe.sort_unstable();
            stripe.dedup();
            for q in stripe {
                containing[q].push(p);
            }
        }
        StripeCounter {
            channels: layer.filter_count(),
            containing,
            window: vec![0; output.positions()],
        }
    }

    fn windows_containing(&self, atom: usize) -> impl Iterator<Item = usize> + '_ {
        self.containing[atom / self.channels].iter().copied()
    }

    /// The stripe sparsity of the support with `atom` added.
    pub fn sparsity_with(&self, atom: usize) -> usize {
        let current = self.sparsity();
        let touched = self
            .windows_containing(atom)
            .map(|s| self.window[s] + 1)
            .max()
            .unwrap_or(0);
        current.max(touched)
    }

    /// The stripe sparsity of the current support.
    pub fn sparsity(&self) -> usize {
        self.window.iter().copied().max().unwrap_or(0)
    }

    /// Adds an atom.
    pub fn add(&mut self, atom: usize) {
        for k in 0..self.containing[atom / self.channels].len() {
            let s = self.containing[atom / self.channels][k];
            self.window[s] += 1;
        }
    }

    /// Removes an atom added before.
    pub fn remove(&mut self, atom: usize) {
        for k in 0..self.containing[atom / self.channels].len() {
            let s = self.containing[atom / self.channels][k];
            self.window[s] -= 1;
        }
    }

    /// The stripe sparsity of a set of atoms, counted from this (empty) counter's stripes.
    pub fn sparsity_of(&self, support: &[usize]) -> usize {
        let mut counter = self.clone();
        counter.window.fill(0);
        for &atom in support {
            counter.add(atom);
        }
        counter.sparsity()
    }
}

/// The stripe sparsity of a set of atoms.
pub fn support_stripe_sparsity(
    support: &[usize],
    length: usize,
    channels: usize,
    filter_length: usize,
) -> usize {
    let mut counter = StripeCounter::new(length, channels, filter_length);
    for &atom in support {
        counter.add(atom);
    }
    counter.sparsity()
}

/// Visits every non-empty support of stripe sparsity at most `budget` over `N · m` atoms
/// (filters of length `n`), each once, in depth-first order with increasing atom indices.
/// Returns the number visited. The line form of [`for_each_support_with_counter`].
pub fn for_each_support_within_budget(
    length: usize,
    channels: usize,
    filter_length: usize,
    budget: usize,
    visit: impl FnMut(&[usize]),
) -> u64 {
    let counter = StripeCounter::new(length, channels, filter_length);
    for_each_support_with_counter(counter, length * channels, budget, visit)
}

/// Visits every non-empty support of `atoms` atoms whose stripe sparsity, counted by the
/// (empty) `counter` ([`StripeCounter::new`] on a line, [`StripeCounter::on_grid`] on any
/// grid), is at most `budget`, each once, in depth-first order with increasing atom indices.
/// Returns the number visited.
pub fn for_each_support_with_counter(
    mut counter: StripeCounter,
    atoms: usize,
    budget: usize,
    mut visit: impl FnMut(&[usize]),
) -> u64 {
    fn descend(
        start: usize,
        atoms: usize,
        budget: usize,
        counter: &mut StripeCounter,
        support: &mut Vec<usize>,
        visit: &mut dyn FnMut(&[usize]),
        visited: &mut u64,
    ) {
        for atom in start..atoms {
            if counter.sparsity_with(atom) > budget {
                continue;
            }
            counter.add(atom);
            support.push(atom);
            *visited += 1;
            visit(support);
            descend(atom + 1, atoms, budget, counter, support, visit, visited);
            support.pop();
            counter.remove(atom);
        }
    }
    let mut visited = 0;
    descend(
        0,
        atoms,
        budget,
        &mut counter,
        &mut Vec::new(),
        &mut visit,
        &mut visited,
    );
    visited
}

/// The representative of a support's class under cyclic shifts: the least (as a sorted list of
/// atoms) of the shifts `T + s`, where atom `(p, c)` moves to `((p + s) mod N, c)`. The
/// dictionary is circulant (atom `(p, c)` is atom `(0, c)` shifted by `p` positions), so the
/// Gram matrices of `T` and `T + s` are permutation-similar: they have the same eigenvalues and
/// the same definiteness after any shift of the identity (`proofs/uniqueness.md`, D3). Only
/// shifts that move an atom of `T` to position 0 can give the least list.
pub fn shift_canonical_support(support: &[usize], length: usize, channels: usize) -> Vec<usize> {
    let mut best: Vec<usize> = support.to_vec();
    let mut shifted = Vec::with_capacity(support.len());
    for &anchor in support {
        let s = length - anchor / channels;
        shifted.clear();
        shifted.extend(
            support
                .iter()
                .map(|&a| ((a / channels + s) % length) * channels + a % channels),
        );
        shifted.sort_unstable();
        if shifted < best {
            std::mem::swap(&mut shifted, &mut best);
        }
    }
    best
}

/// The dense dictionary `D_i` of a layer over `N` positions, exactly.
pub fn exact_dictionary<S: Scalar>(layer: &Layer<S>, length: usize) -> DMatrix<S> {
    dense_dictionary(layer, length)
}

/// The dense dictionary `D_i` of a layer (any stride, padding and grid) reading the grid
/// `input`, exactly: column `(p, c)` is the atom, `D_i e_{p,c}`
/// ([`synthesis_onto_grid`](crate::operators::synthesis_onto_grid)). Errors: those of
/// [`GridGeometry::output_grid`](crate::model::GridGeometry::output_grid).
pub fn exact_grid_dictionary<S: Scalar>(
    layer_number: usize,
    layer: &Layer<S>,
    input: Grid,
) -> Result<(DMatrix<S>, Grid), crate::model::ModelError> {
    let output = layer
        .grid_geometry()
        .output_grid(layer_number, input, layer.filter_shape())?;
    let (m, m_prev) = (layer.filter_count(), layer.input_channels());
    let mut matrix = DMatrix::from_element(
        input.positions() * m_prev,
        output.positions() * m,
        S::zero(),
    );
    for p in 0..output.positions() {
        for c in 0..m {
            let mut unit = LayerVector::zeros_on(output, m);
            unit.set(p, c, S::one());
            let atom = crate::operators::synthesis_onto_grid(layer, &unit, input);
            for (row, value) in atom.entries().iter().enumerate() {
                matrix[(row, p * m + c)] = value.clone();
            }
        }
    }
    Ok((matrix, output))
}

/// A layer vector as a column vector (position-major, the index of atoms and rows).
pub fn to_column<S: Scalar>(vector: &LayerVector<S>) -> DVector<S> {
    DVector::from_vec(vector.entries().to_vec())
}

/// A column vector as a layer vector of `channels` channels.
pub fn to_layer_vector<S: Scalar>(column: &DVector<S>, channels: usize) -> LayerVector<S> {
    LayerVector::from_entries(
        column.len() / channels,
        channels,
        column.iter().cloned().collect(),
    )
    .expect("a column of N · m entries")
}

/// The layer vector with `values[k]` at atom `support[k]` and zeros elsewhere.
pub fn scatter<S: Scalar>(
    support: &[usize],
    values: &DVector<S>,
    length: usize,
    channels: usize,
) -> LayerVector<S> {
    scatter_on_grid(
        support,
        values,
        Grid {
            rows: 1,
            columns: length,
        },
        channels,
    )
}

/// The layer vector on `grid` with `values[k]` at atom `support[k]` and zeros elsewhere.
pub fn scatter_on_grid<S: Scalar>(
    support: &[usize],
    values: &DVector<S>,
    grid: Grid,
    channels: usize,
) -> LayerVector<S> {
    let mut vector = LayerVector::zeros_on(grid, channels);
    for (k, &atom) in support.iter().enumerate() {
        vector.set(atom / channels, atom % channels, values[k].clone());
    }
    vector
}
