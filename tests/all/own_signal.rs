//! `forward --signal FILE`: a user's own signal `Y` (JSON or `.npy`, channels last) run through
//! an instance's model in place of its `X + E`. The instance's own `X + E` written as such a
//! file gives the instance's own estimates, on a line and on an image; a signal of another
//! shape, a ragged array and basis pursuit are refused with exit 2, naming what is wrong.

use std::path::Path;

use mlcsc::io::InstanceFile;
use mlcsc::scalar::rational_to_text;

use crate::common::cli::{command, root};

/// The instance's own `Y = X + E` as a JSON array: `[N][m_0]` on a line, `[H][W][m_0]` on an
/// image, each entry an exact `"p/q"`.
fn own_signal_json(instance: &Path) -> String {
    let instance = InstanceFile::read(instance)
        .expect("a fixture")
        .to_exact()
        .expect("valid");
    let (y, _) = instance.signal_and_chain();
    let grid = y.grid();
    let position = |p: usize| {
        let channels: Vec<String> = y
            .at_position(p)
            .iter()
            .map(|v| format!("\"{}\"", rational_to_text(v)))
            .collect();
        format!("[{}]", channels.join(","))
    };
    let row = |r: usize| {
        let entries: Vec<String> = (0..grid.columns)
            .map(|c| position(grid.position(r, c)))
            .collect();
        format!("[{}]", entries.join(","))
    };
    if grid.rows == 1 {
        row(0)
    } else {
        format!(
            "[{}]",
            (0..grid.rows).map(row).collect::<Vec<_>>().join(",")
        )
    }
}

fn forward(instance: &Path, extra: &[&str]) -> (i32, String) {
    let output = command()
        .arg("forward")
        .arg(instance)
        .args(extra)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn the_instances_own_signal_gives_its_own_estimates() {
    let folder = tempfile::tempdir().expect("a folder");
    for fixture in [
        "fixtures/images/two_layer_image.json",
        "fixtures/theorem2/multi-channel-householder.json",
    ] {
        let instance = root().join(fixture);
        let signal = folder.path().join("y.json");
        std::fs::write(&signal, own_signal_json(&instance)).expect("written");
        for extra in [
            &[][..],
            &["--pursuit", "cnn"],
            &["--arithmetic", "f64"],
            &["--json"],
        ] {
            let (code, plain) = forward(&instance, extra);
            let mut with_signal: Vec<&str> = extra.to_vec();
            with_signal.extend(["--signal", signal.to_str().expect("a path")]);
            let (own_code, own) = forward(&instance, &with_signal);
            assert_eq!((own_code, &own), (code, &plain), "{fixture} {extra:?}");
            assert_eq!(code, 0);
        }
    }
}

#[test]
fn a_signal_of_another_shape_a_ragged_array_and_basis_pursuit_are_refused() {
    let folder = tempfile::tempdir().expect("a folder");
    let image = root().join("fixtures/images/two_layer_image.json");
    let cases = [
        ("[[1, 2], [3, 4]]", "the model reads [6, 6] or [6, 6, 1]"),
        ("[[1, 2], [3]]", "ragged"),
        ("[1, \"x\"]", "signal[1]"),
    ];
    for (text, expected) in cases {
        let signal = folder.path().join("y.json");
        std::fs::write(&signal, text).expect("written");
        let (code, message) = forward(&image, &["--signal", signal.to_str().expect("a path")]);
        assert_eq!(code, 2, "{text}: {message}");
        assert!(message.contains(expected), "{text}: {message}");
    }
    let signal = folder.path().join("y.json");
    let (code, message) = forward(
        &image,
        &[
            "--pursuit",
            "basis-pursuit",
            "--signal",
            signal.to_str().expect("a path"),
        ],
    );
    assert_eq!(code, 2);
    assert!(message.contains("basis pursuit"), "{message}");
}

/// A `.npy` file of `float64` in C order ([`crate::common::npy_bytes`]).
fn write_npy(path: &Path, shape: &[usize], values: &[f64]) {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    let dictionary = format!(
        "{{'descr': '<f8', 'fortran_order': False, 'shape': ({},), }}",
        dims.join(", ")
    );
    let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(path, crate::common::npy_bytes(&dictionary, &data)).expect("written");
}

/// A `.npy` signal `[H, W]` reads as the same JSON signal (every `f64` exactly).
#[test]
fn a_npy_signal_reads_as_its_json_twin() {
    let folder = tempfile::tempdir().expect("a folder");
    let image = root().join("fixtures/images/two_layer_image.json");
    let values: Vec<f64> = (0..36).map(|k| f64::from(k) / 8.0 - 2.0).collect();
    let npy = folder.path().join("y.npy");
    write_npy(&npy, &[6, 6], &values);
    let rows: Vec<String> = values.chunks(6).map(|row| format!("{row:?}")).collect();
    let json = folder.path().join("y.json");
    std::fs::write(&json, format!("[{}]", rows.join(","))).expect("written");
    let (code, from_npy) = forward(&image, &["--signal", npy.to_str().expect("a path")]);
    let (_, from_json) = forward(&image, &["--signal", json.to_str().expect("a path")]);
    assert_eq!(code, 0, "{from_npy}");
    assert_eq!(from_npy, from_json);
    assert!(from_npy.contains("nonzeros"), "{from_npy}");
}

/// `--save-instance`: the result as an instance whose code is the estimate `Γ̂_K` and whose
/// signal is `Y` exactly; `inspect` reads it; an existing file is refused before any work.
#[test]
fn the_result_is_saved_as_an_instance_whose_signal_is_y() {
    let folder = tempfile::tempdir().expect("a folder");
    let instance = root().join("fixtures/images/two_layer_image.json");
    let signal = folder.path().join("y.json");
    std::fs::write(&signal, own_signal_json(&instance)).expect("written");
    let saved = folder.path().join("result.json");
    let args = [
        "--signal",
        signal.to_str().expect("a path"),
        "--save-instance",
        saved.to_str().expect("a path"),
    ];
    let (code, text) = forward(&instance, &args);
    assert_eq!(code, 0, "{text}");
    let original = InstanceFile::read(&instance)
        .expect("a fixture")
        .to_exact()
        .expect("valid");
    let result = InstanceFile::read(&saved)
        .expect("written")
        .to_exact()
        .expect("valid");
    assert_eq!(result.signal_and_chain().0, original.signal_and_chain().0);
    let estimates = mlcsc::pursuit::layered_thresholding(
        &original.model,
        &original.signal_and_chain().0,
        &original.thresholds,
        original.thresholding,
    );
    assert_eq!(
        &result.deepest_representation,
        estimates.last().expect("a layer")
    );
    let inspected = command().arg("inspect").arg(&saved).output().expect("runs");
    assert_eq!(inspected.status.code(), Some(0));
    let (again, message) = forward(&instance, &args);
    assert_eq!(again, 2);
    assert!(message.contains("exists"), "{message}");
}
