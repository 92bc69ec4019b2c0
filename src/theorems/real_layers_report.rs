//! What `check` shows of Theorem 2 for real layers: per layer and channel the coherence
//! `μ_{i,c}`, the window and the threshold, the bound `δ_{i,c}` and the largest error, and per
//! layer `ε_i`, all in `f64` for reading (the verdict itself is decided exactly).

use serde_json::json;

use crate::scalar::Scalar;
use crate::small_rational::SmallRational;
use crate::theorems::outcome::{Cell, Details, Report, Table};
use crate::theorems::real_layers::{RealConclusions, RealEpsilonChain};

/// One channel of one layer.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ChannelRow {
    /// Layer, from 1.
    pub layer: usize,
    /// Output channel, from 0.
    pub channel: usize,
    /// `μ_{i,c}`.
    pub coherence: f64,
    /// The window's lower end `s_i μ_{i,c} |Γ_i^max| + ε_{i-1}`.
    pub window_low: f64,
    /// `β_{i,c}`.
    pub threshold: f64,
    /// The window's upper end, absent for a channel without support.
    pub window_high: Option<f64>,
    /// `δ_{i,c}`.
    pub entrywise_bound: f64,
    /// The largest `|Γ_i − Γ̂_i|` in the channel.
    pub error_max: f64,
    /// `ε_i` (the same on every row of a layer).
    pub epsilon: f64,
}

/// The rows of a decided instance.
#[derive(Clone, Debug)]
pub struct RealLayersReport {
    /// `ε_0`.
    pub epsilon_0: f64,
    /// One row per layer and channel.
    pub rows: Vec<ChannelRow>,
}

impl RealLayersReport {
    /// The rows, read off the two passes.
    pub fn new(
        chain: &RealEpsilonChain<SmallRational>,
        conclusions: &RealConclusions<SmallRational>,
    ) -> Self {
        let classes = &chain.classes;
        let mut rows = Vec::new();
        for (bounds, errors) in chain.layers.iter().zip(&conclusions.layers) {
            let profile = &bounds.profile;
            let epsilon_previous = classes.to_f64(&bounds.epsilon_previous);
            for c in 0..profile.channel_coherence.len() {
                rows.push(ChannelRow {
                    layer: profile.layer,
                    channel: c,
                    coherence: profile.channel_coherence[c].to_f64(),
                    window_low: profile.window_low(c).to_f64() + epsilon_previous,
                    threshold: bounds.threshold.channel(c).to_f64(),
                    window_high: profile
                        .window_high(c)
                        .map(|h| h.to_f64() - epsilon_previous),
                    entrywise_bound: classes.to_f64(&bounds.entrywise[c]),
                    error_max: errors.channel_error_max[c].to_f64(),
                    epsilon: classes.to_f64(&bounds.epsilon),
                });
            }
        }
        RealLayersReport {
            epsilon_0: classes.to_f64(&chain.epsilon_0),
            rows,
        }
    }
}

impl Details for RealLayersReport {
    fn render(&self) -> Report {
        let high = |h: Option<f64>| h.map_or(Cell::Text("∞".into()), Cell::Number);
        Report {
            fields: vec![("epsilon-0", json!(self.epsilon_0))],
            lines: vec![("ε_0 = ".into(), Cell::Number(self.epsilon_0))],
            table: Some(Table {
                columns: vec![
                    ("layer", 5),
                    ("channel", 7),
                    ("μ_c", 10),
                    ("low", 10),
                    ("β_c", 10),
                    ("high", 10),
                    ("δ_c", 10),
                    ("‖err‖∞", 10),
                    ("ε_i", 10),
                ],
                rows: self
                    .rows
                    .iter()
                    .map(|r| {
                        vec![
                            Cell::Count(r.layer),
                            Cell::Count(r.channel),
                            Cell::Number(r.coherence),
                            Cell::Number(r.window_low),
                            Cell::Number(r.threshold),
                            high(r.window_high),
                            Cell::Number(r.entrywise_bound),
                            Cell::Number(r.error_max),
                            Cell::Number(r.epsilon),
                        ]
                    })
                    .collect(),
                json: json!(self.rows),
            }),
        }
    }
}
