//! The `f32` path of `forward-large`: the model, `Γ_K`, `E` and `β` rounded once to `f32`, and
//! every vector of the pass kept across runs.

use super::forward::LayerSummary;
use super::problem::Problem;
use crate::fast::forward_pass::{
    LayerOperators, PositionReport, layer_report, layered_thresholding_against_into, products_into,
    synthesis_chain_into,
};
use crate::model::LayerVector;
use crate::theorems::theorem2_bounds::patch_width;
use crate::thresholding::Thresholding;

/// The `f32` forward computation: the model, `Γ_K`, `E` and `β` rounded once, and its vectors.
pub(super) struct Single {
    operators: Vec<LayerOperators<f32>>,
    /// `(n_i, m_i)` of each layer.
    shapes: Vec<(usize, usize)>,
    /// `n_{i+1}`, the patch width of each layer but the deepest (whose width is the run's).
    inner_patch_widths: Vec<usize>,
    length: usize,
    deepest: Vec<f32>,
    noise: Vec<f32>,
    thresholds: Vec<f32>,
    chain: Vec<Vec<f32>>,
    signal: Vec<f32>,
    pub(super) estimates: Vec<Vec<f32>>,
    /// The nonzeros of `Γ_i[p, :]` and `‖Γ_i[p, :] − Γ̂_i[p, :]‖²` (in `f64`) of every position.
    reports: Vec<Vec<PositionReport>>,
}

impl Single {
    pub(super) fn new(p: &Problem<f64>) -> Self {
        let rounded = |v: &LayerVector<f64>| v.entries().iter().map(|x| *x as f32).collect();
        Single {
            operators: p.model.layers().iter().map(LayerOperators::new).collect(),
            shapes: p
                .model
                .layers()
                .iter()
                .map(|l| (l.filter_length(), l.filter_count()))
                .collect(),
            inner_patch_widths: (1..p.model.depth())
                .map(|i| patch_width(&p.model, i, 0))
                .collect(),
            length: p.deepest.length(),
            deepest: rounded(&p.deepest),
            noise: rounded(&p.noise),
            thresholds: (p.thresholds.iter())
                .map(|b| *b.shared().expect("the bench draws one threshold per layer") as f32)
                .collect(),
            chain: Vec::new(),
            signal: vec![0.0; p.noise.entries().len()],
            estimates: Vec::new(),
            reports: Vec::new(),
        }
    }

    /// The products alone, as `products_fast` does in `f64`.
    pub(super) fn products(&mut self) {
        products_into(
            &self.operators,
            &self.deepest,
            self.length,
            &self.signal,
            &mut self.chain,
            &mut self.estimates,
        );
    }

    /// The pass with its report fused into the products (as `forward_fast_into` in `f64`).
    pub(super) fn forward(&mut self, last_width: usize) -> Vec<LayerSummary> {
        let length = self.length;
        synthesis_chain_into(&self.operators, &self.deepest, length, &mut self.chain);
        for ((y, x), e) in self.signal.iter_mut().zip(&self.chain[0]).zip(&self.noise) {
            *y = x + e;
        }
        let references: Vec<&[f32]> = (1..=self.shapes.len())
            .map(|i| {
                self.chain
                    .get(i)
                    .map_or(self.deepest.as_slice(), Vec::as_slice)
            })
            .collect();
        layered_thresholding_against_into(
            &self.operators,
            &self.signal,
            length,
            (&self.thresholds, Thresholding::Soft),
            &references,
            &mut self.estimates,
            &mut self.reports,
        );
        (0..self.shapes.len())
            .map(|i| {
                let width = (self.inner_patch_widths.get(i).copied()).unwrap_or(last_width);
                layer_report(&self.reports[i], self.shapes[i].0, width)
            })
            .collect()
    }
}
