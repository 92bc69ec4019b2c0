//! Shared helpers of the property tests: exact rationals from small integers, the proptest
//! configuration (a small default case count that `PROPTEST_CASES` overrides), and runners that
//! count how many cases met a property's hypotheses and fail below a floor.

#![allow(dead_code)]

pub mod cli;

use std::sync::atomic::{AtomicUsize, Ordering};

use mlcsc::generate::catalogue::catalogue;
use mlcsc::generate::random::{LayerShape, ModelShape};
use mlcsc::theorems::support_enumeration::Coverage;
use mlcsc::theorems::uniqueness::below_uniqueness_bound;
use mlcsc::{Layer, LayerVector, Rational};
use num_bigint::BigInt;
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// `numerator / denominator` as an exact rational.
pub fn r(numerator: i64, denominator: i64) -> Rational {
    Rational::new(BigInt::from(numerator), BigInt::from(denominator))
}

/// The dictionaries of [`catalogue`] at the signal lengths `lengths(n)` (for filter length
/// `n`), kept to at most `max_atoms` atoms `N · m`: the instances of the exhaustive checks.
pub fn tiny_dictionaries(
    lengths: impl Fn(usize) -> Vec<usize>,
    max_atoms: usize,
) -> Vec<(String, Layer<Rational>, usize)> {
    let mut out = Vec::new();
    for (name, layer) in catalogue() {
        for length in lengths(layer.filter_length()) {
            if length * layer.filter_count() <= max_atoms {
                out.push((name.to_string(), layer.clone(), length));
            }
        }
    }
    out
}

/// Prints the coverage of an exhaustive check.
pub fn report_coverage(what: &str, coverage: &Coverage) {
    println!(
        "{what}: {} instances, {} supports enumerated, largest support {}, up to {} atoms in dimension {}, {:.2?}",
        coverage.instances,
        coverage.supports_enumerated,
        coverage.largest_support,
        coverage.largest_atom_count,
        coverage.largest_signal_dimension,
        coverage.elapsed
    );
}

/// A `.npy` file (version 1.0): the magic string, the header dictionary padded with spaces and
/// a newline to a multiple of 64 bytes, and the data.
pub fn npy_bytes(dictionary: &str, data: &[u8]) -> Vec<u8> {
    let mut header = dictionary.to_string();
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(data);
    bytes
}

/// A proptest configuration: `default_cases` cases unless `PROPTEST_CASES` is set (which
/// [`Config::default`] reads), with failing seeds persisted to `regressions` (a path relative
/// to the package root, under `proptest-regressions/`).
pub fn config(default_cases: u32, regressions: &'static str) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(regressions)));
    config
}

/// Runs a property without hypotheses on `cases` generated values; panics with proptest's
/// minimal failing input if it fails.
pub fn check<S: Strategy>(
    claim: &str,
    config: Config,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases = config.cases;
    let mut runner = TestRunner::new(config);
    if let Err(failure) = runner.run(&strategy, test) {
        panic!("{claim}: {failure}");
    }
    eprintln!("{claim}: {cases} cases passed");
}

/// Runs a property with hypotheses: `test` returns `Ok(true)` when the case met the
/// hypotheses (and the conclusion was checked), `Ok(false)` when it did not. Prints the count
/// and fails unless at least `minimum_fraction` of the cases met the hypotheses.
pub fn check_with_hypotheses<S: Strategy>(
    claim: &str,
    config: Config,
    minimum_fraction: f64,
    strategy: S,
    test: impl Fn(S::Value) -> Result<bool, TestCaseError>,
) {
    run_counting(
        claim,
        "met the hypotheses",
        config,
        minimum_fraction,
        strategy,
        test,
    );
}

/// Runs a negative control: `test` returns `Ok(true)` when the case is a real counterexample
/// to the weakened or wrong claim. Prints the count and fails unless at least
/// `minimum_fraction` of the cases (and at least one) were counterexamples.
pub fn find_counterexamples<S: Strategy>(
    claim: &str,
    config: Config,
    minimum_fraction: f64,
    strategy: S,
    test: impl Fn(S::Value) -> Result<bool, TestCaseError>,
) {
    run_counting(
        claim,
        "were counterexamples",
        config,
        minimum_fraction,
        strategy,
        test,
    );
}

fn run_counting<S: Strategy>(
    claim: &str,
    counted: &str,
    config: Config,
    minimum_fraction: f64,
    strategy: S,
    test: impl Fn(S::Value) -> Result<bool, TestCaseError>,
) {
    let cases = config.cases;
    let met = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&strategy, |value| {
        if test(value)? {
            met.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{claim}: {failure}");
    }
    let met = met.into_inner();
    let floor = ((minimum_fraction * cases as f64).ceil() as usize).max(1);
    eprintln!("{claim}: {met} of {cases} cases {counted} (floor {floor})");
    assert!(
        met >= floor,
        "{claim}: only {met} of {cases} cases {counted}, below the floor {floor}"
    );
}

/// The layer with its filters in the given order: filter `j` of the result is filter
/// `order[j]` of `layer`.
pub fn permuted_filters(layer: &Layer<Rational>, order: &[usize]) -> Layer<Rational> {
    let filters = layer.nested_filters();
    let permuted = order.iter().map(|&j| filters[j].clone()).collect();
    Layer::new(1, permuted).expect("a permutation of unit filters is a valid layer")
}

/// The vector with its channels in the given order: channel `j` of the result is channel
/// `order[j]` of `v`.
pub fn permuted_channels(v: &LayerVector<Rational>, order: &[usize]) -> LayerVector<Rational> {
    let mut out = LayerVector::zeros(v.length(), order.len());
    for p in 0..v.length() {
        for (j, &source) in order.iter().enumerate() {
            out.set(p, j, v.get(p, source).clone());
        }
    }
    out
}

/// The vector with channel `channel` negated.
pub fn negated_channel(v: &LayerVector<Rational>, channel: usize) -> LayerVector<Rational> {
    let mut out = v.clone();
    for p in 0..v.length() {
        out.set(p, channel, -v.get(p, channel).clone());
    }
    out
}

/// The `.json` files of `fixtures/FOLDER`, sorted by name.
pub fn fixture_files(folder: &str) -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(folder);
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// A file's name without its extension.
pub fn stem(path: &std::path::Path) -> String {
    path.file_stem()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

/// The largest budget `λ ∈ {1, 2}` below the uniqueness bound `½(1 + 1/μ)`, or 0 (the tiny
/// exhaustive checks stop at 2).
pub fn largest_budget_below_bound(mu: &Rational) -> usize {
    (1..=2)
        .rev()
        .find(|&l| below_uniqueness_bound(l, mu))
        .unwrap_or(0)
}

/// A random model shape drawn in one fixed order (depth in `depths`; per layer the filter count
/// `m ∈ 1..=3`, then the length `n ∈ 1..=3`; the signal length from `2n_max − 1` to
/// `2n_max − 1 + extra`; the input channels `1..=2`), so that the tests drawing it keep their
/// streams.
pub fn random_model_shape(
    rng: &mut ChaCha8Rng,
    depths: std::ops::RangeInclusive<usize>,
    extra: usize,
) -> ModelShape {
    let depth = rng.random_range(depths);
    let layers: Vec<LayerShape> = (0..depth)
        .map(|_| {
            let filter_count = rng.random_range(1..=3);
            LayerShape::new(rng.random_range(1..=3), filter_count)
        })
        .collect();
    let longest = layers.iter().map(|l| l.filter_length).max().unwrap();
    let signal_length = rng.random_range(2 * longest - 1..=2 * longest - 1 + extra);
    let input_channels = rng.random_range(1..=2);
    ModelShape {
        signal_length,
        input_channels,
        layers,
    }
}

/// The registry's six Theorem 2 forms: the paper's three variants and the three negative
/// controls, each with the statement it checks.
pub fn theorem2_forms() -> Vec<mlcsc::conjecture::Theorem2Entry> {
    use mlcsc::conjecture::Theorem2Entry;
    use mlcsc::pursuit::Thresholding;
    vec![
        Theorem2Entry::paper(Thresholding::Soft),
        Theorem2Entry::paper(Thresholding::Nonnegative),
        Theorem2Entry::paper(Thresholding::Hard),
        Theorem2Entry::without_contrast_term(),
        Theorem2Entry::without_patch_sparsity_factor(),
        Theorem2Entry::threshold_outside_window(),
    ]
}
