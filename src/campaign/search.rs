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

/// A margin of Theorem 2 on one case that meets the hypotheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Margin {
    /// The largest `‖Γ_i − Γ̂_i‖^P_{2,∞} / ε_i` over the layers (1 is the bound attained).
    Tightness,
    /// The last threshold's position `θ_K = (β_K − low) / (high − low)` in its window.
    WindowPosition,
    /// The smallest distance `min(θ_i, 1 − θ_i)` of a threshold to an end of its window.
    WindowEdgeDistance,
    /// The smallest margin of hypothesis (a) over the layers, relative to `|Γ_i^max|`:
    /// `((|Γ_i^min| − (2 s_i − 1) μ_i |Γ_i^max|) / 2 − ε_{i-1}) / |Γ_i^max|`.
    HypothesisA,
}

impl Margin {
    /// Every margin.
    pub const ALL: [Margin; 4] = [
        Margin::Tightness,
        Margin::WindowPosition,
        Margin::WindowEdgeDistance,
        Margin::HypothesisA,
    ];

    /// The margin's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Margin::Tightness => "tightness",
            Margin::WindowPosition => "window-position",
            Margin::WindowEdgeDistance => "window-edge-distance",
            Margin::HypothesisA => "hypothesis-a",
        }
    }

    /// The margin with this name.
    pub fn parse(name: &str) -> Option<Margin> {
        Margin::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The margin's value on a report, or `None` when the case does not meet the hypotheses
    /// (or is undecided).
    pub fn value(self, report: &Theorem2Report) -> Option<f64> {
        if !matches!(report.verdict, Verdict::Holds | Verdict::Violated(_)) {
            return None;
        }
        let layers = &report.layers;
        let value = match self {
            Margin::Tightness => report.largest_tightness(),
            Margin::WindowPosition => layers.last()?.window_position,
            Margin::WindowEdgeDistance => layers
                .iter()
                .map(|l| l.window_position.min(1.0 - l.window_position))
                .fold(f64::INFINITY, f64::min),
            Margin::HypothesisA => layers
                .iter()
                .map(|l| profile_of_report(l).relative_a_margin(l.epsilon_previous))
                .fold(f64::INFINITY, f64::min),
        };
        value.is_finite().then_some(value)
    }
}

/// Which end of the margin the search drives toward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Toward the smallest value.
    Minimum,
    /// Toward the largest value.
    Maximum,
}

impl Direction {
    /// Whether `a` is strictly better than `b`.
    fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::Minimum => a < b,
            Direction::Maximum => a > b,
        }
    }
}

/// A generator knob the search may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Knob {
    /// [`Theorem2Settings::first_layer`].
    FirstLayer,
    /// [`Theorem2Settings::max_depth`].
    MaxDepth,
    /// [`Theorem2Settings::noiseless_probability`].
    NoiselessProbability,
    /// [`Theorem2Settings::contrast`].
    Contrast,
    /// [`Theorem2Settings::last_window_position`].
    LastWindowPosition,
}

impl Knob {
    /// Every knob.
    pub const ALL: [Knob; 5] = [
        Knob::FirstLayer,
        Knob::MaxDepth,
        Knob::NoiselessProbability,
        Knob::Contrast,
        Knob::LastWindowPosition,
    ];

    /// The knob's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Knob::FirstLayer => "first-layer",
            Knob::MaxDepth => "max-depth",
            Knob::NoiselessProbability => "noiseless-probability",
            Knob::Contrast => "contrast",
            Knob::LastWindowPosition => "last-window-position",
        }
    }

    /// The knob with this name.
    pub fn parse(name: &str) -> Option<Knob> {
        Knob::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What is searched: a form of Theorem 2, the generator settings the search starts from, and
/// the knobs it may change.
#[derive(Clone, Debug)]
pub struct SearchTarget {
    /// A name for reports (`theorem2-soft`).
    pub name: String,
    /// The statement checked.
    pub statement: Statement,
    /// The generator's starting settings.
    pub settings: Theorem2Settings,
    /// The knobs the search may change (the others keep the settings' values).
    pub free_knobs: Vec<Knob>,
}

impl SearchTarget {
    /// Theorem 2 as stated, for one variant, from the default generator settings.
    pub fn paper(variant: Thresholding) -> Self {
        SearchTarget {
            name: format!("theorem2-{}", variant.name()),
            statement: Statement::PAPER,
            settings: Theorem2Settings::new(variant),
            free_knobs: Knob::ALL.to_vec(),
        }
    }
}

/// The generator knobs a candidate sets on top of the target's settings (`None`: the target's).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Knobs {
    /// The first-layer design.
    #[serde(serialize_with = "serialize_design")]
    pub first_layer: Option<FirstLayerDesign>,
    /// The largest depth.
    pub max_depth: Option<usize>,
    /// The probability of a noise-free case.
    pub noiseless_probability: Option<f64>,
    /// A fixed contrast.
    pub contrast: Option<f64>,
    /// A fixed window position of the last threshold.
    pub last_window_position: Option<f64>,
}

fn serialize_design<Se: serde::Serializer>(
    d: &Option<FirstLayerDesign>,
    s: Se,
) -> Result<Se::Ok, Se::Error> {
    match d {
        Some(d) => s.serialize_str(super::phase::design_name(*d)),
        None => s.serialize_none(),
    }
}

impl Knobs {
    /// The target's own settings.
    pub const NONE: Knobs = Knobs {
        first_layer: None,
        max_depth: None,
        noiseless_probability: None,
        contrast: None,
        last_window_position: None,
    };

    /// The target's settings with these knobs applied.
    pub fn apply(&self, base: &Theorem2Settings) -> Theorem2Settings {
        let mut settings = base.clone();
        if self.first_layer.is_some() {
            settings.first_layer = self.first_layer;
        }
        if let Some(depth) = self.max_depth {
            settings.max_depth = depth;
        }
        if let Some(p) = self.noiseless_probability {
            settings.noiseless_probability = p;
        }
        if self.contrast.is_some() {
            settings.contrast = self.contrast;
        }
        if self.last_window_position.is_some() {
            settings.last_window_position = self.last_window_position;
        }
        settings
    }

    /// A random change of one to three of the free knobs.
    fn mutated(&self, rng: &mut ChaCha8Rng, free: &[Knob]) -> Knobs {
        let mut child = self.clone();
        if free.is_empty() {
            return child;
        }
        for _ in 0..rng.random_range(1..=3) {
            match free[rng.random_range(0..free.len())] {
                Knob::FirstLayer => {
                    child.first_layer = if rng.random_bool(0.2) {
                        None
                    } else {
                        Some(
                            FirstLayerDesign::ALL[rng.random_range(0..FirstLayerDesign::ALL.len())],
                        )
                    }
                }
                Knob::MaxDepth => child.max_depth = Some(rng.random_range(1..=3)),
                Knob::NoiselessProbability => {
                    let p = child.noiseless_probability.unwrap_or(0.1);
                    child.noiseless_probability = Some(nudge(rng, p, 0.0, 1.0));
                }
                Knob::Contrast => {
                    child.contrast = match child.contrast {
                        Some(_) if rng.random_bool(0.2) => None,
                        Some(c) => Some(nudge(rng, c, 0.01, 1.0)),
                        None => Some(rng.random_range(0.01..=1.0)),
                    }
                }
                Knob::LastWindowPosition => {
                    child.last_window_position = match child.last_window_position {
                        Some(_) if rng.random_bool(0.2) => None,
                        Some(theta) => Some(nudge(rng, theta, 1e-6, 1.0 - 1e-6)),
                        None => Some(rng.random_range(1e-6..=1.0 - 1e-6)),
                    }
                }
            }
        }
        child
    }

    /// A small change of the continuous knobs that are set (contrast, window position). The
    /// generator draws nothing for a knob that is set, so on the parent's stream the child is
    /// the parent's case with only these numbers moved: a local step.
    fn nudged(&self, rng: &mut ChaCha8Rng, free: &[Knob]) -> Knobs {
        let mut child = self.clone();
        let step = |rng: &mut ChaCha8Rng, x: f64, low: f64, high: f64| {
            (x + (high - low) * rng.random_range(-LOCAL_STEP..=LOCAL_STEP)).clamp(low, high)
        };
        if free.contains(&Knob::Contrast) && rng.random_bool(0.5) {
            child.contrast = child.contrast.map(|c| step(rng, c, 0.01, 1.0));
        }
        if free.contains(&Knob::LastWindowPosition) {
            child.last_window_position = child
                .last_window_position
                .map(|t| step(rng, t, 1e-6, 1.0 - 1e-6));
        }
        child
    }
}

/// `x` moved by up to a quarter of the range, or to an end of it, clamped into `[low, high]`.
fn nudge(rng: &mut ChaCha8Rng, x: f64, low: f64, high: f64) -> f64 {
    match rng.random_range(0..4) {
        0 => low,
        1 => high,
        _ => (x + (high - low) * rng.random_range(-0.25..=0.25)).clamp(low, high),
    }
}

/// One evaluated case.
#[derive(Clone, Debug)]
struct Candidate {
    knobs: Knobs,
    stream: u64,
    value: Option<f64>,
}

/// The outcome of a search.
#[derive(Clone, Debug, Serialize)]
pub struct SearchResult {
    /// The target's name.
    pub target: String,
    /// The margin.
    pub margin: Margin,
    /// The direction.
    pub direction: Direction,
    /// Cases evaluated.
    pub budget: usize,
    /// Master seed.
    pub seed: u64,
    /// Cases that met the hypotheses (and so had a margin).
    pub hypotheses_met: usize,
    /// The best margin found (`None` if no case met the hypotheses).
    pub best_value: Option<f64>,
    /// The knobs of the case the second stage started from.
    pub best_knobs: Option<Knobs>,
    /// The stream of that case: it replays as `case_rng(seed, stream)` with those knobs.
    pub best_stream: Option<u64>,
    /// Moves of the second stage that improved the margin.
    pub accepted_moves: usize,
    /// The best value after each generation or batch of moves.
    pub progress: Vec<f64>,
    /// The best case (after the second stage's moves).
    #[serde(skip)]
    pub best_instance: Option<Instance<Rational>>,
    /// Its exact report.
    pub best_report: Option<Theorem2Report>,
}

fn evaluate(
    target: &SearchTarget,
    margin: Margin,
    seed: u64,
    knobs: &Knobs,
    stream: u64,
) -> Candidate {
    let settings = knobs.apply(&target.settings);
    let instance = generate_theorem2_instance(&mut case_rng(seed, stream), &settings, &target.name);
    let report = check_theorem2_statement(&instance, target.statement);
    Candidate {
        knobs: knobs.clone(),
        stream,
        value: margin.value(&report),
    }
}

/// Keeps the `PARENTS` best candidates with a value, best first (earlier stream on ties).
fn select(pool: &mut Vec<Candidate>, direction: Direction) {
    pool.retain(|c| c.value.is_some());
    pool.sort_by(|a, b| {
        let (x, y) = (a.value.unwrap_or(0.0), b.value.unwrap_or(0.0));
        let order = match direction {
            Direction::Minimum => x.total_cmp(&y),
            Direction::Maximum => y.total_cmp(&x),
        };
        order.then(a.stream.cmp(&b.stream))
    });
    pool.truncate(PARENTS);
}

/// What every search reports besides its best case.
struct Summary {
    margin: Margin,
    direction: Direction,
    budget: usize,
    seed: u64,
    hypotheses_met: usize,
    progress: Vec<f64>,
}

/// The result, with the best case decided exactly.
fn finish(
    target: &SearchTarget,
    summary: Summary,
    start: Option<&Candidate>,
    best: Option<(Instance<Rational>, f64)>,
    accepted_moves: usize,
) -> SearchResult {
    let best_report = best
        .as_ref()
        .map(|(instance, _)| check_theorem2_statement(instance, target.statement));
    SearchResult {
        target: target.name.clone(),
        margin: summary.margin,
        direction: summary.direction,
        budget: summary.budget,
        seed: summary.seed,
        hypotheses_met: summary.hypotheses_met,
        best_value: best.as_ref().map(|(_, v)| *v),
        best_knobs: start.map(|c| c.knobs.clone()),
        best_stream: start.map(|c| c.stream),
        accepted_moves,
        progress: summary.progress,
        best_instance: best.map(|(instance, _)| instance),
        best_report,
    }
}

/// The instance of a candidate, regenerated from its knobs and stream.
fn instance_of(target: &SearchTarget, seed: u64, candidate: &Candidate) -> Instance<Rational> {
    let settings = candidate.knobs.apply(&target.settings);
    generate_theorem2_instance(
        &mut case_rng(seed, candidate.stream),
        &settings,
        &target.name,
    )
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
            .map(|k| {
                let stream = (spent + k) as u64;
                if parents.is_empty() {
                    return (Knobs::NONE, stream);
                }
                let parent = &parents[rng.random_range(0..parents.len())];
                let local =
                    parent.knobs.contrast.is_some() || parent.knobs.last_window_position.is_some();
                let choice = rng.random_range(0.0..1.0);
                if local && choice < LOCAL_PROBABILITY {
                    (
                        parent.knobs.nudged(&mut rng, &target.free_knobs),
                        parent.stream,
                    )
                } else if choice < LOCAL_PROBABILITY + RESAMPLE_PROBABILITY {
                    (parent.knobs.clone(), stream)
                } else {
                    (parent.knobs.mutated(&mut rng, &target.free_knobs), stream)
                }
            })
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

fn r(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

/// A step of random sign and a size spread over two orders of magnitude, `±10^-u` with
/// `u ∈ [0, 2)`: coarse steps move far, fine ones settle next to a boundary.
fn signed_step(rng: &mut ChaCha8Rng) -> f64 {
    let size = 10f64.powf(-rng.random_range(0.0..2.0));
    if rng.random_bool(0.5) { size } else { -size }
}

/// The largest rational with denominator `2^32` not above `x ≥ 0`.
fn rational_below(x: f64) -> Rational {
    r(
        (x.max(0.0) * MOVE_DENOMINATOR as f64).floor() as i64,
        MOVE_DENOMINATOR,
    )
}

/// `noise` scaled by the largest rational `λ` (denominator `2^32`) with
/// `λ² (‖noise‖^P_{2,∞})² ≤ level²`.
fn scaled_into(
    noise: &LayerVector<Rational>,
    width: usize,
    level: &Rational,
) -> LayerVector<Rational> {
    let energy = patch_norm_squared(noise, width);
    if energy.is_zero() {
        return noise.clone();
    }
    let mut scale = rational_below(level.to_f64() / energy.to_f64().sqrt());
    let level_squared = level * level;
    while &scale * &scale * &energy > level_squared {
        scale -= r(1, MOVE_DENOMINATOR);
    }
    noise.map(|v| v * &scale)
}

/// One random exact move of an instance (see the module documentation).
fn moved(
    instance: &Instance<Rational>,
    report: &Theorem2Report,
    rng: &mut ChaCha8Rng,
) -> Instance<Rational> {
    let mut next = instance.clone();
    let mut thetas: Vec<f64> = report
        .layers
        .iter()
        .map(|l| l.window_position.clamp(1e-6, 1.0 - 1e-6))
        .collect();
    let width = instance.model.layer(1).filter_length();
    let energy = patch_norm_squared(&instance.noise, width);
    // The noise level kept by noise moves: the declared budget, or the current patch norm; a
    // noise-free case starts from a sixteenth of its smallest coefficient at layer 1.
    let (_, chain) = instance.signal_and_chain();
    let mut level = instance
        .noise_budget
        .clone()
        .unwrap_or_else(|| rational_below(energy.to_f64().sqrt()));
    if !level.is_positive() {
        level = chain[1]
            .support_magnitude_range()
            .map_or(r(0, 1), |(low, _)| low / r(16, 1));
    }
    match rng.random_range(0..4) {
        0 => {
            let i = rng.random_range(0..thetas.len());
            thetas[i] = match rng.random_range(0..5) {
                0 => 1.0 - 1e-6,
                1 => 1e-6,
                _ => (thetas[i] + 0.1 * signed_step(rng)).clamp(1e-6, 1.0 - 1e-6),
            };
        }
        1 if level.is_positive() => {
            let support: Vec<(usize, usize, bool)> = chain[1]
                .support()
                .map(|(p, c, v)| (p, c, v.is_positive()))
                .collect();
            let (p, c, positive) = support[rng.random_range(0..support.len())];
            let mut unit = LayerVector::zeros(chain[1].length(), chain[1].channels());
            unit.set(p, c, r(if positive { -1 } else { 1 }, 1));
            let atom = synthesis(instance.model.layer(1), &unit).map(|v| v * &level);
            let weight = r(rng.random_range(1..=4), 4);
            let mixed = instance
                .noise
                .map(|v| v * (r(1, 1) - &weight))
                .sum(&atom.map(|v| v * &weight));
            next.noise = scaled_into(&mixed, width, &level);
            if instance.noise_budget.is_some() || instance.is_noiseless() {
                next.noise_budget = Some(level.clone());
            }
        }
        2 if level.is_positive() => {
            // The noise level (and a declared budget with it) scaled by a factor in (1/2, 3/2).
            let scaled = &level * rational_below(1.0 + 0.5 * signed_step(rng));
            next.noise = scaled_into(&instance.noise, width, &scaled);
            if instance.noise_budget.is_some() {
                next.noise_budget = Some(scaled);
            }
        }
        _ => {
            // One coefficient of Γ_K rescaled by a factor in (3/4, 5/4), or its sign flipped.
            let gamma = &instance.deepest_representation;
            let support: Vec<(usize, usize)> = gamma.support().map(|(p, c, _)| (p, c)).collect();
            let (p, c) = support[rng.random_range(0..support.len())];
            let flip = instance.thresholding != Thresholding::Nonnegative && rng.random_bool(0.25);
            let factor = if flip {
                r(-1, 1)
            } else {
                rational_below(1.0 + 0.25 * signed_step(rng))
            };
            let value = gamma.get(p, c) * factor;
            next.deepest_representation.set(p, c, value);
        }
    }
    placed(next, &thetas)
}

/// The instance with every threshold placed at the given position of its window, layer by
/// layer (each window depends on the thresholds above it through `ε_{i-1}`); placement in `f64`
/// from the instance's own quantities, the verdict is decided exactly afterwards.
fn placed(mut instance: Instance<Rational>, thetas: &[f64]) -> Instance<Rational> {
    let report = check_theorem2_statement(&instance.to_f64(), Statement::PAPER);
    let mut epsilon = report.epsilon_0;
    for (i, (l, theta)) in report.layers.iter().zip(thetas).enumerate() {
        let profile = profile_of_report(l);
        let beta = rational_below(profile.threshold_at(&epsilon, theta));
        epsilon = profile.next_epsilon(epsilon, beta.to_f64(), instance.thresholding);
        instance.thresholds[i] = beta;
    }
    instance
}
