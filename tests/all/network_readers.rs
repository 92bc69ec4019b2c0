//! Trained networks' weights (`.safetensors`, `.npz`) and their manifest (`mlcsc-network-1`):
//! every dtype read exactly, and every refusal naming the file, the layer, the tensor or field
//! and the value. The weight files are written here, byte by byte, so each value is known
//! exactly.

use std::io::Write;
use std::path::{Path, PathBuf};

use mlcsc::io::InstanceError;
use mlcsc::io::network::float16::{bf16_to_f64, f16_to_f64};
use mlcsc::io::network::{
    AveragePool, MAX_WEIGHT_FILE_BYTES, NetworkError, NetworkFile, load_network, parse_manifest,
};
use mlcsc::model::Padding;
use serde_json::{Value, json};

use crate::common::npy_bytes;

/// A `.safetensors` file of `(name, dtype, shape, little-endian bytes)`, offsets in order.
fn safetensors(tensors: &[(&str, &str, &[usize], Vec<u8>)]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    let mut data = Vec::new();
    for (name, dtype, shape, bytes) in tensors {
        let start = data.len();
        data.extend_from_slice(bytes);
        header.insert(
            (*name).into(),
            json!({"dtype": dtype, "shape": shape, "data_offsets": [start, data.len()]}),
        );
    }
    raw_safetensors(&Value::Object(header).to_string(), &data)
}

/// A `.safetensors` file of a header as written (padded to 8 bytes) and data.
fn raw_safetensors(header: &str, data: &[u8]) -> Vec<u8> {
    let mut header = header.to_string();
    while header.len() % 8 != 0 {
        header.push(' ');
    }
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(data);
    bytes
}

fn f32s(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn f64s(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn u16s(bits: &[u16]) -> Vec<u8> {
    bits.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// `F16` bits and their exact values: 1, −2, the `f16` nearest 1/3, and the least subnormal.
const F16: [(u16, f64); 4] = [
    (0x3c00, 1.0),
    (0xc000, -2.0),
    (0x3555, 0.333_251_953_125),
    (0x0001, 5.960_464_477_539_063e-8),
];

/// `BF16` bits and their exact values: 1, −5 and the `bf16` nearest 1/3.
const BF16: [(u16, f64); 3] = [(0x3f80, 1.0), (0xc0a0, -5.0), (0x3eab, 0.333_984_375)];

/// A two-layer network in every dtype: layer 1 `[3][2][2]` in `F32` with an `F16` bias and a
/// batch norm in `BF16` and `F64`; layer 2 `[1][3][3]` in `F64`, without bias; and an `I64`
/// tensor no layer names, as PyTorch writes `num_batches_tracked`.
fn network_tensors() -> Vec<(&'static str, &'static str, &'static [usize], Vec<u8>)> {
    let weight1: Vec<f32> = (0..12).map(|k| 0.1 * k as f32 - 0.5).collect();
    let weight2: Vec<f64> = (0..9).map(|k| 0.25 * k as f64 - 1.0).collect();
    vec![
        ("conv1.weight", "F32", &[3, 2, 2], f32s(&weight1)),
        (
            "conv1.bias",
            "F16",
            &[3],
            u16s(&[F16[0].0, F16[1].0, F16[2].0]),
        ),
        ("bn1.weight", "BF16", &[3], u16s(&BF16.map(|(b, _)| b))),
        ("bn1.bias", "F64", &[3], f64s(&[0.1, 0.2, 0.3])),
        ("bn1.running_mean", "F16", &[3], u16s(&[F16[3].0; 3])),
        ("bn1.running_var", "F32", &[3], f32s(&[1.0, 2.0, 0.5])),
        (
            "bn1.num_batches_tracked",
            "I64",
            &[],
            7i64.to_le_bytes().to_vec(),
        ),
        ("conv2.weight", "F64", &[1, 3, 3], f64s(&weight2)),
    ]
}

/// The manifest of [`network_tensors`].
fn network_manifest() -> Value {
    json!({"format": "mlcsc-network-1",
        "input": {"channels": 2, "shape": [8]},
        "layers": [
            {"weight": "conv1.weight", "bias": "conv1.bias", "stride": 1,
             "padding": {"mode": "zero", "left": 1, "right": 1}, "activation": "relu",
             "batch-norm": {"weight": "bn1.weight", "bias": "bn1.bias",
                "running-mean": "bn1.running_mean", "running-var": "bn1.running_var",
                "eps": 1e-5, "after-activation": true}},
            {"weight": "conv2.weight", "stride": 2, "padding": {"mode": "circular"},
             "activation": "relu", "average-pool": {"kernel": 2, "stride": 2}}]})
}

/// Writes the weight bytes (under `weight_name`) and the manifest in a fresh folder.
fn write(folder: &Path, weight_name: &str, weights: &[u8], manifest: &Value) -> (PathBuf, PathBuf) {
    let (weight_path, manifest_path) = (folder.join(weight_name), folder.join("network.json"));
    std::fs::write(&weight_path, weights).expect("writes");
    std::fs::write(&manifest_path, manifest.to_string()).expect("writes");
    (weight_path, manifest_path)
}

/// Loads weights and a manifest from a fresh folder.
fn load(weights: &[u8], manifest: &Value) -> Result<NetworkFile, NetworkError> {
    let folder = tempfile::tempdir().expect("scratch");
    let (w, m) = write(folder.path(), "model.safetensors", weights, manifest);
    load_network(&w, &m)
}

/// The refusal's text, which must name every one of `words`.
fn refused(result: Result<NetworkFile, NetworkError>, words: &[&str]) -> NetworkError {
    let error = result.expect_err("refused");
    let text = error.to_string();
    for word in words {
        assert!(text.contains(word), "{text:?} does not name {word:?}");
    }
    error
}

#[test]
fn every_dtype_is_read_exactly_from_safetensors() {
    let network = load(&safetensors(&network_tensors()), &network_manifest()).expect("reads");
    assert_eq!(
        (network.input_channels, network.input_shape),
        (2, Some(vec![8]))
    );
    let [first, second] = network.layers.as_slice() else {
        panic!("two layers");
    };
    assert_eq!(first.shape, [3, 2, 2]);
    let weight1: Vec<f64> = (0..12).map(|k| f64::from(0.1 * k as f32 - 0.5)).collect();
    assert_eq!(first.weight, weight1);
    assert_eq!(first.bias, Some(vec![F16[0].1, F16[1].1, F16[2].1]));
    assert_eq!(first.padding, Padding::Zero { left: 1, right: 1 });
    let norm = first.batch_norm.as_ref().expect("batch norm");
    assert_eq!(norm.weight, BF16.map(|(_, v)| v).to_vec());
    assert_eq!(norm.bias, vec![0.1, 0.2, 0.3]);
    assert_eq!(norm.running_mean, vec![2f64.powi(-24); 3]);
    assert_eq!(norm.running_var, vec![1.0, 2.0, 0.5]);
    assert_eq!((norm.eps, norm.after_activation), (1e-5, true));
    assert_eq!(first.average_pool, None);
    assert_eq!(second.shape, [1, 3, 3]);
    assert_eq!(
        second.weight,
        (0..9).map(|k| 0.25 * k as f64 - 1.0).collect::<Vec<_>>()
    );
    assert_eq!((second.bias.clone(), second.stride), (None, 2));
    assert_eq!(second.padding, Padding::Circular);
    assert_eq!(
        second.average_pool,
        Some(AveragePool {
            kernel: 2,
            stride: 2
        })
    );
    assert!(second.batch_norm.is_none());
}

/// A `.npz` archive of `.npy` members (stored or deflated, as `numpy.savez` and
/// `numpy.savez_compressed` write them).
fn npz(members: &[(&str, Vec<u8>)], method: zip::CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in members {
        writer
            .start_file(format!("{name}.npy"), options)
            .expect("member");
        writer.write_all(bytes).expect("writes");
    }
    writer.finish().expect("archive").into_inner()
}

/// The `.npy` bytes of an array of `descr` and `shape`, Fortran order or not.
fn npy(descr: &str, shape: &str, fortran: bool, data: Vec<u8>) -> Vec<u8> {
    let order = if fortran { "True" } else { "False" };
    npy_bytes(
        &format!("{{'descr': '{descr}', 'fortran_order': {order}, 'shape': {shape}, }}"),
        &data,
    )
}

/// Layer 1 `[2][1][2]` as `<f4` in C order; its bias as `<f2`; layer 2 `[1][2][2]` as `>f8`
/// in Fortran order, whose C order is `[1, 2, 3, 4]`.
fn npz_members() -> Vec<(&'static str, Vec<u8>)> {
    let big_endian: Vec<u8> = [1.0f64, 3.0, 2.0, 4.0]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect();
    vec![
        (
            "a.weight",
            npy("<f4", "(2, 1, 2)", false, f32s(&[0.5, -0.25, 0.1, 3.0])),
        ),
        (
            "a.bias",
            npy("<f2", "(2,)", false, u16s(&[F16[2].0, F16[3].0])),
        ),
        ("b.weight", npy(">f8", "(1, 2, 2)", true, big_endian)),
    ]
}

fn npz_manifest() -> Value {
    json!({"format": "mlcsc-network-1", "input": {"channels": 1},
        "layers": [
            {"weight": "a.weight", "bias": "a.bias", "padding": {"mode": "valid"}, "activation": "relu"},
            {"weight": "b.weight", "padding": {"mode": "valid"}, "activation": "relu"}]})
}

#[test]
fn npz_members_are_read_exactly_stored_or_deflated_in_either_order() {
    for method in [
        zip::CompressionMethod::Stored,
        zip::CompressionMethod::Deflated,
    ] {
        let folder = tempfile::tempdir().expect("scratch");
        let bytes = npz(&npz_members(), method);
        let (w, m) = write(folder.path(), "model.npz", &bytes, &npz_manifest());
        let network = load_network(&w, &m).expect("reads");
        assert_eq!(network.input_shape, None);
        let a = &network.layers[0];
        assert_eq!(a.shape, [2, 1, 2]);
        assert_eq!(a.weight, vec![0.5, -0.25, f64::from(0.1f32), 3.0]);
        assert_eq!(a.bias, Some(vec![F16[2].1, F16[3].1]));
        assert_eq!(network.layers[1].weight, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(network.layers[1].padding, Padding::Valid);
    }
}

#[test]
fn npz_refusals_name_the_member() {
    let mut members = npz_members();
    members[1].1 = npy("<i8", "(2,)", false, vec![0; 16]);
    let bytes = npz(&members, zip::CompressionMethod::Stored);
    let folder = tempfile::tempdir().expect("scratch");
    let (w, m) = write(folder.path(), "model.npz", &bytes, &npz_manifest());
    refused(
        load_network(&w, &m),
        &["model.npz", "a.bias", "<i8", "float32"],
    );
    members = npz_members();
    let length = members[0].1.len();
    members[0].1.truncate(length - 3);
    let bytes = npz(&members, zip::CompressionMethod::Stored);
    let (w, m) = write(folder.path(), "model.npz", &bytes, &npz_manifest());
    refused(load_network(&w, &m), &["a.weight", "truncated"]);
    let (w, m) = write(folder.path(), "model.npz", b"PK not a zip", &npz_manifest());
    refused(load_network(&w, &m), &["model.npz", "not a valid .npz"]);
}

#[test]
fn a_header_length_past_the_end_is_refused() {
    let mut bytes = safetensors(&network_tensors());
    let length = bytes.len() as u64;
    bytes[..8].copy_from_slice(&length.to_le_bytes());
    refused(
        load(&bytes, &network_manifest()),
        &[
            "model.safetensors",
            "header length",
            "passes the end of the file",
        ],
    );
    refused(load(&[1, 2, 3], &network_manifest()), &["fewer than the 8"]);
}

#[test]
fn offsets_past_the_end_name_the_tensor() {
    let mut bytes = safetensors(&network_tensors());
    bytes.truncate(bytes.len() - 8);
    refused(
        load(&bytes, &network_manifest()),
        &["model.safetensors", "tensor `conv2.weight`", "truncated"],
    );
    let header = r#"{"w": {"dtype": "F32", "shape": [1, 1, 2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [12, 16]}}"#;
    refused(
        load(&raw_safetensors(header, &[0; 16]), &network_manifest()),
        &["tensor `b`", "[12,16]", "gap"],
    );
    let header = r#"{"w": {"dtype": "F32", "shape": [1, 1, 3], "data_offsets": [0, 8]}}"#;
    refused(
        load(&raw_safetensors(header, &[0; 8]), &network_manifest()),
        &["tensor `w`", "[1,1,3]", "takes 12 bytes", "span 8"],
    );
}

#[test]
fn an_unknown_or_unread_dtype_names_the_tensor() {
    let mut tensors = network_tensors();
    tensors[1].1 = "F128";
    refused(
        load(&safetensors(&tensors), &network_manifest()),
        &["tensor `conv1.bias`", "unknown dtype \"F128\""],
    );
    tensors[1].1 = "I16";
    refused(
        load(&safetensors(&tensors), &network_manifest()),
        &[
            "tensor `conv1.bias`",
            "dtype I16 is not read",
            "F32, F64, F16 or BF16",
        ],
    );
}

#[test]
fn a_non_finite_weight_names_its_tensor_and_position() {
    let mut tensors = network_tensors();
    tensors[0].3[20..24].copy_from_slice(&f32::NAN.to_le_bytes());
    refused(
        load(&safetensors(&tensors), &network_manifest()),
        &["tensor `conv1.weight`", "entry [1, 0, 1]", "NaN", "finite"],
    );
    let mut tensors = network_tensors();
    tensors[2].3[2..4].copy_from_slice(&0xff80u16.to_le_bytes());
    refused(
        load(&safetensors(&tensors), &network_manifest()),
        &["tensor `bn1.weight`", "entry [1]", "-inf"],
    );
}

#[test]
fn shapes_are_checked_against_the_previous_layer() {
    let mut manifest = network_manifest();
    manifest["input"]["channels"] = json!(3);
    refused(
        load(&safetensors(&network_tensors()), &manifest),
        &[
            "tensor `conv1.weight`",
            "layer 1",
            "expected shape [out, 3, kernel]",
            "found [3, 2, 2]",
        ],
    );
    let mut tensors = network_tensors();
    tensors[7] = ("conv2.weight", "F64", &[1, 2, 3], f64s(&[0.0; 6]));
    refused(
        load(&safetensors(&tensors), &network_manifest()),
        &[
            "tensor `conv2.weight`",
            "layer 2",
            "[out, 3, kernel]",
            "layer 1's out",
            "found [1, 2, 3]",
        ],
    );
    let mut tensors = network_tensors();
    tensors[1] = ("conv1.bias", "F16", &[2], u16s(&[0, 0]));
    refused(
        load(&safetensors(&tensors), &network_manifest()),
        &[
            "tensor `conv1.bias`",
            "layer 1 (layers[0].bias)",
            "expected shape [3]",
            "found [2]",
        ],
    );
    let mut tensors = network_tensors();
    tensors[5] = ("bn1.running_var", "F32", &[3], f32s(&[1.0, -0.5, 1.0]));
    refused(
        load(&safetensors(&tensors), &network_manifest()),
        &["tensor `bn1.running_var`", "layer 1", "entry [1]", "-0.5"],
    );
}

#[test]
fn a_missing_tensor_is_named_with_those_the_file_holds() {
    let mut manifest = network_manifest();
    manifest["layers"][1]["weight"] = json!("conv3.weight");
    refused(
        load(&safetensors(&network_tensors()), &manifest),
        &["tensor `conv3.weight`", "missing", "conv2.weight"],
    );
    let folder = tempfile::tempdir().expect("scratch");
    let bytes = npz(&npz_members(), zip::CompressionMethod::Stored);
    let mut manifest = npz_manifest();
    manifest["layers"][0]["bias"] = json!("a.b");
    let (w, m) = write(folder.path(), "model.npz", &bytes, &manifest);
    refused(load_network(&w, &m), &["tensor `a.b`", "missing", "a.bias"]);
}

/// Parses a manifest that must be refused, naming every one of `words`.
fn manifest_refused(manifest: &Value, words: &[&str]) {
    let error = parse_manifest(&manifest.to_string(), Path::new("net.json")).expect_err("refused");
    let text = error.to_string();
    assert!(text.starts_with("net.json: field "), "{text:?}");
    for word in words {
        assert!(text.contains(word), "{text:?} does not name {word:?}");
    }
}

#[test]
fn unknown_manifest_keys_are_named_with_where_they_are() {
    let mut manifest = network_manifest();
    manifest["name"] = json!("mine");
    manifest_refused(&manifest, &["field name:", "unknown key"]);
    let mut manifest = network_manifest();
    manifest["layers"][1]["dilation"] = json!(2);
    manifest_refused(
        &manifest,
        &["layers[1].dilation (layer 2)", "unknown key", "weight"],
    );
    let mut manifest = network_manifest();
    manifest["layers"][0]["padding"]["top"] = json!(1);
    manifest_refused(
        &manifest,
        &["layers[0].padding.top (layer 1)", "unknown key"],
    );
    let mut manifest = network_manifest();
    manifest["layers"][0]["batch-norm"]["momentum"] = json!(0.1);
    manifest_refused(
        &manifest,
        &["layers[0].batch-norm.momentum (layer 1)", "unknown key"],
    );
}

#[test]
fn max_pooling_and_residual_connections_are_refused_by_name() {
    let mut manifest = network_manifest();
    manifest["layers"][1]["max-pool"] = json!({"kernel": 2});
    manifest_refused(
        &manifest,
        &[
            "layers[1].max-pool (layer 2)",
            "{\"kernel\":2}",
            "max pooling is outside the model: it cannot be folded",
        ],
    );
    let mut manifest = network_manifest();
    manifest["layers"][0]["residual"] = json!(true);
    manifest_refused(
        &manifest,
        &[
            "layers[0].residual (layer 1)",
            "true",
            "residual connection is outside the model",
        ],
    );
}

#[test]
fn an_activation_other_than_relu_is_refused() {
    let mut manifest = network_manifest();
    manifest["layers"][1]["activation"] = json!("none");
    manifest_refused(
        &manifest,
        &[
            "layers[1].activation (layer 2)",
            "\"none\"",
            "needs a ReLU or thresholding after each convolution",
        ],
    );
}

#[test]
fn padding_is_required_and_its_values_checked() {
    let mut manifest = network_manifest();
    manifest["layers"][1]
        .as_object_mut()
        .expect("layer")
        .remove("padding");
    manifest_refused(&manifest, &["layers[1].padding (layer 2)", "missing"]);
    let mut manifest = network_manifest();
    manifest["layers"][0]["padding"] = json!({"mode": "zero", "left": 1});
    manifest_refused(&manifest, &["layers[0].padding.right (layer 1)", "missing"]);
    let mut manifest = network_manifest();
    manifest["layers"][0]["padding"] = json!({"mode": "reflect"});
    manifest_refused(
        &manifest,
        &["layers[0].padding.mode (layer 1)", "\"reflect\""],
    );
    let mut manifest = network_manifest();
    manifest["layers"][0]["padding"]["left"] = json!(-1);
    manifest_refused(&manifest, &["layers[0].padding.left (layer 1)", "found -1"]);
}

#[test]
fn values_are_named_with_their_field() {
    let mut manifest = network_manifest();
    manifest["layers"][1]["stride"] = json!(0);
    manifest_refused(
        &manifest,
        &["layers[1].stride (layer 2)", "at least 1", "found 0"],
    );
    let mut manifest = network_manifest();
    manifest["layers"][0]["batch-norm"]["eps"] = json!("small");
    manifest_refused(
        &manifest,
        &["layers[0].batch-norm.eps (layer 1)", "found \"small\""],
    );
    let mut manifest = network_manifest();
    manifest["format"] = json!("mlcsc-instance-2");
    manifest_refused(
        &manifest,
        &["format", "\"mlcsc-instance-2\"", "mlcsc-network-1"],
    );
    let mut manifest = network_manifest();
    manifest["input"]["shape"] = json!([8, 8]);
    manifest_refused(&manifest, &["input.shape", "[8,8]"]);
    let mut manifest = network_manifest();
    manifest["layers"] = json!([]);
    manifest_refused(&manifest, &["layers", "empty"]);
}

#[test]
fn a_npy_file_is_not_a_network() {
    let folder = tempfile::tempdir().expect("scratch");
    let bytes = npy("<f8", "(1, 1, 1)", false, f64s(&[1.0]));
    let (w, m) = write(folder.path(), "model.npy", &bytes, &network_manifest());
    refused(load_network(&w, &m), &["model.npy", ".safetensors", ".npz"]);
}

#[test]
fn a_file_above_the_size_limit_is_refused_before_it_is_read() {
    let folder = tempfile::tempdir().expect("scratch");
    let (w, m) = write(folder.path(), "model.safetensors", b"", &network_manifest());
    // Sparse: no byte of it is written.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&w)
        .expect("opens");
    file.set_len(MAX_WEIGHT_FILE_BYTES + 1).expect("grows");
    refused(
        load_network(&w, &m),
        &[
            "model.safetensors",
            &format!("{} bytes", MAX_WEIGHT_FILE_BYTES + 1),
            "larger than",
        ],
    );
    let manifest = folder.path().join("big.json");
    let file = std::fs::File::create(&manifest).expect("creates");
    file.set_len(mlcsc::io::network::MAX_MANIFEST_BYTES + 1)
        .expect("grows");
    refused(load_network(&w, &manifest), &["big.json", "larger than"]);
}

#[test]
fn a_refusal_is_an_input_error_of_the_same_words() {
    let mut manifest = network_manifest();
    manifest["layers"][1]["activation"] = json!("none");
    let error = load(&safetensors(&network_tensors()), &manifest).expect_err("refused");
    let text = error.to_string();
    let input = InstanceError::from(error);
    assert!(matches!(input, InstanceError::Io { .. }));
    assert_eq!(input.to_string(), text);
}

/// Known binary16 and bfloat16 values: normal, subnormal, signed zero, infinity and NaN.
#[test]
fn sixteen_bit_floats_convert_exactly() {
    assert_eq!(f16_to_f64(0x3c00), 1.0);
    assert_eq!(f16_to_f64(0xc000), -2.0);
    assert_eq!(f16_to_f64(0x3555), 0.333_251_953_125);
    assert_eq!(f16_to_f64(0x7bff), 65504.0);
    assert_eq!(f16_to_f64(0x0001), 2f64.powi(-24));
    assert_eq!(f16_to_f64(0x03ff), 1023.0 * 2f64.powi(-24));
    assert_eq!(f16_to_f64(0x0400), 2f64.powi(-14));
    assert!(f16_to_f64(0x8000) == 0.0 && f16_to_f64(0x8000).is_sign_negative());
    assert_eq!(f16_to_f64(0xfc00), f64::NEG_INFINITY);
    assert!(f16_to_f64(0x7e00).is_nan());
    assert_eq!(bf16_to_f64(0x3f80), 1.0);
    assert_eq!(bf16_to_f64(0xc0a0), -5.0);
    assert_eq!(bf16_to_f64(0x3eab), 0.333_984_375);
    assert_eq!(bf16_to_f64(0x0001), 2f64.powi(-133));
    assert!(bf16_to_f64(0x7fc0).is_nan());
}

/// The contract's example in `fixtures/README.md` is a valid manifest, read as it says.
#[test]
fn the_documented_manifest_is_read() {
    let readme = include_str!("../../fixtures/README.md");
    let example = readme
        .split("## The network manifest, `mlcsc-network-1`")
        .nth(1)
        .and_then(|section| section.split("```json\n").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("the section's JSON example");
    let manifest = parse_manifest(example, Path::new("README")).expect("the example is valid");
    assert_eq!(
        (manifest.input_channels, manifest.input_shape),
        (129, Some(vec![64]))
    );
    let [layer] = manifest.layers.as_slice() else {
        panic!("one layer");
    };
    assert_eq!(
        (layer.weight.as_str(), layer.bias.as_deref(), layer.stride),
        ("conv1.weight", Some("conv1.bias"), 1)
    );
    assert_eq!(layer.padding, Padding::Zero { left: 1, right: 1 });
}

/// Every truncation of a valid file, and every byte of it replaced, gives a network or a
/// refusal, never a panic.
#[test]
fn damaged_weight_files_are_refused_without_panic() {
    let folder = tempfile::tempdir().expect("scratch");
    let files = [
        (
            "model.safetensors",
            safetensors(&network_tensors()),
            network_manifest(),
        ),
        (
            "model.npz",
            npz(&npz_members(), zip::CompressionMethod::Deflated),
            npz_manifest(),
        ),
    ];
    for (name, bytes, manifest) in files {
        let mut damaged: Vec<Vec<u8>> = (0..bytes.len()).map(|k| bytes[..k].to_vec()).collect();
        for k in 0..bytes.len() {
            for value in [0x00, b'9', 0xff] {
                let mut copy = bytes.clone();
                copy[k] = value;
                damaged.push(copy);
            }
        }
        for bytes in damaged {
            let (w, m) = write(folder.path(), name, &bytes, &manifest);
            if let Err(error) = load_network(&w, &m) {
                assert!(error.to_string().contains(name), "{error}");
            }
        }
    }
}
