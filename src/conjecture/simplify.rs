//! The one-step simplifications of an instance toward a smaller `N`, fewer layers and filters,
//! fewer nonzeros and smaller numerators and denominators: the moves of shrinking.

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use super::simplify_structure::{filter_candidates, shift_candidates};
use crate::instance::Instance;
use crate::model::stripe_width;
use crate::model::{LayerVector, Model};
use crate::scalar::Rational;

/// `value` rounded to the nearest multiple of `1/denominator`, if that is simpler and nonzero.
fn simpler(value: &Rational, denominator: i64) -> Option<Rational> {
    let d = BigInt::from(denominator);
    if value.denom() <= &d {
        return None;
    }
    let rounded = Rational::new(
        (value * Rational::from_integer(d.clone()))
            .round()
            .to_integer(),
        d,
    );
    (!rounded.is_zero()).then_some(rounded)
}

/// Every one-step simplification of an instance, simplest kinds first; each is a valid
/// instance (it passes the checks of [`crate::io::InstanceFile::to_exact`]).
pub fn simplifications(instance: &Instance<Rational>) -> Vec<Instance<Rational>> {
    let mut out = Vec::new();
    let model = &instance.model;
    let depth = model.depth();
    // Fewer layers: drop the deepest (its synthesis becomes the new Γ_K) or the first (the new
    // signal is Γ_1, noise-free).
    if depth > 1 {
        let mut c = instance.clone();
        let chain = model
            .synthesis_chain(&instance.deepest_representation)
            .expect("valid");
        c.model = Model::new(
            model.signal_length(),
            model.input_channels(),
            model.layers()[..depth - 1].to_vec(),
        )
        .expect("a prefix of a valid model is valid");
        c.deepest_representation = chain[depth - 1].clone();
        c.thresholds.pop();
        out.push(c);
        let mut c = instance.clone();
        c.model = Model::new(
            model.signal_length(),
            model.channels(1),
            model.layers()[1..].to_vec(),
        )
        .expect("a suffix of a valid model is valid");
        c.noise = LayerVector::zeros(model.signal_length(), model.channels(1));
        c.noise_budget = None;
        c.thresholds.remove(0);
        out.push(c);
    }
    // Simpler filters and fewer channels.
    filter_candidates(instance, &mut out);
    // Fewer nonzeros in Γ_K and in the noise.
    for (p, ch, _) in instance.deepest_representation.support() {
        let mut c = instance.clone();
        c.deepest_representation.set(p, ch, Rational::zero());
        out.push(c);
    }
    if !instance.is_noiseless() {
        let mut c = instance.clone();
        c.noise = LayerVector::zeros(model.signal_length(), model.input_channels());
        out.push(c);
        // Half the noise entries at once (the first half, then the second), then one by one.
        let entries: Vec<(usize, usize)> =
            instance.noise.support().map(|(p, ch, _)| (p, ch)).collect();
        if entries.len() >= 4 {
            let (first, second) = entries.split_at(entries.len() / 2);
            for half in [first, second] {
                let mut c = instance.clone();
                for &(p, ch) in half {
                    c.noise.set(p, ch, Rational::zero());
                }
                out.push(c);
            }
        }
        for (p, ch, _) in instance.noise.support() {
            let mut c = instance.clone();
            c.noise.set(p, ch, Rational::zero());
            out.push(c);
        }
    }
    // Supports closer to 0.
    shift_candidates(instance, &mut out);
    // The narrowest last patch.
    if instance.last_patch_width > 1 {
        let mut c = instance.clone();
        c.last_patch_width = 1;
        out.push(c);
    }
    // Smaller N: drop the last position when nothing lives there and N stays ≥ 2n − 1.
    let length = model.signal_length();
    let shortest = model
        .layers()
        .iter()
        .map(|l| stripe_width(l.filter_length()))
        .max()
        .unwrap_or(1);
    let last_used = instance
        .deepest_representation
        .support()
        .map(|(p, _, _)| p)
        .chain(instance.noise.support().map(|(p, _, _)| p))
        .max()
        .unwrap_or(0);
    if length > shortest && last_used + 1 < length {
        let new_length = (last_used + 1)
            .max(shortest)
            .max(length / 2)
            .min(length - 1);
        let mut c = instance.clone();
        c.model = Model::new(new_length, model.input_channels(), model.layers().to_vec())
            .expect("N ≥ 2n − 1 kept");
        let truncate = |v: &LayerVector<Rational>| {
            let mut out = LayerVector::zeros(new_length, v.channels());
            for (p, ch, value) in v.support() {
                out.set(p, ch, value.clone());
            }
            out
        };
        c.deepest_representation = truncate(&instance.deepest_representation);
        c.noise = truncate(&instance.noise);
        c.last_patch_width = c.last_patch_width.min(new_length);
        out.push(c);
    }
    // Smaller numerators and denominators: every noise entry at once, then one number at a
    // time.
    for denominator in [1, 2, 4, 16, 256, 65536] {
        if instance.noise.count_nonzeros() >= 2 {
            let mut c = instance.clone();
            let mut changed = false;
            for (p, ch, value) in instance.noise.support() {
                if let Some(v) = simpler(value, denominator) {
                    c.noise.set(p, ch, v);
                    changed = true;
                }
            }
            if changed {
                out.push(c);
            }
        }
    }
    for denominator in [1, 2, 4, 16, 256, 65536] {
        for (p, ch, value) in instance.deepest_representation.support() {
            if let Some(v) = simpler(value, denominator) {
                let mut c = instance.clone();
                c.deepest_representation.set(p, ch, v);
                out.push(c);
            }
        }
        for (p, ch, value) in instance.noise.support() {
            if let Some(v) = simpler(value, denominator) {
                let mut c = instance.clone();
                c.noise.set(p, ch, v);
                out.push(c);
            }
        }
        for (k, beta) in instance.thresholds.iter().enumerate() {
            if let Some(v) = simpler(beta, denominator).filter(|v| !v.is_negative()) {
                let mut c = instance.clone();
                c.thresholds[k] = v;
                out.push(c);
            }
        }
        if let Some(budget) = &instance.noise_budget
            && let Some(v) = simpler(budget, denominator)
        {
            let mut c = instance.clone();
            c.noise_budget = Some(v);
            out.push(c);
        }
    }
    // Every candidate is a valid instance by construction, so it passes the file's own checks
    // (shapes, N ≥ 2n − 1, unit filters, w_K ≤ N, β_i ≥ 0): models come from `Model::new` and
    // `Layer::new` (filter candidates that fail them are dropped where they are made), a
    // shorter N keeps every nonzero and `w_K ≤ N`, and a simpler value is a nonzero rounding of
    // a valid one, nonnegative where the original must be. Debug builds confirm it through the
    // file's checks; `tests/all/simplifications.rs` confirms it in release on generated
    // instances of every registry entry and on their simplifications.
    debug_assert!(out.iter().all(|c| c.to_file().to_exact().is_ok()));
    out
}
