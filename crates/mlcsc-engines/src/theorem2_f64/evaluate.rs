//! The evaluation of Theorem 2 on an `f64` instance with rigorous error bounds: the enclosed
//! chain and estimates, the hypotheses of the whole instance, each layer's clauses, and the
//! verdict.

use super::enclosed::{Enclosed, analyze, synthesize, threshold};
use super::hypotheses::{initial_error, structural_hypotheses};
use super::interval::{Interval, input};
use super::layer::{LayerInput, check_layer};
use super::open::Open;
use super::screen_layer::ScreenLayer;
use super::screen_threshold;
use crate::instance::Instance;
use crate::theorem2_report::DecidedBy;
use crate::theorem2_report::Theorem2Report;
use crate::theorems::theorem2::Statement;
use crate::theorems::theorem2_bounds::patch_width;
use crate::theorems::verdict::Verdict;

/// The enclosed vectors of the check: the chain `Γ_0, …, Γ_K`, the noise, the signal and the
/// estimates `Γ̂_1, …, Γ̂_K`.
struct Vectors {
    chain: Vec<Enclosed>,
    noise: Enclosed,
    estimates: Vec<Enclosed>,
    /// Every midpoint and radius is finite.
    finite: bool,
}

impl Vectors {
    fn new(instance: &Instance<f64>, layers: &[ScreenLayer], thresholds: &[Interval]) -> Self {
        let depth = layers.len();
        let mut chain = vec![Enclosed::input(&instance.deepest_representation)];
        for i in (1..=depth).rev() {
            let next = synthesize(&layers[i - 1], chain.last().expect("nonempty"));
            chain.push(next);
        }
        chain.reverse();
        let noise = Enclosed::input(&instance.noise);
        let signal = chain[0].sum(&noise);
        let mut estimates: Vec<Enclosed> = Vec::with_capacity(depth);
        for i in 1..=depth {
            let correlations = analyze(&layers[i - 1], estimates.last().unwrap_or(&signal));
            estimates.push(threshold(
                instance.thresholding,
                &correlations,
                screen_threshold(&instance.thresholds[i - 1]),
                thresholds[i - 1],
            ));
        }
        let finite = chain.iter().chain(&estimates).all(Enclosed::finite) && signal.finite();
        Vectors {
            chain,
            noise,
            estimates,
            finite,
        }
    }
}

pub(super) fn evaluate(instance: &Instance<f64>, statement: Statement) -> Theorem2Report {
    let layers: Vec<ScreenLayer> = instance
        .model
        .layers()
        .iter()
        .enumerate()
        .map(|(index, l)| ScreenLayer::new(l, index + 1))
        .collect();
    let thresholds: Vec<Interval> = (instance.thresholds.iter())
        .map(|b| input(screen_threshold(b)))
        .collect();
    let vectors = Vectors::new(instance, &layers, &thresholds);
    let mut open = Open::default();
    let (epsilon_0, epsilon_0_mid, mut failed) = initial_error(instance, &vectors.noise, &mut open);
    if failed.is_none() {
        failed = structural_hypotheses(instance, &vectors.chain, &mut open);
    }
    let mut violation = None;
    let mut reports = Vec::with_capacity(layers.len());
    let (mut epsilon_previous, mut epsilon_previous_mid) = (epsilon_0, epsilon_0_mid);
    let mut chain_open = false;
    for (index, screen) in layers.iter().enumerate() {
        let i = index + 1;
        let input = LayerInput {
            number: i,
            screen,
            truth: &vectors.chain[i],
            estimate: &vectors.estimates[index],
            patch_width: patch_width(&instance.model, i, instance.last_patch_width),
            beta_mid: screen_threshold(&instance.thresholds[index]),
            beta: thresholds[index],
            thresholding: instance.thresholding,
            epsilon_previous,
            epsilon_previous_mid,
        };
        let outcome = check_layer(&input, statement, chain_open, &mut open);
        failed = failed.or(outcome.failed);
        violation = violation.or(outcome.violation);
        chain_open |= outcome.chain_open;
        reports.push(outcome.report);
        epsilon_previous = outcome.epsilon;
        epsilon_previous_mid = outcome.epsilon_mid;
    }
    if !vectors.finite {
        open.note_hypothesis(0, || {
            "a quantity of the f64 computation overflowed; decide it in exact arithmetic".into()
        });
    }
    // A hypothesis certainly false: vacuous. Every hypothesis certainly true and a conclusion
    // certainly false: violated, whatever other conclusion is open. Otherwise open or holds.
    let Open(first_open, hypotheses_open) = open;
    let verdict = match (failed, violation, first_open) {
        (Some(failed), _, _) if vectors.finite => Verdict::Vacuous(failed),
        (None, Some(witness), _) if !hypotheses_open => Verdict::Violated(witness),
        (_, _, Some((layer, comparison))) => Verdict::Undecided { layer, comparison },
        (Some(failed), _, None) => Verdict::Vacuous(failed),
        (None, Some(witness), None) => Verdict::Violated(witness),
        (None, None, None) => Verdict::Holds,
    };
    Theorem2Report {
        verdict,
        certified: false,
        decided_by: DecidedBy::F64Enclosure,
        variant: instance.thresholding.name(),
        epsilon_0: epsilon_0_mid,
        enclosure_bits: 0,
        layers: reports,
    }
}
