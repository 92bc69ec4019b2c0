//! Files of one concept: no source file is longer than [`LIMIT`] lines, except the numerical
//! kernels listed in [`KERNELS`], each with its reason. A file that grows past the limit is split
//! by concept, not raised here.

use std::fs;
use std::path::{Path, PathBuf};

/// About one concept's worth of lines, documentation and unit tests included.
const LIMIT: usize = 400;

/// Numerical kernels that may be longer: `(path from the root, reason)`.
const KERNELS: &[(&str, &str)] = &[];

fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(folder).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn no_source_file_is_longer_than_one_concept() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for crate_src in ["src", "crates/mlcsc-spec/src", "crates/mlcsc-engines/src"] {
        rust_files(&root.join(crate_src), &mut files);
    }
    let mut long = Vec::new();
    for path in files {
        let relative = path
            .strip_prefix(root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        let lines = fs::read_to_string(&path).expect("readable").lines().count();
        let kernel = KERNELS.iter().any(|(name, _)| *name == relative);
        if lines > LIMIT && !kernel {
            long.push(format!("{relative}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "files over {LIMIT} lines (split them by concept):\n{}",
        long.join("\n")
    );
}

/// The reading paths the README states: Theorem 2 (every file of it) in at most six files and
/// 900 lines of the specification, Definition 1 in at most four files and 600 lines. A change that lengthens
/// them must shorten something else, or say so here and in the README.
#[test]
fn theorem2_and_definition1_read_in_a_sitting() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/mlcsc-spec/src");
    let lines = |files: &[&str]| -> usize {
        files
            .iter()
            .map(|f| {
                fs::read_to_string(spec.join(f))
                    .expect("readable")
                    .lines()
                    .count()
            })
            .sum()
    };
    // Every file of Theorem 2: the statement, everything under `theorem2/`, its formulas, and
    // the signs of sums of square roots (shared with Theorem 2 for real layers).
    let mut theorem2 = vec![
        "theorems/theorem2.rs".to_string(),
        "theorems/theorem2_bounds.rs".to_string(),
        "theorems/signs.rs".to_string(),
    ];
    for entry in fs::read_dir(spec.join("theorems/theorem2")).expect("the theorem2 folder") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().expect("a file name").to_string_lossy();
        theorem2.push(format!("theorems/theorem2/{name}"));
    }
    let theorem2: Vec<&str> = theorem2.iter().map(String::as_str).collect();
    // Definition 1 reads its stripe sparsity on the model's grids (`strided_norms.rs`).
    let definition1 = [
        "theorems/definition1.rs",
        "operators.rs",
        "strided_norms.rs",
    ];
    let (t, d) = (lines(&theorem2), lines(&definition1));
    assert!(
        theorem2.len() <= 6,
        "Theorem 2 is in {} files",
        theorem2.len()
    );
    println!(
        "Theorem 2 reads in {} files, {t} lines; Definition 1 in {} files, {d} lines",
        theorem2.len(),
        definition1.len()
    );
    assert!(t <= 900, "Theorem 2's reading path is {t} lines");
    assert!(d <= 700, "Definition 1's reading path is {d} lines");
    // Read to the last loop of `D` (strides, padding, and the pairs of positions of an image
    // layer): the README states this figure too.
    let to_the_loops = [
        "theorems/definition1.rs",
        "operators.rs",
        "strided_norms.rs",
        "strided_operators.rs",
        "model/geometry.rs",
        "model/grid.rs",
    ];
    let full = lines(&to_the_loops);
    println!("Definition 1 to the last loop of D: 6 files, {full} lines");
    assert!(
        full <= 1400,
        "Definition 1 to the last loop of D is {full} lines"
    );
}
