//! The largest patch energy of an exact layer vector, with `f64` choosing which patches to sum
//! exactly.
//!
//! `(‖Z‖^P_{2,∞}(w))² = max_p Σ_{q = p}^{p+w-1} ‖Z[q, :]‖²` needs, done plainly, one exact
//! addition, subtraction and comparison per position. Here every patch energy is first
//! evaluated in `f64` together with a rigorous enclosure
//! ([`tolerance::f64_screen_relative`]); a patch whose upper end lies below the
//! largest lower end cannot be the largest, so only the remaining candidates (usually one) are
//! summed exactly, by [`Scalar::dot`], over their occupied positions. Only patches that start
//! at an occupied position are formed (one of them is the largest), in time proportional to
//! the occupied positions they hold rather than to the length. The result is the same exact
//! value as the plain sliding maximum. When an entry lies outside [`tolerance::SCREEN_MAGNITUDES`], or the candidates would
//! cost more than the plain way, the caller's plain computation runs instead.

use crate::model::LayerVector;
use crate::scalar::Scalar;
use crate::tolerance;

/// The most `width · length` for which every patch is summed afresh in `f64` (each sum is
/// formed from scratch, so that no subtraction can cancel); beyond it the plain path runs.
const MAX_SCREEN_WORK: usize = 1 << 24;

/// `max_p Σ_{q ∈ patch p} ‖Z[q, :]‖²` over the periodic patches of `width` positions, for
/// `1 ≤ width ≤ N`, or `None` when the screen does not apply (the caller then sums plainly).
///
/// Only the patches that start at an occupied position (one with a nonzero entry) are formed:
/// a patch `p` whose first occupied position is `q` holds no nonzero entry that patch `q` does
/// not (patch `q` covers `q, …, p + w − 1` and more), and energies are nonnegative, so the
/// largest energy is one of theirs. Such a patch holds a run of consecutive occupied positions
/// (in periodic order), and two of them hold the same entries only when both hold all.
fn screened_patch_norm_squared<S: Scalar>(z: &LayerVector<S>, width: usize) -> Option<S> {
    let (length, channels) = (z.length(), z.channels());
    if !screen_applies(length, channels, width) {
        return None;
    }
    // The occupied positions with their `f64` energies: each nonzero entry has `|x| ≥ 10^-100`,
    // so a position with one has a positive energy.
    let mut occupied: Vec<(usize, f64)> = Vec::new();
    for (q, position) in z.entries().chunks_exact(channels).enumerate() {
        let nonzero = position.iter().filter(|v| !v.is_zero());
        let energy = screened_energy(nonzero.map(|v| v.to_f64().abs()))?;
        if energy > 0.0 {
            occupied.push((q, energy));
        }
    }
    largest_energy(length, width, channels, &occupied, |i| {
        z.at_position(occupied[i].0)
    })
}

/// The nonzero entries of a layer vector: `values[j]` at the global index `indices[j]`
/// (increasing; `position · channels + channel`), with its `f64` magnitude `magnitudes[j]`;
/// every other entry is zero.
#[derive(Clone, Copy, Debug)]
pub struct SparseEntries<'a, S> {
    /// The global indices, increasing.
    pub indices: &'a [usize],
    /// The nonzero values.
    pub values: &'a [S],
    /// `|v|` of each value in `f64` ([`Scalar::to_f64`]).
    pub magnitudes: &'a [f64],
}

/// The same largest patch energy as [`patch_norm_squared`], of the vector of `length`
/// positions and `channels` channels whose nonzero entries are `entries`, for
/// `1 ≤ width ≤ length`. `None` when the screen does not apply (the caller then sums plainly).
pub fn sparse_patch_norm_squared<S: Scalar>(
    (length, channels): (usize, usize),
    width: usize,
    entries: SparseEntries<'_, S>,
) -> Option<S> {
    if !screen_applies(length, channels, width) {
        return None;
    }
    let SparseEntries {
        indices,
        values,
        magnitudes,
    } = entries;
    // The occupied positions, their energies, and where their entries start in `values`.
    let mut occupied: Vec<(usize, f64)> = Vec::with_capacity(indices.len());
    let mut starts: Vec<usize> = Vec::with_capacity(indices.len() + 1);
    let mut j = 0;
    while j < indices.len() {
        let q = indices[j] / channels;
        let end = j + indices[j..].partition_point(|&k| k / channels == q);
        let energy = screened_energy(magnitudes[j..end].iter().copied())?;
        occupied.push((q, energy));
        starts.push(j);
        j = end;
    }
    starts.push(indices.len());
    largest_energy(length, width, channels, &occupied, |i| {
        &values[starts[i]..starts[i + 1]]
    })
}

/// Whether the screen may run on `length` positions of `channels` channels at `width`.
fn screen_applies(length: usize, channels: usize, width: usize) -> bool {
    channels > 0 && width > 0 && width <= length && width.saturating_mul(length) <= MAX_SCREEN_WORK
}

/// The `f64` sum of the squares of the magnitudes of nonzero values, or `None` when one lies
/// outside [`tolerance::SCREEN_MAGNITUDES`].
fn screened_energy(magnitudes: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (smallest, largest) = tolerance::SCREEN_MAGNITUDES;
    let mut energy = 0.0;
    for x in magnitudes {
        if !(smallest..=largest).contains(&x) {
            return None;
        }
        energy += x * x;
    }
    Some(energy)
}

/// The largest patch energy from the occupied positions `occupied` (increasing, with their
/// `f64` energies) of a vector of `length` positions and `channels` channels, for
/// `1 ≤ width ≤ length`: `entries(i)` holds the entries at `occupied[i]` (its zeros may be
/// left out). Only the patches the screen cannot rule out are summed exactly; `None` when
/// they would cost more than the plain way.
fn largest_energy<'a, S: Scalar + 'a>(
    length: usize,
    width: usize,
    channels: usize,
    occupied: &[(usize, f64)],
    entries: impl Fn(usize) -> &'a [S],
) -> Option<S> {
    let runs = occupied_runs(occupied, length, width);
    let Some(best_lower) = runs.iter().map(|run| run.2).reduce(f64::max) else {
        return Some(S::zero());
    };
    // Each patch sum is formed from scratch (no subtraction can cancel), of at most
    // `w · channels` squares: the order of the additions does not matter to the enclosure
    // (Higham's bound holds for any order of summing nonnegative terms).
    let relative = tolerance::f64_screen_relative(width * channels);
    let best_lower = best_lower * (1.0 - relative);
    let mut candidates: Vec<(usize, usize)> = (runs.iter())
        .filter(|run| run.2 * (1.0 + relative) >= best_lower)
        .map(|&(first, count, _)| {
            if count == occupied.len() {
                (0, count)
            } else {
                (first, count)
            }
        })
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    // Each candidate's exact energy sums the squares of its occupied positions' entries.
    let work: usize = candidates.iter().map(|&(_, count)| count).sum();
    if work > 2 * length {
        return None;
    }
    candidates
        .into_iter()
        .map(|(first, count)| {
            let positions = (first..first + count).map(|i| i % occupied.len());
            S::dot(positions.flat_map(&entries).map(|v| (v, v)))
        })
        .reduce(|best, energy| if energy > best { energy } else { best })
}

/// For each occupied position `occupied[i]` (increasing), the run of occupied positions in the
/// patch that starts there, `occupied[i], …, occupied[i + count − 1]` (indices modulo their
/// number), as `(i, count, f64 sum of their energies)`.
fn occupied_runs(
    occupied: &[(usize, f64)],
    length: usize,
    width: usize,
) -> Vec<(usize, usize, f64)> {
    let k = occupied.len();
    // Positions forward from `a` to `b`, periodically.
    let distance = |a: usize, b: usize| (b + length - a) % length;
    let mut runs = Vec::with_capacity(k);
    let mut count = 0;
    for (i, &(q, _)) in occupied.iter().enumerate() {
        // The patch at `q` holds the previous run but its first position.
        count = count.max(2) - 1;
        while count < k && distance(q, occupied[(i + count) % k].0) < width {
            count += 1;
        }
        let sum: f64 = (i..i + count).map(|j| occupied[j % k].1).sum();
        runs.push((i, count, sum));
    }
    runs
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

#[cfg(test)]
mod tests {
    use super::*;
    use mlcsc_spec::scalar::Rational;

    /// The screened largest patch energy is the plain sliding maximum, on random vectors of
    /// every density (from one occupied position to all), with ties between patches (entries
    /// drawn from few values), every width up to the length, and one to three channels; the
    /// screen must answer in most cases.
    #[test]
    fn screened_patch_energies_equal_the_plain_sliding_maximum() {
        let mut stream = crate::test_stream::xorshift(0x6a09_e667_f3bc_c908);
        let mut next = move |bound: u64| (stream() % bound) as usize;
        let (mut screened, mut total) = (0, 0);
        for case in 0..3000 {
            let (length, channels) = (1 + next(60), 1 + next(3));
            let density = 1 + next(8);
            let values = 1 + next(5) as i64;
            let entries: Vec<Rational> = (0..length * channels)
                .map(|_| {
                    if next(8) < density {
                        let v = 1 + next(values as u64) as i64;
                        Rational::new((v - 2 * (v % 2) * v).into(), (1 + next(3) as i64).into())
                    } else {
                        Rational::from_integer(0.into())
                    }
                })
                .collect();
            let z = LayerVector::from_entries(length, channels, entries).expect("sizes agree");
            let width = 1 + next(length as u64);
            let plain = mlcsc_spec::norms::patch_norm_squared(&z, width);
            assert_eq!(patch_norm_squared(&z, width), plain, "case {case}");
            screened += usize::from(screened_patch_norm_squared(&z, width).is_some());
            total += 1;
        }
        assert!(screened * 10 >= total * 9, "{screened} of {total} screened");
    }
}
