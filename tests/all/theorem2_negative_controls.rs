//! Negative controls of Theorem 2: each hypothesis or factor the proof needs, when dropped,
//! gives statements that the suite refutes with exact counterexamples, which are then shrunk.
//! If these tests stopped finding counterexamples, the Theorem 2 checks could no longer fail.

use mlcsc::campaign::{Arithmetic, CampaignSettings, Shard, run_campaign, shrink_counterexample};
use mlcsc::conjecture::Theorem2Entry;
use mlcsc::generate::theorem2::case_rng;
use mlcsc::io::InstanceFile;
use mlcsc::theorems::theorem2::{Statement, check_theorem2, check_theorem2_statement};
use mlcsc::theorems::variant::Part;
use mlcsc::theorems::verdict::Verdict;

/// Each control must refute its statement on at least this fraction of its cases.
const FLOOR_VIOLATED: f64 = 0.10;

fn refuted_and_shrunk(entry: Theorem2Entry, cases: u64) {
    let settings = CampaignSettings {
        cases,
        seed: 11,
        shard: Shard::WHOLE,
        arithmetic: Arithmetic::Exact,
    };
    let report = run_campaign(&entry, settings, None, &|| {}).expect("no checkpoint, no error");
    let s = &report.statistics;
    eprintln!(
        "{}: {} cases, {} met the hypotheses, {} violated (certified {})",
        entry.name(),
        s.cases,
        s.hypotheses_met,
        s.violated,
        s.certified
    );
    assert_eq!(s.certified, s.cases, "every verdict is exact");
    assert!(
        s.violated as f64 >= FLOOR_VIOLATED * s.cases as f64,
        "{}: only {} counterexamples in {} cases",
        entry.name(),
        s.violated,
        s.cases
    );
    let case = s.violating_cases[0];
    let instance = entry.generate(&mut case_rng(settings.seed, case));
    assert!(entry.check(&instance).verdict.is_violated());
    let (shrunk, spent) = shrink_counterexample(&entry, &instance);
    eprintln!(
        "  shrunk case {case} with {spent} checks: N {} → {}, K {} → {}, nonzeros {} → {}",
        instance.model.signal_length(),
        shrunk.model.signal_length(),
        instance.model.depth(),
        shrunk.model.depth(),
        instance.deepest_representation.count_nonzeros(),
        shrunk.deepest_representation.count_nonzeros()
    );
    assert!(
        entry.check(&shrunk).verdict.is_violated(),
        "shrinking keeps the counterexample"
    );
    assert!(shrunk.model.signal_length() <= instance.model.signal_length());
    assert!(shrunk.model.depth() <= instance.model.depth());
    // The statement as the paper makes it holds or is vacuous on the same instance: the
    // counterexample is to the weakened statement only.
    assert!(!check_theorem2(&shrunk).verdict.is_violated());
}

#[test]
fn a_threshold_just_above_the_window_breaks_support_recovery() {
    refuted_and_shrunk(Theorem2Entry::threshold_outside_window(), 200);
}

#[test]
fn condition_a_without_its_contrast_term_is_false() {
    refuted_and_shrunk(Theorem2Entry::without_contrast_term(), 200);
}

#[test]
fn the_patch_bound_without_the_square_root_of_patch_sparsity_is_false() {
    refuted_and_shrunk(Theorem2Entry::without_patch_sparsity_factor(), 200);
}

/// An exact tie: Dirac filter, no noise, two support entries in one patch, each off by exactly
/// `β`, so the patch error is exactly `sqrt(2) β = ε_1`. In `f64` the squared bound rounds
/// either way; the exact verdict is `holds`, and the screen must defer to it.
const TIE: &str = r#"{
  "format": "mlcsc-instance-1",
  "name": "exact-tie",
  "source": "tests/all/theorem2_negative_controls.rs: an exact tie of the patch bound",
  "signal-length": 4,
  "thresholding": "soft",
  "layers": [ { "filters": [[["1"]]], "threshold": "1/10" } ],
  "deepest-representation": [
    { "position": 0, "channel": 0, "value": "1" },
    { "position": 1, "channel": 0, "value": "-1" }
  ],
  "last-patch-width": 2
}"#;

#[test]
fn an_exact_tie_of_the_patch_bound_is_decided_as_holds() {
    let file = InstanceFile::parse(TIE).expect("valid");
    let exact = file.to_exact().expect("valid");
    let report = check_theorem2(&exact);
    assert_eq!(report.verdict, Verdict::Holds);
    assert!(report.certified);
    assert_eq!(report.layers[0].tightness, 1.0);
    assert_eq!(
        report.layers[0].epsilon_exact.as_deref(),
        Some("sqrt(2) * 1/10")
    );
    // The weakened statement without sqrt(p) is violated on the very same tie.
    let weak = Statement::PAPER.without(Part::PatchSparsityFactor);
    assert!(check_theorem2_statement(&exact, weak).verdict.is_violated());
}

#[test]
fn f64_screen_violations_are_re_decided_exactly() {
    let file = InstanceFile::parse(TIE).expect("valid");
    let exact = file.to_exact().expect("valid");
    let entry = Theorem2Entry::paper(mlcsc::pursuit::Thresholding::Soft);
    assert!(
        entry.screen(&exact.to_f64()).is_some(),
        "Theorem 2 has a screen"
    );
    let screened = mlcsc::conjecture::decide(&entry, &exact, mlcsc::conjecture::Arithmetic::F64);
    // Whatever f64 concluded, a reported violation must be certified.
    assert!(!screened.verdict.is_violated() || screened.certified);
    assert!(!screened.verdict.is_violated());
}

#[test]
fn entry_hypotheses_and_conclusions_agree_with_its_verdict() {
    // The two parts of a Theorem 2 entry say what its verdict says: a vacuous case names its
    // failed hypothesis, a violated one its witness, and neither part is a silent `Ok`.
    use mlcsc::conjecture::find;
    let mut seen = [0usize; 2];
    for name in ["theorem2-soft", "theorem2-without-contrast-term"] {
        let entry = find(name).expect("registered");
        for k in 0..60 {
            let instance = entry.generate(&mut case_rng(2017, k));
            match entry.check(&instance).verdict {
                Verdict::Vacuous(failed) => {
                    assert_eq!(entry.hypotheses(&instance), Err(failed));
                    seen[0] += 1;
                }
                Verdict::Violated(witness) => {
                    assert_eq!(entry.hypotheses(&instance), Ok(()));
                    assert_eq!(entry.conclusions(&instance), Err(witness));
                    seen[1] += 1;
                }
                _ => {
                    assert_eq!(entry.hypotheses(&instance), Ok(()));
                    assert_eq!(entry.conclusions(&instance), Ok(()));
                }
            }
        }
    }
    assert!(
        seen[0] > 0 && seen[1] > 0,
        "vacuous and violated cases both met: {seen:?}"
    );
}
