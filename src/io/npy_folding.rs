//! Folding the weights of a ReLU network into the model's unit filters
//! (`proofs/folding.md`), by the specification's fold ([`mlcsc_spec::folding::fold`]): the
//! banks are read as a network of stride-1 circular convolutions with zero biases and a ReLU
//! after each, so that with `ρ_0 ≡ 1`, layer `i`'s input channel `c'` is scaled by the norm
//! `ρ_{i-1,c'}` of the previous layer's folded filter `c'` and each filter is divided by its
//! own norm `ρ_{i,c}`. A filter of norm 0 is a dead channel: it is dropped, and so is its input
//! channel in the next layer. The coherence of a trained network is that of its folded
//! filters; normalising each layer on its own understates it.

use mlcsc_spec::folding::{Convolution, FoldedNetwork, FoldingError, Network, Stage, fold};

use super::npy::FilterBank;

/// The folded banks of a network: each layer's unit filters `F_i`, with the dead filters of
/// layer `i` and the dead input channels removed, and the dead filters of each layer, by
/// their index in the file.
#[derive(Clone, Debug)]
pub struct FoldedBanks {
    /// `F_i` with the dead filters of layer `i` and the dead input channels removed.
    pub banks: Vec<FilterBank>,
    /// The filters of norm 0 of each layer, by index in the file.
    pub dead: Vec<Vec<usize>>,
}

/// The banks of `banks` (layer 1 first, shapes already checked to chain) folded in order.
/// Each bank is first multiplied by a power of two that brings its largest weight into
/// `[1, 2)`: exact in `f64`, and the fold does not change when a layer's weights are scaled
/// by `λ > 0` (`proofs/folding.md`, F6), so the squares it sums neither overflow nor
/// underflow for any bank whose filters are within `2^500` of each other. Errors: a layer
/// whose filters are all zero after the fold, naming its file.
pub fn fold_banks(banks: &[FilterBank]) -> Result<FoldedBanks, String> {
    match fold(&network_of(banks)?) {
        Ok(folded) => banks_of(banks, &folded),
        Err(FoldingError::AllDead { layer }) => Err(format!(
            "{}: every filter is zero (all channels dead); nothing to fold",
            banks[layer - 1].path.display()
        )),
        Err(other) => Err(other.to_string()),
    }
}

/// The banks as a network: each a stride-1 circular convolution with zero biases (scaled as
/// [`fold_banks`] says), followed by ReLU.
fn network_of(banks: &[FilterBank]) -> Result<Network<f64>, String> {
    let mut stages = Vec::with_capacity(2 * banks.len());
    for bank in banks {
        let [m, m_previous, n] = bank.shape;
        let largest = bank.weights.iter().fold(0.0, |a: f64, w| a.max(w.abs()));
        let exponent = exponent_to_unit_range(largest);
        let weights = (0..m)
            .map(|c| {
                (0..m_previous)
                    .map(|k| {
                        (0..n)
                            .map(|t| times_power_of_two(bank.weight(c, k, t), exponent))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let convolution = Convolution::new(weights, vec![0.0; m])
            .map_err(|e| format!("{}: {e}", bank.path.display()))?;
        stages.extend([Stage::Convolution(convolution), Stage::Relu]);
    }
    Ok(Network {
        input_channels: banks.first().map_or(0, FilterBank::input_channels),
        stages,
    })
}

/// `k` with `2^-k ≤ largest < 2^(1-k)` for a finite positive `largest` (0 otherwise), so
/// that [`times_power_of_two`]`(largest, k)` lies in `[1, 2)`.
fn exponent_to_unit_range(largest: f64) -> i32 {
    if largest == 0.0 || !largest.is_finite() {
        return 0;
    }
    let (mut value, mut exponent) = (largest, 0);
    while value >= 2.0 {
        value /= 2.0;
        exponent -= 1;
    }
    while value < 1.0 {
        value *= 2.0;
        exponent += 1;
    }
    exponent
}

/// `w · 2^k`, in two factors that are both normal `f64` for `|k| ≤ 1100` (the scale of a
/// subnormal bank, `2^1074`, is not an `f64`): exact unless the result is subnormal.
fn times_power_of_two(w: f64, k: i32) -> f64 {
    let half = k / 2;
    w * 2f64.powi(half) * 2f64.powi(k - half)
}

/// The unit filters of every folded layer as banks `[out][in][kernel]`, and the dead filters.
fn banks_of(banks: &[FilterBank], folded: &FoldedNetwork<f64>) -> Result<FoldedBanks, String> {
    let mut folded_banks = Vec::with_capacity(banks.len());
    let mut dead = Vec::with_capacity(banks.len());
    for (bank, layer) in banks.iter().zip(&folded.layers) {
        let Some((unit, _)) = layer.dictionary.as_ref() else {
            return Err(format!(
                "{}: a folded norm has no root",
                bank.path.display()
            ));
        };
        let (m, m_previous, n) = (
            unit.filter_count(),
            unit.input_channels(),
            unit.filter_length(),
        );
        let mut kept = bank.clone();
        kept.shape = [m, m_previous, n];
        kept.weights = (0..m)
            .flat_map(|c| (0..m_previous).flat_map(move |k| (0..n).map(move |t| (c, k, t))))
            .map(|(c, k, t)| *unit.tap(c, t, k))
            .collect();
        folded_banks.push(kept);
        dead.push(layer.dead.clone());
    }
    Ok(FoldedBanks {
        banks: folded_banks,
        dead,
    })
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
