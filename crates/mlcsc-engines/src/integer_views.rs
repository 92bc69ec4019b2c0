//! Exact analysis on integer views: when the taps and the vector are each integers over one
//! common denominator in `i128` ([`IntegerView::over_common_denominator`]), every inner product is
//! formed in `i128` (with a bound on the sizes that excludes overflow) and reduced once, as one
//! fraction over `D_f D_z`. The values are
//! the same exact rationals as the plain loop's. Only the atoms that `Z`'s nonzero entries
//! reach are summed (`correlation_sums`); every other atom is zero, and `T_β(0)` once
//! thresholded.
//!
//! With a threshold `β = b_n / b_d` the sums that the operator sends to zero are recognised on
//! integers (`|s| b_d ≤ b_n D`, or `s b_d ≤ b_n D` for the ReLU form, as `|s| ≤ ⌊b_n D / b_d⌋`)
//! and never reduced: most entries of a layer's correlations lie below its threshold.
//!
//! A `Z` whose common denominator (or whose sums) would not fit an `i128` (the estimates of deep
//! layers carry the denominators of every layer above them) is summed the same way in big
//! integers over its least common denominator ([`IntegerView::over_big_common_denominator`]):
//! one product per nonzero entry and tap, where the term-by-term dot products reduce every
//! partial sum by a gcd of big numbers. Where those numerators have at most 192 bits (and the
//! taps one word) the sums are formed in 256-bit two's complement instead, and only the entries
//! above the threshold become big integers (`correlation_sums/wide.rs`).

use num_bigint::{BigInt, Sign};
use num_integer::Integer;

use crate::correlation_sums::{
    SignalView, Wide, WideSignal, big_entries, limit_magnitude, signal_view, wide_entries,
    wide_signal, wide_signal_of_words, word_entries, word_sums_fit,
};
use crate::integer_view::IntegerView;
use crate::model::{Layer, LayerVector};
use crate::thresholding::Thresholding;
use mlcsc_spec::threshold::Threshold;

mod threshold_limit;

use threshold_limit::threshold_limit;

/// The sums of `D_iᵀ Z` over `D = D_f D_z`: on words where `Z`'s view is in `i128` and no sum
/// can reach `2^126`, else in 256 bits where the numerators have at most 192 bits, else in big
/// integers.
enum Sums {
    /// `Z`'s nonzero numerators and `D`, in `i128`.
    Words(Vec<(usize, i128)>, i128),
    /// `Z`'s nonzero numerators for sums in 256 bits, and `D`.
    Wide(Vec<(usize, WideSignal)>, BigInt),
    /// The same in big integers.
    Big(Vec<(usize, BigInt)>, BigInt),
}

/// The taps' `i128` view and the sums' kind (`None` without integer views: `f64`, or taps
/// beyond `i128`).
fn views<S: IntegerView>(layer: &Layer<S>, z: &LayerVector<S>) -> Option<(Vec<i128>, Sums)> {
    let (taps, filter_denominator) = S::over_common_denominator(layer.taps())?;
    let terms = layer.filter_length() * layer.input_channels();
    let sums = match signal_view(z)? {
        SignalView::Words(nonzero, signal_denominator) => {
            let product = filter_denominator.checked_mul(signal_denominator);
            match product {
                Some(denominator) if word_sums_fit(terms, &taps, &nonzero) => {
                    Sums::Words(nonzero, denominator)
                }
                _ => {
                    let denominator = BigInt::from(signal_denominator) * filter_denominator;
                    match wide_signal_of_words(terms, &taps, &nonzero) {
                        Some(wide) => Sums::Wide(wide, denominator),
                        None => Sums::Big(
                            (nonzero.into_iter())
                                .map(|(k, n)| (k, BigInt::from(n)))
                                .collect(),
                            denominator,
                        ),
                    }
                }
            }
        }
        SignalView::Big(nonzero, signal_denominator) => {
            let denominator = signal_denominator * filter_denominator;
            match wide_signal(terms, &taps, &nonzero) {
                Some(wide) => Sums::Wide(wide, denominator),
                None => Sums::Big(nonzero, denominator),
            }
        }
    };
    Some((taps, sums))
}

/// [`analysis`] on integer views (`None` without them).
fn integer_analysis<S: IntegerView>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
) -> Option<LayerVector<S>> {
    let (taps, sums) = views(layer, z)?;
    let (length, zero) = (z.length(), S::zero());
    let entries = match sums {
        Sums::Words(signal, denominator) => {
            word_entries(layer, length, &taps, &signal, &zero, |s| {
                S::from_integer_fraction(s, denominator)
            })
        }
        Sums::Wide(signal, denominator) => {
            wide_entries(layer, length, &taps, &signal, &zero, |s| {
                S::from_big_fraction(&s.to_big(), &denominator)
            })
        }
        Sums::Big(signal, denominator) => big_entries(layer, length, &taps, &signal, &zero, |s| {
            S::from_big_fraction(&s, &denominator)
        }),
    };
    LayerVector::from_entries(length, layer.filter_count(), entries)
}

/// [`thresholded_analysis`] on integer views (`None` without them): `T_β` of every nonzero sum
/// (a zero sum, every atom `Z` does not reach among them, is `T_β(0)`).
fn integer_thresholded_analysis<S: IntegerView>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
    thresholding: Thresholding,
    beta: &S,
) -> Option<LayerVector<S>> {
    let (taps, sums) = views(layer, z)?;
    let (length, zero_image) = (z.length(), thresholding.apply(&S::zero(), beta));
    let entries = match sums {
        Sums::Words(signal, denominator) => {
            let entry = word_threshold(thresholding, beta, denominator);
            word_entries(layer, length, &taps, &signal, &zero_image, entry)
        }
        Sums::Wide(signal, denominator) => {
            let entry = wide_threshold(thresholding, beta, &denominator);
            wide_entries(layer, length, &taps, &signal, &zero_image, entry)
        }
        Sums::Big(signal, denominator) => {
            let entry = big_threshold(thresholding, beta, &denominator);
            big_entries(layer, length, &taps, &signal, &zero_image, entry)
        }
    };
    LayerVector::from_entries(length, layer.filter_count(), entries)
}

/// `β = b_n / b_d` in big integers (`None` when `β` has no integer view).
fn big_beta<S: IntegerView>(beta: &S) -> Option<(BigInt, BigInt)> {
    S::over_common_denominator(std::slice::from_ref(beta))
        .map(|(numerators, b_d)| (BigInt::from(numerators[0]), BigInt::from(b_d)))
}

/// `s ↦ T_β(s / D)` for big sums `s`: the sums the operator sends to zero recognised on
/// integers, `|s| ≤ ⌊b_n D / b_d⌋` (`s ≤ ⌊b_n D / b_d⌋` for the ReLU form), and never reduced.
fn big_threshold<'a, S: IntegerView>(
    thresholding: Thresholding,
    beta: &'a S,
    denominator: &'a BigInt,
) -> impl FnMut(BigInt) -> S + 'a {
    // `⌊b_n D / b_d⌋` for `β = b_n / b_d`: for an integer `s`, `|s| b_d ≤ b_n D` exactly when
    // `|s| ≤ ⌊b_n D / b_d⌋` (`b_d ≥ 1`), compared with no product formed.
    let view = big_beta(beta);
    let bound = (view.as_ref()).map(|(b_n, b_d)| (b_n * denominator).div_floor(b_d));
    let shrink = view.map(|(b_n, b_d)| BigShrink::new(b_n, b_d, denominator));
    move |s| {
        let below = bound.as_ref().is_some_and(|limit| match thresholding {
            Thresholding::Nonnegative => s <= *limit,
            Thresholding::Soft | Thresholding::Hard => {
                limit.sign() != Sign::Minus && s.magnitude() <= limit.magnitude()
            }
        });
        match &shrink {
            _ if below => S::zero(),
            Some(shrink) => shrink.above(thresholding, &s, denominator),
            None => thresholding.apply(&S::from_big_fraction(&s, denominator), beta),
        }
    }
}

/// `s ↦ T_β(s / D)` for 256-bit sums `s`: [`big_threshold`]'s comparison made on the 256 bits
/// (a bound beyond them compares as any other beyond the sums, which are below `2^255`), and
/// only the sums above the threshold turned into big integers.
fn wide_threshold<'a, S: IntegerView>(
    thresholding: Thresholding,
    beta: &'a S,
    denominator: &'a BigInt,
) -> impl FnMut(Wide) -> S + 'a {
    let view = big_beta(beta);
    let bound = view.as_ref().map(|(b_n, b_d)| {
        let bound = (b_n * denominator).div_floor(b_d);
        (bound.sign() == Sign::Minus, limit_magnitude(&bound))
    });
    let shrink = view.map(|(b_n, b_d)| BigShrink::new(b_n, b_d, denominator));
    move |s| {
        let below = bound
            .as_ref()
            .is_some_and(|(negative, limit)| match thresholding {
                Thresholding::Nonnegative => s.at_most(*negative, limit.as_ref()),
                Thresholding::Soft | Thresholding::Hard => {
                    !negative && s.magnitude_at_most(limit.as_ref())
                }
            });
        if below {
            return S::zero();
        }
        let s = s.to_big();
        match &shrink {
            Some(shrink) => shrink.above(thresholding, &s, denominator),
            None => thresholding.apply(&S::from_big_fraction(&s, denominator), beta),
        }
    }
}

/// A threshold `β = b_n / b_d` against sums over `D`, for the entries above it.
struct BigShrink {
    /// `b_n D`.
    scaled_beta: BigInt,
    /// `D b_d`.
    product_denominator: BigInt,
    /// `b_d`.
    beta_denominator: BigInt,
    /// `k` when `b_d = 2^k` (the thresholds of generated instances): `s b_d` is a shift.
    beta_exponent: Option<u64>,
}

impl BigShrink {
    /// The shrink of `β = b_n / b_d` against sums over `D`.
    fn new(b_n: BigInt, b_d: BigInt, denominator: &BigInt) -> BigShrink {
        let beta_exponent = (b_d.trailing_zeros()).filter(|&k| b_d.bits() == k + 1);
        BigShrink {
            scaled_beta: b_n * denominator,
            product_denominator: denominator * &b_d,
            beta_denominator: b_d,
            beta_exponent,
        }
    }

    /// `T_β(s / D)` for a sum `s` above the threshold (`|s| b_d > b_n D`, or `s b_d > b_n D`
    /// for the ReLU form, or any `s` when `β < 0`), as one fraction reduced once:
    /// `sign(s) (|s| b_d − b_n D) / (D b_d)` (soft), `(s b_d − b_n D) / (D b_d)` (ReLU form),
    /// `s / D` (hard).
    fn above<S: IntegerView>(
        &self,
        thresholding: Thresholding,
        s: &BigInt,
        denominator: &BigInt,
    ) -> S {
        let scaled = match self.beta_exponent {
            Some(k) => s << k,
            None => s * &self.beta_denominator,
        };
        let shrunk = match thresholding {
            Thresholding::Hard => return S::from_big_fraction(s, denominator),
            Thresholding::Soft if s.sign() == Sign::Minus => scaled + &self.scaled_beta,
            Thresholding::Soft | Thresholding::Nonnegative => scaled - &self.scaled_beta,
        };
        S::from_big_fraction(&shrunk, &self.product_denominator)
    }
}

/// `T_β(s / D)` for a sum `s` above the threshold, as [`BigShrink::above`] forms it, in `i128`:
/// `shrink` is `(b_n D, D b_d, b_d)`; `None` when a product overflows.
fn integer_above<S: IntegerView>(
    thresholding: Thresholding,
    s: i128,
    denominator: i128,
    (scaled_beta, product_denominator, beta_denominator): (i128, i128, i128),
) -> Option<S> {
    let scaled = s.checked_mul(beta_denominator)?;
    let shrunk = match thresholding {
        Thresholding::Hard => return Some(fraction(s, denominator)),
        Thresholding::Soft if s < 0 => scaled.checked_add(scaled_beta)?,
        Thresholding::Soft | Thresholding::Nonnegative => scaled.checked_sub(scaled_beta)?,
    };
    Some(fraction(shrunk, product_denominator))
}

/// `s / D` as an exact scalar.
fn fraction<S: IntegerView>(sum: i128, denominator: i128) -> S {
    if sum == 0 {
        S::zero()
    } else {
        S::from_integer_fraction(sum, denominator)
    }
}

/// `s ↦ T_β(s / D)` for word sums `s`, as [`big_threshold`] forms it: when `β` has no integer
/// view, or a product below overflows, the entry is formed and thresholded exactly.
fn word_threshold<S: IntegerView>(
    thresholding: Thresholding,
    beta: &S,
    denominator: i128,
) -> impl FnMut(i128) -> S + '_ {
    // `β = b_n / b_d`: for an integer `s`, `|s| b_d ≤ b_n D` (or `s b_d ≤ b_n D`) exactly when
    // `|s| ≤ ⌊b_n D / b_d⌋` (`b_d ≥ 1`), so each sum is compared with that one bound.
    let view = S::over_common_denominator(std::slice::from_ref(beta))
        .map(|(numerators, beta_denominator)| (numerators[0], beta_denominator));
    let limit = view.and_then(|(b_n, b_d)| threshold_limit(b_n, denominator, b_d));
    // Where the comparison is made, an entry above the threshold is one fraction over `D b_d`.
    let shrink = limit.and(view).and_then(|(b_n, b_d)| {
        Some((
            b_n.checked_mul(denominator)?,
            denominator.checked_mul(b_d)?,
            b_d,
        ))
    });
    move |s| {
        // `T_β` sends every value with `|z| ≤ β` (`z ≤ β` for the ReLU form) to zero.
        let below = limit.is_some_and(|limit| match thresholding {
            Thresholding::Nonnegative => s <= limit,
            Thresholding::Soft | Thresholding::Hard => {
                limit >= 0 && s.unsigned_abs() <= limit.unsigned_abs()
            }
        });
        if below {
            return S::zero();
        }
        shrink
            .and_then(|shrink| integer_above(thresholding, s, denominator, shrink))
            .unwrap_or_else(|| thresholding.apply(&fraction(s, denominator), beta))
    }
}

/// `D_iᵀ Z`, the same values as [`mlcsc_spec::operators::analysis`]: on integer views where
/// the taps and `Z` have them, else term by term, each inner product over its own common
/// denominator (in exact arithmetic positions where `Z` vanishes are skipped; in `f64` every
/// product is formed, as `0 · ∞` is not zero).
/// A strided or padded layer takes the specification's loop.
pub fn analysis<S: IntegerView>(layer: &Layer<S>, z: &LayerVector<S>) -> LayerVector<S> {
    if !(layer.has_paper_geometry() && z.is_line()) {
        return mlcsc_spec::operators::analysis(layer, z);
    }
    integer_analysis(layer, z).unwrap_or_else(|| skipping_analysis(layer, z))
}

/// `T_β(D_iᵀ Z)`, the same values as [`mlcsc_spec::operators::thresholded_analysis`]: on
/// integer views the correlations that the operator sends to zero are recognised by an
/// integer comparison and never formed as fractions (for a threshold shared by the layer's
/// channels; one per channel thresholds [`analysis`] channel by channel).
pub fn thresholded_analysis<S: IntegerView>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
    thresholding: Thresholding,
    beta: &Threshold<S>,
) -> LayerVector<S> {
    let beta = match beta {
        Threshold::Shared(beta) => beta,
        Threshold::PerChannel(_) => return beta.apply(thresholding, &analysis(layer, z)),
    };
    if !(layer.has_paper_geometry() && z.is_line()) {
        return thresholding.apply_vector(&mlcsc_spec::operators::analysis(layer, z), beta);
    }
    integer_thresholded_analysis(layer, z, thresholding, beta)
        .unwrap_or_else(|| thresholding.apply_vector(&skipping_analysis(layer, z), beta))
}

/// [`analysis`] without integer views: the plain sums, skipping the positions where an exact
/// `Z` vanishes.
fn skipping_analysis<S: IntegerView>(layer: &Layer<S>, z: &LayerVector<S>) -> LayerVector<S> {
    let length = z.length();
    let (m_prev, m, n) = (
        layer.input_channels(),
        layer.filter_count(),
        layer.filter_length(),
    );
    let occupied: Vec<bool> = (0..length)
        .map(|q| !S::EXACT || z.at_position(q).iter().any(|v| !v.is_zero()))
        .collect();
    let mut out = LayerVector::zeros(length, m);
    let out_entries = out.entries_mut();
    let mut taps = Vec::with_capacity(n);
    for p in 0..length {
        taps.clear();
        taps.extend((0..n).filter(|t| occupied[(p + t) % length]));
        if taps.is_empty() {
            continue;
        }
        for c in 0..m {
            let filter = layer.filter(c);
            out_entries[p * m + c] = S::dot(taps.iter().flat_map(|&t| {
                filter[t * m_prev..(t + 1) * m_prev]
                    .iter()
                    .zip(z.at_position(p + t))
            }));
        }
    }
    out
}
