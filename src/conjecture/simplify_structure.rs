//! The structural one-step simplifications of an instance: fewer filters and channels, simpler
//! filters, and supports shifted toward position 0 (used by [`super::simplify`]).

use num_bigint::BigInt;
use num_traits::Zero;

use super::simplify::Simplification;
use crate::instance::Instance;
use crate::model::{Layer, LayerVector, Model};
use crate::scalar::Rational;

/// `vector` without channel `channel`.
fn without_channel(vector: &LayerVector<Rational>, channel: usize) -> LayerVector<Rational> {
    let mut out = LayerVector::zeros(vector.length(), vector.channels() - 1);
    for (p, c, value) in vector.support() {
        if c != channel {
            out.set(p, if c > channel { c - 1 } else { c }, value.clone());
        }
    }
    out
}

/// The filters of a layer with filter `drop_filter` removed and input channel
/// `drop_input` removed from every filter.
fn filters_without(
    layer: &Layer<Rational>,
    drop_filter: Option<usize>,
    drop_input: Option<usize>,
) -> Vec<Vec<Vec<Rational>>> {
    layer
        .nested_filters()
        .into_iter()
        .enumerate()
        .filter(|(c, _)| Some(*c) != drop_filter)
        .map(|(_, filter)| {
            filter
                .into_iter()
                .map(|tap| {
                    tap.into_iter()
                        .enumerate()
                        .filter(|(k, _)| Some(*k) != drop_input)
                        .map(|(_, v)| v)
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Whether no filter of `layer` has a nonzero tap on input channel `channel`.
fn input_unused(layer: &Layer<Rational>, channel: usize) -> bool {
    (0..layer.filter_count())
        .all(|c| (0..layer.filter_length()).all(|t| layer.tap(c, t, channel).is_zero()))
}

/// The instance with its layers replaced, keeping `Γ_K` (reshaped by `gamma`) and the noise
/// (reshaped by `noise`), if the result is a valid model.
fn with_layers(
    instance: &Instance<Rational>,
    input_channels: usize,
    filters: Vec<Vec<Vec<Vec<Rational>>>>,
    gamma: LayerVector<Rational>,
    noise: LayerVector<Rational>,
) -> Option<Instance<Rational>> {
    let layers = filters
        .into_iter()
        .enumerate()
        .map(|(i, f)| Layer::new(i + 1, f))
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    let mut c = instance.clone();
    c.model = Model::new(instance.model.signal_length(), input_channels, layers).ok()?;
    c.deepest_representation = gamma;
    c.noise = noise;
    Some(c)
}

/// Candidates with simpler filters and fewer channels: a layer of Dirac filters, a filter of
/// the last layer dropped with its channel of `Γ_K`, a filter dropped whose channel the layer
/// above never reads, an input channel the first layer never reads, and a last tap that is
/// zero in every filter.
pub(super) fn filter_candidates(instance: &Instance<Rational>, out: &mut Vec<Instance<Rational>>) {
    let model = &instance.model;
    let depth = model.depth();
    let all_filters: Vec<_> = model.layers().iter().map(|l| l.nested_filters()).collect();
    let gamma = &instance.deepest_representation;
    for i in 1..=depth {
        let layer = model.layer(i);
        let (count, inputs) = (layer.filter_count(), layer.input_channels());
        // Dirac filters: filter c is 1 at tap 0 on input channel c.
        let dirac: Vec<Vec<Vec<Rational>>> = (0..count)
            .map(|c| {
                vec![
                    (0..inputs)
                        .map(|k| Rational::from_integer(BigInt::from(i64::from(k == c))))
                        .collect(),
                ]
            })
            .collect();
        if count <= inputs && all_filters[i - 1] != dirac {
            let mut filters = all_filters.clone();
            filters[i - 1] = dirac;
            out.extend(with_layers(
                instance,
                model.input_channels(),
                filters,
                gamma.clone(),
                instance.noise.clone(),
            ));
        }
        // A filter dropped: at the last layer with its channel of Γ_K; below it only when the
        // layer above never reads that channel (its filters keep their norms).
        if count >= 2 {
            for c in 0..count {
                let mut filters = all_filters.clone();
                filters[i - 1] = filters_without(layer, Some(c), None);
                let gamma = if i == depth {
                    without_channel(gamma, c)
                } else if input_unused(model.layer(i + 1), c) {
                    filters[i] = filters_without(model.layer(i + 1), None, Some(c));
                    gamma.clone()
                } else {
                    continue;
                };
                out.extend(with_layers(
                    instance,
                    model.input_channels(),
                    filters,
                    gamma,
                    instance.noise.clone(),
                ));
            }
        }
        // The last tap dropped where it is zero in every filter.
        let n = layer.filter_length();
        if n >= 2 && (0..count).all(|c| (0..inputs).all(|k| layer.tap(c, n - 1, k).is_zero())) {
            let mut filters = all_filters.clone();
            for filter in &mut filters[i - 1] {
                filter.pop();
            }
            out.extend(with_layers(
                instance,
                model.input_channels(),
                filters,
                gamma.clone(),
                instance.noise.clone(),
            ));
        }
    }
    // An input channel that no filter of layer 1 reads, dropped with its noise.
    if model.input_channels() >= 2 {
        for k in 0..model.input_channels() {
            if input_unused(model.layer(1), k) {
                let mut filters = all_filters.clone();
                filters[0] = filters_without(model.layer(1), None, Some(k));
                out.extend(with_layers(
                    instance,
                    model.input_channels() - 1,
                    filters,
                    gamma.clone(),
                    without_channel(&instance.noise, k),
                ));
            }
        }
    }
}

/// Steps with supports closer to position 0: the whole instance rotated so that the largest
/// circular gap between used positions comes last (the model is circular, so this changes
/// nothing but the positions, and lets a smaller `N` follow; each rotation makes the last gap
/// longer, or keeps it and moves the support to start at 0, so rotations alone never cycle),
/// and each atom of `Γ_K` moved
/// halfway to 0 (or one step) when that place is free.
pub(super) fn shift_candidates(instance: &Instance<Rational>, out: &mut Vec<Simplification>) {
    let length = instance.model.signal_length();
    let mut used: Vec<usize> = instance
        .deepest_representation
        .support()
        .map(|(p, _, _)| p)
        .chain(instance.noise.support().map(|(p, _, _)| p))
        .collect();
    used.sort_unstable();
    used.dedup();
    // The start of the used stretch after the largest gap (the gap after the last position
    // wraps around to the first). On a tie the wrap-around gap wins: a rotation then only
    // moves the support to start at 0, and one to another gap as large would gain nothing
    // and could be undone by the next (at N = 2 with both positions used, rotating by 1 is its
    // own inverse, and a walk alternated between the two forever).
    let last = used.len().saturating_sub(1);
    let start = (0..used.len())
        .max_by_key(|&k| {
            let next = used.get(k + 1).copied().unwrap_or(used[0] + length);
            (next - used[k], k == last, std::cmp::Reverse(k))
        })
        .map(|k| used.get(k + 1).copied().unwrap_or(used[0]));
    if let Some(first) = start.filter(|&p| p > 0) {
        out.push(Simplification::Rotate(first));
    }
    let gamma = &instance.deepest_representation;
    for (p, ch, _) in gamma.support() {
        for target in [p / 2, p.saturating_sub(1)] {
            if target < p && gamma.get(target, ch).is_zero() {
                out.push(Simplification::MoveAtom {
                    from: p,
                    to: target,
                    channel: ch,
                });
                break;
            }
        }
    }
}
