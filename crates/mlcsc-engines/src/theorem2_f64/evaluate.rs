//! The evaluation of Theorem 2 on an `f64` instance with rigorous error bounds: the enclosed
//! chain and estimates, the hypotheses of the whole instance, each layer's clauses, and the
//! verdict.

use super::deepest::deepest_start;
use super::enclosed::{Enclosed, analyze, synthesize, threshold};
use super::hypotheses::{initial_error, structural_hypotheses};
use super::interval::{Interval, input};
use super::layer::{LayerInput, check_layer, estimate_clauses};
use super::open::Open;
use super::screen_layer::ScreenLayer;
use super::screen_threshold;
use super::support::{SupportMagnitudes, UncertainEntry};
use super::vacuous;
use crate::instance::Instance;
use crate::theorem2_report::{DecidedBy, LayerReport, Theorem2Report};
use crate::theorems::theorem2::Statement;
use crate::theorems::theorem2_bounds::patch_width;
use crate::theorems::verdict::{FailedHypothesis, Verdict, Witness};

/// What every pass of the check reads: the instance, the statement, the layers' filters as
/// used and the thresholds enclosed.
pub(super) struct Context<'a> {
    pub instance: &'a Instance<f64>,
    pub statement: Statement,
    pub layers: Vec<ScreenLayer>,
    pub thresholds: Vec<Interval>,
}

/// The enclosed vectors of the check that do not depend on the pursuit: the chain
/// `Γ_0, …, Γ_K`, the noise and the signal.
pub(super) struct Chain<'a> {
    /// `Γ_0, …, Γ_K`; `Γ_K`'s radii are not written out (its `rad` is empty) while
    /// `deepest_unwritten`.
    pub chain: Vec<Enclosed<'a>>,
    pub noise: Enclosed<'a>,
    pub signal: Enclosed<'a>,
    /// Every entry of `Γ_K` is zero or a normal `f64`.
    pub deepest_normal: bool,
    /// [`certain_magnitudes_with_range`](super::support::certain_magnitudes_with_range) of
    /// `Γ_K`, found from its nonzero entries when the pass that encloses it lists them.
    pub deepest_magnitudes: Option<Result<SupportMagnitudes, UncertainEntry>>,
    /// `Γ_K`'s radii are not written out, each [`deepest_radius`](super::deepest::deepest_radius)
    /// of its entry ([`deepest_start`]): what reads them before
    /// [`Chain::write_deepest_radii`] asks for them so (the hypotheses, and the magnitudes
    /// above); the vacuous shortcut reads none.
    pub deepest_unwritten: bool,
}

impl<'a> Chain<'a> {
    /// The chain, the noise and the signal of the instance, enclosed. `Γ_K` is enclosed in
    /// one pass that also finds what the synthesis by `D_K` and the screen read of it
    /// ([`deepest_start`]), its radii left unwritten where nothing of that synthesis reads them.
    pub fn new(context: &Context<'a>) -> Self {
        let (instance, layers) = (context.instance, &context.layers);
        let factors = layers.last().map_or((0.0, 0.0), |layer| {
            let f = &layer.filters;
            layer.weight_factors(f.filter_length() * f.filter_count())
        });
        let start = deepest_start(layers, &instance.deepest_representation, factors);
        let mut chain = start.chain;
        for i in (1..layers.len()).rev() {
            let (layer, x) = (&layers[i - 1], chain.last().expect("nonempty"));
            let next = synthesize(layer, x);
            chain.push(next);
        }
        chain.reverse();
        let noise = Enclosed::input(&instance.noise);
        let signal = chain[0].sum(&noise);
        Chain {
            chain,
            noise,
            signal,
            deepest_normal: start.normal,
            deepest_magnitudes: start.magnitudes,
            deepest_unwritten: start.unwritten,
        }
    }

    /// `Γ_K`'s radii written out where [`Chain::new`] left them unwritten: [`Enclosed::input`]'s,
    /// the numbers [`deepest_radius`](super::deepest::deepest_radius) stands for.
    pub fn write_deepest_radii(&mut self) {
        if std::mem::take(&mut self.deepest_unwritten) {
            let deepest = self.chain.last_mut().expect("Γ_K");
            let rad = Enclosed::input(deepest.mid.as_ref()).rad;
            deepest.rad = rad;
        }
    }

    /// Every midpoint and radius is finite. `Γ_K` is not read again when every entry is zero
    /// or normal (as it is whenever its radii are unwritten): then each midpoint is finite, and
    /// so is each radius, `0` or the bound of `|x| F64_INPUT_RELATIVE` (far below the largest
    /// `f64`, one rounding up and an allowance of a few subnormals added).
    pub fn finite(&self) -> bool {
        let deepest = self.chain.len().saturating_sub(1);
        (self.chain.iter().enumerate())
            .all(|(i, e)| (i == deepest && self.deepest_normal) || e.finite())
            && self.signal.finite()
    }
}

/// The estimates `Γ̂_1, …, Γ̂_K`, enclosed.
fn estimates(context: &Context, signal: &Enclosed) -> Vec<Enclosed<'static>> {
    let instance = context.instance;
    let mut estimates: Vec<Enclosed<'static>> = Vec::with_capacity(context.layers.len());
    for (index, layer) in context.layers.iter().enumerate() {
        let correlations = analyze(layer, estimates.last().unwrap_or(signal));
        estimates.push(threshold(
            instance.thresholding,
            &correlations,
            screen_threshold(&instance.thresholds[index]),
            context.thresholds[index],
        ));
    }
    estimates
}

/// The decisions of one pass over the hypotheses and the layers.
pub(super) struct Pass {
    epsilon_0: f64,
    /// The first hypothesis certainly false.
    pub failed: Option<FailedHypothesis>,
    violation: Option<Witness>,
    open: Open,
    /// Where the first open comparison of [`pass`] arose: 0 among the hypotheses of the whole
    /// instance, `i` among those of layer `i`.
    first_open_stage: usize,
    /// Each layer's report.
    pub reports: Vec<LayerReport>,
    /// Each layer's bounds for its conclusions ([`super::layer::LayerOutcome::bounds`]).
    bounds: Vec<Option<(Interval, Interval)>>,
}

/// The hypotheses of the whole instance and each layer's hypotheses; the clauses that read
/// the estimates are left for [`complete`].
pub(super) fn pass(context: &Context, chain: &Chain) -> Pass {
    let instance = context.instance;
    let mut open = Open::default();
    let (epsilon_0, epsilon_0_mid, mut failed) = initial_error(instance, &chain.noise, &mut open);
    if failed.is_none() {
        failed = structural_hypotheses(instance, &chain.chain, chain.deepest_unwritten, &mut open);
    }
    let mut first_open_stage = 0;
    let mut reports = Vec::with_capacity(context.layers.len());
    let mut bounds = Vec::with_capacity(context.layers.len());
    let (mut epsilon_previous, mut epsilon_previous_mid) = (epsilon_0, epsilon_0_mid);
    let mut chain_open = false;
    for index in 0..context.layers.len() {
        let i = index + 1;
        let was_open = open.0.is_some();
        let input = layer_input(
            context,
            chain,
            index,
            (epsilon_previous, epsilon_previous_mid),
        );
        let outcome = check_layer(&input, context.statement, chain_open, &mut open);
        if !was_open && open.0.is_some() {
            first_open_stage = i;
        }
        failed = failed.or(outcome.failed);
        chain_open |= outcome.chain_open;
        reports.push(outcome.report);
        bounds.push(outcome.bounds);
        epsilon_previous = outcome.epsilon;
        epsilon_previous_mid = outcome.epsilon_mid;
    }
    Pass {
        epsilon_0: epsilon_0_mid,
        failed,
        violation: None,
        open,
        first_open_stage,
        reports,
        bounds,
    }
}

/// What the check of layer `index + 1` reads, with `ε_{i-1}` enclosed and plain.
fn layer_input<'a>(
    context: &'a Context,
    chain: &'a Chain,
    index: usize,
    (epsilon_previous, epsilon_previous_mid): (Interval, f64),
) -> LayerInput<'a> {
    let instance = context.instance;
    let i = index + 1;
    LayerInput {
        number: i,
        screen: &context.layers[index],
        truth: &chain.chain[i],
        magnitudes: (i == context.layers.len())
            .then_some(chain.deepest_magnitudes)
            .flatten(),
        patch_width: patch_width(&instance.model, i, instance.last_patch_width),
        beta_mid: screen_threshold(&instance.thresholds[index]),
        beta: context.thresholds[index],
        thresholding: instance.thresholding,
        epsilon_previous,
        epsilon_previous_mid,
    }
}

/// [`pass`] completed with the clauses that read the estimates, layer by layer: the report's
/// numbers of the error and the conclusions. The first open comparison is the one a single
/// pass in the order of the layers meets first: a layer's hypotheses come before its
/// conclusions, which come before the next layer's hypotheses.
pub(super) fn complete(
    pass: Pass,
    context: &Context,
    chain: &Chain,
    estimates: &[Enclosed],
) -> Pass {
    let Pass {
        epsilon_0,
        failed,
        open: Open(first_open, hypotheses_open),
        first_open_stage,
        mut reports,
        bounds,
        ..
    } = pass;
    let mut violation = None;
    let mut conclusions_open = Vec::with_capacity(reports.len());
    for (index, (report, estimate)) in reports.iter_mut().zip(estimates).enumerate() {
        // The layer's `ε_{i-1}` is not read by the clauses of the estimate.
        let input = layer_input(context, chain, index, (Interval::point(0.0), 0.0));
        let mut layer_open = Open::default();
        let found = estimate_clauses(&input, estimate, bounds[index], report, &mut layer_open);
        violation = violation.or(found);
        conclusions_open.push(layer_open.0);
    }
    let first = first_in_pass_order(
        first_open.map(|first| (first_open_stage, first)),
        conclusions_open,
    );
    let open = Open(first, hypotheses_open);
    Pass {
        epsilon_0,
        failed,
        violation,
        open,
        first_open_stage,
        reports,
        bounds,
    }
}

/// The first open comparison of one pass in the order of the layers, from the first among the
/// hypotheses (with its stage: 0 for the whole instance, `i` for layer `i`) and the first
/// among each layer's conclusions: the hypotheses of layer `i` come before its conclusions,
/// which come before the hypotheses of layer `i + 1`.
fn first_in_pass_order<T>(
    hypotheses: Option<(usize, T)>,
    conclusions: Vec<Option<T>>,
) -> Option<T> {
    let mut conclusions = (conclusions.into_iter().enumerate())
        .filter_map(|(index, first)| first.map(|first| (index + 1, first)));
    match (hypotheses, conclusions.next()) {
        (Some((stage, hypothesis)), Some((layer, conclusion))) => Some(if stage <= layer {
            hypothesis
        } else {
            conclusion
        }),
        (hypothesis, conclusion) => hypothesis.map(|h| h.1).or(conclusion.map(|c| c.1)),
    }
}

/// The report of a pass; `finite` says whether every midpoint and radius of the check is
/// finite.
pub(super) fn report(pass: Pass, context: &Context, finite: bool) -> Theorem2Report {
    let Pass {
        epsilon_0,
        failed,
        violation,
        mut open,
        reports,
        ..
    } = pass;
    if !finite {
        open.note_hypothesis(0, || {
            "a quantity of the f64 computation overflowed; decide it in exact arithmetic".into()
        });
    }
    // A hypothesis certainly false: vacuous. Every hypothesis certainly true and a conclusion
    // certainly false: violated, whatever other conclusion is open. Otherwise open or holds.
    let Open(first_open, hypotheses_open) = open;
    let verdict = match (failed, violation, first_open) {
        (Some(failed), _, _) if finite => Verdict::Vacuous(failed),
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
        variant: context.instance.thresholding.name(),
        epsilon_0,
        enclosure_bits: 0,
        layers: reports,
    }
}

/// The check; with `shortcut`, a verdict certainly `vacuous` is given without the estimates'
/// radii when the report does not need them ([`vacuous`]), with the same report. With it,
/// whether every entry of `Γ_K` is zero or a normal `f64` (found as it is enclosed).
pub(super) fn evaluate(
    instance: &Instance<f64>,
    statement: Statement,
    shortcut: bool,
) -> (Theorem2Report, bool) {
    let context = Context {
        instance,
        statement,
        layers: (instance.model.layers().iter().enumerate())
            .map(|(index, l)| ScreenLayer::new(l, index + 1))
            .collect(),
        thresholds: (instance.thresholds.iter())
            .map(|b| input(screen_threshold(b)))
            .collect(),
    };
    let mut chain = Chain::new(&context);
    let normal = chain.deepest_normal;
    // The hypotheses never read the estimates: decided once, on the chain alone.
    let mut hypotheses = pass(&context, &chain);
    if shortcut {
        match vacuous::without_estimate_radii(&context, &mut chain, hypotheses) {
            Ok(report) => return (report, normal),
            Err(unchanged) => hypotheses = *unchanged,
        }
    }
    // The estimates' clauses read `Γ_K`'s radii.
    chain.write_deepest_radii();
    let estimates = estimates(&context, &chain.signal);
    let finite = chain.finite() && estimates.iter().all(Enclosed::finite);
    let pass = complete(hypotheses, &context, &chain, &estimates);
    (report(pass, &context, finite), normal)
}

#[cfg(test)]
mod tests {
    use super::first_in_pass_order;

    /// Layer 1's hypotheses, then its conclusions, then layer 2's hypotheses, and so on.
    #[test]
    fn the_first_open_comparison_is_the_first_in_the_order_of_one_pass() {
        let at = |stage: usize, what: &'static str| Some((stage, what));
        assert_eq!(
            first_in_pass_order(at(0, "ε_0"), vec![Some("c1")]),
            Some("ε_0")
        );
        assert_eq!(
            first_in_pass_order(at(1, "h1"), vec![Some("c1")]),
            Some("h1")
        );
        assert_eq!(
            first_in_pass_order(at(2, "h2"), vec![Some("c1"), None]),
            Some("c1")
        );
        assert_eq!(
            first_in_pass_order(at(2, "h2"), vec![None, Some("c2")]),
            Some("h2")
        );
        assert_eq!(
            first_in_pass_order(at(3, "h3"), vec![None, Some("c2"), None]),
            Some("c2")
        );
        assert_eq!(
            first_in_pass_order(at(3, "h3"), vec![None, None, None]),
            Some("h3")
        );
        assert_eq!(
            first_in_pass_order(None, vec![None, Some("c2"), Some("c3")]),
            Some("c2")
        );
        assert_eq!(first_in_pass_order::<&str>(None, vec![None, None]), None);
    }
}
