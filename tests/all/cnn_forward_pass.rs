//! The CNN forward pass is layered thresholding (docs/math.md §4; proofs/cnn_forward_pass.md).
//!
//! An independently written convolution layer (`mlcsc::pursuit::cnn`: weights
//! `[out][in][kernel]`, circular padding, bias, ReLU) with weights equal to the filters and
//! biases `-β_i` is run against layered nonnegative soft thresholding
//! (`mlcsc::pursuit::layered_thresholding`): exactly in rationals, and within a stated bound
//! derived from the unit roundoff in `f64`. The splitting lemma (soft thresholding is a ReLU
//! layer on the doubled bank `[D, -D]` followed by a difference) is checked exactly. Cases are
//! seeded; `PROPTEST_CASES` raises their number.

use mlcsc::generate::random::{
    FilterDraw, LayerShape, ModelFilters, random_layer, random_model,
    random_representation_within_budget,
};
use mlcsc::io::number::rational_to_text;
use mlcsc::norms::stripe_sparsity;
use mlcsc::operators::{analysis, synthesis};
use mlcsc::pursuit::cnn::{
    ConvolutionLayer, ConvolutionShapeError, cnn_forward, difference_of_halves,
    doubled_filter_bank, run_network, soft_thresholding_as_relu_network,
    soft_thresholding_by_split, split_representation,
};
use mlcsc::pursuit::{Thresholding, layered_thresholding};
use mlcsc::tolerance::{BOUND_EVALUATION_SLACK, higham_gamma};
use mlcsc::{LayerVector, Model, Rational, Scalar, Threshold};
use num_bigint::BigInt;
use num_traits::{Signed, Zero};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn r(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

/// The number of seeded cases: `default`, or `PROPTEST_CASES` when set.
fn case_count(default: usize) -> usize {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A random exact instance: a model of depth 1 to 3, a signal `Y = X + E` with `X` from a
/// nonnegative sparse `Γ_K`, and thresholds `β_i ∈ [0, 1/4]`.
fn random_instance(
    seed: u64,
) -> (
    Model<Rational>,
    LayerVector<Rational>,
    Vec<Threshold<Rational>>,
) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let shape = crate::common::random_model_shape(&mut rng, 1..=3, 5);
    let depth = shape.layers.len();
    let (length, input_channels) = (shape.signal_length, shape.input_channels);
    let draw = FilterDraw::PoleLast { denominator: 4 };
    let model = random_model(&mut rng, &shape, ModelFilters::Each(draw));
    let LayerShape {
        filter_length: n,
        filter_count: m,
    } = shape.layers[depth - 1];
    let deepest = random_representation_within_budget(&mut rng, length, m, n, 2, 0.8, 2, true);
    let clean = model.synthesis_chain(&deepest).unwrap().remove(0);
    let noise_entries = (0..length * input_channels)
        .map(|_| r(rng.random_range(-3..=3), 20))
        .collect();
    let noise = LayerVector::from_entries(length, input_channels, noise_entries).unwrap();
    let thresholds = (0..depth)
        .map(|_| Threshold::Shared(r(rng.random_range(0..=5), 20)))
        .collect();
    (model, clean.sum(&noise), thresholds)
}

#[test]
fn convolution_layer_matches_a_hand_computed_example() {
    // out[p] = ReLU(-1 + 1·x[p] + 2·x[p+1 mod 3]) for x = (1, 0, 3): (0, 5, 4).
    let layer = ConvolutionLayer::new(vec![vec![vec![r(1, 1), r(2, 1)]]], vec![r(-1, 1)]).unwrap();
    let input = LayerVector::from_entries(3, 1, vec![r(1, 1), r(0, 1), r(3, 1)]).unwrap();
    let output = layer.forward(&input);
    assert_eq!(output.entries(), &[r(0, 1), r(5, 1), r(4, 1)]);
    let pre = layer.pre_activation(&input);
    assert_eq!(pre.entries(), &[r(0, 1), r(5, 1), r(4, 1)]);
    let negative = ConvolutionLayer::new(vec![vec![vec![r(-1, 1)]]], vec![r(0, 1)]).unwrap();
    assert_eq!(
        negative.forward(&input).entries(),
        &[r(0, 1), r(0, 1), r(0, 1)]
    );
}

#[test]
fn convolution_layer_rejects_malformed_weights() {
    let ragged = vec![vec![vec![r(1, 1), r(0, 1)]], vec![vec![r(1, 1)]]];
    assert!(matches!(
        ConvolutionLayer::new(ragged, vec![r(0, 1), r(0, 1)]),
        Err(ConvolutionShapeError::Ragged { out_channel: 1, .. })
    ));
    assert!(matches!(
        ConvolutionLayer::new(vec![vec![vec![r(1, 1)]]], vec![]),
        Err(ConvolutionShapeError::BiasCount {
            biases: 0,
            out_channels: 1
        })
    ));
    assert!(matches!(
        ConvolutionLayer::<Rational>::new(vec![], vec![]),
        Err(ConvolutionShapeError::Empty { .. })
    ));
}

#[test]
fn weights_are_the_filters_with_the_last_two_axes_transposed() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let draw = FilterDraw::PoleLast { denominator: 4 };
    let layer = random_layer(&mut rng, 1, LayerShape::new(2, 3), 2, draw);
    let beta = r(1, 7);
    let convolution =
        ConvolutionLayer::from_dictionary_layer(&layer, &Threshold::Shared(beta.clone()));
    assert_eq!(
        (
            convolution.out_channels(),
            convolution.in_channels(),
            convolution.kernel_size()
        ),
        (3, 2, 2)
    );
    for c in 0..3 {
        for input in 0..2 {
            for t in 0..2 {
                assert_eq!(&convolution.weights()[c][input][t], layer.tap(c, t, input));
            }
        }
        assert_eq!(convolution.biases()[c], -beta.clone());
    }
}

#[test]
fn cnn_forward_pass_equals_layered_nonnegative_soft_thresholding_exactly() {
    let cases = case_count(80);
    let mut nontrivial = 0;
    let mut entries = 0;
    for seed in 0..cases as u64 {
        let (model, signal, thresholds) = random_instance(seed);
        let cnn = cnn_forward(&model, &signal, &thresholds);
        let pursuit = layered_thresholding(&model, &signal, &thresholds, Thresholding::Nonnegative);
        assert_eq!(cnn, pursuit, "seed {seed}: the CNN and the pursuit differ");
        entries += cnn.iter().map(|g| g.entries().len()).sum::<usize>();
        nontrivial += usize::from(cnn.iter().all(|g| g.count_nonzeros() > 0));
    }
    println!(
        "{cases} exact cases, {entries} entries compared, {nontrivial} with every layer nonzero"
    );
    assert!(
        nontrivial * 2 >= cases,
        "too few nontrivial cases: {nontrivial} of {cases}"
    );
}

/// The entrywise bound `δ_i` on `|CNN_i - pursuit_i|` in `f64`, layer by layer.
///
/// Both paths compute, for each output entry, `ReLU(Σ_{j=1}^{L} w_j x_j - β)` with
/// `L = n_i m_{i-1}`: the CNN as a sum of `L + 1` terms started from the bias, the pursuit as a
/// dot product of length `L` followed by the subtraction of `β`. Either is a floating-point sum
/// of `L + 1` terms (`L` rounded products and the exact `β`), hence within
/// `γ_{L+1} (Σ|w_j||x_j| + β)` of the exact value on its own input; ReLU is 1-Lipschitz and
/// exact. With inputs that differ by at most `δ_{i-1}` entrywise, the exact values differ by at
/// most `‖f‖_1 δ_{i-1}`, so
/// `δ_i = F_i δ_{i-1} + γ_{L+1} (F_i ‖a‖_∞ + β + F_i ‖b‖_∞ + β)`, with `F_i = max_c ‖f_c‖_1`
/// and `a`, `b` the two inputs of layer `i`.
fn agreement_bounds(
    model: &Model<f64>,
    signal: &LayerVector<f64>,
    thresholds: &[Threshold<f64>],
    cnn: &[LayerVector<f64>],
    pursuit: &[LayerVector<f64>],
) -> Vec<f64> {
    let mut delta = 0.0;
    let mut bounds = Vec::new();
    for (i, (layer, beta)) in model.layers().iter().zip(thresholds).enumerate() {
        let length = layer.filter_length() * layer.input_channels();
        let l1 = (0..layer.filter_count())
            .map(|c| layer.filter(c).iter().map(|v| v.abs()).sum::<f64>())
            .fold(0.0, f64::max);
        let (a, b) = if i == 0 {
            (signal, signal)
        } else {
            (&cnn[i - 1], &pursuit[i - 1])
        };
        let beta = beta.values().iter().copied().fold(0.0, f64::max);
        let sums = l1 * a.max_abs() + beta + l1 * b.max_abs() + beta;
        delta = (l1 * delta + higham_gamma(length + 1) * sums) * BOUND_EVALUATION_SLACK;
        bounds.push(delta);
    }
    bounds
}

#[test]
fn cnn_forward_pass_equals_layered_nonnegative_soft_thresholding_within_the_roundoff_bound() {
    let cases = case_count(80);
    let mut entries = 0;
    let mut differing = 0;
    let mut worst_ratio = 0.0f64;
    for seed in 0..cases as u64 {
        let (model, signal, thresholds) = random_instance(seed);
        let model = model.map(|v| v.to_f64());
        let signal = signal.to_f64();
        let thresholds: Vec<Threshold<f64>> =
            (thresholds.iter()).map(|t| t.map(|v| v.to_f64())).collect();
        let cnn = cnn_forward(&model, &signal, &thresholds);
        let pursuit = layered_thresholding(&model, &signal, &thresholds, Thresholding::Nonnegative);
        let bounds = agreement_bounds(&model, &signal, &thresholds, &cnn, &pursuit);
        for (i, ((a, b), bound)) in cnn.iter().zip(&pursuit).zip(&bounds).enumerate() {
            for (x, y) in a.entries().iter().zip(b.entries()) {
                let difference = (x - y).abs();
                assert!(
                    difference <= *bound,
                    "seed {seed}, layer {}: |{x} - {y}| = {difference:e} > {bound:e}",
                    i + 1
                );
                entries += 1;
                if difference > 0.0 {
                    differing += 1;
                    worst_ratio = worst_ratio.max(difference / bound);
                }
            }
        }
    }
    println!(
        "{cases} f64 cases, {entries} entries: {differing} differ in the last bits, the largest at {worst_ratio:.3} of the bound"
    );
    assert!(entries >= 1000, "too few entries compared: {entries}");
}

#[test]
fn negative_control_a_flipped_kernel_or_a_positive_bias_breaks_the_equality() {
    // Convolution instead of cross-correlation, or bias +β instead of -β, must differ from the
    // pursuit on some case: the equality test has teeth.
    let cases = case_count(80);
    let mut flipped_differs = 0;
    let mut bias_differs = 0;
    for seed in 0..cases as u64 {
        let (model, signal, thresholds) = random_instance(seed);
        let layer = model.layer(1);
        let pursuit = layered_thresholding(&model, &signal, &thresholds, Thresholding::Nonnegative);
        let correct = ConvolutionLayer::from_dictionary_layer(layer, &thresholds[0]);
        let flipped_weights = correct
            .weights()
            .iter()
            .map(|per_input| {
                per_input
                    .iter()
                    .map(|k| k.iter().rev().cloned().collect())
                    .collect()
            })
            .collect();
        let flipped = ConvolutionLayer::new(flipped_weights, correct.biases().to_vec()).unwrap();
        flipped_differs += usize::from(flipped.forward(&signal) != pursuit[0]);
        let positive = ConvolutionLayer::new(
            correct.weights().to_vec(),
            correct.biases().iter().map(|b| -b.clone()).collect(),
        )
        .unwrap();
        bias_differs += usize::from(positive.forward(&signal) != pursuit[0]);
    }
    println!(
        "flipped kernels differ in {flipped_differs} of {cases}, positive biases in {bias_differs}"
    );
    assert!(
        flipped_differs >= cases / 4,
        "the flipped kernel was caught too rarely"
    );
    assert!(
        bias_differs >= cases / 4,
        "the positive bias was caught too rarely"
    );
}

#[test]
fn lemma_soft_thresholding_is_relu_on_the_doubled_bank_minus_its_mirror() {
    let cases = case_count(80);
    let mut both_signs = 0;
    for seed in 0..cases as u64 {
        let (model, signal, thresholds) = random_instance(seed);
        let layer = model.layer(1);
        let expected = thresholds[0].apply(Thresholding::Soft, &analysis(layer, &signal));
        let (activation, difference) = soft_thresholding_by_split(layer, &signal, &thresholds[0]);
        assert_eq!(difference, expected, "seed {seed}");
        assert!(activation.entries().iter().all(|v| !v.is_negative()));
        let positive = expected.entries().iter().any(|v| v.is_positive());
        let negative = expected.entries().iter().any(|v| v.is_negative());
        both_signs += usize::from(positive && negative);
    }
    println!("{cases} cases, {both_signs} with both signs in S_β(Dᵀ Y)");
    assert!(
        both_signs * 3 >= cases,
        "too few cases exercise both halves: {both_signs}"
    );
}

#[test]
fn lemma_the_split_leaves_the_stripe_norm_unchanged() {
    let cases = case_count(80);
    let mut nonzero = 0;
    for seed in 0..cases as u64 {
        let (model, signal, thresholds) = random_instance(seed);
        let layer = model.layer(1);
        let n = layer.filter_length();
        // Analysis direction: [S⁺(z), S⁺(-z)] has the nonzeros of S(z), position by position.
        let (activation, difference) = soft_thresholding_by_split(layer, &signal, &thresholds[0]);
        assert_eq!(
            stripe_sparsity(&activation, n),
            stripe_sparsity(&difference, n),
            "seed {seed}"
        );
        for p in 0..signal.length() {
            let count = |v: &LayerVector<Rational>| {
                v.at_position(p).iter().filter(|x| !x.is_zero()).count()
            };
            assert_eq!(count(&activation), count(&difference));
        }
        // Synthesis direction: Γ = Γ⁺ - Γ⁻ over [D, -D] gives the same signal and stripe norm.
        let gamma = Thresholding::Soft.apply_vector(&analysis(layer, &signal), &r(0, 1));
        let split = split_representation(&gamma);
        assert!(split.entries().iter().all(|v| !v.is_negative()));
        assert_eq!(
            synthesis(&doubled_filter_bank(layer), &split),
            synthesis(layer, &gamma)
        );
        assert_eq!(stripe_sparsity(&split, n), stripe_sparsity(&gamma, n));
        assert_eq!(difference_of_halves(&split), gamma);
        nonzero += usize::from(difference.count_nonzeros() > 0);
    }
    println!("{cases} cases, {nonzero} with a nonzero soft-thresholded layer");
    assert!(nonzero * 2 >= cases, "too few nonzero cases: {nonzero}");
}

#[test]
fn layered_soft_thresholding_is_a_relu_network_on_doubled_banks() {
    let cases = case_count(80);
    let mut deep = 0;
    for seed in 0..cases as u64 {
        let (model, signal, thresholds) = random_instance(seed);
        let network = soft_thresholding_as_relu_network(&model, &thresholds);
        let activations = run_network(&network, &signal);
        let pursuit = layered_thresholding(&model, &signal, &thresholds, Thresholding::Soft);
        for (i, (activation, estimate)) in activations.iter().zip(&pursuit).enumerate() {
            assert_eq!(
                &difference_of_halves(activation),
                estimate,
                "seed {seed}, layer {}",
                i + 1
            );
        }
        deep += usize::from(model.depth() >= 2 && pursuit.iter().all(|g| g.count_nonzeros() > 0));
    }
    println!("{cases} cases, {deep} with at least two layers all nonzero");
    assert!(deep * 4 >= cases, "too few deep nontrivial cases: {deep}");
}

#[test]
fn cnn_forward_pass_of_a_reference_instance() {
    let (model, signal, thresholds) = random_instance(2024);
    let cnn = cnn_forward(&model, &signal, &thresholds);
    let layers: Vec<Vec<Vec<String>>> = cnn
        .iter()
        .map(|g| {
            (0..g.length())
                .map(|p| g.at_position(p).iter().map(rational_to_text).collect())
                .collect()
        })
        .collect();
    let summary = serde_json::json!({
        "signal_length": model.signal_length(),
        "thresholds": thresholds.iter().map(|t| rational_to_text(t.shared().unwrap())).collect::<Vec<_>>(),
        "layers": layers,
    });
    insta::with_settings!({snapshot_path => "../../fixtures/snapshots"}, {
        insta::assert_snapshot!("cnn_reference_forward_pass", serde_json::to_string_pretty(&summary).unwrap());
    });
}

/// The registered entry `cnn-forward-pass` holds on every case its generator draws (Theorem 2's
/// designed nonnegative instances, noisy and noise-free, of depth up to 4).
#[test]
fn the_registered_forward_pass_entry_holds_on_its_generated_cases() {
    let entry = mlcsc::conjecture::find("cnn-forward-pass").expect("registered");
    for case in 0..case_count(40) as u64 {
        let instance = entry.generate(&mut mlcsc::generate::seed::case_rng(2017, case));
        let outcome = entry.check(&instance);
        assert_eq!(
            outcome.verdict,
            mlcsc::theorems::verdict::Verdict::Holds,
            "case {case}"
        );
    }
}
