//! Targeted search: generation driven toward the minimum or maximum of a chosen margin of
//! Theorem 2 (docs/math.md §6), to probe the boundaries of its hypotheses and the tightness of its
//! bound.
//!
//! The search has two stages: a third of the budget (at least one generation) for the first,
//! the rest for the second. The first is a seeded evolutionary
//! loop over the knobs of the Theorem 2 generator
//! ([`Theorem2Settings`]: the first-layer design, the largest depth, the probability of a
//! noise-free case, a fixed contrast `|Γ_K^min| / |Γ_K^max|`, a fixed window position of the last
//! threshold) together with the case's random stream. The first generation is drawn with the
//! target's own settings on the streams `0, 1, …`, exactly as [`random_search`] draws every
//! case; each later generation mutates the knobs of the best cases found so far and draws each
//! child on a fresh stream. Every case is decided exactly by
//! [`check_theorem2_statement`], and only cases meeting the hypotheses (verdict `holds` or
//! `violated`) have a margin. The second stage hill-climbs from the best case on the instance
//! itself, with exact moves: a threshold moved within its window (every other threshold
//! keeping its position in its own window), the noise turned toward an
//! atom of the support against the sign of its coefficient (the direction that makes the
//! proof's bounds tight) or rescaled together with its declared budget, a coefficient of `Γ_K` rescaled; a move is kept when it
//! improves the margin of a case that still meets the hypotheses. Each batch of cases runs in
//! parallel (rayon) and is merged in order, so the result depends on the seed and the budget
//! alone.

use num_bigint::BigInt;
use num_traits::{Signed, Zero};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::generate::filters::FirstLayerDesign;
use crate::generate::theorem2::{Theorem2Settings, case_rng, generate_theorem2_instance};
use crate::io::Instance;
use crate::model::LayerVector;
use crate::norms::patch_norm_squared;
use crate::operators::synthesis;
use crate::pursuit::Thresholding;
use crate::scalar::{Rational, Scalar};
use crate::theorems::theorem2::{Statement, Theorem2Report, check_theorem2_statement};
use crate::theorems::theorem2_bounds::profile_of_report;
use crate::theorems::verdict::Verdict;

/// Cases per generation.
const POPULATION: usize = 8;
/// Moves tried (in parallel) per step of the second stage.
const MOVES_PER_STEP: usize = 4;
/// Best cases kept as parents.
const PARENTS: usize = 4;
/// Largest local step of a continuous knob, as a fraction of its range.
const LOCAL_STEP: f64 = 0.05;
/// Probability that a child is a local step on its parent's stream.
const LOCAL_PROBABILITY: f64 = 0.4;
/// Probability that a child is a new case drawn with its parent's knobs; the rest are new cases
/// with mutated knobs.
const RESAMPLE_PROBABILITY: f64 = 0.3;
/// Denominator of the numbers a move writes (`2^32`).
const MOVE_DENOMINATOR: i64 = 1 << 32;
/// Stream of the search's own choices (mutations), apart from the case streams `0..budget`.
const SEARCH_STREAM: u64 = u64::MAX;

mod knobs;
mod moves;
mod population;
mod target;

pub use knobs::Knobs;
use moves::*;
pub use population::SearchResult;
use population::*;
pub use target::{Direction, Knob, Margin, SearchTarget};

/// The knobs and case stream of one child of the first stage: a fresh case while there are no
/// parents, else a parent nudged locally (same stream), resampled (new stream) or mutated.
fn plan_child(
    target: &SearchTarget,
    parents: &[Candidate],
    rng: &mut ChaCha8Rng,
    stream: u64,
) -> (Knobs, u64) {
    if parents.is_empty() {
        return (Knobs::NONE, stream);
    }
    let parent = &parents[rng.random_range(0..parents.len())];
    let local = parent.knobs.contrast.is_some() || parent.knobs.last_window_position.is_some();
    let choice = rng.random_range(0.0..1.0);
    if local && choice < LOCAL_PROBABILITY {
        (parent.knobs.nudged(rng, &target.free_knobs), parent.stream)
    } else if choice < LOCAL_PROBABILITY + RESAMPLE_PROBABILITY {
        (parent.knobs.clone(), stream)
    } else {
        (parent.knobs.mutated(rng, &target.free_knobs), stream)
    }
}

/// Drives generation toward the `direction` end of `margin` with `budget` exactly checked
/// cases; deterministic for a seed (see the module documentation).
pub fn targeted_search(
    target: &SearchTarget,
    margin: Margin,
    direction: Direction,
    budget: usize,
    seed: u64,
) -> SearchResult {
    let mut rng = case_rng(seed, SEARCH_STREAM);
    let mut parents: Vec<Candidate> = Vec::new();
    let mut hypotheses_met = 0;
    let mut progress = Vec::new();
    let mut spent = 0;
    let first_stage = budget.div_ceil(3).max(POPULATION).min(budget);
    while spent < first_stage {
        let size = POPULATION.min(first_stage - spent);
        let plans: Vec<(Knobs, u64)> = (0..size)
            .map(|k| plan_child(target, &parents, &mut rng, (spent + k) as u64))
            .collect();
        let children: Vec<Candidate> = plans
            .par_iter()
            .map(|(knobs, stream)| evaluate(target, margin, seed, knobs, *stream))
            .collect();
        spent += size;
        hypotheses_met += children.iter().filter(|c| c.value.is_some()).count();
        parents.extend(children);
        select(&mut parents, direction);
        if let Some(best) = parents.first().and_then(|c| c.value) {
            progress.push(best);
        }
    }
    let start = parents.first().cloned();
    let mut best = start
        .as_ref()
        .and_then(|c| c.value.map(|v| (instance_of(target, seed, c), v)));
    let mut accepted_moves = 0;
    if let Some((instance, value)) = &mut best {
        while spent < budget {
            let size = MOVES_PER_STEP.min(budget - spent);
            let report = check_theorem2_statement(instance, target.statement);
            let moves: Vec<Instance<Rational>> = (0..size)
                .map(|_| moved(instance, &report, &mut rng))
                .collect();
            let values: Vec<Option<f64>> = moves
                .par_iter()
                .map(|m| margin.value(&check_theorem2_statement(m, target.statement)))
                .collect();
            spent += size;
            hypotheses_met += values.iter().flatten().count();
            let mut improved = None;
            for (k, v) in values.iter().enumerate() {
                if let Some(v) = *v
                    && direction.better(v, improved.map_or(*value, |(_, b)| b))
                {
                    improved = Some((k, v));
                }
            }
            if let Some((k, v)) = improved {
                *instance = moves[k].clone();
                *value = v;
                accepted_moves += 1;
            }
            progress.push(*value);
        }
    }
    let summary = Summary {
        margin,
        direction,
        budget,
        seed,
        hypotheses_met,
        progress,
    };
    finish(target, summary, start.as_ref(), best, accepted_moves)
}

/// The baseline: `budget` cases drawn with the target's own settings on the streams
/// `0..budget` (as a campaign draws them), keeping the best by the margin.
pub fn random_search(
    target: &SearchTarget,
    margin: Margin,
    direction: Direction,
    budget: usize,
    seed: u64,
) -> SearchResult {
    let candidates: Vec<Candidate> = (0..budget as u64)
        .into_par_iter()
        .map(|stream| evaluate(target, margin, seed, &Knobs::NONE, stream))
        .collect();
    let hypotheses_met = candidates.iter().filter(|c| c.value.is_some()).count();
    let mut start: Option<Candidate> = None;
    for c in candidates {
        if let Some(v) = c.value
            && start
                .as_ref()
                .and_then(|b| b.value)
                .is_none_or(|b| direction.better(v, b))
        {
            start = Some(c);
        }
    }
    let best = start
        .as_ref()
        .and_then(|c| c.value.map(|v| (instance_of(target, seed, c), v)));
    let progress = best.iter().map(|(_, v)| *v).collect();
    let summary = Summary {
        margin,
        direction,
        budget,
        seed,
        hypotheses_met,
        progress,
    };
    finish(target, summary, start.as_ref(), best, 0)
}
