//! Refusals of the image form of format `mlcsc-instance-2`: every key of an image file in a
//! one-dimensional file (and the reverse), and every malformed image key, is refused with exit
//! 2, naming the field, the layer and the value, before any work.

use serde_json::{Value, json};

use crate::common::cli::{fixture, run_in};

fn image() -> Value {
    let text = std::fs::read_to_string(fixture("images/two_layer_image.json")).expect("fixture");
    serde_json::from_str(&text).expect("JSON")
}

/// A one-dimensional file of format 2 (the paper's fixture with `"signal-shape": [16]`).
fn line() -> Value {
    let path = fixture("instances/binary4-two-atoms-noisy.json");
    let mut file: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON");
    let object = file.as_object_mut().expect("an object");
    object.insert("format".into(), "mlcsc-instance-2".into());
    let length = object.remove("signal-length").expect("signal-length");
    object.insert("signal-shape".into(), json!([length]));
    file
}

fn with(mut file: Value, change: impl FnOnce(&mut Value)) -> Value {
    change(&mut file);
    file
}

fn assert_refused(cases: Vec<(Value, &[&str])>) {
    let folder = tempfile::tempdir().expect("a folder");
    for (number, (file, words)) in cases.iter().enumerate() {
        let name = format!("bad-{number}.json");
        std::fs::write(folder.path().join(&name), file.to_string()).expect("write");
        for arithmetic in ["exact", "f64"] {
            let args = [
                "check",
                "--theorem",
                "theorem2-real-layers-soft",
                "--arithmetic",
                arithmetic,
                &name,
            ];
            let output = run_in(folder.path(), args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "case {number}: {stderr}");
            assert!(output.stdout.is_empty(), "case {number}: no verdict");
            for word in *words {
                assert!(stderr.contains(word), "case {number}: {word:?} in {stderr}");
            }
        }
    }
}

#[test]
fn keys_of_an_image_file_in_a_one_dimensional_file_are_refused_naming_them() {
    assert_refused(vec![
        (
            with(line(), |f| f["layers"][0]["stride"] = json!([1, 1])),
            &[
                "layers[0].stride (layer 1)",
                "[1,1]",
                "stride pair",
                "signal-shape [16]",
            ][..],
        ),
        (
            with(line(), |f| {
                f["layers"][0]["padding"] = json!({"mode": "zero", "top": 1, "left": 1});
            }),
            &[
                "layers[0].padding.top (layer 1)",
                "rows axis",
                "one-dimensional",
            ],
        ),
        (
            with(line(), |f| {
                f["layers"][0]["filters"][0][1][0] = json!([0, 1])
            }),
            &[
                "layers[0].filters[0][1][0] (layer 1)",
                "[0,1]",
                "[out][row][column][in]",
            ],
        ),
        (
            with(line(), |f| {
                f["deepest-representation"][0]["position"] = json!([0, 3])
            }),
            &[
                "deepest-representation[0].position",
                "[0,3]",
                "[row, column]",
            ],
        ),
        (
            with(line(), |f| f["last-patch-width"] = json!([1, 2])),
            &["last-patch-width", "[1,2]", "one-dimensional"],
        ),
    ]);
}

#[test]
fn one_dimensional_keys_in_an_image_file_are_refused_naming_them() {
    assert_refused(vec![
        (
            with(image(), |f| f["noise"][0]["position"] = json!(35)),
            &[
                "noise[0].position",
                "35",
                "signal-shape [6,6]",
                "[row, column]",
            ][..],
        ),
        (
            with(image(), |f| f["last-patch-width"] = json!(1)),
            &["last-patch-width", "image file", "[h, w]"],
        ),
        (
            with(image(), |f| {
                f["layers"][0]["filters"] = json!([[["1/2"], ["1/2"], ["1/2"], ["1/2"]]]);
            }),
            &[
                "layers[0].filters[0][0][0] (layer 1)",
                "\"1/2\"",
                "[out][row][column][in]",
            ],
        ),
    ]);
}

#[test]
fn malformed_image_keys_are_refused_naming_field_layer_and_axis() {
    assert_refused(vec![
        (
            with(image(), |f| {
                f["layers"][0]["filters"][1] = json!([[["1"], [0]]])
            }),
            &[
                "layers[0].filters[1] (layer 1)",
                "has 1 rows",
                "filter 0 has 2",
            ][..],
        ),
        (
            with(image(), |f| {
                f["layers"][0]["filters"][1][1] = json!([["1"]])
            }),
            &[
                "layers[0].filters[1][1] (layer 1)",
                "has 1 columns",
                "has 2",
            ],
        ),
        (
            with(image(), |f| {
                f["deepest-representation"][1]["position"] = json!([1, 2])
            }),
            &[
                "deepest-representation[1].position",
                "[1, 2]",
                "row 1 of 0..2",
                "column 2 of 0..2",
            ],
        ),
        (
            with(image(), |f| f["layers"][1]["stride"] = json!([1, 1, 1])),
            &["layers[1].stride (layer 2)", "[1,1,1]", "[σ_h, σ_w]"],
        ),
        (
            with(image(), |f| {
                f["layers"][0]["padding"] = json!({"mode": "valid", "top": 1})
            }),
            &[
                "layers[0].padding.mode (layer 1)",
                "\"valid\" takes no amounts",
                "top",
            ],
        ),
        (
            with(image(), |f| {
                f["layers"][0]["stride"] = json!(3);
                f["layers"][0]["padding"] = json!({"mode": "circular"});
                f["layers"][1]["padding"] = json!({"mode": "circular"});
            }),
            &[
                "layers[1] (layer 2), the rows axis",
                "H_1 = 2 rows",
                "2 n_h − 1 = 3",
            ],
        ),
        (
            with(image(), |f| {
                f["layers"][0]["stride"] = json!([4, 2]);
                f["layers"][0]["padding"] = json!({"mode": "circular"});
            }),
            &[
                "layers[0] (layer 1), the rows axis",
                "stride 4 does not divide",
            ],
        ),
        (
            with(image(), |f| f["last-patch-width"] = json!([3, 1])),
            &["last-patch-width", "[3, 1]", "2 × 2"],
        ),
        (
            with(image(), |f| f["signal-shape"] = json!([6, 6, 1])),
            &["signal-shape", "[6,6,1]", "[H, W]"],
        ),
    ]);
}
