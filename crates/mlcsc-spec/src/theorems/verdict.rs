//! Verdicts: what a theorem or conjecture says about one instance (docs/math.md §8).

pub use super::clause::Clause;

/// Where a conclusion failed: the layer, the atom or patch, and the two numbers compared.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub struct Witness {
    /// Layer, from 1.
    pub layer: usize,
    /// Which conclusion failed (`support`, `patch_error`, `entrywise_error`, …).
    pub conclusion: Clause,
    /// The atom `(position, channel)` or the patch start position.
    pub location: String,
    /// The observed value (exact text where available).
    pub observed: String,
    /// The bound it was compared with.
    pub bound: String,
}

/// Which hypothesis failed, where, and by how much.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub struct FailedHypothesis {
    /// Layer, from 1 (0 for the input).
    pub layer: usize,
    /// The hypothesis (`a`, `b`, `nonzero_representation`, `nonnegative_representation`,
    /// `noise_budget`).
    pub hypothesis: Clause,
    /// What was compared, in words and numbers.
    pub detail: String,
    /// How far the instance is on the wrong side (`f64`, ≥ 0).
    pub shortfall: f64,
}

/// The verdict of a result on one instance.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "verdict", rename_all = "lowercase"))]
pub enum Verdict {
    /// Hypotheses met and every conclusion checked true.
    Holds,
    /// A hypothesis failed: the result says nothing about this instance.
    Vacuous(FailedHypothesis),
    /// Hypotheses met and a conclusion false.
    Violated(Witness),
    /// A comparison could not be settled (an exact tie under enclosure refinement).
    Undecided {
        /// Layer, from 1.
        layer: usize,
        /// The comparison that stayed open.
        comparison: String,
    },
}

impl Verdict {
    /// The hypotheses part of a verdict decided in one pass: `Err` with the failed hypothesis
    /// when `vacuous`, `Ok` otherwise. For a statement that decides hypotheses and conclusions
    /// together along the chain (`mlcsc::theorems::statement::Statement::hypotheses`).
    pub fn into_hypotheses(self) -> Result<(), FailedHypothesis> {
        match self {
            Verdict::Vacuous(failed) => Err(failed),
            _ => Ok(()),
        }
    }

    /// The conclusions part of a verdict decided in one pass: `Err` with the witness when
    /// `violated`, `Ok` otherwise (an instance outside the hypotheses has none to violate).
    pub fn into_conclusions(self) -> Result<(), Witness> {
        match self {
            Verdict::Violated(witness) => Err(witness),
            _ => Ok(()),
        }
    }

    /// `holds`, `vacuous`, `violated` or `undecided`.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Vacuous(_) => "vacuous",
            Verdict::Violated(_) => "violated",
            Verdict::Undecided { .. } => "undecided",
        }
    }

    /// Whether every hypothesis was met (the verdict is `holds`, `violated` or `undecided` in a
    /// conclusion).
    pub fn hypotheses_met(&self) -> bool {
        !matches!(self, Verdict::Vacuous(_))
    }

    /// Whether this verdict is a counterexample.
    pub fn is_violated(&self) -> bool {
        matches!(self, Verdict::Violated(_))
    }
}

/// The verdict of a statement decided in two passes, by its precedence: a hypothesis
/// certainly false (`failed`) makes the instance vacuous whatever else is open; every
/// hypothesis certainly true and a conclusion certainly false (`violation`) make it a
/// counterexample whatever other conclusion is open; otherwise the first open comparison
/// leaves it undecided. `open` lists, layer by layer, the layer and the first hypothesis and
/// conclusion comparisons no enclosure settled there (hypotheses before conclusions).
pub fn by_precedence<'a>(
    failed: Option<&FailedHypothesis>,
    violation: Option<&Witness>,
    open: impl Iterator<Item = (usize, Option<&'a String>, Option<&'a String>)>,
) -> Verdict {
    let open: Vec<_> = open.collect();
    let hypotheses_open = open.iter().any(|(_, h, _)| h.is_some());
    let first_open = open
        .iter()
        .find_map(|&(layer, h, c)| Some((layer, h.or(c)?.clone())));
    match (failed, violation, first_open) {
        (Some(failed), _, _) => Verdict::Vacuous(failed.clone()),
        (None, Some(witness), _) if !hypotheses_open => Verdict::Violated(witness.clone()),
        (None, _, Some((layer, comparison))) => Verdict::Undecided { layer, comparison },
        (None, Some(witness), None) => Verdict::Violated(witness.clone()),
        (None, None, None) => Verdict::Holds,
    }
}
