//! Any conjecture as a proptest property whose failures shrink in the domain.
//!
//! [`instances`] is a proptest [`Strategy`] over a conjecture's generated instances. Its value
//! tree does not shrink the seed (which would jump to an unrelated instance): it walks the
//! domain shrinker's one-step simplifications ([`super::simplify::simplifications`]: fewer
//! layers, simpler filters and fewer channels, fewer nonzeros, supports moved toward 0, a
//! smaller `N`, simpler rationals), each a valid instance, keeping every one on which the test
//! still fails, within [`SHRINK_CHECK_BUDGET`] steps. Campaigns shrink with the same steps.
//!
//! [`test_conjecture`] runs a conjecture as a test: it prints the statistics (cases, cases
//! meeting the assumptions, declared events) and fails below the coverage floors; a
//! counterexample is shrunk, printed as an `mlcsc-instance-1` file and saved under
//! [`save_folder`] without overwriting. A theorem or open conjecture fails on it; a
//! known-false one requires it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

use proptest::prelude::*;
use proptest::strategy::{NewTree, ValueTree};
use proptest::test_runner::{Config, TestError, TestRunner};

use super::shrink::{SHRINK_CHECK_BUDGET, SimplificationWalk};
use super::stated::{EVENT_PREFIX, MET_FLOOR, Stated};
use super::{Entry, ExpectedStatus};
use crate::generate::seed::case_rng;
use crate::io::Instance;
use crate::io::ToInstanceFile;
use crate::io::save_counterexample_once;
use crate::scalar::Rational;
use crate::theorems::verdict::Verdict;

/// The environment variable naming the folder where tests save counterexamples.
pub const SAVE_FOLDER_VARIABLE: &str = "MLCSC_COUNTEREXAMPLES";

/// Where tests save counterexamples: `$MLCSC_COUNTEREXAMPLES` when set, else
/// `counterexamples/` in the target folder (`$CARGO_TARGET_DIR`, or `target/` beside the
/// package's `Cargo.toml`, which `cargo test` names in `$CARGO_MANIFEST_DIR`).
pub fn save_folder() -> PathBuf {
    if let Some(folder) = std::env::var_os(SAVE_FOLDER_VARIABLE) {
        return PathBuf::from(folder);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR").map(|d| PathBuf::from(d).join("target")))
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("counterexamples")
}

/// The instances of a conjecture as a proptest strategy that shrinks in the domain.
pub fn instances(conjecture: &Entry) -> Instances<'_> {
    Instances { conjecture }
}

/// See [`instances`].
pub struct Instances<'c> {
    conjecture: &'c Entry,
}

impl std::fmt::Debug for Instances<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "instances of {}", self.conjecture.name())
    }
}

impl Strategy for Instances<'_> {
    type Tree = InstanceTree;
    type Value = Instance<Rational>;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let seed = any::<u64>().new_tree(runner)?.current();
        let mut instance = self.conjecture.generate(&mut case_rng(seed, 0));
        instance.source = format!(
            "{}: generated from case_rng({seed}, 0)",
            self.conjecture.name()
        );
        Ok(InstanceTree::new(instance))
    }
}

/// The value tree of [`instances`]: a [`SimplificationWalk`] from the generated instance, and
/// the candidate under test.
#[derive(Clone, Debug)]
pub struct InstanceTree {
    walk: SimplificationWalk,
    trying: Option<Instance<Rational>>,
}

impl InstanceTree {
    /// A tree rooted at `instance`.
    pub fn new(instance: Instance<Rational>) -> Self {
        InstanceTree {
            walk: SimplificationWalk::new(instance),
            trying: None,
        }
    }

    /// Simplifications tried so far.
    pub fn steps(&self) -> usize {
        self.walk.tries()
    }
}

impl ValueTree for InstanceTree {
    type Value = Instance<Rational>;

    fn current(&self) -> Instance<Rational> {
        self.trying
            .clone()
            .unwrap_or_else(|| self.walk.current().clone())
    }

    /// Called when the current value failed the test: it is kept, and the walk proposes the
    /// next simplification.
    fn simplify(&mut self) -> bool {
        if let Some(failing) = self.trying.take() {
            self.walk.keep(failing);
        }
        self.trying = self.walk.propose();
        self.trying.is_some()
    }

    /// Called when the simplification passed the test: the walk proposes the next one.
    fn complicate(&mut self) -> bool {
        self.trying = self.walk.propose();
        self.trying.is_some()
    }
}

/// A counterexample found by [`run_property`].
#[derive(Clone, Debug)]
pub struct Found {
    /// The shrunk instance.
    pub instance: Instance<Rational>,
    /// Its verdict.
    pub verdict: Verdict,
    /// Where it was saved (or the error that prevented it).
    pub saved: Result<PathBuf, String>,
}

/// What a property run saw.
#[derive(Clone, Debug, Default)]
pub struct PropertyReport {
    /// Cases run before the first counterexample (all of them when there was none).
    pub cases: usize,
    /// Those meeting the assumptions.
    pub hypotheses_met: usize,
    /// Per declared event: `(cases, cases meeting the assumptions)` where it happened.
    pub events: BTreeMap<String, (usize, usize)>,
    /// The shrunk counterexample, if one was found.
    pub counterexample: Option<Found>,
}

/// The number of cases of a test: `PROPTEST_CASES` when set, else the conjecture's default.
fn case_count(conjecture: &Entry) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(conjecture.default_cases() as u32)
}

/// Whether a verdict fails the property: a violation always, an undecided case unless the
/// conjecture is known to be false (whose test looks for violations only).
fn fails(status: ExpectedStatus, verdict: &Verdict) -> bool {
    match verdict {
        Verdict::Violated(_) => true,
        Verdict::Undecided { .. } => status != ExpectedStatus::KnownFalse,
        _ => false,
    }
}

/// Runs a conjecture as a proptest property over `cases` generated instances, shrinking a
/// counterexample in the domain and saving it in `folder` (see the module documentation).
pub fn run_property(conjecture: &Entry, cases: u32, folder: &std::path::Path) -> PropertyReport {
    let report = RefCell::new(PropertyReport::default());
    let failed_once = RefCell::new(false);
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: SHRINK_CHECK_BUDGET as u32,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let status = conjecture.status();
    let result = runner.run(&instances(conjecture), |instance| {
        let outcome = conjecture.check(&instance);
        if !*failed_once.borrow() {
            let mut report = report.borrow_mut();
            report.cases += 1;
            let met = outcome.verdict.hypotheses_met();
            report.hypotheses_met += usize::from(met);
            for (name, value) in &outcome.features {
                if let Some(event) = name.strip_prefix(EVENT_PREFIX) {
                    let count = report.events.entry(event.to_string()).or_default();
                    count.0 += usize::from(*value == 1.0);
                    count.1 += usize::from(*value == 1.0 && met);
                }
            }
        }
        if fails(status, &outcome.verdict) {
            *failed_once.borrow_mut() = true;
            return Err(TestCaseError::fail(format!("{:?}", outcome.verdict)));
        }
        Ok(())
    });
    let mut report = report.into_inner();
    match result {
        Ok(()) => {}
        Err(TestError::Fail(_, mut instance)) => {
            let verdict = conjecture.check(&instance).verdict;
            instance.name = format!("{}-shrunk", conjecture.name());
            instance.source = format!("{}, shrunk in the domain by cargo test", instance.source);
            let saved = save_counterexample_once(folder, conjecture.name(), &instance)
                .map(|(path, _)| path);
            report.counterexample = Some(Found {
                instance,
                verdict,
                saved,
            });
        }
        Err(TestError::Abort(why)) => panic!("{}: proptest aborted: {why}", conjecture.name()),
    }
    report
}

/// Runs a conjecture as a property ([`run_property`], with `PROPTEST_CASES` or its default
/// number of cases, saving in [`save_folder`]) and prints what it saw: the cases, those
/// meeting the assumptions, the declared events, and a counterexample as an instance file.
/// When there is no counterexample the coverage floors are checked, and a floor not met
/// panics. Floors are `(event, fraction)`: among cases meeting the assumptions the event must
/// happen in at least that fraction; the floor named `hypotheses-met` bounds the fraction of
/// all cases meeting the assumptions.
pub fn explore(conjecture: &Entry, floors: &[(String, f64)]) -> PropertyReport {
    let name = conjecture.name();
    let report = run_property(conjecture, case_count(conjecture), &save_folder());
    eprintln!(
        "{name} ({}): {} cases, {} met the assumptions",
        conjecture.status().name(),
        report.cases,
        report.hypotheses_met
    );
    for (event, (cases, met)) in &report.events {
        eprintln!("  event {event}: {cases} cases, {met} meeting the assumptions");
    }
    if let Some(found) = &report.counterexample {
        let text = serde_json::to_string_pretty(&found.instance.to_file()).expect("serialises");
        eprintln!(
            "  counterexample, shrunk in the domain ({}):\n  {}\n{text}",
            saved_text(found),
            verdict_text(&found.verdict)
        );
        return report;
    }
    let met = report.hypotheses_met.max(1) as f64;
    for (event, floor) in floors {
        let (label, value) = if event == MET_FLOOR {
            (
                "cases meeting the assumptions".to_string(),
                report.hypotheses_met as f64 / report.cases.max(1) as f64,
            )
        } else {
            let (_, with_event) = report.events.get(event).copied().unwrap_or_else(|| {
                panic!("{name}: the floor names {event:?}, which is not a declared event")
            });
            (
                format!("event {event} among cases meeting the assumptions"),
                with_event as f64 / met,
            )
        };
        eprintln!(
            "  {label}: {:.1}% (floor {:.0}%)",
            100.0 * value,
            100.0 * floor
        );
        assert!(
            value >= *floor,
            "{name}: {label} is {value:.3}, below the floor {floor}"
        );
    }
    report
}

fn saved_text(found: &Found) -> String {
    match &found.saved {
        Ok(path) => format!("saved as {}", path.display()),
        Err(e) => format!("NOT SAVED: {e}"),
    }
}

fn verdict_text(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Violated(w) => format!(
            "violated at layer {}: {} at {}: observed {} against {}",
            w.layer, w.conclusion, w.location, w.observed, w.bound
        ),
        other => format!("{other:?}"),
    }
}

/// Runs a conjecture as a test: [`explore`], then a panic when the outcome is not what its
/// status demands. A theorem or open conjecture fails on a counterexample (printed, shrunk
/// and saved); a known-false one fails without a violation. Returns the report.
pub fn test_conjecture(conjecture: &Entry, floors: &[(String, f64)]) -> PropertyReport {
    let name = conjecture.name();
    let report = explore(conjecture, floors);
    let known_false = conjecture.status() == ExpectedStatus::KnownFalse;
    match &report.counterexample {
        Some(found) if !known_false => panic!(
            "{name}: counterexample found: {}; {}; replay it with `check --theorem {name} FILE`",
            verdict_text(&found.verdict),
            saved_text(found)
        ),
        Some(found) => assert!(
            found.verdict.is_violated(),
            "{name}: the shrunk instance no longer violates the conjecture"
        ),
        None if known_false => panic!(
            "{name} is stated known-false, but no counterexample was found in {} cases",
            report.cases
        ),
        None => {}
    }
    report
}

impl Stated {
    /// Runs this conjecture as a test with its floors ([`test_conjecture`]).
    pub fn test(&self) -> PropertyReport {
        test_conjecture(self, self.floors())
    }

    /// Runs this conjecture and reports what it saw, whatever its status ([`explore`]): for an
    /// open question, the report's counterexample is the campaign's answer.
    pub fn explore(&self) -> PropertyReport {
        explore(self, self.floors())
    }
}
