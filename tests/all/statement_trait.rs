//! One statement trait: a result written the long way (an implementation of `Statement`
//! paired with a generator in `Entry::new`) runs through the same commands as the built-in
//! entries, and the hypotheses each registered result declares are the ones its vacuous cases
//! name, so that records read back are checked against the statement's own list.

use mlcsc::cli::run_with_args_captured;
use mlcsc::conjecture::prelude::*;
use mlcsc::conjecture::registry;
use mlcsc::generate::seed::case_rng;
use mlcsc::instance::Instance;
use mlcsc::theorems::verdict::{Clause, FailedHypothesis, Verdict, Witness};

/// "Every input is at most 40 positions long", assuming a noisy instance: a statement written
/// the long way, false on the longer instances of `theorem2-soft`.
struct ShortInputs;

impl Statement for ShortInputs {
    fn name(&self) -> &str {
        "inputs-are-short"
    }

    fn citation(&self) -> &str {
        "a statement written the long way, in tests/all/statement_trait.rs"
    }

    fn hypotheses(&self, instance: &Instance<Rational>) -> Result<(), FailedHypothesis> {
        if instance.is_noiseless() {
            return Err(FailedHypothesis {
                layer: 0,
                hypothesis: Clause::Named("noisy".into()),
                detail: "the instance has no noise".into(),
                shortfall: 1.0,
            });
        }
        Ok(())
    }

    fn conclusions(&self, instance: &Instance<Rational>) -> Result<(), Witness> {
        let length = instance.model.signal_length();
        if length <= 40 {
            return Ok(());
        }
        Err(Witness {
            layer: 0,
            conclusion: Clause::Named("short".into()),
            location: "the input".into(),
            observed: length.to_string(),
            bound: "40".into(),
        })
    }
}

fn short_inputs() -> Entry<ShortInputs> {
    let family = Family::theorem2(Thresholding::Soft);
    Entry::new(
        ShortInputs,
        move |rng, name| family.generate(rng, name),
        ExpectedStatus::Open,
    )
}

#[test]
fn a_statement_written_the_long_way_runs_through_the_commands() {
    let entry = short_inputs();
    let verdicts: Vec<Verdict> = (0..40)
        .map(|case| entry.check(&entry.generate(&mut case_rng(3, case))).verdict)
        .collect();
    assert!(
        verdicts.iter().any(Verdict::is_violated),
        "some input is long"
    );
    assert!(
        verdicts.iter().any(|v| !v.hypotheses_met()),
        "some case is noiseless"
    );
    let folder = tempfile::tempdir().expect("a temporary folder");
    let report = folder.path().join("short.json");
    let line = [
        "mlcsc",
        "campaign",
        "inputs-are-short",
        "--cases",
        "40",
        "--seed",
        "3",
        "--report",
        report.to_str().expect("UTF-8"),
    ];
    // A counterexample to an open statement: exit 1, as for a built-in entry.
    let run = run_with_args_captured(line, &[&entry]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("inputs-are-short (open)"),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(&report).expect("the report");
    assert!(text.contains("\"violated\""), "{text}");
}

#[test]
fn every_registered_result_declares_the_hypotheses_its_vacuous_cases_name() {
    let mut vacuous = 0;
    for entry in registry() {
        let declared: Vec<String> = entry
            .statement()
            .hypothesis_clauses()
            .unwrap_or_else(|| panic!("{}: the suite's results declare them", entry.name()))
            .iter()
            .map(|clause| clause.as_str().to_string())
            .collect();
        for case in 0..12 {
            let instance = entry.generate(&mut case_rng(11, case));
            if entry.within_limits(&instance).is_err() {
                continue;
            }
            if let Verdict::Vacuous(failed) = entry.check(&instance).verdict {
                vacuous += 1;
                let name = failed.hypothesis.as_str().to_string();
                assert!(
                    declared.contains(&name),
                    "{}: case {case} names {name:?}, not among {declared:?}",
                    entry.name()
                );
            }
        }
    }
    // The check must meet vacuous cases to test anything (seed 11 gives them).
    eprintln!("vacuous cases compared: {vacuous}");
    assert!(vacuous >= 5, "only {vacuous} vacuous cases");
}
