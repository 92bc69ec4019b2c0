//! Mutual coherence (docs/math.md §3): the local computation against the dense Gram matrix, the
//! Welch-type lower bound, and a table of hand-computed reference values.

use crate::common::{check, check_with_hypotheses, config, find_counterexamples, r};
use mlcsc::coherence::{
    dense_mutual_coherence, filter_correlation, mutual_coherence, mutual_coherence_with_witness,
    welch_bound_squared,
};
use mlcsc::generate::random::{FilterDraw, LayerShape, layer_strategy, random_layer, seeded_rng};
use mlcsc::operators::dense_dictionary;
use mlcsc::{Layer, Rational};
use num_traits::{Signed, Zero};
use proptest::prelude::*;

const REGRESSIONS: &str = "proptest-regressions/coherence.txt";

/// `μ` from the local correlations equals `μ` from the dense Gram matrix of `D_i`, exactly, at
/// the shortest admissible `N = 2n - 1` and at a longer `N`; and the witness attains it.
#[test]
fn local_coherence_equals_the_dense_gram_computation_exactly() {
    check(
        "local_coherence_equals_the_dense_gram_computation_exactly",
        config(128, REGRESSIONS),
        (layer_strategy(3, 4, 2), 1..=5usize),
        |(layer, extra)| {
            let witness = mutual_coherence_with_witness(&layer);
            let shortest = 2 * layer.filter_length() - 1;
            for length in [shortest, shortest + extra] {
                let dense = dense_mutual_coherence(&dense_dictionary(&layer, length));
                prop_assert_eq!(&dense, &witness.coherence, "N = {}", length);
            }
            // The witness names two distinct atoms attaining μ (meaningful when μ > 0).
            if witness.coherence.is_positive() {
                prop_assert!(witness.shift > 0 || witness.first != witness.second);
                let attained =
                    filter_correlation(&layer, witness.first, witness.second, witness.shift).abs();
                prop_assert_eq!(&attained, &witness.coherence);
            }
            Ok(())
        },
    );
}

/// `μ(D)² ≥ (A - d) / (d (A - 1))` with `A = m (2n - 1)` atoms in dimension
/// `d = (2n - 1) m_{i-1}` (docs/math.md §3), compared exactly on squares. Counted hypothesis: the
/// bound is positive (more atoms than dimensions), so that the comparison is not `μ² ≥ 0`.
#[test]
fn welch_bound_is_never_beaten() {
    check_with_hypotheses(
        "welch_bound_is_never_beaten",
        config(256, REGRESSIONS),
        0.3,
        layer_strategy(4, 4, 2),
        |layer| {
            let mu = mutual_coherence(&layer);
            let bound = welch_bound_squared(
                layer.filter_count(),
                layer.filter_length(),
                layer.input_channels(),
            );
            prop_assert!(&mu * &mu >= bound, "μ = {} below the Welch bound", mu);
            Ok(bound.is_positive())
        },
    );
}

/// Negative control for the Welch check: the bound that would hold if the `m n` atoms of one
/// position window lived in dimension `n` (that is, `μ² ≥ (m - 1) / (m n - 1)` for scalar
/// input), a stronger claim than Welch's, is false, and the same exact comparison finds real
/// counterexamples among generated two-filter layers of length 2.
///
/// Counterexamples are a few percent of the draws, so over 256 random cases their count
/// varies from run to run: with another seed it fell to 2 once in seven runs, below the floor
/// of 3. The draws are therefore fixed (seed 2017 and 256 cases, whatever
/// `PROPTEST_RNG_SEED` and `PROPTEST_CASES` say): the count is the same on every run and the
/// floor cannot flake; the control still fails if the comparison stops finding them.
#[test]
fn negative_control_a_too_strong_welch_bound_is_beaten() {
    let mut fixed = config(256, REGRESSIONS);
    fixed.cases = 256;
    fixed.rng_seed = proptest::test_runner::RngSeed::Fixed(2017);
    find_counterexamples(
        "negative_control_a_too_strong_welch_bound_is_beaten",
        fixed,
        0.01,
        (1..=8i64, any::<u64>()),
        |(denominator, seed)| {
            let draw = FilterDraw::RandomPole { denominator };
            let layer = random_layer(&mut seeded_rng(seed), 1, LayerShape::new(2, 2), 1, draw);
            let mu = mutual_coherence(&layer);
            // m = 2, n = 2: (m - 1) / (m n - 1) = 1/3.
            Ok(&mu * &mu < r(1, 3))
        },
    );
}

fn scalar_layer(filters: &[&[Rational]]) -> Layer<Rational> {
    let nested = filters
        .iter()
        .map(|f| f.iter().map(|v| vec![v.clone()]).collect())
        .collect();
    Layer::new(1, nested).expect("reference filters are exactly unit")
}

/// One reference value: the layer, its coherence, and where it comes from.
struct Reference {
    name: &'static str,
    layer: Layer<Rational>,
    coherence: Rational,
    source: &'static str,
}

fn references() -> Vec<Reference> {
    let h = r(1, 2);
    let mh = r(-1, 2);
    vec![
        Reference {
            name: "Dirac filter (1)",
            layer: scalar_layer(&[&[r(1, 1)]]),
            coherence: Rational::zero(),
            source: "by hand: one atom per position and atoms at distinct positions are disjoint",
        },
        Reference {
            name: "Dirac filter of length 3, (0, 1, 0)",
            layer: scalar_layer(&[&[r(0, 1), r(1, 1), r(0, 1)]]),
            coherence: Rational::zero(),
            source: "by hand: every shifted product pairs the single 1 with a 0",
        },
        Reference {
            name: "Barker-type filter (1, 1, -1, 1)/2",
            layer: scalar_layer(&[&[h.clone(), h.clone(), mh.clone(), h.clone()]]),
            coherence: r(1, 4),
            source: "by hand: aperiodic autocorrelation (1-1-1, 1-1, 1)/4 = (-1/4, 0, 1/4) at shifts 1, 2, 3 \
                     (the length-4 Barker sequence, docs/math.md §1 equal-magnitude filters)",
        },
        Reference {
            name: "all-equal filter (1, 1, 1, 1)/2",
            layer: scalar_layer(&[&[h.clone(), h.clone(), h.clone(), h.clone()]]),
            coherence: r(3, 4),
            source: "by hand: the shift-1 autocorrelation has three products 1/4",
        },
        Reference {
            name: "Pythagorean pair (3/5, 4/5), (4/5, -3/5)",
            layer: scalar_layer(&[&[r(3, 5), r(4, 5)], &[r(4, 5), r(-3, 5)]]),
            coherence: r(16, 25),
            source: "by hand: shift 0 cross 12/25 - 12/25 = 0; shift 1 autocorrelations 12/25 and \
                     -12/25; shift 1 cross f_0[0] f_1[1] = -9/25 and f_1[0] f_0[1] = 16/25",
        },
        Reference {
            name: "Barker pair (1, 1, -1, 1)/2, (1, 1, 1, -1)/2",
            layer: scalar_layer(&[
                &[h.clone(), h.clone(), mh.clone(), h.clone()],
                &[h.clone(), h.clone(), h.clone(), mh.clone()],
            ]),
            coherence: r(3, 4),
            source: "by hand: Σ_t a[t] b[t+1] = (1 + 1 + 1)/4; the other correlations are at most 1/4",
        },
        Reference {
            name: "two orthogonal one-tap filters over two input channels",
            layer: Layer::new(
                1,
                vec![vec![vec![r(3, 5), r(4, 5)]], vec![vec![r(4, 5), r(-3, 5)]]],
            )
            .expect("unit filters"),
            coherence: Rational::zero(),
            source: "by hand: one tap, so atoms at distinct positions are disjoint; 12/25 - 12/25 = 0",
        },
    ]
}

#[test]
fn coherence_matches_hand_computed_reference_values() {
    for reference in references() {
        let local = mutual_coherence(&reference.layer);
        assert_eq!(
            local, reference.coherence,
            "{} (source: {})",
            reference.name, reference.source
        );
        let n = reference.layer.filter_length();
        for length in [2 * n - 1, 2 * n + 5] {
            let dense = dense_mutual_coherence(&dense_dictionary(&reference.layer, length));
            assert_eq!(
                dense, reference.coherence,
                "{} at N = {length}",
                reference.name
            );
        }
        let bound = welch_bound_squared(
            reference.layer.filter_count(),
            n,
            reference.layer.input_channels(),
        );
        assert!(&local * &local >= bound, "{}", reference.name);
    }
}

/// Welch bound reference: two filters of length 2 give 6 atoms in dimension 3, so
/// `μ² ≥ (6 - 3) / (3 · 5) = 1/5` (by hand).
#[test]
fn welch_bound_matches_a_hand_computed_value() {
    assert_eq!(welch_bound_squared(2, 2, 1), r(1, 5));
    assert_eq!(welch_bound_squared(1, 4, 1), Rational::zero());
    assert_eq!(welch_bound_squared(2, 1, 2), Rational::zero());
}
