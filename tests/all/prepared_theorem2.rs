//! A Theorem 2 campaign decides each drawn case with what drawing it computed (the model in
//! machine-word rationals, the synthesis chain and the layer profiles) taken over by the exact
//! check: the outcome, its report included, is the plain check's on the drawn instance.

use mlcsc::conjecture::find;
use mlcsc::generate::seed::case_rng;
use mlcsc::generate::theorem2::{Theorem2Settings, generate_theorem2_prepared};
use mlcsc::pursuit::Thresholding;
use mlcsc::theorems::theorem2::Statement;
use mlcsc::theorems::theorem2_small::{check_theorem2_prepared, check_theorem2_statement_small};
use mlcsc::theorems::verdict::Verdict;
use mlcsc_engines::theorem2_report::ExactTexts::{Omitted, Written};

/// Every form of Theorem 2 with a generator: the prepared run's outcome (verdict, margins,
/// features and the full report) is the plain check's of the same drawn instance. The cases
/// are counted: those meeting the hypotheses, those of depth three or more and those with
/// interference (where the taken-over chain and profiles matter most), and the violations
/// of each known-false control (so the witnesses are compared too), each above a floor.
#[test]
fn prepared_runs_give_the_outcomes_of_the_plain_check() {
    // (name, floors on: hypotheses met, depth three or more, interference, violations), of
    // 40 cases drawn from one seed (the counts do not change from run to run).
    let names = [
        ("theorem2-soft", 30, 10, 10, 0),
        ("theorem2-hard", 30, 10, 10, 0),
        ("theorem2-nonnegative", 30, 10, 10, 0),
        ("theorem2-without-contrast-term", 30, 0, 5, 20),
        ("theorem2-without-patch-sparsity-factor", 30, 10, 0, 1),
        ("theorem2-threshold-above-window", 20, 10, 5, 5),
    ];
    for (name, met_floor, deep_floor, interfering_floor, violated_floor) in names {
        let entry = find(name).expect("registered");
        let (mut met, mut deep, mut interfering, mut violated) = (0, 0, 0, 0);
        for case in 0..40 {
            let mut plain = entry.check(&entry.generate(&mut case_rng(11, case)));
            let mut prepared = entry.generate_and_check(&mut case_rng(11, case));
            // The reports differ only by the exact texts the prepared run leaves out
            // (`prepared_reports_are_the_plain_reports`); everything else is compared here.
            assert_eq!(prepared.details.is_some(), plain.details.is_some());
            (prepared.details, plain.details) = (None, None);
            assert_eq!(
                format!("{prepared:?}"),
                format!("{plain:?}"),
                "{name}, case {case}"
            );
            let feature = |key: &str| {
                prepared
                    .features
                    .iter()
                    .find(|(k, _)| k == key)
                    .map_or(0.0, |(_, v)| *v)
            };
            met += usize::from(prepared.verdict.hypotheses_met());
            deep += usize::from(feature("depth") >= 3.0);
            interfering += usize::from(feature("interference") > 0.0);
            violated += usize::from(matches!(prepared.verdict, Verdict::Violated(_)));
        }
        eprintln!(
            "{name}: 40 cases, {met} met the hypotheses, {deep} of depth 3 or more, \
             {interfering} with interference, {violated} violated"
        );
        let counts = [
            ("met the hypotheses", met, met_floor),
            ("of depth 3 or more", deep, deep_floor),
            ("with interference", interfering, interfering_floor),
            ("violated", violated, violated_floor),
        ];
        for (what, count, floor) in counts {
            assert!(
                count >= floor,
                "{name}: {count} cases {what} (floor {floor})"
            );
        }
    }
}

/// The prepared report of the paper's statement and of each control's, on instances of every
/// design (coherent ladders and designed models, noisy and noise-free), is the plain report.
#[test]
fn prepared_reports_are_the_plain_reports() {
    let statements = [
        Statement::PAPER,
        mlcsc::theorems::theorem2::Theorem2::without_patch_sparsity_factor().statement(),
        mlcsc::theorems::theorem2::Theorem2::without_contrast_term().statement(),
    ];
    for variant in [
        Thresholding::Soft,
        Thresholding::Hard,
        Thresholding::Nonnegative,
    ] {
        let settings = Theorem2Settings::paper(variant);
        for case in 0..40 {
            let (instance, prepared) =
                generate_theorem2_prepared(&mut case_rng(5, case), &settings, "prepared");
            // One threshold per layer: the prepared path is taken, not the plain fall-back.
            assert!(instance.thresholds.iter().all(|b| b.shared().is_some()));
            for statement in statements {
                let plain = check_theorem2_statement_small(&instance, statement);
                let taken_over =
                    check_theorem2_prepared(&instance, statement, prepared.clone(), Written);
                assert_eq!(
                    serde_json::to_string(&taken_over).unwrap(),
                    serde_json::to_string(&plain).unwrap(),
                    "{variant:?}, case {case}"
                );
                // Without the exact texts: the plain report with its texts taken out.
                let untexted =
                    check_theorem2_prepared(&instance, statement, prepared.clone(), Omitted);
                let mut expected = plain;
                for layer in &mut expected.layers {
                    assert!(layer.coherence_exact.is_some() && layer.threshold_exact.is_some());
                    (layer.coherence_exact, layer.threshold_exact) = (None, None);
                    layer.epsilon_exact = None;
                }
                assert_eq!(
                    serde_json::to_string(&untexted).unwrap(),
                    serde_json::to_string(&expected).unwrap(),
                    "{variant:?}, case {case}, without texts"
                );
            }
        }
    }
}

/// `SmallRational::dyadic(n, e)` is `n / 2^e`, reduced: the value and the `f64` of the big
/// rational `n / 2^e`, over numerators of every size up to `2^126` and exponents up to 126.
#[test]
fn dyadic_values_are_the_big_rational_values() {
    use mlcsc::scalar::{Rational, Scalar};
    use mlcsc::small_rational::SmallRational;
    use num_bigint::BigInt;
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2017);
    for _ in 0..20_000 {
        let bits = rng.next_u32() % 127;
        let magnitude =
            (u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64())) >> (127 - bits);
        let zeros = rng.next_u32() % 8;
        let magnitude = (magnitude >> zeros) << zeros;
        let numerator = if rng.next_u32() % 2 == 0 {
            magnitude as i128
        } else {
            -(magnitude as i128)
        };
        let exponent = rng.next_u32() % 127;
        let expected = Rational::new(BigInt::from(numerator), BigInt::from(1u128 << exponent));
        let value = SmallRational::dyadic(numerator, exponent);
        assert_eq!(value.to_big(), expected, "{numerator} / 2^{exponent}");
        // The one form of the value (reduced, in the smallest representation it fits).
        assert_eq!(
            value,
            SmallRational::from(&expected),
            "{numerator} / 2^{exponent}"
        );
        assert_eq!(value.to_f64().to_bits(), expected.to_f64().to_bits());
    }
}
