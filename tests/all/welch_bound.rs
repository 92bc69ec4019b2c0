//! The Welch-type lower bound on `μ(D_i)` (docs/math.md §3; `proofs/welch_bound.md`), decided
//! exactly on the generated filter banks of `mlcsc::generate::filter_banks`, with the cases
//! that matter counted: banks whose bound is positive, banks that attain it, and multi-channel
//! banks. Its negative control, the scalar-input form claimed for every input, is refuted.

use mlcsc::coherence::{mutual_coherence, welch_bound_squared};
use mlcsc::conjecture::find;
use mlcsc::generate::filter_banks::filter_bank_instance;
use mlcsc::generate::seed::case_rng;
use mlcsc::model::Layer;
use mlcsc::theorems::statement::Statement;
use mlcsc::theorems::verdict::{Clause, Verdict};
use mlcsc::theorems::welch_bound::WelchBound;

use crate::common::r;

/// Cases per run: 400, or `PROPTEST_CASES`.
fn cases() -> u64 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

fn event(features: &[(String, f64)], name: &str) -> bool {
    features
        .iter()
        .any(|(key, value)| key == &format!("event:{name}") && *value == 1.0)
}

#[test]
fn the_welch_bound_holds_on_every_generated_bank_and_is_attained() {
    let entry = find("welch-bound").expect("registered");
    let cases = cases();
    let (mut positive, mut attained, mut at_zero, mut multi_channel) = (0, 0, 0, 0);
    for k in 0..cases {
        let instance = entry.generate(&mut case_rng(2017, k));
        let outcome = entry.check(&instance);
        assert_eq!(outcome.verdict, Verdict::Holds, "case {k}: {instance:?}");
        positive += usize::from(event(&outcome.features, "bound-positive"));
        attained += usize::from(event(&outcome.features, "attained"));
        at_zero += usize::from(event(&outcome.features, "attained-at-zero"));
        multi_channel += usize::from(instance.model.input_channels() >= 2);
    }
    let fraction = |count: usize| count as f64 / cases as f64;
    println!(
        "welch-bound: {cases} cases, all hold; bound positive {:.0}%, attained {:.0}%, \
         attained at 0 {:.0}%, two or more channels {:.0}%",
        100.0 * fraction(positive),
        100.0 * fraction(attained),
        100.0 * fraction(at_zero),
        100.0 * fraction(multi_channel)
    );
    // Floors: the hard part of the statement is the positive bound, met with equality.
    assert!(fraction(positive) >= 0.5, "bound positive in {positive}");
    assert!(fraction(attained) >= 0.1, "attained in {attained}");
    assert!(fraction(at_zero) >= 0.1, "attained at zero in {at_zero}");
    assert!(
        fraction(multi_channel) >= 0.5,
        "multi-channel in {multi_channel}"
    );
}

#[test]
fn the_bound_is_attained_exactly_by_sign_pairs_and_orthogonal_one_tap_banks() {
    let signs = Layer::new(1, vec![vec![vec![r(1, 1)]], vec![vec![r(-1, 1)]]]).unwrap();
    let mu = mutual_coherence(&signs);
    assert_eq!(&mu * &mu, welch_bound_squared(2, 1, 1), "μ² = 1 = bound");
    let orthogonal = Layer::new(
        1,
        vec![
            vec![vec![r(1, 1), r(0, 1), r(0, 1)]],
            vec![vec![r(0, 1), r(0, 1), r(1, 1)]],
        ],
    )
    .unwrap();
    assert_eq!(mutual_coherence(&orthogonal), r(0, 1));
    assert_eq!(welch_bound_squared(2, 1, 3), r(0, 1), "m ≤ m_prev: bound 0");
}

#[test]
fn the_single_channel_form_fails_on_the_documented_two_channel_bank() {
    // (1, 0), (0, 1), (3/5, 4/5) over two channels: μ = 4/5. The stated bound asks μ² ≥ 1/4;
    // the scalar-input form asks μ² ≥ 1.
    let layer = Layer::new(
        1,
        vec![
            vec![vec![r(1, 1), r(0, 1)]],
            vec![vec![r(0, 1), r(1, 1)]],
            vec![vec![r(3, 5), r(4, 5)]],
        ],
    )
    .unwrap();
    assert_eq!(mutual_coherence(&layer), r(4, 5));
    assert_eq!(WelchBound::STATED.bound_squared(&layer), r(1, 4));
    assert_eq!(WelchBound::SINGLE_CHANNEL.bound_squared(&layer), r(1, 1));
}

#[test]
fn negative_control_the_single_channel_form_is_refuted_by_generated_banks() {
    let cases = cases().min(400);
    let mut refuted = 0;
    for k in 0..cases {
        let instance = filter_bank_instance(&mut case_rng(2017, k));
        match WelchBound::SINGLE_CHANNEL.verdict(&instance) {
            Verdict::Violated(witness) => {
                assert_eq!(witness.conclusion, Clause::WelchBound);
                assert!(
                    instance.model.input_channels() >= 2,
                    "only m_prev > 1 refutes"
                );
                refuted += 1;
            }
            verdict => assert_eq!(verdict, Verdict::Holds),
        }
    }
    println!("welch-single-channel-form: refuted in {refuted} of {cases} banks");
    assert!(refuted as f64 >= 0.1 * cases as f64, "refuted in {refuted}");
}

/// The one-pass outcome (`μ` computed once, in machine-word rationals) gives the verdict, the
/// tightness and the features of the statement's separate methods, and `μ(D_i)²` equals the
/// big-rational coherence squared, for the stated form and its negative control.
#[test]
fn the_one_pass_outcome_agrees_with_the_separate_decisions() {
    let mut violated = 0;
    for statement in [WelchBound::STATED, WelchBound::SINGLE_CHANNEL] {
        for k in 0..cases().min(200) {
            let instance = filter_bank_instance(&mut case_rng(7, k));
            let outcome = statement.outcome(&instance);
            assert_eq!(outcome.verdict, statement.verdict(&instance), "case {k}");
            assert_eq!(
                outcome.tightness,
                statement.tightness(&instance),
                "case {k}"
            );
            assert_eq!(outcome.features, statement.features(&instance), "case {k}");
            assert!(outcome.margins.is_empty());
            for (layer, (mu_squared, _)) in instance
                .model
                .layers()
                .iter()
                .zip(statement.per_layer(&instance))
            {
                let mu = mutual_coherence(layer);
                assert_eq!(mu_squared, &mu * &mu, "case {k}");
            }
            violated += usize::from(matches!(outcome.verdict, Verdict::Violated(_)));
        }
    }
    assert!(
        violated >= 20,
        "too few violations of the negative control: {violated}"
    );
}
