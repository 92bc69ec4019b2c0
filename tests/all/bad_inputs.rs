//! Bad inputs through the `mlcsc` binary (issue 8, "bad-input corpus"): every malformed instance
//! file of `tests/bad_inputs/` goes through every command that reads an instance (`inspect`,
//! `check`, `forward`, in exact and `f64` arithmetic), and every bad command line through its
//! command. Each must exit with code 2, name on standard error the field, layer or value that
//! is wrong (the words listed below, per file), never panic, and print nothing on standard
//! output, so that no verdict is ever claimed for a bad input.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Every corpus file and the words its error message must contain. Each file is the valid
/// instance [`BASE_INSTANCE`] broken in one place (or not JSON at all).
#[rustfmt::skip]
const CORPUS: &[(&str, &[&str])] = &[
    // Not JSON, or not an object.
    ("json-truncated.json", &["line", "EOF"]),
    ("json-trailing-comma.json", &["line", "trailing comma"]),
    ("json-single-quotes.json", &["line", "key must be a string"]),
    ("json-nan-literal.json", &["line", "`NaN`"]),
    ("json-infinity-literal.json", &["line", "`-Infinity`"]),
    ("json-comment.json", &["line 1", "`//`"]),
    ("json-two-documents.json", &["trailing characters"]),
    ("empty.json", &["empty"]),
    ("whitespace-only.json", &["empty"]),
    ("not-an-object.json", &["an instance", "array"]),
    ("top-level-string.json", &["an instance", "string"]),
    ("deeply-nested.json", &["nested too deeply"]),
    ("not-utf8.json", &["not-utf8.json", "UTF-8"]),
    // Fields: unknown, missing, of the wrong kind.
    ("unknown-format-version.json", &["format", "mlcsc-instance-9"]),
    ("format-missing.json", &["format", "missing"]),
    ("format-not-a-string.json", &["format", "string"]),
    ("unknown-field.json", &["signal-lenght", "unknown field"]),
    ("unknown-layer-field.json", &["layers[1]", "treshold", "layer 2", "unknown field"]),
    ("unknown-entry-field.json", &["deepest-representation[0]", "chanel", "unknown field"]),
    ("missing-threshold.json", &["layers[1]", "layer 2", "threshold", "missing"]),
    ("missing-signal-length.json", &["signal-length", "missing"]),
    ("missing-entry-value.json", &["noise[0]", "value", "missing"]),
    ("unknown-thresholding.json", &["thresholding", "relu"]),
    ("thresholding-not-a-string.json", &["thresholding", "string"]),
    ("name-not-a-string.json", &["name", "string"]),
    ("layers-empty.json", &["layers", "at least one"]),
    ("layers-not-an-array.json", &["layers", "array", "object"]),
    ("layer-not-an-object.json", &["layers[1]", "layer 2", "layer two"]),
    ("noise-not-an-array.json", &["noise", "array"]),
    ("entry-not-an-object.json", &["deepest-representation[0]", "object"]),
    ("layer-an-array-of-its-fields.json", &["layers[1]", "layer 2", "object", "array"]),
    ("padding-an-array.json", &["layers[0].padding", "layer 1", "object", "array"]),
    ("padding-unknown-key.json", &["layers[1].padding.lft", "layer 2", "unknown field"]),
    // Shapes of the filters.
    ("filters-too-shallow.json", &["layers[0].filters[0][0]", "layer 1", "3/5"]),
    ("filters-a-string.json", &["layers[1].filters", "layer 2", "identity"]),
    ("ragged-taps.json", &["layer 1", "filter 1", "taps", "expected 2"]),
    ("ragged-channels.json", &["layer 2", "filter 1", "channels", "expected 2"]),
    ("channels-disagree-between-layers.json", &["layer 2", "input channels", "expected 2", "3"]),
    ("non-unit-filter.json", &["layer 1", "filter 0", "squared norm is", "not 1"]),
    ("non-unit-filter-second-layer.json", &["layer 2", "filter 1", "squared norm"]),
    ("no-filters.json", &["layer 1", "no filters"]),
    ("filter-without-taps.json", &["layer 1", "no taps"]),
    ("tap-without-channels.json", &["layer 1", "no channels"]),
    // Sizes.
    ("signal-too-short.json", &["layer 1", "signal-length 2", "2n - 1 = 3"]),
    ("signal-length-zero.json", &["signal-length", "0"]),
    ("signal-length-huge.json", &["signal-length", "1000000000000"]),
    ("signal-length-astronomical.json", &["signal-length", "too large"]),
    ("signal-length-negative.json", &["signal-length", "-8"]),
    ("signal-length-fraction.json", &["signal-length", "17/2"]),
    ("signal-length-null.json", &["signal-length", "null"]),
    ("signal-times-channels-too-large.json", &["signal-length", "16777216", "limit"]),
    ("input-channels-zero.json", &["input-channels", "0"]),
    // Numbers.
    ("threshold-nan-string.json", &["layers[1].threshold", "layer 2", "NaN"]),
    ("threshold-negative.json", &["layers[1].threshold", "layer 2", "-1/10", "negative"]),
    ("threshold-boolean.json", &["layers[1].threshold", "true"]),
    ("threshold-garbage.json", &["layers[1].threshold", "1.2.3"]),
    ("value-zero-denominator.json", &["deepest-representation[0].value", "1/0", "zero denominator"]),
    ("value-huge-exponent.json", &["deepest-representation[0].value", "exponent", "999999"]),
    ("value-exponent-beyond-i64.json", &["deepest-representation[0].value", "exponent", "-9223372036854775808"]),
    ("value-number-text-too-long.json", &["deepest-representation[0].value", "4096"]),
    ("value-empty-string.json", &["deepest-representation[0].value", "empty"]),
    ("filter-entry-null.json", &["layers[0].filters[0][0][0]", "layer 1", "null"]),
    ("filter-entry-infinite.json", &["layers[0].filters[1][1][0]", "layer 1", "-inf"]),
    // Sparse entries.
    ("position-out-of-range.json", &["deepest-representation[0].position", "8", "out of range"]),
    ("position-negative.json", &["deepest-representation[0].position", "-1"]),
    ("position-fraction.json", &["deepest-representation[0].position", "3/2"]),
    ("channel-out-of-range.json", &["deepest-representation[0].channel", "2", "out of range"]),
    ("noise-channel-out-of-range.json", &["noise[0].channel", "1", "out of range"]),
    ("duplicate-entry.json", &["deepest-representation[1]", "position 1, channel 0"]),
    ("duplicate-key.json", &["duplicate field", "signal-length"]),
    ("noise-budget-negative.json", &["noise-budget", "negative"]),
    ("last-patch-width-too-large.json", &["last-patch-width", "9", "signal-length 8"]),
    ("last-patch-width-zero.json", &["last-patch-width", "0"]),
];

/// The instance every corpus file breaks: two layers, `N = 8`, one atom, a little noise.
const BASE_INSTANCE: &str = r#"{
  "format": "mlcsc-instance-1",
  "name": "bad-input-base",
  "source": "tests/bad_inputs: a valid two-layer instance that each file breaks in one place",
  "signal-length": 8,
  "input-channels": 1,
  "thresholding": "soft",
  "layers": [
    { "filters": [[["3/5"], ["4/5"]], [["4/5"], ["-3/5"]]], "threshold": "1/10" },
    { "filters": [[["1", "0"]], [["0", "1"]]], "threshold": "1/10" }
  ],
  "deepest-representation": [{ "position": 1, "channel": 0, "value": "1" }],
  "noise": [{ "position": 2, "channel": 0, "value": "1/100" }],
  "noise-budget": null,
  "last-patch-width": 1
}
"#;

/// Every way an instance file is read by the command line.
const READERS: &[&[&str]] = &[
    &["inspect"],
    &["inspect", "--json", "--arithmetic", "f64"],
    &["check"],
    &["check", "--json", "--arithmetic", "f64"],
    &["check", "--theorem", "theorem2-without-contrast-term"],
    &["forward"],
    &[
        "forward",
        "--json",
        "--arithmetic",
        "f64",
        "--pursuit",
        "cnn",
    ],
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs")
}

/// A fresh, empty folder for one test under Cargo's scratch space.
fn scratch(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("bad_inputs")
        .join(name);
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).expect("scratch folder");
    path
}

fn run(args: &[&str], directory: &Path) -> Output {
    crate::common::cli::command()
        .args(args)
        .current_dir(directory)
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .expect("the binary runs")
}

/// Exit code 2, every word on standard error, no panic, nothing on standard output.
fn assert_rejected(what: &str, output: &Output, words: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stderr.contains("panicked"), "{what}: panicked:\n{stderr}");
    assert_eq!(
        output.status.code(),
        Some(2),
        "{what}: exit code\nstderr: {stderr}\nstdout: {stdout}"
    );
    assert!(
        stdout.trim().is_empty(),
        "{what}: printed on standard output:\n{stdout}"
    );
    for word in words {
        assert!(
            stderr.contains(word),
            "{what}: the message does not contain {word:?}:\n{stderr}"
        );
    }
}

#[test]
fn every_corpus_file_is_listed_with_the_words_of_its_message() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(corpus())
        .expect("corpus folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let listed: BTreeSet<String> = CORPUS.iter().map(|(name, _)| name.to_string()).collect();
    assert_eq!(
        on_disk, listed,
        "files of tests/bad_inputs/ and the CORPUS table differ"
    );
    assert!(
        CORPUS.len() >= 30,
        "the corpus has {} files, fewer than 30",
        CORPUS.len()
    );
    assert!(CORPUS.iter().all(|(_, words)| !words.is_empty()));
    eprintln!("bad-input corpus: {} files", CORPUS.len());
}

#[test]
fn the_unbroken_base_instance_is_accepted_by_every_reader() {
    let folder = scratch("base");
    std::fs::write(folder.join("base.json"), BASE_INSTANCE).expect("write");
    for reader in READERS {
        let args: Vec<&str> = reader.iter().copied().chain(["base.json"]).collect();
        let output = run(&args, &folder);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.code() == Some(0) || output.status.code() == Some(1),
            "{args:?}: {stderr}"
        );
        assert!(!output.stdout.is_empty(), "{args:?} printed nothing");
    }
    let verdict = run(&["check", "base.json"], &folder);
    let stdout = String::from_utf8_lossy(&verdict.stdout);
    assert!(
        stdout.starts_with("theorem2-soft: ") && stdout.contains("(certified, exact)"),
        "{stdout}"
    );
}

#[test]
fn every_malformed_instance_is_rejected_by_every_command_that_reads_it() {
    let folder = corpus();
    let mut runs = 0;
    for (name, words) in CORPUS {
        for reader in READERS {
            let args: Vec<&str> = reader.iter().copied().chain([*name]).collect();
            assert_rejected(&format!("{args:?}"), &run(&args, &folder), words);
            runs += 1;
        }
    }
    eprintln!("bad-input corpus: {runs} runs, every one exit code 2 with the field named");
}

#[test]
fn a_missing_file_a_folder_and_an_endless_device_are_rejected_by_name() {
    let folder = scratch("not-files");
    std::fs::create_dir_all(folder.join("a-folder.json")).expect("folder");
    let mut cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "no-such-instance.json",
            vec!["no-such-instance.json", "No such file"],
        ),
        ("a-folder.json", vec!["a-folder.json", "directory"]),
    ];
    if Path::new("/dev/zero").exists() {
        cases.push(("/dev/zero", vec!["/dev/zero", "larger than"]));
    }
    for (path, words) in cases {
        for reader in READERS {
            let args: Vec<&str> = reader.iter().copied().chain([path]).collect();
            assert_rejected(&format!("{args:?}"), &run(&args, &folder), &words);
        }
    }
}

/// Bad command lines: `{base}` is a valid instance, `{folder}` a non-empty folder, `{file}` an
/// existing file that must survive untouched.
#[rustfmt::skip]
const COMMAND_LINES: &[(&[&str], &[&str])] = &[
    (&["campaign", "no-such-conjecture"], &["no-such-conjecture", "not registered"]),
    (&["campaign", "theorem2-sotf"], &["theorem2-sotf", "not registered", "did you mean \"theorem2-soft\"?"]),
    (&["generate", "welch-bond"], &["welch-bond", "did you mean \"welch-bound\"?"]),
    (&["search", "theorem2-hrad", "--margin", "tightness"], &["theorem2-hrad", "did you mean \"theorem2-hard\"?"]),
    (&["campaign", "theorem2-soft", "--shard", "3/2"], &["--shard", "3/2", "1 ≤ I ≤ N"]),
    (&["campaign", "theorem2-soft", "--shard", "0/4"], &["--shard", "0/4", "count from 1", "1/4"]),
    (&["campaign", "theorem2-soft", "--shard", "0/0"], &["--shard", "0/0"]),
    (&["campaign", "theorem2-soft", "--cases", "0"], &["--cases 0", "at least one case"]),
    (&["campaign", "theorem2-soft", "--cases", "1000000000000000000", "--shard", "1/10"], &["--cases", "--shard", "10000000"]),
    (&["campaign", "theorem2-soft", "--cases", "4", "--counterexamples", "{file}"], &["--counterexamples", "{file}", "not a folder"]),
    (&["campaign", "theorem2-soft", "--cases", "4", "--report", "r.json", "--checkpoint", "r.json"], &["--report", "--checkpoint", "same file"]),
    (&["merge", "{base}", "--report", "{file}"], &["{file}", "exists", "--overwrite"]),
    (&["bench", "--workload", "forward-large", "--n", "1000000000000"], &["--n 1000000000000", "limit", "134217728"]),
    (&["bench", "--workload", "forward-large", "--channels", "1000000000", "--depth", "12"], &["limit"]),
    (&["bench", "--workload", "forward-large", "--depth", "64"], &["--depth 64", "1 to 12"]),
    (&["bench", "--workload", "forward-large", "--n", "100000", "--arithmetic", "rational"], &["1048576", "exact"]),
    (&["bench", "--workload", "campaign-small", "--cases", "18446744073709551615"], &["--cases", "100000"]),
    (&["bench", "--workload", "campaign-exact", "--cases", "0"], &["--cases 0"]),
    (&["bench", "--workload", "forward-image", "--arithmetic", "rational"], &["--arithmetic rational", "forward-image f64 or f32"]),
    (&["bench", "--repeat", "1000000"], &["--repeat"]),
    (&["phase", "theorem2-noise-contrast", "--largest-noise", "1e309"], &["--largest-noise", "1e309", "f64"]),
    (&["phase", "theorem2-sparsity-contrast", "--out", "{file}"], &["--out", "{file}", "not a folder"]),
    (&["phase", "theorem2-sparsity-contrast", "--out", "{folder}"], &["--out", "{folder}", "not an empty folder"]),
    (&["head-to-head", "--out", "{file}"], &["--out", "{file}", "not a folder"]),
    (&["head-to-head", "--out", "{folder}"], &["--out", "{folder}", "not an empty folder"]),
    (&["search", "theorem2-soft", "--save", "{file}"], &["--save", "{file}", "exists"]),
    (&["campaign", "theorem2-soft", "--shard", "one/two"], &["--shard", "one/two"]),
    (&["campaign", "theorem2-soft", "--shard", "1"], &["--shard", "I/N"]),
    (&["campaign", "theorem2-soft", "--cases", "abc"], &["--cases", "abc"]),
    (&["campaign", "theorem2-soft", "--cases", "-5"], &["-5"]),
    (&["campaign", "theorem2-soft", "--cases", "18446744073709551615"], &["--cases", "--shard"]),
    (&["campaign", "theorem2-soft", "--seed", "1.5"], &["--seed", "1.5"]),
    (&["campaign", "theorem2-soft", "--arithmetic", "quad"], &["--arithmetic", "quad"]),
    (&["campaign", "theorem2-soft", "--cases", "4", "--report", "{file}"], &["{file}", "exists", "--overwrite"]),
    (&["campaign", "theorem2-soft", "--cases", "4", "--checkpoint", "{base}"], &["{base}", "not a checkpoint"]),
    (&["campaign", "theorem2-soft", "--cases", "4", "--checkpoint", "{folder}"], &["{folder}", "directory"]),
    (&["check", "{base}", "--theorem", "no-such-theorem"], &["no-such-theorem", "not registered"]),
    (&["check", "{base}", "--theorem", "dcp-uniquness"], &["dcp-uniquness", "did you mean \"dcp-uniqueness\"?"]),
    (&["check", "{base}", "--arithmetic", "quad"], &["--arithmetic", "quad"]),
    (&["forward", "{base}", "--pursuit", "lasso"], &["--pursuit", "lasso"]),
    (&["check"], &["<FILE>"]),
    (&["inspect", "{base}", "extra"], &["unexpected argument", "extra"]),
    (&["frobnicate"], &["frobnicate"]),
    (&["verify", "--scale", "0"], &["--scale", "(0, 1000]"]),
    (&["verify", "--scale", "NaN"], &["--scale", "NaN"]),
    (&["verify", "--scale", "1e9"], &["--scale"]),
    (&["verify", "--report", "{folder}"], &["{folder}", "not an empty folder"]),
    (&["verify", "--report", "{file}"], &["{file}", "not a folder"]),
    (&["merge", "no-such-report.json", "--report", "merged.json"], &["no-such-report.json"]),
    (&["merge", "{base}", "--report", "merged.json"], &["{base}", "not a campaign report"]),
    (&["merge", "--report", "merged.json"], &["<REPORTS>"]),
    (&["merge", "{folder}", "--report", "merged.json"], &["{folder}", "not a regular file"]),
    (&["campaign", "theorem2-soft", "--cases", "4", "--report", "{folder}"], &["{folder}", "exists"]),
    (&["list", "--bogus"], &["--bogus"]),
];

#[test]
fn every_bad_command_line_is_rejected_with_its_reason() {
    let folder = scratch("command-lines");
    let base = folder.join("base.json");
    let kept = folder.join("kept.json");
    let occupied = folder.join("occupied");
    std::fs::write(&base, BASE_INSTANCE).expect("write");
    std::fs::write(&kept, "a file the user wrote\n").expect("write");
    std::fs::create_dir_all(&occupied).expect("folder");
    std::fs::write(occupied.join("notes.txt"), "keep me\n").expect("write");
    let names = [
        ("{base}", base.display().to_string()),
        ("{file}", kept.display().to_string()),
        ("{folder}", occupied.display().to_string()),
    ];
    let substitute = |text: &str| {
        names.iter().fold(text.to_string(), |text, (key, value)| {
            text.replace(key, value)
        })
    };
    for (args, words) in COMMAND_LINES {
        let args: Vec<String> = args.iter().map(|a| substitute(a)).collect();
        let words: Vec<String> = words.iter().map(|w| substitute(w)).collect();
        let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
        let words_ref: Vec<&str> = words.iter().map(String::as_str).collect();
        assert_rejected(&format!("{args:?}"), &run(&args_ref, &folder), &words_ref);
    }
    assert_eq!(
        std::fs::read_to_string(&base).expect("base"),
        BASE_INSTANCE,
        "the instance was changed"
    );
    assert_eq!(
        std::fs::read_to_string(&kept).expect("kept"),
        "a file the user wrote\n"
    );
    assert_eq!(
        std::fs::read_dir(&occupied).expect("folder").count(),
        1,
        "the folder was changed"
    );
    assert!(
        !folder.join("merged.json").exists(),
        "a failed merge wrote its report"
    );
    eprintln!("bad command lines: {} rejected", COMMAND_LINES.len());
}

#[test]
fn outputs_on_a_device_are_refused_before_the_work_and_no_message_names_a_missing_flag() {
    let folder = scratch("devices");
    let kept = folder.join("kept.json");
    std::fs::write(&kept, "a file the user wrote\n").expect("write");
    let kept = kept.display().to_string();
    let refused = run(&["search", "theorem2-soft", "--save", &kept], &folder);
    assert_rejected(
        "search --save an existing file",
        &refused,
        &["--save", "exists"],
    );
    assert!(
        !String::from_utf8_lossy(&refused.stderr).contains("--overwrite"),
        "search has no --overwrite"
    );
    if !Path::new("/dev/null").exists() {
        return;
    }
    for args in [
        &["phase", "theorem2-sparsity-contrast", "--out", "/dev/null"][..],
        &["head-to-head", "--out", "/dev/null"],
        &["search", "theorem2-soft", "--save", "/dev/null"],
        &[
            "campaign",
            "theorem2-soft",
            "--report",
            "/dev/null",
            "--overwrite",
        ],
        &["campaign", "theorem2-soft", "--checkpoint", "/dev/null"],
    ] {
        assert_rejected(&format!("{args:?}"), &run(args, &folder), &["/dev/null"]);
    }
    assert_eq!(
        std::fs::read_dir(&folder).expect("folder").count(),
        1,
        "a refused command wrote a file"
    );
}
