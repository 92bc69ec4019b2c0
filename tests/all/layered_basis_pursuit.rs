//! Layered basis pursuit (docs/math.md §7, recalled): certified LASSO minimisers, the stability
//! theorem on generated instances of every contrast, and negative controls.

use crate::common::cli::{self, json_in, mlcsc};
use crate::theorem2_support;

use std::cell::RefCell;

use mlcsc::conjecture::{Entry, Theorem2Entry};
use mlcsc::exact_linear_algebra::solve;
use mlcsc::generate::theorem2::case_rng;
use mlcsc::io::ToInstanceFile;
use mlcsc::model::LayerVector;
use mlcsc::operators::dense_dictionary;
use mlcsc::operators::{analysis, synthesis};
use mlcsc::pursuit::Thresholding;
use mlcsc::pursuit::banded_gram::{AtomCorrelations, solve_support_gram};
use mlcsc::pursuit::basis_pursuit::{
    ExactLasso, SupportCheck, certified_lasso, duality_gap, lasso_fista, lipschitz_bound,
};
use mlcsc::scalar::{Rational, Scalar};
use mlcsc::small_rational::SmallRational;
use mlcsc::theorems::layered_basis_pursuit::{
    check_layered_basis_pursuit, check_layered_basis_pursuit_with,
};
use mlcsc::theorems::variant::{Part, Variant};
use mlcsc::theorems::verdict::Verdict;
use num_traits::{Signed, Zero};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

fn r(n: i64, d: i64) -> Rational {
    Rational::new(n.into(), d.into())
}

/// A layer, a signal and a weight in [`SmallRational`], the arithmetic of the certificate.
fn small(
    layer: &mlcsc::Layer<Rational>,
    y: &LayerVector<Rational>,
    weight: &Rational,
) -> (
    mlcsc::Layer<SmallRational>,
    LayerVector<SmallRational>,
    SmallRational,
) {
    (
        layer.map(|v| SmallRational::from(v)),
        y.map(|v| SmallRational::from(v)),
        SmallRational::from(weight),
    )
}

/// The KKT conditions of `min ½‖y − Dx‖² + ξ‖x‖_1`, checked here independently of the
/// certificate code: `Dᵀ(y − Dx) = ξ sign(x)` on the support, `|Dᵀ(y − Dx)| ≤ ξ` off it.
fn satisfies_kkt(
    layer: &mlcsc::Layer<Rational>,
    y: &LayerVector<Rational>,
    x: &LayerVector<Rational>,
    weight: &Rational,
) -> bool {
    let correlations = analysis(layer, &y.difference(&synthesis(layer, x)));
    correlations
        .entries()
        .iter()
        .zip(x.entries())
        .all(|(c, v)| {
            if v.is_zero() {
                c.abs() <= *weight
            } else {
                *c == weight * v.signum()
            }
        })
}

/// The registered layered basis pursuit entry.
fn basis_pursuit_entry() -> &'static Entry {
    Box::leak(mlcsc::conjecture::find("layered-basis-pursuit").expect("registered"))
}

#[test]
fn certified_lasso_minimisers_satisfy_the_optimality_conditions_exactly() {
    let certified = RefCell::new((0usize, 0usize, 0usize));
    let mut runner = TestRunner::new(theorem2_support::config(file!(), 64));
    runner
        .run(&(any::<u64>(), 1i64..40), |(seed, weight_hundredths)| {
            let instance =
                Theorem2Entry::paper(Thresholding::Soft).generate(&mut case_rng(seed, 3));
            let (y, _) = instance.signal_and_chain();
            let layer = instance.model.layer(1);
            let weight = r(weight_hundredths, 100);
            let mut counts = certified.borrow_mut();
            counts.0 += 1;
            let (small_layer, small_y, small_weight) = small(layer, &y, &weight);
            match certified_lasso(&small_layer, &small_y, &small_weight) {
                Ok(certificate) => {
                    counts.1 += 1;
                    counts.2 += usize::from(certificate.unique);
                    let estimate = certificate.estimate.map(SmallRational::to_big);
                    prop_assert!(satisfies_kkt(layer, &y, &estimate, &weight));
                }
                Err(failure) => eprintln!("uncertified: {}", failure.reason),
            }
            Ok(())
        })
        .unwrap();
    let (cases, ok, unique) = *certified.borrow();
    eprintln!("LASSO: {cases} problems, {ok} certified, {unique} unique");
    assert!(
        ok as f64 >= 0.95 * cases as f64,
        "certification must almost always succeed"
    );
}

/// A layer of `m` filters of `n` taps over `m_prev` channels with small integer taps (not unit
/// norm: the Gram identities do not need it), from a flat list of taps.
fn integer_layer(m: usize, n: usize, m_prev: usize, taps: &[i64]) -> mlcsc::Layer<Rational> {
    let filters = (0..m)
        .map(|c| {
            (0..n)
                .map(|t| {
                    (0..m_prev)
                        .map(|k| r(taps[(c * n + t) * m_prev + k], 1))
                        .collect()
                })
                .collect()
        })
        .collect();
    mlcsc::Layer::new_unchecked_norm(1, filters).expect("a valid layer")
}

/// C4: the banded solve of `D_Sᵀ D_S x = b` from filter correlations equals the dense exact
/// solve on the Gram matrix of full-length atoms, and refuses exactly the singular supports;
/// signal lengths down to 1 make atoms wrap around the circle and meet on both sides.
#[test]
fn banded_gram_solve_equals_the_dense_exact_solve() {
    let tally = RefCell::new((0usize, 0usize, 0usize));
    let mut runner = TestRunner::new(theorem2_support::config(file!(), 256));
    let shapes = (1usize..4, 1usize..6, 1usize..3, 1usize..14);
    let problem = shapes.prop_flat_map(|(m, n, m_prev, length)| {
        (
            Just((m, n, m_prev, length)),
            proptest::collection::vec(-2i64..3, m * n * m_prev),
            proptest::collection::vec(any::<bool>(), m * length),
            proptest::collection::vec(-5i64..6, m * length),
        )
    });
    runner
        .run(
            &problem,
            |((m, n, m_prev, length), taps, chosen, values)| {
                let layer = integer_layer(m, n, m_prev, &taps);
                let atoms: Vec<usize> = (0..m * length).filter(|&k| chosen[k]).collect();
                let rhs: Vec<Rational> = atoms.iter().map(|&k| r(values[k], 1)).collect();
                let dictionary = dense_dictionary(&layer, length);
                let columns = dictionary.select_columns(&atoms);
                let gram = columns.transpose() * &columns;
                let dense = solve(&gram, &nalgebra::DVector::from_vec(rhs.clone()));
                let correlations = AtomCorrelations::new(&layer, length);
                for (a, &k) in atoms.iter().enumerate() {
                    for (b, &l) in atoms.iter().enumerate() {
                        prop_assert_eq!(&correlations.inner_product(k, l), &gram[(a, b)]);
                    }
                }
                let banded = solve_support_gram(&correlations, &atoms, &rhs);
                let mut t = tally.borrow_mut();
                t.0 += 1;
                t.2 += usize::from(length < 2 * n - 1 && atoms.len() > 1);
                match (dense, banded) {
                    (Ok(x), Ok(y)) => {
                        t.1 += 1;
                        prop_assert_eq!(x.as_slice(), &y[..]);
                    }
                    (Err(_), Err(_)) => {}
                    (dense, banded) => {
                        return Err(TestCaseError::fail(format!(
                            "dense {dense:?}, banded {banded:?}"
                        )));
                    }
                }
                Ok(())
            },
        )
        .unwrap();
    let (cases, nonsingular, wrapping) = *tally.borrow();
    eprintln!("banded Gram: {cases} supports, {nonsingular} nonsingular, {wrapping} wrapping");
    assert!(
        nonsingular * 4 >= cases,
        "nonsingular supports must be exercised"
    );
    assert!(
        wrapping * 10 >= cases,
        "atoms meeting on both sides must be exercised"
    );
}

/// The certificate has teeth: on a LASSO whose minimiser was certified unique, the same
/// support with one sign flipped, with one atom dropped, or with one atom added (either sign)
/// is refused by the exact check, since a certified guess would be a second minimiser.
#[test]
fn a_wrong_sign_or_support_is_refused_by_the_kkt_check() {
    let mut problems = 0usize;
    for seed in 0..24 {
        let instance = basis_pursuit_entry().generate(&mut case_rng(seed, 0));
        let (y, _) = instance.signal_and_chain();
        let layer = instance.model.layer(1);
        let (layer, y, weight) = small(layer, &y, &r(1, 20));
        let Ok(certificate) = certified_lasso(&layer, &y, &weight) else {
            continue;
        };
        if !certificate.unique || certificate.support_size == 0 {
            continue;
        }
        let support: Vec<(usize, i64)> = certificate
            .estimate
            .entries()
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_zero())
            .map(|(k, v)| (k, if v.is_positive() { 1 } else { -1 }))
            .collect();
        let outside =
            (0..y.length() * layer.filter_count()).find(|k| support.iter().all(|&(j, _)| j != *k));
        let exact = ExactLasso::new(&layer, &y, &weight);
        assert!(
            matches!(exact.check_support(&support), SupportCheck::Certified { ref estimate, .. } if *estimate == certificate.estimate),
            "the certified support is certified again"
        );
        let mut wrong = Vec::new();
        let mut flipped = support.clone();
        flipped[0].1 = -flipped[0].1;
        wrong.push(flipped);
        wrong.push(support[1..].to_vec());
        if let Some(k) = outside {
            for sign in [1, -1] {
                let mut added = support.clone();
                added.push((k, sign));
                wrong.push(added);
            }
        }
        for guess in wrong {
            problems += 1;
            let verdict = exact.check_support(&guess);
            assert!(
                !matches!(verdict, SupportCheck::Certified { .. }),
                "seed {seed}: a wrong guess {guess:?} was certified"
            );
        }
    }
    eprintln!("wrong supports and signs: all {problems} refused");
    assert!(problems >= 30, "enough wrong guesses must be tried");
}

/// FISTA written plainly on the generic operators ([`synthesis`], [`analysis`] and the
/// `LayerVector` arithmetic in `f64`): the reference the solver's own loop must equal bit for
/// bit, with its gap evaluated as `duality_gap` documents.
fn reference_fista(
    layer: &mlcsc::Layer<f64>,
    y: &LayerVector<f64>,
    weight: f64,
    relative_gap: f64,
    max_iterations: usize,
) -> (LayerVector<f64>, usize, f64) {
    let reference_gap = |x: &LayerVector<f64>| {
        let residual = y.difference(&synthesis(layer, x));
        let correlations = analysis(layer, &residual);
        let largest = correlations.max_abs();
        let s = if largest > weight {
            weight / largest
        } else {
            1.0
        };
        let data = 0.5 * (1.0 - s) * (1.0 - s) * residual.inner_product(&residual);
        let complementarity: f64 = x
            .entries()
            .iter()
            .zip(correlations.entries())
            .map(|(v, c)| (weight * v.abs() - s * v * c).max(0.0))
            .sum();
        data + complementarity
    };
    let step = 1.0 / lipschitz_bound(layer).max(f64::MIN_POSITIVE);
    let mut x = LayerVector::zeros(y.length(), layer.filter_count());
    let mut v = x.clone();
    let mut t = 1.0f64;
    let target = relative_gap * 0.5 * y.inner_product(y);
    let (mut gap, mut iterations) = (f64::INFINITY, 0);
    while iterations < max_iterations {
        iterations += 1;
        let gradient = analysis(layer, &synthesis(layer, &v).difference(y));
        let next: Vec<f64> = v
            .entries()
            .iter()
            .zip(gradient.entries())
            .map(|(a, g)| {
                let z = a - step * g;
                z.signum() * (z.abs() - step * weight).max(0.0)
            })
            .collect();
        let t_next = 0.5 * (1.0 + (1.0 + 4.0 * t * t).sqrt());
        let momentum = (t - 1.0) / t_next;
        let moved = next
            .iter()
            .zip(x.entries())
            .map(|(n, o)| n + momentum * (n - o))
            .collect();
        v = LayerVector::from_entries(y.length(), x.channels(), moved).expect("shape");
        x = LayerVector::from_entries(y.length(), x.channels(), next).expect("shape");
        t = t_next;
        if iterations % 20 == 0 {
            gap = reference_gap(&x);
            if gap <= target {
                break;
            }
        }
    }
    let final_gap = reference_gap(&x);
    assert_eq!(
        duality_gap(y, layer, &x, weight).to_bits(),
        final_gap.to_bits(),
        "duality_gap equals the reference gap bit for bit"
    );
    (x, iterations, gap)
}

/// The solver's loop on flat buffers computes every sum of the generic operators in the same
/// order: its estimate, iteration count and gap equal the plain reference bit for bit, on every
/// layer of generated instances at two weights, and on signals shorter than a filter.
#[test]
fn fista_on_flat_buffers_equals_the_generic_operators_bit_for_bit() {
    let mut runs = 0;
    for seed in 0..12 {
        let instance = basis_pursuit_entry().generate(&mut case_rng(seed, 7));
        let (y, chain) = instance.signal_and_chain();
        for i in 1..chain.len() {
            let layer = instance.model.layer(i).map(|v| v.to_f64());
            let input = if i == 1 {
                y.to_f64()
            } else {
                chain[i - 1].to_f64()
            };
            for (weight, relative_gap, iterations) in [(0.05, 1e-14, 400), (0.3, 0.0, 60)] {
                let solution = lasso_fista(&layer, &input, weight, relative_gap, iterations);
                let (x, count, gap) =
                    reference_fista(&layer, &input, weight, relative_gap, iterations);
                let bits = |v: &LayerVector<f64>| -> Vec<u64> {
                    v.entries().iter().map(|e| e.to_bits()).collect()
                };
                assert_eq!(bits(&solution.estimate), bits(&x), "seed {seed}, layer {i}");
                assert_eq!(solution.iterations, count);
                assert_eq!(solution.duality_gap.to_bits(), gap.to_bits());
                runs += 1;
            }
        }
    }
    // Short signals: lengths not a multiple of the solver's block of positions, and below the
    // filter length (an atom wraps around the circle more than once).
    let taps: Vec<i64> = (0..2 * 4 * 2).map(|k| (k * 7 % 5) - 2).collect();
    let layer = integer_layer(2, 4, 2, &taps).map(|v| v.to_f64());
    for length in 1..11 {
        let values = (0..2 * length)
            .map(|k| ((k * 13 % 7) as f64 - 3.0) / 4.0)
            .collect();
        let input = LayerVector::from_entries(length, 2, values).expect("shape");
        let solution = lasso_fista(&layer, &input, 0.1, 0.0, 45);
        let (x, count, gap) = reference_fista(&layer, &input, 0.1, 0.0, 45);
        let bits = |v: &LayerVector<f64>| -> Vec<u64> {
            v.entries().iter().map(|e| e.to_bits()).collect()
        };
        assert_eq!(bits(&solution.estimate), bits(&x), "length {length}");
        assert_eq!(
            (solution.iterations, solution.duality_gap.to_bits()),
            (count, gap.to_bits())
        );
        runs += 1;
    }
    assert!(runs >= 40, "enough solver runs must be compared");
}

#[test]
fn fista_drives_the_duality_gap_down() {
    // A designed first layer (not a two-tap ladder, on which 20 iterations already reach the
    // minimiser), so that the long run has a gap to close.
    let instance = mlcsc::generate::theorem2::generate_theorem2_instance(
        &mut case_rng(5, 0),
        &mlcsc::generate::theorem2::Theorem2Settings::new(Thresholding::Soft),
        "fista",
    );
    let (y, _) = instance.signal_and_chain();
    let layer = instance.model.layer(1).map(|v| v.to_f64());
    let y = y.to_f64();
    let short = lasso_fista(&layer, &y, 0.05, 0.0, 20);
    let long = lasso_fista(&layer, &y, 0.05, 1e-14, 5000);
    let gap_short = duality_gap(&y, &layer, &short.estimate, 0.05);
    eprintln!(
        "gap after 20 iterations {gap_short:e}, after {} {:e}",
        long.iterations, long.duality_gap
    );
    assert!(long.duality_gap < gap_short);
    assert!(long.duality_gap <= 1e-14 * 0.5 * y.inner_product(&y) + f64::EPSILON);
}

#[test]
fn layered_basis_pursuit_is_stable_at_every_contrast() {
    let entry = basis_pursuit_entry();
    let tally = RefCell::new((0usize, 0usize, 0usize, 0usize));
    let mut runner = TestRunner::new(theorem2_support::config(file!(), 120));
    runner
        .run(&any::<u64>(), |seed| {
            let instance = entry.generate(&mut case_rng(seed, 0));
            let outcome = entry.check(&instance);
            let mut t = tally.borrow_mut();
            t.0 += 1;
            prop_assert!(outcome.certified);
            match &outcome.verdict {
                Verdict::Holds => {
                    t.1 += 1;
                    // Where Theorem 2 says nothing (its hypotheses fail), this theorem still holds.
                    if !mlcsc::theorems::theorem2::check_theorem2(&instance)
                        .verdict
                        .hypotheses_met()
                    {
                        t.2 += 1;
                    }
                }
                Verdict::Vacuous(_) => {}
                Verdict::Undecided { .. } => t.3 += 1,
                Verdict::Violated(w) => {
                    let file =
                        serde_json::to_string_pretty(&instance.to_file()).expect("serialises");
                    return Err(TestCaseError::fail(format!("{w:?}\n{file}")));
                }
            }
            Ok(())
        })
        .unwrap();
    let (cases, holds, beyond_theorem2, undecided) = *tally.borrow();
    eprintln!(
        "layered basis pursuit: {cases} cases, {holds} hold, {beyond_theorem2} of them outside Theorem 2's hypotheses, {undecided} undecided"
    );
    assert!(
        holds as f64 >= 0.6 * cases as f64,
        "hypotheses met in at least 60% of cases"
    );
    assert!(
        beyond_theorem2 as f64 >= 0.1 * holds as f64,
        "low-contrast cases must be exercised"
    );
    assert!(undecided as f64 <= 0.05 * cases as f64);
}

#[test]
fn an_entrywise_bound_of_half_epsilon_is_false() {
    // The LASSO shrinks every recovered entry by about ξ = 4ε, so an error bound of ε/2 in place
    // of 7.5ε must fail on noisy instances.
    let entry = basis_pursuit_entry();
    let wrong = Variant::PAPER.with(Part::EntrywiseErrorFactor, 1, 2);
    let mut violated = 0;
    let mut met = 0;
    for seed in 0..40 {
        let instance = entry.generate(&mut case_rng(seed, 0));
        if !check_layered_basis_pursuit(&instance)
            .verdict
            .hypotheses_met()
        {
            continue;
        }
        met += 1;
        if let Verdict::Violated(w) = check_layered_basis_pursuit_with(&instance, &wrong).verdict {
            violated += 1;
            assert!(matches!(
                w.conclusion,
                mlcsc::theorems::clause::Clause::BasisPursuit(_)
            ));
        }
    }
    eprintln!("error bound ε/2: {violated} of {met} cases violated");
    assert!(
        violated as f64 >= 0.5 * met as f64,
        "the control must find counterexamples"
    );
}

/// `forward --pursuit basis-pursuit` is a pursuit: it runs on every valid instance, including
/// noise-free ones and ones outside the stability theorem's hypotheses (exit 0, one estimate per
/// layer), while `check --theorem layered-basis-pursuit` says the theorem is vacuous there.
#[test]
fn basis_pursuit_runs_on_instances_outside_its_theorem() {
    for fixture in [
        "theorem2/three-layers.json",
        "instances/dirac-exact-tie.json",
    ] {
        let output = mlcsc(["forward", "--pursuit", "basis-pursuit", "--json"])
            .arg(cli::fixture(fixture))
            .output()
            .expect("runs");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{fixture}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("JSON output");
        let layers = report["layers"].as_array().expect("layers");
        assert!(!layers.is_empty(), "{fixture}: no estimates");
        assert!(
            layers.iter().all(|l| l["certified"] == true),
            "{fixture}: every minimiser is certified"
        );
    }
}

/// Two identical filters make the LASSO minimiser non-unique: the Gram matrix of the solver's
/// support is singular. The atom whose pivot vanishes is a combination of the atoms before it,
/// so the solver drops it and the certificate decides the reduced support: a minimiser,
/// certified exactly and marked not unique (proofs/layered_basis_pursuit.md, C2), where the
/// solver used to give up and run to its iteration cap. `forward` certifies every layer.
#[test]
fn repeated_filters_give_a_certified_minimiser_that_is_not_unique() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let instance = r#"{
  "format": "mlcsc-instance-1",
  "name": "repeated-filters",
  "source": "tests/all/layered_basis_pursuit.rs: filters 1 and 3 equal, so D_S^T D_S is singular",
  "signal-length": 16,
  "thresholding": "soft",
  "layers": [
    { "filters": [[["3/5"], ["4/5"]], [["4/5"], ["-3/5"]], [["3/5"], ["4/5"]], [["4/5"], ["-3/5"]]],
      "threshold": "1/5" },
    { "filters": [[["1", "0", "0", "0"]]], "threshold": "1/5" }
  ],
  "deepest-representation": [{ "position": 0, "channel": 0, "value": "5/4" }],
  "noise": [{ "position": 0, "channel": 0, "value": "1/1000" }]
}"#;
    std::fs::write(scratch.path().join("repeated.json"), instance).expect("write");
    let report = json_in(
        scratch.path(),
        [
            "forward",
            "--pursuit",
            "basis-pursuit",
            "--json",
            "repeated.json",
        ],
    );
    let first = &report["layers"][0];
    assert_eq!(first["certified"], true, "{report}");
    assert_eq!(report["layers"][1]["certified"], true, "{report}");
    // The first layer's problem itself: filters 0 and 2 (and 1 and 3) are equal.
    let pair = |a: i64, b: i64| vec![vec![r(a, 5)], vec![r(b, 5)]];
    let filters = vec![pair(3, 4), pair(4, -3), pair(3, 4), pair(4, -3)];
    let layer = mlcsc::Layer::new(1, filters).expect("unit filters");
    let mut y = LayerVector::zeros(16, 1);
    for (position, value) in [(0, r(3, 4)), (1, r(1, 1)), (5, r(-1, 2)), (6, r(2, 3))] {
        y.set(position, 0, value);
    }
    let weight = r(1, 20);
    let (small_layer, small_y, small_weight) = small(&layer, &y, &weight);
    let certificate =
        certified_lasso(&small_layer, &small_y, &small_weight).expect("certified minimiser");
    assert!(
        !certificate.unique,
        "equal atoms: the minimiser is not unique"
    );
    let estimate = certificate.estimate.map(SmallRational::to_big);
    assert!(satisfies_kkt(&layer, &y, &estimate, &weight));
}
