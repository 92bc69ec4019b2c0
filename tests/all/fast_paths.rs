//! The fast paths against the plain ones: [`SmallRational`] computes exactly the values that
//! [`Rational`] computes (including where machine words overflow and it must promote), and so
//! the same certified Theorem 2 reports; the fast `f64` kernels of `mlcsc::fast` agree with the
//! plain operators, norms and pursuit within `OPERATOR_AGREEMENT_RELATIVE`, and counts of
//! nonzeros agree exactly.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};

use mlcsc::Threshold;
use mlcsc::fast;
use mlcsc::generate::theorem2::case_rng;
use mlcsc::instance::{rational_instance, small_instance};
use mlcsc::model::{Layer, LayerVector, Model};
use mlcsc::norms::{patch_norm_squared, patch_sparsity, stripe_sparsity};
use mlcsc::operators::{analysis, synthesis, thresholded_analysis};
use mlcsc::pursuit::{Thresholding, layered_thresholding};
use mlcsc::scalar::{Rational, Scalar};
use mlcsc::small_rational::SmallRational;
use mlcsc::theorems::theorem2::check_theorem2_statement;
use mlcsc::theorems::theorem2_small::check_theorem2_statement_small;
use mlcsc::tolerance::{OPERATOR_AGREEMENT_RELATIVE, SINGLE_AGREEMENT_RELATIVE};
use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const REGRESSIONS: &str = "proptest-regressions/fast_paths.txt";

/// Rationals of every size class: small fractions, power-of-two denominators, parts near the
/// `i64` limits, `i128`-sized parts, and parts beyond `i128`.
fn rationals() -> impl Strategy<Value = Rational> {
    let big = |n: i128, d: i128| Rational::new(BigInt::from(n), BigInt::from(d));
    prop_oneof![
        (-60i128..60, 1i128..40).prop_map(move |(n, d)| big(n, d)),
        (any::<i32>(), 0u32..62).prop_map(move |(n, k)| big(i128::from(n), 1i128 << k)),
        (any::<i64>(), 1i64..=i64::MAX).prop_map(move |(n, d)| big(i128::from(n), i128::from(d))),
        (any::<i64>(), 60u32..64).prop_map(move |(n, k)| big(i128::from(n) << 3, 1i128 << k)),
        (any::<i128>(), 1i128..=i128::MAX).prop_map(move |(n, d)| big(n, d)),
        (any::<i128>(), any::<i64>(), 1i128..i128::MAX).prop_map(move |(n, m, d)| {
            Rational::new(
                BigInt::from(n) * BigInt::from(m),
                BigInt::from(d) * BigInt::from(3),
            )
        }),
    ]
}

fn same(claim: &str, small: &SmallRational, exact: &Rational) -> Result<(), TestCaseError> {
    prop_assert_eq!(&small.to_big(), exact, "{}", claim);
    prop_assert_eq!(
        small,
        &SmallRational::from(exact),
        "{} (canonical form)",
        claim
    );
    Ok(())
}

#[test]
fn small_rationals_compute_exactly_the_values_of_big_rationals() {
    // How many products stayed in i64, needed i128, and needed big integers: each path must be
    // exercised.
    let forms = [(); 3].map(|_| AtomicUsize::new(0));
    let claim = "small rationals compute exactly the values of big rationals";
    let config = common::config(1000, REGRESSIONS);
    let cases = config.cases as usize;
    common::check(
        claim,
        config,
        (rationals(), rationals(), rationals()),
        |(x, y, z)| {
            let (a, b, c) = (
                SmallRational::from(&x),
                SmallRational::from(&y),
                SmallRational::from(&z),
            );
            prop_assert_eq!(a.to_big(), x.clone());
            same("sum", &(&a + &b), &(&x + &y))?;
            same("difference", &(&a - &b), &(&x - &y))?;
            let product = &a * &b;
            same("product", &product, &(&x * &y))?;
            if !y.is_zero() {
                same("quotient", &(&a / &b), &(&x / &y))?;
            }
            let mut accumulated = c.clone();
            SmallRational::multiply_accumulate(&mut accumulated, &a, &b);
            same("multiply-accumulate", &accumulated, &(&z + &x * &y))?;
            let mut assigned = a.clone();
            assigned += &b;
            assigned -= &c;
            same("+= and -=", &assigned, &(&x + &y - &z))?;
            same("negation", &-a.clone(), &-x.clone())?;
            same("absolute value", &a.abs(), &x.abs())?;
            same("sign", &a.signum(), &x.signum())?;
            prop_assert_eq!(a.partial_cmp(&b), x.partial_cmp(&y));
            prop_assert_eq!(a.partial_cmp(&c), x.partial_cmp(&z));
            prop_assert_eq!(a == b, x == y);
            prop_assert_eq!(
                (a.is_positive(), a.is_negative(), a.is_zero()),
                (x.is_positive(), x.is_negative(), x.is_zero())
            );
            prop_assert_eq!(a.to_f64().to_bits(), x.to_f64().to_bits());
            if x.is_positive() {
                let (lo, hi) = a.sqrt_bounds(64);
                let (exact_lo, exact_hi) = x.sqrt_bounds(64);
                same("root, lower end", &lo, &exact_lo)?;
                same("root, upper end", &hi, &exact_hi)?;
            }
            let form = if product.is_small() {
                0
            } else if product.is_big() {
                2
            } else {
                1
            };
            forms[form].fetch_add(1, Ordering::Relaxed);
            Ok(())
        },
    );
    let [small, wide, big] = forms.map(AtomicUsize::into_inner);
    let floor = cases / 20;
    eprintln!(
        "{claim}: of {cases} products, {small} fit i64, {wide} needed i128, {big} were promoted to big integers (floor {floor} each)"
    );
    assert!(
        small >= floor && wide >= floor && big >= floor,
        "{claim}: every form must be exercised in at least {floor} cases"
    );
}

#[test]
fn arithmetic_that_overflows_machine_words_promotes_exactly() {
    let r = |n: i128, d: i128| Rational::new(BigInt::from(n), BigInt::from(d));
    let near_limit = r(i128::from(i64::MAX) - 24, 7);
    let a = SmallRational::from(&near_limit);
    assert!(a.is_small());
    let square = &a * &a;
    assert!(
        !square.is_small() && !square.is_big(),
        "the square fits i128"
    );
    assert_eq!(square.to_big(), &near_limit * &near_limit);
    let fourth = &square * &square;
    assert!(fourth.is_big(), "the fourth power fits no machine word");
    assert_eq!(
        fourth.to_big(),
        &near_limit * &near_limit * &near_limit * &near_limit
    );
    // Back down: the quotient fits i64 again and is demoted.
    let back = &fourth / &(&square * &a);
    assert!(back.is_small());
    assert_eq!(back, a);
    // Sums over i64::MAX and of coprime denominators near the limit.
    let sum = &a + &a;
    assert_eq!(sum.to_big(), &near_limit + &near_limit);
    let coprime = SmallRational::from(&r(1, i128::from(i64::MAX)))
        + SmallRational::from(&r(1, i128::from(i64::MAX) - 1));
    assert_eq!(
        coprime.to_big(),
        r(1, i128::from(i64::MAX)) + r(1, i128::from(i64::MAX) - 1)
    );
    // i64::MIN is not a small numerator: negation never overflows.
    let minimum = SmallRational::from_integer(i64::MIN);
    assert_eq!(
        (-minimum.clone()).to_big(),
        -Rational::from_integer(BigInt::from(i64::MIN))
    );
    assert_eq!(
        minimum.abs().to_big(),
        Rational::from_integer(-BigInt::from(i64::MIN))
    );
    // Power-of-two denominators: aligned by shifts, reduced by trailing zeros.
    let p = SmallRational::new(3, 1 << 40) + SmallRational::new(5, 1 << 40);
    assert_eq!(p, SmallRational::new(1, 1 << 37));
    assert!((SmallRational::new(1, 3) * SmallRational::new(3, 1)).is_one());
}

#[test]
fn theorem2_reports_in_small_rationals_equal_those_in_big_rationals() {
    let entries = common::theorem2_forms();
    common::check_with_hypotheses(
        "Theorem 2 reports in small rationals equal those in big rationals (cases meeting the hypotheses)",
        common::config(300, REGRESSIONS),
        0.3,
        (0..entries.len(), any::<u64>()),
        |(index, seed)| {
            let entry = &entries[index];
            let instance = entry.generate(&mut case_rng(seed, 0));
            let converted = small_instance(&instance);
            prop_assert_eq!(&rational_instance(&converted), &instance);
            let exact = check_theorem2_statement(&instance, entry.statement().statement());
            let fast = check_theorem2_statement_small(&instance, entry.statement().statement());
            prop_assert!(fast.certified);
            prop_assert_eq!(&fast.verdict, &exact.verdict);
            let text = |report| serde_json::to_string(report).expect("reports serialise");
            prop_assert_eq!(text(&fast), text(&exact));
            Ok(exact.verdict.hypotheses_met())
        },
    );
}

/// A layer of `m` random (not unit) `f64` filters of length `n` over `m_previous` channels, and
/// a vector of `length` positions with a fraction of zeros.
fn layer_and_vectors()
-> impl Strategy<Value = (Layer<f64>, LayerVector<f64>, LayerVector<f64>, f64)> {
    (1usize..10, 1usize..9, 1usize..9, 1usize..80, 0.0..1.0f64)
        .prop_flat_map(|(n, m, m_previous, length, zeros)| {
            let taps = proptest::collection::vec(-2.0..2.0f64, n * m * m_previous);
            let entries = |count| proptest::collection::vec((-3.0..3.0f64, 0.0..1.0f64), count);
            (
                Just((n, m, m_previous, length, zeros)),
                taps,
                entries(length * m_previous),
                entries(length * m),
            )
        })
        .prop_map(|((n, m, m_previous, length, zeros), taps, z, gamma)| {
            let filters = taps
                .chunks(n * m_previous)
                .map(|f| f.chunks(m_previous).map(<[f64]>::to_vec).collect())
                .collect();
            let layer = Layer::new_unchecked_norm(1, filters).expect("shapes agree");
            let vector = |entries: Vec<(f64, f64)>, channels| {
                let values = entries
                    .into_iter()
                    .map(|(v, u)| if u < zeros { 0.0 } else { v })
                    .collect();
                LayerVector::from_entries(length, channels, values).expect("sizes agree")
            };
            (layer, vector(z, m_previous), vector(gamma, m), zeros)
        })
}

fn agree(claim: &str, fast: &[f64], plain: &[f64]) -> Result<(), TestCaseError> {
    prop_assert_eq!(fast.len(), plain.len());
    let scale = plain.iter().chain(fast).fold(1.0f64, |a, v| a.max(v.abs()));
    for (k, (f, p)) in fast.iter().zip(plain).enumerate() {
        prop_assert!(
            (f - p).abs() <= OPERATOR_AGREEMENT_RELATIVE * scale,
            "{}: entry {}: fast {} plain {}",
            claim,
            k,
            f,
            p
        );
    }
    Ok(())
}

#[test]
fn fast_operators_and_norms_agree_with_the_plain_ones() {
    common::check(
        "fast D, Dᵀ, thresholded Dᵀ and norms agree with the plain ones",
        common::config(300, REGRESSIONS),
        layer_and_vectors(),
        |(layer, z, gamma, _)| {
            agree(
                "Dᵀ",
                fast::analysis(&layer, &z).entries(),
                analysis(&layer, &z).entries(),
            )?;
            agree(
                "D",
                fast::synthesis(&layer, &gamma).entries(),
                synthesis(&layer, &gamma).entries(),
            )?;
            for thresholding in [
                Thresholding::Soft,
                Thresholding::Nonnegative,
                Thresholding::Hard,
            ] {
                let fast_thresholded =
                    fast::thresholded_analysis(&layer, &z, Some((thresholding, 0.5)));
                let plain = thresholding.apply_vector(&analysis(&layer, &z), &0.5);
                agree(
                    thresholding.name(),
                    fast_thresholded.entries(),
                    plain.entries(),
                )?;
            }
            for width in [
                1,
                2,
                layer.filter_length(),
                2 * layer.filter_length() - 1,
                200,
            ] {
                let energy = |v: f64| [v];
                agree(
                    "patch norm",
                    &energy(fast::patch_norm_squared(&gamma, width)),
                    &energy(patch_norm_squared(&gamma, width)),
                )?;
                let difference = gamma.difference(&gamma.shifted(1));
                agree(
                    "patch norm of a difference",
                    &energy(fast::difference_patch_norm_squared(
                        &gamma,
                        &gamma.shifted(1),
                        width,
                    )),
                    &energy(patch_norm_squared(&difference, width)),
                )?;
                prop_assert_eq!(
                    fast::patch_sparsity(&gamma, width),
                    patch_sparsity(&gamma, width)
                );
            }
            prop_assert_eq!(
                fast::stripe_sparsity(&gamma, layer.filter_length()),
                stripe_sparsity(&gamma, layer.filter_length())
            );
            Ok(())
        },
    );
}

/// A deterministic vector with about a third of its entries zero.
fn patterned(length: usize, channels: usize, seed: u64) -> LayerVector<f64> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let values = (0..length * channels)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            if u < 0.33 { 0.0 } else { 4.0 * u - 2.5 }
        })
        .collect();
    LayerVector::from_entries(length, channels, values).expect("sizes agree")
}

/// A layer of deterministic filters (not unit: the operators do not need it).
fn patterned_layer(number: usize, n: usize, m: usize, m_previous: usize, seed: u64) -> Layer<f64> {
    let taps = patterned(m, n * m_previous, seed);
    let filters = (0..m)
        .map(|c| {
            taps.at_position(c)
                .chunks(m_previous)
                .map(<[f64]>::to_vec)
                .collect()
        })
        .collect();
    Layer::new_unchecked_norm(number, filters).expect("shapes agree")
}

#[test]
fn fast_kernels_agree_on_signals_large_enough_for_blocked_parallel_products() {
    // Large enough for the matrix-product path (rows · K · outputs ≥ 2^15) and for parallel
    // blocks (N · m ≥ 2^15), with shapes of the peer's forward-large workload.
    let length = 4099;
    let layers = vec![
        patterned_layer(1, 8, 16, 1, 1),
        patterned_layer(2, 8, 32, 16, 2),
        patterned_layer(3, 5, 12, 32, 3),
    ];
    let model = Model::new(length, 1, layers).expect("valid model");
    let deepest = patterned(length, 12, 4);
    let chain = model.synthesis_chain(&deepest).expect("shapes agree");
    let fast_chain = fast::synthesis_chain(&model, &deepest);
    assert_eq!(fast_chain.len(), model.depth());
    for (i, (f, p)) in fast_chain.iter().zip(&chain).enumerate() {
        agree(&format!("Γ_{i}"), f.entries(), p.entries()).unwrap_or_else(|e| panic!("{e}"));
    }
    let thresholds = [0.05, 0.2, 0.3].map(Threshold::Shared);
    for thresholding in [
        Thresholding::Soft,
        Thresholding::Nonnegative,
        Thresholding::Hard,
    ] {
        let fast_estimates =
            fast::layered_thresholding(&model, &chain[0], &thresholds, thresholding);
        let plain = layered_thresholding(&model, &chain[0], &thresholds, thresholding);
        for (f, p) in fast_estimates.iter().zip(&plain) {
            agree("Γ̂_i", f.entries(), p.entries()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                fast::patch_sparsity(f, 8),
                patch_sparsity(p, 8),
                "patch sparsity"
            );
        }
    }
    let z = patterned(length, 16, 5);
    let norm = |v: f64| [v];
    agree(
        "patch norm",
        &norm(fast::patch_norm_squared(&z, 8)),
        &norm(patch_norm_squared(&z, 8)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fast::stripe_sparsity(&z, 8), stripe_sparsity(&z, 8));
}

#[test]
fn fast_kernels_into_kept_vectors_overwrite_every_entry() {
    // Vectors kept from a pass of another shape, or holding stale values, give the same
    // results as fresh ones: every entry is written.
    let length = 1031;
    let layers = vec![
        patterned_layer(1, 8, 16, 1, 11),
        patterned_layer(2, 8, 24, 16, 12),
    ];
    let model = Model::new(length, 1, layers).expect("valid model");
    let deepest = patterned(length, 24, 13);
    let fresh_chain = fast::synthesis_chain(&model, &deepest);
    let thresholds = [0.05, 0.2].map(Threshold::Shared);
    let fresh =
        fast::layered_thresholding(&model, &fresh_chain[0], &thresholds, Thresholding::Soft);
    let mut chain = vec![patterned(length, 16, 14), patterned(7, 3, 15)];
    let mut estimates = vec![patterned(length, 3, 16)];
    for _ in 0..2 {
        fast::synthesis_chain_into(&model, &deepest, &mut chain);
        fast::layered_thresholding_into(
            &model,
            &chain[0],
            &thresholds,
            Thresholding::Soft,
            &mut estimates,
        );
        assert_eq!(chain, fresh_chain, "the chain into kept vectors");
        assert_eq!(estimates, fresh, "the estimates into kept vectors");
        chain[0].entries_mut().fill(f64::NAN);
        estimates[1].entries_mut().fill(f64::NAN);
    }
}

#[test]
fn single_precision_forward_agrees_with_the_double_precision_one() {
    // The f32 kernels against the f64 ones on the shapes of forward-large (blocked, parallel,
    // with seams), within SINGLE_AGREEMENT_RELATIVE of the largest magnitude; soft thresholding
    // is 1-Lipschitz, so it keeps the agreement of its input.
    let length = 4099;
    let layers = vec![
        patterned_layer(1, 8, 16, 1, 21),
        patterned_layer(2, 8, 32, 16, 22),
        patterned_layer(3, 8, 20, 32, 23),
    ];
    let model = Model::new(length, 1, layers).expect("valid model");
    let deepest = patterned(length, 20, 24);
    let chain = fast::synthesis_chain(&model, &deepest);
    let values = [0.5, 2.0, 8.0];
    let thresholds = values.map(Threshold::Shared);
    let estimates = fast::layered_thresholding(&model, &chain[0], &thresholds, Thresholding::Soft);
    let single = fast::single::SingleModel::new(&model);
    let rounded = |v: &[f64]| v.iter().map(|x| *x as f32).collect::<Vec<f32>>();
    let (mut chain32, mut estimates32) = (Vec::new(), Vec::new());
    single.synthesis_chain_into(&rounded(deepest.entries()), length, &mut chain32);
    single.layered_thresholding_into(
        &rounded(chain[0].entries()),
        length,
        &rounded(&values),
        Thresholding::Soft,
        &mut estimates32,
    );
    let close = |claim: &str, single: &[f32], double: &[f64]| {
        assert_eq!(single.len(), double.len(), "{claim}: shapes");
        let scale = double.iter().fold(1.0f64, |a, v| a.max(v.abs()));
        for (k, (s, d)) in single.iter().zip(double).enumerate() {
            assert!(
                (f64::from(*s) - d).abs() <= SINGLE_AGREEMENT_RELATIVE * scale,
                "{claim}: entry {k}: f32 {s} f64 {d} (scale {scale})"
            );
        }
    };
    for (i, (s, d)) in chain32.iter().zip(&chain).enumerate() {
        close(&format!("Γ_{i}"), s, d.entries());
    }
    let mut nonzero = 0;
    for (i, (s, d)) in estimates32.iter().zip(&estimates).enumerate() {
        close(&format!("Γ̂_{}", i + 1), s, d.entries());
        nonzero += d.count_nonzeros();
    }
    assert!(
        nonzero > 0,
        "the thresholds leave some entries, so the check has teeth"
    );
}

#[test]
fn fast_layered_thresholding_agrees_with_the_plain_pursuit() {
    common::check(
        "fast layered thresholding agrees with the plain pursuit",
        common::config(150, REGRESSIONS),
        (2usize..6, 1usize..4, 0u64..1000, 20usize..90),
        |(n, m, seed, length)| {
            let model = Model::new(
                length.max(2 * n - 1),
                1,
                vec![
                    patterned_layer(1, n, m, 1, seed),
                    patterned_layer(2, 2, m + 1, m, seed + 1),
                ],
            )
            .expect("valid model");
            let signal = patterned(model.signal_length(), 1, seed + 2);
            let thresholds = [0.1, 0.05].map(Threshold::Shared);
            for thresholding in [
                Thresholding::Soft,
                Thresholding::Nonnegative,
                Thresholding::Hard,
            ] {
                let fast_estimates =
                    fast::layered_thresholding(&model, &signal, &thresholds, thresholding);
                let plain = layered_thresholding(&model, &signal, &thresholds, thresholding);
                for (f, p) in fast_estimates.iter().zip(&plain) {
                    agree(thresholding.name(), f.entries(), p.entries())?;
                }
            }
            Ok(())
        },
    );
}

/// A layer of random (not unit) exact filters and two vectors with zeros, whose entries are
/// small fractions (so that integer views over a common denominator exist) or, in half the
/// cases, also of any size class of [`rationals`] (so that they mostly do not).
fn exact_layer_and_vectors() -> impl Strategy<
    Value = (
        Layer<Rational>,
        LayerVector<Rational>,
        LayerVector<Rational>,
    ),
> {
    let entry = |any_size: bool| {
        prop_oneof![
            3 => Just(Rational::zero()),
            6 => (-60i64..60, 1i64..40).prop_map(|(n, d)| Rational::new(n.into(), d.into())),
            if any_size { 1 } else { 0 } => rationals(),
        ]
    };
    (1usize..8, 1usize..5, 1usize..5, 1usize..12, any::<bool>())
        .prop_flat_map(move |(n, m, m_previous, length, any_size)| {
            (
                Just((n, m, m_previous, length)),
                proptest::collection::vec(entry(any_size), n * m * m_previous),
                proptest::collection::vec(entry(any_size), length * m_previous),
                proptest::collection::vec(entry(any_size), length * m),
            )
        })
        .prop_map(|((n, m, m_previous, length), taps, z, gamma)| {
            let filters = taps
                .chunks(n * m_previous)
                .map(|f| f.chunks(m_previous).map(<[Rational]>::to_vec).collect())
                .collect();
            let layer = Layer::new_unchecked_norm(1, filters).expect("shapes agree");
            let z = LayerVector::from_entries(length, m_previous, z).expect("sizes agree");
            let gamma = LayerVector::from_entries(length, m, gamma).expect("sizes agree");
            (layer, z, gamma)
        })
}

/// `D_iᵀ Z`, `T_β(D_iᵀ Z)` (each thresholding, with `β` tied to a correlation, half of one, or
/// zero) and `D_i Γ` in `SmallRational`, summed on integers over common denominators where
/// machine words hold them, equal the big-rational operators exactly (filters longer than the
/// signal included). Counted hypothesis: the integer views of the taps and of `Z` exist.
#[test]
fn exact_operators_on_integer_views_equal_the_big_rational_ones() {
    common::check_with_hypotheses(
        "exact operators on integer views equal the big-rational ones",
        common::config(400, REGRESSIONS),
        0.3,
        exact_layer_and_vectors(),
        |(layer, z, gamma)| {
            let small_layer = layer.map(|v| SmallRational::from(v));
            let small_z = z.map(|v| SmallRational::from(v));
            let small_gamma = gamma.map(|v| SmallRational::from(v));
            for (small, exact) in analysis(&small_layer, &small_z)
                .entries()
                .iter()
                .zip(analysis(&layer, &z).entries())
            {
                same("analysis", small, exact)?;
            }
            // β from the analysis itself (so that ties `|z| = β` occur), halved, or zero.
            let correlations = analysis(&layer, &z);
            let betas = [
                correlations
                    .entries()
                    .iter()
                    .map(|v| v.abs())
                    .max()
                    .unwrap_or_else(Rational::zero),
                correlations
                    .entries()
                    .first()
                    .map(|v| v.abs() / Rational::from_integer(2.into()))
                    .unwrap_or_else(Rational::zero),
                Rational::zero(),
            ];
            for thresholding in [
                Thresholding::Soft,
                Thresholding::Nonnegative,
                Thresholding::Hard,
            ] {
                for beta in &betas {
                    let plain = thresholding.apply_vector(&correlations, beta);
                    let fused = thresholded_analysis(
                        &small_layer,
                        &small_z,
                        thresholding,
                        &Threshold::Shared(SmallRational::from(beta)),
                    );
                    for (small, exact) in fused.entries().iter().zip(plain.entries()) {
                        same("thresholded analysis", small, exact)?;
                    }
                }
            }
            for (small, exact) in synthesis(&small_layer, &small_gamma)
                .entries()
                .iter()
                .zip(synthesis(&layer, &gamma).entries())
            {
                same("synthesis", small, exact)?;
            }
            Ok(
                <SmallRational as mlcsc::integer_view::IntegerView>::over_common_denominator(small_layer.taps()).is_some()
                    && <SmallRational as mlcsc::integer_view::IntegerView>::over_common_denominator(small_z.entries()).is_some(),
            )
        },
    );
}
