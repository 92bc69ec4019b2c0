//! Every JSON document the command line writes (standard output with `--json`, and the report
//! files) has ASCII kebab-case keys: lowercase letters and digits in words joined by single
//! hyphens (`hypotheses-met`, `channels-two-or-more`, `a-layer2`). Instance files written with
//! the earlier snake_case keys are still read, with the same result.

use std::path::Path;

use serde_json::Value;

use crate::common::cli::{fixture, json_in, run_in};

/// Whether `key` is ASCII kebab-case.
fn kebab(key: &str) -> bool {
    !key.is_empty()
        && key.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The keys of `value` that are not kebab-case, with their paths. The names of a record's
/// `margins` and `features` object are the entry's own names of its numbers (an event's
/// feature is `event:NAME`): data, as the values of a list were before, not keys.
fn bad_keys(value: &Value, path: &str, bad: &mut Vec<String>) {
    let named_numbers = path.ends_with(".margins") || path.ends_with(".features");
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let data = named_numbers && inner.is_number();
                if !(kebab(key) || data) {
                    bad.push(format!("{path}.{key}"));
                }
                bad_keys(inner, &format!("{path}.{key}"), bad);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| bad_keys(v, &format!("{path}[]"), bad)),
        _ => {}
    }
}

/// Every JSON file under `folder` (JSON lines for `.jsonl`), parsed, with its name.
fn json_files(folder: &Path) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for entry in walk(folder) {
        let name = entry.display().to_string();
        let extension = entry.extension().and_then(|e| e.to_str());
        if !matches!(extension, Some("json" | "jsonl")) {
            continue;
        }
        let text = std::fs::read_to_string(&entry).expect("a written file");
        match extension {
            Some("json") => found.push((name, serde_json::from_str(&text).expect("JSON"))),
            Some("jsonl") => {
                for (k, line) in text.lines().enumerate() {
                    let value = serde_json::from_str(line).expect("a JSON line");
                    found.push((format!("{name}:{}", k + 1), value));
                }
            }
            _ => {}
        }
    }
    found
}

fn walk(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn kebab_case_is_recognised() {
    for good in ["a", "hypotheses-met", "a-layer2", "epsilon-0", "x-low"] {
        assert!(kebab(good), "{good}");
    }
    for bad in [
        "",
        "hypotheses_met",
        "a@2",
        "Verdict",
        "-a",
        "a-",
        "a--b",
        "channels≥2",
    ] {
        assert!(!kebab(bad), "{bad}");
    }
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "the list of every JSON document the command line writes"
)]
fn every_json_document_of_the_command_line_has_kebab_case_keys() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let folder = scratch.path();
    let text = |path: std::path::PathBuf| path.display().to_string();
    let noisy = text(fixture("instances/binary4-two-atoms-noisy.json"));
    let pythagorean = text(fixture("instances/two-layer-dirac-pythagorean.json"));
    let network = |end: &str| text(fixture(&format!("networks/digits-certified{end}")));
    let (weights, manifest) = (network(".safetensors"), network(".json"));
    let counterexample = text(fixture(
        "counterexamples/theorem2-without-patch-sparsity-factor-seed2017-case9.json",
    ));
    let npy = folder.join("conv.npy");
    std::fs::write(
        &npy,
        crate::common::npy_bytes(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1, 2), }",
            &[0.6f64, 0.8, 0.0, 1.0]
                .iter()
                .flat_map(|x| x.to_le_bytes())
                .collect::<Vec<u8>>(),
        ),
    )
    .expect("write");
    let commands: Vec<Vec<String>> = [
        vec!["verify", "--scale", "0.02", "--report", "verify-report"],
        vec!["check", &noisy],
        vec!["check", "--arithmetic", "f64", &pythagorean],
        vec![
            "check",
            "--theorem",
            "theorem2-without-patch-sparsity-factor",
            &counterexample,
        ],
        vec!["check", "--theorem", "layered-basis-pursuit", &pythagorean],
        vec!["check", "--theorem", "welch-bound", &pythagorean],
        vec![
            "campaign",
            "theorem2-soft",
            "--cases",
            "12",
            "--seed",
            "7",
            "--report",
            "c.json",
            "--checkpoint",
            "c.jsonl",
        ],
        vec![
            "campaign",
            "layered-basis-pursuit",
            "--cases",
            "6",
            "--seed",
            "7",
            "--report",
            "bp.json",
        ],
        vec![
            "campaign",
            "theorem2-without-contrast-term",
            "--cases",
            "6",
            "--seed",
            "7",
            "--report",
            "kf.json",
        ],
        vec!["merge", "c.json", "--report", "merged.json"],
        vec!["forward", &pythagorean],
        vec!["forward", "--pursuit", "basis-pursuit", &pythagorean],
        vec!["forward", "--pursuit", "cnn", &pythagorean],
        vec!["inspect", &noisy],
        vec!["inspect", "--npy", &text(npy.clone())],
        vec![
            "phase",
            "theorem2-sparsity-contrast",
            "--grid-size",
            "2x2",
            "--cases-per-cell",
            "2",
            "--out",
            "phase",
        ],
        vec![
            "phase",
            "theorem2-noise-contrast",
            "--grid-size",
            "2x2",
            "--cases-per-cell",
            "2",
            "--out",
            "phase-noise",
        ],
        vec!["head-to-head", "--cases", "1", "--out", "head-to-head"],
        vec![
            "depth-study",
            "--cases-per-cell",
            "1",
            "--out",
            "depth-study",
        ],
        vec![
            "generate",
            "theorem2-soft",
            "--cases",
            "2",
            "--out",
            "generated",
        ],
        vec!["search", "theorem2-soft", "--budget", "6", "--compare"],
        vec!["search", "layered-basis-pursuit", "--budget", "4"],
        vec!["list"],
        vec!["rationalize", &pythagorean, "--out", "unit.json"],
        vec![
            "certify",
            "--weights",
            &weights,
            "--manifest",
            &manifest,
            "--out",
            "certify",
        ],
    ]
    .into_iter()
    .map(|c| c.into_iter().map(String::from).collect())
    .collect();
    let mut bad = Vec::new();
    for command in &commands {
        let args = command.iter().map(String::as_str).chain(["--json"]);
        let document = json_in(folder, args);
        bad_keys(
            &document,
            &format!("`mlcsc {}`", command.join(" ")),
            &mut bad,
        );
    }
    let files = json_files(folder);
    assert!(files.len() >= 20, "only {} files written", files.len());
    for (name, document) in &files {
        bad_keys(document, name, &mut bad);
    }
    assert!(
        bad.is_empty(),
        "keys that are not kebab-case:\n{}",
        bad.join("\n")
    );
}

#[test]
fn instance_files_with_the_earlier_snake_case_keys_are_read_alike() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let folder = scratch.path();
    for name in [
        "instances/binary4-two-atoms-noisy.json",
        "theorem2/three-layers.json",
    ] {
        let current = std::fs::read_to_string(fixture(name)).expect("a fixture");
        let mut earlier: Value = serde_json::from_str(&current).expect("JSON");
        let object = earlier.as_object_mut().expect("an object");
        let keys: Vec<String> = object.keys().cloned().collect();
        let mut renamed = 0;
        for key in keys {
            if key.contains('-') {
                let value = object.remove(&key).expect("present");
                object.insert(key.replace('-', "_"), value);
                renamed += 1;
            }
        }
        assert!(renamed >= 3, "{name}: {renamed} keys renamed");
        std::fs::write(folder.join("earlier.json"), earlier.to_string()).expect("write");
        let path = fixture(name);
        for command in [
            &["inspect", "--json"][..],
            &["check", "--json"],
            &["forward", "--json"],
        ] {
            let from_current = json_in(
                folder,
                command
                    .iter()
                    .copied()
                    .chain([path.to_str().expect("UTF-8")]),
            );
            let from_earlier = json_in(folder, command.iter().copied().chain(["earlier.json"]));
            assert_eq!(
                without_name(from_current),
                without_name(from_earlier),
                "{name}: {command:?}"
            );
        }
        // A key in both spellings is refused.
        let mut both: Value = serde_json::from_str(&current).expect("JSON");
        let length = both["signal-length"].clone();
        both["signal_length"] = length;
        std::fs::write(folder.join("both.json"), both.to_string()).expect("write");
        let output = run_in(folder, ["inspect", "both.json"]);
        assert_eq!(output.status.code(), Some(2), "{name}: both spellings");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("signal-length"),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// A report without the fields naming the file it came from.
fn without_name(mut value: Value) -> Value {
    if let Some(object) = value.as_object_mut() {
        object.remove("file");
        object.remove("path");
    }
    value
}

/// JSON is written as it is serialised, without a value tree: the text is what `serde_json`
/// prints for the same document pretty, byte for byte.
#[test]
fn streamed_json_is_the_pretty_printed_document() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let instance = fixture("instances/two-layer-dirac-pythagorean.json");
    for pursuit in ["thresholding", "cnn", "basis-pursuit"] {
        let output = crate::common::cli::mlcsc(["forward", "--json", "--pursuit", pursuit])
            .arg(&instance)
            .current_dir(scratch.path())
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{pursuit}");
        let text = String::from_utf8(output.stdout).expect("UTF-8");
        let document: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            text,
            serde_json::to_string_pretty(&document).expect("prints") + "\n",
            "{pursuit}"
        );
    }
}
