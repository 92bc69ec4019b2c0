//! The image form of format `mlcsc-instance-2` (fixtures/README.md, "The instance format"):
//! `"signal-shape": [H, W]`, stride pairs, padding with `top` and `bottom`, positions
//! `[row, column]`, filters `[out][row][column][in]` and a last patch `[h, w]`. An image file is
//! read into a model on grids, written back in the same form, decided by Theorem 2 for real
//! layers, inspected and run forward; every key of the other dimension, and every malformed
//! image key, is refused naming it, with exit 2, before any work.

use std::path::Path;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use crate::common::cli::{fixture, json_in, run_in};
use crate::common::r;
use mlcsc::Threshold;
use mlcsc::io::{Instance, InstanceFile, ToInstanceFile};
use mlcsc::model::{FilterShape, Geometry, Grid, GridGeometry, Layer, LayerVector, Model, Padding};
use mlcsc::scalar::Rational;
use mlcsc::thresholding::Thresholding;

const FIXTURE: &str = "images/two_layer_image.json";
const REAL: &str = "theorem2-real-layers-soft";

fn fixture_path() -> String {
    fixture(FIXTURE).to_str().expect("UTF-8").to_string()
}

fn stderr_of(folder: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = run_in(folder, args);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_image_fixture_is_read_on_grids() {
    let instance = InstanceFile::read(&fixture(FIXTURE))
        .expect("read")
        .to_exact()
        .expect("valid");
    let model = &instance.model;
    assert_eq!(
        model.grid(0),
        Grid {
            rows: 6,
            columns: 6
        }
    );
    assert_eq!(
        model.grid(1),
        Grid {
            rows: 3,
            columns: 3
        }
    );
    assert_eq!(
        model.grid(2),
        Grid {
            rows: 2,
            columns: 2
        }
    );
    let shape = FilterShape {
        rows: 2,
        columns: 2,
    };
    assert_eq!(model.layer(1).filter_shape(), shape);
    assert_eq!(model.layer(1).grid_geometry().rows.stride, 2);
    assert_eq!(
        model.layer(1).grid_geometry().columns.padding,
        Padding::Valid
    );
    // Filter 1 of layer 1 is [[1/2, -1/2], [1/2, -1/2]]: tap (1, 1) is t = 1 · 2 + 1 = 3.
    assert_eq!(*model.layer(1).tap(1, 3, 0), r(-1, 2));
    // Layer 2's filter 1 has its 1 at row 1, column 1, input channel 1.
    assert_eq!(*model.layer(2).tap(1, 3, 1), r(1, 1));
    // The invariant: Γ_K on the deepest grid, E on the signal's; [1, 1] is p = 1 · 2 + 1.
    assert_eq!(instance.deepest_representation.grid(), model.grid(2));
    assert_eq!(instance.noise.grid(), model.grid(0));
    assert_eq!(*instance.deepest_representation.get(3, 1), r(-3, 2));
    assert_eq!(*instance.noise.get(35, 0), r(1, 10));
    assert_eq!(
        instance.last_patch(),
        FilterShape {
            rows: 1,
            columns: 1
        }
    );
    let float = InstanceFile::read(&fixture(FIXTURE))
        .expect("read")
        .to_f64()
        .expect("valid");
    assert_eq!(float, instance.to_f64());
}

#[test]
fn check_decides_the_image_fixture_by_theorem2_for_real_layers_in_both_arithmetics() {
    let folder = tempfile::tempdir().expect("a folder");
    let path = fixture_path();
    for arithmetic in ["exact", "f64"] {
        let args = [
            "check",
            "--json",
            "--theorem",
            REAL,
            "--arithmetic",
            arithmetic,
            &path,
        ];
        let report = json_in(folder.path(), args);
        assert_eq!(report["verdict"], "holds", "{arithmetic}: {report}");
    }
    // The paper's Theorem 2 is refused, naming the image layer, before any work.
    let (code, stderr) = stderr_of(folder.path(), &["check", &path]);
    assert_eq!(code, Some(2), "{stderr}");
    for words in [
        "layer 1: image layer, 2 × 2 filters",
        "stride (2, 2)",
        "stated for the paper's layers",
    ] {
        assert!(stderr.contains(words), "{words:?} in {stderr}");
    }
}

#[test]
fn inspect_shows_the_image_geometry() {
    let folder = tempfile::tempdir().expect("a folder");
    let path = fixture_path();
    let report = json_in(folder.path(), ["inspect", "--json", &path]);
    assert_eq!(report["signal-shape"], json!([6, 6]));
    assert_eq!(report["signal-length"], 36);
    let first = &report["layers"][0];
    assert_eq!(first["filter-shape"], json!([2, 2]));
    assert_eq!(first["stride"], json!([2, 2]));
    assert_eq!(first["output-shape"], json!([3, 3]));
    assert_eq!(
        first["geometry"],
        "2 × 2 filters, stride (2, 2), rows valid padding, columns valid padding; codes 3 × 3"
    );
    let output = run_in(folder.path(), ["inspect", &path]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("N = 36 (6 × 6)"), "{text}");
    assert!(
        text.contains("layer 2: 2 × 2 filters, stride (1, 1)"),
        "{text}"
    );
}

#[test]
fn forward_gives_image_estimates_row_major_with_pairs_of_coordinates() {
    let folder = tempfile::tempdir().expect("a folder");
    let path = fixture_path();
    let exact = json_in(folder.path(), ["forward", "--json", &path]);
    let float = json_in(
        folder.path(),
        ["forward", "--json", "--arithmetic", "f64", &path],
    );
    assert_close(&exact, &float);
    let first = &exact["layers"][0];
    assert_eq!(first["grid"], json!([3, 3]));
    // Γ̂_1 = S_{1/2}(D_1ᵀ Y): 2 − 1/2 at [0, 0] channel 0; −3/2 − 1/20 + 1/2 at [2, 2] channel 1.
    assert_eq!(first["estimate"][0][0], json!([1.5, 0.0]));
    assert_eq!(first["estimate"][2][2], json!([0.0, -1.05]));
    // Γ̂_2 = S_{3/4}(D_2ᵀ Γ̂_1): 3/2 − 3/4 at [0, 0] channel 0; −21/20 + 3/4 at [1, 1] channel 1.
    assert_eq!(exact["layers"][1]["estimate"][0][0], json!([0.75, 0.0]));
    assert_eq!(exact["layers"][1]["estimate"][1][1], json!([0.0, -0.3]));
    let output = run_in(folder.path(), ["forward", &path]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "layer 1: 2 nonzeros (row, column, channel)=value: (0,0,0)=1.5 (2,2,1)=-1.05"
        ),
        "{text}"
    );
    // The CNN pass is layered nonnegative thresholding, in both arithmetics.
    let cnn = json_in(
        folder.path(),
        ["forward", "--json", "--pursuit", "cnn", &path],
    );
    let cnn_f64 = json_in(
        folder.path(),
        [
            "forward",
            "--json",
            "--pursuit",
            "cnn",
            "--arithmetic",
            "f64",
            &path,
        ],
    );
    assert_close(&cnn, &cnn_f64);
    assert_eq!(cnn["layers"][0]["estimate"][2][2], json!([0.0, 0.0]));
}

/// The same JSON but for numbers, which agree within `1e-12` (the `f64` pass rounds).
fn assert_close(exact: &Value, float: &Value) {
    match (exact, float) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().expect("a"), b.as_f64().expect("b"));
            assert!((a - b).abs() <= 1e-12, "{a} against {b}");
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len());
            a.iter().zip(b).for_each(|(a, b)| assert_close(a, b));
        }
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
            a.iter().for_each(|(key, a)| assert_close(a, &b[key]));
        }
        (a, b) => assert_eq!(a, b),
    }
}

/// A random exact image instance on a model built with [`Model::on_grid`], or `None` when the
/// drawn geometry does not fit the drawn grid.
fn random_image_instance(rng: &mut ChaCha8Rng) -> Option<Instance<Rational>> {
    let signal = Grid {
        rows: rng.random_range(1..=6),
        columns: rng.random_range(1..=6),
    };
    let input_channels = rng.random_range(1..=2);
    let depth = rng.random_range(1..=2);
    let mut layers = Vec::new();
    let mut thresholds = Vec::new();
    let mut previous = input_channels;
    for number in 1..=depth {
        let shape = FilterShape {
            rows: rng.random_range(1..=2),
            columns: rng.random_range(1..=2),
        };
        let count = rng.random_range(1..=2);
        let filters = (0..count)
            .map(|_| unit_filter(rng, shape.taps(), previous))
            .collect();
        let layer = Layer::new(number, filters).expect("unit filters");
        layers.push(
            layer
                .on_grid(number, shape, random_geometry(rng))
                .expect("taps"),
        );
        let betas = (0..count).map(|_| r(rng.random_range(0..=4), 4)).collect();
        thresholds.push(Threshold::per_channel(betas));
        previous = count;
    }
    let model = Model::on_grid(signal, input_channels, layers).ok()?;
    let deepest = model.grid(depth);
    let deepest_representation = sparse_on(rng, deepest, model.channels(depth));
    let noise = sparse_on(rng, model.grid(0), input_channels);
    Some(Instance {
        name: "random-image".into(),
        source: "tests/all/instance_images.rs".into(),
        thresholding: Thresholding::Soft,
        thresholds,
        deepest_representation,
        noise,
        noise_budget: rng.random_bool(0.5).then(|| r(1, 3)),
        last_patch_width: rng.random_range(1..=deepest.columns),
        last_patch_rows: rng.random_range(1..=deepest.rows),
        model,
    })
}

/// A filter of exactly unit norm: one tap ±1, or four taps ±1/2 when there is room.
fn unit_filter(rng: &mut ChaCha8Rng, taps: usize, channels: usize) -> Vec<Vec<Rational>> {
    let mut filter = vec![vec![r(0, 1); channels]; taps];
    let cells = taps * channels;
    let (count, value) = if cells >= 4 && rng.random_bool(0.5) {
        (4, 2)
    } else {
        (1, 1)
    };
    let mut placed = 0;
    while placed < count {
        let cell = rng.random_range(0..cells);
        let entry = &mut filter[cell / channels][cell % channels];
        if *entry == r(0, 1) {
            *entry = r(if rng.random_bool(0.5) { 1 } else { -1 }, value);
            placed += 1;
        }
    }
    filter
}

/// One padding mode for both axes, a stride per axis, and zero amounts per side.
fn random_geometry(rng: &mut ChaCha8Rng) -> GridGeometry {
    let mode = rng.random_range(0..3);
    let mut axis = || Geometry {
        stride: rng.random_range(1..=2),
        padding: match mode {
            0 => Padding::Circular,
            1 => Padding::Valid,
            _ => Padding::Zero {
                left: rng.random_range(0..=1),
                right: rng.random_range(0..=1),
            },
        },
    };
    GridGeometry {
        rows: axis(),
        columns: axis(),
    }
}

fn sparse_on(rng: &mut ChaCha8Rng, grid: Grid, channels: usize) -> LayerVector<Rational> {
    let mut vector = LayerVector::zeros_on(grid, channels);
    for _ in 0..rng.random_range(0..=3) {
        let position = rng.random_range(0..grid.positions());
        let channel = rng.random_range(0..channels);
        vector.set(position, channel, r(rng.random_range(-6..=6), 2));
    }
    vector
}

#[test]
fn random_image_instances_written_and_read_back_are_equal() {
    let mut rng = ChaCha8Rng::seed_from_u64(20261207);
    let mut images = 0;
    for _ in 0..400 {
        let Some(instance) = random_image_instance(&mut rng) else {
            continue;
        };
        let written = serde_json::to_string(&instance.to_file()).expect("JSON");
        let file = InstanceFile::parse(&written).expect("parsed");
        let again = file.to_exact().unwrap_or_else(|e| panic!("{e}: {written}"));
        assert_eq!(again, instance, "{written}");
        assert_eq!(
            file.to_f64().expect("valid"),
            instance.to_f64(),
            "{written}"
        );
        let value: Value = serde_json::from_str(&written).expect("JSON");
        if value["signal-shape"]
            .as_array()
            .is_some_and(|shape| shape.len() == 2)
        {
            images += 1;
            assert!(value["last-patch-width"].is_array(), "{written}");
            assert!(value["layers"][0]["stride"].is_array(), "{written}");
            assert!(
                value["layers"][0]["filters"][0][0][0].is_array(),
                "{written}"
            );
        }
    }
    assert!(images >= 100, "only {images} image instances");
}

#[test]
fn a_large_exact_image_is_refused_before_any_work_naming_its_sizes() {
    let folder = tempfile::tempdir().expect("a folder");
    let text = std::fs::read_to_string(fixture(FIXTURE)).expect("the fixture");
    let mut file: Value = serde_json::from_str(&text).expect("JSON");
    // 2048 × 2048 positions: N_0 m_0 + N_1 m_1 + N_2 m_2 = 2048² + 2 · 1024² + 2 · 1023².
    file["signal-shape"] = json!([2048, 2048]);
    std::fs::write(folder.path().join("large.json"), file.to_string()).expect("write");
    for command in [
        &["check", "--theorem", REAL][..],
        &["inspect"],
        &["forward"],
    ] {
        let args: Vec<&str> = command.iter().copied().chain(["large.json"]).collect();
        let output = run_in(folder.path(), &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {stderr}");
        for words in ["field signal-shape", "8384514 entries exceed the limit"] {
            assert!(stderr.contains(words), "{command:?}: {words:?} in {stderr}");
        }
    }
}
