//! The coherences of a separable ladder, chosen from the top down against a budget, as for
//! the strided ladders on a line (`crate::generate::real_layers`), with every quantity read
//! off the image: layer `i` has filters `g_i ⊗ f_{i,c}`, the rows factor `g_i` the
//! Pythagorean pair of `q^h_i` at rows 0 and `h_i`, the columns factor the ladder filter of
//! `q^w_i`. By G6 (`proofs/two_dimensions.md`) every channel's coherence is
//! `μ_i = max(μ(q^h_i), μ(q^w_i))`, the interference the budget charges (G13).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::rows::RowsAxes;
use crate::generate::coherent::{ladder_layer, parameter_for_coherence, pythagorean_pair, sign};
use crate::instance::Instance;
use crate::model::{FilterShape, Grid, GridGeometry, Layer, LayerVector, Model};
use crate::scalar::{Rational, Scalar, ratio as r};
use crate::strided_norms::{strided_patch_sparsity, strided_stripe_sparsity};
use crate::strided_operators::grid_synthesis;

/// The image model, `Γ_K` on its grid, and each layer's largest window position.
pub(super) struct SeparableCoherences {
    pub model: Model<Rational>,
    pub gamma: LayerVector<Rational>,
    pub theta_caps: Vec<f64>,
}

/// The two factors of one layer before its coherences are chosen.
struct Factors {
    number: usize,
    channels: usize,
    columns_gap: usize,
    rows_gap: usize,
    geometry: GridGeometry,
    signs: (i64, i64),
    rows_signs: (i64, i64),
}

impl Factors {
    /// The layer of filters `g ⊗ f_c`, `g` the rows pair of `q_rows`, `f_c` the ladder filter
    /// of `q_columns`.
    fn layer(&self, q_rows: i64, q_columns: i64) -> Layer<Rational> {
        let line = ladder_layer(
            self.number,
            self.channels,
            self.columns_gap,
            q_columns,
            self.signs,
        );
        let (b, a, _) = pythagorean_pair(q_rows);
        let mut rows = vec![r(0, 1); self.rows_gap + 1];
        rows[0] = b * r(self.rows_signs.0, 1);
        rows[self.rows_gap] = a * r(self.rows_signs.1, 1);
        let filters = line
            .nested_filters()
            .into_iter()
            .map(|f| {
                rows.iter()
                    .flat_map(|g| f.iter().map(move |tap| tap.iter().map(|v| g * v).collect()))
                    .collect()
            })
            .collect();
        let shape = FilterShape {
            rows: self.rows_gap + 1,
            columns: self.columns_gap + 1,
        };
        Layer::new(self.number, filters)
            .and_then(|layer| layer.on_grid(self.number, shape, self.geometry))
            .expect("g ⊗ f of unit factors is a unit filter of n_h × n_w taps")
    }
}

/// `(ρ, |Γ^max|)` of a layer vector, `(1, 1)` when it is zero.
fn contrast_and_max(gamma: &LayerVector<Rational>) -> (f64, f64) {
    gamma
        .support_magnitude_range()
        .map_or((1.0, 1.0), |(lo, hi)| {
            (lo.to_f64() / hi.to_f64(), hi.to_f64())
        })
}

/// The image of `line`'s `Γ_K` on row `rows.top_row`.
fn image_gamma(line: &Instance<Rational>, rows: &RowsAxes) -> LayerVector<Rational> {
    let depth = line.model.depth();
    let grid = Grid {
        rows: rows.heights[depth],
        columns: line.model.length(depth),
    };
    let mut gamma = LayerVector::zeros_on(grid, line.model.channels(depth));
    for (p, c, value) in line.deepest_representation.support() {
        gamma.set(grid.position(rows.top_row, p), c, value.clone());
    }
    gamma
}

/// Chooses `q^h_i, q^w_i` from the top down (the line's columns axes, gaps and `Γ_K`, the
/// rows axes drawn); the signs of the taps are drawn (`+` when nonnegative).
pub(super) fn choose_separable_coherences(
    rng: &mut ChaCha8Rng,
    line: &Instance<Rational>,
    rows: &RowsAxes,
    nonnegative: bool,
) -> SeparableCoherences {
    let model = &line.model;
    let depth = model.depth();
    let gamma = image_gamma(line, rows);
    let mut layers: Vec<Option<Layer<Rational>>> = vec![None; depth];
    let mut theta_caps = vec![0.98; depth];
    let mut current = gamma.clone();
    let mut budget = f64::INFINITY;
    for i in (1..=depth).rev() {
        let factors = Factors {
            number: i,
            channels: model.channels(i),
            columns_gap: model.layer(i).filter_length() - 1,
            rows_gap: rows.gaps[i - 1],
            geometry: GridGeometry {
                rows: rows.geometries[i - 1],
                columns: model.layer(i).geometry(),
            },
            signs: (sign(rng, nonnegative), sign(rng, nonnegative)),
            rows_signs: (sign(rng, nonnegative), sign(rng, nonnegative)),
        };
        let input = Grid {
            rows: rows.heights[i - 1],
            columns: model.length(i - 1),
        };
        let (contrast, gamma_max) = contrast_and_max(&current);
        let stripe = strided_stripe_sparsity(&current, &factors.layer(2, 2)) as f64;
        let mut limit = contrast;
        if i < depth {
            theta_caps[i - 1] = (budget / 4.0).min(0.25);
            limit = limit.min(budget - theta_caps[i - 1]);
        }
        let target = rng.random_range(0.3..0.6) * limit / (2.0 * stripe - 1.0);
        // One axis at the target, the other at a drawn fraction of it: either may dominate.
        let other = target * rng.random_range(0.3..1.0);
        let (rows_target, columns_target) = if rng.random_bool(0.5) {
            (target, other)
        } else {
            (other, target)
        };
        let (q_rows, q_columns) = (
            parameter_for_coherence(rows_target),
            parameter_for_coherence(columns_target),
        );
        let layer = factors.layer(q_rows, q_columns);
        let below = grid_synthesis(i, &layer, input, &current).expect("the grids fit every layer");
        if i > 1 {
            let p = strided_patch_sparsity(i, &below, &layer).expect("the grids fit") as f64;
            let (_, below_max) = contrast_and_max(&below);
            let amplification = p.sqrt() * below_max / gamma_max;
            let coherence = pythagorean_pair(q_rows)
                .2
                .max(pythagorean_pair(q_columns).2);
            let interference = (2.0 * stripe - 1.0) * coherence;
            budget = (limit - interference).max(0.0) / (2.0 * amplification);
        }
        layers[i - 1] = Some(layer);
        current = below;
    }
    let layers = layers
        .into_iter()
        .map(|l| l.expect("every layer is chosen"))
        .collect();
    let signal = Grid {
        rows: rows.heights[0],
        columns: model.length(0),
    };
    let model = Model::on_grid(signal, model.input_channels(), layers)
        .expect("a separable ladder meets every model rule");
    SeparableCoherences {
        model,
        gamma,
        theta_caps,
    }
}
