//! Folding the weights of a ReLU network into the model's unit filters
//! (`proofs/folding.md`): with `ρ_0 ≡ 1`, layer `i`'s input channel `c'` is scaled by the norm
//! `ρ_{i-1,c'}` of the previous layer's folded filter `c'`, `W'_i[c][c'][t] = W_i[c][c'][t] ·
//! ρ_{i-1,c'}`, and then each filter is divided by its own norm `ρ_{i,c} = ‖W'_i[c]‖`. A filter
//! of norm 0 is a dead channel: it is dropped, and so is its input channel in the next layer.
//! The coherence of a trained network is that of its folded filters; normalising each layer on
//! its own understates it.

use super::npy::FilterBank;

/// The folded banks of a network: each layer's weights with its input channels scaled and its
/// dead filters dropped (not yet divided by their norms), and the dead filters of each layer,
/// by their index in the file.
#[derive(Clone, Debug)]
pub struct FoldedBanks {
    /// `W'_i` with the dead filters of layer `i` and the dead input channels removed.
    pub banks: Vec<FilterBank>,
    /// The filters of norm 0 of each layer, by index in the file.
    pub dead: Vec<Vec<usize>>,
}

/// The banks of `banks` (layer 1 first, shapes already checked to chain) folded in order.
pub fn fold_banks(banks: &[FilterBank]) -> FoldedBanks {
    let mut folded = Vec::with_capacity(banks.len());
    let mut dead_by_layer = Vec::with_capacity(banks.len());
    let mut previous: Option<(Vec<usize>, Vec<f64>)> = None;
    for bank in banks {
        let mut scaled = bank.clone();
        if let Some((dead, norms)) = &previous {
            scaled = scale_input_channels(&without_input_channels(&scaled, dead), norms);
        }
        let norms = scaled.filter_norms();
        let dead: Vec<usize> = (0..scaled.filter_count())
            .filter(|&c| norms[c] == 0.0)
            .collect();
        let alive = without_filters(&scaled, &dead);
        previous = Some((dead.clone(), alive.filter_norms()));
        folded.push(alive);
        dead_by_layer.push(dead);
    }
    FoldedBanks {
        banks: folded,
        dead: dead_by_layer,
    }
}

/// `bank` without the filters (output channels) in `dead`.
pub fn without_filters(bank: &FilterBank, dead: &[usize]) -> FilterBank {
    let size = bank.input_channels() * bank.filter_length();
    let weights: Vec<f64> = bank
        .weights
        .chunks(size)
        .enumerate()
        .filter(|(c, _)| !dead.contains(c))
        .flat_map(|(_, filter)| filter.iter().copied())
        .collect();
    let mut kept = bank.clone();
    kept.shape[0] = bank.filter_count() - dead.len();
    kept.weights = weights;
    kept
}

/// `bank` without the input channels in `dead`.
fn without_input_channels(bank: &FilterBank, dead: &[usize]) -> FilterBank {
    let n = bank.filter_length();
    let weights: Vec<f64> = bank
        .weights
        .chunks(n)
        .enumerate()
        .filter(|(row, _)| !dead.contains(&(row % bank.input_channels())))
        .flat_map(|(_, taps)| taps.iter().copied())
        .collect();
    let mut kept = bank.clone();
    kept.shape[1] = bank.input_channels() - dead.len();
    kept.weights = weights;
    kept
}

/// `bank` with input channel `c'` multiplied by `scales[c']`.
fn scale_input_channels(bank: &FilterBank, scales: &[f64]) -> FilterBank {
    let n = bank.filter_length();
    let mut scaled = bank.clone();
    for (row, taps) in scaled.weights.chunks_mut(n).enumerate() {
        let scale = scales[row % bank.input_channels()];
        taps.iter_mut().for_each(|w| *w *= scale);
    }
    scaled
}
