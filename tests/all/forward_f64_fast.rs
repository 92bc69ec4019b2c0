//! `forward --arithmetic f64` on the fast kernels against the specification: on generated
//! image instances (3 × 3 then 2 × 2 filters, strides 1 and 2, circular, zero and valid
//! padding, every thresholding and the CNN pass) with a dense `.npy` signal of their own, the
//! `f64` estimates equal the exact ones (the plain loops of the specification, in rationals)
//! up to rounding, support for support; and the text of `forward` on the forward-large
//! instance file is the text the specification's own number writer gives.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use crate::common::cli::command;
use crate::common::npy_bytes;

/// An exactly unit filter of `rows × columns` taps over `channels` channels: `±3/5` and
/// `±4/5` at two distinct random places, zeros elsewhere.
fn unit_filter(rng: &mut ChaCha8Rng, rows: usize, columns: usize, channels: usize) -> Value {
    let places = rows * columns * channels;
    let first = rng.random_range(0..places);
    let second = (first + 1 + rng.random_range(0..places - 1)) % places;
    let mut taps = vec![Value::from(0); places];
    let sign = |rng: &mut ChaCha8Rng| if rng.random_bool(0.5) { "" } else { "-" };
    taps[first] = Value::from(format!("{}3/5", sign(rng)));
    taps[second] = Value::from(format!("{}4/5", sign(rng)));
    let at = |r: usize, c: usize, k: usize| taps[(r * columns + c) * channels + k].clone();
    Value::from(
        (0..rows)
            .map(|r| {
                Value::from(
                    (0..columns)
                        .map(|c| {
                            Value::from((0..channels).map(|k| at(r, c, k)).collect::<Vec<_>>())
                        })
                        .collect::<Vec<_>>(),
                )
            })
            .collect::<Vec<_>>(),
    )
}

/// One image layer: `count` filters of `rows × columns` over `channels`, its geometry drawn.
fn image_layer(rng: &mut ChaCha8Rng, size: usize, channels: usize, count: usize) -> Value {
    let filters: Vec<Value> = (0..count)
        .map(|_| unit_filter(rng, size, size, channels))
        .collect();
    let (stride, padding) = match rng.random_range(0..3) {
        0 => (1, serde_json::json!({"mode": "circular"})),
        1 => (2, serde_json::json!({"mode": "valid"})),
        _ => (
            1,
            serde_json::json!({"mode": "zero", "top": 1, "bottom": 1, "left": 1, "right": 1}),
        ),
    };
    serde_json::json!({
        "filters": filters,
        "threshold": format!("{}/20", rng.random_range(1..6)),
        "stride": stride,
        "padding": padding,
    })
}

/// A two-layer image instance on `side × side` with `channels` input channels.
fn image_instance(rng: &mut ChaCha8Rng, side: usize, channels: usize) -> Value {
    let first = rng.random_range(2..5);
    let second = rng.random_range(2..5);
    let thresholding = ["soft", "nonnegative", "hard"][rng.random_range(0..3)];
    serde_json::json!({
        "format": "mlcsc-instance-2",
        "name": "generated-image",
        "source": "tests/all/forward_f64_fast.rs",
        "signal-shape": [side, side],
        "input-channels": channels,
        "thresholding": thresholding,
        "layers": [image_layer(rng, 3, channels, first), image_layer(rng, 2, first, second)],
        "deepest-representation": [],
        "noise": [],
    })
}

/// Every number of the estimates of `forward --json`, flattened, layer by layer.
fn estimates(json: &str) -> Vec<Vec<f64>> {
    fn flatten(value: &Value, out: &mut Vec<f64>) {
        match value {
            Value::Array(items) => items.iter().for_each(|v| flatten(v, out)),
            other => out.push(other.as_f64().expect("a number")),
        }
    }
    let report: Value = serde_json::from_str(json).expect("JSON");
    report["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|layer| {
            let mut out = Vec::new();
            flatten(&layer["estimate"], &mut out);
            out
        })
        .collect()
}

fn forward_json(instance: &std::path::Path, extra: &[&str]) -> String {
    let output = command()
        .arg("forward")
        .arg(instance)
        .arg("--json")
        .args(extra)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{extra:?}: {stderr}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn fast_image_estimates_from_an_own_npy_signal_equal_the_specification() {
    let folder = tempfile::tempdir().expect("a folder");
    let mut rng = ChaCha8Rng::seed_from_u64(24);
    let mut compared = 0;
    for case in 0..12 {
        let (side, channels) = (rng.random_range(9..15), rng.random_range(1..4));
        let instance = folder.path().join(format!("image-{case}.json"));
        let text = image_instance(&mut rng, side, channels).to_string();
        std::fs::write(&instance, text).expect("written");
        let values: Vec<f64> = (0..side * side * channels)
            .map(|_| rng.random_range(-1.0..1.0))
            .collect();
        let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        let header = format!(
            "{{'descr': '<f8', 'fortran_order': False, 'shape': ({side}, {side}, {channels}), }}"
        );
        let signal = folder.path().join(format!("y-{case}.npy"));
        std::fs::write(&signal, npy_bytes(&header, &data)).expect("written");
        let signal = signal.to_str().expect("UTF-8");
        for pursuit in ["thresholding", "cnn"] {
            let fast = estimates(&forward_json(
                &instance,
                &[
                    "--arithmetic",
                    "f64",
                    "--pursuit",
                    pursuit,
                    "--signal",
                    signal,
                ],
            ));
            let exact = estimates(&forward_json(
                &instance,
                &[
                    "--arithmetic",
                    "exact",
                    "--pursuit",
                    pursuit,
                    "--signal",
                    signal,
                ],
            ));
            assert_eq!(fast.len(), exact.len());
            for (layer, (f, e)) in fast.iter().zip(&exact).enumerate() {
                assert_eq!(f.len(), e.len(), "case {case} layer {}", layer + 1);
                let scale = e.iter().fold(1.0f64, |m, x| m.max(x.abs()));
                for (k, (a, b)) in f.iter().zip(e).enumerate() {
                    assert!(
                        (a - b).abs() <= 1e-12 * scale && ((*a == 0.0) == (*b == 0.0)),
                        "case {case} {pursuit} layer {} entry {k}: f64 {a} against exact {b}",
                        layer + 1
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 1000, "{compared}");
}

/// `forward`'s text rebuilt from its `--json` estimates with the plain number writer
/// (`mlcsc::cli::readable::number`, a `String` per number): the text the byte-buffer writer
/// must give.
fn text_from_json(json: &str) -> String {
    use mlcsc::cli::readable::number;
    let report: Value = serde_json::from_str(json).expect("JSON");
    let mut text = format!("pursuit: {}\n", report["pursuit"].as_str().expect("a name"));
    for layer in report["layers"].as_array().expect("layers") {
        let mut entries = Vec::new();
        let image = layer.get("grid").is_some();
        for (p, position) in layer["estimate"]
            .as_array()
            .expect("rows")
            .iter()
            .enumerate()
        {
            let mut push = |prefix: String, channels: &Value| {
                for (c, v) in channels.as_array().expect("channels").iter().enumerate() {
                    let v = v.as_f64().expect("a number");
                    if v != 0.0 {
                        entries.push(format!(" ({prefix}{c})={}", number(v)));
                    }
                }
            };
            if image {
                for (column, channels) in position.as_array().expect("columns").iter().enumerate() {
                    push(format!("{p},{column},"), channels);
                }
            } else {
                push(format!("{p},"), position);
            }
        }
        let header = if image {
            "(row, column, channel)"
        } else {
            "(position, channel)"
        };
        let body = if entries.is_empty() {
            " ".to_string()
        } else {
            entries.concat()
        };
        text.push_str(&format!(
            "layer {}: {} nonzeros {header}=value:{body}\n",
            layer["layer"],
            entries.len()
        ));
    }
    text
}

#[test]
fn the_text_of_forward_is_the_plain_writers_text_on_every_fixture() {
    let root = crate::common::cli::root().join("fixtures");
    let mut compared = 0;
    for folder in ["instances", "images", "theorem2", "float-filters"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(folder))
            .expect("a folder")
            .map(|entry| entry.expect("an entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for path in files {
            for pursuit in ["thresholding", "cnn"] {
                let args = ["--arithmetic", "f64", "--pursuit", pursuit];
                let text = command()
                    .arg("forward")
                    .arg(&path)
                    .args(args)
                    .output()
                    .expect("runs");
                if text.status.code() != Some(0) {
                    continue;
                }
                let json = forward_json(&path, &args);
                assert_eq!(
                    String::from_utf8(text.stdout).expect("UTF-8"),
                    text_from_json(&json),
                    "{} {pursuit}",
                    path.display()
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 20, "{compared}");
}
