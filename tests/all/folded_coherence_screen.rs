//! The `f64` screen of a folded layer's channel coherences
//! (`mlcsc_engines::folded_coherence_screen`) equals the specification's
//! `channel_coherence_squared` exactly: on random layers built to tie (repeated and displaced
//! filters, so that several pairs attain the maximum and near-maxima differ in the last bits),
//! on layers with numbers outside the screen's range, and through the whole fold of the
//! trained digits networks.

use mlcsc::certify::network::{SpecNetwork, spec_network};
use mlcsc::io::network::load_network;
use mlcsc_engines::folded_coherence_screen::screened_channel_coherence_squared;
use mlcsc_spec::folding::{channel_coherence_squared, fold, fold_with};
use mlcsc_spec::{Rational, Scalar};
use num_traits::Zero;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::cli::fixture;
use crate::common::r;

/// A weight: a small integer over a power of two, one of its near neighbours (`± 2^-k`,
/// `k ∈ [40, 62]`: correlations of `±1` filters then cancel to a few units of `2^-k`, where
/// an `f64` evaluation has no correct digit and only the screen's bound keeps it sound), or
/// (rarely) a magnitude outside the screen's range.
fn weight(rng: &mut ChaCha8Rng) -> Rational {
    let base = if rng.random_bool(0.5) {
        r(if rng.random_bool(0.5) { 1 } else { -1 }, 1)
    } else {
        r(rng.random_range(-4..=4), 1 << rng.random_range(0..4))
    };
    let tiny = r(1, 1 << rng.random_range(40..=62));
    match rng.random_range(0..10) {
        0..=2 => base + tiny,
        3 | 4 => base - tiny,
        5 if rng.random_bool(0.1) => r(1, 1) / Rational::from_float(1e120).expect("finite"),
        _ => base,
    }
}

/// `m` filters of `m'` channels and `n` taps, some repeated or displaced copies of others
/// (ties of the maximum), none zero.
fn layer(rng: &mut ChaCha8Rng, m: usize, inputs: usize, taps: usize) -> Vec<Vec<Vec<Rational>>> {
    let mut filters: Vec<Vec<Vec<Rational>>> = Vec::with_capacity(m);
    for _ in 0..m {
        let filter = match (filters.len(), rng.random_range(0..4)) {
            (1.., 0) => filters[rng.random_range(0..filters.len())].clone(),
            (1.., 1) => {
                let mut shifted = filters[rng.random_range(0..filters.len())].clone();
                shifted.iter_mut().for_each(|taps| taps.rotate_right(1));
                shifted
            }
            _ => (0..inputs)
                .map(|_| (0..taps).map(|_| weight(rng)).collect())
                .collect(),
        };
        filters.push(filter);
    }
    for filter in &mut filters {
        if filter.iter().flatten().all(Zero::is_zero) {
            filter[0][0] = r(1, 1);
        }
    }
    filters
}

/// `ρ_c² = Σ_{c'} ‖W[c][c']‖² ρ²_{c'}`.
fn norms_squared(weights: &[Vec<Vec<Rational>>], previous: &[Rational]) -> Vec<Rational> {
    weights
        .iter()
        .map(|filter| {
            let mut sum = Rational::zero();
            for (taps, w) in filter.iter().zip(previous) {
                for t in taps {
                    Scalar::multiply_accumulate(&mut sum, &(t.clone() * t.clone()), w);
                }
            }
            sum
        })
        .collect()
}

/// The screen equals the specification on 300 random layers with ties, strides 1–3.
#[test]
fn screened_channel_coherence_equals_the_specification() {
    let mut rng = ChaCha8Rng::seed_from_u64(71);
    let mut tied = 0;
    for case in 0..300 {
        let (m, inputs, taps) = (
            rng.random_range(1..=6),
            rng.random_range(1..=4),
            rng.random_range(1..=5),
        );
        let weights = layer(&mut rng, m, inputs, taps);
        let previous: Vec<Rational> = (0..inputs)
            .map(|_| r(rng.random_range(1..=9), rng.random_range(1..=4)))
            .collect();
        let norms = norms_squared(&weights, &previous);
        let stride = rng.random_range(1..=3);
        let spec = channel_coherence_squared(&weights, &previous, &norms, stride);
        let screened = screened_channel_coherence_squared(&weights, &previous, &norms, stride);
        assert_eq!(screened, spec, "case {case}: {weights:?} stride {stride}");
        tied += usize::from(spec.iter().any(|v| *v == r(1, 1)));
    }
    assert!(
        tied >= 30,
        "only {tied} of 300 layers had a repeated filter"
    );
}

/// The fold with the screen is the specification's fold, number for number, on the trained
/// digits networks (float32 weights read exactly).
#[test]
fn screened_fold_of_the_digits_networks_is_the_specification_fold() {
    for name in ["constrained", "unconstrained"] {
        let file = load_network(
            &fixture(&format!("networks/digits-{name}.safetensors")),
            &fixture(&format!("networks/digits-{name}.json")),
        )
        .expect("the fixture loads");
        let Ok(SpecNetwork::Exact(network)) = spec_network(&file) else {
            panic!("the digits networks are exact")
        };
        let screened = fold_with(&network, screened_channel_coherence_squared).expect("folds");
        assert_eq!(screened, fold(&network).expect("folds"), "digits-{name}");
    }
}

/// The rows of the 8 × 8 Sylvester–Hadamard matrix, each entry moved by `0` or `± 2^-k`,
/// `k ∈ [50, 56]`, as 8 one-channel filters of 8 taps at stride 8 (no displacement but 0):
/// every correlation is a cancellation down to a few units of `2^-53`, which an `f64` sum
/// cannot order, so a screen without its error bound picks the wrong maximum.
fn perturbed_hadamard(rng: &mut ChaCha8Rng) -> Vec<Vec<Vec<Rational>>> {
    (0..8u32)
        .map(|row| {
            let taps = (0..8u32)
                .map(|column| {
                    let sign = if (row & column).count_ones() % 2 == 0 {
                        1
                    } else {
                        -1
                    };
                    let tiny = r(1, 1 << rng.random_range(50..=56));
                    match rng.random_range(0..3) {
                        0 => r(sign, 1) + tiny,
                        1 => r(sign, 1) - tiny,
                        _ => r(sign, 1),
                    }
                })
                .collect();
            vec![taps]
        })
        .collect()
}

/// On nearly orthogonal filters, where the `f64` correlations carry no correct digit, the
/// screen still equals the specification.
#[test]
fn screen_equals_the_specification_where_f64_has_no_correct_digit() {
    let mut rng = ChaCha8Rng::seed_from_u64(72);
    for case in 0..200 {
        let weights = perturbed_hadamard(&mut rng);
        let previous = vec![r(1, 1)];
        let norms = norms_squared(&weights, &previous);
        let spec = channel_coherence_squared(&weights, &previous, &norms, 8);
        let screened = screened_channel_coherence_squared(&weights, &previous, &norms, 8);
        assert_eq!(screened, spec, "case {case}");
    }
}

/// The same on the Silero voice-activity network when `scripts/fetch_silero_vad.sh` has put
/// its weights in `fixtures/networks/downloads/` (about three minutes: the specification's
/// fold takes 30 M big-rational multiply-adds there). Run with `--ignored`.
#[test]
#[ignore = "needs the downloaded Silero weights and about three minutes"]
fn screened_fold_of_silero_is_the_specification_fold() {
    let weights = fixture("networks/downloads/silero_vad_16k.safetensors");
    assert!(
        weights.exists(),
        "run scripts/fetch_silero_vad.sh first: {} is missing",
        weights.display()
    );
    let file = load_network(&weights, &fixture("networks/silero-vad-16k.json")).expect("loads");
    let Ok(SpecNetwork::Exact(network)) = spec_network(&file) else {
        panic!("the Silero network is exact")
    };
    let screened = fold_with(&network, screened_channel_coherence_squared).expect("folds");
    assert_eq!(screened, fold(&network).expect("folds"));
}
