//! Many small cases: `campaign-small` (the peers' `f64` workload) and `campaign-exact`
//! (certified two-layer Theorem 2 cases, counted end to end).

use std::hint::black_box;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use super::forward::{forward_fast, forward_plain};
use super::problem::{Problem, problem};
use super::timing::timed;
use crate::campaign::{CaseRecord, CaseVerdict};
use crate::coherence::mutual_coherence;
use crate::conjecture::{Arithmetic, decide, find};
use crate::generate::seed::case_rng;
use crate::generate::theorem2::{Theorem2Settings, generate_theorem2_instance};
use crate::instance::Instance;
use crate::model::{LayerVector, Model};
use crate::scalar::Rational;
use crate::theorems::theorem2::check_theorem2;
use crate::thresholding::Thresholding;

/// One measurement of `campaign-small`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SmallMeasurement {
    /// `campaign-small`.
    pub workload: &'static str,
    /// Cases per run.
    pub cases: usize,
    /// Median seconds of a run.
    pub seconds: f64,
    /// `cases / seconds`.
    pub cases_per_second: f64,
    /// `f64` or `f64-plain`.
    pub arithmetic: &'static str,
    /// Timed runs.
    pub repeat: usize,
    /// Worker threads.
    pub threads: usize,
}

/// `cases` two-layer models (`N = 64`, layers (8, 2), (2, 2), density 5 %); per case the
/// coherence of both layers and the forward computation, through the fast kernels or (with
/// `plain`) the generic operators. One untimed run comes first.
pub fn campaign_small(cases: usize, repeat: usize, plain: bool) -> SmallMeasurement {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let problems: Vec<Problem<f64>> = (0..cases)
        .map(|_| problem(&mut rng, 64, &[(8, 2), (2, 2)], 0.05))
        .collect();
    let seconds = timed(repeat, 1, || {
        let total: f64 = problems
            .par_iter()
            .map(|p| {
                let coherence: f64 = p.model.layers().iter().map(mutual_coherence).sum();
                let report = if plain {
                    forward_plain(p, 1)
                } else {
                    forward_fast(p, 1)
                };
                coherence
                    + report
                        .iter()
                        .map(|r| r.0 as f64 + r.1 as f64 + r.2)
                        .sum::<f64>()
            })
            .sum();
        black_box(total);
    });
    SmallMeasurement {
        workload: "campaign-small",
        cases,
        seconds,
        cases_per_second: cases as f64 / seconds,
        arithmetic: if plain { "f64-plain" } else { "f64" },
        repeat,
        threads: rayon::current_num_threads(),
    }
}

/// The registered campaign whose check and record `campaign-exact` uses.
pub const EXACT_CAMPAIGN: &str = "theorem2-soft";

/// The signal length of `campaign-exact`'s cases.
const EXACT_LENGTH: usize = 64;

/// One measurement of `campaign-exact`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ExactMeasurement {
    /// `campaign-exact`.
    pub workload: &'static str,
    /// The registered campaign whose check and record are used.
    pub campaign: &'static str,
    /// Cases per run.
    pub cases: usize,
    /// `N` of every case.
    pub signal_length: usize,
    /// `K` of every case.
    pub depth: usize,
    /// Median seconds of a run end to end: generation, certified check, record.
    pub seconds: f64,
    /// Certified cases per second end to end: `cases / seconds`.
    pub cases_per_second: f64,
    /// Median seconds of the certified check alone, on the same cases generated beforehand.
    pub check_only_seconds: f64,
    /// Cases per second of the check alone (not a campaign's rate: generation is left out).
    pub check_only_cases_per_second: f64,
    /// The check alone's arithmetic: `small-rational` (the campaign's) or `rational`.
    pub check_only_arithmetic: &'static str,
    /// The master seed.
    pub seed: u64,
    /// Verdicts of the cases.
    pub holds: usize,
    /// Verdicts of the cases.
    pub vacuous: usize,
    /// Verdicts of the cases.
    pub violated: usize,
    /// Verdicts of the cases.
    pub undecided: usize,
    /// Cases that met every hypothesis.
    pub hypotheses_met: usize,
    /// Timed runs of each.
    pub repeat: usize,
    /// Worker threads.
    pub threads: usize,
}

/// A generated instance of length at most `length` placed in a signal of length `length`
/// (zeros appended). Generated supports never wrap around the period, so the cluster images,
/// `s_i`, `μ_i` and the magnitudes are unchanged and no patch gains energy: the hypotheses the
/// generator met still hold, and the certified check decides every case anyway.
fn with_signal_length(instance: Instance<Rational>, length: usize) -> Instance<Rational> {
    if instance.model.signal_length() == length {
        return instance;
    }
    let model = Model::new(
        length,
        instance.model.input_channels(),
        instance.model.layers().to_vec(),
    )
    .expect("a longer signal is valid");
    let widen = |v: &LayerVector<Rational>| {
        let mut out = LayerVector::zeros(length, v.channels());
        for (p, c, value) in v.support() {
            out.set(p, c, value.clone());
        }
        out
    };
    Instance {
        deepest_representation: widen(&instance.deepest_representation),
        noise: widen(&instance.noise),
        model,
        ..instance
    }
}

/// Two-layer soft-thresholding Theorem 2 instances of length 64: the generator's cases of depth
/// 2 (`min_depth = max_depth = 2`) and length at most 64, in case order (generated in
/// parallel; the order does not depend on threads).
pub fn two_layer_instances(seed: u64, cases: usize) -> Vec<Instance<Rational>> {
    let mut settings = Theorem2Settings::new(Thresholding::Soft);
    settings.min_depth = 2;
    settings.max_depth = 2;
    settings.max_signal_length = EXACT_LENGTH;
    (0..cases as u64)
        .into_par_iter()
        .map(|k| {
            let instance = generate_theorem2_instance(
                &mut case_rng(seed, k),
                &settings,
                "bench campaign-exact",
            );
            debug_assert_eq!(instance.model.depth(), 2);
            with_signal_length(instance, EXACT_LENGTH)
        })
        .collect()
}

/// Measures `campaign-exact` on `cases` generated two-layer Theorem 2 instances of length 64
/// ([`two_layer_instances`]). End to end, as a campaign spends it: the instances are generated,
/// each is decided by the certified check of [`EXACT_CAMPAIGN`] and turned into its checkpoint
/// line. Beside it, the check alone on the same instances, in the campaign's arithmetic or
/// (with `big_rational`) in big rationals. One untimed run of each comes first.
///
/// # Panics
///
/// If a check is not certified (an exact check always is).
pub fn campaign_exact(
    cases: usize,
    repeat: usize,
    seed: u64,
    big_rational: bool,
) -> ExactMeasurement {
    let conjecture = find(EXACT_CAMPAIGN).expect("theorem2-soft is registered");
    let mut verdicts: Vec<CaseVerdict> = Vec::new();
    let seconds = timed(repeat, 1, || {
        let instances = two_layer_instances(seed, cases);
        verdicts = instances
            .par_iter()
            .enumerate()
            .map(|(case, instance)| {
                let outcome = decide(&*conjecture, instance, Arithmetic::Exact);
                let record = CaseRecord::new(case as u64, &outcome);
                assert!(record.certified, "an exact check is certified");
                black_box(serde_json::to_string(&record).expect("records serialise"));
                record.verdict
            })
            .collect();
    });
    let instances = two_layer_instances(seed, cases);
    let check_only_seconds = timed(repeat, 1, || {
        instances.par_iter().for_each(|instance| {
            let certified = if big_rational {
                check_theorem2(instance).certified
            } else {
                decide(&*conjecture, instance, Arithmetic::Exact).certified
            };
            assert!(certified, "an exact check is certified");
        });
    });
    let count = |v: CaseVerdict| verdicts.iter().filter(|x| **x == v).count();
    ExactMeasurement {
        workload: "campaign-exact",
        campaign: EXACT_CAMPAIGN,
        cases,
        signal_length: EXACT_LENGTH,
        depth: 2,
        seconds,
        cases_per_second: cases as f64 / seconds,
        check_only_seconds,
        check_only_cases_per_second: cases as f64 / check_only_seconds,
        check_only_arithmetic: if big_rational {
            "rational"
        } else {
            "small-rational"
        },
        seed,
        holds: count(CaseVerdict::Holds),
        vacuous: count(CaseVerdict::Vacuous),
        violated: count(CaseVerdict::Violated),
        undecided: count(CaseVerdict::Undecided),
        hypotheses_met: cases - count(CaseVerdict::Vacuous),
        repeat,
        threads: rayon::current_num_threads(),
    }
}
