//! The forward pass with its report fused into the products, in either machine precision: the
//! synthesis chain `Γ_{i-1} = D_i Γ_i`, layered thresholding `Γ̂_i = T_β(D_iᵀ Γ̂_{i-1})`, and per
//! layer the nonzeros of every position of `Γ_i` and the energy `‖Γ_i[p, :] − Γ̂_i[p, :]‖²` of
//! every position, from which the stripe and patch norms of docs/math.md §2 follow.
//!
//! Computed apart, the report reads every `Γ_i` twice (nonzeros, energies) and every `Γ̂_i` once
//! more after the products. Here both are taken in the finish of `D_iᵀ Γ̂_{i-1}`, row by row
//! as each block of `Γ̂_i` is thresholded while in cache: `Γ_i`'s row is read once, for its
//! difference with `Γ̂_i`'s and for its nonzeros. The per-position values are the same
//! numbers, summed in the same order, as those of [`super::norms`].

use pulp::{Arch, Simd, WithSimd};

use super::correlation::Correlation;
use super::norms::squared_distance_and_nonzeros;
use super::report_windows::report_maxima;
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

/// `[Γ_0 = X, …, Γ_{K-1}]` from `Γ_K` into `chain`, reusing its vectors.
///
/// # Panics
///
/// If `Γ_K` is not `length × m_K`.
pub fn synthesis_chain_into<T: Real>(
    operators: &[LayerOperators<T>],
    deepest: &[T],
    length: usize,
    chain: &mut Vec<Vec<T>>,
) {
    let depth = operators.len();
    chain.resize_with(depth, Vec::new);
    for i in (0..depth).rev() {
        let (lower, upper) = chain.split_at_mut(i + 1);
        let input: &[T] = upper.first().map_or(deepest, Vec::as_slice);
        let synthesis = &operators[i].synthesis;
        sized(&mut lower[i], length * synthesis.channels_out());
        synthesis.correlate(input, length, &mut lower[i], &|_: &mut [T]| {});
    }
}

/// What the report needs of one position `p` of a layer: the nonzeros of `Γ_i[p, :]` and
/// `‖Γ̂_i[p, :] − Γ_i[p, :]‖²`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PositionReport {
    /// `‖Γ̂_i[p, :] − Γ_i[p, :]‖²`, summed in `f64`.
    pub energy: f64,
    /// The nonzeros of `Γ_i[p, :]`.
    pub nonzeros: u32,
}

/// Layered thresholding `Γ̂_i = T_{β_i}(D_iᵀ Γ̂_{i-1})`, `Γ̂_0 = Y`, into `estimates`, and the
/// [`PositionReport`] of every position into `reports` (`[i-1]` for layer `i`), where
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
    reports: &mut Vec<Vec<PositionReport>>,
) {
    let depth = operators.len();
    assert_eq!(thresholds.len(), depth, "one threshold per layer");
    assert_eq!(references.len(), depth, "one reference per layer");
    estimates.resize_with(depth, Vec::new);
    reports.resize_with(depth, Vec::new);
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
        sized(&mut reports[i], length);
        let finish = |p: usize, block: &mut [T], reports: &mut [PositionReport]| {
            let rows = reports.len() * channels;
            Arch::new().dispatch(ThresholdAgainst {
                block,
                reference: &reference[p * channels..][..rows],
                reports,
                channels,
                thresholding,
                beta: thresholds[i],
            });
        };
        let (side, ahead) = (&mut reports[i], reference);
        analysis.correlate_with_ahead(input, length, out, (side, ahead), &finish);
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

/// `(‖Γ‖^S_{0,∞}, ‖Γ‖^P_{0,∞}(w), ‖Γ − Γ̂‖^P_{2,∞}(w))` from the reports of every position, for
/// filter length `n` and patch width `w`, in one pass over the reports.
pub fn layer_report(
    reports: &[PositionReport],
    filter_length: usize,
    width: usize,
) -> (usize, usize, f64) {
    let stripe = 2 * filter_length - 1;
    let ([stripe, patch], energy) = report_maxima(reports, [stripe, width], width);
    (stripe, patch, energy.sqrt())
}

/// One block of output rows thresholded in place, row by row, each row's energy against the
/// reference and the reference row's nonzeros taken while both rows are in the first-level
/// cache (a struct, so that the loop is inlined into the dispatch).
struct ThresholdAgainst<'a, T> {
    block: &'a mut [T],
    /// The reference rows, asked for during the block's products (see
    /// [`Correlation::correlate_with_ahead`]).
    reference: &'a [T],
    reports: &'a mut [PositionReport],
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
        for ((row, reference), report) in rows.zip(references).zip(self.reports.iter_mut()) {
            entries_by_rule(row, self.thresholding, self.beta);
            let (energy, nonzeros) = squared_distance_and_nonzeros(row, reference);
            *report = PositionReport { energy, nonzeros };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fast::correlation::PARALLEL_MINIMUM;
    use crate::fast::norms::{
        difference_energies, nonzeros_per_position, windowed_count_maximum, windowed_maximum,
    };
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

    /// The pass and its report on `threads` threads, on a length whose products run in many
    /// blocks and whose reports are windowed in several.
    fn pass_on_threads(threads: usize) -> (Vec<Vec<f32>>, Vec<Vec<PositionReport>>, Vec<u64>) {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
        let length = PARALLEL_MINIMUM + 300;
        let layers = [layer(1, 8, 12, 1), layer(2, 3, 9, 12)];
        let operators: Vec<LayerOperators<f32>> = layers.iter().map(LayerOperators::new).collect();
        let deepest: Vec<f32> = vector(length * 9, 5, 3).iter().map(|x| *x as f32).collect();
        let noise: Vec<f32> = vector(length, 13, 1).iter().map(|x| *x as f32).collect();
        pool.expect("a pool").install(|| {
            let mut chain = Vec::new();
            synthesis_chain_into(&operators, &deepest, length, &mut chain);
            let signal: Vec<f32> = chain[0].iter().zip(&noise).map(|(x, e)| x + e).collect();
            let references = [chain[1].as_slice(), deepest.as_slice()];
            let (mut estimates, mut reports) = (Vec::new(), Vec::new());
            layered_thresholding_against_into(
                &operators,
                &signal,
                length,
                (&[0.3, 0.2], Thresholding::Soft),
                &references,
                &mut estimates,
                &mut reports,
            );
            let summary = (reports.iter())
                .flat_map(|r| {
                    let (stripe, patch, error) = layer_report(r, 8, 1000);
                    [stripe as u64, patch as u64, error.to_bits()]
                })
                .collect();
            (estimates, reports, summary)
        })
    }

    /// On one thread (each product's blocks in order in the calling thread, the report's
    /// windows too) the pass gives the same bits as on several.
    #[test]
    fn one_thread_gives_the_pass_of_several() {
        let (one, several) = (pass_on_threads(1), pass_on_threads(3));
        assert_eq!(one.0, several.0);
        assert_eq!(one.1, several.1);
        assert_eq!(one.2, several.2);
        assert!(one.1[1].iter().any(|r| r.nonzeros > 0 && r.energy > 0.0));
    }

    /// The fused pass gives the same bits as the products, thresholding and norms done apart,
    /// on lengths with one block, several blocks and a short last block.
    #[test]
    fn the_fused_report_is_the_report_done_apart() {
        for length in [15, 700, 3000] {
            let layers = [layer(1, 8, 12, 1), layer(2, 3, 9, 12)];
            let operators: Vec<LayerOperators<f64>> =
                layers.iter().map(LayerOperators::new).collect();
            let deepest = vector(length * 9, 3, 7);
            let mut chain = Vec::new();
            synthesis_chain_into(&operators, &deepest, length, &mut chain);
            let noise = vector(length, 11, 1);
            let signal: Vec<f64> = chain[0].iter().zip(&noise).map(|(x, e)| x + e).collect();
            let references = [chain[1].as_slice(), deepest.as_slice()];
            let thresholds = [0.3, 0.2];
            let (mut estimates, mut reports) = (Vec::new(), Vec::new());
            layered_thresholding_against_into(
                &operators,
                &signal,
                length,
                (&thresholds, Thresholding::Soft),
                &references,
                &mut estimates,
                &mut reports,
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
                let counts = nonzeros_per_position(reference, channels);
                let energies = difference_energies(&estimates[i], reference, channels);
                let fused_counts: Vec<u32> = reports[i].iter().map(|r| r.nonzeros).collect();
                let fused_energies: Vec<f64> = reports[i].iter().map(|r| r.energy).collect();
                assert_eq!(counts, fused_counts);
                assert_eq!(energies, fused_energies);
                assert!(energies.iter().any(|e| *e > 0.0) && counts.iter().any(|c| *c > 0));
                let width = 5;
                assert_eq!(
                    layer_report(&reports[i], layers[i].filter_length(), width),
                    (
                        windowed_count_maximum(&counts, 2 * layers[i].filter_length() - 1),
                        windowed_count_maximum(&counts, width),
                        windowed_maximum(&energies, width).sqrt()
                    )
                );
            }
        }
    }
}
