//! The crate's layering, checked on its source: no module names a module of a higher layer.
//!
//! From the bottom: the numbers know no model, the model is data and validation, the
//! thresholding operators sit below the dictionary operators, which own the synthesis chain;
//! the pursuits use the operators; the instance (what every result is stated on) sits above the
//! pursuit it names; the results (`theorems`) take the instance and know no file; the generators
//! build instances for the results; `io` reads and writes files of all of these; conjectures are
//! run by campaigns, and the command line sits on top. Modules of one rank may use each other.
//!
//! A reference is a `crate::NAME` path in code; comments and doc links are not references.

use std::fs;
use std::path::{Path, PathBuf};

/// The ranks, lowest first. Every top-level module of `src/` is listed.
const LAYERS: &[&[&str]] = &[
    &["scalar", "tolerance"],
    &["small_rational", "enclosure", "exact_linear_algebra"],
    &["model"],
    &["thresholding"],
    &["operators"],
    &["norms", "coherence"],
    &["pursuit"],
    &["fast"],
    &["instance"],
    &["theorems", "kernels", "exact_engine"],
    &["generate", "rationalize"],
    &["io"],
    &["inspect", "certify"],
    &["conjecture"],
    &["campaign"],
    &["bench"],
    &["cli"],
];

/// References that still run upward, each with the reason it is kept. Empty when the layering
/// is fully true; a new entry needs a reason here.
const KNOWN_UPWARD: &[(&str, &str, &str)] = &[];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

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

fn source_files() -> Vec<(String, PathBuf)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let relative = path.strip_prefix(&src).expect("under src").to_path_buf();
            let first = relative
                .components()
                .next()?
                .as_os_str()
                .to_str()?
                .to_string();
            let module = first.trim_end_matches(".rs").to_string();
            (module != "lib" && module != "main").then_some((module, path))
        })
        .collect()
}

/// The top-level modules a line of code names as `crate::NAME`.
fn references(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices("crate::")
        .filter(|(at, _)| {
            // `crate::` itself, not the tail of `mlcsc_crate::` or similar.
            code[..*at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
        .map(|(at, _)| {
            code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn every_module_has_a_rank() {
    for (module, path) in source_files() {
        assert!(
            rank(&module).is_some(),
            "{} is in module `{module}`, which has no rank in LAYERS",
            path.display()
        );
    }
}

#[test]
fn no_module_names_a_higher_layer() {
    let mut upward = Vec::new();
    for (module, path) in source_files() {
        let own = rank(&module).expect("ranked");
        let text = fs::read_to_string(&path).expect("readable source");
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for target in references(line) {
                let Some(theirs) = rank(&target) else {
                    continue;
                };
                let known = KNOWN_UPWARD
                    .iter()
                    .any(|(from, to, _)| *from == module && *to == target);
                if theirs > own && !known {
                    upward.push(format!(
                        "{}:{}: `{module}` names the higher `{target}`",
                        path.display(),
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "upward references:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_reference_scanner_sees_paths_in_code_only() {
    assert_eq!(references("use crate::model::Layer;"), vec!["model"]);
    assert_eq!(
        references("let x = crate::io::read(); // crate::cli"),
        vec!["io"]
    );
    assert!(references("/// [`crate::cli`]").is_empty());
    assert!(references("let y = my_crate::cli::run();").is_empty());
}
