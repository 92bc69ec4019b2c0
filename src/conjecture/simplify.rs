//! The one-step simplifications of an instance toward a smaller `N`, fewer layers and filters,
//! fewer nonzeros and smaller numerators and denominators: the moves of shrinking.
//!
//! [`simplification_steps`] lists them as [`Simplification`]s, each describing its change;
//! [`Simplification::apply`] builds the candidate. A walk that tries a few candidates of a long
//! list builds only those; [`simplifications`] builds them all.

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use super::simplify_structure::{filter_candidates, shift_candidates};
use crate::instance::Instance;
use crate::io::ToInstanceFile;
use crate::model::stripe_width;
use crate::model::{LayerVector, Model};
use crate::operators::synthesis;
use crate::scalar::Rational;
use crate::threshold::Threshold;

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

/// Whether [`simpler`] gives a value: the denominator exceeds `denominator`, and the rounding
/// of `|n| · denominator / d` to the nearest integer (halves away from zero) is not 0, that is
/// `2 |n| · denominator ≥ d`.
fn has_simpler(value: &Rational, denominator: i64) -> bool {
    let d = BigInt::from(denominator);
    value.denom() > &d && BigInt::from(2) * value.numer().abs() * d >= *value.denom()
}

/// One one-step simplification of an instance, described by what it changes.
#[derive(Clone, Debug)]
pub enum Simplification {
    /// A candidate built when listed (the structural moves, whose validity is known once the
    /// layers are built).
    Built(Box<Instance<Rational>>),
    /// The deepest layer dropped: its synthesis `D_K Γ_K` becomes the new `Γ_{K-1}`.
    DropDeepestLayer,
    /// The first layer dropped: the new signal is `Γ_1`, noise-free.
    DropFirstLayer,
    /// One entry `(position, channel)` of `Γ_K` set to 0.
    ZeroRepresentationEntry(usize, usize),
    /// The whole noise set to 0.
    ZeroNoise,
    /// These noise entries `(position, channel)` set to 0.
    ZeroNoiseEntries(Vec<(usize, usize)>),
    /// `Γ_K` and the noise rotated to start at this position.
    Rotate(usize),
    /// The atom of `Γ_K` at `(from, channel)` moved to `(to, channel)`.
    MoveAtom {
        /// Its position.
        from: usize,
        /// Its new position.
        to: usize,
        /// Its channel.
        channel: usize,
    },
    /// `w_K = 1`.
    NarrowestLastPatch,
    /// `N` reduced to this length, keeping every nonzero.
    Shorten(usize),
    /// Every noise entry rounded to a multiple of `1/denominator` where that is simpler.
    RoundNoise(i64),
    /// One entry of `Γ_K` rounded to a multiple of `1/denominator`.
    RoundRepresentationEntry(usize, usize, i64),
    /// One noise entry rounded to a multiple of `1/denominator`.
    RoundNoiseEntry(usize, usize, i64),
    /// `β_k` (from 0) rounded to a multiple of `1/denominator`.
    RoundThreshold(usize, i64),
    /// `ε_0` rounded to a multiple of `1/denominator`.
    RoundNoiseBudget(i64),
}

fn rounded(value: &Rational, denominator: i64) -> Rational {
    simpler(value, denominator).expect("listed only where a simpler value exists")
}

/// `c` (a copy of `instance`) without the deepest layer: `Γ_{K−1} = D_K Γ_K` becomes the
/// deepest representation and `β_K` goes.
fn drop_deepest_layer(instance: &Instance<Rational>, c: &mut Instance<Rational>) {
    let model = &instance.model;
    let depth = model.depth();
    c.model = Model::new(
        model.signal_length(),
        model.input_channels(),
        model.layers()[..depth - 1].to_vec(),
    )
    .expect("a prefix of a valid model is valid");
    c.deepest_representation = synthesis(model.layer(depth), &instance.deepest_representation);
    c.thresholds.pop();
}

/// `c` (a copy of `instance`) without the first layer: `Γ_1` becomes the signal, with no noise,
/// and `β_1` goes.
fn drop_first_layer(instance: &Instance<Rational>, c: &mut Instance<Rational>) {
    let model = &instance.model;
    c.model = Model::new(
        model.signal_length(),
        model.channels(1),
        model.layers()[1..].to_vec(),
    )
    .expect("a suffix of a valid model is valid");
    c.noise = LayerVector::zeros(model.signal_length(), model.channels(1));
    c.noise_budget = None;
    c.thresholds.remove(0);
}

/// `c` (a copy of `instance`) on signals of length `new_length`, every nonzero kept.
fn shorten(instance: &Instance<Rational>, c: &mut Instance<Rational>, new_length: usize) {
    let model = &instance.model;
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
}

/// A shorter `N` when the last position holds nothing and `N` stays `≥ 2n − 1`: the last used
/// position + 1, at least the shortest valid length and half of `N`, at most `N − 1`.
fn shorter_length(instance: &Instance<Rational>) -> Option<usize> {
    let model = &instance.model;
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
    (length > shortest && last_used + 1 < length).then(|| {
        (last_used + 1)
            .max(shortest)
            .max(length / 2)
            .min(length - 1)
    })
}

impl Simplification {
    /// The candidate: `instance` with this change (`instance` must be the one the step was
    /// listed for).
    pub fn apply(&self, instance: &Instance<Rational>) -> Instance<Rational> {
        use Simplification::*;
        if let Built(candidate) = self {
            return (**candidate).clone();
        }
        let model = &instance.model;
        let mut c = instance.clone();
        match self {
            Built(_) => unreachable!("returned above"),
            DropDeepestLayer => drop_deepest_layer(instance, &mut c),
            DropFirstLayer => drop_first_layer(instance, &mut c),
            ZeroRepresentationEntry(p, ch) => {
                c.deepest_representation.set(*p, *ch, Rational::zero())
            }
            ZeroNoise => {
                c.noise = LayerVector::zeros(model.signal_length(), model.input_channels())
            }
            ZeroNoiseEntries(entries) => {
                for &(p, ch) in entries {
                    c.noise.set(p, ch, Rational::zero());
                }
            }
            Rotate(first) => {
                let shift = model.signal_length() - first;
                c.deepest_representation = instance.deepest_representation.shifted(shift);
                c.noise = instance.noise.shifted(shift);
            }
            MoveAtom { from, to, channel } => {
                let value = instance.deepest_representation.get(*from, *channel).clone();
                c.deepest_representation
                    .set(*from, *channel, Rational::zero());
                c.deepest_representation.set(*to, *channel, value);
            }
            NarrowestLastPatch => c.last_patch_width = 1,
            Shorten(new_length) => shorten(instance, &mut c, *new_length),
            RoundNoise(denominator) => {
                for (p, ch, value) in instance.noise.support() {
                    if let Some(v) = simpler(value, *denominator) {
                        c.noise.set(p, ch, v);
                    }
                }
            }
            RoundRepresentationEntry(p, ch, denominator) => {
                let value = instance.deepest_representation.get(*p, *ch);
                c.deepest_representation
                    .set(*p, *ch, rounded(value, *denominator));
            }
            RoundNoiseEntry(p, ch, denominator) => {
                let value = instance.noise.get(*p, *ch);
                c.noise.set(*p, *ch, rounded(value, *denominator));
            }
            RoundThreshold(k, denominator) => {
                let beta = instance.thresholds[*k]
                    .shared()
                    .expect("listed for a shared threshold");
                c.thresholds[*k] = Threshold::Shared(rounded(beta, *denominator));
            }
            RoundNoiseBudget(denominator) => {
                let budget = instance
                    .noise_budget
                    .as_ref()
                    .expect("listed with a budget");
                c.noise_budget = Some(rounded(budget, *denominator));
            }
        }
        c
    }
}

/// Every one-step simplification of an instance, built ([`simplification_steps`] applied);
/// each is a valid instance (it passes the checks of [`crate::io::InstanceFile::to_exact`]).
pub fn simplifications(instance: &Instance<Rational>) -> Vec<Instance<Rational>> {
    let out: Vec<Instance<Rational>> = simplification_steps(instance)
        .iter()
        .map(|step| step.apply(instance))
        .collect();
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

/// Every one-step simplification of an instance, simplest kinds first, as steps to apply.
/// The steps are written for the paper's layers (stride 1, circular: one length `N` for every
/// layer, one threshold per layer): an instance with a strided or padded layer, or with one
/// threshold per channel, has none, and is kept as found.
pub fn simplification_steps(instance: &Instance<Rational>) -> Vec<Simplification> {
    use Simplification::*;
    let mut out = Vec::new();
    let model = &instance.model;
    if instance.first_real_layer().is_some() {
        return out;
    }
    // Fewer layers: drop the deepest or the first.
    if model.depth() > 1 {
        out.extend([DropDeepestLayer, DropFirstLayer]);
    }
    // Simpler filters and fewer channels.
    let mut built = Vec::new();
    filter_candidates(instance, &mut built);
    out.extend(built.into_iter().map(|c| Built(Box::new(c))));
    // Fewer nonzeros in Γ_K and in the noise.
    let gamma = &instance.deepest_representation;
    out.extend(
        gamma
            .support()
            .map(|(p, ch, _)| ZeroRepresentationEntry(p, ch)),
    );
    if !instance.is_noiseless() {
        out.push(ZeroNoise);
        // Half the noise entries at once (the first half, then the second), then one by one.
        let entries: Vec<(usize, usize)> =
            instance.noise.support().map(|(p, ch, _)| (p, ch)).collect();
        if entries.len() >= 4 {
            let (first, second) = entries.split_at(entries.len() / 2);
            out.extend([
                ZeroNoiseEntries(first.to_vec()),
                ZeroNoiseEntries(second.to_vec()),
            ]);
        }
        out.extend(entries.iter().map(|&entry| ZeroNoiseEntries(vec![entry])));
    }
    // Supports closer to 0.
    shift_candidates(instance, &mut out);
    // The narrowest last patch.
    if instance.last_patch_width > 1 {
        out.push(NarrowestLastPatch);
    }
    // Smaller N: drop the last position when nothing lives there and N stays ≥ 2n − 1.
    if let Some(new_length) = shorter_length(instance) {
        out.push(Shorten(new_length));
    }
    // Smaller numerators and denominators: every noise entry at once, then one number at a
    // time.
    const DENOMINATORS: [i64; 6] = [1, 2, 4, 16, 256, 65536];
    for d in DENOMINATORS {
        if instance.noise.count_nonzeros() >= 2
            && instance.noise.support().any(|(_, _, v)| has_simpler(v, d))
        {
            out.push(RoundNoise(d));
        }
    }
    for d in DENOMINATORS {
        for (p, ch, value) in gamma.support() {
            if has_simpler(value, d) {
                out.push(RoundRepresentationEntry(p, ch, d));
            }
        }
        for (p, ch, value) in instance.noise.support() {
            if has_simpler(value, d) {
                out.push(RoundNoiseEntry(p, ch, d));
            }
        }
        // A nonzero rounding has the sign of the value, so it is nonnegative exactly when the
        // value is.
        let shared = instance.thresholds.iter().map(Threshold::shared);
        for (k, beta) in shared.enumerate().filter_map(|(k, b)| Some((k, b?))) {
            if has_simpler(beta, d) && !beta.is_negative() {
                out.push(RoundThreshold(k, d));
            }
        }
        if let Some(budget) = &instance.noise_budget
            && has_simpler(budget, d)
        {
            out.push(RoundNoiseBudget(d));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `has_simpler` lists a rounding exactly when `simpler` gives one: on every fraction with
    /// small numerator and denominator, at the half-way points `±1/(2d)` (which round away from
    /// zero), just below them, and on large denominators.
    #[test]
    fn a_rounding_is_listed_exactly_when_it_exists() {
        let mut values: Vec<Rational> = (-60i64..=60)
            .flat_map(|n| (1i64..=140).map(move |d| Rational::new(n.into(), d.into())))
            .collect();
        for d in [1i64, 2, 4, 16, 256, 65536] {
            for (n, den) in [
                (1, 2 * d),
                (1, 2 * d + 1),
                (-1, 2 * d),
                (3, 2 * d),
                (1, 4 * d),
            ] {
                values.push(Rational::new(n.into(), den.into()));
            }
        }
        let big = BigInt::from(1u64 << 62) * BigInt::from(12345);
        values.push(Rational::new(big.clone() + 1, big.clone() * 3));
        values.push(Rational::new(BigInt::from(-7), big));
        let mut listed = 0;
        for value in &values {
            for d in [1, 2, 4, 16, 256, 65536] {
                let exists = simpler(value, d).is_some();
                assert_eq!(has_simpler(value, d), exists, "{value} at 1/{d}");
                listed += usize::from(exists);
            }
        }
        assert!(listed > 1_000, "too few roundings exist: {listed}");
    }
}
