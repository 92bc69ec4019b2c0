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
