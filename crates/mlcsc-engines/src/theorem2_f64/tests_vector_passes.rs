//! The passes of the check written for vector lanes or blocks against the plain passes they
//! stand for: the magnitudes of the support found block by block, and from a list of the
//! entries not exactly zero; the radius weights' reachability test on lanes, alone and fused
//! with the weights; the finiteness of an enclosed vector by blocks; the listing of sparse
//! entries with its count first; and the radius of a dense synthesis from weights formed block
//! by block.

use std::borrow::Cow;

use super::bounded_sums::filled_synthesis_radius;
use super::enclosed::Enclosed;
use super::hoisted::UpperBound;
use super::reachability::{
    dense_products_stay_normal, products_stay_normal, weights_staying_normal,
};
use super::screen_layer::ScreenLayer;
use super::sparse_sums::{SPARSE_RATIO, SparseEntries, listed, sparse_entries};
use super::support::{certain_magnitudes_among, certain_magnitudes_with_range};
use super::tests_shortcut::{layer, scaled, stream};
use crate::fast;
use crate::model::LayerVector;

/// `length × 4` entries, about one in `spread` not exactly zero, of few distinct magnitudes and
/// radii (so that ties at the extremes fall in many blocks); with `uncertain`, one entry whose
/// support is uncertain near the end.
fn entries(length: usize, spread: u64, seed: u64, uncertain: bool) -> Enclosed<'static> {
    let mut next = stream(seed);
    let (mut mid, mut rad) = (Vec::new(), Vec::new());
    for _ in 0..length * 4 {
        let bits = next();
        let listed = bits % spread == 0;
        let magnitude = [0.1, 0.3, 1.0 / 3.0, 7.0, 2.5][((bits >> 5) % 5) as usize];
        let sign = if bits % 7 < 3 { -1.0 } else { 1.0 };
        let r = [0.0, 1e-17, 2.5e-17, 1e-3][((bits >> 9) % 4) as usize];
        let (m, r) = match (listed, (bits >> 13) % 9) {
            (false, 0) => (-0.0, 0.0),
            (false, _) => (0.0, 0.0),
            // A zero midpoint with a radius: not exactly zero, its support uncertain.
            (true, 0) if uncertain => (0.0, 1e-9),
            (true, _) => (sign * magnitude, r),
        };
        mid.push(m);
        rad.push(r);
    }
    if uncertain {
        let last = mid.len() - 3;
        (mid[last], rad[last]) = (1e-3, 1e-3);
    }
    Enclosed {
        mid: Cow::Owned(LayerVector::from_entries(length, 4, mid).expect("shape")),
        rad,
    }
}

/// Every entry, for the plain pass.
fn every(gamma: &Enclosed) -> Vec<(usize, f64, f64)> {
    let pairs = gamma.mid.entries().iter().zip(&gamma.rad);
    pairs.enumerate().map(|(k, (m, r))| (k, *m, *r)).collect()
}

#[test]
fn the_magnitudes_by_blocks_and_from_a_list_are_the_plain_passs() {
    let mut blockwise_certain = 0;
    for seed in 1..40u64 {
        for (length, spread) in [(700, 1), (700, 3), (3000, 50), (64, 2), (5, 1)] {
            for uncertain in [false, true] {
                let gamma = entries(length, spread, seed, uncertain);
                let plain = certain_magnitudes_among(&gamma, every(&gamma));
                let blockwise = certain_magnitudes_with_range(&gamma);
                assert_eq!(blockwise, plain, "seed {seed}, N {length}, 1/{spread}");
                blockwise_certain += usize::from(plain.is_ok());
                let listed = every(&gamma)
                    .into_iter()
                    .filter(|(_, m, r)| !(*m == 0.0 && *r == 0.0));
                let from_list = certain_magnitudes_among(&gamma, listed);
                assert_eq!(from_list, plain, "seed {seed}, N {length}, 1/{spread}");
            }
        }
    }
    assert!(blockwise_certain > 100, "{blockwise_certain}");
}

/// Weights of many scales, with zeros, negatives, subnormals, infinities and NaN.
#[test]
fn reachability_on_lanes_is_the_plain_tests() {
    let screen = ScreenLayer::new(&layer(3, 4, 2, 9), 1);
    let mut next = stream(77);
    let (mut decided, mut fused) = ([0, 0], [0, 0]);
    for case in 0..400 {
        let length = 1 + (next() % 70) as usize;
        let weights: Vec<f64> = (0..length)
            .map(|_| match next() % 23 {
                0 => 0.0,
                1 => -1.0,
                2 => 1e-310,
                3 if case % 5 == 0 => f64::INFINITY,
                4 if case % 7 == 0 => f64::NAN,
                k => 2f64.powi(-(k as i32) * 60 - 100 + (next() % 20) as i32),
            })
            .collect();
        let plain = products_stay_normal(&screen, &weights);
        assert_eq!(
            dense_products_stay_normal(&screen, &weights),
            plain,
            "{weights:?}"
        );
        decided[usize::from(plain)] += 1;
        // Weights formed from an enclosed vector (`a · 0 + b r`), with their reachability in
        // the same pass; and the vector's finiteness by blocks.
        let x = Enclosed {
            mid: Cow::Owned(LayerVector::zeros(length, 1)),
            rad: weights.clone(),
        };
        let (formed, stay_normal) = weights_staying_normal(&screen, &x, 1);
        let bits = |v: &[f64]| v.iter().map(|w| w.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(formed.entries()), bits(&screen.weights(&x, 1)));
        assert_eq!(stay_normal, products_stay_normal(&screen, formed.entries()));
        fused[usize::from(stay_normal)] += 1;
        assert_eq!(x.finite(), weights.iter().all(|w| w.is_finite()));
    }
    assert!(fused[0] > 50 && fused[1] > 50, "{fused:?}");
    assert!(decided[0] > 50 && decided[1] > 50, "{decided:?}");
}

/// At, below and above the limit of nonzero midpoints, with radii at zero midpoints.
#[test]
fn the_sparse_listing_with_its_count_first_is_the_plain_listing() {
    let factors = (3e-14, 1.0 + 1e-15);
    let length = 16 * 700;
    let limit = length / SPARSE_RATIO;
    let mut outcomes = [0, 0];
    for nonzeros in [0, 1, limit - 1, limit, limit + 1, 3 * limit, length] {
        for radius_only in [0, 3] {
            let mut mid = vec![0.0; length];
            let mut rad = vec![0.0; length];
            let stride = (length / nonzeros.max(1)).max(1);
            for k in (0..length).step_by(stride).take(nonzeros) {
                mid[k] = 1.0 + k as f64;
                rad[k] = 1e-16;
            }
            for k in (1..length).step_by(stride).take(radius_only) {
                rad[k] = 1e-16;
            }
            let pairs = |s: &SparseEntries| (s.values.clone(), s.weights.clone());
            let expected = listed(&mid, &rad, factors);
            let found = sparse_entries(&mid, &rad, factors);
            assert_eq!(
                found.as_ref().map(pairs),
                expected.as_ref().map(pairs),
                "{nonzeros} nonzeros, {radius_only} radii alone"
            );
            outcomes[usize::from(found.is_some())] += 1;
        }
    }
    assert!(outcomes[0] >= 4 && outcomes[1] >= 4, "{outcomes:?}");
}

/// The radii of a dense synthesis from weights formed block by block as the kernel reads them,
/// against the kernel's sums of the stored weights bounded where the count product says an
/// entry is reached: on an output shorter than a window, of one block and of many parallel
/// blocks, with a run of positions of zero weight (entries no product reaches); and none where
/// a product leaves the normal range.
#[test]
fn the_radius_from_weights_formed_by_blocks_is_the_stored_weights_radius() {
    let mut outcomes = [0, 0];
    for (length, scale, seed) in [
        (5, 0, 1),
        (96, 3, 2),
        (3000, 0, 3),
        (2501, -20, 4),
        (900, -1000, 5),
    ] {
        let screen = ScreenLayer::new(&layer(8, 32, 16, seed), 2);
        let mut x = scaled(length, 32, seed, scale);
        if let Enclosed {
            mid: std::borrow::Cow::Owned(mid),
            rad,
        } = &mut x
        {
            let run = (length / 3) * 32..(length / 3 + 40).min(length) * 32;
            mid.entries_mut()[run.clone()].fill(0.0);
            rad[run].fill(0.0);
        }
        let k = 8 * 32;
        let w = LayerVector::from_entries(length, 32, screen.weights(&x, k)).expect("shape");
        let stay_normal = products_stay_normal(&screen, w.entries());
        let found = filled_synthesis_radius(&screen, &x, k);
        outcomes[usize::from(stay_normal)] += 1;
        let Some(found) = found else {
            assert!(!stay_normal, "N {length}");
            continue;
        };
        assert!(stay_normal, "N {length}");
        let sums = fast::synthesis(&screen.absolute, &w);
        let reached = w.map(|w: &f64| if *w > 0.0 { 1.0 } else { 0.0 });
        let counts = fast::synthesis(&screen.support, &reached);
        let bound = UpperBound::new(k + 6);
        let expected = (sums.entries().iter().zip(counts.entries()))
            .map(|(s, c)| if *c > 0.0 { bound.of(*s) } else { 0.0 });
        let bits = |v: &mut dyn Iterator<Item = f64>| v.map(f64::to_bits).collect::<Vec<_>>();
        assert_eq!(
            bits(&mut found.iter().copied()),
            bits(&mut expected.into_iter()),
            "N {length}"
        );
        // The run of zero weights is longer than a window beyond the shortest output.
        assert_eq!(
            found.contains(&0.0),
            length > 40,
            "N {length}: an unreached entry"
        );
    }
    assert_eq!(outcomes, [1, 4]);
}
