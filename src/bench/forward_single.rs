//! The `f32` path of `forward-large`: the model, `Γ_K`, `E` and `β` rounded once to `f32`, and
//! every vector of the pass kept across runs.

use super::forward::LayerSummary;
use super::problem::Problem;
use crate::fast::single::{self, SingleModel};
use crate::model::LayerVector;
use crate::theorems::theorem2_bounds::patch_width;
use crate::thresholding::Thresholding;

/// The `f32` forward computation: the model, `Γ_K`, `E` and `β` rounded once, and its vectors.
pub(super) struct Single {
    model: SingleModel,
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
}

impl Single {
    pub(super) fn new(p: &Problem<f64>) -> Self {
        let rounded = |v: &LayerVector<f64>| v.entries().iter().map(|x| *x as f32).collect();
        Single {
            model: SingleModel::new(&p.model),
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
        }
    }

    /// The products alone, as [`products_fast`] does in `f64`.
    pub(super) fn products(&mut self) {
        let length = self.length;
        self.model
            .synthesis_chain_into(&self.deepest, length, &mut self.chain);
        for i in (0..self.shapes.len()).rev() {
            let (lower, upper) = self.estimates.split_at_mut(i);
            let input = lower.last().unwrap_or(&self.signal);
            self.model
                .analysis_into(i + 1, input, length, &mut upper[0]);
        }
    }

    pub(super) fn forward(&mut self, last_width: usize) -> Vec<LayerSummary> {
        let length = self.length;
        self.model
            .synthesis_chain_into(&self.deepest, length, &mut self.chain);
        for ((y, x), e) in self.signal.iter_mut().zip(&self.chain[0]).zip(&self.noise) {
            *y = x + e;
        }
        self.model.layered_thresholding_into(
            &self.signal,
            length,
            &self.thresholds,
            Thresholding::Soft,
            &mut self.estimates,
        );
        (0..self.shapes.len())
            .map(|i| {
                let gamma: &[f32] = self.chain.get(i + 1).unwrap_or(&self.deepest);
                let (n, m) = self.shapes[i];
                let width = self
                    .inner_patch_widths
                    .get(i)
                    .copied()
                    .unwrap_or(last_width);
                let (stripe, patch) = single::stripe_and_patch_sparsity(gamma, m, n, width);
                let error =
                    single::difference_patch_norm_squared(&self.estimates[i], gamma, m, width);
                (stripe, patch, error.sqrt())
            })
            .collect()
    }
}
