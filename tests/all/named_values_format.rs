//! Margins and features are JSON objects `{"name": value}` in `check --json`, in campaign
//! reports (format `mlcsc-campaign-4`) and in checkpoints; a report of format
//! `mlcsc-campaign-3`, with lists of `[name, value]` pairs, is still read by `merge`, and the
//! merged report is written in the new form, equal to the merge of new shards.

use std::path::Path;

fn campaign_shard(folder: &Path, number: u32) {
    let shard = format!("{number}/3");
    let report = format!("shard-{number}.json");
    let output = crate::common::cli::run_in(
        folder,
        [
            "campaign",
            "theorem2-soft",
            "--cases",
            "12",
            "--seed",
            "7",
            "--save",
            "0",
            "--shard",
            &shard,
            "--report",
            &report,
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The report with its format tag and its records' margins and features in the earlier form.
fn in_the_earlier_form(report: &serde_json::Value) -> serde_json::Value {
    let mut old = report.clone();
    old["format"] = "mlcsc-campaign-3".into();
    for record in old["records"].as_array_mut().expect("records") {
        for key in ["margins", "features"] {
            let pairs: Vec<serde_json::Value> = record[key]
                .as_object()
                .unwrap_or_else(|| panic!("{key} is an object: {record}"))
                .iter()
                .map(|(name, value)| serde_json::json!([name, value]))
                .collect();
            record[key] = pairs.into();
        }
    }
    old
}

#[test]
fn merge_reads_reports_of_the_earlier_form_and_writes_the_new_one() {
    let folder = tempfile::tempdir().expect("folder");
    let folder = folder.path();
    for number in 1..=3 {
        campaign_shard(folder, number);
    }
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(folder.join(name)).expect("a report"))
            .expect("JSON")
    };
    let new = read("shard-2.json");
    assert_eq!(new["format"], "mlcsc-campaign-4");
    assert!(
        new["records"][0]["margins"].is_object(),
        "{}",
        new["records"][0]
    );
    let old = in_the_earlier_form(&new);
    std::fs::write(
        folder.join("old-2.json"),
        serde_json::to_string_pretty(&old).expect("JSON"),
    )
    .expect("write");
    for (second, merged) in [
        ("shard-2.json", "merged-new.json"),
        ("old-2.json", "merged-old.json"),
    ] {
        let output = crate::common::cli::run_in(
            folder,
            [
                "merge",
                "shard-1.json",
                second,
                "shard-3.json",
                "--report",
                merged,
            ],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let merged = std::fs::read_to_string(folder.join("merged-old.json")).expect("merged");
    assert_eq!(
        merged,
        std::fs::read_to_string(folder.join("merged-new.json")).expect("merged")
    );
    assert!(
        merged.contains(r#""format": "mlcsc-campaign-4""#),
        "{merged}"
    );
}

#[test]
fn check_json_gives_margins_and_features_as_objects() {
    let folder = tempfile::tempdir().expect("folder");
    let file = crate::common::cli::fixture("theorem2/two-layer-dirac.json");
    let file = if file.exists() {
        file
    } else {
        crate::common::fixture_files("theorem2")
            .into_iter()
            .next()
            .expect("a fixture")
    };
    let value = crate::common::cli::json_in(
        folder.path(),
        ["check".as_ref(), file.as_os_str(), "--json".as_ref()],
    );
    assert!(value["margins"].is_object(), "{value}");
    assert!(value["features"].is_object(), "{value}");
    assert!(
        !value["margins"].as_object().expect("object").is_empty(),
        "{value}"
    );
}

#[test]
fn a_name_given_twice_is_refused() {
    let record = r#"{"case":0,"verdict":"holds","failed-hypothesis":null,"certified":true,
        "tightness":null,"margins":[["a",1.0],["a",2.0]],"features":{},"witness":null}"#;
    let error = serde_json::from_str::<mlcsc::campaign::CaseRecord>(record).expect_err("refused");
    assert!(error.to_string().contains("given twice"), "{error}");
}

/// A checkpoint line in the earlier form: the header's format tag, or a record's margins and
/// features as lists of pairs. A line's check hashes its own text, whatever its form, so an
/// earlier line keeps its check; the edited lines here go without one (still read).
fn line_in_the_earlier_form(line: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
    if let Some(object) = value.as_object_mut() {
        object.remove("check");
    }
    if value.get("format").is_some() {
        value["format"] = "mlcsc-campaign-3".into();
    }
    for key in ["margins", "features"] {
        if let Some(object) = value.get(key).and_then(|v| v.as_object()) {
            let pairs: Vec<serde_json::Value> = object
                .iter()
                .map(|(name, number)| serde_json::json!([name, number]))
                .collect();
            value[key] = pairs.into();
        }
    }
    value.to_string()
}

#[test]
fn a_checkpoint_of_the_earlier_form_is_resumed() {
    let folder = tempfile::tempdir().expect("folder");
    let folder = folder.path();
    let campaign = |checkpoint: &str, report: &str| {
        let output = crate::common::cli::run_in(
            folder,
            [
                "campaign",
                "theorem2-soft",
                "--cases",
                "12",
                "--seed",
                "7",
                "--save",
                "0",
                "--checkpoint",
                checkpoint,
                "--report",
                report,
            ],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = std::fs::read_to_string(folder.join(report)).expect("a report");
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        (value["records"].clone(), value["statistics"].clone())
    };
    let fresh = campaign("new.jsonl", "new.json");
    let text = std::fs::read_to_string(folder.join("new.jsonl")).expect("the checkpoint");
    let old: Vec<String> = text.lines().take(7).map(line_in_the_earlier_form).collect();
    assert!(old[1].contains(r#""margins":[["#), "{}", old[1]);
    std::fs::write(folder.join("old.jsonl"), old.join("\n") + "\n").expect("write");
    assert_eq!(campaign("old.jsonl", "resumed.json"), fresh);
}
