//! Fuzzing of the instance and `.npy` loaders (issue 8): arbitrary bytes, byte edits of valid fixtures and
//! structured JSON mutations of valid fixtures (deleted, duplicated and replaced values, swapped
//! types, numbers moved to extremes) go through `InstanceFile::parse`, `to_exact` and `to_f64`,
//! and whatever validates through the computations of `inspect` and `check` (Theorem 2, exact
//! and `f64`). Nothing may panic; every validated instance gets a verdict, exact ones a certified
//! verdict that is never `violated` (Theorem 2 is a theorem) and a file form that reads back
//! equal; and an instance valid exactly is valid in `f64` unless a number is outside `f64`.
//! The `.npy` reader gets byte edits and header rewrites of valid filter banks (`<f4`, `<f8`,
//! `>f8`, C and Fortran order): every accepted bank has `out · in · kernel` finite weights.
//!
//! The default case counts keep this file to a few seconds. A long run, of 10^6 inputs per
//! property (3 · 10^6 in all):
//!
//! ```sh
//! PROPTEST_CASES=1000000 cargo test --release --test fuzz_loaders -- --nocapture
//! ```
//!
//! (`--test-threads 2` runs two properties at once.) Each property prints how many inputs it
//! ran and how many validated.

use crate::common;

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use mlcsc::inspect::inspect_instance;
use mlcsc::io::ToInstanceFile;
use mlcsc::io::npy::parse_filter_bank;
use mlcsc::io::number::{parse_rational, rational_to_text};
use mlcsc::io::{Instance, InstanceFile};
use mlcsc::theorems::theorem2::check_theorem2;
use mlcsc::{Rational, Scalar};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Value};

/// Validated instances larger than this (`N · (m_0 + … + m_K)`) are not run through the
/// computations, only validated, so that a mutated `signal_length` cannot stall the fuzzer.
const COMPUTATION_BUDGET: usize = 4096;

/// Every fixture instance, as text: the seeds of the mutations.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut texts = Vec::new();
        for folder in ["theorem2", "instances", "counterexamples", "uniqueness"] {
            let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.map(|e| e.expect("entry").path()).collect();
            paths.sort();
            for path in paths
                .into_iter()
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
            {
                let text = std::fs::read_to_string(&path).expect("fixture");
                if InstanceFile::parse(&text).is_ok_and(|f| f.to_exact().is_ok()) {
                    texts.push(text);
                }
            }
        }
        assert!(
            texts.len() >= 5,
            "too few valid fixtures to mutate: {}",
            texts.len()
        );
        texts
    })
}

/// Counts of one property: inputs, parsed, valid exactly, valid in `f64`, computed.
#[derive(Default)]
struct Tally {
    inputs: AtomicUsize,
    parsed: AtomicUsize,
    exact: AtomicUsize,
    float: AtomicUsize,
    computed: AtomicUsize,
}

impl Tally {
    fn report(&self, what: &str) {
        let get = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        eprintln!(
            "{what}: {} inputs, {} parsed, {} valid exactly, {} valid in f64, {} through inspect and check",
            get(&self.inputs),
            get(&self.parsed),
            get(&self.exact),
            get(&self.float),
            get(&self.computed)
        );
    }
}

fn entries<S: Scalar>(instance: &Instance<S>) -> usize {
    let model = &instance.model;
    let channels: usize = (0..=model.depth()).map(|i| model.channels(i)).sum();
    model.signal_length() * channels
}

/// The verdict and the inspection of a validated instance (no panic is the main claim).
fn compute<S: mlcsc::integer_view::IntegerView>(
    instance: &Instance<S>,
) -> Result<(), TestCaseError> {
    let inspected = inspect_instance(instance);
    prop_assert_eq!(inspected.layers.len(), instance.model.depth());
    let report = check_theorem2(instance);
    prop_assert_eq!(report.certified, S::EXACT);
    prop_assert!(["holds", "vacuous", "violated", "undecided"].contains(&report.verdict.name()));
    if S::EXACT {
        prop_assert!(
            !report.verdict.is_violated(),
            "Theorem 2 violated exactly on a fuzzed instance: {:?}",
            report.verdict
        );
    }
    Ok(())
}

/// The whole loader pipeline on one text.
fn exercise(text: &str, tally: &Tally) -> Result<(), TestCaseError> {
    tally.inputs.fetch_add(1, Ordering::Relaxed);
    let Ok(file) = InstanceFile::parse(text) else {
        return Ok(());
    };
    tally.parsed.fetch_add(1, Ordering::Relaxed);
    let exact = file.to_exact();
    let float = file.to_f64();
    if let Ok(exact) = &exact {
        tally.exact.fetch_add(1, Ordering::Relaxed);
        if let Err(error) = &float {
            let message = error.to_string();
            prop_assert!(
                message.contains("f64"),
                "valid exactly but not in f64: {message}"
            );
        }
        let written = serde_json::to_string(&exact.to_file()).expect("serialises");
        let again = InstanceFile::parse(&written).and_then(|f| f.to_exact());
        prop_assert_eq!(
            again.as_ref(),
            Ok(exact),
            "the file form does not read back equal"
        );
        if entries(exact) <= COMPUTATION_BUDGET {
            compute(exact)?;
            compute(&exact.to_f64())?;
            tally.computed.fetch_add(1, Ordering::Relaxed);
        }
    }
    if let Ok(float) = &float {
        tally.float.fetch_add(1, Ordering::Relaxed);
        if entries(float) <= COMPUTATION_BUDGET {
            compute(float)?;
        }
    }
    Ok(())
}

/// Extreme and awkward replacement values: JSON numbers (kept as written) and strings.
const EXTREMES: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "2",
    "3",
    "7",
    "16",
    "0.5",
    "1e308",
    "1e-308",
    "1e309",
    "4.9e-324",
    "1e-400",
    "1e4096",
    "1e-4096",
    "1e4097",
    "18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "16777216",
    "16777217",
    "1099511627776",
    "1e12",
    "100000000000000000000000000000",
];

const EXTREME_STRINGS: &[&str] = &[
    "1/3",
    "-1/3",
    "1/0",
    "0/0",
    "NaN",
    "-inf",
    "Infinity",
    "3/5",
    "4/5",
    "-3/5",
    "1e-200",
    "1e-9223372036854775808",
    "1e99999999999999999999",
    "",
    " ",
    "abc",
    "1.2.3",
    "--1",
    "soft",
    "nonnegative",
    "hard",
    "relu",
    "mlcsc-instance-1",
    "mlcsc-instance-2",
    "100000000000000000001/100000000000000000000",
];

/// A JSON value from a JSON text known to parse.
fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

/// One step of a path into a JSON document.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Step::Key(key.clone()));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (k, child) in items.iter().enumerate() {
                prefix.push(Step::Index(k));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(root: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(root, |value, step| match step {
        Step::Key(key) => &mut value[key.as_str()],
        Step::Index(k) => &mut value[*k],
    })
}

/// A number or a numeric string moved: scaled by a power of ten, negated, incremented.
fn moved_number(value: &Value, how: u64) -> Value {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return Value::from(how % 8),
    };
    let Ok(number) = parse_rational(&text) else {
        return Value::from(how % 8);
    };
    let ten = Rational::from_integer(10.into());
    let moved = match how % 6 {
        0 => -number,
        1 => number + Rational::from_integer(1.into()),
        2 => number * num_traits::pow(ten, 100),
        3 => number / num_traits::pow(ten, 100),
        4 => number * num_traits::pow(ten, 300),
        _ => number / num_traits::pow(ten, 300),
    };
    Value::String(rational_to_text(&moved))
}

/// A value of another JSON type holding the same content where it can.
fn swapped_type(value: &Value) -> Value {
    match value {
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => serde_json::from_str::<Value>(s)
            .ok()
            .filter(Value::is_number)
            .unwrap_or_else(|| Value::Array(vec![Value::String(s.clone())])),
        Value::Array(items) => Value::Object(
            items
                .iter()
                .enumerate()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<Map<_, _>>(),
        ),
        Value::Object(map) => Value::Array(map.values().cloned().collect()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Null => Value::Bool(false),
    }
}

/// Applies one mutation `(where, kind, payload)` to a document.
fn mutate(document: &mut Value, (selector, kind, payload): (u64, u8, u64)) {
    let mut all = Vec::new();
    paths(document, &mut Vec::new(), &mut all);
    let path = all[(selector % all.len() as u64) as usize].clone();
    let (parent_path, last) = match path.split_last() {
        Some((last, parent)) => (parent.to_vec(), Some(last.clone())),
        None => (Vec::new(), None),
    };
    match kind {
        // Delete the node from its parent.
        0 => match (node(document, &parent_path), last) {
            (Value::Object(map), Some(Step::Key(key))) => {
                map.shift_remove(&key);
            }
            (Value::Array(items), Some(Step::Index(k))) => {
                items.remove(k);
            }
            _ => {}
        },
        // Duplicate it: next to itself in an array, or onto a sibling key of an object.
        1 => {
            let copy = node(document, &path).clone();
            match (node(document, &parent_path), last) {
                (Value::Array(items), Some(Step::Index(k))) => items.insert(k, copy),
                (Value::Object(map), Some(Step::Key(_))) => {
                    let keys: Vec<String> = map.keys().cloned().collect();
                    map.insert(keys[(payload % keys.len() as u64) as usize].clone(), copy);
                }
                _ => {}
            }
        }
        // Replace it with an extreme number or string.
        2 => *node(document, &path) = json(EXTREMES[(payload % EXTREMES.len() as u64) as usize]),
        3 => {
            *node(document, &path) = Value::String(
                EXTREME_STRINGS[(payload % EXTREME_STRINGS.len() as u64) as usize].into(),
            )
        }
        // Swap its type.
        4 => {
            let target = node(document, &path);
            *target = swapped_type(target);
        }
        // Move a number.
        5 => {
            let target = node(document, &path);
            *target = moved_number(target, payload);
        }
        // A small whole number (sizes, positions and channels stay plausible).
        6 => *node(document, &path) = Value::from(payload % 12),
        // Null, an empty array, an empty object, a nested array.
        _ => {
            let target = node(document, &path);
            *target = match payload % 4 {
                0 => Value::Null,
                1 => Value::Array(Vec::new()),
                2 => Value::Object(Map::new()),
                _ => Value::Array(vec![target.clone()]),
            };
        }
    }
}

/// One edit at position `at` (taken modulo the length): insert `byte` (kind 0), remove a byte
/// (1), replace one by `byte` (2), or cut the rest off (3 and above).
fn edit_bytes(bytes: &mut Vec<u8>, at: u64, kind: u8, byte: u8) {
    let k = (at % (bytes.len() as u64 + 1)) as usize;
    match kind {
        0 => bytes.insert(k, byte),
        1 if k < bytes.len() => {
            bytes.remove(k);
        }
        2 if k < bytes.len() => bytes[k] = byte,
        1 | 2 => {}
        _ => bytes.truncate(k),
    }
}

fn config(cases: u32) -> proptest::test_runner::Config {
    common::config(cases, "proptest-regressions/fuzz_loaders.txt")
}

#[test]
fn arbitrary_bytes_never_panic_the_loader() {
    let tally = Tally::default();
    common::check(
        "arbitrary bytes through the loader",
        config(3000),
        proptest::collection::vec(any::<u8>(), 0..400),
        |bytes| exercise(&String::from_utf8_lossy(&bytes), &tally),
    );
    tally.report("arbitrary bytes");
}

#[test]
fn byte_edits_of_valid_fixtures_never_panic_the_loader() {
    let tally = Tally::default();
    let edits = proptest::collection::vec((any::<u64>(), 0u8..3, any::<u8>()), 1..6);
    common::check(
        "byte edits of fixtures through the loader",
        config(1500),
        (any::<usize>(), edits),
        |(seed, edits)| {
            let mut bytes = seeds()[seed % seeds().len()].clone().into_bytes();
            for (at, kind, byte) in edits {
                edit_bytes(&mut bytes, at, kind, byte);
            }
            exercise(&String::from_utf8_lossy(&bytes), &tally)
        },
    );
    tally.report("byte edits of fixtures");
}

#[test]
fn json_mutations_of_valid_fixtures_never_panic_and_validated_ones_get_a_verdict() {
    let tally = Tally::default();
    let mutations = proptest::collection::vec((any::<u64>(), 0u8..8, any::<u64>()), 1..5);
    common::check(
        "JSON mutations of fixtures through the loader and the checks",
        config(2000),
        (any::<usize>(), mutations, any::<bool>()),
        |(seed, mutations, pretty)| {
            let mut document = json(&seeds()[seed % seeds().len()]);
            for mutation in mutations {
                mutate(&mut document, mutation);
            }
            let text = if pretty {
                serde_json::to_string_pretty(&document)
            } else {
                serde_json::to_string(&document)
            }
            .expect("serialises");
            exercise(&text, &tally)
        },
    );
    tally.report("JSON mutations of fixtures");
    let computed = tally.computed.load(Ordering::Relaxed);
    let inputs = tally.inputs.load(Ordering::Relaxed);
    assert!(
        computed * 20 >= inputs,
        "only {computed} of {inputs} mutants validated and were checked"
    );
}

#[test]
fn number_texts_never_panic_and_read_back_exactly() {
    let numbers = prop_oneof![
        "\\PC{0,24}",
        "[+-]?[0-9]{0,30}(\\.[0-9]{0,30})?([eE][+-]?[0-9]{1,25})?",
        "[+-]?[0-9]{1,40}/[+-]?[0-9]{1,40}",
    ];
    let accepted = AtomicUsize::new(0);
    common::check("number texts", config(3000), numbers, |text| {
        if let Ok(value) = parse_rational(&text) {
            accepted.fetch_add(1, Ordering::Relaxed);
            prop_assert_eq!(parse_rational(&rational_to_text(&value)), Ok(value));
        }
        Ok(())
    });
    eprintln!(
        "number texts: {} accepted and read back exactly",
        accepted.load(Ordering::Relaxed)
    );
}

/// Valid filter banks: every dtype the reader takes, both orders, shapes of up to 3 axes of 3.
fn npy_seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = Vec::new();
        for (shape, fortran) in [([1u64, 1, 1], false), ([2, 1, 3], false), ([3, 2, 2], true)] {
            let count = shape.iter().product::<u64>() as usize;
            let values: Vec<f64> = (0..count).map(|k| (k as f64 + 1.0) / 4.0).collect();
            let order = if fortran { "True" } else { "False" };
            let shape_text = format!("({}, {}, {})", shape[0], shape[1], shape[2]);
            for descr in ["<f4", "<f8", ">f8"] {
                let data: Vec<u8> = match descr {
                    "<f4" => values
                        .iter()
                        .flat_map(|v| (*v as f32).to_le_bytes())
                        .collect(),
                    "<f8" => values.iter().flat_map(|v| v.to_le_bytes()).collect(),
                    _ => values.iter().flat_map(|v| v.to_be_bytes()).collect(),
                };
                let dictionary = format!(
                    "{{'descr': '{descr}', 'fortran_order': {order}, 'shape': {shape_text}, }}"
                );
                seeds.push(common::npy_bytes(&dictionary, &data));
            }
        }
        seeds
    })
}

/// Header fragments a rewrite may put in place of the dtype, the order or the shape.
const NPY_HEADER_PIECES: [&str; 16] = [
    "'<f4'",
    "'<i8'",
    "'|b1'",
    "'<c16'",
    "[('a', '<f8')]",
    "True",
    "None",
    "()",
    "(0, 1, 1)",
    "(1, 1)",
    "(99999999999, 99999999999, 9)",
    "(18446744073709551615, 2, 2)",
    "(-1, 2, 2)",
    "(2, 2, 2, 2)",
    "(1,1,1",
    "'",
];

/// The reader on one byte string: a bank or an error, and an accepted bank is whole.
fn exercise_npy(bytes: &[u8], accepted: &AtomicUsize) -> Result<(), TestCaseError> {
    if let Ok(bank) = parse_filter_bank(bytes, std::path::Path::new("fuzzed.npy")) {
        accepted.fetch_add(1, Ordering::Relaxed);
        let count = bank.filter_count() * bank.input_channels() * bank.filter_length();
        prop_assert!(count > 0);
        prop_assert_eq!(bank.weights.len(), count);
        prop_assert!(bank.weights.iter().all(|w| w.is_finite()));
    }
    Ok(())
}

#[test]
fn npy_byte_edits_and_header_rewrites_never_panic_the_filter_bank_reader() {
    let accepted = AtomicUsize::new(0);
    let edits = proptest::collection::vec((any::<u64>(), 0u8..5, any::<u8>()), 0..6);
    common::check(
        "byte edits and header rewrites of .npy filter banks",
        config(3000),
        (any::<usize>(), edits),
        |(seed, edits)| {
            let mut bytes = npy_seeds()[seed % npy_seeds().len()].clone();
            for (at, kind, byte) in edits {
                match kind {
                    // Replace a span of the header (from byte 10) by a meaningful fragment.
                    3 => {
                        let piece = NPY_HEADER_PIECES[byte as usize % NPY_HEADER_PIECES.len()];
                        let header_end = bytes.len().min(128);
                        let start = 10 + (at as usize % header_end.saturating_sub(10).max(1));
                        let end = (start + (byte as usize % 12)).min(bytes.len());
                        if start <= end {
                            bytes.splice(start..end, piece.bytes());
                        }
                    }
                    _ => edit_bytes(&mut bytes, at, kind, byte),
                }
            }
            exercise_npy(&bytes, &accepted)
        },
    );
    let accepted = accepted.load(Ordering::Relaxed);
    eprintln!("byte edits of .npy filter banks: {accepted} accepted");
    // Edits lists may be empty, so the unedited seeds must be read.
    assert!(accepted > 0, "no fuzzed .npy bank was ever accepted");
}

#[test]
fn arbitrary_bytes_after_the_npy_magic_never_panic_the_filter_bank_reader() {
    let accepted = AtomicUsize::new(0);
    common::check(
        "arbitrary bytes after the .npy magic string",
        config(3000),
        (
            any::<bool>(),
            proptest::collection::vec(any::<u8>(), 0..300),
        ),
        |(magic, tail)| {
            let mut bytes = if magic {
                b"\x93NUMPY".to_vec()
            } else {
                Vec::new()
            };
            bytes.extend(tail);
            exercise_npy(&bytes, &accepted)
        },
    );
}
