//! Unit tests of `campaign`.

use super::*;
use crate::campaign::run_campaign;

#[test]
fn exit_codes_follow_the_status_and_the_verdicts() {
    use ExpectedStatus::*;
    for (status, violated, undecided, code) in [
        (Theorem, 0, 0, 0),
        (Theorem, 1, 0, 1),
        (Theorem, 1, 1, 1),
        (Theorem, 0, 1, 3),
        (Open, 2, 0, 1),
        (Open, 0, 0, 0),
        (KnownFalse, 37, 0, 0),
        (KnownFalse, 3, 2, 0),
        (KnownFalse, 0, 0, 1),
        (KnownFalse, 0, 1, 3),
    ] {
        assert_eq!(
            exit_code(status, violated, undecided),
            code,
            "{status:?} {violated} {undecided}"
        );
    }
}

#[test]
fn a_failure_saving_counterexamples_never_costs_the_report() {
    let folder = tempfile::tempdir().expect("folder");
    let conjecture = crate::conjecture::find("theorem2-soft").expect("registered");
    let settings = CampaignSettings {
        cases: 3,
        seed: 7,
        shard: Shard::WHOLE,
        arithmetic: Arithmetic::Exact,
    };
    let report = run_campaign(conjecture.as_ref(), settings, None, &|| {}).expect("runs");
    let path = folder.path().join("report.json");
    let (saved, error) = write_report_then_save::<()>(&report, None, Some(&path), false, || {
        Err(CliError::Input("No space left on device".into()))
    })
    .expect("the report is written");
    assert!(saved.is_empty());
    assert!(error.is_some_and(|e| e.to_string().contains("No space left")));
    let written: CampaignReport =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("report")).expect("json");
    assert_eq!(written, report);
}
