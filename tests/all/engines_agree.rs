//! Every engine held to the specification.
//!
//! - The kernels of the fast exact engine ([`IntegerViews`]: integer views, the patch screen,
//!   the sign screen) return exactly what the definitions ([`Plain`]) return, in
//!   [`SmallRational`] and in [`Rational`].
//! - Every Theorem 2 report of the fast path (`SmallRational` with [`IntegerViews`], what
//!   campaigns and `check` run) equals the specification's over [`Rational`] with [`Plain`],
//!   verdict and every reported number, on instances from every registered generator and on
//!   every fixture.
//! - The sound `f64` verdict is the specification's verdict, or `undecided`.

use crate::common;

use mlcsc::conjecture::registry;
use mlcsc::exact_engine::IntegerViews;
use mlcsc::fast;
use mlcsc::generate::theorem2::case_rng;
use mlcsc::instance::{Instance, small_instance};
use mlcsc::io::InstanceFile;
use mlcsc::kernels::{Kernels, Plain};
use mlcsc::model::{Geometry, Layer, LayerVector, Padding};
use mlcsc::pursuit::Thresholding;
use mlcsc::scalar::{Rational, Scalar};
use mlcsc::small_rational::SmallRational;
use mlcsc::theorems::surd::{SquareClasses, Surd};
use mlcsc::theorems::theorem2::{Statement, Theorem2Report, exact_report};
use mlcsc::theorems::verdict::Verdict;
use mlcsc::threshold::Threshold;
use num_bigint::BigInt;
use num_traits::Zero;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const REGRESSIONS: &str = "proptest-regressions/engines_agree.txt";

/// Small fractions with zeros or, when `any_size`, also parts of up to 126 bits, so that
/// integer views exist in most cases and not in all.
fn entry(any_size: bool) -> impl Strategy<Value = Rational> {
    prop_oneof![
        3 => Just(Rational::zero()),
        6 => (-40i64..40, 1i64..24).prop_map(|(n, d)| Rational::new(n.into(), d.into())),
        if any_size { 2 } else { 0 } => (any::<i64>(), any::<i64>(), 1i64..i64::MAX)
            .prop_map(|(a, b, d)| Rational::new(BigInt::from(a) * BigInt::from(b), BigInt::from(d))),
    ]
}

/// A layer of random (not unit) exact filters, a vector `Z` over its input channels and the
/// width of a patch (up to twice the length, so widths beyond `N` occur); in a quarter of the
/// cases the entries may be of any size.
fn layer_and_vector() -> impl Strategy<Value = (Layer<Rational>, LayerVector<Rational>, usize)> {
    (1usize..6, 1usize..4, 1usize..4, 1usize..10, 0u8..4)
        .prop_flat_map(|(n, m, m_previous, length, kind)| {
            let any_size = kind == 0;
            (
                Just((n, m_previous, length)),
                proptest::collection::vec(entry(any_size), n * m * m_previous),
                proptest::collection::vec(entry(any_size), length * m_previous),
                0usize..2 * length + 1,
            )
        })
        .prop_map(|((n, m_previous, length), taps, z, width)| {
            let filters = taps
                .chunks(n * m_previous)
                .map(|f| f.chunks(m_previous).map(<[Rational]>::to_vec).collect())
                .collect();
            let layer = Layer::new_unchecked_norm(1, filters).expect("shapes agree");
            let z = LayerVector::from_entries(length, m_previous, z).expect("sizes agree");
            (layer, z, width)
        })
}

/// `K`'s kernels on one layer, vector and width equal [`Plain`]'s, for every thresholding and
/// for thresholds tied to a correlation, half of one, and zero.
fn kernels_equal_plain<S: Scalar, K: Kernels<S>>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
    width: usize,
) -> Result<(), TestCaseError> {
    let correlations = <Plain as Kernels<S>>::analysis(layer, z);
    prop_assert_eq!(&K::analysis(layer, z), &correlations, "D_iᵀ Z");
    let largest = correlations.max_abs();
    let half = correlations
        .entries()
        .first()
        .map_or_else(S::zero, |v| v.abs() / S::from_integer(2));
    for thresholding in [
        Thresholding::Soft,
        Thresholding::Nonnegative,
        Thresholding::Hard,
    ] {
        for beta in [largest.clone(), half.clone(), S::zero()] {
            let beta = &Threshold::Shared(beta);
            prop_assert_eq!(
                K::thresholded_analysis(layer, z, thresholding, beta),
                <Plain as Kernels<S>>::thresholded_analysis(layer, z, thresholding, beta),
                "T_β(D_iᵀ Z) for {:?}",
                thresholding
            );
        }
    }
    prop_assert_eq!(
        K::patch_norm_squared(z, width),
        <Plain as Kernels<S>>::patch_norm_squared(z, width),
        "(‖Z‖^P_2,∞)² at width {}",
        width
    );
    Ok(())
}

/// The fast exact kernels compute exactly the definitions, in machine-word and in big
/// rationals. Counted hypothesis: the integer views of the taps and of `Z` exist (so the
/// integer path, not its fallback, is what was compared).
#[test]
fn integer_view_kernels_equal_the_plain_definitions() {
    common::check_with_hypotheses(
        "integer-view kernels equal the plain definitions",
        common::config(400, REGRESSIONS),
        0.3,
        layer_and_vector(),
        |(layer, z, width)| {
            kernels_equal_plain::<Rational, IntegerViews>(&layer, &z, width)?;
            let small_layer = layer.map(|v| SmallRational::from(v));
            let small_z = z.map(|v| SmallRational::from(v));
            kernels_equal_plain::<SmallRational, IntegerViews>(&small_layer, &small_z, width)?;
            Ok(
                <SmallRational as mlcsc::integer_view::IntegerView>::over_common_denominator(small_layer.taps()).is_some()
                    && <SmallRational as mlcsc::integer_view::IntegerView>::over_common_denominator(small_z.entries()).is_some(),
            )
        },
    );
}

/// An entry rounded to a multiple of 1/8 in `[-8, 8)`: products of two such are multiples of
/// 1/64 below 64 in magnitude, so every sum of a few dozen of them is exact in `f64`, in any
/// order.
fn dyadic(value: &Rational) -> f64 {
    let eighths: BigInt = (value * Rational::from_integer(8.into()))
        .round()
        .to_integer()
        % 64;
    num_traits::ToPrimitive::to_f64(&eighths).expect("small") / 8.0
}

/// A stride of 1 to 3 with circular, valid or zero padding (up to 2 zeros on each side).
fn geometry() -> impl Strategy<Value = Geometry> {
    (1usize..4, 0u8..4, 0usize..3, 0usize..3).prop_map(|(stride, kind, left, right)| Geometry {
        stride,
        padding: match kind {
            0 => Padding::Circular,
            1 => Padding::Valid,
            _ => Padding::Zero { left, right },
        },
    })
}

/// One threshold per output channel: every engine's `T_β(D_iᵀ Z)`, channel `c` thresholded at
/// `β_c`, equals the specification's, on the paper's layers and on strided and padded ones:
/// the integer views in big and machine-word rationals, and the fast `f64` kernels on dyadic
/// entries (where every sum is exact, so any order of summation gives the specification's
/// values). Counted hypothesis: the channels' thresholds differ.
#[test]
fn per_channel_thresholded_analysis_equals_the_specification_in_every_engine() {
    let betas = proptest::collection::vec((0i64..40, 1i64..8), 3);
    common::check_with_hypotheses(
        "per-channel thresholded analysis equals the specification in every engine",
        common::config(300, REGRESSIONS),
        0.3,
        (layer_and_vector(), geometry(), betas),
        |((layer, z, _), geometry, betas)| {
            let layer = layer.with_geometry(geometry);
            let m = layer.filter_count();
            let beta = Threshold::per_channel(
                (betas[..m].iter())
                    .map(|&(n, d)| Rational::new(n.into(), d.into()))
                    .collect(),
            );
            let (small_layer, small_z) = (
                layer.map(|v| SmallRational::from(v)),
                z.map(|v| SmallRational::from(v)),
            );
            let small_beta = beta.map(|v| SmallRational::from(v));
            let (layer64, z64) = (layer.map(dyadic), z.map(dyadic));
            let beta64 = beta.map(dyadic);
            for thresholding in [
                Thresholding::Soft,
                Thresholding::Nonnegative,
                Thresholding::Hard,
            ] {
                let plain = <Plain as Kernels<Rational>>::thresholded_analysis(
                    &layer,
                    &z,
                    thresholding,
                    &beta,
                );
                prop_assert_eq!(
                    &plain,
                    &beta.apply(thresholding, &mlcsc::operators::analysis(&layer, &z))
                );
                prop_assert_eq!(
                    &<IntegerViews as Kernels<Rational>>::thresholded_analysis(
                        &layer,
                        &z,
                        thresholding,
                        &beta
                    ),
                    &plain,
                    "Rational, {:?}",
                    thresholding
                );
                prop_assert_eq!(
                    <IntegerViews as Kernels<SmallRational>>::thresholded_analysis(
                        &small_layer,
                        &small_z,
                        thresholding,
                        &small_beta
                    ),
                    <Plain as Kernels<SmallRational>>::thresholded_analysis(
                        &small_layer,
                        &small_z,
                        thresholding,
                        &small_beta
                    ),
                    "SmallRational, {:?}",
                    thresholding
                );
                prop_assert_eq!(
                    fast::thresholded_analysis_at(&layer64, &z64, thresholding, &beta64),
                    <Plain as Kernels<f64>>::thresholded_analysis(
                        &layer64,
                        &z64,
                        thresholding,
                        &beta64
                    ),
                    "f64, {:?}",
                    thresholding
                );
            }
            Ok(beta.shared().is_none())
        },
    );
}

/// The screened sign of a sum of square roots `c_0 + c_1 sqrt(2) + c_2 sqrt(3) + c_3 sqrt(6)`
/// is the certified one, on sums drawn near zero (`c_0` set to minus a rational
/// approximation of the rest, so that the screen must refuse some and the enclosures decide).
/// Counted hypothesis: the sum is irrational and within 2^-20 of zero.
#[test]
fn screened_signs_of_sums_of_square_roots_equal_the_certified_ones() {
    let (classes, _) = SquareClasses::<Rational>::new(&[2, 3, 6], None);
    let coefficient = (-30i64..30, 1i64..20).prop_map(|(n, d)| Rational::new(n.into(), d.into()));
    common::check_with_hypotheses(
        "screened signs of sums of square roots equal the certified ones",
        common::config(400, REGRESSIONS),
        0.3,
        (
            [coefficient.clone(), coefficient.clone(), coefficient],
            0u32..60,
        ),
        |([c1, c2, c3], shift)| {
            let roots = [2usize, 3, 6].map(|p| classes.sqrt_integer(p));
            let irrational = roots[0]
                .scale(&c1)
                .add(&roots[1].scale(&c2))
                .add(&roots[2].scale(&c3));
            // c_0 = −(the rest rounded to 2^-shift), so the sum is within 2^-shift of zero.
            let scale = Rational::from_integer(BigInt::from(1u64) << shift);
            let approximation =
                (Rational::from_float(classes.to_f64(&irrational)).unwrap() * &scale).round()
                    / &scale;
            let x: Surd<Rational> = irrational.add_rational(&-approximation);
            let screened = <IntegerViews as Kernels<Rational>>::sign(&classes, &x);
            let certified = <Plain as Kernels<Rational>>::sign(&classes, &x);
            prop_assert_eq!(screened.sign, certified.sign);
            Ok(x.rational_value().is_none() && shift >= 20)
        },
    );
}

/// The specification's report: big rationals and the plain kernels.
fn specification(instance: &Instance<Rational>, statement: Statement) -> Theorem2Report {
    exact_report::<Rational, Plain>(instance, statement)
}

/// The fast path's report on `instance` equals the specification's, JSON text for JSON text;
/// and the sound `f64` verdict is the specification's or `undecided`.
fn engines_agree_on(instance: &Instance<Rational>, statement: Statement, what: &str) {
    let reference = specification(instance, statement);
    let fast = exact_report::<SmallRational, IntegerViews>(&small_instance(instance), statement);
    let text = |report: &Theorem2Report| serde_json::to_string(report).expect("serialises");
    assert_eq!(text(&fast), text(&reference), "{what}: fast report differs");
    let sound = mlcsc::theorems::theorem2::check_theorem2_statement(&instance.to_f64(), statement);
    assert!(
        matches!(sound.verdict, Verdict::Undecided { .. })
            || sound.verdict.name() == reference.verdict.name(),
        "{what}: the f64 verdict {} contradicts the specification's {}",
        sound.verdict.name(),
        reference.verdict.name()
    );
}

/// Every registered generator (Theorem 2's and every other result's), every Theorem 2 form:
/// the fast report equals the specification's. Every generator must give cases on which some
/// form's hypotheses hold, and every verdict must occur.
#[test]
fn fast_theorem2_reports_equal_the_specification_on_every_generator() {
    let forms = common::theorem2_forms();
    let mut verdicts = std::collections::BTreeMap::new();
    for entry in registry() {
        let mut met = 0;
        for case in 0..6 {
            let instance = entry.generate(&mut case_rng(2017, case));
            // Theorem 2 and Definition 1 are stated for the paper's layers (stride 1,
            // circular): a strided generator's instances are refused before any work.
            if !instance.model.has_paper_geometry() {
                continue;
            }
            for form in &forms {
                let mut instance = instance.clone();
                if let Some(variant) = form.statement().fixed_thresholding() {
                    instance.thresholding = variant;
                }
                let statement = form.statement().statement();
                let what = format!("{} case {case}, {}", entry.name(), form.name());
                engines_agree_on(&instance, statement, &what);
                let verdict = specification(&instance, statement).verdict;
                met += usize::from(verdict.hypotheses_met());
                *verdicts.entry(verdict.name()).or_insert(0) += 1;
            }
        }
        println!(
            "engines agree on the generator of {}: {met} checks met the hypotheses",
            entry.name()
        );
    }
    println!("verdicts compared: {verdicts:?}");
    for name in ["holds", "vacuous", "violated"] {
        assert!(
            verdicts.get(name).copied().unwrap_or(0) > 0,
            "no case was {name}"
        );
    }
}

/// Every fixture instance, every Theorem 2 form: the fast report equals the specification's.
#[test]
fn fast_theorem2_reports_equal_the_specification_on_every_fixture() {
    let mut files = Vec::new();
    for folder in ["theorem2", "instances", "verdicts"] {
        files.extend(common::fixture_files(folder));
    }
    let mut compared = 0;
    for path in &files {
        let Ok(instance) = InstanceFile::read(path).and_then(|f| f.to_exact()) else {
            continue; // a fixture of a refused file (its error is tested elsewhere)
        };
        for form in common::theorem2_forms() {
            let what = format!("{} with {}", path.display(), form.name());
            engines_agree_on(&instance, form.statement().statement(), &what);
            compared += 1;
        }
    }
    println!("engines agree on {compared} fixture checks");
    assert!(compared >= 60, "too few fixtures compared: {compared}");
}

/// One Definition 1 problem, decided by the specification over [`Rational`] and by the fast
/// instantiation at [`SmallRational`] (the inputs converted once, as the registered entry
/// `definition1-true-chain-is-feasible` does): the two verdicts, numbers included, are equal.
/// `squared_budgets` selects `DCP^E_λ`; without it, `DCP_λ`. Returns the specification's.
fn definition1_engines_agree(
    model: &mlcsc::Model<Rational>,
    signal: &LayerVector<Rational>,
    candidate: &[LayerVector<Rational>],
    lambda: &[usize],
    squared_budgets: Option<&[Rational]>,
    what: &str,
) -> mlcsc::theorems::definition1::DcpVerdict {
    use mlcsc::theorems::definition1::{deep_coding_problem, noisy_deep_coding_problem};
    let small = |v: &Rational| SmallRational::from(v);
    let fast_model = model.map(small);
    let fast_signal = signal.map(small);
    let fast_candidate: Vec<_> = candidate.iter().map(|g| g.map(small)).collect();
    let (reference, fast) = match squared_budgets {
        None => (
            deep_coding_problem(model, signal, candidate, lambda),
            deep_coding_problem::<SmallRational>(
                &fast_model,
                &fast_signal,
                &fast_candidate,
                lambda,
            ),
        ),
        Some(budgets) => {
            let fast_budgets: Vec<SmallRational> = budgets.iter().map(small).collect();
            (
                noisy_deep_coding_problem(model, signal, candidate, lambda, budgets),
                noisy_deep_coding_problem::<SmallRational>(
                    &fast_model,
                    &fast_signal,
                    &fast_candidate,
                    lambda,
                    &fast_budgets,
                ),
            )
        }
    };
    let reference = reference.expect("the inputs fit the model");
    let fast = fast.expect("the inputs fit the model");
    assert_eq!(
        fast.map(SmallRational::to_big),
        reference,
        "{what}: the fast Definition 1 verdict differs"
    );
    reference
}

/// Definition 1 on every registered generator: the fast instantiation's verdict equals the
/// specification's over [`Rational`] for the true chain (`DCP_λ` on `X`, and `DCP^E_λ` on
/// `Y = X + E` with `E_0² = ‖E‖²`), a chain with one entry moved by `1/7`, `λ` one below the
/// stripe sparsity, and `DCP^E_λ` with every budget `E_{i-1}²` tied exactly to the moved
/// candidate's squared residual (feasible: the comparison is `≤`), then one budget a thousandth
/// below its residual (infeasible at exactly that layer).
#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one comparison per generator, listed side by side"
)]
fn fast_definition1_verdicts_equal_the_specification_on_every_generator() {
    use mlcsc::norms::stripe_sparsity;
    use mlcsc::operators::synthesis;
    use mlcsc::theorems::definition1::DcpConstraint;
    let mut feasible = 0;
    let mut infeasible = 0;
    let mut tied = 0;
    for entry in registry() {
        for case in 0..6 {
            let instance = entry.generate(&mut case_rng(2017, case));
            // Theorem 2 and Definition 1 are stated for the paper's layers (stride 1,
            // circular): a strided generator's instances are refused before any work.
            if !instance.model.has_paper_geometry() {
                continue;
            }
            let what = format!("{} case {case}", entry.name());
            let model = &instance.model;
            let (signal, chain) = instance.signal_and_chain();
            let sparsities = |gammas: &[LayerVector<Rational>]| -> Vec<usize> {
                (1..=model.depth())
                    .map(|i| stripe_sparsity(&gammas[i - 1], model.layer(i).filter_length()))
                    .collect()
            };
            let lambda = sparsities(&chain[1..]);
            let tight: Vec<usize> = lambda.iter().map(|l| l.saturating_sub(1)).collect();
            let mut noise_budgets = vec![Rational::zero(); model.depth()];
            noise_budgets[0] = instance.noise.inner_product(&instance.noise);
            let mut verdicts = vec![
                definition1_engines_agree(model, &chain[0], &chain[1..], &lambda, None, &what),
                definition1_engines_agree(model, &chain[0], &chain[1..], &tight, None, &what),
                definition1_engines_agree(
                    model,
                    &signal,
                    &chain[1..],
                    &lambda,
                    Some(&noise_budgets),
                    &what,
                ),
            ];
            assert!(
                verdicts[0].is_feasible() && verdicts[2].is_feasible(),
                "{what}"
            );
            // Move one entry of Γ_i (i cycling over the layers) by 1/7.
            let i = 1 + case as usize % model.depth();
            let mut candidate = chain[1..].to_vec();
            if let Some((p, c, v)) = chain[i].support().next().map(|(p, c, v)| (p, c, v.clone())) {
                candidate[i - 1].set(p, c, v + Rational::new(1.into(), 7.into()));
            }
            let candidate_lambda = sparsities(&candidate);
            verdicts.push(definition1_engines_agree(
                model, &chain[0], &candidate, &lambda, None, &what,
            ));
            // Every budget tied exactly to the candidate's squared residual against Y.
            let mut budgets: Vec<Rational> = (1..=model.depth())
                .map(|k| {
                    let previous = if k == 1 { &signal } else { &candidate[k - 2] };
                    let residual =
                        previous.difference(&synthesis(model.layer(k), &candidate[k - 1]));
                    residual.inner_product(&residual)
                })
                .collect();
            let at_tie = definition1_engines_agree(
                model,
                &signal,
                &candidate,
                &candidate_lambda,
                Some(&budgets),
                &what,
            );
            assert!(at_tie.is_feasible(), "{what}: {at_tie:?}");
            if let Some(j) = budgets.iter().position(|b| !b.is_zero()) {
                let thousandth = &budgets[j] / Rational::from_integer(1000.into());
                budgets[j] -= &thousandth;
                let below = definition1_engines_agree(
                    model,
                    &signal,
                    &candidate,
                    &candidate_lambda,
                    Some(&budgets),
                    &what,
                );
                let violations = below.violations();
                assert_eq!(violations.len(), 1, "{what}: {violations:?}");
                assert_eq!(violations[0].layer, j + 1, "{what}");
                assert_eq!(violations[0].constraint, DcpConstraint::ResidualBudget);
                tied += 1;
            }
            verdicts.push(at_tie);
            feasible += verdicts.iter().filter(|v| v.is_feasible()).count();
            infeasible += verdicts.iter().filter(|v| !v.is_feasible()).count();
        }
    }
    println!(
        "Definition 1 engines agree: {feasible} feasible and {infeasible} infeasible verdicts, \
         {tied} budgets tied to a residual then lowered"
    );
    assert!(
        feasible >= 100 && infeasible >= 50 && tied >= 30,
        "too few verdicts of each kind"
    );
}

/// `check --reference` decides with big rationals and the specification's plain definitions:
/// its output equals the fast engine's, byte for byte, for every Theorem 2 form and
/// Definition 1 on every Theorem 2 fixture.
#[test]
fn check_with_the_reference_engine_prints_what_the_fast_engine_prints() {
    let mut compared = 0;
    for path in common::fixture_files("theorem2") {
        let file = path.to_str().expect("a UTF-8 path");
        for theorem in [
            "theorem2",
            "theorem2-without-contrast-term",
            "theorem2-without-patch-sparsity-factor",
            "definition1-true-chain-is-feasible",
        ] {
            let run = |reference: bool| {
                let mut args = vec!["check", "--json", "--theorem", theorem, file];
                if reference {
                    args.push("--reference");
                }
                common::cli::mlcsc(args).output().expect("runs")
            };
            let (fast, reference) = (run(false), run(true));
            assert_eq!(
                fast.status.code(),
                reference.status.code(),
                "{file} {theorem}"
            );
            assert_eq!(fast.stdout, reference.stdout, "{file} {theorem}");
            compared += 1;
        }
    }
    assert!(compared >= 20, "{compared} checks compared");
}

/// The verdict name (`holds`, `violated`, `vacuous`) of an exhaustive or exact result decided by
/// the specification alone, over [`Rational`] with its plain algorithms (exact independence,
/// no modular screen, no machine-word fractions), as the statement files state it.
fn plain_verdict_name(name: &str, instance: &Instance<Rational>) -> &'static str {
    use mlcsc::norms::stripe_sparsity;
    use mlcsc::theorems::uniqueness_theorem::largest_budget_below_bound;
    use mlcsc_spec::coherence::mutual_coherence;
    use mlcsc_spec::theorems::{
        cnn_forward_pass, dcp_stability, stripe_rip, stripe_spark, uniqueness, variant, welch_bound,
    };
    let model = &instance.model;
    let (_, chain) = instance.signal_and_chain();
    let length = model.signal_length();
    let budgets: Option<Vec<usize>> = model
        .layers()
        .iter()
        .map(|layer| largest_budget_below_bound(layer, 16))
        .collect();
    let holds = match name {
        "dcp-uniqueness" => {
            let Some(lambda) = budgets else {
                return "vacuous";
            };
            let check = uniqueness::uniqueness_theorem::<Rational>(
                model,
                &instance.deepest_representation,
                &lambda,
            );
            return check.to_verdict().name();
        }
        "dcp-stability" => {
            let Some(lambda) = budgets else {
                return "vacuous";
            };
            let sparsities = (1..=model.depth())
                .map(|i| stripe_sparsity(&chain[i], model.layer(i).filter_length()));
            if sparsities.zip(&lambda).any(|(s, l)| s > *l) {
                return "vacuous";
            }
            let energy = instance.noise.inner_product(&instance.noise);
            let noise = if energy.is_zero() {
                Rational::from_integer(1.into())
            } else {
                energy
            };
            dcp_stability::dcp_stability_theorem::<Rational>(model, &lambda, &noise)
                .expect("budgets below the bound")
                .iter()
                .all(|layer| layer.holds())
        }
        "stripe-spark-lemma" => model.layers().iter().all(|layer| {
            let spark = stripe_spark::stripe_spark::<Rational>(layer, length).spark;
            stripe_spark::spark_lower_bound_holds(spark, &mutual_coherence(layer), 0)
        }),
        "stripe-rip" => model.layers().iter().enumerate().all(|(index, layer)| {
            let k = stripe_sparsity(&chain[index + 1], layer.filter_length()).max(1);
            stripe_rip::stripe_rip::<Rational>(layer, length, k)
                .certificate
                .holds()
        }),
        "cnn-forward-pass" => cnn_forward_pass::cnn_forward_pass_conclusion(instance).is_ok(),
        "welch-bound" | "welch-single-channel-form" => {
            let mut form = variant::Variant::PAPER;
            if name == "welch-single-channel-form" {
                form = form.with(variant::Part::InputChannels, 1, 1);
            }
            let per_layer = welch_bound::welch_per_layer(model, &form);
            welch_bound::first_welch_violation(model, &per_layer).is_ok()
        }
        other => panic!("no plain form listed for {other}"),
    };
    if holds { "holds" } else { "violated" }
}

/// The exhaustive and exact results the statement files decide in [`SmallRational`] (with the
/// modular independence screen for the stripe spark), and the Welch bound's negative control:
/// on cases of their registered generators, the verdict equals the specification's decided over
/// [`Rational`] with its plain algorithms.
#[test]
fn fast_exhaustive_verdicts_equal_the_specification_on_their_generators() {
    let names = [
        "dcp-uniqueness",
        "dcp-stability",
        "stripe-spark-lemma",
        "stripe-rip",
        "cnn-forward-pass",
        "welch-bound",
        "welch-single-channel-form",
    ];
    let mut verdicts = std::collections::BTreeMap::new();
    for name in names {
        let entry = mlcsc::conjecture::find(name).expect("a registered result");
        for case in 0..5 {
            let instance = entry.generate(&mut case_rng(2017, case));
            // Theorem 2 and Definition 1 are stated for the paper's layers (stride 1,
            // circular): a strided generator's instances are refused before any work.
            if !instance.model.has_paper_geometry() {
                continue;
            }
            let fast = entry.check(&instance).verdict;
            let plain = plain_verdict_name(name, &instance);
            assert_eq!(fast.name(), plain, "{name} case {case}: {fast:?}");
            *verdicts.entry((name, plain)).or_insert(0) += 1;
        }
    }
    println!("verdicts compared: {verdicts:?}");
    let holds = verdicts.keys().filter(|(_, v)| *v == "holds").count();
    assert!(holds >= names.len() - 1 && verdicts.keys().any(|(_, v)| *v == "violated"));
}

/// The stripe spark with independence tested modulo a prime (and modulo 2, where false
/// dependencies are common and the search falls back), in [`SmallRational`], equals the
/// specification's exact circuit search over [`Rational`]: the spark, the witness and the
/// coverage, on every layer of cases of the stripe spark lemma's generator.
#[test]
fn modular_stripe_spark_equals_the_specification_on_its_generator() {
    use mlcsc::theorems::stripe_spark::{stripe_spark, stripe_spark_modulo};
    let entry = mlcsc::conjecture::find("stripe-spark-lemma").expect("a registered result");
    let mut fell_back = 0;
    for case in 0..6 {
        let instance = entry.generate(&mut case_rng(2017, case));
        let length = instance.model.signal_length();
        for layer in instance.model.layers() {
            let mut plain = mlcsc_spec::theorems::stripe_spark::stripe_spark(layer, length);
            let mut fast = stripe_spark(layer, length);
            plain.coverage.elapsed = Default::default();
            fast.coverage.elapsed = Default::default();
            assert_eq!(fast, plain, "case {case}");
            match stripe_spark_modulo(layer, length, 2) {
                Some(mut modulo_two) => {
                    modulo_two.coverage.elapsed = Default::default();
                    assert_eq!(modulo_two, plain, "case {case}, modulo 2");
                }
                None => fell_back += 1,
            }
        }
    }
    println!("modulo 2 fell back on {fell_back} layers");
}

/// One support check of the engine ([`SmallRational`], banded Gram) against the
/// specification's ([`Rational`], dense Gram): the same verdict, estimate and uniqueness
/// (a singular Gram matrix is named by the engine's elimination order, and compared as such).
fn lasso_checks_agree(
    layer: &Layer<Rational>,
    y: &LayerVector<Rational>,
    weight: &Rational,
    support: &[(usize, i64)],
) -> &'static str {
    use mlcsc::pursuit::basis_pursuit::{ExactLasso, SupportCheck};
    use mlcsc_spec::pursuit::lasso_certificate::{LassoSupportCheck, check_lasso_support};
    let small = |x: &Rational| SmallRational::from(x);
    let engine = ExactLasso::new(&layer.map(small), &y.map(small), &small(weight));
    let plain = check_lasso_support(layer, y, weight, support);
    match (engine.check_support(support), plain) {
        (
            SupportCheck::Certified { estimate, unique },
            LassoSupportCheck::Certified {
                estimate: plain_estimate,
                unique: plain_unique,
            },
        ) => {
            assert_eq!(estimate.map(SmallRational::to_big), plain_estimate);
            assert_eq!(unique, plain_unique);
            "certified"
        }
        (
            SupportCheck::SignChanges { entry, atom },
            LassoSupportCheck::SignChanges { entry: e, atom: a },
        ) => {
            assert_eq!((entry, atom), (e, a));
            "sign-changes"
        }
        (
            SupportCheck::OffSupportViolation { atom, sign },
            LassoSupportCheck::OffSupportViolation { atom: a, sign: s },
        ) => {
            assert_eq!((atom, sign), (a, s));
            "off-support"
        }
        (SupportCheck::Singular { .. }, LassoSupportCheck::Singular) => "singular",
        (engine, plain) => panic!("the engine says {engine:?}, the specification {plain:?}"),
    }
}

/// The exact LASSO certificate of the engine (banded Gram solves in [`SmallRational`]) equals
/// the specification's (dense Gram, exact elimination, over [`Rational`]) on the support and
/// signs FISTA proposes, on that support less its first atom and on it with the first missing
/// atom added, for every layer of cases of layered basis pursuit's generator (with `y` the layer
/// above of the true chain and the prescribed weight).
#[test]
fn banded_lasso_certificates_equal_the_specification_on_their_generator() {
    use mlcsc::pursuit::basis_pursuit::{FISTA_SCHEDULE, lasso_fista, support_guess};
    use mlcsc::theorems::layered_basis_pursuit::prescribed_weights;
    let entry = mlcsc::conjecture::find("layered-basis-pursuit").expect("a registered result");
    let mut kinds = std::collections::BTreeMap::new();
    for case in 0..8 {
        let instance = entry.generate(&mut case_rng(2017, case));
        let (signal, chain) = instance.signal_and_chain();
        let weights = prescribed_weights(&instance);
        for (i, weight) in (1..).zip(&weights) {
            let layer = instance.model.layer(i);
            let y = if i == 1 { &signal } else { &chain[i - 1] };
            let (gap, iterations) = FISTA_SCHEDULE[0];
            let to_f64 = |x: &Rational| x.to_f64();
            let solution = lasso_fista(
                &layer.map(to_f64),
                &y.map(to_f64),
                weight.to_f64(),
                gap,
                iterations,
            );
            let guess = support_guess(&solution.estimate, weight.to_f64());
            let mut fewer = guess.clone();
            if !fewer.is_empty() {
                fewer.remove(0);
            }
            let mut more = guess.clone();
            if let Some(atom) = (0..y.entries().len()).find(|k| guess.iter().all(|(g, _)| g != k)) {
                more.push((atom, 1));
                more.sort_unstable();
            }
            for support in [&guess, &fewer, &more] {
                let kind = lasso_checks_agree(layer, y, weight, support);
                *kinds.entry(kind).or_insert(0) += 1;
            }
        }
    }
    println!("support checks compared: {kinds:?}");
    assert!(
        kinds.contains_key("certified") && kinds.len() >= 2,
        "{kinds:?}"
    );
}

/// Layered basis pursuit's solver for the specification over [`Rational`]: the engine's
/// minimiser (its support and signs) re-certified by the specification's dense check, and
/// `sqrt(p)` computed each time.
struct PlainSolver;

impl mlcsc_spec::theorems::layered_basis_pursuit::BasisPursuitSolver<Rational> for PlainSolver {
    fn certify(
        &self,
        layer: &Layer<Rational>,
        y: &LayerVector<Rational>,
        weight: &Rational,
    ) -> Result<mlcsc_spec::theorems::layered_basis_pursuit::CertifiedMinimiser<Rational>, String>
    {
        use mlcsc::pursuit::basis_pursuit::certified_lasso;
        use mlcsc_spec::pursuit::lasso_certificate::{LassoSupportCheck, check_lasso_support};
        use mlcsc_spec::theorems::layered_basis_pursuit::CertifiedMinimiser;
        use num_traits::Signed;
        let small = |x: &Rational| SmallRational::from(x);
        let proposed = certified_lasso(&layer.map(small), &y.map(small), &small(weight))
            .map_err(|failure| failure.reason)?;
        let support: Vec<(usize, i64)> = proposed
            .estimate
            .entries()
            .iter()
            .enumerate()
            .filter(|(_, x)| !x.is_zero())
            .map(|(k, x)| (k, if x.is_positive() { 1 } else { -1 }))
            .collect();
        match check_lasso_support(layer, y, weight, &support) {
            LassoSupportCheck::Certified { estimate, unique } => Ok(CertifiedMinimiser {
                estimate,
                unique,
                support_size: proposed.support_size,
            }),
            other => Err(format!(
                "the specification refuses the engine's minimiser: {other:?}"
            )),
        }
    }
}

/// Layered basis pursuit decided by the specification over [`Rational`] with the plain
/// kernels, each FISTA guess certified by the specification's dense check, gives the report
/// the statement file gives (engine certificate, [`SmallRational`], [`IntegerViews`]): the
/// same verdict, layers and estimates, on cases of its registered generator.
#[test]
fn plain_layered_basis_pursuit_reports_equal_the_fast_ones_on_their_generator() {
    use mlcsc::theorems::layered_basis_pursuit::check_layered_basis_pursuit;
    use mlcsc_spec::theorems::layered_basis_pursuit as statement;
    use mlcsc_spec::theorems::variant::Variant;
    let entry = mlcsc::conjecture::find("layered-basis-pursuit").expect("a registered result");
    let mut verdicts = std::collections::BTreeMap::new();
    for case in 0..6 {
        let instance = entry.generate(&mut case_rng(2017, case));
        let fast = check_layered_basis_pursuit(&instance);
        let plain = statement::check_layered_basis_pursuit::<Rational, Plain>(
            &instance,
            &Variant::PAPER,
            &PlainSolver,
        );
        assert_eq!(fast.verdict, plain.verdict, "case {case}");
        assert_eq!(fast.estimates, plain.estimates, "case {case}");
        assert_eq!(
            serde_json::to_string(&fast.layers).expect("serialisable"),
            serde_json::to_string(&plain.layers).expect("serialisable"),
            "case {case}"
        );
        *verdicts.entry(plain.verdict.name()).or_insert(0) += 1;
    }
    println!("verdicts compared: {verdicts:?}");
    assert!(verdicts.contains_key("holds"), "{verdicts:?}");
}

/// The roots `sqrt(p)` (rounded up) the engine's solver remembers equal the specification's,
/// computed each time, below and above the remembered range.
#[test]
fn remembered_roots_equal_the_specification() {
    use mlcsc::pursuit::basis_pursuit::BandedLasso;
    use mlcsc_spec::theorems::layered_basis_pursuit::{BasisPursuitSolver, root_upper};
    for p in 0..100 {
        let remembered = BandedLasso.root_upper(p);
        assert_eq!(remembered.to_big(), root_upper::<Rational>(p), "p = {p}");
    }
}
