//! The forward pass with its report fused into the products, in either machine precision: the
//! synthesis chain `Γ_{i-1} = D_i Γ_i`, layered thresholding `Γ̂_i = T_β(D_iᵀ Γ̂_{i-1})`, and per
//! layer the nonzeros of every position of `Γ_i` and the energy `‖Γ_i[p, :] − Γ̂_i[p, :]‖²` of
//! every position, from which the stripe and patch norms of docs/math.md §2 follow.
//!
//! Computed apart, the report reads every `Γ_i` twice and every `Γ̂_i` once more after the
//! products. Here each is done per block, in the finish of the product that has the block in
//! cache: the nonzeros of `Γ_i` as `D_i Γ_i` has just read those positions, the energies as
//! `D_iᵀ Γ̂_{i-1}` has just written (and thresholded) the block of `Γ̂_i`. The per-position
//! values are the same numbers, summed in the same order, as those of [`super::norms`].

use pulp::{Arch, Simd, WithSimd};

use super::correlation::Correlation;
use super::norms::{nonzeros_into, squared_distance, windowed_count_maximum, windowed_maximum};
use super::simd::Real;
use super::threshold::entries_by_rule;
use crate::model::Layer;
use crate::thresholding::Thresholding;

/// The two operators `D_iᵀ` and `D_i` of one layer, packed once.
#[derive(Clone, Debug)]
pub struct LayerOperators<T> {
    /// `D_iᵀ`.
    pub analysis: Correlation<T>,
    /// `D_i`.
    pub synthesis: Correlation<T>,
}

impl<T: Real> LayerOperators<T> {
    /// Both operators of `layer`, its taps rounded to `T`.
    pub fn new(layer: &Layer<f64>) -> Self {
        LayerOperators {
            analysis: Correlation::analysis(layer),
            synthesis: Correlation::synthesis(layer),
        }
    }
}

/// Makes `v` hold `entries` values, reusing it when it already does (its values are then left
/// as they are, for the caller to overwrite).
fn sized<V: Clone + Default>(v: &mut Vec<V>, entries: usize) {
    if v.len() != entries {
        v.clear();
        v.resize(entries, V::default());
    }
}

/// `[Γ_0 = X, …, Γ_{K-1}]` from `Γ_K` into `chain`, and the nonzeros of every position of
/// `Γ_1, …, Γ_K` into `counts` (`counts[i-1]` for `Γ_i`), counted in the finish of `D_i Γ_i`.
///
/// # Panics
///
/// If `Γ_K` is not `length × m_K`.
pub fn synthesis_chain_counting_into<T: Real>(
    operators: &[LayerOperators<T>],
    deepest: &[T],
    length: usize,
    chain: &mut Vec<Vec<T>>,
    counts: &mut Vec<Vec<u32>>,
) {
    let depth = operators.len();
    chain.resize_with(depth, Vec::new);
    counts.resize_with(depth, Vec::new);
    for i in (0..depth).rev() {
        let (lower, upper) = chain.split_at_mut(i + 1);
        let input: &[T] = upper.first().map_or(deepest, Vec::as_slice);
        let synthesis = &operators[i].synthesis;
        let out = &mut lower[i];
        sized(out, length * synthesis.channels_out());
        sized(&mut counts[i], length);
        let channels = synthesis.channels_in();
        let count = |p: usize, _: &mut [T], counts: &mut [u32]| {
            nonzeros_into(
                &input[p * channels..][..counts.len() * channels],
                channels,
                counts,
            );
        };
        synthesis.correlate_with(input, length, out, &mut counts[i], &count);
    }
}

/// Layered thresholding `Γ̂_i = T_{β_i}(D_iᵀ Γ̂_{i-1})`, `Γ̂_0 = Y`, into `estimates`, and the
/// energies `‖Γ̂_i[p, :] − Γ_i[p, :]‖²` into `energies` (`[i-1]` for layer `i`), where
/// `references[i-1]` is `Γ_i`.
///
/// # Panics
///
/// If there is not one threshold and one reference per layer, or a shape differs.
pub fn layered_thresholding_against_into<T: Real>(
    operators: &[LayerOperators<T>],
    signal: &[T],
    length: usize,
    (thresholds, thresholding): (&[T], Thresholding),
    references: &[&[T]],
    estimates: &mut Vec<Vec<T>>,
    energies: &mut Vec<Vec<f64>>,
) {
    let depth = operators.len();
    assert_eq!(thresholds.len(), depth, "one threshold per layer");
    assert_eq!(references.len(), depth, "one reference per layer");
    estimates.resize_with(depth, Vec::new);
    energies.resize_with(depth, Vec::new);
    for i in 0..depth {
        let (lower, upper) = estimates.split_at_mut(i);
        let input: &[T] = lower.last().map_or(signal, Vec::as_slice);
        let analysis = &operators[i].analysis;
        let channels = analysis.channels_out();
        let (out, reference) = (&mut upper[0], references[i]);
        sized(out, length * channels);
        assert_eq!(
            reference.len(),
            out.len(),
            "the reference has another shape"
        );
        sized(&mut energies[i], length);
        let finish = |p: usize, block: &mut [T], energies: &mut [f64]| {
            Arch::new().dispatch(ThresholdAgainst {
                block,
                reference: &reference[p * channels..][..energies.len() * channels],
                energies,
                channels,
                thresholding,
                beta: thresholds[i],
            });
        };
        analysis.correlate_with(input, length, out, &mut energies[i], &finish);
    }
}

/// The products alone of the pass: the synthesis chain, then every analysis, without
/// thresholding, on the input it had in the pass (`signal`, then the estimates), each written
/// over the estimate of its own layer, deepest first.
///
/// # Panics
///
/// If the pass has not run on these vectors first.
pub fn products_into<T: Real>(
    operators: &[LayerOperators<T>],
    deepest: &[T],
    length: usize,
    signal: &[T],
    chain: &mut [Vec<T>],
    estimates: &mut [Vec<T>],
) {
    let nothing = |_: &mut [T]| {};
    for i in (0..operators.len()).rev() {
        let (lower, upper) = chain.split_at_mut(i + 1);
        let input: &[T] = upper.first().map_or(deepest, Vec::as_slice);
        operators[i]
            .synthesis
            .correlate(input, length, &mut lower[i], &nothing);
    }
    for i in (0..operators.len()).rev() {
        let (lower, upper) = estimates.split_at_mut(i);
        let input: &[T] = lower.last().map_or(signal, Vec::as_slice);
        operators[i]
            .analysis
            .correlate(input, length, &mut upper[0], &nothing);
    }
}

/// `(‖Γ‖^S_{0,∞}, ‖Γ‖^P_{0,∞}(w), ‖Γ − Γ̂‖^P_{2,∞}(w))` from the per-position nonzeros of `Γ`
/// and energies of `Γ − Γ̂`, for filter length `n` and patch width `w`.
pub fn layer_report(
    counts: &[u32],
    energies: &[f64],
    filter_length: usize,
    width: usize,
) -> (usize, usize, f64) {
    (
        windowed_count_maximum(counts, 2 * filter_length - 1),
        windowed_count_maximum(counts, width),
        windowed_maximum(energies, width).sqrt(),
    )
}

/// One block of output rows thresholded in place, row by row, each row's energy against the
/// reference taken while the row is in the first-level cache (a struct, so that the loop is
/// inlined into the dispatch).
struct ThresholdAgainst<'a, T> {
    block: &'a mut [T],
    reference: &'a [T],
    energies: &'a mut [f64],
    channels: usize,
    thresholding: Thresholding,
    beta: T,
}

impl<T: Real> WithSimd for ThresholdAgainst<'_, T> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let channels = self.channels.max(1);
        let rows = self.block.chunks_exact_mut(channels);
        let references = self.reference.chunks_exact(channels);
        for ((row, reference), energy) in rows.zip(references).zip(self.energies.iter_mut()) {
            entries_by_rule(row, self.thresholding, self.beta);
            *energy = squared_distance(row, reference);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fast::norms::{difference_energies, nonzeros_per_position};
    use crate::fast::threshold::threshold_entries;
    use mlcsc_spec::model::Layer;

    /// A layer of `m` filters of length `n` on `m_previous` channels with taps that are not
    /// round numbers.
    fn layer(index: usize, n: usize, m: usize, m_previous: usize) -> Layer<f64> {
        let filters = (0..m)
            .map(|c| {
                (0..n)
                    .map(|t| {
                        (0..m_previous)
                            .map(|k| ((c * 31 + t * 17 + k * 5 + index) % 23) as f64 / 23.0 - 0.4)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Layer::new_unchecked_norm(index, filters).expect("a valid shape")
    }

    fn vector(entries: usize, seed: usize, density: usize) -> Vec<f64> {
        (0..entries)
            .map(|k| {
                let h = (k * 2_654_435_761 + seed) % 1000;
                if h % density == 0 {
                    h as f64 / 500.0 - 1.0
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// The fused pass gives the same bits as the products, thresholding and norms done apart,
    /// on lengths with one block, several blocks and a short last block.
    #[test]
    fn the_fused_report_is_the_report_done_apart() {
        for length in [15, 700, 3000] {
            let layers = [layer(1, 8, 4, 1), layer(2, 3, 6, 4)];
            let operators: Vec<LayerOperators<f64>> =
                layers.iter().map(LayerOperators::new).collect();
            let deepest = vector(length * 6, 3, 7);
            let (mut chain, mut counts) = (Vec::new(), Vec::new());
            synthesis_chain_counting_into(&operators, &deepest, length, &mut chain, &mut counts);
            let noise = vector(length, 11, 1);
            let signal: Vec<f64> = chain[0].iter().zip(&noise).map(|(x, e)| x + e).collect();
            let references = [chain[1].as_slice(), deepest.as_slice()];
            let thresholds = [0.3, 0.2];
            let (mut estimates, mut energies) = (Vec::new(), Vec::new());
            layered_thresholding_against_into(
                &operators,
                &signal,
                length,
                (&thresholds, Thresholding::Soft),
                &references,
                &mut estimates,
                &mut energies,
            );
            let mut apart = chain.clone();
            let mut apart_estimates = estimates.clone();
            products_into(
                &operators,
                &deepest,
                length,
                &signal,
                &mut apart,
                &mut apart_estimates,
            );
            assert_eq!(apart, chain);
            for (i, reference) in references.iter().enumerate() {
                let channels = layers[i].filter_count();
                threshold_entries(&mut apart_estimates[i], Thresholding::Soft, thresholds[i]);
                assert_eq!(apart_estimates[i], estimates[i]);
                assert_eq!(nonzeros_per_position(reference, channels), counts[i]);
                let apart_energies = difference_energies(&estimates[i], reference, channels);
                assert_eq!(apart_energies, energies[i]);
                assert!(energies[i].iter().any(|e| *e > 0.0));
            }
        }
    }
}
