//! One output policy for every command, each tried with a small case: a folder given by a flag
//! must be new or empty (an empty one is used); without the flag a fresh `STEM`, `STEM-2`, … is taken, so a second run
//! never meets or changes the first one's files, except that `verify` replaces a report folder
//! it wrote itself and nobody changed since (it carries the marker `.mlcsc-verify`); a file is never replaced without
//! `--overwrite` (and commands without that flag never suggest it); counterexamples go beside
//! the report, never into the working folder's `fixtures/`.

use std::path::Path;

use snapbox::cmd::Command;

fn mlcsc(folder: &Path) -> Command {
    crate::common::cli::command().current_dir(folder)
}

/// The entries of `folder`, sorted.
fn listing(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Each folder-writing command, small, with its default folder stem and its folder flag.
const FOLDER_COMMANDS: [(&[&str], &str, &str); 5] = [
    (&["verify", "--scale", "0.01"], "mlcsc-report", "--report"),
    (
        &[
            "phase",
            "theorem2-sparsity-contrast",
            "--grid-size",
            "2x2",
            "--cases-per-cell",
            "1",
        ],
        "phase-theorem2-sparsity-contrast",
        "--out",
    ),
    (
        &["head-to-head", "--cases", "1"],
        "mlcsc-head-to-head",
        "--out",
    ),
    (
        &["depth-study", "--cases-per-cell", "1"],
        "mlcsc-depth-study",
        "--out",
    ),
    (
        &["generate", "theorem2-soft", "--cases", "2"],
        "mlcsc-generate-theorem2-soft",
        "--out",
    ),
];

#[test]
fn every_folder_command_takes_a_fresh_default_folder_and_refuses_a_used_one() {
    for (args, stem, flag) in FOLDER_COMMANDS {
        let folder = tempfile::tempdir().expect("folder");
        let run = |extra: &[&str]| {
            mlcsc(folder.path())
                .args(args)
                .args(extra)
                .assert()
                .get_output()
                .status
                .code()
        };
        assert!(matches!(run(&[]), Some(0 | 1)), "{stem}: first run");
        let first = listing(&folder.path().join(stem));
        assert!(!first.is_empty(), "{stem}: wrote nothing");
        assert!(matches!(run(&[]), Some(0 | 1)), "{stem}: second run");
        if stem == "mlcsc-report" {
            // `verify` replaces its own unchanged report (verify_replaces_only_its_own_report).
            assert_eq!(listing(folder.path()), [stem.to_string()]);
        } else {
            assert_eq!(
                listing(folder.path()),
                [stem.to_string(), format!("{stem}-2")]
            );
        }
        assert_eq!(
            listing(&folder.path().join(stem)),
            first,
            "{stem}: first run changed"
        );
        // Given by the flag: a used folder is refused before any work, and left as it was.
        mlcsc(folder.path())
            .args(args)
            .args([flag, stem])
            .assert()
            .code(2)
            .stdout_eq("")
            .stderr_eq(format!(
                "mlcsc: {flag} {stem}: exists and is not an empty folder; choose a new one\n"
            ));
        assert_eq!(listing(&folder.path().join(stem)), first);
    }
}

#[test]
fn verify_replaces_only_its_own_report() {
    let folder = tempfile::tempdir().expect("folder");
    let verify = || {
        let code = mlcsc(folder.path())
            .args(["verify", "--scale", "0.01"])
            .assert()
            .get_output()
            .status
            .code();
        assert!(matches!(code, Some(0 | 1)), "verify ran");
    };
    let report = folder.path().join("mlcsc-report");
    verify();
    let marker = std::fs::read_to_string(report.join(".mlcsc-verify")).expect("the marker");
    assert!(marker.contains("summary.json"), "{marker}");
    // A rerun replaces verify's own, unchanged report: one folder, however many runs.
    verify();
    assert_eq!(listing(folder.path()), ["mlcsc-report"]);
    // A file the user added makes the folder theirs: kept, and the next run goes elsewhere.
    std::fs::write(report.join("my-notes.txt"), "mine").expect("a note");
    verify();
    assert_eq!(listing(folder.path()), ["mlcsc-report", "mlcsc-report-2"]);
    assert_eq!(
        std::fs::read_to_string(report.join("my-notes.txt")).expect("kept"),
        "mine"
    );
    // A folder without the marker is never touched either.
    std::fs::remove_file(folder.path().join("mlcsc-report-2/.mlcsc-verify")).expect("unmark");
    let unmarked = listing(&folder.path().join("mlcsc-report-2"));
    verify();
    assert_eq!(
        listing(folder.path()),
        ["mlcsc-report", "mlcsc-report-2", "mlcsc-report-3"]
    );
    assert_eq!(listing(&folder.path().join("mlcsc-report-2")), unmarked);
    // And `verify` replaces the third, its own, from now on.
    verify();
    assert_eq!(
        listing(folder.path()),
        ["mlcsc-report", "mlcsc-report-2", "mlcsc-report-3"]
    );
}

#[test]
fn file_outputs_are_never_replaced_without_overwrite() {
    let folder = tempfile::tempdir().expect("folder");
    let campaign = [
        "campaign",
        "theorem2-without-contrast-term",
        "--cases",
        "3",
        "--seed",
        "7",
    ];
    mlcsc(folder.path())
        .args(campaign)
        .args(["--report", "r.json"])
        .assert()
        .code(0);
    let report = std::fs::read(folder.path().join("r.json")).expect("report");
    // The shrunk counterexample lies beside the report; nothing goes into fixtures/.
    assert_eq!(listing(folder.path()), ["r.json", "r.json.counterexamples"]);
    mlcsc(folder.path())
        .args(campaign)
        .args(["--report", "r.json"])
        .assert()
        .code(2)
        .stderr_eq("mlcsc: --report r.json: exists; choose another path or pass --overwrite\n");
    assert_eq!(
        std::fs::read(folder.path().join("r.json")).expect("kept"),
        report
    );
    mlcsc(folder.path())
        .args(campaign)
        .args(["--report", "r.json", "--overwrite"])
        .assert()
        .code(0);
    // Counterexamples take the next free name, never overwriting the first.
    assert_eq!(
        listing(&folder.path().join("r.json.counterexamples")).len(),
        2,
        "a second counterexample file"
    );
    // An empty folder given by the flag is used.
    std::fs::create_dir(folder.path().join("empty")).expect("empty folder");
    mlcsc(folder.path())
        .args([
            "generate",
            "theorem2-soft",
            "--cases",
            "2",
            "--out",
            "empty",
        ])
        .assert()
        .code(0);
    assert_eq!(listing(&folder.path().join("empty")).len(), 2);
    // `search --save` writes a new file, and refuses an existing one without naming a flag.
    let search = [
        "search",
        "theorem2-soft",
        "--budget",
        "4",
        "--save",
        "best.json",
    ];
    mlcsc(folder.path()).args(search).assert().code(0);
    mlcsc(folder.path())
        .args(search)
        .assert()
        .code(2)
        .stderr_eq("mlcsc: --save best.json: exists; choose another path\n");
}
