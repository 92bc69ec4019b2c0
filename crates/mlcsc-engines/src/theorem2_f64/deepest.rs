//! The deepest representation `Γ_K` enclosed in one pass over its entries: its radii, the
//! nonzero entries and radius weights a sparse synthesis reads
//! ([`sparse_entries`](super::sparse_sums::sparse_entries)), and whether every nonzero entry
//! is a normal `f64` (the screen's question), each as the separate passes give it; or the same
//! pass without the radii written out, each a function of its entry ([`deepest_radius`]).

use std::borrow::Cow;

use super::enclosed::{Enclosed, sparse_shape, synthesize_from};
use super::hoisted::UpperBound;
use super::interval::input_radius;
use super::listed_synthesis::synthesize_listed;
use super::screen_layer::ScreenLayer;
use super::sparse_sums::{SPARSE_RATIO, SparseEntries};
use super::support::{
    SupportMagnitudes, UncertainEntry, certain_magnitudes_among, certain_magnitudes_listed,
};
use crate::model::LayerVector;

/// Entries per block of [`enclosed_deepest`]'s test for a block of zeros.
const ZERO_BLOCK: usize = 64;

/// What one pass over `Γ_K` finds.
pub(super) struct Deepest<'a> {
    /// [`Enclosed::input`] of `Γ_K`.
    pub enclosed: Enclosed<'a>,
    /// [`sparse_entries`](super::sparse_sums::sparse_entries) of `Γ_K` with the weight
    /// factors given.
    pub sparse: Option<SparseEntries>,
    /// Every entry is zero or a normal `f64` (none subnormal, infinite or NaN).
    pub normal: bool,
}

/// `Γ_K` enclosed with the weight factors `(a, b)` of the synthesis that reads it: the radius
/// of each entry [`input_radius`] (0 at a zero entry, whose weight `a |x| + b · 0` is 0 too),
/// and the nonzero entries and weights in order up to the limit of one entry in
/// [`SPARSE_RATIO`], past which the sparse path is not taken (as `sparse_entries` says).
pub(super) fn enclosed_deepest(v: &LayerVector<f64>, factors: (f64, f64)) -> Deepest<'_> {
    let mut rad = vec![0.0; v.entries().len()];
    let (sparse, normal) = one_pass(v.entries(), factors, Some(&mut rad));
    Deepest {
        enclosed: Enclosed {
            mid: Cow::Borrowed(v),
            rad,
        },
        sparse,
        normal,
    }
}

/// [`enclosed_deepest`]'s listing and screen without the radii written out: the same
/// [`SparseEntries`] (each radius formed as there, [`deepest_radius`]) and whether every entry
/// is zero or normal.
pub(super) fn listed_deepest(
    v: &LayerVector<f64>,
    factors: (f64, f64),
) -> (Option<SparseEntries>, bool) {
    one_pass(v.entries(), factors, None)
}

/// The radius of an entry `x` of `Γ_K`, as [`enclosed_deepest`] and [`Enclosed::input`] write
/// it.
pub(super) fn deepest_radius(x: f64) -> f64 {
    input_radius(x, UpperBound::new(1))
}

/// The pass of [`enclosed_deepest`], writing the radii into `rad` when given.
fn one_pass(
    entries: &[f64],
    (a, b): (f64, f64),
    mut rad: Option<&mut [f64]>,
) -> (Option<SparseEntries>, bool) {
    let bound = UpperBound::new(1);
    let limit = entries.len() / SPARSE_RATIO;
    let mut sparse = Some(SparseEntries::default());
    let mut normal = true;
    // Blocks of zeros (most of a sparse `Γ_K`) are passed over by one test per block, without
    // branches, that runs on vectors; the rest of the pass meets the same nonzero entries in
    // the same order.
    let nonzero_blocks = (entries.chunks(ZERO_BLOCK).enumerate())
        .filter(|(_, block)| block.iter().fold(false, |any, x| any | (*x != 0.0)));
    let nonzero_entries = nonzero_blocks.flat_map(|(b, block)| {
        (block.iter().enumerate()).map(move |(k, x)| (b * ZERO_BLOCK + k, *x))
    });
    for (index, x) in nonzero_entries {
        if x == 0.0 {
            continue;
        }
        normal &= x.is_normal();
        let r = input_radius(x, bound);
        if let Some(rad) = rad.as_deref_mut() {
            rad[index] = r;
        }
        let Some(found) = sparse.as_mut() else {
            continue;
        };
        let w = a * x.abs() + b * r;
        let full = found.values.len() == limit || (w != 0.0 && found.weights.len() == limit);
        if full {
            sparse = None;
            continue;
        }
        found.values.push((index, x));
        if w != 0.0 {
            found.weights.push((index, w));
        }
    }
    (sparse, normal)
}

/// The chain's start: `Γ_K` enclosed and `Γ_{K-1} = D_K Γ_K` (when there is a layer), with
/// what the pass over `Γ_K` found.
pub(super) struct DeepestStart<'a> {
    /// `Γ_K`, then `Γ_{K-1}`. `Γ_K`'s `rad` is empty when `unwritten`.
    pub chain: Vec<Enclosed<'a>>,
    /// Every entry of `Γ_K` is zero or a normal `f64`.
    pub normal: bool,
    /// [`certain_magnitudes_with_range`](super::support::certain_magnitudes_with_range) of
    /// `Γ_K`, when the pass lists its nonzero entries.
    pub magnitudes: Option<Result<SupportMagnitudes, UncertainEntry>>,
    /// `Γ_K`'s radii are not written out: each is [`deepest_radius`] of its entry.
    pub unwritten: bool,
}

/// The chain's start, `Γ_K`'s radii left unwritten when nothing of its synthesis reads them:
/// every entry is zero or normal (so every radius is finite, as [`super::evaluate::Chain`]'s
/// finiteness takes for granted), the nonzero entries are listed and
/// [`synthesize_listed`] forms `Γ_{K-1}` from the listing alone; else as
/// [`enclosed_deepest`] and [`synthesize_from`] give it, the radii written. Both give the same
/// numbers: the listing, the screen and the radii are those of one pass
/// ([`listed_deepest`]), and the synthesis [`synthesize_from`]'s.
pub(super) fn deepest_start<'a>(
    layers: &[ScreenLayer],
    v: &'a LayerVector<f64>,
    factors: (f64, f64),
) -> DeepestStart<'a> {
    let radius = |k: usize| deepest_radius(v.entries()[k]);
    if let Some(layer) = layers.last()
        && let (Some(sparse), true) = listed_deepest(v, factors)
    {
        let unwritten = Enclosed {
            mid: Cow::Borrowed(v),
            rad: Vec::new(),
        };
        if sparse_shape(layer, &unwritten)
            && let Some(next) = synthesize_listed(layer, v, &sparse)
        {
            let listed = sparse
                .values
                .iter()
                .map(|&(k, m)| (k, m, deepest_radius(m)));
            return DeepestStart {
                chain: vec![unwritten, next],
                normal: true,
                magnitudes: Some(certain_magnitudes_listed(v, listed, radius)),
                unwritten: true,
            };
        }
    }
    written_start(layers, v, factors)
}

/// [`deepest_start`] with `Γ_K`'s radii written out: [`enclosed_deepest`], and the synthesis
/// [`synthesize_from`] from its listing.
fn written_start<'a>(
    layers: &[ScreenLayer],
    v: &'a LayerVector<f64>,
    factors: (f64, f64),
) -> DeepestStart<'a> {
    let deepest = enclosed_deepest(v, factors);
    let magnitudes = deepest.sparse.as_ref().map(|sparse| {
        let rad = &deepest.enclosed.rad;
        let listed = sparse.values.iter().map(|&(k, m)| (k, m, rad[k]));
        certain_magnitudes_among(&deepest.enclosed, listed)
    });
    let mut chain = vec![deepest.enclosed];
    if let Some(layer) = layers.last() {
        let x = &chain[0];
        let next = synthesize_from(layer, x, deepest.sparse.filter(|_| sparse_shape(layer, x)));
        chain.push(next);
    }
    DeepestStart {
        chain,
        normal: deepest.normal,
        magnitudes,
        unwritten: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theorem2_f64::sparse_sums::sparse_entries;

    /// The one pass against [`Enclosed::input`], [`sparse_entries`] and the screen's search,
    /// on vectors sparse and dense, with signed zeros, subnormals, infinities and NaN.
    #[test]
    fn one_pass_over_the_deepest_representation_is_the_separate_passes() {
        let mut next = crate::test_stream::xorshift(0x9e37_79b9_7f4a_7c15);
        let factors = (3e-14, 1.0 + 1e-15);
        for (spread, odd) in [
            (40, None),
            (40, Some(5e-320)),
            (3, None),
            (16, Some(f64::NAN)),
        ] {
            for length in [16 * 4, 16 * 50, 16 * 300, 16 * 301] {
                let entries: Vec<f64> = (0..length)
                    .map(|k| match next() % spread {
                        0 => ((next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 1e3,
                        1 if k % 2 == 0 => -0.0,
                        _ => 0.0,
                    })
                    .collect();
                let mut entries = entries;
                if let Some(x) = odd {
                    entries[length / 3] = x;
                }
                let v = LayerVector::from_entries(length / 4, 4, entries.clone()).expect("shape");
                let fused = enclosed_deepest(&v, factors);
                let plain = Enclosed::input(&v);
                let bits = |x: &[f64]| x.iter().map(|r| r.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&fused.enclosed.rad), bits(&plain.rad));
                let expected = sparse_entries(v.entries(), &plain.rad, factors);
                let pairs = |s: &[(usize, f64)]| {
                    s.iter().map(|(k, x)| (*k, x.to_bits())).collect::<Vec<_>>()
                };
                match (&fused.sparse, &expected) {
                    (Some(f), Some(e)) => {
                        assert_eq!(pairs(&f.values), pairs(&e.values));
                        assert_eq!(pairs(&f.weights), pairs(&e.weights));
                    }
                    (None, None) => {}
                    _ => panic!(
                        "sparse {} against {}",
                        fused.sparse.is_some(),
                        expected.is_some()
                    ),
                }
                let screen = entries.iter().all(|x| *x == 0.0 || x.is_normal());
                assert_eq!(fused.normal, screen, "{spread} {odd:?} {length}");
                // Without the radii written out: the same listing and screen, and the radii
                // those written.
                let (listed, normal) = listed_deepest(&v, factors);
                assert_eq!(normal, fused.normal);
                match (&listed, &fused.sparse) {
                    (Some(l), Some(f)) => {
                        assert_eq!(pairs(&l.values), pairs(&f.values));
                        assert_eq!(pairs(&l.weights), pairs(&f.weights));
                    }
                    (None, None) => {}
                    _ => panic!("listed {}", listed.is_some()),
                }
                let implicit: Vec<f64> = entries.iter().map(|x| deepest_radius(*x)).collect();
                assert_eq!(bits(&implicit), bits(&plain.rad));
            }
        }
    }

    /// The start with `Γ_K`'s radii unwritten against the start with them written: the same
    /// `Γ_{K-1}`, screen, magnitudes and signs, and the radii [`deepest_radius`] stands for;
    /// on a sparse `Γ_K` (unwritten), and where the radii are written: a subnormal entry, a
    /// dense `Γ_K`, entries so small that reachability needs the count product.
    #[test]
    fn the_start_without_the_radii_written_is_the_start_with_them() {
        use crate::theorem2_f64::tests_shortcut::{layer, stream};
        let screen = ScreenLayer::new(&layer(5, 4, 8, 21), 2);
        let layers = [screen];
        let f = &layers[0].filters;
        let factors = layers[0].weight_factors(f.filter_length() * f.filter_count());
        let mut next = stream(5);
        let mut unwritten = [0, 0];
        for (spread, scale) in [(40, 1.0), (40, 1e-300), (3, 1.0), (40, 1.0), (90, 1.0)] {
            let length = 600;
            let mut entries: Vec<f64> = (0..length * 4)
                .map(|_| match next() % spread {
                    0 => ((next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * scale,
                    1 => -0.0,
                    _ => 0.0,
                })
                .collect();
            if spread == 90 {
                entries[length] = 5e-320;
            }
            let v = LayerVector::from_entries(length, 4, entries).expect("shape");
            let start = deepest_start(&layers, &v, factors);
            let written = written_start(&layers, &v, factors);
            let bits = |x: &[f64]| x.iter().map(|r| r.to_bits()).collect::<Vec<_>>();
            assert_eq!(start.chain[1].mid, written.chain[1].mid);
            assert_eq!(bits(&start.chain[1].rad), bits(&written.chain[1].rad));
            assert_eq!(start.normal, written.normal);
            assert_eq!(start.magnitudes, written.magnitudes);
            let gamma = &written.chain[0];
            for (k, m) in v.entries().iter().enumerate() {
                let sign = Enclosed::sign_of(*m, deepest_radius(*m));
                assert_eq!(sign, gamma.sign(k), "{k}");
            }
            if start.unwritten {
                assert!(start.chain[0].rad.is_empty());
            } else {
                assert_eq!(bits(&start.chain[0].rad), bits(&gamma.rad));
            }
            unwritten[usize::from(start.unwritten)] += 1;
        }
        assert_eq!(unwritten, [3, 2]);
    }
}
