//! The certain support of an enclosed representation and conclusion 1 (support recovery).

use super::enclosed::Enclosed;
use super::interval::Interval;
use crate::enclosure::Decision;

/// An entry whose support is uncertain: its position, channel, midpoint and radius.
pub(super) type UncertainEntry = (usize, usize, f64, f64);

/// The magnitudes `(|Γ_i^min|, |Γ_i^max|)` over the support of `Γ_i` when every entry's support
/// is certain (`None` for an all-zero `Γ_i`), or the first entry whose support is uncertain.
/// Where the support is certain, the midpoint's nonzeros are exactly the support, so the
/// sparsities of the midpoint are those of `Γ_i`.
pub(super) fn certain_magnitudes(
    gamma: &Enclosed,
) -> Result<Option<(Interval, Interval)>, UncertainEntry> {
    let channels = gamma.mid.channels();
    let mut range: Option<(Interval, Interval)> = None;
    for k in 0..gamma.rad.len() {
        match gamma.sign(k) {
            None => {
                return Err((
                    k / channels,
                    k % channels,
                    gamma.mid.entries()[k],
                    gamma.rad[k],
                ));
            }
            Some(0) => {}
            Some(_) => {
                let value = gamma.entry(k);
                let magnitude = if value.lo > 0.0 {
                    value
                } else {
                    Interval {
                        lo: -value.hi,
                        hi: -value.lo,
                    }
                };
                range = Some(match range {
                    None => (magnitude, magnitude),
                    Some((small, large)) => (
                        Interval {
                            lo: small.lo.min(magnitude.lo),
                            hi: small.hi.min(magnitude.hi),
                        },
                        Interval {
                            lo: large.lo.max(magnitude.lo),
                            hi: large.hi.max(magnitude.hi),
                        },
                    ),
                });
            }
        }
    }
    Ok(range)
}

/// Conclusion 1 at one layer: `True` when every entry certainly has the sign of `Γ_i`, `False`
/// with the first entry certainly not, and otherwise open with the first uncertain entry.
pub(super) fn support_conclusion(
    truth: &Enclosed,
    estimate: &Enclosed,
) -> (Decision, Option<usize>, Option<usize>) {
    let mut uncertain = None;
    for k in 0..truth.rad.len() {
        match (truth.sign(k), estimate.sign(k)) {
            (Some(a), Some(b)) if a != b => return (Decision::False, Some(k), None),
            (Some(_), Some(_)) => {}
            _ => {
                uncertain.get_or_insert(k);
            }
        }
    }
    match uncertain {
        Some(k) => (Decision::Undecided, None, Some(k)),
        None => (Decision::True, None, None),
    }
}
