//! Every read is bounded (docs/robustness.md): a `.npy` file's header is read first, its
//! declared shape checked against the entry limit and the coherence work limit, and only the
//! bytes it declares are read after it, so a long kernel is refused before its quadratic
//! coherence and a device such as `/dev/zero` is not read until memory runs out.

use mlcsc::io::npy::{MAX_NPY_COHERENCE_WORK, NpyError, read_filter_bank};

use crate::common::cli::command;
use crate::common::npy_bytes;

/// A `float64` bank of the given shape, every weight 1.
fn bank(shape: [usize; 3]) -> Vec<u8> {
    let entries: usize = shape.iter().product();
    let data: Vec<u8> = (0..entries).flat_map(|_| 1.0f64.to_le_bytes()).collect();
    npy_bytes(
        &format!(
            "{{'descr': '<f8', 'fortran_order': False, 'shape': ({}, {}, {}), }}",
            shape[0], shape[1], shape[2]
        ),
        &data,
    )
}

fn inspect(path: &std::path::Path) -> (Option<i32>, String) {
    let output = command()
        .args(["inspect", "--npy"])
        .arg(path)
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_long_kernel_is_refused_before_its_quadratic_coherence() {
    let folder = tempfile::tempdir().expect("scratch");
    for (name, shape) in [
        ("long-kernel.npy", [1, 1, 300_000]),
        ("many-filters.npy", [1_000_000, 1, 1]),
    ] {
        let path = folder.path().join(name);
        std::fs::write(&path, bank(shape)).expect("written");
        let (code, stderr) = inspect(&path);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains("its coherence would take")
                && stderr.contains(&format!("above the limit of {MAX_NPY_COHERENCE_WORK}")),
            "{name}: {stderr}"
        );
        // The library refuses it too, from the declared shape.
        assert!(
            matches!(read_filter_bank(&path), Err(NpyError::TooMuchWork { .. })),
            "{name}"
        );
    }
}

#[test]
fn a_kernel_within_the_limit_is_inspected() {
    let folder = tempfile::tempdir().expect("scratch");
    let path = folder.path().join("kernel.npy");
    std::fs::write(&path, bank([2, 1, 1000])).expect("written");
    let (code, stderr) = inspect(&path);
    assert_eq!(code, Some(0), "{stderr}");
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_not_read_to_its_end() {
    let (code, stderr) = inspect(std::path::Path::new("/dev/zero"));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("magic string"), "{stderr}");
}

#[test]
fn only_the_declared_data_is_read_after_the_header() {
    // A valid bank followed by 64 MiB of trailing bytes: read and accepted as the bank alone.
    let folder = tempfile::tempdir().expect("scratch");
    let path = folder.path().join("trailing.npy");
    let mut bytes = bank([2, 1, 3]);
    bytes.extend(std::iter::repeat_n(0u8, 1 << 20));
    std::fs::write(&path, &bytes).expect("written");
    let read = read_filter_bank(&path).expect("the declared bank");
    assert_eq!(read.shape, [2, 1, 3]);
}
