//! Uniqueness of the deep coding problem `DCP_λ` and its key lemma, the stripe spark bound,
//! verified exhaustively on tiny dictionaries (docs/math.md §7; proofs/uniqueness.md).
//!
//! Every check enumerates: the stripe spark over supports (by circuits, and by the definition
//! over all `2^{Nm}` supports on the smallest dictionaries), and the solutions of `DCP_λ` over
//! every support within the budget at every layer. Each test prints what it covered and fails
//! below a floor; the negative controls find real instances with two solutions at and beyond
//! the bound `½(1 + 1/μ)`, which are kept as fixtures in `fixtures/uniqueness/`.

use crate::common;

use std::path::PathBuf;
use std::time::Instant;

use crate::common::r;

use mlcsc::coherence::mutual_coherence;
use mlcsc::generate::catalogue::catalogue;
use mlcsc::generate::random::random_representation_within_budget;
use mlcsc::io::ToInstanceFile;
use mlcsc::io::number::rational_to_text;
use mlcsc::io::{Instance, InstanceFile};
use mlcsc::norms::stripe_sparsity;
use mlcsc::operators::synthesis;
use mlcsc::pursuit::Thresholding;
use mlcsc::theorems::stripe_spark::{
    spark_lower_bound_holds, stripe_spark, stripe_spark_by_all_supports,
};
use mlcsc::theorems::support_enumeration::{Coverage, exact_coherence, support_stripe_sparsity};
use mlcsc::theorems::uniqueness::{
    UniquenessHypothesisFailure, UniquenessVerdict, below_uniqueness_bound,
    enumerate_dcp_solutions, uniqueness_theorem,
};
use mlcsc::theorems::verdict::Verdict;
use mlcsc::{Layer, LayerVector, Model, Rational, Threshold};
use num_traits::{One, Zero};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn fixture_directory() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/uniqueness")
}

/// The tiny dictionaries of the exhaustive checks: the catalogue at `N = 2n - 1, 2n, 2n + 1`,
/// kept to at most 16 atoms.
fn tiny_dictionaries() -> Vec<(String, Layer<Rational>, usize)> {
    common::tiny_dictionaries(|n| vec![2 * n - 1, 2 * n, 2 * n + 1], 16)
}

#[test]
fn lemma_stripe_spark_is_at_least_one_plus_inverse_coherence() {
    let started = Instant::now();
    let mut total = Coverage::default();
    let mut finite_sparks = 0;
    let mut table = Vec::new();
    for (name, layer, length) in tiny_dictionaries() {
        let mu = mutual_coherence(&layer);
        let spark = stripe_spark(&layer, length);
        total.absorb(&spark.coverage);
        if let Some(sigma) = spark.spark {
            finite_sparks += 1;
            let witness = spark
                .witness
                .as_ref()
                .expect("a finite spark has a witness");
            assert!(
                witness.count_nonzeros() > 0,
                "{name} N={length}: zero witness"
            );
            let image = synthesis(&layer, witness);
            assert!(
                image.entries().iter().all(Zero::is_zero),
                "{name} N={length}: D Δ ≠ 0"
            );
            assert_eq!(stripe_sparsity(witness, layer.filter_length()), sigma);
        }
        assert!(
            spark_lower_bound_holds(spark.spark, &mu, 0),
            "{name} N={length}: stripe spark {:?} < 1 + 1/μ with μ = {mu}",
            spark.spark
        );
        table.push(serde_json::json!({
            "dictionary": name,
            "signal_length": length,
            "coherence": rational_to_text(&mu),
            "stripe_spark": spark.spark,
            "supports_enumerated": spark.coverage.supports_enumerated,
        }));
    }
    total.elapsed = started.elapsed();
    common::report_coverage("stripe spark lemma", &total);
    println!("dictionaries with a nonzero null vector (lemma non-vacuous): {finite_sparks}");
    assert!(
        finite_sparks >= 15,
        "too few dictionaries with a finite stripe spark"
    );
    assert!(
        total.supports_enumerated >= 10_000,
        "the search enumerated too little"
    );
    insta::with_settings!({snapshot_path => "../../fixtures/snapshots"}, {
        insta::assert_snapshot!("stripe_spark_table", serde_json::to_string_pretty(&table).unwrap());
    });
}

#[test]
fn stripe_spark_by_circuits_equals_the_definition_over_all_supports() {
    let mut total = Coverage::default();
    let mut compared = 0;
    for (name, layer, length) in tiny_dictionaries() {
        if length * layer.filter_count() > 12 {
            continue;
        }
        let by_circuits = stripe_spark(&layer, length);
        let by_definition = stripe_spark_by_all_supports(&layer, length);
        assert_eq!(
            by_circuits.spark, by_definition.spark,
            "{name} N={length}: the circuit search and the definition disagree"
        );
        total.absorb(&by_definition.coverage);
        compared += 1;
    }
    common::report_coverage("stripe spark by the definition", &total);
    assert!(compared >= 15, "too few dictionaries compared: {compared}");
}

#[test]
fn negative_control_stripe_spark_bound_plus_one_is_refuted() {
    // The deliberately wrong lemma `σ_S ≥ 2 + 1/μ` must fail on some tiny dictionary.
    let refuted: Vec<String> = tiny_dictionaries()
        .into_iter()
        .filter_map(|(name, layer, length)| {
            let spark = stripe_spark(&layer, length).spark;
            let mu = mutual_coherence(&layer);
            (!spark_lower_bound_holds(spark, &mu, 1))
                .then(|| format!("{name} N={length}: σ = {spark:?}, μ = {mu}"))
        })
        .collect();
    println!("the bound 2 + 1/μ is refuted by: {refuted:#?}");
    assert!(!refuted.is_empty(), "the wrong bound was not refuted");
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one exhaustive enumeration with its checks inline"
)]
fn uniqueness_theorem_holds_exhaustively_on_tiny_instances() {
    let started = Instant::now();
    let mut total = Coverage::default();
    let mut met = 0;
    let mut nonzero = 0;
    let mut budget_two = 0;
    for (k, (name, layer, length)) in tiny_dictionaries().into_iter().enumerate() {
        let mu = mutual_coherence(&layer);
        let lambda = common::largest_budget_below_bound(&mu);
        let model = Model::new(length, layer.input_channels(), vec![layer.clone()]).unwrap();
        for seed in 0..4 {
            let mut rng = ChaCha8Rng::seed_from_u64(1000 * k as u64 + seed);
            let gamma = random_representation_within_budget(
                &mut rng,
                length,
                layer.filter_count(),
                layer.filter_length(),
                lambda,
                0.7,
                4,
                false,
            );
            let check = uniqueness_theorem(&model, &gamma, &[lambda]);
            total.absorb(&check.solutions.coverage);
            assert_eq!(
                check.verdict,
                UniquenessVerdict::Holds,
                "{name} N={length} λ={lambda} Γ={gamma:?}"
            );
            met += 1;
            nonzero += usize::from(gamma.count_nonzeros() > 0);
            budget_two +=
                usize::from(lambda == 2 && stripe_sparsity(&gamma, layer.filter_length()) == 2);
        }
    }
    // Two layers: the designed four-tap pair under single-tap two-channel filters.
    let layers: Vec<Layer<Rational>> = catalogue()
        .into_iter()
        .filter(|(name, _)| {
            *name == "designed-four-tap-pair" || *name == "point-two-channel-triple"
        })
        .map(|(_, layer)| layer)
        .collect();
    let model = Model::new(7, 1, layers).unwrap();
    let deepest_cases: [&[(usize, usize, i64)]; 4] = [
        &[(0, 1, 3)],
        &[(2, 0, -2), (5, 2, 1)],
        &[(4, 1, -5)],
        &[(1, 2, 7), (3, 0, 2)],
    ];
    for case in deepest_cases {
        let mut deepest = LayerVector::zeros(7, 3);
        for &(p, c, v) in case {
            deepest.set(p, c, r(v, 4));
        }
        let check = uniqueness_theorem(&model, &deepest, &[2, 1]);
        total.absorb(&check.solutions.coverage);
        assert_eq!(
            check.verdict,
            UniquenessVerdict::Holds,
            "two layers, Γ_2 = {case:?}"
        );
        assert_eq!(check.to_verdict(), Verdict::Holds);
        met += 1;
        nonzero += 1;
    }
    total.elapsed = started.elapsed();
    common::report_coverage("uniqueness theorem", &total);
    println!(
        "instances meeting the hypotheses: {met} ({nonzero} nonzero, {budget_two} at λ = 2 with ‖Γ‖^S = 2)"
    );
    assert!(
        nonzero >= 60,
        "too few nonzero instances met the hypotheses: {nonzero}"
    );
    assert!(
        budget_two >= 4,
        "too few instances at budget 2: {budget_two}"
    );
    assert!(
        total.supports_enumerated >= 20_000,
        "the enumeration covered too little"
    );
}

/// Two distinct solutions from a minimal null vector: its support split into two parts
/// `A`, `B` (the split of least `max(‖·‖^S)`), `Γ = Δ_A` and `Γ' = -Δ_B`, so `D Γ = D Γ'`.
fn two_solutions_from_the_spark(
    layer: &Layer<Rational>,
    length: usize,
) -> (LayerVector<Rational>, LayerVector<Rational>, usize) {
    let witness = stripe_spark(layer, length)
        .witness
        .expect("a finite stripe spark");
    let support: Vec<usize> = (0..witness.entries().len())
        .filter(|&k| !witness.entries()[k].is_zero())
        .collect();
    let (m, n) = (layer.filter_count(), layer.filter_length());
    let stripe = |part: &[usize]| support_stripe_sparsity(part, length, m, n);
    let best = (1u32..(1 << support.len()) - 1)
        .map(|mask| {
            let chosen = |k: &usize| mask >> k & 1 == 1;
            let a: Vec<usize> = (0..support.len())
                .filter(chosen)
                .map(|k| support[k])
                .collect();
            let b: Vec<usize> = (0..support.len())
                .filter(|k| !chosen(k))
                .map(|k| support[k])
                .collect();
            (stripe(&a).max(stripe(&b)), a, b)
        })
        .min_by_key(|(lambda, _, _)| *lambda)
        .expect("a circuit has at least two atoms");
    let (lambda, a, b) = best;
    let mut first = LayerVector::zeros(length, m);
    let mut second = LayerVector::zeros(length, m);
    for k in a {
        first.set(k / m, k % m, witness.entries()[k].clone());
    }
    for k in b {
        second.set(k / m, k % m, -witness.entries()[k].clone());
    }
    (first, second, lambda)
}

fn instance_of(
    name: &str,
    source: &str,
    model: &Model<Rational>,
    deepest: LayerVector<Rational>,
) -> Instance<Rational> {
    Instance {
        name: name.into(),
        source: source.into(),
        model: model.clone(),
        thresholding: Thresholding::Soft,
        thresholds: vec![Threshold::Shared(Rational::zero()); model.depth()],
        noise: LayerVector::zeros(model.signal_length(), model.input_channels()),
        deepest_representation: deepest,
        noise_budget: None,
        last_patch_width: 1,
        last_patch_rows: 1,
    }
}

/// Compares the pair with the fixture files (writes them when `MLCSC_WRITE_FIXTURES` is set).
fn keep_as_fixtures(stem: &str, pair: [&Instance<Rational>; 2]) {
    for (instance, suffix) in pair.into_iter().zip(["first", "second"]) {
        let path = fixture_directory().join(format!("{stem}-{suffix}.json"));
        let text = serde_json::to_string_pretty(&instance.to_file()).unwrap() + "\n";
        if std::env::var_os("MLCSC_WRITE_FIXTURES").is_some() {
            std::fs::create_dir_all(fixture_directory()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let kept = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run with MLCSC_WRITE_FIXTURES=1 to write it",
                path.display()
            )
        });
        assert_eq!(
            kept,
            text,
            "{} differs from the regenerated instance",
            path.display()
        );
    }
}

/// Checks a counterexample pair: same signal, both within `λ`, distinct, the enumeration finds
/// at least two solutions, and the hypothesis `(2λ - 1) μ < 1` fails.
fn assert_two_solutions(
    model: &Model<Rational>,
    first: &LayerVector<Rational>,
    second: &LayerVector<Rational>,
    lambda: usize,
) {
    let layer = model.layer(1);
    assert_ne!(first, second);
    assert_eq!(
        synthesis(layer, first),
        synthesis(layer, second),
        "the two solutions synthesize different signals"
    );
    for gamma in [first, second] {
        assert!(stripe_sparsity(gamma, layer.filter_length()) <= lambda);
    }
    let signal = synthesis(layer, first);
    let solutions = enumerate_dcp_solutions(model, &signal, &[lambda], 2);
    assert!(
        solutions.complete.len() >= 2,
        "the enumeration found {} solutions",
        solutions.complete.len()
    );
    let mu = mutual_coherence(layer);
    assert!(
        !below_uniqueness_bound(lambda, &mu),
        "λ = {lambda} is below the bound for μ = {mu}"
    );
    let check = uniqueness_theorem(model, first, &[lambda]);
    assert!(matches!(
        check.verdict,
        UniquenessVerdict::Vacuous(UniquenessHypothesisFailure::BudgetBeyondBound { .. })
    ));
    assert_eq!(check.to_verdict().name(), "vacuous");
}

#[test]
fn negative_control_two_solutions_beyond_the_bound() {
    // μ = 1/2 and σ_S = 3 = 1 + 1/μ: the spark lemma is tight, and a minimal null vector splits
    // into two solutions of stripe sparsity at most 2 > ½(1 + 1/μ) = 3/2.
    let (_, layer) = catalogue()
        .into_iter()
        .find(|(n, _)| *n == "halves-two-channel-pair")
        .unwrap();
    let length = 4;
    let mu = mutual_coherence(&layer);
    assert_eq!(mu, r(1, 2));
    assert_eq!(stripe_spark(&layer, length).spark, Some(3));
    let (first, second, lambda) = two_solutions_from_the_spark(&layer, length);
    assert_eq!(lambda, 2);
    let model = Model::new(length, 2, vec![layer]).unwrap();
    assert_two_solutions(&model, &first, &second, lambda);
    // A deliberately wrong bound, `λ < 1 + 1/μ` (the factor ½ dropped), claims uniqueness here.
    let wrong_bound_claims_uniqueness =
        Rational::from_integer((lambda as i64).into()) < Rational::one() + mu.recip();
    assert!(
        wrong_bound_claims_uniqueness,
        "the wrong bound should cover λ = {lambda}"
    );
    let source = "issue 4: tests/all/uniqueness.rs::negative_control_two_solutions_beyond_the_bound; λ = 2 > ½(1 + 1/μ) = 3/2 with μ = 1/2; the -first and -second instances have the same signal X";
    let a = instance_of("uniqueness-beyond-bound-first", source, &model, first);
    let b = instance_of("uniqueness-beyond-bound-second", source, &model, second);
    keep_as_fixtures("beyond-bound", [&a, &b]);
}

#[test]
fn negative_control_two_solutions_at_the_bound() {
    // The doubled bank [f, -f] of the splitting lemma has μ = 1, and λ = 1 = ½(1 + 1/μ): the
    // strict inequality of the theorem is needed.
    let f = vec![vec![r(3, 5)], vec![r(4, 5)]];
    let minus_f = f
        .iter()
        .map(|t| t.iter().map(|v| -v.clone()).collect())
        .collect();
    let layer = Layer::new(1, vec![f, minus_f]).unwrap();
    let length = 3;
    assert_eq!(mutual_coherence(&layer), Rational::one());
    let (first, second, lambda) = two_solutions_from_the_spark(&layer, length);
    assert_eq!(lambda, 1);
    let model = Model::new(length, 1, vec![layer]).unwrap();
    assert_two_solutions(&model, &first, &second, lambda);
    let source = "issue 4: tests/all/uniqueness.rs::negative_control_two_solutions_at_the_bound; λ = 1 = ½(1 + 1/μ) with μ = 1 (filters f and -f); the -first and -second instances have the same signal X";
    let a = instance_of("uniqueness-at-bound-first", source, &model, first);
    let b = instance_of("uniqueness-at-bound-second", source, &model, second);
    keep_as_fixtures("at-bound", [&a, &b]);
}

#[test]
fn fixtures_with_two_solutions_are_at_or_beyond_the_bound() {
    let mut pairs = 0;
    let mut table = Vec::new();
    for stem in ["at-bound", "beyond-bound"] {
        let read = |suffix: &str| {
            let path = fixture_directory().join(format!("{stem}-{suffix}.json"));
            InstanceFile::read(&path).unwrap().to_exact().unwrap()
        };
        let (first, second) = (read("first"), read("second"));
        assert_eq!(
            first.model, second.model,
            "{stem}: the pair must share its dictionary"
        );
        let layer = first.model.layer(1);
        let n = layer.filter_length();
        let lambda = stripe_sparsity(&first.deepest_representation, n)
            .max(stripe_sparsity(&second.deepest_representation, n));
        assert_two_solutions(
            &first.model,
            &first.deepest_representation,
            &second.deepest_representation,
            lambda,
        );
        let mu = mutual_coherence(layer);
        table.push(serde_json::json!({
            "fixture": stem,
            "coherence": rational_to_text(&mu),
            "lambda": lambda,
            "bound_times_two": rational_to_text(&(Rational::one() + mu.recip())),
        }));
        pairs += 1;
    }
    assert_eq!(pairs, 2);
    insta::with_settings!({snapshot_path => "../../fixtures/snapshots"}, {
        insta::assert_snapshot!(
            "uniqueness_counterexample_fixtures",
            serde_json::to_string_pretty(&table).unwrap()
        );
    });
}

#[test]
fn uniqueness_verdict_names_the_failed_hypothesis() {
    let (_, layer) = catalogue()
        .into_iter()
        .find(|(n, _)| *n == "pythagorean-3-4-pair")
        .unwrap();
    let model = Model::new(3, 1, vec![layer]).unwrap();
    let mut gamma = LayerVector::zeros(3, 2);
    gamma.set(0, 0, r(1, 1));
    gamma.set(1, 1, r(1, 1));
    // ‖Γ‖^S = 2 > λ = 1.
    let check = uniqueness_theorem(&model, &gamma, &[1]);
    match check.to_verdict() {
        Verdict::Vacuous(failure) => {
            assert_eq!(failure.layer, 1);
            assert_eq!(failure.hypothesis, "stripe-budget");
            assert_eq!(failure.shortfall, 1.0);
        }
        other => panic!("expected vacuous, got {other:?}"),
    }
}

#[test]
fn lemma_stripe_sparsity_of_a_difference_is_at_most_the_sum() {
    // ‖Γ - Γ'‖^S ≤ ‖Γ‖^S + ‖Γ'‖^S: two solutions within λ differ by at most 2λ per stripe.
    let mut cases = 0;
    let mut tight = 0;
    for seed in 0..200u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(50_000 + seed);
        let (length, channels, n) = (7, 2, 2);
        let a =
            random_representation_within_budget(&mut rng, length, channels, n, 2, 0.6, 3, false);
        let b =
            random_representation_within_budget(&mut rng, length, channels, n, 2, 0.6, 3, false);
        let (sa, sb) = (stripe_sparsity(&a, n), stripe_sparsity(&b, n));
        let difference = stripe_sparsity(&a.difference(&b), n);
        assert!(
            difference <= sa + sb,
            "seed {seed}: {difference} > {sa} + {sb}"
        );
        cases += 1;
        tight += usize::from(difference == sa + sb);
    }
    println!("{cases} pairs, {tight} where the sum is attained");
    assert!(tight >= 10, "the bound should be attained sometimes");
}

/// The exhaustive results are registry entries like Theorem 2: `campaign`, `check --theorem`,
/// `verify` and `list` see them; on their own generated instances every case meets the
/// hypotheses and holds, certified.
#[test]
fn exhaustive_results_are_registry_entries_that_hold_on_their_instances() {
    use mlcsc::campaign::{Arithmetic, CampaignSettings, Shard, run_campaign};
    use mlcsc::conjecture::find;
    for name in [
        "dcp-uniqueness",
        "stripe-spark-lemma",
        "stripe-rip",
        "dcp-stability",
        "definition1-true-chain-is-feasible",
    ] {
        let entry = find(name).expect("registered");
        let settings = CampaignSettings {
            cases: 12,
            seed: 3,
            shard: Shard::WHOLE,
            arithmetic: Arithmetic::Exact,
        };
        let report = run_campaign(entry.as_ref(), settings, None, &|| {}).expect("runs");
        let s = &report.statistics;
        println!(
            "{name}: {} cases, {} met, {} hold",
            s.cases, s.hypotheses_met, s.holds
        );
        assert_eq!(s.holds, s.cases, "{name}: every case holds");
        assert_eq!(s.certified, s.cases, "{name}: every verdict is exact");
    }
}

/// The coherence the exhaustive results use, computed in machine-word rationals, equals
/// [`mutual_coherence`] in big rationals on every catalogue layer and on the layers of random
/// models with filters of several denominators.
#[test]
fn exact_coherence_equals_the_big_rational_coherence() {
    use mlcsc::generate::random::{FilterDraw, ModelFilters, random_model};
    let mut layers: Vec<Layer<Rational>> = catalogue().into_iter().map(|(_, l)| l).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(77);
    for denominator in [3, 5, 7, 13] {
        for _ in 0..10 {
            let shape = common::random_model_shape(&mut rng, 1..=3, 4);
            let draw = FilterDraw::PoleLast { denominator };
            let model = random_model(&mut rng, &shape, ModelFilters::Each(draw));
            layers.extend(model.layers().iter().cloned());
        }
    }
    let positive = layers
        .iter()
        .filter(|layer| {
            let mu = mutual_coherence(layer);
            assert_eq!(exact_coherence(layer), mu, "{layer:?}");
            mu > Rational::zero()
        })
        .count();
    assert!(
        positive >= 60,
        "too few layers with positive coherence: {positive}"
    );
}
