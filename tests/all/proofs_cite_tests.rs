//! `proofs/` is tied to the tests: every `tests/FILE.rs::NAME` cited in a proof must name a
//! test function that exists in that file.

use std::path::Path;

fn citations(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (start, _) in text.match_indices("tests/") {
        let rest = &text[start..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '/' || c == '.' || c == ':'))
            .unwrap_or(rest.len());
        let cited = rest[..end].trim_end_matches(['.', ':']);
        if let Some((file, name)) = cited.split_once(".rs::") {
            found.push((format!("{file}.rs"), name.to_string()));
        }
    }
    found
}

#[test]
fn every_cited_test_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("proofs")).expect("proofs folder") {
        let path = entry.expect("readable").path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable proof");
        for (file, name) in citations(&text) {
            let source = std::fs::read_to_string(root.join(&file)).unwrap_or_else(|_| {
                panic!("{}: cites {file}, which does not exist", path.display())
            });
            assert!(
                source.contains(&format!("fn {name}(")),
                "{}: cites {file}::{name}, which is not a function there",
                path.display()
            );
            checked += 1;
        }
    }
    eprintln!("{checked} citations checked");
    assert!(checked >= 10, "the proofs must cite their tests");
}
