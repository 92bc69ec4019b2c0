//! The local norms of strided, padded layers (`proofs/strided_norms.md`,
//! `mlcsc_spec::strided_norms`), held to definitions written here from the dense dictionary
//! (`mlcsc_spec::strided_operators::strided_dense_dictionary`): which atoms meet is read off
//! the nonzero rows of its columns, not off `Geometry`. Every geometry of stride 1 to 3 in every
//! padding mode, random layers (some taps zero) and layers of positive taps (no entry of an atom
//! vanishes), random sparse vectors over `Rational`; and the reductions to `mlcsc_spec::norms`
//! at stride 1, circular.

use std::collections::BTreeMap;

use mlcsc::generate::random::seeded_rng;
use mlcsc::{Layer, LayerVector, Rational};
use mlcsc_spec::model::{Geometry, Padding};
use mlcsc_spec::norms::{patch_norm_squared, patch_sparsity, stripe_sparsity};
use mlcsc_spec::strided_norms::{
    any_window_patch_norm_squared, atom_support_patch_norm_squared, strided_patch_sparsity,
    strided_stripe_count_at, strided_stripe_sparsity,
};
use mlcsc_spec::strided_operators::strided_dense_dictionary;
use nalgebra::DMatrix;
use num_traits::Zero;
use rand::RngExt;

/// Every geometry with stride 1 to 3: circular, valid, and zero padding with amounts 0 to 2.
fn small_geometries() -> Vec<Geometry> {
    let mut geometries = Vec::new();
    for stride in 1..=3 {
        for padding in [Padding::Circular, Padding::Valid] {
            geometries.push(Geometry { stride, padding });
        }
        for left in 0..=2 {
            for right in 0..=2 {
                let padding = Padding::Zero { left, right };
                geometries.push(Geometry { stride, padding });
            }
        }
    }
    geometries
}

/// The shortest input length `geometry` admits for filter length `n`, plus `extra` (in
/// strides when circular).
fn admitted_length(geometry: &Geometry, n: usize, extra: usize) -> usize {
    let (left, right) = geometry.padding.amounts();
    match geometry.padding {
        Padding::Circular => geometry.stride * (1 + extra),
        _ => n.saturating_sub(left + right).max(1) + extra,
    }
}

/// A random integer vector, about half of its entries zero.
fn sparse_vector(seed: u64, length: usize, channels: usize) -> LayerVector<Rational> {
    let mut rng = seeded_rng(seed);
    let entries = (0..length * channels)
        .map(|_| match rng.random_range(0..2) {
            0 => Rational::zero(),
            _ => Rational::from_integer(rng.random_range(-3i64..=3).into()),
        })
        .collect();
    LayerVector::from_entries(length, channels, entries).expect("the shape")
}

/// `m` filters of length `n` on `m_prev` channels: taps in `-2..=2` (some zero, so that atoms
/// lose rows), or all positive (no atom entry vanishes, even where taps wrap and add).
fn layer(seed: u64, n: usize, m_prev: usize, m: usize, positive: bool) -> Layer<Rational> {
    let mut rng = seeded_rng(seed);
    let mut tap = |c: usize, t: usize, k: usize| -> Rational {
        let value = if positive {
            (1 + c + t + k) as i64
        } else {
            rng.random_range(-2i64..=2)
        };
        Rational::from_integer(value.into())
    };
    let filters = (0..m)
        .map(|c| {
            (0..n)
                .map(|t| (0..m_prev).map(|k| tap(c, t, k)).collect())
                .collect()
        })
        .collect();
    Layer::new_unchecked_norm(1, filters).expect("a well-formed layer")
}

/// For every column of `dictionary`, which rows are nonzero.
fn column_supports(dictionary: &DMatrix<Rational>) -> Vec<Vec<bool>> {
    (0..dictionary.ncols())
        .map(|j| {
            (0..dictionary.nrows())
                .map(|row| !dictionary[(row, j)].is_zero())
                .collect()
        })
        .collect()
}

/// The nonzeros of `Γ` among the atoms whose dense columns share a nonzero row with column
/// `j`, together with atom `j` itself.
fn dense_stripe_count(gamma: &LayerVector<Rational>, supports: &[Vec<bool>], j: usize) -> usize {
    let meets = |k: usize| supports[j].iter().zip(&supports[k]).any(|(a, b)| *a && *b);
    (0..supports.len())
        .filter(|&k| (k == j || meets(k)) && !gamma.entries()[k].is_zero())
        .count()
}

/// `Σ z²` over the nonzero rows of one dense column.
fn dense_support_energy(z: &LayerVector<Rational>, support: &[bool]) -> Rational {
    let mut energy = Rational::zero();
    for (value, _) in z.entries().iter().zip(support).filter(|(_, s)| **s) {
        energy += value * value;
    }
    energy
}

/// The nonzeros of `Γ` on the nonzero rows of one dense column.
fn dense_support_count(gamma: &LayerVector<Rational>, support: &[bool]) -> usize {
    let entries = gamma.entries().iter().zip(support);
    entries.filter(|(v, s)| **s && !v.is_zero()).count()
}

/// `W(Z)` written as the largest energy over every run of at most `n` consecutive positions
/// (cyclic runs when circular, runs inside `[0, N)` otherwise), all channels.
fn any_run_energy(z: &LayerVector<Rational>, n: usize, circular: bool) -> Rational {
    let length = z.length();
    let mut best = Rational::zero();
    for start in 0..length {
        let mut energy = Rational::zero();
        for offset in 0..n.min(length) {
            if !circular && start + offset >= length {
                break;
            }
            for v in z.at_position((start + offset) % length) {
                energy += v * v;
            }
            best = best.max(energy.clone());
        }
    }
    best
}

/// What one case found, to be counted per stride and mode.
#[derive(Default)]
struct Tally {
    cases: usize,
    equal_cases: usize,
    strict_atoms: usize,
    strict_maximum: usize,
}

/// One layer on one input length: every claim of N1–N3 against the dense dictionary.
fn check_case(
    layer: &Layer<Rational>,
    positive: bool,
    length: usize,
    seed: u64,
    tally: &mut Tally,
) {
    let geometry = layer.geometry();
    let n = layer.filter_length();
    let label = format!("{geometry:?}, N {length}, n {n}, positive {positive}");
    let dictionary = strided_dense_dictionary(1, layer, &geometry, length).unwrap();
    let supports = column_supports(&dictionary);
    let m = layer.filter_count();
    let output_length = dictionary.ncols() / m;
    let gamma = sparse_vector(seed, output_length, m);
    let z = sparse_vector(seed ^ 1, length, layer.input_channels());
    // N1: the stripe of (c, p) holds every atom that meets it; for positive taps, exactly
    // those when the layer is circular or the atom interior.
    let mut dense_maximum = 0;
    for (j, _) in supports.iter().enumerate() {
        let p = j / m;
        let dense = dense_stripe_count(&gamma, &supports, j);
        let stripe = strided_stripe_count_at(&gamma, layer, p);
        assert!(dense <= stripe, "{label}: atom {j}: {dense} > {stripe}");
        let exact = geometry.padding == Padding::Circular || geometry.is_interior(p, length, n);
        if positive && exact {
            assert_eq!(dense, stripe, "{label}: atom {j}");
        }
        tally.strict_atoms += usize::from(dense < stripe);
        dense_maximum = dense_maximum.max(dense);
    }
    let stripe_sparsity = strided_stripe_sparsity(&gamma, layer);
    assert!(dense_maximum <= stripe_sparsity, "{label}");
    let every_atom_exact = matches!(geometry.padding, Padding::Circular | Padding::Valid);
    // N2: the atom-support norm and patch sparsity are the dense maxima (positive taps), and
    // at most them otherwise; N3: any window bounds the atom supports.
    let energy = atom_support_patch_norm_squared(1, layer, &z).unwrap();
    let dense_energy = supports.iter().map(|s| dense_support_energy(&z, s)).max();
    let dense_energy = dense_energy.unwrap_or_else(Rational::zero);
    assert!(dense_energy <= energy, "{label}");
    let any_window = any_window_patch_norm_squared(&z, layer);
    assert!(energy <= any_window, "{label}");
    let circular = geometry.padding == Padding::Circular;
    assert_eq!(any_window, any_run_energy(&z, n, circular), "{label}");
    let sparsity = strided_patch_sparsity(1, &z, layer).unwrap();
    let dense_sparsity = supports.iter().map(|s| dense_support_count(&z, s)).max();
    assert!(dense_sparsity.unwrap_or(0) <= sparsity, "{label}");
    if positive {
        assert_eq!(dense_energy, energy, "{label}");
        assert_eq!(dense_sparsity.unwrap_or(0), sparsity, "{label}");
        if every_atom_exact {
            assert_eq!(dense_maximum, stripe_sparsity, "{label}");
        }
        tally.equal_cases += usize::from(dense_maximum == stripe_sparsity);
        tally.strict_maximum += usize::from(dense_maximum < stripe_sparsity);
    }
    tally.cases += 1;
}

/// Over every small geometry, filter lengths 1 to 4, 1 to 2 channels on each side and five
/// input lengths, a random and a positive layer each (`proofs/strided_norms.md`, N1–N3): the
/// stripe count of an atom is at least the nonzeros among the atoms its dense column meets,
/// with equality for positive taps when circular or interior (so `s_i` is the dense maximum
/// for circular and valid layers); the atom-support norm and patch sparsity are the maxima over
/// dense columns (at least them when taps vanish); any window bounds the atom supports.
#[test]
fn strided_norms_match_the_dense_dictionary() {
    let mut tallies: BTreeMap<(usize, &str), Tally> = BTreeMap::new();
    let mut seed = 0u64;
    for geometry in small_geometries() {
        let tally = tallies
            .entry((geometry.stride, geometry.padding.mode_name()))
            .or_default();
        for n in 1..=4 {
            for (m_prev, m) in [(1, 1), (1, 2), (2, 1), (2, 2)] {
                for extra in 0..=4 {
                    let length = admitted_length(&geometry, n, extra);
                    for positive in [false, true] {
                        seed += 1;
                        let layer = layer(seed, n, m_prev, m, positive).with_geometry(geometry);
                        check_case(&layer, positive, length, seed, tally);
                    }
                }
            }
        }
    }
    for ((stride, mode), tally) in &tallies {
        eprintln!(
            "stride {stride}, {mode}: {} cases, {} with s_i the dense maximum, {} above it, \
             {} atoms strict",
            tally.cases, tally.equal_cases, tally.strict_maximum, tally.strict_atoms
        );
        assert!(tally.cases >= 160, "stride {stride}, {mode}: too few cases");
        assert!(tally.equal_cases >= 40, "stride {stride}, {mode}: too few");
    }
    assert_eq!(tallies.len(), 9, "every stride and mode");
    // The inequality of N1 is strict somewhere: where taps vanish, and at the edges of
    // zero-padded layers even with positive taps, where `s_i` exceeds the dense maximum.
    for stride in 1..=3 {
        assert!(tallies[&(stride, "circular")].strict_atoms > 0);
        assert!(tallies[&(stride, "zero")].strict_maximum > 0);
    }
}

/// At stride 1 with circular padding (`proofs/strided_norms.md`, N4), on every length 1 to 12
/// and filter length 1 to 6 (longer than the signal too), several random vectors each: the
/// stripe sparsity is `norms::stripe_sparsity`, both patch norms are `norms::patch_norm_squared`
/// and the patch sparsity is `norms::patch_sparsity`, at the filter length.
#[test]
fn default_geometry_norms_are_todays() {
    let mut cases = 0;
    for length in 1..=12 {
        for n in 1..=6 {
            for seed in 0..4u64 {
                let seed = seed + 100 * (length * 10 + n) as u64;
                let layer = layer(seed, n, 2, 2, false);
                assert!(layer.has_paper_geometry());
                let gamma = sparse_vector(seed ^ 2, length, 2);
                let z = sparse_vector(seed ^ 3, length, 2);
                let label = format!("N {length}, n {n}, seed {seed}");
                let stripe = strided_stripe_sparsity(&gamma, &layer);
                assert_eq!(stripe, stripe_sparsity(&gamma, n), "{label}");
                let today = patch_norm_squared(&z, n);
                let atom = atom_support_patch_norm_squared(1, &layer, &z).unwrap();
                assert_eq!(atom, today, "{label}");
                assert_eq!(any_window_patch_norm_squared(&z, &layer), today, "{label}");
                let sparsity = strided_patch_sparsity(2, &z, &layer).unwrap();
                assert_eq!(sparsity, patch_sparsity(&z, n), "{label}");
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 12 * 6 * 4);
}

/// A `Z` or `Γ` of the wrong channel count, and a length the geometry refuses, are errors that
/// name the layer, not panics.
#[test]
fn strided_norms_refuse_wrong_shapes() {
    let geometry = Geometry {
        stride: 2,
        padding: Padding::Circular,
    };
    let layer = layer(7, 3, 2, 1, false).with_geometry(geometry);
    let odd = sparse_vector(1, 5, 2);
    let message = atom_support_patch_norm_squared(3, &layer, &odd)
        .unwrap_err()
        .to_string();
    assert!(message.contains('3') && message.contains('2'), "{message}");
    assert!(strided_patch_sparsity(3, &odd, &layer).is_err());
    let wrong_channels = sparse_vector(1, 6, 1);
    let message = strided_patch_sparsity(4, &wrong_channels, &layer)
        .unwrap_err()
        .to_string();
    assert!(message.contains("layer 4"), "{message}");
    assert!(atom_support_patch_norm_squared(4, &layer, &wrong_channels).is_err());
}
