//! Image manifests (`mlcsc-network-1` with `input.shape` `[H, W]`): `Conv2d` weights
//! `[out][in][kh][kw]`, a stride number or pair, a zero padding's `top`, `bottom`, `left` and
//! `right` (the keys of an image instance file), read into the one-dimensional layers' form
//! with each layer's filter shape and axes; and every refusal, naming the file, the layer, the
//! tensor or field and the value.

use std::path::{Path, PathBuf};

use mlcsc::io::network::{NetworkError, load_network, parse_manifest, read_network};
use mlcsc::model::{FilterShape, Geometry, Grid, GridGeometry, Padding};
use serde_json::{Value, json};

use crate::common::cli::run_in;

/// A `.safetensors` file of float32 tensors `(name, shape, values)`, offsets in order.
fn safetensors(tensors: &[(&str, &[usize], Vec<f32>)]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    let mut data = Vec::new();
    for (name, shape, values) in tensors {
        let start = data.len();
        data.extend(values.iter().flat_map(|v| v.to_le_bytes()));
        header.insert(
            (*name).into(),
            json!({"dtype": "F32", "shape": shape, "data_offsets": [start, data.len()]}),
        );
    }
    let mut text = Value::Object(header).to_string();
    while text.len() % 8 != 0 {
        text.push(' ');
    }
    let mut bytes = (text.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes.extend_from_slice(&data);
    bytes
}

/// `count` float32 entries `0.5, −0.25, 0.5, …` (no zero filter).
fn entries(count: usize) -> Vec<f32> {
    (0..count)
        .map(|k| if k % 3 == 1 { -0.25 } else { 0.5 })
        .collect()
}

/// Two image layers: `conv1` 1 → 2 channels 3 × 2 at stride `[2, 1]`, zero padding
/// `(1, 0)` on the rows and `(0, 1)` on the columns; `conv2` 2 → 3 channels 2 × 2, stride 1,
/// valid. Input 7 × 5: layer 1 gives `⌊(7 + 1 − 3)/2⌋ + 1 = 3` rows and `5 + 1 − 2 + 1 = 5`
/// columns, layer 2 `2 × 4`.
fn image_manifest() -> Value {
    json!({"format": "mlcsc-network-1",
        "input": {"channels": 1, "shape": [7, 5]},
        "layers": [
            {"weight": "conv1.weight", "bias": "conv1.bias", "stride": [2, 1],
             "padding": {"mode": "zero", "top": 1, "bottom": 0, "left": 0, "right": 1},
             "activation": "relu"},
            {"weight": "conv2.weight", "stride": 1, "padding": {"mode": "valid"},
             "activation": "relu"}]})
}

/// The tensors of [`image_manifest`].
fn image_tensors() -> Vec<(&'static str, &'static [usize], Vec<f32>)> {
    vec![
        ("conv1.weight", &[2, 1, 3, 2], entries(12)),
        ("conv1.bias", &[2], vec![-0.5, -0.25]),
        ("conv2.weight", &[3, 2, 2, 2], entries(24)),
    ]
}

/// Writes weights and manifest into `folder`.
fn write(
    folder: &Path,
    tensors: &[(&str, &[usize], Vec<f32>)],
    manifest: &Value,
) -> (PathBuf, PathBuf) {
    let (weights, path) = (folder.join("net.safetensors"), folder.join("net.json"));
    std::fs::write(&weights, safetensors(tensors)).expect("writes");
    std::fs::write(&path, manifest.to_string()).expect("writes");
    (weights, path)
}

/// The error's text contains every word.
fn names_all<T: std::fmt::Debug>(result: Result<T, NetworkError>, words: &[&str]) {
    let text = result.expect_err("refused").to_string();
    for word in words {
        assert!(text.contains(word), "{text:?} does not name {word:?}");
    }
}

/// The manifest is refused at parsing, naming every word.
fn manifest_refused(manifest: &Value, words: &[&str]) {
    names_all(
        parse_manifest(&manifest.to_string(), Path::new("net.json")),
        &["net.json: field "],
    );
    names_all(
        parse_manifest(&manifest.to_string(), Path::new("net.json")),
        words,
    );
}

#[test]
fn an_image_manifest_reads_conv2d_weights_with_both_axes() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let (weights, manifest) = write(folder.path(), &image_tensors(), &image_manifest());
    let read = read_network(&weights, &manifest).expect("reads");
    let image = read.image.expect("an image network");
    assert_eq!(
        image.input,
        Grid {
            rows: 7,
            columns: 5
        }
    );
    assert_eq!(read.file.input_shape, Some(vec![7, 5]));
    let first = &read.file.layers[0];
    assert_eq!(first.shape, [2, 1, 6]);
    assert_eq!(
        first.weight,
        entries(12)
            .iter()
            .map(|&v| f64::from(v))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        image.layers[0].filter_shape,
        FilterShape {
            rows: 3,
            columns: 2
        }
    );
    assert_eq!(
        image.layers[0].geometry,
        GridGeometry {
            rows: Geometry {
                stride: 2,
                padding: Padding::Zero { left: 1, right: 0 }
            },
            columns: Geometry {
                stride: 1,
                padding: Padding::Zero { left: 0, right: 1 }
            },
        }
    );
    assert_eq!(
        (first.stride, first.padding),
        (1, Padding::Zero { left: 0, right: 1 })
    );
    assert_eq!(read.file.layers[1].shape, [3, 2, 4]);
    assert_eq!(
        image.layers[1].geometry,
        GridGeometry {
            rows: Geometry {
                stride: 1,
                padding: Padding::Valid
            },
            columns: Geometry {
                stride: 1,
                padding: Padding::Valid
            },
        }
    );
    // The one-dimensional reader refuses it by name rather than reading half of it.
    names_all(
        load_network(&weights, &manifest),
        &["net.json", "input.shape", "[H, W]"],
    );
}

/// A one-dimensional manifest reads exactly as before, with no grids.
#[test]
fn a_one_dimensional_manifest_has_no_grids() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let manifest = json!({"format": "mlcsc-network-1", "input": {"channels": 1, "shape": [9]},
        "layers": [{"weight": "w", "stride": 2, "padding": {"mode": "zero", "left": 1, "right": 1},
                    "activation": "relu"}]});
    let (weights, path) = write(folder.path(), &[("w", &[2, 1, 3], entries(6))], &manifest);
    let read = read_network(&weights, &path).expect("reads");
    assert!(read.image.is_none());
    assert_eq!(read.file, load_network(&weights, &path).expect("reads"));
}

#[test]
fn a_weight_of_the_other_rank_is_refused_naming_the_tensor_and_the_shape() {
    let folder = tempfile::tempdir().expect("temporary folder");
    // A Conv2d weight under a one-dimensional input.
    let mut manifest = image_manifest();
    manifest["input"]["shape"] = json!([7]);
    manifest["layers"][0]["stride"] = json!(2);
    manifest["layers"][0]["padding"] = json!({"mode": "valid"});
    let (weights, path) = write(folder.path(), &image_tensors(), &manifest);
    names_all(
        read_network(&weights, &path),
        &[
            "net.safetensors",
            "tensor `conv1.weight`",
            "layer 1",
            "[2, 1, 3, 2]",
            "Conv2d",
            "input.shape [H, W]",
        ],
    );
    // A Conv1d weight under an image input.
    let mut tensors = image_tensors();
    tensors[2] = ("conv2.weight", &[3, 2, 4], entries(24));
    let (weights, path) = write(folder.path(), &tensors, &image_manifest());
    names_all(
        read_network(&weights, &path),
        &[
            "tensor `conv2.weight`",
            "layer 2",
            "[3, 2, 4]",
            "Conv1d",
            "[out, 2, kh, kw]",
        ],
    );
}

#[test]
fn mismatched_channels_of_an_image_layer_are_refused() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut tensors = image_tensors();
    tensors[2] = ("conv2.weight", &[3, 4, 2, 2], entries(48));
    let (weights, path) = write(folder.path(), &tensors, &image_manifest());
    names_all(
        read_network(&weights, &path),
        &[
            "tensor `conv2.weight`",
            "layer 2",
            "[out, 2, kh, kw]",
            "layer 1's out",
            "[3, 4, 2, 2]",
        ],
    );
    let mut manifest = image_manifest();
    manifest["input"]["channels"] = json!(3);
    let (weights, path) = write(folder.path(), &image_tensors(), &manifest);
    names_all(
        read_network(&weights, &path),
        &[
            "tensor `conv1.weight`",
            "layer 1",
            "[out, 3, kh, kw]",
            "the input's channels",
        ],
    );
}

#[test]
fn image_keys_in_a_one_dimensional_manifest_and_bad_image_keys_are_refused() {
    let line = json!({"format": "mlcsc-network-1", "input": {"channels": 1, "shape": [9]},
        "layers": [{"weight": "w", "stride": [2, 2], "padding": {"mode": "valid"},
                    "activation": "relu"}]});
    manifest_refused(
        &line,
        &[
            "layers[0].stride (layer 1)",
            "[2,2]",
            "stride pair",
            "one-dimensional",
        ],
    );
    let mut manifest = image_manifest();
    manifest["layers"][0]["padding"] = json!({"mode": "zero", "left": 1, "right": 1});
    manifest_refused(
        &manifest,
        &[
            "layers[0].padding.top (layer 1)",
            "missing",
            "input.shape [7,5]",
            "top, bottom, left and right",
        ],
    );
    let mut manifest = image_manifest();
    manifest["layers"][1]["padding"] = json!({"mode": "valid", "top": 1});
    manifest_refused(
        &manifest,
        &["layers[1].padding.mode (layer 2)", "takes no amounts"],
    );
    let mut manifest = image_manifest();
    manifest["layers"][0]["stride"] = json!([2, 1, 1]);
    manifest_refused(
        &manifest,
        &["layers[0].stride (layer 1)", "[2,1,1]", "[σ_h, σ_w]"],
    );
    let mut manifest = image_manifest();
    manifest["layers"][0]["stride"] = json!([2, 0]);
    manifest_refused(
        &manifest,
        &["layers[0].stride[1] (layer 1)", "at least 1", "found 0"],
    );
    let mut manifest = image_manifest();
    manifest["layers"][1]["average-pool"] = json!({"kernel": 2, "stride": 2});
    manifest_refused(
        &manifest,
        &["layers[1].average-pool (layer 2)", "image manifest"],
    );
    let mut manifest = image_manifest();
    manifest["layers"][0]["padding"]["front"] = json!(1);
    manifest_refused(
        &manifest,
        &["layers[0].padding.front (layer 1)", "unknown key", "top"],
    );
    let mut manifest = image_manifest();
    manifest["input"]["shape"] = json!([7, 5, 3]);
    manifest_refused(&manifest, &["input.shape", "[7,5,3]", "[H, W]"]);
    let mut manifest = image_manifest();
    manifest["input"]["shape"] = json!([7, 0]);
    manifest_refused(&manifest, &["input.shape[1]", "found 0"]);
}

#[test]
fn image_layers_too_large_for_their_grid_are_refused_naming_the_layer_and_axis() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut manifest = image_manifest();
    manifest["input"]["shape"] = json!([7, 1]);
    let (weights, path) = write(folder.path(), &image_tensors(), &manifest);
    names_all(
        read_network(&weights, &path),
        &["net.json: field layers[1] (layer 2)", "input grid 3 × 1"],
    );
    let mut manifest = image_manifest();
    manifest["layers"][1]["padding"] = json!({"mode": "circular"});
    manifest["input"]["shape"] = json!([5, 5]);
    let (weights, path) = write(folder.path(), &image_tensors(), &manifest);
    names_all(
        read_network(&weights, &path),
        &[
            "layers[1] (layer 2)",
            "rows axis is circular over 2 positions",
            "2 n − 1 = 3",
        ],
    );
}

/// On the command line each refusal exits 2 before any output, naming the file.
#[test]
fn certify_refuses_a_bad_image_network_with_exit_2() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut tensors = image_tensors();
    tensors[2] = ("conv2.weight", &[3, 2, 4], entries(24));
    write(folder.path(), &tensors, &image_manifest());
    let output = run_in(
        folder.path(),
        [
            "certify",
            "--weights",
            "net.safetensors",
            "--manifest",
            "net.json",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("net.safetensors") && stderr.contains("conv2.weight"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}
