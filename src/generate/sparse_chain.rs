//! The synthesis chain `[Γ_0, …, Γ_K]` of a sparse `Γ_K` and the layer profiles on it, read off
//! the nonzeros only.
//!
//! A generated `Γ_K` is a few clusters of atoms, and each `Γ_{i-1} = D_i Γ_i` is a few more:
//! the plain synthesis ([`Model::synthesis_chain`]) visits every position and every tap. Here
//! each level keeps the sorted list of its nonzero entries, and `D_i Γ_i` adds, for each
//! nonzero `Γ_i[p, c]` in the order `p`, `c`, each nonzero tap `f_{i,c}[t][c']` at position
//! `(p + t) mod N` (the paper's geometry: stride 1, circular). That is the plain synthesis's
//! order with its zero terms left out, so every entry is the same sum, term for term, and the
//! same machine-word value. The profiles' `s_i`, `p_i`, `|Γ_i^min|` and `|Γ_i^max|` are read
//! off the same lists (a window holding the most nonzeros can be moved to start at one).
//! Layers of another geometry take the plain synthesis.

use num_traits::Zero;

use crate::model::{Layer, LayerVector, Model, magnitude_range, stripe_width};
use crate::scalar::Scalar;
use crate::small_rational::SmallRational;
use crate::theorems::theorem2_bounds::LayerProfile;

/// A synthesis chain `[Γ_0, …, Γ_K]` with the sorted indices (position-major, channel fastest)
/// of the nonzero entries of each level.
pub(crate) struct SparseChain {
    /// `[Γ_0, …, Γ_K]`, equal to [`Model::synthesis_chain`]'s.
    pub levels: Vec<LayerVector<SmallRational>>,
    /// The nonzero entries of each level, in increasing order.
    pub nonzeros: Vec<Vec<usize>>,
}

/// The sorted indices of the nonzero entries of `v`.
pub(crate) fn nonzero_indices(v: &LayerVector<SmallRational>) -> Vec<usize> {
    v.entries()
        .iter()
        .enumerate()
        .filter(|(_, x)| !x.is_zero())
        .map(|(k, _)| k)
        .collect()
}

/// [`LayerVector::zeros`] in machine-word rationals, each entry written as the constant zero
/// rather than cloned from the first.
pub(crate) fn small_zeros(length: usize, channels: usize) -> LayerVector<SmallRational> {
    let entries = std::iter::repeat_with(SmallRational::zero)
        .take(length * channels)
        .collect();
    LayerVector::from_entries(length, channels, entries).expect("length · channels entries")
}

/// `D Γ` of a layer at the paper's geometry from the nonzeros of `Γ` (`gamma`, `nonzeros`
/// sorted), with the sorted nonzeros of the result; another geometry takes the plain synthesis.
pub(crate) fn sparse_synthesis(
    layer: &Layer<SmallRational>,
    gamma: &LayerVector<SmallRational>,
    nonzeros: &[usize],
) -> (LayerVector<SmallRational>, Vec<usize>) {
    if !layer.has_paper_geometry() || !gamma.is_line() {
        let below = crate::operators::synthesis(layer, gamma);
        let indices = nonzero_indices(&below);
        return (below, indices);
    }
    let m = layer.filter_count();
    let m_prev = layer.input_channels();
    let length = gamma.length();
    // The nonzero taps `(t, c', f[t][c'])` of each filter, in the order `t`, `c'`.
    let taps: Vec<Vec<(usize, &SmallRational)>> = (0..m)
        .map(|c| {
            layer
                .filter(c)
                .iter()
                .enumerate()
                .filter(|(_, tap)| !tap.is_zero())
                .collect()
        })
        .collect();
    let mut out = small_zeros(length, m_prev);
    let entries = out.entries_mut();
    let mut touched = Vec::new();
    for &k in nonzeros {
        let (p, c) = (k / m, k % m);
        let coefficient = &gamma.entries()[k];
        for &(cell, tap) in &taps[c] {
            let (t, channel) = (cell / m_prev, cell % m_prev);
            let index = ((p + t) % length) * m_prev + channel;
            if entries[index].is_zero() {
                touched.push(index);
            }
            SmallRational::multiply_accumulate(&mut entries[index], coefficient, tap);
        }
    }
    touched.sort_unstable();
    touched.dedup();
    touched.retain(|&index| !entries[index].is_zero());
    (out, touched)
}

/// [`Model::synthesis_chain`] of `deepest` (of the model's shape), with the nonzeros of every
/// level; `deepest` becomes the top level itself (no copy of it is formed).
pub(crate) fn sparse_synthesis_chain(
    model: &Model<SmallRational>,
    deepest: LayerVector<SmallRational>,
) -> SparseChain {
    let depth = model.depth();
    let top = deepest.on_grid(model.grid(depth)).expect("N_K positions");
    let mut nonzeros = vec![nonzero_indices(&top)];
    let mut levels = vec![top];
    for i in (1..=depth).rev() {
        let (below, indices) = sparse_synthesis(model.layer(i), &levels[0], &nonzeros[0]);
        levels.insert(0, below);
        nonzeros.insert(0, indices);
    }
    SparseChain { levels, nonzeros }
}

/// `|Γ^min|`, `|Γ^max|` (both 0 without nonzeros) and the patch sparsities at the given widths
/// of `gamma` from its sorted nonzeros: [`LayerVector::support_magnitude_range`] and
/// [`crate::norms::patch_sparsities`].
pub(crate) fn sparse_statistics<const W: usize>(
    gamma: &LayerVector<SmallRational>,
    nonzeros: &[usize],
    widths: [usize; W],
) -> (SmallRational, SmallRational, [usize; W]) {
    let entries = nonzeros.iter().map(|&k| (k, &gamma.entries()[k]));
    entry_statistics(entries, gamma.length(), gamma.channels(), widths)
}

/// [`sparse_statistics`] of a vector of `length` positions and `channels` channels given by its
/// nonzero entries `(index, value)`, indices increasing.
pub(crate) fn entry_statistics<'a, const W: usize>(
    entries: impl Iterator<Item = (usize, &'a SmallRational)> + Clone,
    length: usize,
    channels: usize,
    widths: [usize; W],
) -> (SmallRational, SmallRational, [usize; W]) {
    let range = magnitude_range(entries.clone().map(|(_, v)| v));
    let (lo, hi) = range.unwrap_or((SmallRational::zero(), SmallRational::zero()));
    // Nonzeros per occupied position, positions increasing.
    let channels = channels.max(1);
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for (k, _) in entries {
        let p = k / channels;
        match counts.last_mut() {
            Some((q, n)) if *q == p => *n += 1,
            _ => counts.push((p, 1)),
        }
    }
    let sparsities = widths.map(|width| windowed_count(&counts, length, width));
    (lo, hi, sparsities)
}

/// The most nonzeros in `width` (clamped to `1..=N`) consecutive positions of a circle of
/// `length` positions, from the counts of the occupied positions (increasing).
fn windowed_count(counts: &[(usize, usize)], length: usize, width: usize) -> usize {
    if width == 0 || length == 0 {
        return 0;
    }
    let width = width.clamp(1, length);
    let mut best = 0;
    for (i, &(start, _)) in counts.iter().enumerate() {
        let mut total = 0;
        for j in 0..counts.len() {
            let (p, n) = counts[(i + j) % counts.len()];
            if (p + length - start) % length >= width {
                break;
            }
            total += n;
        }
        best = best.max(total);
    }
    best
}

/// The profile of layer `i` on a sparse chain, with its coherence `μ_i` given:
/// [`crate::theorems::theorem2_bounds::layer_profile`] with `w_i = patch_width`.
pub(crate) fn sparse_profile(
    model: &Model<SmallRational>,
    chain: &SparseChain,
    layer: usize,
    coherence: SmallRational,
    patch_width: usize,
) -> LayerProfile<SmallRational> {
    let stripe = stripe_width(model.layer(layer).filter_length());
    let (gamma_min, gamma_max, [stripe_sparsity, patch_sparsity]) = sparse_statistics(
        &chain.levels[layer],
        &chain.nonzeros[layer],
        [stripe, patch_width],
    );
    LayerProfile {
        layer,
        coherence,
        stripe_sparsity,
        patch_sparsity,
        patch_width,
        gamma_min,
        gamma_max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::seed::case_rng;
    use crate::generate::theorem2::{Theorem2Settings, generate_theorem2_prepared};
    use crate::norms::patch_sparsities;
    use crate::pursuit::Thresholding;
    use rand::RngExt;

    /// A random `Γ` of the given shape: each entry nonzero with probability `density`, a small
    /// fraction with either sign.
    fn random_vector(
        rng: &mut crate::generate::ChaCha8Rng,
        length: usize,
        channels: usize,
        density: f64,
    ) -> LayerVector<SmallRational> {
        let mut v = LayerVector::zeros(length, channels);
        for p in 0..length {
            for c in 0..channels {
                if rng.random_bool(density) {
                    let n = rng.random_range(-9..=9i64);
                    v.set(p, c, SmallRational::new(n, rng.random_range(1..=7)));
                }
            }
        }
        v
    }

    /// On the models of generated Theorem 2 cases (coherent ladders and designed models), the
    /// sparse chain of a random `Γ_K` (nonzeros anywhere, so atoms wrap around the end) is the
    /// plain synthesis chain entry for entry, and every level's nonzeros are listed. Counts the
    /// cases, the ladders and the chains with an atom that wraps.
    #[test]
    fn sparse_chains_are_the_plain_chains() {
        let settings = Theorem2Settings::paper(Thresholding::Soft);
        let (mut cases, mut ladders, mut wrapped) = (0, 0, 0);
        for case in 0..150 {
            let (instance, prepared) =
                generate_theorem2_prepared(&mut case_rng(3, case), &settings, "sparse");
            let model = prepared.model;
            let depth = model.depth();
            let mut rng = case_rng(4, case);
            let density = [0.02, 0.1, 0.5][case as usize % 3];
            let gamma = random_vector(
                &mut rng,
                model.length(depth),
                model.channels(depth),
                density,
            );
            let sparse = sparse_synthesis_chain(&model, gamma.clone());
            let plain = model.synthesis_chain(&gamma).expect("shapes agree");
            assert_eq!(sparse.levels, plain, "case {case}");
            for (level, nonzeros) in plain.iter().zip(&sparse.nonzeros) {
                assert_eq!(nonzeros, &nonzero_indices(level), "case {case}");
            }
            cases += 1;
            ladders += usize::from(instance.name.contains("ladder"));
            let last = model.length(depth) - 1;
            let reach = model.layer(depth).filter_length();
            wrapped += usize::from(
                reach > 1
                    && (last + 1 - reach..=last)
                        .any(|p| gamma.at_position(p).iter().any(|v| !v.is_zero())),
            );
        }
        eprintln!("{cases} chains, {ladders} on ladders, {wrapped} with an atom that wraps");
        assert!(cases == 150 && ladders >= 40 && wrapped >= 40);
    }

    /// What a generated case hands on is the plain chain of its `Γ_K` and the plain profiles
    /// on it (coherences included), for every variant and both families; counts the designed
    /// models and the ladders.
    #[test]
    fn generated_chains_and_profiles_are_the_plain_ones() {
        let (mut designed, mut ladders) = (0, 0);
        for variant in [
            Thresholding::Soft,
            Thresholding::Hard,
            Thresholding::Nonnegative,
        ] {
            let settings = Theorem2Settings::paper(variant);
            for case in 0..100 {
                let (instance, prepared) =
                    generate_theorem2_prepared(&mut case_rng(8, case), &settings, "sparse");
                let model = instance.model.map(|v| SmallRational::from(v));
                let gamma = instance
                    .deepest_representation
                    .map(|v| SmallRational::from(v));
                let chain = model.synthesis_chain(&gamma).expect("shapes agree");
                let profiles = crate::theorems::theorem2_bounds::layer_profiles(
                    &model,
                    &chain,
                    instance.last_patch_width,
                );
                assert_eq!(prepared.model, model, "{variant:?}, case {case}");
                assert_eq!(prepared.representations, chain, "{variant:?}, case {case}");
                assert_eq!(prepared.profiles, profiles, "{variant:?}, case {case}");
                let ladder = instance.name.contains("ladder");
                ladders += usize::from(ladder);
                designed += usize::from(!ladder);
            }
        }
        eprintln!("{designed} designed models, {ladders} ladders");
        assert!(designed >= 100 && ladders >= 100);
    }

    /// `|Γ^min|`, `|Γ^max|` and the patch sparsities read off the nonzeros are the plain ones,
    /// on random vectors at every width from 0 to beyond the length (windows wrap around the
    /// end); counts the cases whose widest window wraps.
    #[test]
    fn sparse_statistics_are_the_plain_ones() {
        let (mut cases, mut wrapping) = (0, 0);
        for case in 0..3000 {
            let mut rng = case_rng(6, case);
            let length = rng.random_range(1..=24usize);
            let channels = rng.random_range(1..=3usize);
            let density = rng.random_range(0.0..0.6);
            let v = random_vector(&mut rng, length, channels, density);
            let nonzeros = nonzero_indices(&v);
            for width in 0..=length + 2 {
                let stripe = rng.random_range(1..=2 * length + 1);
                let (lo, hi, sparsities) = sparse_statistics(&v, &nonzeros, [width, stripe]);
                let range = v.support_magnitude_range();
                let zero = SmallRational::zero();
                assert_eq!(
                    (lo, hi),
                    range.unwrap_or((zero.clone(), zero)),
                    "case {case}"
                );
                assert_eq!(
                    sparsities,
                    patch_sparsities(&v, [width, stripe]),
                    "case {case}"
                );
                // The most nonzeros in a window that does not wrap.
                let counts: Vec<usize> = (0..length)
                    .map(|p| v.at_position(p).iter().filter(|x| !x.is_zero()).count())
                    .collect();
                let inside = counts
                    .windows(width.clamp(1, length))
                    .map(|w| w.iter().sum::<usize>())
                    .max()
                    .unwrap_or(0);
                wrapping += usize::from(width > 0 && sparsities[0] > inside);
                cases += 1;
            }
        }
        eprintln!("{cases} cases, {wrapping} whose widest window wraps");
        assert!(wrapping >= 1000);
    }
}
