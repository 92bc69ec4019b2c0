//! Filter banks from NumPy `.npy` files (`[out][in][kernel]`, as PyTorch stores `Conv1d`
//! weights): the reported norms, coherence (docs/math.md §3), Welch bound and the largest stripe
//! sparsity each theorem could guarantee (docs/math.md §6, §7) agree with hand computations, for
//! float32 and float64, C and Fortran order, either byte order; every bad file gives a clear
//! error naming the file, with exit code 2 and no panic.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use mlcsc::io::npy::{NpyError, read_filter_bank};
use npyz::{DType, Order, WriterBuilder};

/// A fresh folder under the system's temporary directory.
fn scratch(tag: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("mlcsc-npy-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).expect("temporary folder");
    path
}

/// Writes `values` (in storage order) as an array of the given dtype, shape and order.
fn write_npy<T: npyz::Serialize + Copy>(
    path: &Path,
    dtype: &str,
    shape: &[u64],
    order: Order,
    values: &[T],
) {
    let file = std::fs::File::create(path).expect("create");
    let mut writer = npyz::WriteOptions::new()
        .dtype(DType::Plain(dtype.parse().expect("dtype")))
        .shape(shape)
        .order(order)
        .writer(std::io::BufWriter::new(file))
        .begin_nd()
        .expect("header");
    writer.extend(values.iter().copied()).expect("data");
    writer.finish().expect("finish");
}

fn mlcsc(args: &[&str]) -> Output {
    crate::common::cli::command()
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn json_of(output: &Output) -> serde_json::Value {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn number(value: &serde_json::Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("{value} is not a number"))
}

fn close(value: &serde_json::Value, expected: f64) {
    let found = number(value);
    assert!(
        (found - expected).abs() <= 1e-12 * expected.abs().max(1.0),
        "{found} ≠ {expected}"
    );
}

#[test]
fn npy_inspect_reports_norms_coherence_welch_and_guarantees_computed_by_hand() {
    let dir = scratch("hand");
    // Filters [3, 4] (norm 5) and [0, 2] (norm 2): unit [0.6, 0.8] and [0, 1]. Correlations:
    // shift 0: 0.8; shift 1: 0.6·0.8 = 0.48, 0.6·1 = 0.6, 0, 0. So μ = 0.8. Welch: 6 atoms in
    // dimension 3, sqrt(3 / 15). ½(1 + 1/μ) = 1.125 → s ≤ 1; ⅓(1 + 1/μ) = 0.75 → s ≤ 0.
    let path = dir.join("conv.npy");
    write_npy(&path, "<f8", &[2, 1, 2], Order::C, &[3.0f64, 4.0, 0.0, 2.0]);
    let report = json_of(&mlcsc(&["inspect", "--npy", text(&path), "--json"]));
    assert_eq!(report["arithmetic"], "f64");
    assert_eq!(report["certified"], false);
    assert!(
        report["normalisation"]
            .as_str()
            .expect("text")
            .contains("divided by its l2 norm")
    );
    assert_eq!(report["signal-length"], 3);
    let layer = &report["layers"][0];
    assert_eq!(layer["shape"], serde_json::json!([2, 1, 2]));
    close(&layer["filter-norms"][0], 5.0);
    close(&layer["filter-norms"][1], 2.0);
    close(&layer["coherence"], 0.8);
    assert_eq!(
        layer["coherence-witness"],
        serde_json::json!({"first-filter": 0, "second-filter": 1, "shift": 0})
    );
    close(&layer["welch-bound"], (3.0f64 / 15.0).sqrt());
    close(&layer["uniqueness-bound"], 1.125);
    assert_eq!(layer["theorem2-largest-stripe-sparsity"], 1);
    assert_eq!(layer["uniqueness-largest-stripe-sparsity"], 1);
    close(&layer["basis-pursuit-bound"], 0.75);
    assert_eq!(layer["basis-pursuit-largest-stripe-sparsity"], 0);
    let plain = mlcsc(&["inspect", "--npy", text(&path)]);
    assert_eq!(plain.status.code(), Some(0));
    let shown = String::from_utf8_lossy(&plain.stdout);
    assert!(
        shown.contains("UNCERTIFIED") && shown.contains("divided by its l2 norm"),
        "{shown}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn npy_inspect_reads_float32_fortran_order_and_big_endian_layers() {
    let dir = scratch("layouts");
    // Layer 1, float32 in Fortran order: filters [2, 0, 0] and [0, 1, 1] (norms 2 and sqrt 2),
    // stored with the first axis fastest: [a][b][k] at a + 2k. Unit filters [1, 0, 0] and
    // [0, 1, 1]/sqrt 2; the largest correlation is f0[0] f1[1] = 1/sqrt 2 (shift 1).
    // Welch: 10 atoms in dimension 5, sqrt(5 / 45) = 1/3.
    let first = dir.join("conv1.npy");
    write_npy(
        &first,
        "<f4",
        &[2, 1, 3],
        Order::Fortran,
        &[2.0f32, 0.0, 0.0, 1.0, 0.0, 1.0],
    );
    // Layer 2, big-endian float64: one filter of one tap over 2 channels, (1, 1): μ = 0.
    let second = dir.join("conv2.npy");
    write_npy(&second, ">f8", &[1, 2, 1], Order::C, &[1.0f64, 1.0]);
    let report = json_of(&mlcsc(&[
        "inspect",
        "--npy",
        text(&first),
        "--npy",
        text(&second),
        "--signal-length",
        "64",
        "--json",
    ]));
    assert_eq!(report["signal-length"], 64);
    let (l1, l2) = (&report["layers"][0], &report["layers"][1]);
    assert_eq!(l1["order"], "Fortran");
    assert_eq!(l1["dtype"], "<f4");
    close(&l1["filter-norms"][0], 2.0);
    close(&l1["filter-norms"][1], 2f64.sqrt());
    assert!(
        (number(&l1["coherence"]) - 0.5f64.sqrt()).abs() < 1e-7,
        "float32 entries are exact here"
    );
    close(&l1["welch-bound"], 1.0 / 3.0);
    assert_eq!(l1["theorem2-largest-stripe-sparsity"], 1);
    assert_eq!(l1["basis-pursuit-largest-stripe-sparsity"], 0);
    assert_eq!(l2["dtype"], ">f8");
    close(&l2["filter-norms"][0], 2f64.sqrt());
    close(&l2["coherence"], 0.0);
    close(&l2["welch-bound"], 0.0);
    assert!(
        l2["uniqueness-bound"].is_null() && l2["theorem2-largest-stripe-sparsity"].is_null(),
        "μ = 0 bounds no sparsity"
    );
    // The library reads the same weights in [out][in][kernel] order whatever the file's layout.
    let bank = read_filter_bank(&first).expect("valid");
    assert_eq!(bank.weights, vec![2.0, 0.0, 0.0, 0.0, 1.0, 1.0]);
    assert!(bank.fortran_order);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes a `.npy` file whose header is the given dictionary text, followed by `data`.
fn write_raw(path: &Path, dictionary: &str, data: &[u8]) {
    std::fs::write(path, common::npy_bytes(dictionary, data)).expect("write");
}

/// Writes one bad file at the given path.
type FileMaker = Box<dyn Fn(&Path)>;

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "a table of bad npy files, each with the problem it must name"
)]
fn bad_npy_files_are_rejected_with_the_file_and_the_problem_named() {
    let dir = scratch("bad");
    let good = dir.join("good.npy");
    write_npy(
        &good,
        "<f8",
        &[2, 1, 3],
        Order::C,
        &[1.0f64, 0.0, 0.0, 0.0, 1.0, 0.0],
    );
    let cases: Vec<(&str, FileMaker, &str)> = vec![
        ("missing", Box::new(|_| {}), "cannot read the file"),
        (
            "text",
            Box::new(|p| std::fs::write(p, "not numpy").expect("write")),
            "magic string",
        ),
        (
            "two-axes",
            Box::new(|p| write_npy(p, "<f8", &[2, 3], Order::C, &[1.0f64; 6])),
            "expected 3 axes",
        ),
        (
            "empty-axis",
            Box::new(|p| write_npy::<f64>(p, "<f8", &[0, 1, 3], Order::C, &[])),
            "axis `out` has size 0",
        ),
        (
            "integers",
            Box::new(|p| write_npy(p, "<i4", &[1, 1, 2], Order::C, &[1i32, 2])),
            "dtype <i4 is not supported",
        ),
        (
            "unsigned",
            Box::new(|p| write_npy(p, "<u2", &[1, 1, 1], Order::C, &[1u16])),
            "is not supported",
        ),
        (
            "nan",
            Box::new(|p| write_npy(p, "<f8", &[1, 1, 2], Order::C, &[1.0f64, f64::NAN])),
            "entry [0][0][1] (out, in, kernel) is NaN",
        ),
        (
            "infinite",
            Box::new(|p| write_npy(p, "<f4", &[1, 1, 2], Order::C, &[f32::INFINITY, 1.0])),
            "is inf",
        ),
        (
            "all-filters-zero",
            Box::new(|p| write_npy(p, "<f8", &[2, 1, 1], Order::C, &[0.0f64, 0.0])),
            "every filter is zero",
        ),
        (
            "truncated",
            Box::new(|p| {
                write_raw(
                    p,
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1, 3), }",
                    &[0u8; 8],
                )
            }),
            "the header promises 6 entries",
        ),
        (
            "huge",
            Box::new(|p| {
                write_raw(
                    p,
                    "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }",
                    &[],
                )
            }),
            "holds more than",
        ),
        (
            // 20 bytes whose header claims 4 GiB: refused before anything is allocated.
            "header-claims-4-gib",
            Box::new(|p| {
                let mut bytes = b"\x93NUMPY\x02\x00".to_vec();
                bytes.extend_from_slice(&u32::MAX.to_le_bytes());
                bytes.extend_from_slice(b"{'descr'");
                std::fs::write(p, bytes).expect("write")
            }),
            "the header claims 4294967295 bytes",
        ),
        (
            "header-longer-than-file",
            Box::new(|p| {
                let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
                bytes.extend_from_slice(&1000u16.to_le_bytes());
                bytes.extend_from_slice(b"{'descr': '<f8'");
                std::fs::write(p, bytes).expect("write")
            }),
            "the header claims 1000 bytes but the file holds 15",
        ),
    ];
    for (name, make, message) in &cases {
        let path = dir.join(format!("{name}.npy"));
        make(&path);
        let output = mlcsc(&["inspect", "--npy", text(&path)]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        println!("{name}: {}", stderr.trim());
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(text(&path)),
            "{name}: the message names the file: {stderr}"
        );
        assert!(
            stderr.contains(message),
            "{name}: expected {message:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    // A layer whose input channels differ from the previous layer's filters.
    let mismatched = dir.join("mismatched.npy");
    write_npy(
        &mismatched,
        "<f8",
        &[1, 3, 1],
        Order::C,
        &[1.0f64, 0.0, 0.0],
    );
    let output = mlcsc(&["inspect", "--npy", text(&good), "--npy", text(&mismatched)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(text(&mismatched))
            && stderr.contains("layer 2 has 3 input channels")
            && stderr.contains("has 2 filters"),
        "{stderr}"
    );
    // A signal length below 2n − 1, an instance file together with --npy, and neither.
    for args in [
        vec!["inspect", "--npy", text(&good), "--signal-length", "4"],
        vec!["inspect", "some-instance.json", "--npy", text(&good)],
        vec!["inspect"],
        vec!["inspect", "--npy", text(&good), "--arithmetic", "exact"],
    ] {
        let output = mlcsc(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    }
    // The library names the problem with a typed error.
    assert!(matches!(
        read_filter_bank(&dir.join("two-axes.npy")),
        Err(NpyError::Dimensions { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Folding (`proofs/folding.md`): layer 1's filter norms scale layer 2's input channels before
/// layer 2 is normalised, so its coherence is that of the network, not of the layer alone; a
/// dead (zero) filter is dropped with its input channel below.
#[test]
fn npy_inspect_reports_the_folded_coherence_and_drops_dead_filters() {
    let dir = scratch("folding");
    // Layer 1: one-tap filters [1], [10] and a dead [0] (norms 1, 10, 0). Layer 2: one-tap
    // filters [1, 1, 5] and [1, -1, 7] over those three channels. Alone, layer 2 has
    // μ = (1 − 1 + 35) / (√27 √51) ≈ 0.940, counting the dead channel's weights. Folded, the
    // dead channel is dropped and the norms 1 and 10 scale the live ones: [1, 10] and
    // [1, −10], with μ = 99/101 ≈ 0.980.
    let first = dir.join("conv1.npy");
    let second = dir.join("conv2.npy");
    write_npy(&first, "<f8", &[3, 1, 1], Order::C, &[1.0f64, 10.0, 0.0]);
    write_npy(
        &second,
        "<f8",
        &[2, 3, 1],
        Order::C,
        &[1.0f64, 1.0, 5.0, 1.0, -1.0, 7.0],
    );
    let report = json_of(&mlcsc(&[
        "inspect",
        "--npy",
        text(&first),
        "--npy",
        text(&second),
        "--json",
    ]));
    let layers = &report["layers"];
    assert_eq!(layers[0]["dead-filters"], serde_json::json!([2]));
    assert_eq!(layers[1]["dead-filters"], serde_json::json!([]));
    // Layer 1 folded is layer 1 alone (its input is the signal): [1] and [10] normalise to [1].
    close(&layers[0]["coherence"], 1.0);
    close(&layers[0]["layer-alone-coherence"], 1.0);
    close(&layers[1]["coherence"], 99.0 / 101.0);
    close(
        &layers[1]["layer-alone-coherence"],
        35.0 / (27.0f64.sqrt() * 51.0f64.sqrt()),
    );
    let _ = std::fs::remove_dir_all(&dir);
}
