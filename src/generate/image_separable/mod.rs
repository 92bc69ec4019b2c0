//! Image instances that meet the hypotheses of Theorem 2 for real layers by construction,
//! with atoms that overlap across rows and columns: *separable ladders*
//! (`proofs/two_dimensions.md`, G13).
//!
//! A strided ladder on a line (`crate::generate::real_layers`) gives the columns axis of every
//! layer (stride, padding, gap `g_i`, channels), `Γ_K`'s clusters and `w_K`. Each layer gets a
//! rows axis of its own ([`rows`]): a stride `σ_h ∈ {1, 2}` (2 three times in four), a rows
//! gap `h_i` (a multiple of `σ_h`, paired or spread as the columns' gaps are) and a padding,
//! circular exactly when the columns axis is. Filter `c` of layer `i` is `g_i ⊗ f_{i,c}`: the
//! rows factor `g_i` is a Pythagorean pair at rows 0 and `h_i`, the columns factor the ladder
//! filter, so both factors have two taps, atoms meet across rows and columns, and by G6 every
//! channel's coherence is `max(μ(g_i), μ(f_i))`. `Γ_K` is the line's on one row, its images
//! interior on both axes (the guard band). The coherences are then chosen from the top down
//! against a budget read off the image (`budget`) and the thresholds and noise placed in the
//! image's windows (`placement`), so every layer meets its windows with room left: the
//! hypotheses hold by construction, not by rejection. Half the ladders are transposed (G3).
//!
//! When the rows axes would pass [`rows::MOST_SEPARABLE_ROWS`] rows, or the line is deeper
//! than two layers (a third product of small contrasts needs coherences below what a machine
//! word holds), the line is lifted instead (`crate::generate::image_lift`).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

mod budget;
mod placement;
pub mod rows;

use crate::generate::image_lift::{lift_to_image, transposed_instance};
use crate::generate::real_layers::{
    RealControl, RealLayersSettings, generate_real_layers_instance,
};
use crate::instance::Instance;
use crate::model::{FilterShape, Padding};
use crate::scalar::{Rational, ratio as r};
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;

/// The deepest line a separable ladder is built on.
pub const MOST_SEPARABLE_DEPTH: usize = 2;

/// A separable ladder for `settings` (or, for a deeper line or too tall a rows axis, the
/// line's lift), transposed half the time.
pub fn separable_ladder(
    rng: &mut ChaCha8Rng,
    settings: &RealLayersSettings,
    name: &str,
) -> Instance<Rational> {
    let line = generate_real_layers_instance(rng, settings, name);
    let depth = line.model.depth();
    let circular: Vec<bool> = (1..=depth)
        .map(|i| line.model.layer(i).geometry().padding == Padding::Circular)
        .collect();
    let axes = rows::draw_rows_axes(rng, &circular);
    if depth > MOST_SEPARABLE_DEPTH || !rows::within_bounds(&axes) {
        return lift_to_image(rng, &line);
    }
    let nonnegative = settings.variant == Thresholding::Nonnegative;
    let chosen = budget::choose_separable_coherences(rng, &line, &axes, nonnegative);
    let last_patch = FilterShape {
        rows: rng.random_range(1..=axes.heights[depth].min(2)),
        columns: line.last_patch_width,
    };
    let mut placed = placement::place_on_image(
        rng,
        &chosen.model,
        &chosen.gamma,
        last_patch,
        &chosen.theta_caps,
        settings.variant,
    );
    if settings.control == RealControl::NegativeIdleThreshold {
        let last = placed.thresholds.last_mut().expect("at least one layer");
        let channels = chosen.model.channels(depth);
        let mut values: Vec<Rational> = (0..channels).map(|c| last.channel(c).clone()).collect();
        values[channels - 1] = r(-1, 8);
        *last = Threshold::per_channel(values);
    }
    let image = Instance {
        source: "generated: a separable ladder (mlcsc::generate::image_separable, proofs/two_dimensions.md, G13)".into(),
        model: chosen.model,
        thresholds: placed.thresholds,
        deepest_representation: chosen.gamma,
        noise: placed.noise,
        noise_budget: placed.noise_budget,
        last_patch_rows: last_patch.rows,
        ..line
    };
    if rng.random_bool(0.5) {
        transposed_instance(&image)
    } else {
        image
    }
}
