//! Instances inside their own network's certified region, by construction
//! (`proofs/certified_region_generator.md`), and, for the negative control, instances one
//! amplitude just outside it.
//!
//! 1. **Network** (`network`): `K ∈ {1, 2}` layers of `m ∈ {1, 2, 3}` channels, channel `c`
//!    reading channel `c` only; layer 1 from a catalogue of weakly coherent filters, layer 2 a
//!    two-tap filter whose taps are more than `2h_1` apart; strides 1 to 3; zero, valid and
//!    circular padding.
//! 2. **Thresholds**: layer 1's largest `B_1` drawn, the others in `[0.6 B_1, B_1]`; layer 2's
//!    inside the closed-form interval of [`second_layer_interval`] and
//!    [`second_channel_floor`] (G1, G2 of the proof), with slack.
//! 3. **Codes** (`codes`): the atoms of `Γ_K` one per stripe, images apart, interior; the
//!    noise a fraction of the largest level at which a synthesised code fits every band
//!    (sometimes 0, sometimes one spike reaching it); the amplitudes inside the bands pulled
//!    back to `Γ_K`.
//!
//! The control ([`RegionControl::Outside`]) draws the same case without noise and moves one
//! atom just outside layer 1's band: above `β_c/μ_c` (its coherent neighbour, off the support,
//! then fires) or below `max β` in the channel of the largest threshold (it is then missed).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

mod codes;
pub mod network;

use crate::instance::Instance;
use crate::model::{LayerVector, Padding};
use crate::scalar::Rational;
use crate::theorems::certified_region_membership::{certificate, finite_rational};
use crate::threshold::Threshold;
use crate::thresholding::Thresholding;
use mlcsc_spec::certified_region::stripes_per_window;
use network::FilterChoice;

/// Which side of the region a case is drawn on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionControl {
    /// Inside: the case lies in its network's certified region.
    Inside,
    /// One amplitude just outside layer 1's band, without noise.
    Outside,
}

/// G1: the interval of `B_2 = max_c β_{2,c}` for which a synthesised pair fits both bands
/// without noise, given layer 1's `B_1`, its upper limit `U_1 = min_c β_{1,c}/μ_{1,c}`
/// (`∞` when `μ_1 = 0`), `P_1(1)`, layer 2's taps `w_min ≤ w_max` and `μ_2`:
/// `max(μ_2 B_1/w_min + ε_1, ε_1 (1 + μ_2)/(1 − μ_2)) < B_2 < U_1/w_max − ε_1`, with
/// `ε_1 = sqrt(P_1) B_1`; `None` when it is empty.
pub fn second_layer_interval(
    largest_1: f64,
    upper_1: f64,
    patch_bound_1: usize,
    taps: (f64, f64),
    coherence_2: f64,
) -> Option<(f64, f64)> {
    let (w_min, w_max) = taps;
    let epsilon_1 = (patch_bound_1 as f64).sqrt() * largest_1;
    if largest_1 / w_min >= upper_1 / w_max || coherence_2 >= 1.0 {
        return None;
    }
    let low = (coherence_2 * largest_1 / w_min + epsilon_1)
        .max(epsilon_1 * (1.0 + coherence_2) / (1.0 - coherence_2));
    let high = upper_1 / w_max - epsilon_1;
    (low < high).then_some((low, high))
}

/// G2: the least threshold of a layer-2 channel once `B_2` is fixed:
/// `max(μ_2 B_1/w_min + ε_1, μ_2 B_2 + ε_1 (1 + μ_2))`.
pub fn second_channel_floor(
    largest_1: f64,
    patch_bound_1: usize,
    w_min: f64,
    coherence_2: f64,
    largest_2: f64,
) -> f64 {
    let epsilon_1 = (patch_bound_1 as f64).sqrt() * largest_1;
    (coherence_2 * largest_1 / w_min + epsilon_1)
        .max(coherence_2 * largest_2 + epsilon_1 * (1.0 + coherence_2))
}

/// `P_1(1)` of a two-layer design: `⌈n_2/(2h_1 + 1)⌉`, one more when layer 2 is circular over
/// a layer 1 that is not.
pub fn first_patch_bound(first: &FilterChoice, second: &FilterChoice) -> usize {
    let wraps = second.padding == Padding::Circular && first.padding != Padding::Circular;
    stripes_per_window(first.length(), first.stride, second.length(), wraps)
}

/// `x` on the grid of `2^-20`.
fn grid(x: f64) -> f64 {
    let scale = f64::from(1u32 << 20);
    (x * scale).round() / scale
}

/// Thresholds `[B, β_c …]` with the largest `B` in channel drawn, the others in `(floor, B]`
/// at fractions drawn in `[0.1, 1]` of the way from `floor` to `B`.
fn channel_thresholds(rng: &mut ChaCha8Rng, channels: usize, largest: f64, floor: f64) -> Vec<f64> {
    let top = rng.random_range(0..channels);
    (0..channels)
        .map(|c| {
            if c == top || rng.random_bool(0.2) {
                largest
            } else {
                grid(floor + (largest - floor) * rng.random_range(0.1..1.0))
            }
        })
        .collect()
}

/// Every layer's thresholds for `filters`, inside the feasible intervals with slack.
pub fn draw_thresholds(
    rng: &mut ChaCha8Rng,
    filters: &[FilterChoice],
    channels: usize,
) -> Vec<Vec<f64>> {
    let largest_1 = grid(rng.random_range(0.2..1.0));
    let first = channel_thresholds(rng, channels, largest_1, 0.6 * largest_1);
    let Some(second) = filters.get(1) else {
        return vec![first];
    };
    let coherence_1 = filters[0].coherence();
    let least_1 = first.iter().copied().fold(f64::INFINITY, f64::min);
    let upper_1 = if coherence_1 > 0.0 {
        least_1 / coherence_1
    } else {
        f64::INFINITY
    };
    let patch_bound = first_patch_bound(&filters[0], second);
    let taps = second.tap_range();
    let coherence_2 = second.coherence();
    let (low, high) = second_layer_interval(largest_1, upper_1, patch_bound, taps, coherence_2)
        .expect("every catalogued design has a feasible second layer (G1)");
    let high = if high.is_finite() { high } else { 3.0 * low };
    let largest_2 = grid(low + (high - low) * rng.random_range(0.15..0.85));
    let floor = second_channel_floor(largest_1, patch_bound, taps.0, coherence_2, largest_2);
    let floor = floor + 0.15 * (largest_2 - floor);
    vec![first, channel_thresholds(rng, channels, largest_2, floor)]
}

/// A case for `control`.
pub fn generate_certified_region_instance(
    rng: &mut ChaCha8Rng,
    control: RegionControl,
    name: &str,
) -> Instance<Rational> {
    let depth = rng.random_range(1..=2usize);
    let channels = rng.random_range(1..=3usize);
    let mut filters = vec![network::draw_first(rng, depth)];
    if depth == 2 {
        let second = network::draw_second(rng, &filters[0]);
        filters.push(second);
    }
    let thresholds = draw_thresholds(rng, &filters, channels);
    let count = rng.random_range(1..=3usize);
    let spacing = match filters.get(1) {
        None => 2 * filters[0].half_width() + 1,
        Some(second) => (2 * second.half_width() + 1)
            .max((second.length() - 1 + 2 * filters[0].half_width()).div_ceil(second.stride) + 1),
    } + rng.random_range(0..=2usize);
    let layout = codes::lay_out(rng, &filters, channels, count, spacing);
    let exact = |values: &Vec<f64>| {
        Threshold::per_channel(values.iter().map(|&v| finite_rational(v)).collect())
    };
    let mut instance = Instance {
        name: name.into(),
        source:
            "generated: inside a network's certified region (mlcsc::generate::certified_region)"
                .into(),
        last_patch_width: filters[depth - 1].length(),
        last_patch_rows: 1,
        thresholds: thresholds.iter().map(exact).collect(),
        thresholding: Thresholding::Nonnegative,
        deepest_representation: LayerVector::zeros(layout.model.length(depth), channels),
        noise: LayerVector::zeros(layout.model.signal_length(), channels),
        noise_budget: None,
        model: layout.model,
    };
    let certificate = certificate(&instance).expect("unit filters fold");
    let mut taps = vec![(1.0, 1.0)];
    if depth == 2 {
        taps.insert(0, filters[1].tap_range());
    }
    let level = match control {
        RegionControl::Outside => 0.0,
        RegionControl::Inside if rng.random_bool(0.2) => 0.0,
        RegionControl::Inside => {
            codes::largest_level(&certificate, &taps) * rng.random_range(0.05..0.85)
        }
    };
    let (low, high) =
        codes::pulled_back(&certificate, &taps, level).expect("a synthesised code fits");
    let length = instance.model.length(depth);
    let mut gamma = codes::draw_code(rng, &layout.atoms, length, channels, (low, high));
    if control == RegionControl::Outside {
        outside(rng, &mut gamma, &layout.atoms, &filters, &thresholds[0]);
    }
    instance.noise = codes::noise(
        rng,
        instance.model.signal_length(),
        channels,
        filters[0].length(),
        level,
    );
    instance.deepest_representation = gamma;
    instance
}

/// Moves the first atom just outside layer 1's band: above `β_c/μ_1` in the channel of the
/// least threshold (when `μ_1 > 0`, half the time), else below `B_1` in the channel of the
/// largest.
fn outside(
    rng: &mut ChaCha8Rng,
    gamma: &mut LayerVector<Rational>,
    atoms: &[(usize, usize)],
    filters: &[FilterChoice],
    first: &[f64],
) {
    let (w_min, w_max) = filters.get(1).map_or((1.0, 1.0), FilterChoice::tap_range);
    let coherence = filters[0].coherence();
    let step = rng.random_range(0.005..0.1);
    let pick = |best: &dyn Fn(f64, f64) -> bool| {
        (0..first.len()).fold(0, |k, c| if best(first[c], first[k]) { c } else { k })
    };
    let (q, _) = atoms[0];
    let (channel, amplitude) = if coherence > 0.0 && rng.random_bool(0.5) {
        let c = pick(&|a, b| a < b);
        (c, first[c] / coherence * (1.0 + step) / w_max)
    } else {
        let c = pick(&|a, b| a > b);
        (c, first[c] * (1.0 - step) / w_min)
    };
    gamma.set(q, atoms[0].1, Rational::from_integer(0.into()));
    gamma.set(q, channel, finite_rational(amplitude));
}
