//! The generators of the image entries that are not Theorem 2's: random image models
//! (`mlcsc::generate::random_images`) and separable ladders (`mlcsc::generate::image_separable`,
//! `proofs/two_dimensions.md`, G13), half each; and tiny circulant image layers (G15) for the
//! exhaustive stripe spark on images and uniqueness on images (G16).

use mlcsc_spec::theorems::stripe_spark::stripe_spark_on_grid;
use mlcsc_spec::theorems::support_enumeration::StripeCounter;
use num_traits::Zero;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::generate::image_separable::separable_ladder;
use crate::generate::random_images::random_image_instance;
use crate::generate::real_layers::{RealControl, RealLayersSettings};
use crate::generate::unit_vectors::unit_rational_vector;
use crate::instance::Instance;
use crate::model::{FilterShape, Geometry, Grid, GridGeometry, Layer, LayerVector, Model, Padding};
use crate::pursuit::Thresholding;
use crate::scalar::{Rational, ratio as r};
use crate::theorems::uniqueness_image::image_budgets;
use crate::threshold::Threshold;
use mlcsc_spec::theorems::uniqueness_grid::grid_stripe_sparsity;

/// A random image instance or a separable ladder (soft thresholding), half each.
pub fn any_image(rng: &mut ChaCha8Rng, name: &str) -> Instance<Rational> {
    if rng.random_bool(0.5) {
        random_image_instance(rng, name)
    } else {
        let settings = RealLayersSettings {
            variant: Thresholding::Soft,
            control: RealControl::None,
        };
        separable_ladder(rng, &settings, name)
    }
}

/// The most atoms `H W m` of the tiny image layers the exhaustive image entries draw
/// (`crate::io::exhaustive_limits::MOST_IMAGE_SPARK_ATOMS` refuses more).
pub const MOST_TINY_IMAGE_ATOMS: usize = 16;

/// A tiny one-layer image instance for the stripe spark lemma on images: a signal of
/// `H × W ∈ {2, 3, 4}²` over one input channel, one or two filters (`H W m ≤ 16`) of
/// `n_h × n_w` taps with `2 n − 1` at most each axis's length, circular at stride 1 on both
/// axes. A 2 × 2 filter is, two times in five, a separable `(1, ±1)/√2 ⊗ (1, ±1)/√2` (rational:
/// taps `±1/2`), whose two-dimensional transform vanishes on many grids (a factor `(1, −1)` at
/// frequency 0, a factor `(1, 1)` at `π` on an axis of even length), so that `D` has null
/// vectors even with one filter; other filters are random unit rationals. `Γ_1` is one atom.
pub fn tiny_circulant_image(rng: &mut ChaCha8Rng, name: &str) -> Instance<Rational> {
    let (rows, columns) = (rng.random_range(2..=4usize), rng.random_range(2..=4usize));
    let filters = if rows * columns * 2 <= MOST_TINY_IMAGE_ATOMS && rng.random_bool(0.6) {
        2
    } else {
        1
    };
    let shape = FilterShape {
        rows: rng.random_range(1..=rows.div_ceil(2).min(2)),
        columns: rng.random_range(1..=columns.div_ceil(2).min(2)),
    };
    let separable = shape.taps() == 4 && rng.random_bool(0.4);
    let taps: Vec<Vec<Vec<Rational>>> = (0..filters)
        .map(|_| {
            if separable {
                let (g, f) = (sign(rng), sign(rng));
                [(1, 1), (1, f), (g, 1), (g, f)]
                    .iter()
                    .map(|&(a, b)| vec![r(a * b, 2)])
                    .collect()
            } else {
                let unit = unit_rational_vector(rng, shape.taps(), 4);
                unit.into_iter().map(|v| vec![v]).collect()
            }
        })
        .collect();
    let axis = Geometry {
        stride: 1,
        padding: Padding::Circular,
    };
    let geometry = GridGeometry {
        rows: axis,
        columns: axis,
    };
    let layer = Layer::new(1, taps)
        .and_then(|layer| layer.on_grid(1, shape, geometry))
        .expect("unit filters of n_h × n_w taps");
    let signal = Grid { rows, columns };
    let model = Model::on_grid(signal, 1, vec![layer]).expect("circular axes of 2n − 1 or more");
    let mut gamma = LayerVector::zeros_on(model.grid(1), filters);
    gamma.set(rng.random_range(0..signal.positions()), 0, r(1, 1));
    Instance {
        name: name.to_string(),
        source: "generated: a tiny circulant image layer (mlcsc::conjecture)".into(),
        noise: LayerVector::zeros_on(signal, 1),
        model,
        thresholding: Thresholding::Soft,
        thresholds: vec![Threshold::Shared(r(0, 1))],
        deepest_representation: gamma,
        noise_budget: None,
        last_patch_width: 1,
        last_patch_rows: 1,
    }
}

/// `±1`, each half the time.
fn sign(rng: &mut ChaCha8Rng) -> i64 {
    if rng.random_bool(0.5) { 1 } else { -1 }
}

/// A tiny circulant image instance for uniqueness on images (`proofs/two_dimensions.md`, G16):
/// [`tiny_one_layer_below_uniqueness_bound`], and half the time a second layer of one filter
/// of `1 × 1` taps mixing the `m_1` channels (a unit rational vector), with `Γ_2` drawn within
/// `λ_2` and thinned until `Γ_1 = D_2 Γ_2` is within `λ_1` (one atom of `Γ_2` gives `m_1`
/// nonzeros at one position, beyond `λ_1` when `λ_1 < m_1`: those cases are vacuous).
pub fn tiny_image_below_uniqueness_bound(rng: &mut ChaCha8Rng, name: &str) -> Instance<Rational> {
    let mut instance = tiny_one_layer_below_uniqueness_bound(rng, name);
    if rng.random_bool(0.5) {
        let first = instance.model.layer(1).clone();
        let channels = first.filter_count();
        let taps = vec![vec![unit_rational_vector(rng, channels, 4)]];
        let axis = Geometry {
            stride: 1,
            padding: Padding::Circular,
        };
        let one = FilterShape {
            rows: 1,
            columns: 1,
        };
        let mixing = Layer::new(channels, taps)
            .and_then(|layer| {
                layer.on_grid(
                    2,
                    one,
                    GridGeometry {
                        rows: axis,
                        columns: axis,
                    },
                )
            })
            .expect("one tap of m_1 channels");
        let signal = instance.model.grid(0);
        instance.model = Model::on_grid(signal, 1, vec![first, mixing]).expect("1 × 1 taps fit");
        instance.deepest_representation = within_both_budgets(rng, &instance.model);
    }
    instance
}

/// `Γ_2` within `λ_2`, thinned (a random atom removed at a time, never the last) until
/// `Γ_1 = D_2 Γ_2` is within `λ_1`; one atom when a layer has no budget.
fn within_both_budgets(rng: &mut ChaCha8Rng, model: &Model<Rational>) -> LayerVector<Rational> {
    let Ok(lambda) = image_budgets(model, false) else {
        let mut gamma = LayerVector::zeros_on(model.grid(2), 1);
        gamma.set(0, 0, r(1, 1));
        return gamma;
    };
    let mut gamma = within_grid_budget(rng, model.layer(2), model.grid(2), lambda[1]);
    loop {
        let chain = model.synthesis_chain(&gamma).expect("Γ_2 on the last grid");
        let support: Vec<usize> = (0..gamma.entries().len())
            .filter(|&a| !gamma.entries()[a].is_zero())
            .collect();
        if support.len() <= 1 || grid_stripe_sparsity(model.layer(1), &chain[1]) <= lambda[0] {
            return gamma;
        }
        let atom = support[rng.random_range(0..support.len())];
        gamma.set(atom, 0, Rational::zero());
    }
}

/// A tiny circulant image instance ([`tiny_circulant_image`]) of one layer, `Γ_1` drawn within
/// the largest budget `λ_1` below `½ (1 + 1/μ_1)`, so that the hypotheses of G16 hold by
/// construction; `Γ_1` stays one atom when `μ_1 ≥ 1` leaves no budget.
pub fn tiny_one_layer_below_uniqueness_bound(
    rng: &mut ChaCha8Rng,
    name: &str,
) -> Instance<Rational> {
    let mut instance = tiny_circulant_image(rng, name);
    if let Ok(lambda) = image_budgets(&instance.model, false) {
        let layer = instance.model.layer(1);
        let output = instance.model.grid(1);
        instance.deepest_representation = within_grid_budget(rng, layer, output, lambda[0]);
    }
    instance
}

/// A tiny circulant image instance whose `Γ_1` is half of a minimal null vector `Δ` of `D_1`
/// (its atoms of even rank), when `D_1` has one: `−Δ` on the other half synthesizes the same
/// signal, a second solution of `DCP_λ` whenever both halves fit the budget (the negative
/// control of G16). Without a null vector, `Γ_1` is drawn as for the theorem.
pub fn tiny_image_split_null_vector(rng: &mut ChaCha8Rng, name: &str) -> Instance<Rational> {
    let mut instance = tiny_one_layer_below_uniqueness_bound(rng, name);
    let spark = stripe_spark_on_grid(1, instance.model.layer(1), instance.model.grid(0))
        .expect("the model's layers fit its grids");
    if let Some(delta) = spark.witness {
        let mut half = LayerVector::zeros_on(delta.grid(), delta.channels());
        let nonzero = (0..delta.entries().len()).filter(|&a| !delta.entries()[a].is_zero());
        for atom in nonzero.step_by(2) {
            let (p, c) = (atom / delta.channels(), atom % delta.channels());
            half.set(p, c, delta.get(p, c).clone());
        }
        instance.deepest_representation = half;
    }
    instance
}

/// A nonzero representation on `grid` with stripe sparsity at most `budget` (stripes of
/// `layer`, [`StripeCounter::on_grid`]): atoms in random order, each kept with a drawn density
/// while the budget allows, values `±k/4` with `1 ≤ k ≤ 12`.
fn within_grid_budget(
    rng: &mut ChaCha8Rng,
    layer: &Layer<Rational>,
    grid: Grid,
    budget: usize,
) -> LayerVector<Rational> {
    let channels = layer.filter_count();
    let atoms = grid.positions() * channels;
    let mut order: Vec<usize> = (0..atoms).collect();
    for k in (1..atoms).rev() {
        order.swap(k, rng.random_range(0..=k));
    }
    let density = rng.random_range(0.2..0.9);
    let mut counter = StripeCounter::on_grid(layer, grid);
    let mut gamma = LayerVector::zeros_on(grid, channels);
    for (rank, atom) in order.into_iter().enumerate() {
        let first = rank == 0;
        if counter.sparsity_with(atom) > budget || !(first || rng.random_bool(density)) {
            continue;
        }
        counter.add(atom);
        let value = r(rng.random_range(1..=12) * sign(rng), 4);
        gamma.set(atom / channels, atom % channels, value);
    }
    gamma
}
