//! One threshold per output channel (a CNN layer's one bias per channel): format
//! `mlcsc-instance-2` reads a layer's `"threshold"` as a list with one exact number per output
//! channel, keeps it and writes it back; `forward` runs it on any stride and padding and equals
//! the independent CNN layer chain `ReLU(conv + bias)` exactly; every result stated for one
//! threshold per layer refuses it before any work, naming the layer; every malformed list is
//! refused naming the layer, the field and the value.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::cli::{json_in, run_in};
use mlcsc::conjecture::find;
use mlcsc::conjecture::simplify::simplification_steps;
use mlcsc::instance::Instance;
use mlcsc::io::number::rational_from_json;
use mlcsc::io::{InstanceFile, ToInstanceFile};
use mlcsc::model::Padding;
use mlcsc::pursuit::cnn::{ConvolutionLayer, cnn_forward};
use mlcsc::pursuit::{Thresholding, layered_thresholding};
use mlcsc::theorems::theorem2::check_theorem2;
use mlcsc::theorems::verdict::Verdict;
use mlcsc::{LayerVector, Rational, Scalar, Threshold};

/// Layer 1: two filters of length 3 at stride 2 with zero padding (1, 1), `β_1 = (1/10, 1/2)`;
/// layer 2: three filters of length 2 over two channels, stride 1, zero padding (0, 1),
/// `β_2 = (0, 1/3, 1/4)`. `N = 8`, `N_1 = ⌊(8 + 2 − 3)/2⌋ + 1 = 4`, `N_2 = 4`.
fn per_channel_file() -> Value {
    json!({
        "format": "mlcsc-instance-2",
        "name": "per-channel-strided",
        "source": "tests/all/per_channel_thresholds.rs",
        "signal-shape": [8],
        "input-channels": 1,
        "thresholding": "nonnegative",
        "layers": [
            {
                "filters": [[["3/5"], ["4/5"], ["0"]], [["0"], ["-4/5"], ["3/5"]]],
                "threshold": ["1/10", "1/2"],
                "stride": 2,
                "padding": {"mode": "zero", "left": 1, "right": 1}
            },
            {
                "filters": [
                    [["3/5", "0"], ["0", "4/5"]],
                    [["0", "1"], ["0", "0"]],
                    [["1/2", "1/2"], ["-1/2", "1/2"]]
                ],
                "threshold": ["0", "1/3", "1/4"],
                "padding": {"mode": "zero", "left": 0, "right": 1}
            }
        ],
        "deepest-representation": [
            {"position": 0, "channel": 0, "value": "2"},
            {"position": 1, "channel": 2, "value": "3/2"},
            {"position": 3, "channel": 1, "value": "1"}
        ],
        "noise": [
            {"position": 2, "channel": 0, "value": "1/7"},
            {"position": 5, "channel": 0, "value": "-1/9"}
        ]
    })
}

/// [`per_channel_file`] on the paper's layers (stride 1, circular), `Γ_2` at position 7.
fn on_the_papers_layers() -> Value {
    let mut paper = per_channel_file();
    for layer in paper["layers"].as_array_mut().expect("layers") {
        let layer = layer.as_object_mut().expect("a layer");
        layer.remove("stride");
        layer.remove("padding");
    }
    paper["deepest-representation"] = json!([{"position": 7, "channel": 0, "value": "1"}]);
    paper
}

fn exact(file: &Value) -> Instance<Rational> {
    InstanceFile::parse(&file.to_string())
        .expect("parsed")
        .to_exact()
        .expect("valid")
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

fn number(value: &Value) -> Rational {
    rational_from_json(value).expect("a number")
}

/// The CNN chain written from the file alone: `W[o][i][k]` = tap `k` of filter `o` on input
/// channel `i`, bias `−β_{i,o}`, the layer's stride and zero padding; `ReLU(W ⋆ x + b)`.
fn independent_cnn_chain(
    file: &Value,
    signal: &LayerVector<Rational>,
) -> Vec<LayerVector<Rational>> {
    let mut activations: Vec<LayerVector<Rational>> = Vec::new();
    for layer in file["layers"].as_array().expect("layers") {
        let filters = layer["filters"].as_array().expect("filters");
        let weights = filters
            .iter()
            .map(|filter| {
                let taps = filter.as_array().expect("taps");
                let inputs = taps[0].as_array().expect("channels").len();
                (0..inputs)
                    .map(|i| taps.iter().map(|tap| number(&tap[i])).collect())
                    .collect()
            })
            .collect();
        let biases = layer["threshold"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|beta| -number(beta))
            .collect();
        let padding = &layer["padding"];
        let zero = Padding::Zero {
            left: padding["left"].as_u64().expect("left") as usize,
            right: padding["right"].as_u64().expect("right") as usize,
        };
        let stride = layer["stride"].as_u64().unwrap_or(1) as usize;
        let convolution = ConvolutionLayer::new(weights, biases)
            .expect("a layer")
            .with_stride_and_padding(stride, zero);
        let next = convolution.forward(activations.last().unwrap_or(signal));
        activations.push(next);
    }
    activations
}

#[test]
fn forward_on_per_channel_strided_padded_layers_is_the_independent_cnn_chain_exactly() {
    let file = per_channel_file();
    let instance = exact(&file);
    assert_eq!(
        instance.thresholds[1],
        Threshold::PerChannel(vec![
            Rational::from_integer(0.into()),
            Rational::new(1.into(), 3.into()),
            Rational::new(1.into(), 4.into())
        ])
    );
    let (signal, _) = instance.signal_and_chain();
    let expected = independent_cnn_chain(&file, &signal);
    let pursuit = layered_thresholding(
        &instance.model,
        &signal,
        &instance.thresholds,
        Thresholding::Nonnegative,
    );
    assert_eq!(pursuit, expected, "layered S⁺ with β_{{i,c}}");
    assert_eq!(
        cnn_forward(&instance.model, &signal, &instance.thresholds),
        expected
    );
    // The thresholds matter: every layer has a channel that one shared threshold would change.
    let shared: Vec<Threshold<Rational>> = (instance.thresholds.iter())
        .map(|beta| Threshold::Shared(beta.channel(0).clone()))
        .collect();
    let with_shared =
        layered_thresholding(&instance.model, &signal, &shared, Thresholding::Nonnegative);
    assert!(with_shared.iter().zip(&expected).all(|(a, b)| a != b));
    // The command line, in both pursuits and both arithmetics, prints the same estimates.
    let folder = tempfile::tempdir().expect("a folder");
    let name = write(folder.path(), "per-channel.json", &file);
    for pursuit in ["thresholding", "cnn"] {
        for arithmetic in ["exact", "f64"] {
            let args = [
                "forward",
                "--json",
                "--pursuit",
                pursuit,
                "--arithmetic",
                arithmetic,
            ];
            let printed = json_in(folder.path(), args.iter().copied().chain([name.as_str()]));
            let layers = printed["layers"].as_array().expect("layers");
            assert_eq!(layers.len(), expected.len());
            for (layer, truth) in layers.iter().zip(&expected) {
                let rows = layer["estimate"].as_array().expect("rows");
                assert_eq!(rows.len(), truth.length(), "{pursuit} {arithmetic}");
                for (p, row) in rows.iter().enumerate() {
                    for (c, value) in row.as_array().expect("a row").iter().enumerate() {
                        let value = value.as_f64().expect("a number");
                        let truth = truth.get(p, c).to_f64();
                        assert!(
                            (value - truth).abs() <= 1e-12,
                            "{pursuit} {arithmetic}: ({p}, {c}) {value} ≠ {truth}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn a_per_channel_instance_is_written_back_as_a_list_in_format_2() {
    let instance = exact(&per_channel_file());
    let written = serde_json::to_value(instance.to_file()).expect("JSON");
    assert_eq!(written["format"], "mlcsc-instance-2");
    assert_eq!(written["layers"][0]["threshold"], json!(["1/10", "1/2"]));
    assert_eq!(
        written["layers"][1]["threshold"],
        json!(["0", "1/3", "1/4"])
    );
    assert_eq!(exact(&written), instance);
    // A list of equal numbers is the shared threshold, written back as one number; on the
    // paper's layers the file is then of format 1.
    let mut file = per_channel_file();
    file["layers"][0]["threshold"] = json!(["1/2", "0.5"]);
    let instance = exact(&file);
    assert_eq!(
        instance.thresholds[0],
        Threshold::Shared(Rational::new(1.into(), 2.into()))
    );
    let written = serde_json::to_value(instance.to_file()).expect("JSON");
    assert_eq!(written["layers"][0]["threshold"], json!("1/2"));
    // Per-channel thresholds on the paper's layers: format 2 for the list alone.
    let paper = on_the_papers_layers();
    let instance = exact(&paper);
    assert!(instance.model.has_paper_geometry());
    let written = serde_json::to_value(instance.to_file()).expect("JSON");
    assert_eq!(written["format"], "mlcsc-instance-2");
    assert_eq!(exact(&written), instance);
}

#[test]
fn malformed_lists_of_thresholds_are_refused_naming_the_layer_field_and_value() {
    let folder = tempfile::tempdir().expect("a folder");
    let folder = folder.path();
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "short.json",
            json!(["1/10"]),
            vec![
                "layers[0].threshold (layer 1)",
                "a list of 1 thresholds",
                "m_1 = 2",
            ],
        ),
        (
            "long.json",
            json!(["1/10", "1/2", "1"]),
            vec![
                "layers[0].threshold (layer 1)",
                "a list of 3 thresholds",
                "m_1 = 2",
            ],
        ),
        (
            "word.json",
            json!(["1/10", "half"]),
            vec!["layers[0].threshold[1] (layer 1)", "half"],
        ),
        (
            "nested.json",
            json!(["1/10", [1]]),
            vec!["layers[0].threshold[1] (layer 1)", "[1] is not a number"],
        ),
        (
            "negative.json",
            json!(["1/10", "-1/2"]),
            vec!["layers[0].threshold[1] (layer 1)", "-1/2 is negative"],
        ),
    ];
    for (name, threshold, words) in cases {
        let mut file = per_channel_file();
        file["layers"][0]["threshold"] = threshold;
        write(folder, name, &file);
        for command in [&["check"][..], &["forward"]] {
            let args: Vec<&str> = command.iter().copied().chain([name]).collect();
            let (code, stderr) = stderr_of(folder, &args);
            assert_eq!(code, Some(2), "{args:?}: {stderr}");
            for word in words.iter().chain(&[name]) {
                assert!(stderr.contains(word), "{args:?}: {word:?} in {stderr}");
            }
        }
    }
    // A list in a file of format 1.
    let mut file = per_channel_file();
    file["format"] = json!("mlcsc-instance-1");
    file.as_object_mut()
        .expect("an object")
        .remove("signal-shape");
    file["signal-length"] = json!(8);
    for layer in file["layers"].as_array_mut().expect("layers") {
        let layer = layer.as_object_mut().expect("a layer");
        layer.remove("stride");
        layer.remove("padding");
    }
    write(folder, "v1.json", &file);
    let (code, stderr) = stderr_of(folder, &["forward", "v1.json"]);
    assert_eq!(code, Some(2), "{stderr}");
    for word in [
        "v1.json",
        "layers[0].threshold (layer 1)",
        "is a list",
        "\"mlcsc-instance-2\"",
    ] {
        assert!(stderr.contains(word), "{word:?} in {stderr}");
    }
}

#[test]
fn results_stated_for_one_threshold_per_layer_refuse_per_channel_thresholds_before_any_work() {
    let folder = tempfile::tempdir().expect("a folder");
    let folder = folder.path();
    let paper = on_the_papers_layers();
    let mut second_only = paper.clone();
    second_only["layers"][0]["threshold"] = json!("1/10");
    let cases = [
        (
            "strided.json",
            per_channel_file(),
            "layer 1: stride 2, zero padding (1, 1); one threshold per channel",
        ),
        ("paper.json", paper, "layer 1: one threshold per channel"),
        (
            "second.json",
            second_only,
            "layer 2: one threshold per channel",
        ),
    ];
    for (name, file, layer) in cases {
        write(folder, name, &file);
        for command in [
            &["check"][..],
            &["check", "--arithmetic", "f64"],
            &["check", "--theorem", "theorem2-soft"],
            &["forward", "--pursuit", "basis-pursuit"],
        ] {
            let args: Vec<&str> = command.iter().copied().chain([name]).collect();
            let (code, stderr) = stderr_of(folder, &args);
            assert_eq!(code, Some(2), "{args:?}: {stderr}");
            for word in [name, layer] {
                assert!(stderr.contains(word), "{args:?}: {word:?} in {stderr}");
            }
        }
        let instance = exact(&file);
        assert_eq!(instance.first_real_layer().as_deref(), Some(layer));
        for entry in [
            "theorem2-soft",
            "theorem2-nonnegative",
            "cnn-forward-pass",
            "welch-bound",
        ] {
            let entry = find(entry).expect("registered");
            let refusal = entry.within_limits(&instance).expect_err("refused");
            assert!(refusal.contains(layer), "{refusal}");
        }
        assert!(
            simplification_steps(&instance).is_empty(),
            "{name}: no simplification steps"
        );
    }
}

#[test]
fn theorem2_called_on_per_channel_thresholds_is_undecided_never_a_panic() {
    let instance = exact(&on_the_papers_layers());
    let exact_report = check_theorem2(&instance);
    let f64_report = check_theorem2(&instance.to_f64());
    for report in [exact_report, f64_report] {
        match report.verdict {
            Verdict::Undecided { layer, comparison } => {
                assert_eq!(layer, 1);
                assert!(
                    comparison.contains("one threshold per channel"),
                    "{comparison}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
