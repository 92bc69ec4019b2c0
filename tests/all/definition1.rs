//! Definition 1 as exact predicates: `DCP_λ` and `DCP^E_λ` (docs/math.md §5).
//!
//! Generated true decompositions (`Γ_{i-1} = D_i Γ_i` by construction, `λ_i ≥ ‖Γ_i‖^S_{0,∞}`)
//! must be feasible, including at the exact boundary (`λ_i = ‖Γ_i‖^S_{0,∞}`,
//! `E_0² = ‖E‖²`); perturbed ones must not be, and the verdict must name the failed constraint,
//! its layer and the two numbers compared, exactly.

use mlcsc::generate::random::{
    FilterDraw, LayerShape, ModelFilters, random_model, random_representation_within_budget,
};
use mlcsc::io::number::rational_to_text;
use mlcsc::norms::stripe_sparsity;
use mlcsc::small_rational::SmallRational;
use mlcsc::theorems::definition1::{
    DcpConstraint, DcpInputError, DcpVerdict, deep_coding_problem, noisy_deep_coding_problem,
};
use mlcsc::{LayerVector, Model, Rational};
use num_bigint::BigInt;
use num_traits::Zero;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn r(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

/// A random exact model of two or three layers with a true decomposition `[X, Γ_1, …, Γ_K]`.
fn random_decomposition(seed: u64) -> (Model<Rational>, Vec<LayerVector<Rational>>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let shape = crate::common::random_model_shape(&mut rng, 2..=3, 4);
    let depth = shape.layers.len();
    let length = shape.signal_length;
    let draw = FilterDraw::PoleLast { denominator: 3 };
    let model = random_model(&mut rng, &shape, ModelFilters::Each(draw));
    let LayerShape {
        filter_length: n,
        filter_count: m,
    } = shape.layers[depth - 1];
    let budget = rng.random_range(1..=2);
    let mut deepest =
        random_representation_within_budget(&mut rng, length, m, n, budget, 0.8, 3, false);
    if deepest.count_nonzeros() == 0 {
        deepest.set(0, 0, r(1, 1));
    }
    let chain = model.synthesis_chain(&deepest).unwrap();
    (model, chain)
}

fn stripe_budgets(model: &Model<Rational>, chain: &[LayerVector<Rational>]) -> Vec<usize> {
    (1..=model.depth())
        .map(|i| stripe_sparsity(&chain[i], model.layer(i).filter_length()))
        .collect()
}

#[test]
fn generated_true_decompositions_satisfy_dcp_at_the_exact_budget() {
    let mut met = 0;
    for seed in 0..60 {
        let (model, chain) = random_decomposition(seed);
        let lambda = stripe_budgets(&model, &chain);
        let verdict = deep_coding_problem(&model, &chain[0], &chain[1..], &lambda).unwrap();
        assert_eq!(verdict, DcpVerdict::Feasible, "seed {seed}");
        let looser: Vec<usize> = lambda.iter().map(|l| l + 1).collect();
        assert!(
            deep_coding_problem(&model, &chain[0], &chain[1..], &looser)
                .unwrap()
                .is_feasible()
        );
        met += usize::from(chain[1..].iter().all(|g| g.count_nonzeros() > 0));
    }
    println!("true decompositions with every layer nonzero: {met} of 60");
    assert!(met >= 50, "too few nonzero decompositions: {met}");
}

#[test]
fn perturbed_decompositions_violate_dcp_and_the_verdict_names_the_constraint() {
    let mut perturbed = 0;
    let mut tightened = 0;
    for seed in 0..60 {
        let (model, chain) = random_decomposition(seed);
        let depth = model.depth();
        let lambda = stripe_budgets(&model, &chain);
        let mut rng = ChaCha8Rng::seed_from_u64(10_000 + seed);
        // Move one entry of Γ_i by δ: the residuals of layers i and i + 1 become exactly δ².
        let i = rng.random_range(1..=depth);
        let Some((p, c, value)) = chain[i].support().next().map(|(p, c, v)| (p, c, v.clone()))
        else {
            continue;
        };
        let delta = r(1, 7);
        let mut candidate = chain[1..].to_vec();
        candidate[i - 1].set(p, c, value + &delta);
        let verdict = deep_coding_problem(&model, &chain[0], &candidate, &lambda).unwrap();
        let violations = verdict.violations();
        let expected_layers: Vec<usize> = if i < depth { vec![i, i + 1] } else { vec![i] };
        let found_layers: Vec<usize> = violations.iter().map(|v| v.layer).collect();
        assert_eq!(found_layers, expected_layers, "seed {seed}: {violations:?}");
        for violation in violations {
            assert_eq!(violation.constraint, DcpConstraint::Reconstruction);
            assert_eq!(
                violation.found,
                &delta * &delta,
                "seed {seed}: ‖residual‖² = δ²"
            );
            assert!(violation.allowed.is_zero());
        }
        let (q, channel) = violations.last().unwrap().location;
        if i < depth {
            assert_eq!(
                (q, channel),
                (p, c),
                "the residual of layer i + 1 is δ at the moved entry"
            );
        }
        perturbed += 1;
        // λ_i one below the stripe sparsity.
        let j = rng.random_range(1..=depth);
        if lambda[j - 1] > 0 {
            let mut tight = lambda.clone();
            tight[j - 1] -= 1;
            let verdict = deep_coding_problem(&model, &chain[0], &chain[1..], &tight).unwrap();
            let violations = verdict.violations();
            assert_eq!(violations.len(), 1, "seed {seed}: {violations:?}");
            assert_eq!(violations[0].constraint, DcpConstraint::StripeSparsity);
            assert_eq!(violations[0].layer, j);
            assert_eq!(violations[0].found, r(lambda[j - 1] as i64, 1));
            assert_eq!(violations[0].allowed, r(tight[j - 1] as i64, 1));
            tightened += 1;
        }
    }
    println!("perturbed: {perturbed} moved entries, {tightened} tightened budgets");
    assert!(perturbed >= 50 && tightened >= 50, "too few perturbations");
}

/// A random rational noise vector of the input's shape.
fn random_noise(seed: u64, length: usize, channels: usize) -> LayerVector<Rational> {
    let mut rng = ChaCha8Rng::seed_from_u64(20_000 + seed);
    let entries = (0..length * channels)
        .map(|_| r(rng.random_range(-5..=5), 100))
        .collect();
    LayerVector::from_entries(length, channels, entries).unwrap()
}

#[test]
fn noisy_decompositions_satisfy_dcp_noisy_exactly_at_the_noise_energy() {
    let mut met = 0;
    for seed in 0..60 {
        let (model, chain) = random_decomposition(seed);
        let lambda = stripe_budgets(&model, &chain);
        let noise = random_noise(seed, model.signal_length(), model.input_channels());
        let energy = noise.inner_product(&noise);
        if energy.is_zero() {
            continue;
        }
        let signal = chain[0].sum(&noise);
        let mut budgets = vec![Rational::zero(); model.depth()];
        budgets[0] = energy.clone();
        let verdict =
            noisy_deep_coding_problem(&model, &signal, &chain[1..], &lambda, &budgets).unwrap();
        assert!(verdict.is_feasible(), "seed {seed}: {verdict:?}");
        // One part in a million below the noise energy: infeasible at layer 1, and the
        // verdict carries both squared numbers.
        budgets[0] = &energy - &energy / r(1_000_000, 1);
        let verdict =
            noisy_deep_coding_problem(&model, &signal, &chain[1..], &lambda, &budgets).unwrap();
        let violations = verdict.violations();
        assert_eq!(violations.len(), 1, "seed {seed}: {violations:?}");
        assert_eq!(violations[0].layer, 1);
        assert_eq!(violations[0].constraint, DcpConstraint::ResidualBudget);
        assert_eq!(violations[0].found, energy);
        assert_eq!(violations[0].allowed, budgets[0]);
        // The noiseless problem rejects the noisy signal.
        let exact = deep_coding_problem(&model, &signal, &chain[1..], &lambda).unwrap();
        assert_eq!(exact.violations()[0].found, energy);
        met += 1;
    }
    println!("noisy decompositions checked at the boundary: {met}");
    assert!(met >= 55, "too few noisy cases: {met}");
}

#[test]
fn predicates_reject_inputs_of_the_wrong_shape() {
    let (model, chain) = random_decomposition(3);
    let lambda = stripe_budgets(&model, &chain);
    let short = &chain[1..chain.len() - 1];
    assert!(matches!(
        deep_coding_problem(&model, &chain[0], short, &lambda),
        Err(DcpInputError::Count { .. })
    ));
    let wrong_signal = LayerVector::zeros(model.signal_length() + 1, model.input_channels());
    assert!(matches!(
        deep_coding_problem(&model, &wrong_signal, &chain[1..], &lambda),
        Err(DcpInputError::Shape { .. })
    ));
    assert!(matches!(
        noisy_deep_coding_problem(&model, &chain[0], &chain[1..], &lambda, &[]),
        Err(DcpInputError::Count { .. })
    ));
}

fn small(value: &Rational) -> SmallRational {
    SmallRational::from(value)
}

fn small_vectors(vectors: &[LayerVector<Rational>]) -> Vec<LayerVector<SmallRational>> {
    vectors.iter().map(|v| v.map(small)).collect()
}

/// The predicates instantiated at machine-word rationals give the verdicts of the big rational
/// ones, numbers included: feasible, moved-entry, tightened-budget, noisy and wrong-shape
/// inputs alike.
#[test]
fn small_rational_predicates_give_the_same_verdicts() {
    let mut violated = 0;
    for seed in 0..40 {
        let (model, chain) = random_decomposition(seed);
        let lambda = stripe_budgets(&model, &chain);
        let mut candidate = chain[1..].to_vec();
        let first = chain[1].support().next().map(|(p, c, v)| (p, c, v.clone()));
        if let Some((p, c, v)) = first {
            candidate[0].set(p, c, v + r(1, 3));
        }
        let tight: Vec<usize> = lambda.iter().map(|l| l.saturating_sub(1)).collect();
        let noise = random_noise(seed, model.signal_length(), model.input_channels());
        let signal = chain[0].sum(&noise);
        let mut budgets = vec![Rational::zero(); model.depth()];
        budgets[0] = noise.inner_product(&noise) / r(2, 1);
        let small_model = model.map(small);
        let small_budgets: Vec<SmallRational> = budgets.iter().map(small).collect();
        for (x, gammas, lambda) in [
            (&chain[0], &chain[1..], &lambda),
            (&chain[0], &candidate[..], &lambda),
            (&chain[0], &chain[1..], &tight),
            (&signal, &chain[1..], &lambda),
        ] {
            let big = deep_coding_problem(&model, x, gammas, lambda).unwrap();
            let words = deep_coding_problem::<SmallRational>(
                &small_model,
                &x.map(small),
                &small_vectors(gammas),
                lambda,
            );
            assert_eq!(
                words.unwrap().map(SmallRational::to_big),
                big,
                "seed {seed}"
            );
            let big = noisy_deep_coding_problem(&model, x, gammas, lambda, &budgets).unwrap();
            let words = noisy_deep_coding_problem::<SmallRational>(
                &small_model,
                &x.map(small),
                &small_vectors(gammas),
                lambda,
                &small_budgets,
            );
            assert_eq!(
                words.unwrap().map(SmallRational::to_big),
                big,
                "seed {seed}"
            );
            violated += usize::from(!big.is_feasible());
        }
        let short = small_vectors(&chain[1..chain.len() - 1]);
        assert!(matches!(
            deep_coding_problem(&small_model, &chain[0].map(small), &short, &lambda),
            Err(DcpInputError::Count { .. })
        ));
        assert!(matches!(
            noisy_deep_coding_problem(
                &small_model,
                &chain[0].map(small),
                &small_vectors(&chain[1..]),
                &lambda,
                &[]
            ),
            Err(DcpInputError::Count { .. })
        ));
    }
    assert!(violated >= 80, "too few infeasible comparisons: {violated}");
}

#[test]
fn verdicts_of_a_reference_instance() {
    let (model, chain) = random_decomposition(42);
    let lambda = stripe_budgets(&model, &chain);
    let mut candidate = chain[1..].to_vec();
    let (p, c, v) = candidate[0]
        .support()
        .next()
        .map(|(p, c, v)| (p, c, v.clone()))
        .unwrap();
    candidate[0].set(p, c, v + r(1, 3));
    let tight: Vec<usize> = lambda.iter().map(|l| l.saturating_sub(1)).collect();
    let describe = |verdict: &DcpVerdict| -> Vec<String> {
        verdict
            .violations()
            .iter()
            .map(|v| {
                format!(
                    "layer {} {:?}: {} > {} at {:?}",
                    v.layer,
                    v.constraint,
                    rational_to_text(&v.found),
                    rational_to_text(&v.allowed),
                    v.location
                )
            })
            .collect()
    };
    let summary = serde_json::json!({
        "depth": model.depth(),
        "signal_length": model.signal_length(),
        "lambda": lambda,
        "true": describe(&deep_coding_problem(&model, &chain[0], &chain[1..], &lambda).unwrap()),
        "moved_entry": describe(&deep_coding_problem(&model, &chain[0], &candidate, &lambda).unwrap()),
        "tightened_budgets": describe(&deep_coding_problem(&model, &chain[0], &chain[1..], &tight).unwrap()),
    });
    insta::with_settings!({snapshot_path => "../../fixtures/snapshots"}, {
        insta::assert_snapshot!("definition1_reference_verdicts", serde_json::to_string_pretty(&summary).unwrap());
    });
}
