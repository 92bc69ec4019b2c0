//! Folding a trained ReLU network into the model (`mlcsc_spec::folding`, `proofs/folding.md`).
//!
//! - The network run as written equals `diag(ρ_L)` times layered nonnegative thresholding of
//!   the folded model, exactly, on networks built with Pythagorean filter norms (so every `ρ`
//!   is rational): strides 1 and 2, zero, valid and circular padding, biases of both signs,
//!   dead filters, batch norms before the ReLU (negative scales) and after it, average pools.
//!   The folded model's estimates are computed here with `strided_analysis` and a per-channel
//!   `max(z − β_c, 0)`, independently of the fold.
//! - The read as a chain of `ReLU(W ⋆ A + b)` layers is exact on any rational network,
//!   overlapping pools included.
//! - In `f64`, random networks agree within `FOLDED_FORWARD_RELATIVE`.
//! - The exact squared coherence is `strided_coherence(F)²` when `ρ` is rational, and the
//!   `f64` normalised computation otherwise.
//! - Every refusal names the stage and the layer; normalising a layer alone gives another,
//!   smaller coherence (the negative control).

use mlcsc_spec::folding::{
    BatchNorm, Convolution, FoldedNetwork, FoldingError, Network, Stage, fold, forward, relu_layers,
};
use mlcsc_spec::model::{Geometry, LayerVector, Padding};
use mlcsc_spec::pursuit::cnn::ConvolutionLayer;
use mlcsc_spec::strided_coherence::{channel_coherence, strided_coherence};
use mlcsc_spec::strided_operators::strided_analysis;
use mlcsc_spec::tolerance::FOLDED_FORWARD_RELATIVE;
use mlcsc_spec::{Rational, Scalar};
use num_traits::{One, Signed, Zero};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::r;

/// Generated networks per test.
const CASES: u64 = 300;

/// The signal length: a multiple of every stride and pool the generators use.
const LENGTH: usize = 48;

/// `S⁺_β(z)` with one threshold per channel: `max(z[p, c] − β_c, 0)`, written here.
fn threshold_per_channel<S: Scalar>(z: &LayerVector<S>, thresholds: &[S]) -> LayerVector<S> {
    let mut out = z.clone();
    for p in 0..z.length() {
        for (c, beta) in thresholds.iter().enumerate() {
            let shifted = z.get(p, c).clone() - beta.clone();
            out.set(
                p,
                c,
                if shifted.is_positive() {
                    shifted
                } else {
                    S::zero()
                },
            );
        }
    }
    out
}

/// `diag(ρ_L) Γ̂_L` over all the channels of the last layer (its dead channels 0), with
/// `Γ̂_0 = x` and `Γ̂_i = S⁺_{β_i}(D(F_i)ᵀ Γ̂_{i-1})`, from the folded dictionaries.
fn folded_estimate<S: Scalar>(folded: &FoldedNetwork<S>, x: &LayerVector<S>) -> LayerVector<S> {
    let mut gamma = x.clone();
    for (index, layer) in folded.layers.iter().enumerate() {
        let (unit, thresholds) = layer.dictionary.as_ref().expect("rational norms");
        let z = strided_analysis(index + 1, unit, &unit.geometry(), &gamma).expect("shapes");
        gamma = threshold_per_channel(&z, thresholds);
    }
    let last = folded.layers.last().expect("a layer");
    let norms = last.norms.as_ref().expect("rational norms");
    let mut out = LayerVector::zeros(gamma.length(), last.live.len() + last.dead.len());
    for p in 0..gamma.length() {
        for (k, (&c, norm)) in last.live.iter().zip(norms).enumerate() {
            out.set(p, c, norm.clone() * gamma.get(p, k).clone());
        }
    }
    out
}

/// A nonzero integer vector of `length` entries with a square norm: `(2 m u, m² − |u|²)` has
/// norm `m² + |u|²`, the last entry put at a random place; and that norm.
fn pythagorean_vector(rng: &mut ChaCha8Rng, length: usize) -> (Vec<i64>, i64) {
    loop {
        let u: Vec<i64> = (1..length).map(|_| rng.random_range(-2..=2)).collect();
        let m: i64 = rng.random_range(1..=3);
        let u_squared: i64 = u.iter().map(|v| v * v).sum();
        let mut vector: Vec<i64> = u.iter().map(|v| 2 * m * v).collect();
        vector.insert(rng.random_range(0..length), m * m - u_squared);
        if vector.iter().any(|v| *v != 0) {
            return (vector, m * m + u_squared);
        }
    }
}

/// A small rational, nonzero when asked, of either sign.
fn small_rational(rng: &mut ChaCha8Rng, nonzero: bool) -> Rational {
    loop {
        let value = r(rng.random_range(-4..=4), rng.random_range(1..=3));
        if !nonzero || !value.is_zero() {
            return value;
        }
    }
}

/// What a generated network contains, to count the cases.
#[derive(Default, Debug)]
struct Features {
    dead: usize,
    negative_scale_before: usize,
    norm_after: usize,
    pools: usize,
    stride_two: usize,
    paddings: [usize; 3],
    positive_biases: usize,
    negative_biases: usize,
}

/// A random geometry for a layer reading `length` positions through a pool of `pool` (1 for
/// none) with `taps` taps, that the layer accepts; stride 1 and circular when the draw does not.
fn random_geometry(rng: &mut ChaCha8Rng, length: usize, pool: usize, taps: usize) -> Geometry {
    let stride = rng.random_range(1..=2);
    let padding = match rng.random_range(0..3) {
        0 => Padding::Circular,
        1 => Padding::Valid,
        _ => Padding::Zero {
            left: rng.random_range(0..=2),
            right: rng.random_range(0..=2),
        },
    };
    let geometry = Geometry { stride, padding };
    let composite = Geometry {
        stride: stride * pool,
        padding,
    };
    let composite_taps = pool * (taps - 1) + pool;
    let accepted = composite
        .output_length(1, length, composite_taps)
        .is_ok_and(|n| n > 0);
    if accepted && (pool == 1 || padding.amounts() == (0, 0)) {
        geometry
    } else {
        Geometry::default()
    }
}

/// The stages before a layer's convolution: perhaps a batch norm (when `norm_allowed`) and
/// the average pool of 4 at step 4 (when `pool`), in either order. Returns the batch norm's
/// scales (1 without one).
fn input_stages(
    rng: &mut ChaCha8Rng,
    stages: &mut Vec<Stage<Rational>>,
    channels: usize,
    (pool, norm_allowed): (bool, bool),
    features: &mut Features,
) -> Vec<Rational> {
    let norm = norm_allowed && rng.random_bool(0.4);
    let mut scales = vec![Rational::one(); channels];
    let mut added = Vec::new();
    if norm {
        scales = (0..channels).map(|_| small_rational(rng, true)).collect();
        let shift = (0..channels).map(|_| small_rational(rng, false)).collect();
        added.push(Stage::BatchNorm(BatchNorm {
            scale: scales.clone(),
            shift,
        }));
        features.norm_after += 1;
    }
    if pool {
        added.push(Stage::AveragePool {
            kernel: 4,
            stride: 4,
        });
        features.pools += 1;
    }
    if rng.random_bool(0.5) {
        added.reverse();
    }
    stages.extend(added);
    scales
}

/// A batch norm between a convolution and its ReLU, when `scales` is given, keeping the final
/// bias `a b + s` of every dead filter `≤ 0` (`s = −|a b| − |s'|`); counts the final biases'
/// signs and the negative scales.
fn norm_before_relu(
    rng: &mut ChaCha8Rng,
    stages: &mut Vec<Stage<Rational>>,
    scales: Option<Vec<Rational>>,
    (dead, biases): (&[bool], &mut [Rational]),
    features: &mut Features,
) {
    if let Some(scale) = scales {
        let shift: Vec<Rational> = (0..biases.len())
            .map(|c| match dead[c] {
                true => {
                    -(scale[c].clone() * biases[c].clone()).abs() - small_rational(rng, false).abs()
                }
                false => small_rational(rng, false),
            })
            .collect();
        features.negative_scale_before += scale.iter().filter(|a| a.is_negative()).count();
        for (c, a) in scale.iter().enumerate() {
            biases[c] = a.clone() * biases[c].clone() + shift[c].clone();
        }
        stages.push(Stage::BatchNorm(BatchNorm { scale, shift }));
    }
    features.positive_biases += biases.iter().filter(|b| b.is_positive()).count();
    features.negative_biases += biases.iter().filter(|b| b.is_negative()).count();
}

/// A random network whose folded norms are all rational: each folded filter `W'_c` is a
/// Pythagorean vector `U_c` (divided by 2 after a pool of 4, scaled by a batch norm before the
/// ReLU), because `W[c, c', t] = U_c[c', t] / (ρ_{c'} a_{c'})` undoes the previous layer's
/// norms `ρ` and the scales `a` of a batch norm after its ReLU. Filter 1 on is dead at times.
fn pythagorean_network(rng: &mut ChaCha8Rng, features: &mut Features) -> Network<Rational> {
    let input_channels = rng.random_range(1..=2);
    let (mut stages, mut channels, mut length) = (Vec::new(), input_channels, LENGTH);
    let mut norms = vec![Rational::one(); input_channels];
    let mut previous_dead = vec![false; input_channels];
    for layer in 0..rng.random_range(1..=3) {
        let taps = rng.random_range(1..=3);
        let pool = length % 16 == 0 && rng.random_range(0..4) == 0;
        let pool_factor = if pool { 4 } else { 1 };
        let geometry = random_geometry(rng, length, pool_factor, taps);
        let norm_allowed = layer > 0 && geometry.padding.amounts() == (0, 0);
        let scales = input_stages(rng, &mut stages, channels, (pool, norm_allowed), features);
        let filters = rng.random_range(1..=3);
        let before_scales: Option<Vec<Rational>> = rng
            .random_bool(0.4)
            .then(|| (0..filters).map(|_| small_rational(rng, true)).collect());
        let (mut weights, mut biases, mut next_norms, mut dead) = (vec![], vec![], vec![], vec![]);
        for c in 0..filters {
            dead.push(c > 0 && rng.random_range(0..5) == 0);
            // The dead input channels are dropped by the fold: `U` lives on the others, and
            // the dead ones get weights that must not matter.
            let live: Vec<usize> = (0..channels).filter(|&k| !previous_dead[k]).collect();
            let (u, norm) = pythagorean_vector(rng, live.len() * taps);
            let filter: Vec<Vec<Rational>> = (0..channels)
                .map(|k| {
                    let slot = live.iter().position(|&l| l == k);
                    (0..taps)
                        .map(|t| match (dead[c], slot) {
                            (true, _) => Rational::zero(),
                            (false, None) => r(5, 1),
                            (false, Some(j)) => {
                                r(u[j * taps + t], 1) / (norms[k].clone() * scales[k].clone())
                            }
                        })
                        .collect()
                })
                .collect();
            weights.push(filter);
            let bias = small_rational(rng, false);
            biases.push(if dead[c] { -bias.abs() } else { bias });
            let scale = before_scales
                .as_ref()
                .map_or(Rational::one(), |a| a[c].abs());
            next_norms.push(match (dead[c], pool) {
                (true, _) => Rational::one(),
                (false, true) => r(norm, 2) * scale,
                (false, false) => r(norm, 1) * scale,
            });
            features.dead += usize::from(dead[c]);
        }
        let convolution = Convolution::new(weights, biases.clone())
            .expect("shapes")
            .with_stride_and_padding(geometry.stride, geometry.padding);
        stages.push(Stage::Convolution(convolution));
        norm_before_relu(
            rng,
            &mut stages,
            before_scales,
            (&dead, &mut biases),
            features,
        );
        stages.push(Stage::Relu);
        features.stride_two += usize::from(geometry.stride == 2);
        features.paddings[match geometry.padding {
            Padding::Circular => 0,
            Padding::Valid => 1,
            Padding::Zero { .. } => 2,
        }] += 1;
        let pooled = if pool { (length - 4) / 4 + 1 } else { length };
        length = geometry.output_length(1, pooled, taps).expect("accepted");
        (channels, norms, previous_dead) = (filters, next_norms, dead);
    }
    Network {
        input_channels,
        stages,
    }
}

/// A random rational network with nonzero small weights (so no filter is dead and the norms
/// are irrational as a rule): any geometry, batch norms before and after the ReLU (after only
/// before a layer that pads no zeros), and average pools of any window and step before a valid
/// layer.
fn random_network(rng: &mut ChaCha8Rng) -> Network<Rational> {
    let input_channels = rng.random_range(1..=2);
    let (mut stages, mut channels, mut length) = (Vec::new(), input_channels, LENGTH);
    for layer in 0..rng.random_range(1..=3) {
        let taps = rng.random_range(1..=3);
        let (kernel, step) = (rng.random_range(1..=3), rng.random_range(1..=3));
        let pooled = (length >= kernel).then(|| (length - kernel) / step + 1);
        let pool = rng.random_range(0..3) == 0 && pooled.is_some_and(|p| p > taps + 1);
        let mut geometry = random_geometry(
            rng,
            if pool { pooled.unwrap_or(0) } else { length },
            1,
            taps,
        );
        if pool {
            geometry.padding = Padding::Valid;
            stages.push(Stage::AveragePool {
                kernel,
                stride: step,
            });
            length = pooled.unwrap_or(0);
        }
        if layer > 0 && geometry.padding.amounts() == (0, 0) && rng.random_bool(0.4) {
            stages.push(Stage::BatchNorm(BatchNorm {
                scale: (0..channels).map(|_| small_rational(rng, true)).collect(),
                shift: (0..channels).map(|_| small_rational(rng, false)).collect(),
            }));
        }
        let filters = rng.random_range(1..=3);
        let weights = (0..filters)
            .map(|_| {
                (0..channels)
                    .map(|_| (0..taps).map(|_| small_rational(rng, true)).collect())
                    .collect()
            })
            .collect();
        let biases = (0..filters).map(|_| small_rational(rng, false)).collect();
        let convolution = Convolution::new(weights, biases)
            .expect("shapes")
            .with_stride_and_padding(geometry.stride, geometry.padding);
        stages.push(Stage::Convolution(convolution));
        if rng.random_bool(0.4) {
            stages.push(Stage::BatchNorm(BatchNorm {
                scale: (0..filters).map(|_| small_rational(rng, true)).collect(),
                shift: (0..filters).map(|_| small_rational(rng, false)).collect(),
            }));
        }
        stages.push(Stage::Relu);
        length = geometry.output_length(1, length, taps).expect("accepted");
        channels = filters;
    }
    Network {
        input_channels,
        stages,
    }
}

/// A random signal of `LENGTH` positions with small integer entries.
fn random_signal(rng: &mut ChaCha8Rng, channels: usize) -> LayerVector<Rational> {
    let entries = (0..LENGTH * channels)
        .map(|_| r(rng.random_range(-3..=3), 1))
        .collect();
    LayerVector::from_entries(LENGTH, channels, entries).expect("shape")
}

/// The same network in `f64`.
fn network_to_f64(network: &Network<Rational>) -> Network<f64> {
    let to = |values: &[Rational]| values.iter().map(Scalar::to_f64).collect::<Vec<f64>>();
    let stages = network
        .stages
        .iter()
        .map(|stage| match stage {
            Stage::Convolution(c) => {
                let weights = c
                    .weights()
                    .iter()
                    .map(|f| f.iter().map(|taps| to(taps)).collect())
                    .collect();
                let geometry = c.geometry();
                Stage::Convolution(
                    Convolution::new(weights, to(c.biases()))
                        .expect("shapes")
                        .with_stride_and_padding(geometry.stride, geometry.padding),
                )
            }
            Stage::BatchNorm(norm) => Stage::BatchNorm(BatchNorm {
                scale: to(&norm.scale),
                shift: to(&norm.shift),
            }),
            Stage::Relu => Stage::Relu,
            Stage::AveragePool { kernel, stride } => Stage::AveragePool {
                kernel: *kernel,
                stride: *stride,
            },
            other => panic!("not generated: {}", other.name()),
        })
        .collect();
    Network {
        input_channels: network.input_channels,
        stages,
    }
}

/// The network fold and the folded model agree exactly: `forward(x) = diag(ρ_L) Γ̂_L`, with
/// every feature the fold handles present in the generated cases.
#[test]
fn folded_model_is_the_network_exactly_with_pythagorean_norms() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x0f01d);
    let mut features = Features::default();
    for case in 0..CASES {
        let network = pythagorean_network(&mut rng, &mut features);
        let folded = fold(&network).unwrap_or_else(|e| panic!("case {case}: {e}"));
        assert!(
            folded.dictionaries().is_some(),
            "case {case}: a norm is irrational: {:?} {network:?}",
            folded
                .layers
                .iter()
                .map(|l| (l.norms_squared.clone(), l.norms.is_some()))
                .collect::<Vec<_>>()
        );
        let x = random_signal(&mut rng, network.input_channels);
        let expected = forward(&network, &x).expect("runs");
        assert_eq!(
            folded_estimate(&folded, &x),
            expected,
            "case {case}: {network:?}"
        );
    }
    assert!(features.dead >= 20, "{features:?}");
    assert!(features.negative_scale_before >= 20, "{features:?}");
    assert!(
        features.norm_after >= 20 && features.pools >= 20,
        "{features:?}"
    );
    assert!(features.stride_two >= 50, "{features:?}");
    assert!(features.paddings.iter().all(|&n| n >= 50), "{features:?}");
    assert!(
        features.positive_biases >= 50 && features.negative_biases >= 50,
        "{features:?}"
    );
}

/// The chain of `ReLU(W_i ⋆ A + b_i)` layers the fold reads computes the network exactly, on
/// rational networks with overlapping pools and batch norms on both sides of the ReLU.
#[test]
fn relu_layers_compute_the_network_exactly() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x1a7e);
    let mut pools = 0;
    for case in 0..CASES {
        let network = random_network(&mut rng);
        pools += network
            .stages
            .iter()
            .filter(|s| matches!(s, Stage::AveragePool { kernel, stride } if kernel > stride))
            .count();
        let x = random_signal(&mut rng, network.input_channels);
        let mut chain = x.clone();
        for layer in relu_layers(&network).unwrap_or_else(|e| panic!("case {case}: {e}")) {
            let geometry = layer.geometry;
            chain = ConvolutionLayer::new(layer.weights, layer.biases)
                .expect("shapes")
                .with_stride_and_padding(geometry.stride, geometry.padding)
                .forward(&chain);
        }
        assert_eq!(chain, forward(&network, &x).expect("runs"), "case {case}");
    }
    assert!(pools >= 20, "only {pools} overlapping pools");
}

/// In `f64` the fold holds within `FOLDED_FORWARD_RELATIVE` of the largest output, on random
/// networks whose norms are irrational.
#[test]
fn folded_model_is_the_network_in_f64_within_tolerance() {
    let mut rng = ChaCha8Rng::seed_from_u64(0xf64);
    for case in 0..CASES {
        let network = network_to_f64(&random_network(&mut rng));
        let folded = fold(&network).unwrap_or_else(|e| panic!("case {case}: {e}"));
        let x = random_signal(&mut rng, network.input_channels).to_f64();
        let expected = forward(&network, &x).expect("runs");
        let estimate = folded_estimate(&folded, &x);
        let scale = expected.max_abs().max(1.0);
        for (a, b) in estimate.entries().iter().zip(expected.entries()) {
            assert!(
                (a - b).abs() <= FOLDED_FORWARD_RELATIVE * scale,
                "case {case}: {a} against {b}"
            );
        }
        assert_eq!(estimate.length(), expected.length(), "case {case}");
    }
}

/// The exact squared coherence, from the unnormalised chain, is `strided_coherence(F)²` of the
/// unit filters when the norms are rational, per channel and in all.
#[test]
fn exact_squared_coherence_is_that_of_the_unit_filters() {
    let mut rng = ChaCha8Rng::seed_from_u64(0xc0);
    let mut features = Features::default();
    let mut positive = 0;
    for case in 0..CASES {
        let folded = fold(&pythagorean_network(&mut rng, &mut features)).expect("folds");
        for layer in &folded.layers {
            let (unit, _) = layer.dictionary.as_ref().expect("rational norms");
            let mu = strided_coherence(unit);
            assert_eq!(layer.coherence_squared, mu.clone() * mu, "case {case}");
            let per_channel: Vec<Rational> = channel_coherence(unit)
                .into_iter()
                .map(|m| m.clone() * m)
                .collect();
            assert_eq!(layer.channel_coherence_squared, per_channel, "case {case}");
            positive += usize::from(layer.coherence_squared.is_positive());
        }
    }
    assert!(positive >= 100, "only {positive} layers with μ > 0");
}

/// With irrational norms the exact `μ²`, `ρ²` and `β²` match the `f64` fold's normalised
/// filters and thresholds within the tolerance; the sign of `β` is that of `−b`.
#[test]
fn exact_squares_match_the_f64_fold_when_the_norms_are_irrational() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5a);
    let mut irrational = 0;
    for case in 0..CASES {
        let network = random_network(&mut rng);
        let exact = fold(&network).expect("folds");
        let rounded = fold(&network_to_f64(&network)).expect("folds");
        irrational += usize::from(exact.dictionaries().is_none());
        for (e, f) in exact.layers.iter().zip(&rounded.layers) {
            let (unit, thresholds) = f.dictionary.as_ref().expect("f64 roots");
            let close = |a: &Rational, b: f64| {
                (a.to_f64() - b).abs() <= FOLDED_FORWARD_RELATIVE * b.abs().max(1.0)
            };
            let mu = strided_coherence(unit);
            assert!(close(&e.coherence_squared, mu * mu), "case {case}");
            for (c, beta) in thresholds.iter().enumerate() {
                assert!(close(&e.thresholds_squared[c], beta * beta), "case {case}");
                // The sign of `β`, exact; in `f64` a zero bias may round to either sign.
                if !e.thresholds_squared[c].is_zero() {
                    assert_eq!(Some(e.threshold_signs[c]), beta.partial_cmp(&0.0));
                }
                assert_eq!(e.threshold_signs[c], Rational::zero().cmp(&e.biases[c]));
            }
        }
    }
    assert!(
        irrational >= CASES as usize / 2,
        "only {irrational} irrational cases"
    );
}

/// A two-layer network of one-tap layers over `stride 1, circular`, biases 0.
fn one_tap_network(first: &[i64], second: &[&[i64]]) -> Network<Rational> {
    let convolution = |weights: Vec<Vec<Vec<Rational>>>| {
        let biases = vec![Rational::zero(); weights.len()];
        Stage::Convolution(Convolution::new(weights, biases).expect("shapes"))
    };
    let first = first.iter().map(|w| vec![vec![r(*w, 1)]]).collect();
    let second = second
        .iter()
        .map(|f| f.iter().map(|w| vec![r(*w, 1)]).collect())
        .collect();
    Network {
        input_channels: 1,
        stages: vec![
            convolution(first),
            Stage::Relu,
            convolution(second),
            Stage::Relu,
        ],
    }
}

/// The negative control (`proofs/folding.md`, F5): layer 1 has norms 1, 10 and a dead filter;
/// layer 2 alone, normalised on its own (what `inspect --npy` reports as
/// `layer-alone-coherence`), has `μ² = 35²/(27 · 51)`, smaller than the folded `(99/101)²`.
#[test]
fn folding_gives_another_coherence_than_normalising_a_layer_alone() {
    let network = one_tap_network(&[1, 10, 0], &[&[1, 1, 5], &[1, -1, 7]]);
    let folded = fold(&network).expect("folds");
    assert_eq!(folded.layers[0].dead, vec![2]);
    let folded_mu = &folded.layers[1].coherence_squared;
    assert_eq!(*folded_mu, r(99 * 99, 101 * 101));
    // Layer 2 alone: its own network over three input channels.
    let alone = Network {
        input_channels: 3,
        stages: network.stages[2..].to_vec(),
    };
    let alone_mu = fold(&alone).expect("folds").layers[0]
        .coherence_squared
        .clone();
    assert_eq!(alone_mu, r(35 * 35, 27 * 51));
    assert!(alone_mu < *folded_mu);
}

/// The message of a refused network, which must name every string of `names`.
fn refusal(network: &Network<Rational>, names: &[&str]) -> String {
    let message = match fold(network) {
        Err(error) => error.to_string(),
        Ok(_) => panic!("folded: {network:?}"),
    };
    for name in names {
        assert!(message.contains(name), "{message:?} does not name {name:?}");
    }
    message
}

/// A two-filter, one-input, two-tap convolution with biases `−1, 1` and `geometry`.
fn small_convolution(inputs: usize, padding: Padding) -> Stage<Rational> {
    let weights = vec![
        vec![vec![r(3, 5), r(4, 5)]; inputs],
        vec![vec![r(1, 1), r(-1, 2)]; inputs],
    ];
    Stage::Convolution(
        Convolution::new(weights, vec![r(-1, 1), r(1, 1)])
            .expect("shapes")
            .with_stride_and_padding(1, padding),
    )
}

/// Max pooling, residual blocks, a batch norm's shift or a pool before a layer that pads
/// zeros, an overlapping pool before a circular layer, a constant channel and stages after
/// the last ReLU are refused, each message naming the stage and the layer.
#[test]
fn refusals_name_the_stage_and_the_layer() {
    let zero = Padding::Zero { left: 1, right: 1 };
    let layer_one = || vec![small_convolution(1, Padding::Circular), Stage::Relu];
    let with = |middle: Vec<Stage<Rational>>, padding: Padding| {
        let mut stages = layer_one();
        stages.extend(middle);
        stages.extend([small_convolution(2, padding), Stage::Relu]);
        Network {
            input_channels: 1,
            stages,
        }
    };
    let pool = |kernel, stride| Stage::AveragePool { kernel, stride };
    let norm = |shift: i64| {
        Stage::BatchNorm(BatchNorm {
            scale: vec![r(2, 1), r(-1, 1)],
            shift: vec![r(shift, 1), r(0, 1)],
        })
    };
    let max = Stage::MaxPool {
        kernel: 2,
        stride: 2,
    };
    refusal(
        &with(vec![max], Padding::Valid),
        &["stage 3 (max pool, after layer 1)"],
    );
    let residual = Stage::Residual(layer_one());
    refusal(
        &with(vec![residual], Padding::Valid),
        &["stage 3 (residual block, after layer 1)"],
    );
    let shifted = refusal(
        &with(vec![norm(1)], zero),
        &["stage 3 (batch norm, after layer 1)"],
    );
    assert!(shifted.contains("bias of layer 2") && shifted.contains("zero padding (1, 1)"));
    refusal(
        &with(vec![pool(2, 2)], zero),
        &["stage 3 (average pool, after layer 1)", "before layer 2"],
    );
    refusal(
        &with(vec![pool(3, 2)], Padding::Circular),
        &["stage 3", "layer 2 (stride 1, circular"],
    );
    // Exact, so folded: a batch norm with no shift before zero padding, a pool before a valid
    // or (window ≤ step) circular layer.
    assert!(fold(&with(vec![norm(0)], zero)).is_ok());
    assert!(fold(&with(vec![pool(3, 2)], Padding::Valid)).is_ok());
    assert!(fold(&with(vec![pool(2, 2), norm(3)], Padding::Circular)).is_ok());
    // A zero filter with a positive bias is a constant channel.
    let constant = Network {
        input_channels: 1,
        stages: vec![
            Stage::Convolution(
                Convolution::new(
                    vec![vec![vec![r(0, 1)]], vec![vec![r(1, 1)]]],
                    vec![r(1, 2), r(0, 1)],
                )
                .expect("shapes"),
            ),
            Stage::Relu,
        ],
    };
    refusal(&constant, &["layer 1, filter 0", "1/2"]);
    // With a zero bias it is a dead channel, dropped, in both arithmetics (the `f64` zero is
    // no positive bias).
    let mut dead = constant.clone();
    if let Stage::Convolution(c) = &dead.stages[0] {
        let zero_bias = Convolution::new(c.weights().to_vec(), vec![r(0, 1), r(0, 1)]);
        dead.stages[0] = Stage::Convolution(zero_bias.expect("shapes"));
    }
    assert_eq!(fold(&dead).expect("folds").layers[0].dead, vec![0]);
    let rounded = fold(&network_to_f64(&dead)).expect("folds in f64");
    assert_eq!(rounded.layers[0].dead, vec![0]);
    let mut trailing = with(vec![], Padding::Valid);
    trailing.stages.push(pool(2, 2));
    refusal(
        &trailing,
        &["stage 5 (average pool, after layer 2)", "last ReLU"],
    );
    trailing.stages.truncate(3);
    refusal(&trailing, &["stage 3 (convolution, layer 2)", "ReLU"]);
    assert!(matches!(fold(&trailing), Err(FoldingError::Refused { .. })));
}
