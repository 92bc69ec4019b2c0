//! Exact analysis on integer views: when the taps and the vector are each integers over one
//! common denominator in `i128` ([`IntegerView::over_common_denominator`]), every inner product is
//! formed in `i128` (with a bound on the sizes that excludes overflow) and reduced once, as one
//! fraction over `D_f D_z`. The values are
//! the same exact rationals as the plain loop's.
//!
//! With a threshold `β = b_n / b_d` the sums that the operator sends to zero are recognised on
//! integers (`|s| b_d ≤ b_n D`, or `s b_d ≤ b_n D` for the ReLU form, as `|s| ≤ ⌊b_n D / b_d⌋`)
//! and never reduced: most entries of a layer's correlations lie below its threshold.
//!
//! A `Z` whose common denominator (or whose sums) would not fit an `i128` (the estimates of deep
//! layers carry the denominators of every layer above them) is summed the same way in big
//! integers over its least common denominator ([`IntegerView::over_big_common_denominator`]):
//! one product per nonzero entry and tap, where the term-by-term dot products reduce every
//! partial sum by a gcd of big numbers.

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use num_traits::Zero;

use crate::integer_view::IntegerView;
use crate::model::{Layer, LayerVector};
use crate::thresholding::Thresholding;
use mlcsc_spec::threshold::Threshold;

/// The number of bits of `|x|` (0 for 0).
fn bits(x: u128) -> u32 {
    u128::BITS - x.leading_zeros()
}

/// `D_iᵀ Z` as `(sums, D)` with entry `k` equal to `sums[k] / D`, `D = D_f D_z`; `None` when an
/// integer view does not exist or a sum of `n m_{i-1}` products could reach `2^126`.
fn integer_correlations<S: IntegerView>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
) -> Option<(Vec<i128>, i128)> {
    let m_prev = layer.input_channels();
    let n = layer.filter_length();
    let (filters, filter_denominator) = S::over_common_denominator(layer.taps())?;
    let (signal, signal_denominator) = S::over_common_denominator(z.entries())?;
    let largest = |values: &[i128]| values.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
    if bits(largest(&filters)) + bits(largest(&signal)) + bits((n * m_prev) as u128) > 126 {
        return None;
    }
    let denominator = filter_denominator.checked_mul(signal_denominator)?;
    let length = z.length();
    let m = layer.filter_count();
    // Each nonzero entry `z[q, c']` adds `f_c[t][c'] z[q, c']` to atom `(p, c)` with
    // `p + t ≡ q (mod N)`: zeros of `Z` (most of a thresholded estimate) cost nothing, and an
    // atom receives at most `n m_{i-1}` products.
    let mut sums = vec![0i128; length * m];
    for (q, position) in signal.chunks(m_prev).enumerate() {
        for (k, &x) in position.iter().enumerate() {
            if x == 0 {
                continue;
            }
            // `p = (q − t) mod N`, stepped down with `t` (no division per tap).
            let mut p = q;
            for t in 0..n {
                for (c, sum) in sums[p * m..(p + 1) * m].iter_mut().enumerate() {
                    *sum += filters[(c * n + t) * m_prev + k] * x;
                }
                p = if p == 0 { length - 1 } else { p - 1 };
            }
        }
    }
    Some((sums, denominator))
}

/// `D_iᵀ Z` as `(sums, D)` in big integers, entry `k` equal to `sums[k] / D`, `D = D_f D_z`:
/// the taps on their `i128` view, `Z`'s nonzero entries over their common denominator.
/// `None` when either view does not exist.
fn big_correlations<S: IntegerView>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
) -> Option<(Vec<BigInt>, BigInt)> {
    let m_prev = layer.input_channels();
    let n = layer.filter_length();
    let (filters, filter_denominator) = S::over_common_denominator(layer.taps())?;
    // `Z`'s `i128` view where it exists (its sums only were too large for `i128`), else the
    // big one.
    let (signal, signal_denominator) = match S::over_common_denominator(z.entries()) {
        Some((numerators, denominator)) => (
            (numerators.iter().enumerate())
                .filter(|(_, n)| **n != 0)
                .map(|(k, n)| (k, BigInt::from(*n)))
                .collect(),
            BigInt::from(denominator),
        ),
        None => S::over_big_common_denominator(z.entries())?,
    };
    let length = z.length();
    let m = layer.filter_count();
    let mut sums = vec![BigInt::zero(); length * m];
    // Each product is formed in one buffer, reused (no allocation per product).
    let mut product = BigInt::zero();
    // As in `integer_correlations`: entry `(q, c')` adds `f_c[t][c'] z[q, c']` to `(p, c)`.
    for (index, x) in &signal {
        let (q, k) = (index / m_prev, index % m_prev);
        let mut p = q;
        for t in 0..n {
            for (c, sum) in sums[p * m..(p + 1) * m].iter_mut().enumerate() {
                let f = filters[(c * n + t) * m_prev + k];
                if f != 0 {
                    product.clone_from(x);
                    product *= f;
                    *sum += &product;
                }
            }
            p = if p == 0 { length - 1 } else { p - 1 };
        }
    }
    Some((sums, signal_denominator * filter_denominator))
}

/// [`analysis`] on big integer views (`None` without them).
fn big_analysis<S: IntegerView>(layer: &Layer<S>, z: &LayerVector<S>) -> Option<LayerVector<S>> {
    let (sums, denominator) = big_correlations(layer, z)?;
    let entries = (sums.iter())
        .map(|s| S::from_big_fraction(s, &denominator))
        .collect();
    LayerVector::from_entries(z.length(), layer.filter_count(), entries)
}

/// [`thresholded_analysis`] on big integer views (`None` without them): the sums the operator
/// sends to zero recognised as in [`integer_thresholded_analysis`], in big integers.
fn big_thresholded_analysis<S: IntegerView>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
    thresholding: Thresholding,
    beta: &S,
) -> Option<LayerVector<S>> {
    let (sums, denominator) = big_correlations(layer, z)?;
    // `⌊b_n D / b_d⌋` for `β = b_n / b_d`: for an integer `s`, `|s| b_d ≤ b_n D` exactly when
    // `|s| ≤ ⌊b_n D / b_d⌋` (`b_d ≥ 1`), compared with no product formed.
    let view = S::over_common_denominator(std::slice::from_ref(beta))
        .map(|(numerators, b_d)| (BigInt::from(numerators[0]), BigInt::from(b_d)));
    let bound = (view.as_ref()).map(|(b_n, b_d)| (b_n * &denominator).div_floor(b_d));
    let shrink = view.map(|(b_n, b_d)| BigShrink {
        scaled_beta: b_n * &denominator,
        product_denominator: &denominator * &b_d,
        beta_denominator: b_d,
    });
    let zero_image = thresholding.apply(&S::zero(), beta);
    let entries = (sums.iter())
        .map(|s| {
            if s.is_zero() {
                return zero_image.clone();
            }
            let below = bound.as_ref().is_some_and(|limit| match thresholding {
                Thresholding::Nonnegative => s <= limit,
                Thresholding::Soft | Thresholding::Hard => {
                    limit.sign() != Sign::Minus && s.magnitude() <= limit.magnitude()
                }
            });
            match &shrink {
                _ if below => S::zero(),
                Some(shrink) => shrink.above(thresholding, s, &denominator),
                None => thresholding.apply(&S::from_big_fraction(s, &denominator), beta),
            }
        })
        .collect();
    LayerVector::from_entries(z.length(), layer.filter_count(), entries)
}

/// A threshold `β = b_n / b_d` against sums over `D`, for the entries above it.
struct BigShrink {
    /// `b_n D`.
    scaled_beta: BigInt,
    /// `D b_d`.
    product_denominator: BigInt,
    /// `b_d`.
    beta_denominator: BigInt,
}

impl BigShrink {
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
        let scaled = s * &self.beta_denominator;
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

/// [`analysis`] on integer views (`None` without them).
fn integer_analysis<S: IntegerView>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
) -> Option<LayerVector<S>> {
    let (sums, denominator) = integer_correlations(layer, z)?;
    let entries = sums.into_iter().map(|s| fraction(s, denominator)).collect();
    LayerVector::from_entries(z.length(), layer.filter_count(), entries)
}

/// [`thresholded_analysis`] on integer views (`None` without them). When `β` has no
/// integer view, or a product below overflows, the entry is formed and thresholded exactly.
fn integer_thresholded_analysis<S: IntegerView>(
    layer: &Layer<S>,
    z: &LayerVector<S>,
    thresholding: Thresholding,
    beta: &S,
) -> Option<LayerVector<S>> {
    let (sums, denominator) = integer_correlations(layer, z)?;
    // `β = b_n / b_d`: for an integer `s`, `|s| b_d ≤ b_n D` (or `s b_d ≤ b_n D`) exactly when
    // `|s| ≤ ⌊b_n D / b_d⌋` (`b_d ≥ 1`), so each sum is compared with that one bound.
    let view = S::over_common_denominator(std::slice::from_ref(beta))
        .map(|(numerators, beta_denominator)| (numerators[0], beta_denominator));
    let limit = view.and_then(|(b_n, b_d)| Some(b_n.checked_mul(denominator)?.div_euclid(b_d)));
    // Where the comparison is made, an entry above the threshold is one fraction over `D b_d`.
    let shrink = limit.and(view).and_then(|(b_n, b_d)| {
        Some((
            b_n.checked_mul(denominator)?,
            denominator.checked_mul(b_d)?,
            b_d,
        ))
    });
    let entries = sums
        .into_iter()
        .map(|s| {
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
        })
        .collect();
    LayerVector::from_entries(z.length(), layer.filter_count(), entries)
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
    integer_analysis(layer, z)
        .or_else(|| big_analysis(layer, z))
        .unwrap_or_else(|| skipping_analysis(layer, z))
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
        .or_else(|| big_thresholded_analysis(layer, z, thresholding, beta))
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
