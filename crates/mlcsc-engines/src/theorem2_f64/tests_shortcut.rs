//! The shortcuts of the check against the computations they replace, bit for bit: the sparse
//! radius sums against the fast kernel, reachability by magnitudes against the count product,
//! and the magnitudes of the support against rounding every entry outward.

use super::enclosed::{Enclosed, synthesize};
use super::interval::Interval;
use super::reachability::products_stay_normal;
use super::screen_layer::ScreenLayer;
use super::sparse_sums::sparse_synthesis_sums;
use super::support::certain_magnitudes_with_range;
use crate::fast;
use crate::model::{Layer, LayerVector};

/// A xorshift stream of `u64` from any seed.
pub(super) fn stream(seed: u64) -> impl FnMut() -> u64 {
    crate::test_stream::xorshift(seed | 1)
}

/// A layer of `m` filters of length `n` over `m_previous` channels, taps of many magnitudes
/// with zeros, each filter of unit norm up to rounding.
pub(super) fn layer(n: usize, m: usize, m_previous: usize, seed: u64) -> Layer<f64> {
    let mut next = stream(seed);
    let filters = (0..m)
        .map(|_| {
            let mut taps: Vec<f64> = (0..n * m_previous)
                .map(|_| {
                    let bits = next();
                    if bits % 4 == 0 {
                        0.0
                    } else {
                        (bits >> 11) as f64 / (1u64 << 53) as f64 - 0.5
                    }
                })
                .collect();
            taps[0] = 0.25;
            let norm = taps.iter().map(|x| x * x).sum::<f64>().sqrt();
            taps.chunks(m_previous)
                .map(|row| row.iter().map(|x| x / norm).collect())
                .collect()
        })
        .collect();
    Layer::new_unchecked_norm(1, filters).expect("shape")
}

/// Nonzero weights at about one entry in `spread`, in order, of many magnitudes.
pub(super) fn sparse(entries: usize, spread: u64, seed: u64) -> Vec<(usize, f64)> {
    let mut next = stream(seed);
    (0..entries)
        .filter_map(|k| {
            let bits = next();
            (bits % spread == 0).then(|| {
                let mantissa = (bits >> 11) as f64 / (1u64 << 53) as f64 + 0.5;
                (k, mantissa * 2f64.powi((bits % 61) as i32 - 30))
            })
        })
        .collect()
}

#[test]
fn the_sparse_radius_sums_are_the_kernels_bit_for_bit() {
    let mut compared = 0;
    for (seed, (n, m, m_previous, length)) in [
        (8, 64, 32, 200),
        (8, 32, 16, 64),
        (3, 5, 8, 11),
        (1, 4, 4, 9),
        (2, 7, 12, 40),
        (8, 16, 8, 16),
    ]
    .into_iter()
    .enumerate()
    {
        let absolute = layer(n, m, m_previous, seed as u64 + 1).map(|x: &f64| x.abs());
        for spread in [16, 40, 400] {
            let nonzero = sparse(length * m, spread, 7 * seed as u64 + spread);
            let Some(sums) = sparse_synthesis_sums(&absolute, length, &nonzero) else {
                continue;
            };
            let mut dense = vec![0.0; length * m];
            for (k, w) in &nonzero {
                dense[*k] = *w;
            }
            let dense = LayerVector::from_entries(length, m, dense).expect("shape");
            let kernel = fast::synthesis(&absolute, &dense);
            for (k, (a, b)) in sums.iter().zip(kernel.entries()).enumerate() {
                assert_eq!(
                    a.to_bits(),
                    b.to_bits(),
                    "n {n}, m {m}, N {length}, entry {k}"
                );
            }
            compared += 1;
        }
    }
    // The shapes whose output channels fill whole registers, at every sparsity.
    assert!(compared >= 9, "{compared}");
}

/// The nonzero weights of an enclosed vector under a screen layer (as the check forms them).
fn enclosed(length: usize, channels: usize, seed: u64, spread: u64) -> Enclosed<'static> {
    let mut next = stream(seed);
    let (mut mid, mut rad) = (Vec::new(), Vec::new());
    for _ in 0..length * channels {
        let bits = next();
        let value = if bits % spread == 0 {
            ((bits >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 2f64.powi((bits % 31) as i32 - 15)
        } else {
            0.0
        };
        mid.push(value);
        rad.push(if value == 0.0 {
            0.0
        } else {
            value.abs() * 1e-12
        });
    }
    Enclosed {
        mid: std::borrow::Cow::Owned(
            LayerVector::from_entries(length, channels, mid).expect("shape"),
        ),
        rad,
    }
}

#[test]
fn a_sparse_synthesis_is_enclosed_as_the_dense_one() {
    for (seed, spread) in [(1u64, 30u64), (2, 100), (3, 2)] {
        let screen = ScreenLayer::new(&layer(8, 32, 16, seed), 1);
        let x = enclosed(96, 32, seed, spread);
        let fast = synthesize(&screen, &x);
        // The dense weights, through the kernel and the count product.
        let k = 8 * 32;
        let w = LayerVector::from_entries(96, 32, screen.weights(&x, k)).expect("shape");
        let sums = fast::synthesis(&screen.absolute, &w);
        let reached = w.map(|w: &f64| if *w > 0.0 { 1.0 } else { 0.0 });
        let counts = fast::synthesis(&screen.support, &reached);
        let bound = super::hoisted::UpperBound::new(k + 6);
        for (entry, ((s, c), r)) in sums
            .entries()
            .iter()
            .zip(counts.entries())
            .zip(&fast.rad)
            .enumerate()
        {
            let expected = if *c > 0.0 { bound.of(*s) } else { 0.0 };
            assert_eq!(
                r.to_bits(),
                expected.to_bits(),
                "seed {seed}, entry {entry}"
            );
        }
        assert_eq!(
            fast.mid.entries(),
            fast::synthesis(&screen.filters, &x.mid).entries()
        );
    }
}

#[test]
fn products_below_the_normal_range_are_counted() {
    let screen = ScreenLayer::new(&layer(2, 2, 2, 5), 1);
    assert!(products_stay_normal(&screen, &[0.0, 1e-300, 3.0]));
    assert!(!products_stay_normal(&screen, &[0.0, 1e-310]));
    assert!(!products_stay_normal(&screen, &[1.0, f64::INFINITY]));
    assert!(!products_stay_normal(&screen, &[1.0, f64::NAN]));
}

/// `certain_magnitudes_with_range` as it was: every entry's interval rounded outward and folded.
fn magnitudes_entry_by_entry(gamma: &Enclosed) -> Option<(Interval, Interval)> {
    let mut range: Option<(Interval, Interval)> = None;
    for k in 0..gamma.rad.len() {
        if gamma.sign(k)? == 0 {
            continue;
        }
        let value = gamma.entry(k);
        let magnitude = if value.lo > 0.0 {
            value
        } else {
            Interval {
                lo: -value.hi,
                hi: -value.lo,
            }
        };
        range = Some(match range {
            None => (magnitude, magnitude),
            Some((small, large)) => (
                Interval {
                    lo: small.lo.min(magnitude.lo),
                    hi: small.hi.min(magnitude.hi),
                },
                Interval {
                    lo: large.lo.max(magnitude.lo),
                    hi: large.hi.max(magnitude.hi),
                },
            ),
        });
    }
    range
}

#[test]
fn the_magnitudes_of_the_support_are_those_of_every_entry_rounded_outward() {
    for seed in 1..200u64 {
        let mut next = stream(seed);
        let length = 1 + (seed as usize % 13);
        let (mut mid, mut rad) = (Vec::new(), Vec::new());
        // Few distinct magnitudes and radii, so that ties at the extremes are common.
        for _ in 0..length * 3 {
            let bits = next();
            let magnitude = [0.0, 0.1, 0.3, 1.0 / 3.0, 7.0][(bits % 5) as usize];
            let sign = if bits % 7 < 3 { -1.0 } else { 1.0 };
            let r = [0.0, 1e-17, 2.5e-17, 1e-3][((bits >> 8) % 4) as usize];
            let r = if magnitude == 0.0 && bits % 11 != 0 {
                0.0
            } else {
                r
            };
            mid.push(sign * magnitude);
            rad.push(r);
        }
        let gamma = Enclosed {
            mid: std::borrow::Cow::Owned(LayerVector::from_entries(length, 3, mid).expect("shape")),
            rad,
        };
        match certain_magnitudes_with_range(&gamma) {
            Ok((magnitudes, range)) => {
                assert_eq!(magnitudes, magnitudes_entry_by_entry(&gamma), "seed {seed}");
                let plain = gamma.mid.support_magnitude_range().unwrap_or((0.0, 0.0));
                assert_eq!(range, plain, "seed {seed}");
            }
            Err((position, channel, _, _)) => {
                let k = position * 3 + channel;
                assert!(gamma.sign(k).is_none(), "seed {seed}");
                assert!((0..k).all(|j| gamma.sign(j).is_some()), "seed {seed}");
            }
        }
    }
}

/// An enclosed vector of `length × channels` entries at the scale `2^scale`, about one in
/// `spread` nonzero, with radii up to `2^-40` of the scale (some absolute, some relative).
pub(super) fn scaled(length: usize, channels: usize, seed: u64, scale: i32) -> Enclosed<'static> {
    let mut next = stream(seed);
    let (mut mid, mut rad) = (Vec::new(), Vec::new());
    for _ in 0..length * channels {
        let bits = next();
        let unit = (bits >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        let value = if bits % 3 == 0 {
            0.0
        } else {
            unit * 2f64.powi(scale)
        };
        mid.push(value);
        rad.push(match bits % 5 {
            0 => 0.0,
            1 => 2f64.powi(scale - 40),
            _ => value.abs() * 2f64.powi(-45),
        });
    }
    Enclosed {
        mid: std::borrow::Cow::Owned(
            LayerVector::from_entries(length, channels, mid).expect("shape"),
        ),
        rad,
    }
}

#[test]
fn the_finite_radius_bounds_of_the_vacuous_shortcut_bound_the_full_checks_radii() {
    use super::enclosed::{analyze, threshold};
    use super::interval::input;
    use super::vacuous::LayerBounds;
    use crate::thresholding::Thresholding;
    let largest = |values: &[f64]| values.iter().fold(0.0f64, |a, x| a.max(x.abs()));
    let mut checked = 0;
    for seed in 1..25u64 {
        let (n, m, m_previous) = [(8, 16, 1), (3, 4, 6), (5, 7, 3)][seed as usize % 3];
        let screen = ScreenLayer::new(&layer(n, m, m_previous, seed), 1);
        // Far above and below 1, so that neither the factors nor the added constants of the
        // bounds hide a missing term.
        for scale in [-300, -100, 0, 100, 300] {
            let z = scaled(40, m_previous, seed * 31 + scale as u64, scale);
            let correlations = analyze(&screen, &z);
            for (fraction, thresholding) in [
                (0.0, Thresholding::Soft),
                (0.3, Thresholding::Soft),
                (0.3, Thresholding::Nonnegative),
                (0.3, Thresholding::Hard),
                (3.0, Thresholding::Hard),
            ] {
                let beta_mid = fraction * largest(correlations.mid.entries());
                let beta = input(beta_mid);
                let Some(bounds) =
                    LayerBounds::new(&screen, beta, largest(z.mid.entries()), largest(&z.rad))
                else {
                    continue;
                };
                let estimate = threshold(thresholding, &correlations, beta_mid, beta);
                let what = format!("seed {seed}, scale 2^{scale}, {thresholding:?} {fraction}");
                assert!(
                    largest(correlations.mid.entries()) <= bounds.correlation_magnitude,
                    "{what}"
                );
                assert!(
                    largest(&correlations.rad) <= bounds.correlation_radius,
                    "{what}"
                );
                assert!(
                    largest(&estimate.rad) <= bounds.estimate_radius,
                    "{what}: {bounds:?}"
                );
                // The bounds are not loose beyond a few factors at large scales: a missing
                // term would show.
                if scale == 100 {
                    assert!(
                        bounds.correlation_radius < 1e6 * largest(&correlations.rad).max(1e80),
                        "{what}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 300, "{checked}");
}

#[test]
fn the_error_norms_by_blocks_are_those_of_the_difference() {
    use super::error_norms::ErrorNorms;
    for (seed, (length, channels, width)) in [(3000, 3, 7), (1024, 1, 1), (2049, 5, 40), (17, 2, 3)]
        .into_iter()
        .enumerate()
    {
        let truth = enclosed(length, channels, seed as u64 + 1, 2);
        let estimate = enclosed(length, channels, seed as u64 + 50, 3);
        let norms = ErrorNorms::of_difference(&truth.mid, &estimate.mid, width);
        let difference = truth.mid.difference(&estimate.mid);
        let patch = fast::patch_norm_squared(&difference, width);
        assert_eq!(norms.patch_squared.to_bits(), patch.to_bits(), "N {length}");
        assert_eq!(
            norms.largest.to_bits(),
            difference.max_abs().to_bits(),
            "N {length}"
        );
    }
}
