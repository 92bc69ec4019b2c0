//! The shrinker's one-step simplifications are valid instances by construction
//! (`mlcsc::conjecture::simplify::simplifications`): every candidate passes the instance file's
//! own checks, on generated instances of every registry entry and on the candidates' own
//! simplifications (the shapes shrinking reaches).

use mlcsc::conjecture::registry;
use mlcsc::conjecture::simplify::simplifications;
use mlcsc::generate::theorem2::case_rng;
use mlcsc::io::ToInstanceFile;

/// Generated instances per entry.
const CASES: u64 = 1;
/// At least this many candidates must be checked, so the test cannot pass on empty lists.
const FLOOR_CANDIDATES: usize = 1_000;

#[test]
fn every_simplification_passes_the_instance_files_checks() {
    let mut checked = 0;
    for entry in registry() {
        for case in 0..CASES {
            let instance = entry.generate(&mut case_rng(41, case));
            let first = simplifications(&instance);
            // The second step from the first candidate (the most structural move).
            let second = first.first().map(simplifications).unwrap_or_default();
            for candidate in first.iter().cloned().chain(second) {
                if let Err(error) = candidate.to_file().to_exact() {
                    panic!(
                        "{} case {case}: a simplification is not a valid instance: {error}",
                        entry.name()
                    );
                }
                checked += 1;
            }
        }
    }
    eprintln!("{checked} simplifications checked");
    assert!(checked >= FLOOR_CANDIDATES, "only {checked} candidates");
}

/// The walk of a shrink ends (a whole round keeps nothing) well before a large budget on the
/// first counterexamples of the registry's known-false entries: no simplification undoes
/// another. At `N = 2` with both positions used, rotating by one was its own inverse, and a
/// walk alternated between the two rotations until its budget, its thresholds never rounded.
#[test]
fn shrinking_ends_before_its_budget_without_cycling() {
    use mlcsc::campaign::counterexamples::replay_case;
    use mlcsc::conjecture::ExpectedStatus;
    use mlcsc::conjecture::shrink::shrink_within;
    const BUDGET: usize = 20_000;
    let mut shrunk = 0;
    for entry in registry() {
        if entry.status() != ExpectedStatus::KnownFalse {
            continue;
        }
        let Some(instance) = (0..40)
            .map(|case| replay_case(&entry, 7, case))
            .find(|instance| entry.check(instance).verdict.is_violated())
        else {
            continue;
        };
        let result = shrink_within(&entry, &instance, BUDGET);
        assert!(
            !result.stopped_at_budget && result.verdict.is_violated(),
            "{}: {} checks, stopped at the budget: {}",
            entry.name(),
            result.checks,
            result.stopped_at_budget
        );
        shrunk += 1;
    }
    assert!(shrunk >= 3, "only {shrunk} known-false entries shrunk");
}
