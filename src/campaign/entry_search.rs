//! Targeted search for any entry: generation driven toward the minimum or maximum of one of
//! the margins its outcomes declare (a stated conjecture's targets) or of its tightness.
//!
//! The Theorem 2 search ([`super::search`]) knows that generator's knobs; this one knows only
//! the entry's [`Entry`] interface. Two thirds of the budget (at least one case) draw the
//! campaign's cases `0, 1, …` with the entry's own generator, exactly as a campaign does, and
//! keeps the best case meeting the hypotheses; the rest hill-climbs from it with exact moves
//! that keep the instance valid: a coefficient of `Γ_K` scaled by a factor in `(3/4, 5/4)`,
//! the noise (and a declared budget with it) scaled by a factor in `(1/2, 3/2)`, a threshold
//! scaled by a factor in `(3/4, 5/4)`, or one of the domain shrinker's simplifications. A move
//! is kept when the case still meets the hypotheses and its margin improves. Batches run in
//! parallel and are merged in order, so the result depends on the seed and the budget alone.

use num_bigint::BigInt;
use num_traits::Zero;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use super::search::Direction;
use crate::conjecture::simplify::simplifications;
use crate::conjecture::{Entry, Outcome};
use crate::generate::seed::case_rng;
use crate::io::Instance;
use crate::io::ToInstanceFile;
use crate::scalar::Rational;
use crate::theorems::verdict::Verdict;

/// Moves tried (in parallel) per step of the second stage.
const MOVES_PER_STEP: usize = 4;
/// Stream of the search's own choices, apart from the case streams.
const SEARCH_STREAM: u64 = u64::MAX;
/// Denominator of the factors a move multiplies by (`2^16`).
const FACTOR_DENOMINATOR: i64 = 1 << 16;

/// The margin named `margin` of an outcome that meets the hypotheses: `tightness`, or one of
/// its declared margins.
pub fn margin_value(outcome: &Outcome, margin: &str) -> Option<f64> {
    if !outcome.verdict.hypotheses_met() || matches!(outcome.verdict, Verdict::Undecided { .. }) {
        return None;
    }
    let value = if margin == "tightness" {
        outcome.tightness?
    } else {
        outcome
            .margins
            .iter()
            .find(|(name, _)| name == margin)
            .map(|(_, v)| *v)?
    };
    value.is_finite().then_some(value)
}

/// The outcome of a search of an entry.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct EntrySearch {
    /// The entry.
    pub target: String,
    /// The margin.
    pub margin: String,
    /// The direction.
    pub direction: Direction,
    /// Cases evaluated.
    pub budget: usize,
    /// Master seed.
    pub seed: u64,
    /// Cases that met the hypotheses (and so had a value).
    pub hypotheses_met: usize,
    /// The best value (`None` when no case had one).
    pub best_value: Option<f64>,
    /// The campaign case the second stage started from.
    pub best_case: Option<u64>,
    /// Moves of the second stage that improved the value.
    pub accepted_moves: usize,
    /// The best value after the first stage and after each batch of moves.
    pub progress: Vec<f64>,
    /// The verdict of the best case.
    pub verdict: Option<Verdict>,
    /// The best case.
    #[serde(skip)]
    pub best_instance: Option<Instance<Rational>>,
}

fn factor(rng: &mut ChaCha8Rng, spread: f64) -> Rational {
    let x = 1.0 + spread * rng.random_range(-1.0..1.0);
    Rational::new(
        BigInt::from((x * FACTOR_DENOMINATOR as f64).round() as i64),
        BigInt::from(FACTOR_DENOMINATOR),
    )
}

/// One random exact move of an instance (see the module documentation), or `None` when the
/// chosen kind of move has nothing to act on.
fn moved(instance: &Instance<Rational>, rng: &mut ChaCha8Rng) -> Option<Instance<Rational>> {
    let mut next = instance.clone();
    match rng.random_range(0..4) {
        0 => {
            let support: Vec<(usize, usize)> = instance
                .deepest_representation
                .support()
                .map(|(p, c, _)| (p, c))
                .collect();
            let (p, c) = *support.get(rng.random_range(0..support.len().max(1)))?;
            let value = instance.deepest_representation.get(p, c) * factor(rng, 0.25);
            next.deepest_representation.set(p, c, value);
        }
        1 => {
            if instance.is_noiseless() {
                return None;
            }
            // Below 1 the budget keeps covering the noise; above it both grow together.
            let f = factor(rng, 0.5);
            next.noise = instance.noise.map(|v| v * &f);
            next.noise_budget = instance.noise_budget.as_ref().map(|b| b * &f);
        }
        2 => {
            let k = rng.random_range(0..instance.thresholds.len());
            let f = factor(rng, 0.25);
            next.thresholds[k] = instance.thresholds[k].map(|beta| beta * &f);
        }
        _ => {
            let candidates = simplifications(instance);
            next = candidates
                .get(rng.random_range(0..candidates.len().max(1)))?
                .clone();
        }
    }
    let valid = !next
        .deepest_representation
        .entries()
        .iter()
        .all(Zero::is_zero)
        && next.to_file().to_exact().is_ok();
    valid.then_some(next)
}

/// Drives an entry's cases toward the `direction` end of `margin` with `budget` exactly
/// checked cases; with `random_only` the whole budget draws campaign cases (the baseline).
pub fn search_entry(
    conjecture: &Entry,
    margin: &str,
    direction: Direction,
    budget: usize,
    seed: u64,
    random_only: bool,
) -> EntrySearch {
    let better = |a: f64, b: f64| match direction {
        Direction::Minimum => a < b,
        Direction::Maximum => a > b,
    };
    let first_stage = if random_only {
        budget
    } else {
        (2 * budget).div_ceil(3).max(1).min(budget)
    };
    let drawn: Vec<(u64, Instance<Rational>, Outcome)> = (0..first_stage as u64)
        .into_par_iter()
        .map(|case| {
            let instance = conjecture.generate(&mut case_rng(seed, case));
            let outcome = conjecture.check(&instance);
            (case, instance, outcome)
        })
        .collect();
    let mut hypotheses_met = 0;
    let mut best: Option<(u64, Instance<Rational>, Outcome, f64)> = None;
    for (case, instance, outcome) in drawn {
        if let Some(v) = margin_value(&outcome, margin) {
            hypotheses_met += 1;
            if best.as_ref().is_none_or(|b| better(v, b.3)) {
                best = Some((case, instance, outcome, v));
            }
        }
    }
    let mut progress: Vec<f64> = best.iter().map(|b| b.3).collect();
    let best_case = best.as_ref().map(|b| b.0);
    let mut accepted_moves = 0;
    let mut spent = first_stage;
    let mut rng = case_rng(seed, SEARCH_STREAM);
    if let Some((_, instance, outcome, value)) = &mut best {
        while spent < budget {
            let size = MOVES_PER_STEP.min(budget - spent);
            let moves: Vec<Option<Instance<Rational>>> =
                (0..size).map(|_| moved(instance, &mut rng)).collect();
            let checked: Vec<Option<(Instance<Rational>, Outcome)>> = moves
                .into_par_iter()
                .map(|m| {
                    m.map(|m| {
                        let o = conjecture.check(&m);
                        (m, o)
                    })
                })
                .collect();
            spent += size;
            let mut improved: Option<(Instance<Rational>, Outcome, f64)> = None;
            for (m, o) in checked.into_iter().flatten() {
                if let Some(v) = margin_value(&o, margin) {
                    hypotheses_met += 1;
                    if better(v, improved.as_ref().map_or(*value, |b| b.2)) {
                        improved = Some((m, o, v));
                    }
                }
            }
            if let Some((m, o, v)) = improved {
                *instance = m;
                *outcome = o;
                *value = v;
                accepted_moves += 1;
            }
            progress.push(*value);
        }
    }
    EntrySearch {
        target: conjecture.name().to_string(),
        margin: margin.to_string(),
        direction,
        budget,
        seed,
        hypotheses_met,
        best_value: best.as_ref().map(|b| b.3),
        best_case,
        accepted_moves,
        progress,
        verdict: best.as_ref().map(|b| b.2.verdict.clone()),
        best_instance: best.map(|b| b.1),
    }
}
