//! The cases of a search: evaluation, selection and the result.

use super::*;

/// One evaluated case.
#[derive(Clone, Debug)]
pub(super) struct Candidate {
    pub(super) knobs: Knobs,
    pub(super) stream: u64,
    pub(super) value: Option<f64>,
}

/// The outcome of a search.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
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

pub(super) fn evaluate(
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
pub(super) fn select(pool: &mut Vec<Candidate>, direction: Direction) {
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
pub(super) struct Summary {
    pub(super) margin: Margin,
    pub(super) direction: Direction,
    pub(super) budget: usize,
    pub(super) seed: u64,
    pub(super) hypotheses_met: usize,
    pub(super) progress: Vec<f64>,
}

/// The result, with the best case decided exactly.
pub(super) fn finish(
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
pub(super) fn instance_of(
    target: &SearchTarget,
    seed: u64,
    candidate: &Candidate,
) -> Instance<Rational> {
    let settings = candidate.knobs.apply(&target.settings);
    generate_theorem2_instance(
        &mut case_rng(seed, candidate.stream),
        &settings,
        &target.name,
    )
}
