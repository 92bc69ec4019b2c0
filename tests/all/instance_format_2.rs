//! Instance format `mlcsc-instance-2`: each layer's `"stride"` and `"padding"`, and
//! `"signal-shape": [N]`. A file of format 1, or of format 2 with the paper's layers written out
//! (stride 1, circular), gives the same results; a strided or padded layer is read, kept and
//! written back, and refused, naming the layer and its geometry, by the commands that report
//! the paper's quantities; every malformed key is refused naming it.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::cli::{fixture, json_in, run_in};
use mlcsc::conjecture::find;
use mlcsc::io::{InstanceFile, ToInstanceFile};
use mlcsc::model::{Geometry, Padding};

const FIXTURE: &str = "instances/binary4-two-atoms-noisy.json";

fn fixture_json() -> Value {
    let text = std::fs::read_to_string(fixture(FIXTURE)).expect("the fixture");
    serde_json::from_str(&text).expect("JSON")
}

/// The fixture in format 2, its layers' geometry written as `layer` says.
fn in_format_2(layer: Value) -> Value {
    let mut file = fixture_json();
    let object = file.as_object_mut().expect("an object");
    object.insert("format".into(), "mlcsc-instance-2".into());
    let length = object.remove("signal-length").expect("signal-length");
    object.insert("signal-shape".into(), json!([length]));
    for layer_file in object["layers"].as_array_mut().expect("layers") {
        for (key, value) in layer.as_object().expect("keys") {
            layer_file[key] = value.clone();
        }
    }
    file
}

fn write(folder: &Path, name: &str, file: &Value) -> String {
    std::fs::write(folder.join(name), file.to_string()).expect("write");
    name.to_string()
}

fn stderr_of(folder: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = run_in(folder, args);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn format_2_with_the_papers_layers_gives_format_1s_results() {
    let folder = tempfile::tempdir().expect("a folder");
    let folder = folder.path();
    let paper = json!({"stride": 1, "padding": {"mode": "circular"}});
    let v2 = write(folder, "v2.json", &in_format_2(paper));
    let v1 = fixture(FIXTURE);
    let v1 = v1.to_str().expect("UTF-8");
    for command in [
        &["check", "--json"][..],
        &["inspect", "--json"],
        &["forward", "--json"],
        &["check", "--json", "--arithmetic", "f64"],
    ] {
        let from_v1 = json_in(folder, command.iter().copied().chain([v1]));
        let from_v2 = json_in(folder, command.iter().copied().chain([v2.as_str()]));
        assert_eq!(from_v1, from_v2, "{command:?}");
    }
}

#[test]
fn a_strided_padded_instance_is_read_kept_and_written_back() {
    let file =
        in_format_2(json!({"stride": 2, "padding": {"mode": "zero", "left": 1, "right": 2}}));
    let parsed = InstanceFile::parse(&file.to_string()).expect("format 2");
    let instance = parsed.to_exact().expect("valid");
    let layer = instance.model.layer(1);
    assert_eq!(
        layer.geometry(),
        Geometry {
            stride: 2,
            padding: Padding::Zero { left: 1, right: 2 }
        }
    );
    // N = 16, n = 4: ⌊(16 + 3 − 4)/2⌋ + 1 = 8 positions.
    assert_eq!(instance.model.length(1), 8);
    let written = serde_json::to_value(instance.to_file()).expect("JSON");
    assert_eq!(written["format"], "mlcsc-instance-2");
    assert_eq!(written["signal-shape"], json!([16]));
    assert_eq!(written["layers"][0]["stride"], 2);
    let again = InstanceFile::parse(&written.to_string())
        .expect("parsed")
        .to_exact()
        .expect("valid");
    assert_eq!(again.model, instance.model);
    // The paper's instance is still written in format 1, with no key of format 2.
    let paper = InstanceFile::read(&fixture(FIXTURE))
        .expect("read")
        .to_exact()
        .expect("valid");
    let written = serde_json::to_value(paper.to_file()).expect("JSON");
    assert_eq!(written["format"], "mlcsc-instance-1");
    assert!(written.get("signal-shape").is_none() && written["layers"][0].get("stride").is_none());
}

#[test]
fn results_stated_for_the_papers_layers_refuse_a_strided_layer_before_any_work_and_inspect_reads_it()
 {
    let folder = tempfile::tempdir().expect("a folder");
    let folder = folder.path();
    let strided = write(folder, "strided.json", &in_format_2(json!({"stride": 2})));
    for command in [
        &["check"][..],
        &["check", "--arithmetic", "f64"],
        &["forward", "--pursuit", "basis-pursuit"],
    ] {
        let args: Vec<&str> = command.iter().copied().chain([strided.as_str()]).collect();
        let (code, stderr) = stderr_of(folder, &args);
        assert_eq!(code, Some(2), "{command:?}: {stderr}");
        for word in ["strided.json", "layer 1: stride 2, circular padding"] {
            assert!(stderr.contains(word), "{command:?}: {word:?} in {stderr}");
        }
    }
    let report = crate::common::cli::json_in(folder, ["inspect", "--json", strided.as_str()]);
    assert_eq!(
        report["layers"][0]["geometry"],
        "stride 2, circular padding"
    );
    let instance = InstanceFile::parse(&in_format_2(json!({"stride": 2})).to_string())
        .expect("format 2")
        .to_exact()
        .expect("valid");
    let entry = find("theorem2-soft").expect("registered");
    let refusal = entry.within_limits(&instance).expect_err("refused");
    assert!(
        refusal.contains("stated for the paper's layers"),
        "{refusal}"
    );
}

#[test]
fn malformed_keys_of_format_2_are_refused_naming_them() {
    let folder = tempfile::tempdir().expect("a folder");
    let folder = folder.path();
    let mut v1_with_stride = fixture_json();
    v1_with_stride["layers"][0]["stride"] = 2.into();
    let mut both_lengths = in_format_2(json!({}));
    both_lengths["signal-length"] = 16.into();
    let mut two_dimensions = in_format_2(json!({}));
    two_dimensions["signal-shape"] = json!([4, 4]);
    let cases = [
        (
            v1_with_stride,
            &["layers[0].stride", "mlcsc-instance-2"][..],
        ),
        (
            in_format_2(json!({"stride": 0})),
            &["layers[0].stride", "is 0"],
        ),
        (
            in_format_2(json!({"padding": {"mode": "reflect"}})),
            &["layers[0].padding.mode", "\"reflect\""],
        ),
        (
            in_format_2(json!({"padding": {"mode": "circular", "left": 1}})),
            &["layers[0].padding.mode", "no amounts"],
        ),
        (
            in_format_2(json!({"padding": {"mode": "zero", "left": -1}})),
            &["layers[0].padding.left"],
        ),
        (both_lengths, &["signal-shape", "both"]),
        (two_dimensions, &["signal-shape", "[4,4]"]),
    ];
    for (number, (file, words)) in cases.iter().enumerate() {
        let name = write(folder, &format!("bad-{number}.json"), file);
        let (code, stderr) = stderr_of(folder, &["check", name.as_str()]);
        assert_eq!(code, Some(2), "case {number}: {stderr}");
        for word in *words {
            assert!(stderr.contains(word), "case {number}: {word:?} in {stderr}");
        }
    }
    // A geometry that does not fit the lengths is a model error naming the layer.
    for (layer, words) in [
        (json!({"stride": 3}), &["layer 1", "stride 3", "16"][..]),
        (
            json!({"stride": 2, "padding": {"mode": "valid"}}),
            &["layer 1"][..],
        ),
    ] {
        let mut file = in_format_2(layer);
        file["signal-shape"] = json!([16]);
        if words.len() == 1 {
            // Valid padding on 3 positions with filters of 4 taps: no window fits.
            file["signal-shape"] = json!([3]);
        }
        let error = InstanceFile::parse(&file.to_string())
            .expect("parsed")
            .to_exact()
            .expect_err("refused")
            .to_string();
        for word in words {
            assert!(error.contains(word), "{word:?} in {error}");
        }
    }
}

/// `forward` runs strided and padded layers: layered nonnegative thresholding (exact, and on
/// the `f64` kernels) equals the independent CNN layer (a framework's loop over padded input
/// planes), and each estimate has its layer's own number of positions.
#[test]
fn forward_runs_strided_padded_layers_as_the_cnn_does() {
    let folder = tempfile::tempdir().expect("a folder");
    let folder = folder.path();
    // N = 16, n = 4: each geometry with its N_1.
    for (number, (layer, positions)) in [
        (json!({"stride": 2}), 8),
        (
            json!({"stride": 2, "padding": {"mode": "zero", "left": 1, "right": 2}}),
            8,
        ),
        (json!({"padding": {"mode": "valid"}}), 13),
        (
            json!({"stride": 3, "padding": {"mode": "zero", "left": 0, "right": 2}}),
            5,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut file = in_format_2(layer);
        file["thresholding"] = "nonnegative".into();
        let name = write(folder, &format!("strided-{number}.json"), &file);
        let estimate = |extra: &[&str]| {
            let args: Vec<&str> = ["forward", "--json"]
                .into_iter()
                .chain(extra.iter().copied())
                .chain([name.as_str()])
                .collect();
            json_in(folder, &args)["layers"][0]["estimate"].clone()
        };
        let exact = estimate(&[]);
        assert_eq!(exact.as_array().expect("rows").len(), positions, "{number}");
        assert_eq!(exact, estimate(&["--pursuit", "cnn"]), "{number}");
        let float = estimate(&["--arithmetic", "f64"]);
        let rows = |v: &Value| -> Vec<f64> {
            v.as_array()
                .expect("rows")
                .iter()
                .flat_map(|row| row.as_array().expect("a row").iter())
                .map(|x| x.as_f64().expect("a number"))
                .collect()
        };
        let (exact, float) = (rows(&exact), rows(&float));
        assert_eq!(exact.len(), float.len());
        assert!(exact.iter().any(|x| *x > 0.0), "{number}: some atom fires");
        for (a, b) in exact.iter().zip(&float) {
            assert!(
                (a - b).abs() <= 1e-12 * a.abs().max(1.0),
                "{number}: {a} against {b}"
            );
        }
    }
}

/// The example of format 2 in `fixtures/README.md` is a valid instance that `forward` runs.
#[test]
fn the_documented_example_of_format_2_is_read() {
    let readme = include_str!("../../fixtures/README.md");
    let section = readme
        .split("### Format `mlcsc-instance-2`")
        .nth(1)
        .expect("the section on format 2");
    let example = section
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a JSON example");
    let instance = InstanceFile::parse(example)
        .expect("the example parses")
        .to_exact()
        .expect("the example is valid");
    assert_eq!(instance.model.length(1), 8);
    assert_eq!(instance.thresholds[0].channel_count(), Some(2));
    let folder = tempfile::tempdir().expect("a folder");
    let name = write(
        folder.path(),
        "example.json",
        &serde_json::from_str(example).expect("JSON"),
    );
    let estimate =
        &json_in(folder.path(), ["forward", "--json", name.as_str()])["layers"][0]["estimate"];
    assert_eq!(estimate.as_array().expect("rows").len(), 8);
}
