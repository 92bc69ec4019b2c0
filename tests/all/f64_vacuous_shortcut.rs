//! The `f64` check of Theorem 2 gives a verdict certainly `vacuous` without the estimates'
//! radii when its report does not need them (docs/math.md §8): its report (verdict, detail
//! and every layer's numbers and flags) must be the check's with every radius, on every
//! instance file of the Theorem 2 fixtures, on `bench`'s forward-large problem at small sizes
//! (vacuous, the case the shortcut is for), and on generated instances with a threshold moved
//! far out of its window or near it (vacuous or not, with the support recovered or not, so
//! that both the shortcut and its fall-back to the full check are exercised and counted).

use crate::common::fixture_files;

use mlcsc::bench::forward::ForwardShape;
use mlcsc::bench::instance_file::forward_large_instance;
use mlcsc::generate::theorem2::{Theorem2Settings, case_rng, generate_theorem2_instance};
use mlcsc::io::{Instance, InstanceFile};
use mlcsc::pursuit::Thresholding;
use mlcsc::theorems::theorem2::{Statement, Theorem2Report};
use mlcsc::theorems::theorem2_f64::{check_theorem2_f64, check_theorem2_f64_with_every_radius};
use mlcsc::theorems::variant::Part;
use mlcsc::theorems::verdict::Verdict;
use proptest::prelude::*;
use rand::RngExt;

/// The statements checked: the paper's and the forms whose hypotheses or numbers differ.
fn statements() -> [Statement; 3] {
    [
        Statement::PAPER,
        Statement::PAPER.without(Part::ThresholdWindow),
        Statement::PAPER.without(Part::PatchSparsityFactor),
    ]
}

/// The report with and without the shortcut, which must be equal; the report.
fn same_report(instance: &Instance<f64>, statement: Statement, what: &str) -> Theorem2Report {
    let fast = check_theorem2_f64(instance, statement);
    let full = check_theorem2_f64_with_every_radius(instance, statement);
    let (a, b) = (
        serde_json::to_string(&fast).expect("JSON"),
        serde_json::to_string(&full).expect("JSON"),
    );
    assert_eq!(
        a, b,
        "{what}: the shortcut's report differs from the full check's"
    );
    fast
}

/// A verdict the shortcut may give: vacuous, every layer's support not recovered.
fn shortcut_shape(report: &Theorem2Report) -> bool {
    matches!(report.verdict, Verdict::Vacuous(_))
        && report.layers.iter().all(|l| !l.support_recovered)
}

#[test]
fn the_shortcut_reports_as_the_full_check_on_every_theorem2_fixture() {
    let mut checked = 0;
    for folder in ["theorem2", "verdicts", "instances", "counterexamples"] {
        for path in fixture_files(folder) {
            let Ok(file) = InstanceFile::read(&path) else {
                continue;
            };
            let Ok(instance) = file.to_f64() else {
                continue;
            };
            for statement in statements() {
                same_report(&instance, statement, &path.display().to_string());
            }
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} fixture files were checked");
}

#[test]
fn the_shortcut_decides_the_forward_large_problem_as_the_full_check() {
    for (length, depth, channels) in [(64, 3, 4), (256, 3, 16), (96, 2, 8), (40, 1, 4)] {
        let shape = ForwardShape {
            length,
            depth,
            channels,
        };
        let instance = forward_large_instance(&shape).to_f64().expect("f64 image");
        let what = format!("forward-large N {length}, K {depth}, m {channels}");
        let report = same_report(&instance, Statement::PAPER, &what);
        assert!(shortcut_shape(&report), "{what}: {:?}", report.verdict);
    }
}

/// A generated instance whose threshold at one layer is scaled by a factor from far below
/// its window to far above it.
fn moved_threshold_instance(seed: u64) -> (Instance<f64>, f64) {
    let mut rng = case_rng(0x5407, seed);
    let variant = [
        Thresholding::Soft,
        Thresholding::Nonnegative,
        Thresholding::Hard,
    ][(seed % 3) as usize];
    let settings = Theorem2Settings::paper(variant);
    let mut instance =
        generate_theorem2_instance(&mut rng, &settings, "f64-vacuous-shortcut").to_f64();
    let factor = [1e-6, 1e-2, 0.5, 1.0, 1.5, 1e2, 1e6][rng.random_range(0..7)];
    let layer = rng.random_range(0..instance.thresholds.len());
    let beta = *instance.thresholds[layer]
        .shared()
        .expect("one threshold per layer");
    instance.thresholds[layer] = mlcsc::Threshold::Shared(beta * factor);
    (instance, factor)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn the_shortcut_reports_as_the_full_check_on_generated_instances(seed in any::<u64>()) {
        let (instance, factor) = moved_threshold_instance(seed);
        for statement in statements() {
            same_report(&instance, statement, &format!("seed {seed}, factor {factor}"));
        }
    }
}

#[test]
fn generated_instances_exercise_the_shortcut_and_its_fall_back() {
    // Seeds of its own, counted: the vacuous verdicts the shortcut is for, and the others,
    // where it must fall back (or the full check runs from the start).
    let (mut shaped, mut other) = (0, 0);
    for seed in 0..60u64 {
        let (instance, factor) = moved_threshold_instance(seed);
        for statement in statements() {
            let report = same_report(
                &instance,
                statement,
                &format!("seed {seed}, factor {factor}"),
            );
            if shortcut_shape(&report) {
                shaped += 1;
            } else {
                other += 1;
            }
        }
    }
    eprintln!(
        "f64 vacuous shortcut: {shaped} vacuous verdicts without a recovered support, {other} others"
    );
    assert!(
        shaped >= 20 && other >= 20,
        "{shaped} shortcut-shaped, {other} others"
    );
}
