//! The instances of `fixtures/verdicts/`: verdicts that an earlier `f64` screen got wrong, or
//! that exact arithmetic left undecided (docs/math.md §6, §8). Each is pinned by an insta
//! snapshot under `fixtures/snapshots/` (`verdicts__NAME`): the exact verdict, the `f64`
//! verdict with its open comparison, and what `mlcsc check` prints and exits with.
//!
//! - `f64-edge`: `β = 2/3` exactly at `window_high = 1 − 1/3`; the exact verdict is vacuous,
//!   `f64` must not say holds.
//! - `nonunit`: a filter of squared norm 1.000008; its normalised twin attains the bound
//!   exactly and holds, so `f64` must not say violated.
//! - `tie3-hard-0`: `ε_2 = sqrt(2) sqrt(2) / 10 = 1/5 = β_3`, decided exactly (vacuous).
//! - `irrational-epsilon-*`: `β_2` within `2^-5002` of an end of the window whose ends involve
//!   `ε_1 = 1/5 + sqrt(2)/5`: decided with a precision derived from the numbers (above the
//!   former fixed cap of 4096 bits).

use std::path::Path;

use mlcsc::io::InstanceFile;
use mlcsc::theorems::theorem2::{Theorem2Report, check_theorem2};
use mlcsc::theorems::verdict::{DecidedBy, Verdict};
use serde_json::{Value, json};

use crate::common::{fixture_files, stem};

/// Long exact numbers shortened for the snapshot: the first 100 characters and the length.
fn short(text: &str) -> String {
    if text.chars().count() <= 120 {
        text.to_string()
    } else {
        let head: String = text.chars().take(100).collect();
        format!("{head}… ({} characters)", text.chars().count())
    }
}

fn verdict_summary(verdict: &Verdict) -> Value {
    match verdict {
        Verdict::Holds => json!({ "verdict": "holds" }),
        Verdict::Vacuous(f) => json!({
            "verdict": "vacuous",
            "layer": f.layer,
            "hypothesis": f.hypothesis,
            "detail": short(&f.detail),
        }),
        Verdict::Violated(w) => json!({
            "verdict": "violated",
            "layer": w.layer,
            "conclusion": w.conclusion,
        }),
        // The open comparison's name, without the numbers compared.
        Verdict::Undecided { layer, comparison } => json!({
            "verdict": "undecided",
            "layer": layer,
            "comparison": short(comparison.split(": not decided").next().unwrap_or_default()),
        }),
    }
}

fn report_summary(report: &Theorem2Report) -> Value {
    json!({
        "verdict": verdict_summary(&report.verdict),
        "decided-by": report.decided_by.name(),
        "enclosure-bits": report.enclosure_bits,
        "epsilons": report
            .layers
            .iter()
            .map(|l| l.epsilon_exact.as_deref().map(short))
            .collect::<Vec<_>>(),
    })
}

/// `mlcsc check FILE --json [--arithmetic A]`: exit code and, when printed, the verdict and
/// who decided it.
fn command(path: &Path, arithmetic: &str) -> Value {
    let output = crate::common::cli::command()
        .arg("check")
        .arg(path)
        .args(["--json", "--arithmetic", arithmetic])
        .output()
        .expect("the binary runs");
    let code = output.status.code().expect("exit code");
    let document: Option<Value> = serde_json::from_slice(&output.stdout).ok();
    match document {
        Some(d) => json!({
            "exit": code,
            "verdict": d["verdict"],
            "decided-by": d["decided-by"],
            "rechecked-exactly": d["rechecked-exactly"],
        }),
        None => json!({ "exit": code }),
    }
}

fn snapshot(name: &str, value: &Value) {
    insta::with_settings!({
        snapshot_path => "../../fixtures/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, serde_json::to_string_pretty(value).expect("serialises"));
    });
}

#[test]
fn audited_instances_are_decided_and_never_misjudged_in_f64() {
    let files = fixture_files("verdicts");
    assert_eq!(
        files.len(),
        7,
        "the three audited instances and four irrational near-ties"
    );
    for path in files {
        let name = stem(&path);
        let file = InstanceFile::read(&path).expect("parses");
        let exact_file = file.to_exact();
        // The exact verdict, of the file or of its exact normalised twin.
        let twin = file
            .to_exact_normalised()
            .expect("an exact normalised twin");
        let exact = check_theorem2(&twin);
        assert!(
            !matches!(exact.verdict, Verdict::Undecided { .. }),
            "{name}: {:?}",
            exact.verdict
        );
        assert_eq!(exact.decided_by, DecidedBy::Exact);
        let screen = check_theorem2(&file.to_f64().expect("valid in f64"));
        assert_eq!(screen.decided_by, DecidedBy::F64Enclosure);
        if !matches!(screen.verdict, Verdict::Undecided { .. }) {
            assert_eq!(screen.verdict.name(), exact.verdict.name(), "{name}");
        }
        let cli_exact = command(&path, "exact");
        let cli_f64 = command(&path, "f64");
        // The f64 command ends with the exact verdict: 0 for holds and vacuous.
        assert_eq!(cli_f64["verdict"], exact.verdict.name(), "{name}");
        assert_eq!(cli_f64["exit"], 0, "{name}");
        match name.as_str() {
            "nonunit" => {
                assert!(exact_file.is_err());
                assert_eq!(cli_exact["exit"], 2);
                assert_eq!(exact.verdict, Verdict::Holds);
                assert!(matches!(screen.verdict, Verdict::Undecided { .. }));
                assert_eq!(cli_f64["decided-by"], "exact");
            }
            "f64-edge" => {
                assert!(matches!(&exact.verdict, Verdict::Vacuous(f) if f.hypothesis == "b"));
                assert!(matches!(screen.verdict, Verdict::Undecided { .. }));
                assert_eq!(cli_f64["decided-by"], "exact");
            }
            "tie3-hard-0" => {
                assert!(
                    matches!(&exact.verdict, Verdict::Vacuous(f) if f.hypothesis == "b" && f.layer == 3)
                );
                // ε_2 = sqrt(2) sqrt(2) / 10 collapses to 1/5: no enclosure is refined.
                assert_eq!(exact.layers[1].epsilon_exact.as_deref(), Some("1/5"));
                assert_eq!(exact.enclosure_bits, 64);
            }
            irrational => {
                assert!(irrational.starts_with("irrational-epsilon-"));
                assert!(exact.enclosure_bits > 4096, "{name}");
                assert_eq!(
                    exact.layers[0].epsilon_exact.as_deref(),
                    Some("1/5 + sqrt(2) * 1/5")
                );
                let expected =
                    if irrational.ends_with("low-above") || irrational.ends_with("high-below") {
                        "holds"
                    } else {
                        "vacuous"
                    };
                assert_eq!(exact.verdict.name(), expected, "{name}");
            }
        }
        snapshot(
            &format!("verdicts__{name}"),
            &json!({
                "name": name,
                "exact": report_summary(&exact),
                "f64": report_summary(&screen),
                "check": cli_exact,
                "check_f64": cli_f64,
            }),
        );
    }
}

#[test]
fn exit_codes_tell_holds_violated_bad_input_and_undecided_apart() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("verdict_fixtures");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let run = |path: &Path, args: &[&str]| {
        let output = crate::common::cli::command()
            .arg("check")
            .arg(path)
            .args(args)
            .output()
            .expect("the binary runs");
        output.status.code().expect("exit code")
    };
    let tie = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/instances/dirac-exact-tie.json");
    // The bound attained exactly: holds (0); without sqrt(p) it is violated (1).
    assert_eq!(run(&tie, &[]), 0);
    assert_eq!(
        run(
            &tie,
            &["--theorem", "theorem2-without-patch-sparsity-factor"]
        ),
        1
    );
    assert_eq!(run(&tie, &["--theorem", "no-such-theorem"]), 2);
    // Filters unit only within the f64 tolerance, with an irrational norm (no exact twin), and
    // the bound attained exactly: f64 cannot decide the tie and nothing exact can: 3.
    let undecided = dir.join("f64-only-tie.json");
    std::fs::write(
        &undecided,
        json!({
            "format": "mlcsc-instance-1",
            "signal-length": 4,
            "thresholding": "soft",
            "layers": [{ "filters": [[["1.000002"], ["0.001"]]], "threshold": "1/10" }],
            "deepest-representation": [{ "position": 0, "channel": 0, "value": "1" }]
        })
        .to_string(),
    )
    .expect("write");
    assert_eq!(run(&undecided, &["--arithmetic", "f64"]), 3);
    assert_eq!(run(&undecided, &[]), 2, "not exactly unit");
}
