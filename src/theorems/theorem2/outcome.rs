//! A Theorem 2 report as an [`Outcome`]: margins and coverage features for a campaign, and the
//! per-layer table for `check`.

use std::sync::Arc;

use serde_json::json;

use super::{LayerReport, Theorem2Report};
use crate::instance::Instance;
use crate::scalar::Scalar;
use crate::theorems::outcome::{Cell, Details, Outcome, Report, Table, shape_features};
use crate::theorems::theorem2_bounds::profile_of_report;

/// The outcome of a Theorem 2 report on `instance`, with margins, coverage features and the
/// report itself.
pub fn outcome_of<S: Scalar>(report: Theorem2Report, instance: &Instance<S>) -> Outcome {
    let hypotheses_met = report.verdict.hypotheses_met();
    let margins = report
        .layers
        .iter()
        .flat_map(|l| {
            [
                (
                    format!("a-layer{}", l.layer),
                    crate::theorems::theorem2_bounds::relative_a_margin(
                        &profile_of_report(l),
                        l.epsilon_previous,
                    ),
                ),
                (
                    format!("window-position-layer{}", l.layer),
                    l.window_position,
                ),
            ]
        })
        .collect();
    let mut features = shape_features(instance, report.layers.iter().map(|l| l.stripe_sparsity));
    features.push((
        "signal-length".to_string(),
        instance.model.signal_length() as f64,
    ));
    features.extend(depth_features(&report));
    Outcome {
        verdict: report.verdict.clone(),
        certified: report.certified,
        tightness: hypotheses_met.then(|| report.largest_tightness()),
        margins,
        features,
        decided_by: report.decided_by,
        details: Some(Arc::new(report)),
    }
}

/// The report `check` shows: the thresholding, `ε_0`, the enclosure precision, and per layer
/// the window, `β_i`, the hypotheses, `ε_i`, the support and the errors.
impl Details for Theorem2Report {
    fn render(&self) -> Report {
        check_report(self)
    }
}

fn check_report(report: &Theorem2Report) -> Report {
    let yes_no = Cell::Flag;
    Report {
        fields: vec![
            ("variant", json!(report.variant)),
            ("epsilon-0", json!(report.epsilon_0)),
            ("enclosure-bits", json!(report.enclosure_bits)),
        ],
        lines: vec![("ε_0 = ".into(), Cell::Number(report.epsilon_0))],
        table: Some(Table {
            columns: vec![
                ("layer", 5),
                ("low", 10),
                ("β", 10),
                ("high", 10),
                ("(a,b)", 6),
                ("ε_i", 10),
                ("support", 8),
                ("‖err‖P", 10),
                ("‖err‖∞", 10),
                ("tightness", 9),
            ],
            rows: report
                .layers
                .iter()
                .map(|l| {
                    vec![
                        Cell::Count(l.layer),
                        Cell::Number(l.window_low),
                        Cell::Number(l.threshold),
                        Cell::Number(l.window_high),
                        yes_no(l.hypothesis_holds),
                        Cell::Number(l.epsilon),
                        yes_no(l.support_recovered),
                        Cell::Number(l.error_patch_norm),
                        Cell::Number(l.error_max),
                        Cell::Number(l.tightness),
                    ]
                })
                .collect(),
            json: json!(report.layers),
        }),
    }
}

/// Whether layer `i` has interference that the bound must pay for: `s_i ≥ 2` and `μ_i > 0`,
/// the only case where the term `μ_i (s_i − 1) |Γ_i^max|` is not zero.
fn interfering(layer: &LayerReport) -> bool {
    layer.stripe_sparsity >= 2 && layer.coherence > 0.0
}

/// The coverage features of depth and coherence (`proofs/theorem2_depth.md`):
/// `coherent-every-layer` (`μ_i > 0` at every layer), `interference` (some layer interferes),
/// `deep-interference` (some layer `i ≥ 2` interferes), `min-coherence`, and per interfering
/// layer `interference-tightness-layer{i}`, its tightness.
fn depth_features(report: &Theorem2Report) -> Vec<(String, f64)> {
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let layers = &report.layers;
    let mut features = vec![
        (
            "coherent-every-layer".to_string(),
            flag(!layers.is_empty() && layers.iter().all(|l| l.coherence > 0.0)),
        ),
        (
            "interference".to_string(),
            flag(layers.iter().any(interfering)),
        ),
        (
            "deep-interference".to_string(),
            flag(layers.iter().any(|l| l.layer >= 2 && interfering(l))),
        ),
        (
            "min-coherence".to_string(),
            layers
                .iter()
                .map(|l| l.coherence)
                .fold(f64::INFINITY, f64::min),
        ),
    ];
    for layer in layers.iter().filter(|l| interfering(l)) {
        if layer.tightness.is_finite() {
            features.push((
                format!("interference-tightness-layer{}", layer.layer),
                layer.tightness,
            ));
        }
    }
    features
}
