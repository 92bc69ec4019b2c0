//! Local norms of layer vectors (docs/math.md §2).
//!
//! - `‖Z‖^P_{2,∞}(w) = max_p ‖Z[p..p+w-1, :]‖_2` (here squared, which is exact in rationals);
//! - `‖Z‖^P_{0,∞}(w) = max_p #nonzeros(Z[p..p+w-1, :])`;
//! - `‖Γ_i‖^S_{0,∞}` = the largest number of nonzeros in a stripe, positions
//!   `p - n_i + 1, …, p + n_i - 1`: a patch of width `2 n_i - 1`.
//!
//! Windows are periodic. A width beyond `N` is read as `N` (a window never counts a position
//! twice). Each norm is a sliding-window maximum over per-position sums, `O(N · m)`.

use crate::model::{LayerVector, stripe_width};
use crate::scalar::Scalar;

/// The largest sum over `width` consecutive (periodic) entries of `per_position` (`zero` for
/// width 0: an empty patch).
fn windowed_maximum<T>(per_position: &[T], width: usize, zero: T) -> T
where
    T: Clone + PartialOrd + for<'a> std::ops::AddAssign<&'a T> + for<'a> std::ops::SubAssign<&'a T>,
{
    let length = per_position.len();
    if width == 0 || length == 0 {
        return zero;
    }
    let width = width.clamp(1, length.max(1));
    let mut window = zero;
    for v in per_position.iter().take(width) {
        window += v;
    }
    let mut best = window.clone();
    for p in 1..length {
        window -= &per_position[p - 1];
        window += &per_position[(p + width - 1) % length];
        if window > best {
            best = window.clone();
        }
    }
    best
}

/// `(‖Z‖^P_{2,∞}(w))²`, the largest energy in a patch of `w` positions (all channels), by
/// one exact sliding sum over all positions.
pub fn patch_norm_squared<S: Scalar>(z: &LayerVector<S>, width: usize) -> S {
    let energies: Vec<S> = (0..z.length())
        .map(|p| {
            let mut acc = S::zero();
            for v in z.at_position(p) {
                S::multiply_accumulate(&mut acc, v, v);
            }
            acc
        })
        .collect();
    windowed_maximum(&energies, width, S::zero())
}

/// The position `p` whose patch `p..p+w-1` has the largest energy, with that energy.
pub fn worst_patch<S: Scalar>(z: &LayerVector<S>, width: usize) -> (usize, S) {
    let width = width.clamp(1, z.length());
    let mut best = (0, S::zero());
    for p in 0..z.length() {
        let mut acc = S::zero();
        for q in p..p + width {
            for v in z.at_position(q) {
                S::multiply_accumulate(&mut acc, v, v);
            }
        }
        if acc > best.1 || p == 0 {
            best = (p, acc);
        }
    }
    best
}

fn nonzeros_per_position<S: Scalar>(z: &LayerVector<S>) -> Vec<usize> {
    z.entries()
        .chunks(z.channels().max(1))
        .map(|position| position.iter().filter(|v| !v.is_zero()).count())
        .collect()
}

/// `‖Z‖^P_{0,∞}(w)`, the largest number of nonzeros in a patch of `w` positions.
pub fn patch_sparsity<S: Scalar>(z: &LayerVector<S>, width: usize) -> usize {
    let [sparsity] = patch_sparsities(z, [width]);
    sparsity
}

/// [`patch_sparsity`] at several widths, counting the nonzeros of `Z` once.
pub fn patch_sparsities<S: Scalar, const K: usize>(
    z: &LayerVector<S>,
    widths: [usize; K],
) -> [usize; K] {
    let counts = nonzeros_per_position(z);
    widths.map(|width| windowed_maximum(&counts, width, 0))
}

/// `‖Γ‖^S_{0,∞}` for the coefficients of a layer with filter length `n`: the largest number of
/// nonzeros in a stripe of `2n - 1` positions.
pub fn stripe_sparsity<S: Scalar>(gamma: &LayerVector<S>, filter_length: usize) -> usize {
    patch_sparsity(gamma, stripe_width(filter_length))
}

/// The number of nonzeros of `Γ` in the stripe of atom `(p, ·)`, i.e. at positions
/// `p - n + 1, …, p + n - 1`.
pub fn stripe_count_at<S: Scalar>(gamma: &LayerVector<S>, filter_length: usize, p: usize) -> usize {
    let length = gamma.length();
    let width = stripe_width(filter_length).min(length);
    let start = p + length * filter_length - (filter_length - 1);
    (0..width)
        .map(|k| {
            gamma
                .at_position(start + k)
                .iter()
                .filter(|v| !v.is_zero())
                .count()
        })
        .sum()
}
