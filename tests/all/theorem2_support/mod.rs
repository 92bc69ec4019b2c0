//! Shared driver of the Theorem 2 property tests: runs generated instances through the exact
//! verdict with proptest, counts how many met the hypotheses and what they covered, prints the
//! statistics, and fails below the stated floors.

#![allow(dead_code)]

use std::cell::RefCell;

use mlcsc::campaign::save_counterexample_once;
use mlcsc::conjecture::property::save_folder;
use mlcsc::conjecture::{Outcome, Theorem2Entry};
use mlcsc::io::Instance;
use mlcsc::io::ToInstanceFile;
use mlcsc::pursuit::Thresholding;
use mlcsc::scalar::Rational;
use mlcsc::theorems::verdict::Verdict;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestError, TestRunner};

/// The floors: hypotheses met in at least 60% of cases; among those, depth ≥ 2 in 50%,
/// nonzero noise in 80%, some layer with ≥ 2 channels in 50%; interference that the bound
/// pays for (some layer with `s_i ≥ 2` and `μ_i > 0`) in 20%; such a layer at depth `i ≥ 2`
/// (`deep_interference`) in 20%; depth ≥ 3 in 25%; depth 4 present; and among met cases of
/// depth ≥ 2, `μ_i > 0` at every layer (`coherent_every_layer`) in 30%
/// (`proofs/theorem2_depth.md`).
pub const FLOOR_HYPOTHESES_MET: f64 = 0.60;
/// See [`FLOOR_HYPOTHESES_MET`].
pub const FLOOR_DEPTH_TWO: f64 = 0.50;
/// See [`FLOOR_HYPOTHESES_MET`].
pub const FLOOR_INTERFERENCE: f64 = 0.20;
/// See [`FLOOR_HYPOTHESES_MET`].
pub const FLOOR_NOISY: f64 = 0.80;
/// See [`FLOOR_HYPOTHESES_MET`].
pub const FLOOR_CHANNELS_TWO: f64 = 0.50;
/// See [`FLOOR_HYPOTHESES_MET`].
pub const FLOOR_DEEP_INTERFERENCE: f64 = 0.20;
/// See [`FLOOR_HYPOTHESES_MET`].
pub const FLOOR_DEPTH_THREE: f64 = 0.25;
/// See [`FLOOR_HYPOTHESES_MET`].
pub const FLOOR_COHERENT_EVERY_LAYER: f64 = 0.30;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
pub const DEFAULT_CASES: u32 = 400;

/// The proptest configuration: `PROPTEST_CASES` or the default, failures persisted next to the
/// test sources under `proptest-regressions/`.
pub fn config(source_file: &'static str, default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    Config {
        cases,
        source_file: Some(source_file),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..Config::default()
    }
}

/// A generated instance of an entry, from a seed drawn by proptest; a failure shrinks in the
/// domain (fewer layers, simpler filters, fewer nonzeros, smaller `N`, simpler numbers), not
/// toward an unrelated seed (`mlcsc::conjecture::property::instances`).
pub fn instances(entry: &'static Theorem2Entry) -> impl Strategy<Value = Instance<Rational>> {
    mlcsc::conjecture::property::instances(entry)
}

/// Counts of one property run.
#[derive(Default, Debug)]
pub struct Tally {
    pub cases: usize,
    pub met: usize,
    pub depth_two: usize,
    pub depth_three: usize,
    pub depth_four: usize,
    pub interference: usize,
    pub deep_interference: usize,
    pub coherent_every_layer: usize,
    pub noisy: usize,
    pub channels_two: usize,
    pub largest_tightness: f64,
    /// Per layer `i` (index `i - 1`), the largest tightness where layer `i` interferes.
    pub interference_tightness: Vec<f64>,
}

fn feature(outcome: &Outcome, name: &str) -> f64 {
    outcome
        .features
        .iter()
        .find(|(k, _)| k == name)
        .map_or(0.0, |(_, v)| *v)
}

impl Tally {
    pub fn record(&mut self, instance: &Instance<Rational>, outcome: &Outcome) {
        self.cases += 1;
        if !outcome.verdict.hypotheses_met() {
            return;
        }
        self.met += 1;
        let depth = instance.model.depth();
        self.depth_two += usize::from(depth >= 2);
        self.depth_three += usize::from(depth >= 3);
        self.depth_four += usize::from(depth >= 4);
        self.interference += usize::from(feature(outcome, "interference") == 1.0);
        self.deep_interference += usize::from(feature(outcome, "deep-interference") == 1.0);
        self.coherent_every_layer +=
            usize::from(depth >= 2 && feature(outcome, "coherent-every-layer") == 1.0);
        self.noisy += usize::from(!instance.is_noiseless());
        self.channels_two += usize::from(feature(outcome, "max-channels") >= 2.0);
        if let Some(t) = outcome.tightness {
            self.largest_tightness = self.largest_tightness.max(t);
        }
        for (name, value) in &outcome.features {
            if let Some(layer) = name.strip_prefix("interference-tightness-layer") {
                let layer: usize = layer.parse().expect("a layer number");
                if self.interference_tightness.len() < layer {
                    self.interference_tightness.resize(layer, 0.0);
                }
                let best = &mut self.interference_tightness[layer - 1];
                *best = best.max(*value);
            }
        }
    }

    /// Prints the statistics and asserts every floor.
    pub fn assert_floors(&self, name: &str) {
        let met = self.met.max(1) as f64;
        let rows = [
            (
                "hypotheses met / cases",
                self.met as f64 / self.cases.max(1) as f64,
                FLOOR_HYPOTHESES_MET,
            ),
            (
                "depth ≥ 2 / met",
                self.depth_two as f64 / met,
                FLOOR_DEPTH_TWO,
            ),
            (
                "depth ≥ 3 / met",
                self.depth_three as f64 / met,
                FLOOR_DEPTH_THREE,
            ),
            (
                "depth 4 / met (present)",
                self.depth_four as f64 / met,
                f64::MIN_POSITIVE,
            ),
            (
                "some layer with s_i ≥ 2 and μ_i > 0 / met",
                self.interference as f64 / met,
                FLOOR_INTERFERENCE,
            ),
            (
                "some layer i ≥ 2 with s_i ≥ 2 and μ_i > 0 / met",
                self.deep_interference as f64 / met,
                FLOOR_DEEP_INTERFERENCE,
            ),
            (
                "μ_i > 0 at every layer / met with K ≥ 2",
                self.coherent_every_layer as f64 / self.depth_two.max(1) as f64,
                FLOOR_COHERENT_EVERY_LAYER,
            ),
            ("nonzero noise / met", self.noisy as f64 / met, FLOOR_NOISY),
            (
                "some m_i ≥ 2 / met",
                self.channels_two as f64 / met,
                FLOOR_CHANNELS_TWO,
            ),
        ];
        eprintln!(
            "{name}: {} cases, {} met the hypotheses, largest tightness {:.4}",
            self.cases, self.met, self.largest_tightness
        );
        for (layer, t) in self.interference_tightness.iter().enumerate() {
            eprintln!(
                "  largest tightness where layer {} interferes: {t:.4}",
                layer + 1
            );
        }
        for (label, value, floor) in rows {
            eprintln!(
                "  {label}: {:.1}% (floor {:.0}%)",
                100.0 * value,
                100.0 * floor
            );
            assert!(
                value >= floor,
                "{name}: {label} is {value:.3}, below the floor {floor}"
            );
        }
    }
}

/// Runs the paper's Theorem 2 for a variant on generated instances: every case that meets the
/// hypotheses must hold, certified; then the statistics must meet the floors.
pub fn theorem_holds_on_generated_instances(
    entry: &'static Theorem2Entry,
    source_file: &'static str,
) {
    let tally = RefCell::new(Tally::default());
    let mut runner = TestRunner::new(config(source_file, DEFAULT_CASES));
    let result = runner.run(&instances(entry), |instance| {
        let outcome = entry.check(&instance);
        tally.borrow_mut().record(&instance, &outcome);
        prop_assert!(outcome.certified, "verdicts must be decided exactly");
        match &outcome.verdict {
            Verdict::Holds | Verdict::Vacuous(_) => Ok(()),
            other => {
                let file = serde_json::to_string_pretty(&instance.to_file()).expect("serialises");
                Err(TestCaseError::fail(format!("{other:?}\ninstance:\n{file}")))
            }
        }
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, instance)) => {
            // The shrunk instance is saved (never overwriting) for `check --theorem`.
            let saved = save_counterexample_once(&save_folder(), entry.name(), &instance)
                .map_or_else(
                    |e| format!("not saved: {e}"),
                    |(p, _)| p.display().to_string(),
                );
            panic!("{}: {why}\nshrunk counterexample: {saved}", entry.name());
        }
        Err(e) => panic!("{}: {e}", entry.name()),
    }
    tally.borrow().assert_floors(entry.name());
}

/// The entry of a variant, leaked for the `'static` strategy.
pub fn paper_entry(variant: Thresholding) -> &'static Theorem2Entry {
    Box::leak(Box::new(Theorem2Entry::paper(variant)))
}
