//! A Theorem 2 campaign decides each drawn case with what drawing it computed (the model in
//! machine-word rationals, the synthesis chain and the layer profiles) taken over by the exact
//! check: the outcome, its report included, is the plain check's on the drawn instance.

use mlcsc::conjecture::find;
use mlcsc::generate::seed::case_rng;
use mlcsc::generate::theorem2::{Theorem2Settings, generate_theorem2_prepared};
use mlcsc::pursuit::Thresholding;
use mlcsc::theorems::theorem2::Statement;
use mlcsc::theorems::theorem2_small::{check_theorem2_prepared, check_theorem2_statement_small};

/// Every form of Theorem 2 with a generator: the prepared run's outcome (verdict, margins,
/// features and the full report) is the plain check's of the same drawn instance.
#[test]
fn prepared_runs_give_the_outcomes_of_the_plain_check() {
    let names = [
        "theorem2-soft",
        "theorem2-hard",
        "theorem2-nonnegative",
        "theorem2-without-contrast-term",
        "theorem2-without-patch-sparsity-factor",
        "theorem2-threshold-above-window",
    ];
    for name in names {
        let entry = find(name).expect("registered");
        for case in 0..40 {
            let plain = entry.check(&entry.generate(&mut case_rng(11, case)));
            let prepared = entry.generate_and_check(&mut case_rng(11, case));
            assert_eq!(
                format!("{prepared:?}"),
                format!("{plain:?}"),
                "{name}, case {case}"
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
            for statement in statements {
                let plain = check_theorem2_statement_small(&instance, statement);
                let taken_over = check_theorem2_prepared(&instance, statement, prepared.clone());
                assert_eq!(
                    serde_json::to_string(&taken_over).unwrap(),
                    serde_json::to_string(&plain).unwrap(),
                    "{variant:?}, case {case}"
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
