//! Random image instances for results without hypotheses (the CNN identity): one or two image
//! layers of 1–3 × 1–3 unit filters over one or two channels, strides 1–2 (2 two times in three)
//! and circular padding on both axes or zero or valid padding drawn per axis, grids of at most 9 × 9 sized from the signal up so that every
//! layer fits, thresholds per channel in `[0, 1/2]`, and dense-ish `Γ_K` and noise.

use num_traits::Zero;
use rand::{Rng, RngExt};

use crate::generate::unit_vectors::unit_rational_vector;
use crate::instance::Instance;
use crate::model::{FilterShape, Geometry, Grid, GridGeometry, Layer, LayerVector, Model, Padding};
use crate::scalar::{Rational, ratio as r};
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

/// The two axes of a layer reading `input` with filters `shape`: circular on both (one
/// padding mode for both axes, as the instance format writes it) when each stride divides its
/// length and each length is at least `2 taps − 1`, else zero or valid on each axis.
fn axes<R: Rng + ?Sized>(rng: &mut R, input: Grid, shape: FilterShape) -> GridGeometry {
    // Stride 2 two times in three on each axis, so that both axes stride in about 44% of
    // the layers.
    let mut stride = || 1 + usize::from(rng.random_bool(2.0 / 3.0));
    let strides = [stride(), stride()];
    let fits =
        |length: usize, taps: usize, stride: usize| length % stride == 0 && length + 1 >= 2 * taps;
    let circular = rng.random_range(0..3) == 0
        && fits(input.rows, shape.rows, strides[0])
        && fits(input.columns, shape.columns, strides[1]);
    let mut axis = |stride: usize, taps: usize| {
        let padding = if circular {
            Padding::Circular
        } else if rng.random_bool(0.5) {
            Padding::Zero {
                left: rng.random_range(0..taps),
                right: rng.random_range(0..taps),
            }
        } else {
            Padding::Valid
        };
        Geometry { stride, padding }
    };
    GridGeometry {
        rows: axis(strides[0], shape.rows),
        columns: axis(strides[1], shape.columns),
    }
}

/// A random image instance named `name`.
pub fn random_image_instance<R: Rng + ?Sized>(rng: &mut R, name: &str) -> Instance<Rational> {
    let signal = Grid {
        rows: rng.random_range(4..=9),
        columns: rng.random_range(4..=9),
    };
    let input_channels = rng.random_range(1..=2);
    let (mut grid, mut channels) = (signal, input_channels);
    let mut layers = Vec::new();
    let mut thresholds = Vec::new();
    for number in 1..=rng.random_range(1..=2) {
        let shape = FilterShape {
            rows: rng.random_range(1..=3).min(grid.rows),
            columns: rng.random_range(1..=3).min(grid.columns),
        };
        let geometry = axes(rng, grid, shape);
        let filter_count = rng.random_range(1..=2);
        let filters = (0..filter_count)
            .map(|_| {
                let unit = unit_rational_vector(rng, shape.taps() * channels, 4);
                unit.chunks(channels).map(<[Rational]>::to_vec).collect()
            })
            .collect();
        let layer = Layer::new(number, filters)
            .and_then(|layer| layer.on_grid(number, shape, geometry))
            .expect("unit filters of n_h × n_w taps");
        grid = geometry
            .output_grid(number, grid, shape)
            .expect("each axis is drawn to fit its length");
        channels = filter_count;
        layers.push(layer);
        thresholds.push(Threshold::per_channel(
            (0..filter_count)
                .map(|_| r(rng.random_range(0..=4), 8))
                .collect(),
        ));
    }
    let model = Model::on_grid(signal, input_channels, layers).expect("the layers fit");
    let depth = model.depth();
    let deepest = sparse(rng, model.grid(depth), model.channels(depth));
    let noise = sparse(rng, signal, input_channels);
    Instance {
        name: name.to_string(),
        source: "generated: a random image model (mlcsc::generate::random_images)".into(),
        model,
        thresholding: Thresholding::Nonnegative,
        thresholds,
        deepest_representation: deepest,
        noise,
        noise_budget: None,
        last_patch_width: 1,
        last_patch_rows: 1,
    }
}

/// A vector on `grid` with about half its entries small nonzero multiples of 1/4.
fn sparse<R: Rng + ?Sized>(rng: &mut R, grid: Grid, channels: usize) -> LayerVector<Rational> {
    let mut vector = LayerVector::zeros_on(grid, channels);
    for p in 0..grid.positions() {
        for c in 0..channels {
            let value = if rng.random_bool(0.5) {
                r(rng.random_range(-8..=8), 4)
            } else {
                Rational::zero()
            };
            vector.set(p, c, value);
        }
    }
    vector
}
