//! A command-line shrink that stops at its check budget says so: in the campaign's summary (with
//! the budget to rerun with), in the saved file's `source` and in `--json`; one that ends
//! because a whole round of simplifications kept nothing says nothing of the kind.

use mlcsc::cli::run_with_args_captured;

/// Runs `mlcsc ARGS` in this process, returning its exit code and standard output.
fn command(args: &[&str]) -> (i32, String) {
    let mut line = vec!["mlcsc"];
    line.extend_from_slice(args);
    let captured = run_with_args_captured(line, &[]);
    (captured.code, captured.stdout)
}

#[test]
fn a_shrink_that_stops_at_its_budget_says_so() {
    let folder = tempfile::tempdir().expect("folder");
    let campaign = |budget: &str, json: bool| {
        let saved = folder.path().join(format!("budget-{budget}-{json}"));
        let mut args = vec![
            "campaign",
            "theorem2-without-contrast-term",
            "--cases",
            "30",
            "--seed",
            "7",
            "--counterexamples",
            saved.to_str().expect("UTF-8"),
            "--shrink-budget",
            budget,
        ];
        if json {
            args.push("--json");
        }
        let (code, stdout) = command(&args);
        assert_eq!(code, 0, "{stdout}");
        stdout
    };
    let tiny = campaign("1", false);
    assert!(
        tiny.contains(
            "shrinking stopped at its budget of 1 check; the counterexample may shrink further: rerun with --shrink-budget 100"
        ),
        "{tiny}"
    );
    let printed: serde_json::Value = serde_json::from_str(&campaign("1", true)).expect("JSON");
    let entry = &printed["shrunk-counterexamples"][0];
    assert_eq!(
        (
            &entry["stopped-at-budget"],
            &entry["shrink-checks"],
            &entry["shrink-budget"]
        ),
        (&true.into(), &1.into(), &1.into())
    );
    let path = entry["path"].as_str().expect("a path");
    let file = mlcsc::io::InstanceFile::read(std::path::Path::new(path)).expect("an instance file");
    assert!(
        file.source.contains("stopped at the budget"),
        "{}",
        file.source
    );
    let large = campaign("100000", false);
    assert!(
        large.contains("counterexample shrunk with") && !large.contains("shrinking stopped"),
        "{large}"
    );
    let printed: serde_json::Value = serde_json::from_str(&campaign("100000", true)).expect("JSON");
    assert_eq!(
        printed["shrunk-counterexamples"][0]["stopped-at-budget"],
        false
    );
}

#[test]
fn verify_says_when_a_shrink_stopped_at_its_budget() {
    let folder = tempfile::tempdir().expect("folder");
    let verify = |budget: &str| {
        let report = folder.path().join(format!("report-{budget}"));
        let report = report.to_str().expect("UTF-8");
        let args = [
            "verify",
            "--scale",
            "0.05",
            "--report",
            report,
            "--shrink-budget",
            budget,
        ];
        let (code, stdout) = command(&args);
        assert_eq!(code, 0, "{stdout}");
        let summary = std::fs::read_to_string(format!("{report}/summary.json")).expect("written");
        let summary: serde_json::Value = serde_json::from_str(&summary).expect("JSON");
        let stopped = summary["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .flat_map(|entry| entry["shrunk-counterexamples"].as_array().expect("a list"))
            .filter(|saved| saved["stopped-at-budget"] == true)
            .count();
        (stdout, stopped)
    };
    let (tiny, stopped) = verify("1");
    assert!(
        tiny.contains("\n  shrinking stopped at its budget of 1 check; the counterexample may shrink further: rerun with --shrink-budget 100\n"),
        "{tiny}"
    );
    assert!(stopped >= 1, "{tiny}");
    let (default, stopped) = verify("400");
    assert!(!default.contains("shrinking stopped"), "{default}");
    assert_eq!(stopped, 0);
}
