//! The lengths, the atoms of `Γ_K`, their amplitudes and the noise of a generated case.
//!
//! The atoms of `Γ_K` sit one per stripe, `D` positions apart, so that their images at every
//! layer are in different stripes: `D > 2h_K`, and at two layers `σ_2 D > g + 2h_1`. The grid
//! grows until every atom, at every layer, is interior and alone in its stripe (checked with the
//! specification's own predicates). The amplitudes lie in the intersection of the bands pulled
//! back to `Γ_K` (an entry `w A` of `Γ_i` in layer `i`'s band), at the noise drawn.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::network::FilterChoice;
use crate::model::{LayerVector, Model};
use crate::scalar::{Rational, ratio};
use crate::strided_norms::strided_stripe_sparsity;
use crate::theorems::certified_region_membership::{Certificate, finite_rational, grown};

/// The grid of a case and where the atoms of `Γ_K` sit.
pub(super) struct Layout {
    /// The model.
    pub model: Model<Rational>,
    /// The atoms of `Γ_K`: `(position, channel)`.
    pub atoms: Vec<(usize, usize)>,
}

/// Whether `atoms` of `Γ_K` in `model` give, at every layer, interior atoms one per stripe.
fn fits(model: &Model<Rational>, atoms: &[(usize, usize)]) -> bool {
    let depth = model.depth();
    let mut gamma = LayerVector::zeros(model.length(depth), model.channels(depth));
    for &(q, c) in atoms {
        gamma.set(q, c, ratio(1, 1));
    }
    let Ok(chain) = model.synthesis_chain(&gamma) else {
        return false;
    };
    // Layer 1's nonzeros keep a full stripe on either side, so that each has its coherent
    // neighbours (the control moves one above their threshold).
    let first = model.layer(1);
    let half = first.geometry().stripe_half_width(first.filter_length());
    let room = |p: usize| p >= half && p + half < model.length(1);
    if first.geometry().padding != crate::model::Padding::Circular
        && !chain[1].support().all(|(p, _, _)| room(p))
    {
        return false;
    }
    (1..=depth).all(|i| {
        let layer = model.layer(i);
        let (input, n) = (model.length(i - 1), layer.filter_length());
        chain[i]
            .support()
            .all(|(p, _, _)| layer.geometry().is_interior(p, input, n))
            && strided_stripe_sparsity(&chain[i], layer) <= 1
    })
}

/// The smallest grid from a first guess up on which `count` atoms `spacing` apart fit, with
/// the first atom at a position drawn among those that fit.
pub(super) fn lay_out(
    rng: &mut ChaCha8Rng,
    filters: &[FilterChoice],
    channels: usize,
    count: usize,
    spacing: usize,
) -> Layout {
    let layers: Vec<_> = filters
        .iter()
        .enumerate()
        .map(|(i, f)| f.layer(i + 1, channels))
        .collect();
    let atom_channels: Vec<usize> = (0..count).map(|_| rng.random_range(0..channels)).collect();
    let mut guess = (count - 1) * spacing + 1;
    for f in filters.iter().rev() {
        guess = f.stride * guess + f.length();
    }
    for signal_length in guess.. {
        let Ok(model) = Model::new(signal_length, channels, layers.clone()) else {
            continue;
        };
        let top = model.length(model.depth());
        let span = (count - 1) * spacing;
        let starts: Vec<usize> = (0..top.saturating_sub(span))
            .filter(|&start| fits(&model, &placed(start, spacing, &atom_channels)))
            .collect();
        if !starts.is_empty() {
            let start = starts[rng.random_range(0..starts.len())];
            let atoms = placed(start, spacing, &atom_channels);
            return Layout { model, atoms };
        }
    }
    unreachable!("a long enough grid holds the atoms")
}

/// The atoms from `start`, `spacing` apart, in the given channels.
fn placed(start: usize, spacing: usize, channels: &[usize]) -> Vec<(usize, usize)> {
    channels
        .iter()
        .enumerate()
        .map(|(j, &c)| (start + j * spacing, c))
        .collect()
}

/// The amplitudes `A` of `Γ_K` whose entries `w A` lie in every layer's band at noise `level`,
/// with the certificate's arithmetic (`ε_0` rounded up as the membership check does); `taps`
/// holds, per layer, the smallest and largest `w` (`(1, 1)` at the last layer).
pub(super) fn pulled_back(
    certificate: &Certificate,
    taps: &[(f64, f64)],
    level: f64,
) -> Option<(f64, f64)> {
    let above = grown(grown(grown(level * level)).sqrt());
    let (mut low, mut high) = (0.0_f64, f64::INFINITY);
    for (i, &(w_min, w_max)) in taps.iter().enumerate() {
        let (slope, offset) = certificate.chain[i];
        let epsilon = grown(grown(slope * above) + offset);
        let (l, h) = certificate.figures[i].band(1, epsilon)?;
        low = low.max(grown(grown(l)) / w_min);
        if let Some(h) = h {
            high = high.min(h * (1.0 - 3e-9) / w_max);
        }
    }
    // Without an upper limit (every μ = 0), amplitudes up to three times the lower.
    let high = if high.is_finite() { high } else { 3.0 * low };
    (low < high).then_some((low, high))
}

/// The largest noise level below `ε_0^*` at which [`pulled_back`] is non-empty, by bisection.
pub(super) fn largest_level(certificate: &Certificate, taps: &[(f64, f64)]) -> f64 {
    let star = certificate
        .region
        .epsilon_0
        .expect("the generated network is certified");
    assert!(
        pulled_back(certificate, taps, 0.0).is_some(),
        "the generated thresholds admit a synthesised code without noise"
    );
    let (mut low, mut high) = (0.0, star);
    for _ in 0..48 {
        let middle = 0.5 * (low + high);
        if pulled_back(certificate, taps, middle).is_some() {
            low = middle;
        } else {
            high = middle;
        }
    }
    low
}

/// `x` on the grid of `2^-24`, rounded towards zero.
fn on_grid(x: f64) -> Rational {
    let scale = f64::from(1u32 << 24);
    finite_rational((x * scale).trunc() / scale)
}

/// An amplitude at fraction `u` of the way through `(low, high)`, on the grid.
fn amplitude(low: f64, high: f64, u: f64) -> Rational {
    on_grid(low + (high - low) * u)
}

/// `Γ_K` with `atoms` at amplitudes drawn in `(low, high)`, slack left at both ends; the first
/// atom, a third of the time, within a tenth of the width of the lower end (so its entries lie
/// near the edge of the band that binds there).
pub(super) fn draw_code(
    rng: &mut ChaCha8Rng,
    atoms: &[(usize, usize)],
    length: usize,
    channels: usize,
    (low, high): (f64, f64),
) -> LayerVector<Rational> {
    let mut gamma = LayerVector::zeros(length, channels);
    for (j, &(q, c)) in atoms.iter().enumerate() {
        let u = if j == 0 && rng.random_bool(0.35) {
            rng.random_range(0.02..0.08)
        } else {
            rng.random_range(0.05..0.95)
        };
        gamma.set(q, c, amplitude(low, high, u));
    }
    gamma
}

/// Noise whose energy over every atom support of layer 1 (`n_1` positions, `m` channels) is at
/// most `level²`: entries below `level / sqrt(n_1 m)`, or one spike of `level` alone.
pub(super) fn noise(
    rng: &mut ChaCha8Rng,
    length: usize,
    channels: usize,
    filter_length: usize,
    level: f64,
) -> LayerVector<Rational> {
    let mut e = LayerVector::zeros(length, channels);
    if level == 0.0 {
        return e;
    }
    if rng.random_bool(0.3) {
        let (p, c) = (rng.random_range(0..length), rng.random_range(0..channels));
        e.set(p, c, finite_rational(level));
        return e;
    }
    let most = 0.999 * level / ((filter_length * channels) as f64).sqrt();
    for p in 0..length {
        for c in 0..channels {
            e.set(p, c, on_grid(most * rng.random_range(-1.0..1.0)));
        }
    }
    e
}
