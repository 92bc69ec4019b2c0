//! Every `cargo test …` command the documentation shows (`README.md`, `fixtures/README.md`,
//! `docs/*.md`, `proofs/*.md`) names a test target that exists, and each filter it gives names
//! a module or test of `tests/all` (parsed, not run).

use std::path::Path;

/// The `cargo test` commands of `text`: each occurrence up to the end of its line or the
/// closing backtick.
fn cargo_test_commands(text: &str) -> Vec<String> {
    text.match_indices("cargo test")
        .map(|(at, _)| {
            let rest = &text[at..];
            let end = rest.find(['`', '\n', '#']).unwrap_or(rest.len());
            rest[..end].trim().to_string()
        })
        .collect()
}

/// The test target (`--test NAME`) and the name filters of a `cargo test` command.
fn target_and_filters(command: &str) -> (Option<String>, Vec<String>) {
    let mut words = command.split_whitespace().skip(2);
    let (mut target, mut filters) = (None, Vec::new());
    while let Some(word) = words.next() {
        match word {
            "--" => break,
            "--test" => target = words.next().map(str::to_string),
            "-p" | "--package" | "--features" => {
                words.next();
            }
            flag if flag.starts_with('-') => {}
            filter => filters.push(filter.to_string()),
        }
    }
    (target, filters)
}

/// Every test path `module::function` of `tests/all` (all functions, a superset of the tests).
fn test_paths(root: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/all")).expect("tests/all") {
        let path = entry.expect("an entry").path();
        let Some(module) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (at, _) in source.match_indices("fn ") {
            let name: String = source[at + 3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            paths.push(format!("{module}::{name}"));
        }
    }
    paths
}

fn documents(root: &Path) -> Vec<std::path::PathBuf> {
    let mut found = vec![root.join("README.md"), root.join("fixtures/README.md")];
    for folder in ["docs", "proofs"] {
        for entry in std::fs::read_dir(root.join(folder)).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|x| x == "md") {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn every_cargo_test_command_in_the_documentation_names_existing_tests() {
    let root = crate::common::cli::root();
    let paths = test_paths(&root);
    let mut checked = 0;
    for document in documents(&root) {
        let text = std::fs::read_to_string(&document).expect("a readable document");
        for command in cargo_test_commands(&text) {
            let (target, filters) = target_and_filters(&command);
            if let Some(target) = &target {
                let exists = root.join(format!("tests/{target}.rs")).exists()
                    || root.join(format!("tests/{target}/main.rs")).exists();
                assert!(
                    exists,
                    "{}: `{command}`: no test target {target}",
                    document.display()
                );
            }
            for filter in &filters {
                assert!(
                    paths.iter().any(|path| path.contains(filter.as_str())),
                    "{}: `{command}`: {filter} names no test in tests/all",
                    document.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 5, "the documentation shows its test commands");
}

#[test]
fn a_command_naming_a_missing_target_or_test_is_parsed_as_such() {
    let [command] =
        &cargo_test_commands("run `MLCSC_WRITE_FIXTURES=1 cargo test --test uniqueness` to")[..]
    else {
        panic!("one command");
    };
    assert_eq!(command, "cargo test --test uniqueness");
    assert_eq!(
        target_and_filters(command),
        (Some("uniqueness".into()), vec![])
    );
    let (target, filters) = target_and_filters(
        "cargo test --release --test all fuzz_loaders:: -- --nocapture --test-threads 1",
    );
    assert_eq!(
        (target.as_deref(), filters),
        (Some("all"), vec!["fuzz_loaders::".to_string()])
    );
}

#[test]
fn every_test_file_the_documentation_names_exists() {
    let root = crate::common::cli::root();
    let mut checked = 0;
    for document in documents(&root) {
        let text = std::fs::read_to_string(&document).expect("a readable document");
        for (at, _) in text.match_indices("tests/") {
            let path: String = text[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '/' | '.'))
                .collect();
            let Some(file) = path.split(".rs").next().filter(|_| path.contains(".rs")) else {
                continue;
            };
            assert!(
                root.join(format!("{file}.rs")).exists(),
                "{}: names {file}.rs, which does not exist",
                document.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "the documentation names its test files");
}
