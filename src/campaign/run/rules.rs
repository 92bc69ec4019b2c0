//! What a record read back from a checkpoint or a shard report may hold, checked by value: a
//! record is only trusted once its case, verdict, failed hypothesis, witness, tightness,
//! margins, features and `certified` are each within what its entry and its campaign can
//! produce. What no rule can see (a tightness edited from 0.93 to 0.94) the re-decision of a
//! sample catches ([`super::recheck`]).

use super::{Arithmetic, CampaignSettings};
use crate::campaign::record::{CaseRecord, CaseVerdict};
use crate::conjecture::Entry;

/// How far above 1 the tightness of a case that holds may be recorded: the tightness is an
/// `f64` quotient of two values whose exact comparison said `≤`, each within a few units in
/// the last place, then rounded to 12 digits, so it exceeds 1 by at most about `1e-15`.
const TIGHTNESS_SLACK: f64 = 1e-9;

/// What the records of one campaign may hold.
#[derive(Clone, Debug)]
pub(crate) struct RecordRules {
    /// The entry's name, for messages.
    name: String,
    /// The hypotheses a vacuous case may name; `None` for an entry that does not declare them
    /// (a crate's own conjecture), whose names are then only checked for their form.
    hypotheses: Option<Vec<String>>,
    /// Whether the entry is one of the suite's own results, whose tightness is observed /
    /// bound (in `[0, 1]` when the case holds, absent when it is vacuous). (Margins have no
    /// such range: a negative control measures the paper's hypotheses, which its own
    /// replace, so its margins are negative on cases that meet its hypotheses.)
    own_result: bool,
    /// The campaign's arithmetic: in exact arithmetic every decided verdict is certified.
    arithmetic: Arithmetic,
}

impl RecordRules {
    /// The rules of `entry`'s records in a campaign of `arithmetic`.
    pub(crate) fn of(entry: &Entry, arithmetic: Arithmetic) -> Self {
        let hypotheses = entry.statement().hypothesis_clauses().map(|clauses| {
            clauses
                .iter()
                .map(|clause| clause.as_str().to_string())
                .collect::<Vec<_>>()
        });
        RecordRules {
            name: entry.name().to_string(),
            own_result: hypotheses.is_some(),
            hypotheses,
            arithmetic,
        }
    }

    /// Why `record` cannot be a record of this campaign, or `None`.
    pub(crate) fn problem(
        &self,
        record: &CaseRecord,
        settings: &CampaignSettings,
    ) -> Option<String> {
        let case = record.case;
        let found = place_problem(record, settings)
            .or_else(|| fields_problem(record))
            .or_else(|| self.hypothesis_problem(record))
            .or_else(|| witness_problem(record))
            .or_else(|| self.number_problem(record))
            .or_else(|| self.certified_problem(record))?;
        Some(format!("case {case}: {found}"))
    }

    /// A vacuous case names one of the entry's hypotheses at a layer of its instance.
    fn hypothesis_problem(&self, record: &CaseRecord) -> Option<String> {
        let failed = record.failed_hypothesis.as_deref()?;
        let Some((name, layer)) = failed.rsplit_once("-layer") else {
            return Some(format!(
                "failed hypothesis {failed:?} is not of the form NAME-layerL"
            ));
        };
        let layer = whole_number(layer).ok_or_else(|| {
            format!("failed hypothesis {failed:?}: layer {layer:?} is not a whole number")
        });
        let layer = match layer {
            Ok(layer) => layer,
            Err(problem) => return Some(problem),
        };
        if let Some(own) = &self.hypotheses
            && !own.iter().any(|hypothesis| hypothesis == name)
        {
            return Some(format!(
                "failed hypothesis {failed:?}: {} has no hypothesis {name:?} (its hypotheses: {})",
                self.name,
                if own.is_empty() {
                    "none, so no case of it is vacuous".to_string()
                } else {
                    own.join(", ")
                }
            ));
        }
        layer_problem(record, layer, &format!("failed hypothesis {failed:?}"))
    }

    /// Tightness, margins and features: finite, named once, a margin's layer within the
    /// instance, and the tightness in its range.
    fn number_problem(&self, record: &CaseRecord) -> Option<String> {
        for (list, pairs) in [("margin", &record.margins), ("feature", &record.features)] {
            for (k, (name, value)) in pairs.iter().enumerate() {
                if !value.is_finite() {
                    return Some(format!("{list} {name:?} is {value}, not a finite number"));
                }
                if pairs[..k].iter().any(|(other, _)| other == name) {
                    return Some(format!("{list} {name:?} is recorded twice"));
                }
                if list == "margin"
                    && let Some(layer) = name.rsplit_once("-layer").map(|(_, l)| l)
                {
                    let what = format!("margin {name:?}");
                    let problem = match whole_number(layer) {
                        Some(layer) => layer_problem(record, layer, &what),
                        None => Some(format!("{what}: layer {layer:?} is not a whole number")),
                    };
                    if problem.is_some() {
                        return problem;
                    }
                }
            }
        }
        if let Some(depth) = record.feature("depth")
            && (depth < 1.0 || depth.fract() != 0.0 || depth > 1e6)
        {
            return Some(format!(
                "feature \"depth\" is {depth}, not a whole depth ≥ 1"
            ));
        }
        let tightness = record.tightness;
        if let Some(t) = tightness
            && !t.is_finite()
        {
            return Some(format!("tightness {t} is not a finite number"));
        }
        if !self.own_result {
            return None;
        }
        let met = record.hypotheses_met();
        match tightness {
            Some(t) if !met => Some(format!(
                "tightness {t} on a vacuous case, which has none (it measures a conclusion)"
            )),
            Some(t) if t < 0.0 => Some(format!(
                "tightness {t} is negative; it is observed / bound, at least 0"
            )),
            Some(t) if record.verdict == CaseVerdict::Holds && t > 1.0 + TIGHTNESS_SLACK => {
                Some(format!(
                    "tightness {t} on a case that holds, which is at most 1 (observed ≤ bound)"
                ))
            }
            _ => None,
        }
    }

    /// `certified` agrees with how the verdict was decided: in exact arithmetic every decided
    /// verdict is; in `f64` a violation always is, being decided again exactly.
    fn certified_problem(&self, record: &CaseRecord) -> Option<String> {
        let must = match (self.arithmetic, record.verdict) {
            (_, CaseVerdict::Undecided) => false,
            (Arithmetic::Exact, _) | (Arithmetic::F64, CaseVerdict::Violated) => true,
            (Arithmetic::F64, _) => false,
        };
        (must && !record.certified).then(|| {
            format!(
                "certified is false on a {} case of a campaign in {} arithmetic, where it is decided exactly",
                record.verdict,
                self.arithmetic.name()
            )
        })
    }
}

/// A case of the campaign and of its shard.
fn place_problem(record: &CaseRecord, settings: &CampaignSettings) -> Option<String> {
    let case = record.case;
    if case >= settings.cases {
        return Some(format!(
            "outside the campaign's {} cases (0 to {})",
            settings.cases,
            settings.cases.saturating_sub(1)
        ));
    }
    (!settings.shard.contains(case)).then(|| {
        format!(
            "belongs to shard {}, not to shard {}",
            settings.shard.of(case).label(),
            settings.shard.label()
        )
    })
}

/// A vacuous case names its failed hypothesis, a violated or undecided one its witness, and no
/// other case either.
fn fields_problem(record: &CaseRecord) -> Option<String> {
    let fit = match record.verdict {
        CaseVerdict::Holds => record.failed_hypothesis.is_none() && record.witness.is_none(),
        CaseVerdict::Vacuous => record.failed_hypothesis.is_some() && record.witness.is_none(),
        CaseVerdict::Violated | CaseVerdict::Undecided => {
            record.failed_hypothesis.is_none() && record.witness.is_some()
        }
    };
    (!fit).then(|| {
        format!(
            "verdict {} does not match its fields (a vacuous case names its failed hypothesis, a violated or undecided one its witness, and no other case either)",
            record.verdict
        )
    })
}

/// A witness as records write it: `layer L: CONCLUSION at WHERE: observed X against bound Y`
/// for a violation, `layer L: COMPARISON` for an undecided case.
fn witness_problem(record: &CaseRecord) -> Option<String> {
    let witness = record.witness.as_deref()?;
    let form = match record.verdict {
        CaseVerdict::Violated => "layer L: CONCLUSION at WHERE: observed X against bound Y",
        _ => "layer L: COMPARISON",
    };
    let bad = || Some(format!("witness {witness:?} is not of the form {form:?}"));
    let Some((layer, rest)) = witness
        .strip_prefix("layer ")
        .and_then(|w| w.split_once(": "))
    else {
        return bad();
    };
    let Some(layer) = whole_number(layer) else {
        return bad();
    };
    let complete = match record.verdict {
        CaseVerdict::Violated => rest
            .split_once(" at ")
            .and_then(|(_, r)| r.split_once(": observed "))
            .is_some_and(|(_, r)| r.contains(" against bound ")),
        _ => !rest.trim().is_empty(),
    };
    if !complete {
        return bad();
    }
    layer_problem(record, layer, &format!("witness {witness:?}"))
}

/// A layer from 0 (the input) to the instance's depth, when the record gives its depth.
fn layer_problem(record: &CaseRecord, layer: u64, what: &str) -> Option<String> {
    let depth = record.feature("depth")?;
    (layer as f64 > depth)
        .then(|| format!("{what} names layer {layer}, but the case's instance has {depth} layers"))
}

/// A whole number written plainly (`0`, `12`; not `+1`, `01` or `1.0`).
fn whole_number(text: &str) -> Option<u64> {
    let plain = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    plain.then(|| text.parse().ok()).flatten()
}
