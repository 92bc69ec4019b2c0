//! The command-line examples of `README.md` and `docs/command-line.md` run as tests, so an
//! example whose output drifts from the binary's fails.
//!
//! An example is a fenced block with the info string `console`: a line `$ mlcsc ARGS` runs the
//! binary (arguments split at spaces), an optional line `? CODE` gives its exit code (0 when
//! absent), and the lines up to the next `$ ` are its standard output and error, compared as
//! text by `snapbox`: `[..]` on a line matches any characters (timings), a line `...` any
//! lines. Each block runs in a fresh folder holding a link to `fixtures/`, so examples read the
//! committed fixtures and whatever they write is thrown away.

use std::path::Path;

/// The documents whose examples are tested.
const DOCUMENTS: [&str; 2] = ["README.md", "docs/command-line.md"];

/// One `$ mlcsc …` line with its expected exit code and output.
struct Example {
    line: usize,
    args: Vec<String>,
    code: i32,
    output: String,
}

/// The `console` blocks of a document, each a list of examples.
fn console_blocks(text: &str) -> Vec<Vec<Example>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<Example>> = None;
    for (index, line) in text.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match current.as_mut() {
            None if fence && line.trim_start().trim_start_matches('`').trim() == "console" => {
                current = Some(Vec::new());
            }
            None => {}
            Some(_) if fence => blocks.push(current.take().expect("an open block")),
            Some(block) => {
                if let Some(command) = line.strip_prefix("$ ") {
                    let mut words = command.split_whitespace().map(String::from);
                    assert_eq!(
                        words.next().as_deref(),
                        Some("mlcsc"),
                        "line {}: a console example runs mlcsc",
                        index + 1
                    );
                    block.push(Example {
                        line: index + 1,
                        args: words.collect(),
                        code: 0,
                        output: String::new(),
                    });
                } else if let Some(example) = block.last_mut() {
                    match line.strip_prefix("? ") {
                        Some(code) if example.output.is_empty() => {
                            example.code = code.trim().parse().expect("an exit code")
                        }
                        _ => {
                            example.output.push_str(line);
                            example.output.push('\n');
                        }
                    }
                }
            }
        }
    }
    assert!(current.is_none(), "a console block is not closed");
    blocks
}

use crate::common::cli::root;

/// Runs every example of `document`; returns how many ran.
fn run_examples(document: &str) -> usize {
    let text = std::fs::read_to_string(root().join(document)).expect("the document");
    run_text(document, &text)
}

/// Runs every example of `text`, named `document` in messages; returns how many ran.
fn run_text(document: &str, text: &str) -> usize {
    let mut count = 0;
    for block in console_blocks(text) {
        let folder = tempfile::tempdir().expect("a scratch folder");
        link_fixtures(folder.path());
        for example in block {
            eprintln!(
                "{document}:{}: mlcsc {}",
                example.line,
                example.args.join(" ")
            );
            crate::common::cli::command()
                .args(&example.args)
                .current_dir(folder.path())
                .stderr_to_stdout()
                .assert()
                .code(example.code)
                .stdout_eq(example.output);
            count += 1;
        }
    }
    count
}

#[cfg(unix)]
fn link_fixtures(folder: &Path) {
    std::os::unix::fs::symlink(root().join("fixtures"), folder.join("fixtures"))
        .expect("a link to the fixtures");
}

#[cfg(not(unix))]
fn link_fixtures(_folder: &Path) {
    panic!("the documentation examples need symbolic links");
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    assert!(run_examples(DOCUMENTS[0]) >= 1, "the README has an example");
}

#[test]
fn the_readme_verify_table_and_its_legend_fit_100_columns() {
    let text =
        std::fs::read_to_string(crate::common::cli::root().join(DOCUMENTS[0])).expect("README");
    let blocks = console_blocks(&text);
    let verify = blocks
        .iter()
        .flatten()
        .find(|example| example.args.first().is_some_and(|a| a == "verify"))
        .expect("the README shows verify");
    let table: Vec<&str> = verify
        .output
        .lines()
        .take_while(|line| !line.starts_with("counterexample of "))
        .collect();
    assert!(table.len() > 20, "the table and its legend");
    for line in table {
        assert!(
            line.chars().count() <= 100,
            "wider than 100 columns: {line}"
        );
    }
    assert!(
        verify.output.contains("\n  noisy "),
        "the legend names each coverage"
    );
}

#[test]
fn verify_wide_shows_each_entry_coverage() {
    let folder = tempfile::tempdir().expect("folder");
    let output = crate::common::cli::run_in(folder.path(), ["verify", "--scale", "0.01", "--wide"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.lines()
            .next()
            .is_some_and(|h| h.contains("status") && h.contains("coverage")),
        "{text}"
    );
    assert!(text.contains("noisy"), "{text}");
}

#[test]
fn command_line_examples_print_what_the_guide_shows() {
    assert!(
        run_examples(DOCUMENTS[1]) >= 8,
        "docs/command-line.md has its examples"
    );
}

#[test]
fn console_blocks_are_parsed_with_their_exit_codes() {
    let blocks = console_blocks(
        "text\n```console\n$ mlcsc list --json\n? 2\nout [..]\n...\n$ mlcsc list\n```\n```sh\n$ mlcsc no\n```\n",
    );
    assert_eq!(blocks.len(), 1);
    let [first, second] = &blocks[0][..] else {
        panic!("two examples")
    };
    assert_eq!((first.line, first.code), (3, 2));
    assert_eq!(first.args, ["list", "--json"]);
    assert_eq!(first.output, "out [..]\n...\n");
    assert_eq!((second.code, second.output.as_str()), (0, ""));
}

#[test]
#[should_panic(expected = "stdout")]
fn an_example_whose_output_drifted_fails() {
    run_text(
        "drifted",
        "```console\n$ mlcsc campaign theorem2-soft --cases 0 --seed 7\n? 2\nmlcsc: a message the binary does not print\n```\n",
    );
}
