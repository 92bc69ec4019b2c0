//! `mlcsc certify` (`proofs/certified_region.md`): the certified region checked against the
//! exact decision of Theorem 2 for real layers on codes drawn inside it, negative controls
//! just outside it, the exact conversion of a network's numbers, and the command on the
//! digits networks and on bad input.

use mlcsc::certify::figures::layer_figures;
use mlcsc::certify::network::exact_rational;
use mlcsc::generate::seed::case_rng;
use mlcsc::instance::Instance;
use mlcsc::model::{LayerVector, Model, Padding};
use mlcsc::scalar::Rational;
use mlcsc::theorems::statement::Statement;
use mlcsc::theorems::theorem2_real_layers::RealLayersTheorem2;
use mlcsc::theorems::verdict::Verdict;
use mlcsc::threshold::Threshold;
use mlcsc::thresholding::Thresholding;
use mlcsc_spec::certified_region::{
    CertifiedRegion, LayerFigures, LayerRegion, certified_region, stripes_per_window,
};
use mlcsc_spec::folding::{Convolution, FoldedNetwork, Network, Stage, fold};
use rand::RngExt;

use crate::common::cli::{fixture, run_in};
use crate::common::r;

/// The signal length of the test network: layer 1 has `⌊(41 + 2 − 3)/2⌋ + 1 = 21` code
/// positions, layer 2 `⌊(21 − 4)/3⌋ + 1 = 6`.
const SIGNAL_LENGTH: usize = 41;

/// A two-layer network whose fold is exact: layer 1 `W = (8, 4, 1)` (`ρ = 9`, `μ = 8/81` at
/// stride 2), bias `−9 · 3/10`, zero padding 1; layer 2 `W = (3, 0, 0, 4)` over the folded
/// layer 1 (`ρ = 45`, unit filter `(3/5, 0, 0, 4/5)`, `μ = 12/25` at stride 3), bias `−135`
/// (`β = 3`), valid padding. One nonzero per layer-2 stripe synthesises one nonzero per layer-1
/// stripe. The bands of the two layers admit a synthesised pair only for `ε_0` below about a
/// tenth of the certified `ε_0` (the region is a condition on each layer, not a promise that
/// codes linked by `Γ_1 = D_2 Γ_2` fill it).
fn test_network() -> Network<Rational> {
    let one = |w: &[i64]| vec![vec![w.iter().map(|&v| r(v, 1)).collect::<Vec<_>>()]];
    let first = Convolution::new(one(&[8, 4, 1]), vec![r(-27, 10)])
        .expect("shapes")
        .with_stride_and_padding(2, Padding::Zero { left: 1, right: 1 });
    let second = Convolution::new(one(&[3, 0, 0, 4]), vec![r(-135, 1)])
        .expect("shapes")
        .with_stride_and_padding(3, Padding::Valid);
    Network {
        input_channels: 1,
        stages: vec![
            Stage::Convolution(first),
            Stage::Relu,
            Stage::Convolution(second),
            Stage::Relu,
        ],
    }
}

/// The folded network's model and per-channel thresholds.
fn model_of(folded: &FoldedNetwork<Rational>) -> (Model<Rational>, Vec<Threshold<Rational>>) {
    let dictionaries = folded.dictionaries().expect("every ρ is rational");
    let (layers, thresholds): (Vec<_>, Vec<_>) = dictionaries
        .into_iter()
        .map(|(layer, beta)| (layer, Threshold::per_channel(beta)))
        .unzip();
    (
        Model::new(SIGNAL_LENGTH, 1, layers).expect("a valid model"),
        thresholds,
    )
}

/// A rational just inside `(low, high)` at fraction `u ∈ (0, 1)` of the way.
fn between(low: f64, high: f64, u: f64) -> Rational {
    exact_rational(low + (high - low) * u).expect("finite")
}

/// The instance with `Γ_2` of amplitudes `amplitudes` at `positions` and noise `noise`.
fn instance(
    folded: &FoldedNetwork<Rational>,
    positions: &[usize],
    amplitudes: &[Rational],
    noise: LayerVector<Rational>,
) -> Instance<Rational> {
    let (model, thresholds) = model_of(folded);
    let mut deepest = LayerVector::zeros(model.length(2), 1);
    for (&q, a) in positions.iter().zip(amplitudes) {
        deepest.set(q, 0, a.clone());
    }
    Instance {
        name: "certified".into(),
        source: "tests/all/certify.rs".into(),
        model,
        thresholding: Thresholding::Nonnegative,
        thresholds,
        deepest_representation: deepest,
        noise,
        noise_budget: None,
        last_patch_width: 4,
        last_patch_rows: 1,
    }
}

/// Noise with every entry of magnitude below `level / sqrt(3)`, so that its energy over each
/// 3-tap atom support of layer 1 is below `level²`; when `spike`, one entry is `level` itself
/// (energy at least `level²` over the supports holding it).
fn noise(rng: &mut impl rand::Rng, level: f64, spike: bool) -> LayerVector<Rational> {
    let mut e = LayerVector::zeros(SIGNAL_LENGTH, 1);
    for p in 0..SIGNAL_LENGTH {
        let u: f64 = rng.random_range(-1.0..1.0);
        e.set(
            p,
            0,
            exact_rational(0.999 * u * level / 3f64.sqrt()).expect("finite"),
        );
    }
    if spike {
        e.set(SIGNAL_LENGTH / 2, 0, exact_rational(level).expect("finite"));
    }
    e
}

/// The figures, the region, and the noise bound `ε_{i-1} ≤ slope ε_0 + offset` per layer.
fn certificate() -> (FoldedNetwork<Rational>, Vec<LayerFigures>, CertifiedRegion) {
    let folded = fold(&test_network()).expect("folds");
    let figures = layer_figures(&folded);
    let region = certified_region(&figures);
    (folded, figures, region)
}

/// Layer `i`'s band at `s = 1` at noise `epsilon_0`.
fn band_at(
    figures: &[LayerFigures],
    region: &CertifiedRegion,
    i: usize,
    epsilon_0: f64,
) -> (f64, f64) {
    let LayerRegion::Band(band) = &region.layers[i] else {
        panic!("layer {} has a band", i + 1)
    };
    let epsilon = band.epsilon_slope * epsilon_0 + band.epsilon_offset;
    let (low, high) = figures[i].band(1, epsilon).expect("non-empty below ε_0");
    (low, high.unwrap_or(f64::INFINITY))
}

/// Draws `Γ_2` (one nonzero per stripe, on positions whose layer-1 atoms are interior) with
/// amplitudes inside layer 2's band and whose synthesised `Γ_1 = (3/5, 4/5) A` lies inside
/// layer 1's band, at `epsilon_0`; `None` when the draw leaves the bands.
fn draw_code(
    rng: &mut impl rand::Rng,
    bands: [(f64, f64); 2],
) -> Option<(Vec<usize>, Vec<Rational>)> {
    let [(low_1, high_1), (low_2, high_2)] = bands;
    // Γ_1 holds 3A/5 and 4A/5: A > low_1 · 5/3 and A < high_1 · 5/4.
    let low = low_2.max(low_1 * 5.0 / 3.0);
    let high = high_2.min(high_1 * 5.0 / 4.0);
    if low >= high {
        return None;
    }
    let positions: Vec<usize> = match rng.random_range(0..3) {
        0 => vec![rng.random_range(1..=5)],
        1 => vec![1, 4],
        _ => vec![2, 5],
    };
    let amplitudes = positions
        .iter()
        .map(|_| between(low, high, rng.random_range(0.02..0.98)))
        .collect();
    Some((positions, amplitudes))
}

/// Codes and noise drawn inside the certified region meet the hypotheses of Theorem 2 for real
/// layers (nonnegative form), decided exactly, and the theorem holds on each.
#[test]
fn codes_inside_the_certified_region_meet_the_hypotheses_and_hold() {
    let (folded, figures, region) = certificate();
    let epsilon_0 = region.epsilon_0.expect("the test network is certified");
    let statement = RealLayersTheorem2::stated(Thresholding::Nonnegative);
    let mut decided = 0;
    for case in 0..120u64 {
        let mut rng = case_rng(4242, case);
        let level = epsilon_0 * rng.random_range(0.0..0.1);
        let bands = [
            band_at(&figures, &region, 0, level),
            band_at(&figures, &region, 1, level),
        ];
        let Some((positions, amplitudes)) = draw_code(&mut rng, bands) else {
            continue;
        };
        let instance = instance(
            &folded,
            &positions,
            &amplitudes,
            noise(&mut rng, level, false),
        );
        let verdict = statement.verdict(&instance);
        assert!(
            matches!(verdict, Verdict::Holds),
            "case {case}: noise {level}, amplitudes {amplitudes:?} at {positions:?}: {verdict:?}"
        );
        decided += 1;
    }
    assert!(
        decided >= 100,
        "only {decided} of 120 cases drawn inside the region"
    );
}

/// Negative control: noise just above the certified `ε_0` (the layer-1 band empties there) or
/// amplitudes above layer 1's band make the hypotheses fail.
#[test]
fn codes_just_outside_the_certified_region_fail_the_hypotheses() {
    let (folded, figures, region) = certificate();
    let epsilon_0 = region.epsilon_0.expect("the test network is certified");
    let statement = RealLayersTheorem2::stated(Thresholding::Nonnegative);
    let (mut failed, mut drawn) = (0, 0);
    for case in 0..60u64 {
        let mut rng = case_rng(4343, case);
        let above_noise = case % 2 == 0;
        let (positions, amplitudes, e) = if above_noise {
            let bands = [
                band_at(&figures, &region, 0, 0.0),
                band_at(&figures, &region, 1, 0.0),
            ];
            let (positions, amplitudes) = draw_code(&mut rng, bands).expect("non-empty");
            (
                positions,
                amplitudes,
                noise(&mut rng, 1.02 * epsilon_0, true),
            )
        } else {
            // Γ_1's largest entry 4A/5 above layer 1's upper limit at zero noise.
            let (_, high_1) = band_at(&figures, &region, 0, 0.0);
            let a = high_1 * 5.0 / 4.0 * rng.random_range(1.01..1.2);
            (
                vec![2],
                vec![exact_rational(a).expect("finite")],
                noise(&mut rng, 0.0, false),
            )
        };
        drawn += 1;
        if !statement
            .verdict(&instance(&folded, &positions, &amplitudes, e))
            .hypotheses_met()
        {
            failed += 1;
        }
    }
    assert!(
        failed * 10 >= drawn * 9,
        "only {failed} of {drawn} controls failed the hypotheses"
    );
}

/// The figures of the test network: `ρ`, `β`, `μ` as folded, `P_1(1) = ⌈4/3⌉ = 2`, and the
/// closed form of `ε_0` (the layer-1 ceiling `(β − μ β)/(1 + μ)` binds).
#[test]
fn test_network_figures_and_closed_form_epsilon() {
    let (_, figures, region) = certificate();
    let first = figures[0].channels[0];
    assert!((first.rho - 9.0).abs() < 1e-12 && (first.beta - 0.3).abs() < 1e-12);
    assert!((first.coherence - 8.0 / 81.0).abs() < 1e-12);
    assert!((figures[1].channels[0].coherence - 0.48).abs() < 1e-12);
    assert!((figures[1].channels[0].beta - 3.0).abs() < 1e-12);
    assert_eq!(figures[0].patch_bound(1), 2);
    let mu = 8.0 / 81.0;
    let expected = (0.3 - mu * 0.3) / (1.0 + mu);
    let epsilon_0 = region.epsilon_0.expect("certified");
    assert!(
        epsilon_0 < expected && epsilon_0 > expected * (1.0 - 1e-7),
        "{epsilon_0}"
    );
    // ε_1 ≤ sqrt(P_1(1)) (ε_0 + β_1), P_1(1) = ⌈4/3⌉ = 2; at K the declared window w_K = 4
    // is cyclic over a layer that is not: P_2(1) = ⌈4/3⌉ + 1 = 3.
    assert_eq!(figures[1].patch_bound(1), 3);
    let expected_k = 3f64.sqrt() * (2f64.sqrt() * (epsilon_0 + 0.3) + 3.0);
    let k = region.epsilon_k.expect("certified");
    assert!(
        k >= expected_k && k < expected_k * (1.0 + 1e-7),
        "{k} against {expected_k}"
    );
}

/// CR1: a window of `w` consecutive positions meets `⌈w/(2h + 1)⌉` stripes, one more when it
/// wraps around a signal whose stripes do not; checked against every placement of one
/// nonzero per stripe on short signals.
#[test]
fn stripes_cover_every_window() {
    for n in 1..=5usize {
        for stride in 1..=3usize {
            let width = 2 * ((n - 1) / stride) + 1;
            for w in 1..=8usize {
                // The densest one-per-stripe pattern: nonzeros `width` apart, from any phase.
                for phase in 0..width {
                    let length = 3 * w + width;
                    let ones: Vec<usize> = (phase..length).step_by(width).collect();
                    let linear = (0..=length - w)
                        .map(|start| {
                            ones.iter()
                                .filter(|&&p| p >= start && p < start + w)
                                .count()
                        })
                        .max()
                        .unwrap_or(0);
                    assert!(
                        linear <= stripes_per_window(n, stride, w, false),
                        "n {n} σ {stride} w {w}"
                    );
                    let wrapped = (0..length)
                        .map(|start| {
                            ones.iter()
                                .filter(|&&p| (p + length - start) % length < w)
                                .count()
                        })
                        .max()
                        .unwrap_or(0);
                    assert!(
                        wrapped <= stripes_per_window(n, stride, w, true),
                        "wrapped: n {n} σ {stride} w {w}"
                    );
                }
            }
        }
    }
}

/// CR3: the band only narrows as `s` grows, and the largest `s` is the last non-empty one:
/// with `β = 0.3`, `μ = 8/81` and `ε = 0`, `β/(1 − (s − 1)μ) < β/(s μ)` holds up to `s = 5`
/// (`0.496 < 0.608`) and fails at `s = 6` (`0.593 > 0.506`); a stripe of the test network's
/// layer 1 holds only `m (2h + 1) = 3` atoms, where the search stops.
#[test]
fn band_narrows_as_stripe_sparsity_grows() {
    let (_, figures, _) = certificate();
    assert_eq!(figures[0].stripe_atoms(), 3);
    assert_eq!(figures[0].largest_stripe_sparsity(0.0), 3);
    let wide = LayerFigures {
        filter_length: 11,
        stride: 1,
        ..figures[0].clone()
    };
    assert_eq!(wide.stripe_atoms(), 21);
    assert_eq!(wide.largest_stripe_sparsity(0.0), 5);
    for s in 1..=wide.stripe_atoms() {
        assert_eq!(wide.band(s, 0.0).is_some(), s <= 5, "s = {s}");
    }
}

/// Every weight of a float32 or float64 network converts to the rational it is.
#[test]
fn network_numbers_convert_exactly() {
    for value in [0.1f32 as f64, -1.0e-30, 3.5, f64::from(f32::MAX), 0.1] {
        let exact = exact_rational(value).expect("finite");
        assert_eq!(mlcsc::scalar::Scalar::to_f64(&exact), value);
    }
    assert_eq!(exact_rational(0.375).unwrap(), r(3, 8));
    assert!(exact_rational(f64::NAN).is_err());
}

/// The constrained digits network: exact fold, every layer-1 channel applicable, one zero
/// bias in layer 2, and the region empty at layer 1 because of the coherence.
#[test]
fn certify_reads_the_constrained_digits_network() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let args = digits_args("constrained");
    let json_flag = [std::ffi::OsString::from("--json")];
    let json = crate::common::cli::json_in(folder.path(), args.iter().chain(&json_flag));
    assert_eq!(json["exact"], true);
    assert_eq!(json["layers"][0]["applicable-channels"], 16);
    assert_eq!(json["layers"][1]["applicable-channels"], 15);
    let reason = json["layers"][1]["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|c| c["reason"].as_str())
        .expect("a reason");
    assert!(reason.starts_with("zero bias"), "{reason}");
    assert_eq!(json["region"]["empty"], true);
    let why = json["region"]["reason"].as_str().unwrap();
    assert!(
        why.starts_with("layer 1: no amplitude at one nonzero per stripe: channel 0"),
        "{why}"
    );
    assert!(json["region"]["epsilon-0"].is_null());
}

/// The unconstrained digits network: positive biases, named, make the region empty.
#[test]
fn certify_names_positive_biases_of_the_unconstrained_network() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let output = run_in(folder.path(), digits_args("unconstrained"));
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("8/16"), "{text}");
    assert!(
        text.contains("8 positive bias (first: channel 4)"),
        "{text}"
    );
    assert!(
        text.contains("certified region: empty (layer 1: channel 4 (and 7 more): positive bias"),
        "{text}"
    );
}

/// The JSON keys of the report, and `--out` writing `certify.json` and `certify.svg` into a
/// new folder, refusing a folder that is not empty.
#[test]
fn certify_json_keys_and_out_folder() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut args = digits_args("constrained");
    args.extend(["--out".into(), "certificate".into()]);
    let output = run_in(folder.path(), &args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(folder.path().join("certificate/certify.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&written).unwrap();
    for key in ["format", "exact", "decided-by", "layers", "region"] {
        assert!(json.get(key).is_some(), "{key}");
    }
    for key in [
        "coherence",
        "welch-bound",
        "channels",
        "applicable-channels",
    ] {
        assert!(json["layers"][0].get(key).is_some(), "{key}");
    }
    for key in ["rho", "beta", "coherence", "applicable"] {
        assert!(json["layers"][0]["channels"][0].get(key).is_some(), "{key}");
    }
    for key in ["epsilon-0", "epsilon-k", "layers", "empty", "reason"] {
        assert!(json["region"].get(key).is_some(), "{key}");
    }
    for key in ["amplitude-band", "largest-stripe-sparsity", "empty"] {
        assert!(json["region"]["layers"][0].get(key).is_some(), "{key}");
    }
    assert!(
        json["decided-by"]
            .as_str()
            .unwrap()
            .starts_with("f64 with a relative margin of")
    );
    let svg = std::fs::read_to_string(folder.path().join("certificate/certify.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    let again = run_in(folder.path(), &args);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not an empty folder"));
}

/// A manifest naming a tensor the weights lack, and a manifest of the wrong format: exit 2,
/// naming the tensor and the field.
#[test]
fn certify_refuses_a_missing_tensor_and_a_bad_manifest() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let manifest = std::fs::read_to_string(fixture("networks/digits-constrained.json")).unwrap();
    let missing = manifest.replace("conv2.weight", "conv3.weight");
    std::fs::write(folder.path().join("missing.json"), missing).unwrap();
    let bad = manifest.replace("mlcsc-network-1", "mlcsc-network-9");
    std::fs::write(folder.path().join("bad.json"), bad).unwrap();
    let weights = fixture("networks/digits-constrained.safetensors");
    for (name, expected) in [
        ("missing.json", "conv3.weight"),
        ("bad.json", "mlcsc-network-9"),
    ] {
        let args: Vec<std::ffi::OsString> = vec![
            "certify".into(),
            "--weights".into(),
            weights.clone().into(),
            "--manifest".into(),
            name.into(),
        ];
        let output = run_in(folder.path(), &args);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
}

/// `certify --weights … --manifest …` for a digits network.
pub(crate) fn digits_args(which: &str) -> Vec<std::ffi::OsString> {
    vec![
        "certify".into(),
        "--weights".into(),
        fixture(&format!("networks/digits-{which}.safetensors")).into(),
        "--manifest".into(),
        fixture(&format!("networks/digits-{which}.json")).into(),
    ]
}

/// CR2: at one nonzero per stripe the band is non-empty exactly when `ε` is below the noise
/// ceiling `min_c (β_c − μ_c max β)/(1 + μ_c)`, on random figures (away from the margin).
#[test]
fn band_is_non_empty_exactly_below_the_noise_ceiling() {
    use mlcsc_spec::certified_region::ChannelFigures;
    let mut compared = 0;
    for case in 0..400u64 {
        let mut rng = case_rng(4444, case);
        let channels = (0..rng.random_range(1..=4usize))
            .map(|channel| ChannelFigures {
                channel,
                rho: 1.0,
                beta: rng.random_range(0.01..1.0),
                coherence: if rng.random_bool(0.2) {
                    0.0
                } else {
                    rng.random_range(0.0..0.9)
                },
            })
            .collect();
        let layer = LayerFigures {
            layer: 1,
            channels,
            filter_length: 3,
            stride: 1,
            window: 3,
            window_wraps: false,
        };
        let ceiling = layer.noise_ceiling();
        let epsilon: f64 = rng.random_range(0.0..0.5);
        if (epsilon - ceiling).abs() < 1e-6 {
            continue;
        }
        assert_eq!(
            layer.band(1, epsilon).is_some(),
            epsilon < ceiling,
            "case {case}: ε {epsilon}, ceiling {ceiling}, {layer:?}"
        );
        compared += 1;
    }
    assert!(compared >= 390, "{compared}");
}

/// A batch norm makes the fold `f64` and the report says `exact: false`; the same network
/// without it is exact.
#[test]
fn batch_norm_makes_the_fold_inexact() {
    use mlcsc::io::network::{BatchNorm, NetworkFile, NetworkLayer};
    let layer = NetworkLayer {
        shape: [2, 1, 3],
        weight: vec![0.5, 0.25, 0.125, -0.5, 1.0, 0.75],
        bias: Some(vec![-0.5, -0.25]),
        stride: 1,
        padding: Padding::Zero { left: 1, right: 1 },
        batch_norm: None,
        average_pool: None,
    };
    let plain = NetworkFile {
        input_channels: 1,
        input_shape: None,
        layers: vec![layer.clone()],
    };
    let report = mlcsc::certify::certify(&plain).expect("folds");
    assert!(report.exact);
    let normed = NetworkFile {
        layers: vec![NetworkLayer {
            batch_norm: Some(BatchNorm {
                weight: vec![1.0, 2.0],
                bias: vec![-0.1, -0.2],
                running_mean: vec![0.0, 0.5],
                running_var: vec![2.0, 1.0],
                eps: 1e-5,
                after_activation: false,
            }),
            ..layer
        }],
        ..plain
    };
    let report = mlcsc::certify::certify(&normed).expect("folds");
    assert!(!report.exact);
    assert_eq!(report.layers[0].channels.len(), 2);
}
