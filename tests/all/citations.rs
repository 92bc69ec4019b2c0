//! Citations use one numbering: the seed paper's (`docs/math.md`, "Where each statement comes
//! from"). A numbered reference (Theorem 2, Definition 1, Section II, equation (1)) names the seed
//! paper, and the full papers are cited by name only, since the project has not checked their
//! numbers.

use std::path::Path;

use mlcsc::conjecture::registry;

const SEED_PAPER: &str = "Eyes of Sparsity";

/// Whether `text` points at a numbered part of a paper.
fn cites_a_number(text: &str) -> bool {
    ["Theorem ", "Definition ", "Section ", "equation ("]
        .iter()
        .any(|word| {
            text.match_indices(word).any(|(at, _)| {
                text[at + word.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == 'I' || c == 'V')
            })
        })
}

#[test]
fn every_numbered_citation_of_a_registered_result_names_the_seed_paper() {
    let mut numbered = 0;
    for entry in registry() {
        let citation = entry.citation().to_string();
        if cites_a_number(&citation) && !citation.contains("(DERIVED)") {
            assert!(
                citation.contains(SEED_PAPER),
                "{}: the citation {citation:?} uses a numbering without naming the seed paper",
                entry.name()
            );
            numbered += 1;
        }
    }
    assert!(
        numbered >= 3,
        "Theorem 2, Definition 1 and the forward pass are numbered"
    );
}

fn text_files(folder: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("a readable folder") {
        let path = entry.expect("a readable entry").path();
        if path.is_dir() {
            text_files(&path, found);
        } else if path.extension().is_some_and(|x| x == "rs" || x == "md") {
            found.push(path);
        }
    }
}

#[test]
fn the_journal_paper_is_named_only_where_docs_math_defines_the_full_papers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for folder in ["src", "docs", "proofs", "examples", "fixtures"] {
        text_files(&root.join(folder), &mut files);
    }
    for path in files {
        let text = std::fs::read_to_string(&path).expect("a readable file");
        if path.ends_with("docs/math.md") {
            continue;
        }
        assert!(
            !text.contains("JMLR"),
            "{}: cites the JMLR paper; cite the seed paper's numbering (docs/math.md)",
            path.display()
        );
    }
}
