//! The support of `Γ_K`: where the deepest representation's nonzeros go, and their values.

use super::*;

/// Places the atoms of `Γ_K`: clusters at positions spaced beyond the reach of every layer's
/// filters, each one channel or two; returns `(position, channel, sign)`.
pub(super) fn draw_support(
    rng: &mut ChaCha8Rng,
    model: &Model<Rational>,
    nonnegative: bool,
    min_clusters: usize,
) -> Vec<(usize, usize, i64)> {
    let depth = model.depth();
    let length = model.signal_length();
    let channels = model.channels(depth);
    // A cluster's image spreads over Σ_{j ≥ 2} (n_j − 1) positions; keeping clusters this far
    // apart (plus a stripe of layer 1) makes their images disjoint at every layer.
    let reach: usize = (2..=depth)
        .map(|j| model.layer(j).filter_length() - 1)
        .sum();
    let stripe = (1..=depth)
        .map(|j| model.layer(j).stripe_width())
        .max()
        .unwrap_or(1);
    let spacing = reach + stripe;
    let slots = (length / spacing).max(1);
    let most = slots.min(4.max(min_clusters));
    let clusters = rng.random_range(min_clusters.clamp(1, most)..=most);
    // For K = 1 a close second atom sometimes shares a stripe, to reach s_1 ≥ 2.
    let close_pair = depth == 1 && rng.random_bool(0.35);
    let mut support = Vec::new();
    for k in 0..clusters {
        let position = k * spacing;
        let first = rng.random_range(0..channels);
        support.push((position, first));
        if channels > 1 && rng.random_bool(0.5) {
            support.push((position, (first + 1) % channels));
        }
    }
    if close_pair {
        let n = model.layer(1).filter_length();
        let offset = rng.random_range(1..=n.max(1));
        let position = (offset).min(length - 1);
        if !support.iter().any(|&(p, _)| p == position) {
            support.push((position, rng.random_range(0..channels)));
        }
    }
    support
        .into_iter()
        .map(|(p, c)| {
            let sign = if nonnegative || rng.random_bool(0.5) {
                1
            } else {
                -1
            };
            (p, c, sign)
        })
        .collect()
}
