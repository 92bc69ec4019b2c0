//! Counterexamples of a campaign, for the command line and for a crate's own binaries alike:
//! replay a case from `(seed, k)` alone, shrink it while it stays a counterexample, and save it
//! under a name that says where it came from (`NAME-seedS-caseK.json`), never overwriting a
//! file.
//!
//! ```no_run
//! use mlcsc::campaign::{
//!     Arithmetic, CampaignSettings, Shard, counterexamples::save_violations, run_campaign,
//! };
//!
//! let conjecture = mlcsc::conjecture::find("theorem2-without-contrast-term").unwrap();
//! let settings = CampaignSettings {
//!     cases: 50,
//!     seed: 7,
//!     shard: Shard::WHOLE,
//!     arithmetic: Arithmetic::Exact,
//! };
//! let report = run_campaign(conjecture.as_ref(), settings, None, &|| {}).unwrap();
//! let folder = std::path::Path::new("target/counterexamples");
//! for saved in save_violations(conjecture.as_ref(), &report, folder, 1).unwrap() {
//!     println!("case {} shrunk with {} checks: {}", saved.case, saved.checks, saved.path.display());
//! }
//! ```

use std::path::{Path, PathBuf};

use super::{CampaignReport, CaseRecord, save_counterexample};
use crate::conjecture::Entry;
use crate::conjecture::shrink::{SHRINK_CHECK_BUDGET, shrink_within};
use crate::generate::theorem2::case_rng;
use crate::io::Instance;
use crate::scalar::Rational;

/// A counterexample written to a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedCounterexample {
    /// The campaign case it was generated as.
    pub case: u64,
    /// The file written.
    pub path: PathBuf,
    /// The exact checks spent shrinking it.
    pub checks: usize,
    /// The most checks its shrink could spend.
    pub budget: usize,
    /// Whether its shrink stopped at the budget with simplifications still untried (it may
    /// shrink further with a larger budget).
    pub stopped_at_budget: bool,
    /// The shrunk instance's witness in words (as a campaign record writes it), naming both
    /// values compared.
    pub witness: Option<String>,
}

impl SavedCounterexample {
    /// When the shrink stopped at its budget, what to say about it: the budget, and that a
    /// larger one (`--shrink-budget`, four times this one) may shrink it further.
    pub fn budget_note(&self) -> Option<String> {
        self.stopped_at_budget.then(|| {
            format!(
                "shrinking stopped at its budget of {} check{}; the counterexample may shrink further: rerun with --shrink-budget {}",
                self.budget,
                if self.budget == 1 { "" } else { "s" },
                self.budget.saturating_mul(4).max(100)
            )
        })
    }
}

/// Case `case` of a campaign of `conjecture` with master seed `seed`: generated from
/// `(seed, case)` alone, so it is the instance the campaign checked.
pub fn replay_case(conjecture: &Entry, seed: u64, case: u64) -> Instance<Rational> {
    conjecture.generate(&mut case_rng(seed, case))
}

/// The first `limit` violating cases of `report`, each replayed, shrunk
/// ([`crate::campaign::shrink_counterexample`]), named `NAME-seedS-caseK` with its provenance in `source`, and
/// saved into `directory` ([`save_counterexample`]: the next free name, written atomically).
pub fn save_violations(
    conjecture: &Entry,
    report: &CampaignReport,
    directory: &Path,
    limit: usize,
) -> Result<Vec<SavedCounterexample>, String> {
    save_violations_within(conjecture, report, directory, limit, SHRINK_CHECK_BUDGET)
}

/// As [`save_violations`], each shrink spending at most `budget` exact checks
/// ([`shrink_within`]); a shrink that stopped at its budget says so in the file's `source`.
pub fn save_violations_within(
    conjecture: &Entry,
    report: &CampaignReport,
    directory: &Path,
    limit: usize,
    budget: usize,
) -> Result<Vec<SavedCounterexample>, String> {
    let seed = report.settings.seed;
    let mut saved = Vec::new();
    for &case in report.statistics.violating_cases.iter().take(limit) {
        let instance = replay_case(conjecture, seed, case);
        let shrunk = shrink_within(conjecture, &instance, budget);
        let checks = shrunk.checks;
        let mut file = shrunk.instance;
        file.name = format!("{}-seed{seed}-case{case}", conjecture.name());
        file.source = format!(
            "mlcsc campaign {} --seed {seed} (case {case}), shrunk with {checks} exact checks",
            conjecture.name()
        );
        if shrunk.stopped_at_budget {
            file.source
                .push_str(", stopped at the budget: it may shrink further");
        }
        let path = save_counterexample(directory, &file.name.clone(), &file)?;
        let witness = CaseRecord::witness_of(&shrunk.verdict);
        saved.push(SavedCounterexample {
            case,
            path,
            checks,
            budget,
            stopped_at_budget: shrunk.stopped_at_budget,
            witness,
        });
    }
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::{Arithmetic, CampaignSettings, Shard, run_campaign};
    use crate::io::InstanceFile;
    use crate::theorems::verdict::Verdict;

    #[test]
    fn saved_violations_replay_shrink_and_still_refute_their_statement() {
        let conjecture = crate::conjecture::find("theorem2-without-contrast-term").expect("known");
        let settings = CampaignSettings {
            cases: 20,
            seed: 7,
            shard: Shard::WHOLE,
            arithmetic: Arithmetic::Exact,
        };
        let report = run_campaign(conjecture.as_ref(), settings, None, &|| {}).expect("runs");
        let first = report.statistics.violating_cases[0];
        let replayed = replay_case(conjecture.as_ref(), 7, first);
        assert!(matches!(
            conjecture.check(&replayed).verdict,
            Verdict::Violated(_)
        ));
        let folder = tempfile::tempdir().expect("folder");
        let saved = save_violations(conjecture.as_ref(), &report, folder.path(), 2).expect("saved");
        assert_eq!(saved.len(), 2.min(report.statistics.violating_cases.len()));
        assert_eq!(saved[0].case, first);
        assert!(saved[0].path.ends_with(format!(
            "theorem2-without-contrast-term-seed7-case{first}.json"
        )));
        let file = InstanceFile::read(&saved[0].path).expect("an instance file");
        let shrunk = file.to_exact().expect("exact");
        assert!(matches!(
            conjecture.check(&shrunk).verdict,
            Verdict::Violated(_)
        ));
        // Saving again never overwrites: the same case takes the next free name.
        let again = save_violations(conjecture.as_ref(), &report, folder.path(), 1).expect("saved");
        assert!(again[0].path.ends_with(format!(
            "theorem2-without-contrast-term-seed7-case{first}-2.json"
        )));
    }
}
