//! The largest patch energy of an exact layer vector, with `f64` choosing which patches to sum
//! exactly.
//!
//! `(‖Z‖^P_{2,∞}(w))² = max_p Σ_{q = p}^{p+w-1} ‖Z[q, :]‖²` needs, done plainly, one exact
//! addition, subtraction and comparison per position. Here every patch energy is first
//! evaluated in `f64` together with a rigorous enclosure
//! ([`tolerance::f64_screen_relative`]); a patch whose upper end lies below the
//! largest lower end cannot be the largest, so only the remaining candidates (usually one) are
//! summed exactly, by [`Scalar::dot`], over their occupied positions and once for patches that
//! hold the same nonzero entries. The result is the same exact value as the plain sliding
//! maximum. When an entry lies outside [`tolerance::SCREEN_MAGNITUDES`], or the candidates would
//! cost more than the plain way, the caller's plain computation runs instead.

use crate::model::LayerVector;
use crate::scalar::Scalar;
use crate::tolerance;

/// The most `width · length` for which every patch is summed afresh in `f64` (each sum is
/// formed from scratch, so that no subtraction can cancel); beyond it the plain path runs.
const MAX_SCREEN_WORK: usize = 1 << 24;

/// `max_p Σ_{q ∈ patch p} ‖Z[q, :]‖²` over the periodic patches of `width` positions, for
/// `1 ≤ width ≤ N`, or `None` when the screen does not apply (the caller then sums plainly).
fn screened_patch_norm_squared<S: Scalar>(z: &LayerVector<S>, width: usize) -> Option<S> {
    let length = z.length();
    if width == 0 || width > length || width.saturating_mul(length) > MAX_SCREEN_WORK {
        return None;
    }
    let (smallest, largest) = tolerance::SCREEN_MAGNITUDES;
    let channels = z.channels();
    if channels == 0 {
        return None;
    }
    let mut energies = Vec::with_capacity(length);
    for position in z.entries().chunks_exact(channels) {
        let mut energy = 0.0;
        for v in position {
            if v.is_zero() {
                continue;
            }
            let x = v.to_f64().abs();
            if !(smallest..=largest).contains(&x) {
                return None;
            }
            energy += x * x;
        }
        energies.push(energy);
    }
    let relative = tolerance::f64_screen_relative(width * z.channels());
    // Patch `p` covers positions `p, …, p + w − 1`: each position with energy adds it to the
    // `w` patches over it, and positions without cost nothing (an error vector is mostly zero).
    // The order of the additions does not matter to the enclosure (Higham's bound holds for
    // any order of summing nonnegative terms), and an empty patch stays exactly zero.
    let mut patch_sums = vec![0.0; length];
    for (q, &energy) in energies.iter().enumerate() {
        if energy == 0.0 {
            continue;
        }
        // Patches `q, q − 1, …, q − w + 1 (mod N)`, stepped down (no division per patch).
        let mut p = q;
        for _ in 0..width {
            patch_sums[p] += energy;
            p = if p == 0 { length - 1 } else { p - 1 };
        }
    }
    let best_lower = patch_sums
        .iter()
        .map(|sum| sum * (1.0 - relative))
        .fold(0.0, f64::max);
    let candidates: Vec<usize> = (0..length)
        .filter(|&p| patch_sums[p] * (1.0 + relative) >= best_lower)
        .collect();
    if best_lower == 0.0 && candidates.iter().all(|&p| patch_sums[p] == 0.0) {
        // Every patch is exactly zero: each nonzero entry has `|x| ≥ 10^-100`, so a nonzero
        // patch has a positive `f64` sum.
        return Some(S::zero());
    }
    if candidates.len().saturating_mul(width) > 2 * length {
        return None;
    }
    let mut arcs: Vec<Option<(usize, usize)>> = candidates
        .into_iter()
        .map(|p| occupied_arc(&energies, p, width))
        .collect();
    arcs.sort_unstable();
    arcs.dedup();
    arcs.into_iter()
        .map(|arc| match arc {
            None => S::zero(),
            Some((first, last)) => S::dot(
                (first..=last)
                    .flat_map(|q| z.at_position(q % length))
                    .map(|v| (v, v)),
            ),
        })
        .reduce(|best, energy| if energy > best { energy } else { best })
}

/// The positions `first ≤ last` (`last` may pass `N`, read modulo `N`) of the first and the last
/// position with energy in the patch `p, …, p + w − 1`, or `None` for an empty patch.
///
/// A patch's entries outside this arc are zero, so its exact energy is the sum over the arc;
/// two patches with the same arc hold the same nonzero entries, and their exact energy is
/// summed once for both.
fn occupied_arc(energies: &[f64], p: usize, width: usize) -> Option<(usize, usize)> {
    let length = energies.len();
    let occupied = |k: &usize| energies[(p + k) % length] > 0.0;
    let first = (0..width).find(occupied)?;
    let last = (0..width).rev().find(occupied)?;
    let start = (p + first) % length;
    Some((start, start + (last - first)))
}

/// `(‖Z‖^P_{2,∞}(w))²`, the same value as [`mlcsc_spec::norms::patch_norm_squared`]: for
/// exact scalars the screen picks the patches that may be largest and only those are summed
/// exactly.
pub fn patch_norm_squared<S: Scalar>(z: &LayerVector<S>, width: usize) -> S {
    if S::EXACT
        && let Some(value) = screened_patch_norm_squared(z, width.min(z.length()))
    {
        return value;
    }
    mlcsc_spec::norms::patch_norm_squared(z, width)
}
