//! The deepest representation `Γ_K` enclosed in one pass over its entries: its radii, the
//! nonzero entries and radius weights a sparse synthesis reads
//! ([`sparse_entries`](super::sparse_sums::sparse_entries)), and whether every nonzero entry
//! is a normal `f64` (the screen's question), each as the separate passes give it.

use std::borrow::Cow;

use super::enclosed::Enclosed;
use super::hoisted::UpperBound;
use super::interval::input_radius;
use super::sparse_sums::{SPARSE_RATIO, SparseEntries};
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
pub(super) fn enclosed_deepest(v: &LayerVector<f64>, (a, b): (f64, f64)) -> Deepest<'_> {
    let bound = UpperBound::new(1);
    let entries = v.entries();
    let limit = entries.len() / SPARSE_RATIO;
    let mut rad = vec![0.0; entries.len()];
    let mut sparse = Some(SparseEntries::default());
    let mut normal = true;
    // Blocks of zeros (most of a sparse `Γ_K`) are passed over by one test per block, without
    // branches, that runs on vectors; the rest of the pass meets the same nonzero entries in
    // the same order.
    let blocks = rad.chunks_mut(ZERO_BLOCK).zip(entries.chunks(ZERO_BLOCK));
    let nonzero_blocks = (blocks.enumerate())
        .filter(|(_, (_, block))| block.iter().fold(false, |any, x| any | (*x != 0.0)));
    let nonzero_entries = nonzero_blocks.flat_map(|(b, (rad, block))| {
        (rad.iter_mut().zip(block).enumerate()).map(move |(k, (r, x))| (b * ZERO_BLOCK + k, (r, x)))
    });
    for (index, (r, x)) in nonzero_entries {
        if *x == 0.0 {
            continue;
        }
        normal &= x.is_normal();
        *r = input_radius(*x, bound);
        let Some(found) = sparse.as_mut() else {
            continue;
        };
        let w = a * x.abs() + b * *r;
        let full = found.values.len() == limit || (w != 0.0 && found.weights.len() == limit);
        if full {
            sparse = None;
            continue;
        }
        found.values.push((index, *x));
        if w != 0.0 {
            found.weights.push((index, w));
        }
    }
    Deepest {
        enclosed: Enclosed {
            mid: Cow::Borrowed(v),
            rad,
        },
        sparse,
        normal,
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
            }
        }
    }
}
