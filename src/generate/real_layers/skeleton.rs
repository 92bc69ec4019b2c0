//! The structure of a strided ladder before its coherences are chosen: depth, channels,
//! strides, paddings, gaps, the lengths of every grid, `w_K` and `Γ_K`.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::{RealControl, RealLayersSettings};
use crate::generate::coherent::place_cluster;
use crate::model::{Geometry, LayerVector, Padding};
use crate::scalar::Rational;

/// What [`draw_skeleton`] fixes.
pub(super) struct Skeleton {
    /// `m`: every layer has `m` filters over `m` input channels.
    pub channels: usize,
    /// Each layer's stride and padding.
    pub geometries: Vec<Geometry>,
    /// Each layer's gap `g_i` (a multiple of `σ_i`); `n_i = g_i + 1`.
    pub gaps: Vec<usize>,
    /// `N_0, …, N_K`.
    pub lengths: Vec<usize>,
    /// `w_K`.
    pub last_patch_width: usize,
    /// `Γ_K`.
    pub gamma: LayerVector<Rational>,
}

/// One cluster of `Γ_K`: whether it is a pair.
struct Cluster {
    pair: bool,
}

/// Draws a skeleton for `settings`.
pub(super) fn draw_skeleton(rng: &mut ChaCha8Rng, settings: &RealLayersSettings) -> Skeleton {
    let control = settings.control;
    let depth = match control {
        RealControl::None => [1, 2, 2, 3, 3][rng.random_range(0..5usize)],
        _ => rng.random_range(1..=2usize),
    };
    let channels = match control {
        RealControl::NegativeIdleThreshold => 2,
        _ if rng.random_bool(0.75) => 2,
        _ => 1,
    };
    let strides: Vec<usize> = (0..depth).map(|_| rng.random_range(1..=2usize)).collect();
    let gaps = draw_gaps(rng, &strides);
    let geometries: Vec<Geometry> = (0..depth)
        .map(|i| {
            let border = control == RealControl::BorderAtom && i + 1 == depth;
            Geometry {
                stride: strides[i],
                padding: draw_padding(rng, gaps[i] + 1, border),
            }
        })
        .collect();
    let last_patch_width = rng.random_range(1..=3usize);
    let pair_offset = gaps[depth - 1] / strides[depth - 1];
    let clusters = draw_clusters(rng, control);
    let spacing = cluster_spacing(&geometries, &gaps, last_patch_width, pair_offset);
    let extras: Vec<usize> = strides.iter().map(|&s| rng.random_range(0..s)).collect();
    let border = control == RealControl::BorderAtom;
    let (lengths, positions) = (1..)
        .map(|margin| {
            let start = if border { 0 } else { margin };
            let positions: Vec<usize> = (0..clusters.len()).map(|k| start + k * spacing).collect();
            let top = positions.last().copied().unwrap_or(0) + pair_offset + 1 + margin;
            (grid_lengths(top, &geometries, &gaps, &extras), positions)
        })
        .find(|(lengths, positions)| fits(lengths, positions, &geometries, &gaps, border))
        .expect("a wide enough margin makes every cluster interior");
    let mut gamma = LayerVector::zeros(lengths[depth], channels);
    for (cluster, position) in clusters.iter().zip(positions) {
        place_ladder_cluster(
            rng,
            settings,
            &mut gamma,
            position,
            cluster.pair,
            pair_offset,
        );
    }
    Skeleton {
        channels,
        geometries,
        gaps,
        lengths,
        last_patch_width,
        gamma,
    }
}

/// Gaps: `g_1 = σ_1 k`, `k ∈ {1, 2}`; deeper gaps *paired*, `g_i = g_{i-1}/σ_{i-1}` (the
/// displacement at which two atoms of layer `i − 1` meet) when that is a multiple of `σ_i`, or
/// *spread*, the least multiple of `σ_i` above `2 h_{i-1}`, `h_{i-1} = ⌊g_{i-1}/σ_{i-1}⌋`, so
/// that the two entries an atom writes below never share a stripe.
fn draw_gaps(rng: &mut ChaCha8Rng, strides: &[usize]) -> Vec<usize> {
    let mut gaps = vec![strides[0] * rng.random_range(1..=2usize)];
    for i in 1..strides.len() {
        let meeting = gaps[i - 1] / strides[i - 1];
        let paired = rng.random_bool(0.4) && meeting % strides[i] == 0;
        gaps.push(if paired {
            meeting
        } else {
            (2 * meeting / strides[i] + 1) * strides[i]
        });
    }
    gaps
}

/// A padding for a layer of filter length `n`: circular, zero or valid (`border`: zero with a
/// left amount of at least 1, so that the atom at position 0 is truncated).
fn draw_padding(rng: &mut ChaCha8Rng, n: usize, border: bool) -> Padding {
    let zero = |rng: &mut ChaCha8Rng, least: usize| {
        let left = rng.random_range(least..n);
        let right = rng.random_range(0..n - left);
        Padding::Zero { left, right }
    };
    if border {
        return zero(rng, 1);
    }
    match rng.random_range(0..10u32) {
        0..=2 => Padding::Circular,
        3..=6 => zero(rng, 0),
        _ => Padding::Valid,
    }
}

/// The clusters of `Γ_K`: one or two; pairs half the time (never for the idle-channel control,
/// whose second channel must stay empty at the last layer).
fn draw_clusters(rng: &mut ChaCha8Rng, control: RealControl) -> Vec<Cluster> {
    let count = rng.random_range(1..=2usize);
    (0..count)
        .map(|_| Cluster {
            pair: control != RealControl::NegativeIdleThreshold && rng.random_bool(0.5),
        })
        .collect()
}

/// A spacing of clusters in `Γ_K`'s positions that keeps their images apart at every layer:
/// at layer `i` the images lie `Δ Π_{j>i} σ_j` apart and each spans `E_i` positions
/// (`E_K` = the pair offset, `E_{i-1} = σ_i E_i + g_i`); they must clear a stripe of layer `i`
/// and a support of layer `i + 1` (or `w_K`).
fn cluster_spacing(
    geometries: &[Geometry],
    gaps: &[usize],
    last_patch_width: usize,
    pair_offset: usize,
) -> usize {
    let depth = gaps.len();
    let (mut extent, mut stride_product, mut spacing) = (pair_offset, 1, 1);
    for i in (1..=depth).rev() {
        let half_stripe = gaps[i - 1] / geometries[i - 1].stride;
        let next = if i < depth {
            gaps[i] + 1
        } else {
            last_patch_width
        };
        let needed = extent + 2 * (half_stripe + next) + 2;
        spacing = spacing.max(needed.div_ceil(stride_product));
        stride_product *= geometries[i - 1].stride;
        extent = geometries[i - 1].stride * extent + gaps[i - 1];
    }
    spacing
}

/// `N_0, …, N_K` from `N_K = top`, each grid the input that gives the one above:
/// `N_{i-1} = σ_i N_i` (circular) or `σ_i (N_i − 1) + n_i − P^l − P^r + x_i` with
/// `0 ≤ x_i < σ_i` (zero, valid).
fn grid_lengths(
    top: usize,
    geometries: &[Geometry],
    gaps: &[usize],
    extras: &[usize],
) -> Vec<usize> {
    let mut lengths = vec![top];
    for i in (0..geometries.len()).rev() {
        let (stride, n) = (geometries[i].stride, gaps[i] + 1);
        let above = lengths[0];
        let below = match geometries[i].padding {
            Padding::Circular => stride * above,
            padding => {
                let (left, right) = padding.amounts();
                stride * (above - 1) + n - left - right + extras[i]
            }
        };
        lengths.insert(0, below);
    }
    lengths
}

/// Whether the grids are valid for every layer (circular grids of at least `2 n − 1`) and every
/// cluster's atoms are interior at the last layer with margin for their images (a border
/// cluster at position 0 excepted).
fn fits(
    lengths: &[usize],
    positions: &[usize],
    geometries: &[Geometry],
    gaps: &[usize],
    border: bool,
) -> bool {
    let depth = geometries.len();
    let circular_ok =
        (0..depth).all(|i| geometries[i].padding != Padding::Circular || lengths[i] > 2 * gaps[i]);
    let safe = safe_positions(lengths, geometries, gaps);
    let pair_offset = gaps[depth - 1] / geometries[depth - 1].stride;
    let interior = positions.iter().enumerate().all(|(k, &p)| {
        (border && k == 0) || (p..=p + pair_offset).all(|q| safe.get(q).copied().unwrap_or(false))
    });
    circular_ok && interior
}

/// The positions of the last layer whose atom, and every image of it below, is interior.
pub(super) fn safe_positions(
    lengths: &[usize],
    geometries: &[Geometry],
    gaps: &[usize],
) -> Vec<bool> {
    let mut safe: Vec<bool> = Vec::new();
    for i in 1..=geometries.len() {
        let (geometry, n, input) = (geometries[i - 1], gaps[i - 1] + 1, lengths[i - 1]);
        safe = (0..lengths[i])
            .map(|p| {
                geometry.is_interior(p, input, n)
                    && (0..n).all(|t| {
                        geometry
                            .input_position(p, t, input)
                            .is_some_and(|q| i == 1 || safe[q])
                    })
            })
            .collect();
    }
    safe
}

/// Places one cluster at `position` ([`place_cluster`]): an atom in a random channel (channel
/// 0 for the idle-channel control), and for a pair a second atom `pair_offset` later in the
/// next channel, where the two meet.
fn place_ladder_cluster(
    rng: &mut ChaCha8Rng,
    settings: &RealLayersSettings,
    gamma: &mut LayerVector<Rational>,
    position: usize,
    pair: bool,
    pair_offset: usize,
) {
    let channel = match settings.control {
        RealControl::NegativeIdleThreshold => 0,
        _ => rng.random_range(0..gamma.channels()),
    };
    let nonnegative = settings.variant == crate::thresholding::Thresholding::Nonnegative;
    let partner = |_: &mut ChaCha8Rng| pair.then_some(pair_offset);
    place_cluster(rng, gamma, (position, channel), partner, nonnegative);
}
