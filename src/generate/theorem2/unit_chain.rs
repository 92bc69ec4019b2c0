//! The profiles of the chain of `Γ_K` with unit magnitudes on the drawn support, which a case
//! reads (`s_i`, `μ_i` and the spread `ρ_i` that the filters add) and then drops: on the paper's
//! geometry each level `Γ_K, …, Γ_1` is kept as its list of nonzero entries only, and `Γ_0`,
//! which no profile reads, is not formed.
//!
//! `D_i Γ_i` is formed term by term: each nonzero `Γ_i[p, c]` times each nonzero tap
//! `f_{i,c}[t][c']` lands at `((p + t) mod N, c')`; the terms are sorted by index and the terms
//! of one entry summed. The sums are exact, so each entry is the value the dense synthesis
//! forms, and the zero sums are left out as the dense chain's list of nonzeros leaves them out.

use std::collections::BTreeMap;

use super::*;
use crate::generate::sparse_chain::entry_statistics;
use crate::model::stripe_width;

/// A level of a chain as its nonzero entries `(index, value)`, indices increasing
/// (position-major, channel fastest).
type Entries = Vec<(usize, SmallRational)>;

/// `D Γ` of a layer at the paper's geometry on a line of `length` positions, from and to the
/// nonzero entries.
fn entries_synthesis(
    layer: &Layer<SmallRational>,
    gamma: &[(usize, SmallRational)],
    length: usize,
) -> Entries {
    let m = layer.filter_count();
    let m_prev = layer.input_channels();
    let mut terms: Entries = Vec::new();
    for (k, coefficient) in gamma {
        let (p, c) = (k / m, k % m);
        for (cell, tap) in layer.filter(c).iter().enumerate() {
            if !tap.is_zero() {
                let (t, channel) = (cell / m_prev, cell % m_prev);
                terms.push((((p + t) % length) * m_prev + channel, coefficient * tap));
            }
        }
    }
    terms.sort_by_key(|(index, _)| *index);
    let mut sums: Entries = Vec::with_capacity(terms.len());
    for (index, term) in terms {
        match sums.last_mut() {
            Some((last, sum)) if *last == index => *sum += &term,
            _ => sums.push((index, term)),
        }
    }
    sums.retain(|(_, value)| !value.is_zero());
    sums
}

/// The exact profiles of the chain of `Γ_K` with unit magnitudes on the support (signs as
/// drawn; a position written twice keeps its last sign): `s_i`, `μ_i` and the spread `ρ_i`
/// that the filters add. A model off the paper's geometry takes the dense chain.
pub(super) fn unit_profiles(
    small: &Model<SmallRational>,
    support: &[(usize, usize, i64)],
    last_patch_width: usize,
) -> Vec<LayerProfile<SmallRational>> {
    if !small.has_paper_geometry() {
        return dense_unit_profiles(small, support, last_patch_width);
    }
    let depth = small.depth();
    let channels = small.channels(depth);
    let unit: BTreeMap<usize, SmallRational> = support
        .iter()
        .map(|&(p, c, sign)| (p * channels + c, SmallRational::from_integer(sign)))
        .collect();
    let mut level: Entries = unit.into_iter().filter(|(_, v)| !v.is_zero()).collect();
    let mut profiles = Vec::with_capacity(depth);
    for i in (1..=depth).rev() {
        let layer = small.layer(i);
        let width = patch_width(small, i, last_patch_width);
        let (gamma_min, gamma_max, [stripe_sparsity, patch_sparsity]) = entry_statistics(
            level.iter().map(|(k, v)| (*k, v)),
            small.length(i),
            small.channels(i),
            [stripe_width(layer.filter_length()), width],
        );
        profiles.push(LayerProfile {
            layer: i,
            coherence: coherence::layer_coherence(layer),
            stripe_sparsity,
            patch_sparsity,
            patch_width: width,
            gamma_min,
            gamma_max,
        });
        if i > 1 {
            level = entries_synthesis(layer, &level, small.length(i));
        }
    }
    profiles.reverse();
    profiles
}

/// [`unit_profiles`] on the dense synthesis chain of the unit `Γ_K`.
fn dense_unit_profiles(
    small: &Model<SmallRational>,
    support: &[(usize, usize, i64)],
    last_patch_width: usize,
) -> Vec<LayerProfile<SmallRational>> {
    let depth = small.depth();
    let mut unit = small_zeros(small.signal_length(), small.channels(depth));
    for &(p, c, sign) in support {
        unit.set(p, c, SmallRational::from_integer(sign));
    }
    let unit_chain = sparse_synthesis_chain(small, unit);
    (1..=depth)
        .map(|i| {
            let coherence = coherence::layer_coherence(small.layer(i));
            let width = patch_width(small, i, last_patch_width);
            sparse_profile(small, &unit_chain, i, coherence, width)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::seed::case_rng;

    /// On the models of generated cases (designed models and ladders) and random supports
    /// (atoms anywhere, so images wrap around the end; either sign; some positions written
    /// twice), the profiles from the lists of nonzeros are those of the dense chain; counts
    /// the supports whose images cancel or overlap somewhere (a level with fewer nonzeros
    /// than terms).
    #[test]
    fn unit_profiles_from_nonzeros_are_the_dense_ones() {
        let (mut cases, mut merged) = (0, 0);
        for variant in [Thresholding::Soft, Thresholding::Nonnegative] {
            let settings = Theorem2Settings::paper(variant);
            for case in 0..150 {
                let (_, prepared) =
                    generate_theorem2_prepared(&mut case_rng(21, case), &settings, "unit");
                let model = prepared.model;
                let depth = model.depth();
                let (length, channels) = (model.length(depth), model.channels(depth));
                let mut rng = case_rng(22, case);
                let support: Vec<(usize, usize, i64)> = (0..rng.random_range(1..=6usize))
                    .map(|_| {
                        let sign = if rng.random_bool(0.5) { 1 } else { -1 };
                        (
                            rng.random_range(0..length),
                            rng.random_range(0..channels),
                            sign,
                        )
                    })
                    .collect();
                let width = rng.random_range(1..=3usize).min(length);
                let fast = unit_profiles(&model, &support, width);
                assert_eq!(
                    fast,
                    dense_unit_profiles(&model, &support, width),
                    "case {case}"
                );
                let mut unit = small_zeros(length, channels);
                for &(p, c, sign) in &support {
                    unit.set(p, c, SmallRational::from_integer(sign));
                }
                let dense = model.synthesis_chain(&unit).expect("shapes agree");
                // A level with fewer nonzeros than terms landing on it: terms met.
                merged += usize::from((2..=depth).any(|i| {
                    let filters = model.layer(i);
                    let terms: usize = (dense[i].support())
                        .map(|(_, c, _)| filters.filter(c).iter().filter(|t| !t.is_zero()).count())
                        .sum();
                    dense[i - 1].count_nonzeros() < terms
                }));
                cases += 1;
            }
        }
        eprintln!("{cases} supports, {merged} with merged or cancelled images");
        assert!(cases == 300 && merged >= 30);
    }
}
