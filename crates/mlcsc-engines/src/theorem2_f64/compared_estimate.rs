//! The midpoint of an estimate `Γ̂_i = T_β(D_iᵀ Z)` and what the vacuous shortcut reads of it
//! against `Γ_i`, in one pass: each block of `Γ̂_i` is compared with `Γ_i` as soon as the fast
//! kernel has computed and thresholded it, while it is in cache.

use super::error_norms::ErrorNorms;
use crate::fast;
use crate::fast::correlation::Correlation;
use crate::fast::norms::{squared_distance, windowed_maximum};
use crate::model::{Layer, LayerVector};
use crate::thresholding::Thresholding;
use pulp::{Arch, Simd, WithSimd};

/// What the shortcut reads of `Γ̂_i` against `Γ_i`.
pub(super) struct Comparison {
    /// `max |Γ̂_i|` when every entry is finite.
    pub largest_finite: Option<f64>,
    /// Whether the midpoints of `Γ_i` and `Γ̂_i` differ in sign (`−`, `0`, `+`) somewhere.
    pub signs_differ: bool,
    /// [`ErrorNorms::of_difference`] of the midpoints.
    pub norms: ErrorNorms,
}

/// One position's share of a [`Comparison`], combined over the positions afterwards.
#[derive(Clone, Copy, Default)]
struct PositionShare {
    energy: f64,
    largest_error: f64,
    largest: f64,
    infinite: bool,
    signs_differ: bool,
}

/// `T_β(D_iᵀ Z)` written into `out`, as [`fast::thresholded_analysis_into`] writes it (the same
/// kernel, blocks and thresholding), with its [`Comparison`] against `truth` (`Γ_i`, of its
/// shape) at patch width `width`. The comparison's numbers are those of the separate passes:
/// the same differences, each position's energy by
/// [`energies`](crate::fast::norms::energies), and maxima (which do not
/// depend on the order).
///
/// Without `out` (an estimate nothing reads afterwards), each block of `Γ̂_i` is compared in a
/// buffer and not kept ([`Correlation::correlate_unkept`]): the same blocks and numbers.
pub(super) fn compared_estimate(
    layer: &Layer<f64>,
    z: &LayerVector<f64>,
    (thresholding, beta): (Thresholding, f64),
    truth: &LayerVector<f64>,
    width: usize,
    out: Option<&mut LayerVector<f64>>,
) -> Comparison {
    let (length, channels) = (z.length(), layer.filter_count());
    let fused = layer.has_paper_geometry()
        && z.is_line()
        && z.channels() == layer.input_channels()
        && truth.length() == length
        && truth.channels() == channels;
    if !fused {
        let mut own = LayerVector::zeros(0, 0);
        let out = out.unwrap_or(&mut own);
        fast::thresholded_analysis_into(layer, z, Some((thresholding, beta)), out);
        return separately(out, truth, width);
    }
    let mut shares = vec![PositionShare::default(); length];
    let truth_entries = truth.entries();
    let finish = |p: usize, block: &mut [f64], shares: &mut [PositionShare]| {
        fast::threshold_in_place(block, thresholding, beta);
        let truth = &truth_entries[p * channels..][..block.len()];
        share_block(block, truth, channels.max(1), shares);
    };
    // `Γ_i`'s rows are asked for from memory while each block's products run.
    let correlation = Correlation::<f64>::analysis(layer);
    let side = (&mut shares[..], truth_entries);
    match out {
        Some(out) => {
            if out.length() != length || out.channels() != channels || !out.is_line() {
                *out = LayerVector::zeros(length, channels);
            }
            correlation.correlate_with_ahead(z.entries(), length, out.entries_mut(), side, &finish);
        }
        None => correlation.correlate_unkept(z.entries(), length, side, &finish),
    }
    combined(&shares, width)
}

/// The shares of the positions of one block of `Γ̂_i` against the same positions of `Γ_i`:
/// each position's energy, and the block's maxima and flags in its first position's share.
/// Each energy is [`squared_distance`] of the position's entries, the very sum
/// [`energies`](crate::fast::norms::energies) forms on the differences (the same differences, squares and partial sums in the same
/// order), without the differences written out; the loops are compiled for the vector
/// instructions found at run time.
fn share_block(estimate: &[f64], truth: &[f64], channels: usize, shares: &mut [PositionShare]) {
    Arch::new().dispatch(ShareBlock {
        estimate,
        truth,
        channels,
        shares,
    });
}

/// The arguments of [`share_block`], dispatched as a struct.
struct ShareBlock<'a> {
    estimate: &'a [f64],
    truth: &'a [f64],
    channels: usize,
    shares: &'a mut [PositionShare],
}

impl WithSimd for ShareBlock<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let ShareBlock {
            estimate,
            truth,
            channels,
            shares,
        } = self;
        for ((share, estimate), truth) in (shares.iter_mut())
            .zip(estimate.chunks_exact(channels))
            .zip(truth.chunks_exact(channels))
        {
            *share = PositionShare {
                energy: squared_distance(truth, estimate),
                ..PositionShare::default()
            };
        }
        // Written as selections and bitwise ors in independent lanes, so that the loop runs
        // on vectors. A NaN is passed over by the maxima (`>` is false), as by the separate
        // passes; no lane's maximum is NaN, so the lanes' maxima combine to the same numbers
        // in any order.
        let mut lanes = MaximaLanes::default();
        let (truths, estimates) = (
            truth.chunks_exact(MAXIMA_LANES),
            estimate.chunks_exact(MAXIMA_LANES),
        );
        let (truth_tail, estimate_tail) = (truths.remainder(), estimates.remainder());
        for (a, b) in truths.zip(estimates) {
            for lane in 0..MAXIMA_LANES {
                lanes.offer(lane, a[lane], b[lane]);
            }
        }
        for (lane, (a, b)) in truth_tail.iter().zip(estimate_tail).enumerate() {
            lanes.offer(lane, *a, *b);
        }
        let (largest_error, largest, infinite, signs_differ) = lanes.combined();
        if let Some(first) = shares.first_mut() {
            first.largest_error = largest_error;
            first.largest = largest;
            first.infinite = infinite;
            first.signs_differ = signs_differ;
        }
    }
}

/// Lanes of the maxima of [`share_block`].
const MAXIMA_LANES: usize = 8;

/// The maxima and flags of some entries of `Γ_i` (`a`) and `Γ̂_i` (`b`), lane by lane.
#[derive(Default)]
struct MaximaLanes {
    largest_error: [f64; MAXIMA_LANES],
    largest: [f64; MAXIMA_LANES],
    /// Flags as words, 0 or 1 (words rather than bytes keep the lanes on vectors).
    infinite: [u64; MAXIMA_LANES],
    signs_differ: [u64; MAXIMA_LANES],
}

impl MaximaLanes {
    /// One more pair of entries, in `lane`.
    #[inline(always)]
    fn offer(&mut self, lane: usize, a: f64, b: f64) {
        let error = (a - b).abs();
        let largest_error = &mut self.largest_error[lane];
        *largest_error = if error > *largest_error {
            error
        } else {
            *largest_error
        };
        let magnitude = b.abs();
        let largest = &mut self.largest[lane];
        *largest = if magnitude > *largest {
            magnitude
        } else {
            *largest
        };
        self.infinite[lane] |= u64::from(!b.is_finite());
        self.signs_differ[lane] |= u64::from(((a > 0.0) != (b > 0.0)) | ((a < 0.0) != (b < 0.0)));
    }

    /// The largest error, the largest magnitude, and the flags, over every lane.
    fn combined(&self) -> (f64, f64, bool, bool) {
        let pick = |x: f64, y: &f64| if *y > x { *y } else { x };
        (
            self.largest_error.iter().fold(0.0, pick),
            self.largest.iter().fold(0.0, pick),
            self.infinite.iter().any(|x| *x != 0),
            self.signs_differ.iter().any(|x| *x != 0),
        )
    }
}

/// The comparison from every position's share.
fn combined(shares: &[PositionShare], width: usize) -> Comparison {
    let energies: Vec<f64> = shares.iter().map(|s| s.energy).collect();
    let (mut largest_error, mut largest) = (0.0f64, 0.0f64);
    let (mut infinite, mut signs_differ) = (false, false);
    for share in shares {
        if share.largest_error > largest_error {
            largest_error = share.largest_error;
        }
        largest = largest.max(share.largest);
        infinite |= share.infinite;
        signs_differ |= share.signs_differ;
    }
    Comparison {
        largest_finite: (!infinite).then_some(largest),
        signs_differ,
        norms: ErrorNorms {
            patch_squared: windowed_maximum(&energies, width),
            largest: largest_error,
        },
    }
}

/// The comparison by separate passes over the vectors.
fn separately(estimate: &LayerVector<f64>, truth: &LayerVector<f64>, width: usize) -> Comparison {
    let entries = estimate.entries();
    let finite = entries.iter().all(|x| x.is_finite());
    Comparison {
        largest_finite: finite.then(|| entries.iter().fold(0.0f64, |m, x| m.max(x.abs()))),
        signs_differ: super::support::midpoint_signs_differ(truth, estimate),
        norms: ErrorNorms::of_difference(truth, estimate, width),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_stream::counter_noise as noise;

    fn bits(c: &Comparison) -> (Option<u64>, bool, u64, u64) {
        (
            c.largest_finite.map(f64::to_bits),
            c.signs_differ,
            c.norms.patch_squared.to_bits(),
            c.norms.largest.to_bits(),
        )
    }

    /// The fused pass, with the estimate kept and not, against the kernel's thresholded
    /// analysis and the separate passes, on a vector long enough for parallel blocks
    /// (`PARALLEL_MINIMUM` entries) and the seam: with `Γ_i` the estimate itself
    /// (no sign differs), with one entry of the last position changed, and with an infinite
    /// input entry.
    #[test]
    fn the_fused_comparison_is_the_separate_passes() {
        let (n, m, m_previous, length) = (4, 6, 3, 6000);
        let layer = crate::test_stream::noise_layer(n, m, m_previous);
        let z_entries: Vec<f64> = (0..length * m_previous).map(|k| noise(k + 5000)).collect();
        let mut z = LayerVector::from_entries(length, m_previous, z_entries).expect("Z");
        for thresholding in [
            Thresholding::Soft,
            Thresholding::Hard,
            Thresholding::Nonnegative,
        ] {
            let rule = (thresholding, 0.4);
            let estimate = fast::thresholded_analysis(&layer, &z, Some(rule));
            let entries = estimate.entries().len();
            let changed = |at: usize| {
                let mut changed = estimate.clone();
                changed.entries_mut()[at] = 7.0 - changed.entries()[at];
                changed
            };
            // One entry changed, at either end and within (every place in a block of
            // entries, the lanes' and the tail's, among them).
            let places = [0, 1, entries / 2 + 3, entries - 2, entries - 1];
            let truths: Vec<_> = std::iter::once(estimate.clone())
                .chain(places.into_iter().map(changed))
                .chain((0..entries).step_by(97).map(changed))
                .collect();
            for truth in &truths {
                for width in [1, 5, length + 3] {
                    let mut out = LayerVector::zeros(0, 0);
                    let fused = compared_estimate(&layer, &z, rule, truth, width, Some(&mut out));
                    assert_eq!(out, estimate);
                    let expected = separately(&estimate, truth, width);
                    assert_eq!(bits(&fused), bits(&expected), "{thresholding:?} {width}");
                    let unkept = compared_estimate(&layer, &z, rule, truth, width, None);
                    assert_eq!(bits(&unkept), bits(&expected), "{thresholding:?} {width}");
                }
            }
            assert!(!separately(&estimate, &estimate, 3).signs_differ);
            assert!(separately(&estimate, &truths[5], 3).signs_differ);
        }
        z.entries_mut()[7] = f64::INFINITY;
        let estimate = fast::thresholded_analysis(&layer, &z, Some((Thresholding::Soft, 0.4)));
        let mut out = LayerVector::zeros(0, 0);
        let fused = compared_estimate(
            &layer,
            &z,
            (Thresholding::Soft, 0.4),
            &estimate,
            5,
            Some(&mut out),
        );
        assert_eq!(fused.largest_finite, None);
        assert_eq!(
            bits(&fused),
            bits(&separately(&out, &estimate, 5)),
            "an infinite entry"
        );
    }
}
