//! A vector of [`SmallRational`] as integers over one common denominator.
//!
//! `values[k] = numerators[k] / D` with `D` the least common multiple of the denominators, in
//! `i128`. Linear maps of such vectors (`crate::operators`) then run on integers, and each
//! result is one fraction reduced once.

use super::Representation::{Small, Wide};
use super::word_gcd::{divide_i128, gcd_wide};
use super::{SmallRational, gcd_u128};

/// The parts `(n, d)` of a value held in machine words.
fn parts(value: &SmallRational) -> Option<(i128, i128)> {
    match value.0 {
        Small(n, d) => Some((i128::from(n), i128::from(d))),
        Wide(n, d) => Some((n, d)),
        _ => None,
    }
}

/// `(numerators, D)` with `values[k] = numerators[k] / D`, `D ≥ 1` the least common multiple
/// of the denominators; `None` when a value is a big rational, or `D` or a numerator does not
/// fit an `i128`.
pub(crate) fn over_common_denominator(values: &[SmallRational]) -> Option<(Vec<i128>, i128)> {
    let mut denominator: i128 = 1;
    let mut last = 1;
    for value in values {
        // Zeros (most entries of a thresholded estimate) are passed over at once.
        if let Small(0, _) = value.0 {
            continue;
        }
        let (n, d) = parts(value)?;
        if n != 0 && d != last {
            last = d;
            if remainder(denominator, d) != 0 {
                let g = gcd_u128(denominator as u128, d as u128) as i128;
                denominator = denominator.checked_mul(quotient(d, g))?;
            }
        }
    }
    // The factor `D / d` is recomputed only when the denominator changes; zeros stay as the
    // zeroed buffer has them.
    let (mut last, mut factor) = (1, denominator);
    let mut numerators = vec![0i128; values.len()];
    for (numerator, value) in numerators.iter_mut().zip(values) {
        if let Small(0, _) = value.0 {
            continue;
        }
        let (n, d) = parts(value)?;
        if n == 0 {
            continue;
        }
        if d != last {
            (last, factor) = (d, quotient(denominator, d));
        }
        *numerator = n.checked_mul(factor)?;
    }
    Some((numerators, denominator))
}

/// `a mod b` for `a, b ≥ 1`: by a mask when `b` is a power of two (the dyadic denominators of
/// noise and thresholds), on 64-bit words when both fit (an `i128` division is a library
/// call).
fn remainder(a: i128, b: i128) -> i128 {
    if b & (b - 1) == 0 {
        return a & (b - 1);
    }
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => i128::from(a % b),
        _ => a % b,
    }
}

/// `a / b` for `a, b ≥ 1` with `b` dividing `a`, as [`remainder`] forms it.
fn quotient(a: i128, b: i128) -> i128 {
    if b & (b - 1) == 0 {
        return a >> b.trailing_zeros();
    }
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => i128::from(a / b),
        _ => a / b,
    }
}

impl SmallRational {
    /// `n / d` for `d ≥ 1`, reduced: the same value and form as [`SmallRational::from_unreduced`],
    /// with the gcd split by the shape of the denominators of sums over a common denominator
    /// (a power of two times a small odd number). With `s = min(ν₂(n), ν₂(d))`, `n' = n / 2^s`
    /// and `d' = d / 2^s`, one of `n'`, `d'` is odd, so `gcd(n', d') = gcd(n', o)` for `o` the odd
    /// part of `d`: no gcd when `o = 1`, else one remainder `|n'| mod o` and a gcd of numbers
    /// below `o`.
    pub(crate) fn from_fraction_by_odd_part(n: i128, d: i128) -> SmallRational {
        if n == 0 {
            return Self::ZERO;
        }
        let twos = d.trailing_zeros();
        let shift = n.trailing_zeros().min(twos);
        let (n, d) = (n >> shift, d >> shift);
        let odd = (d >> (twos - shift)) as u128;
        let g = if odd == 1 {
            1
        } else if let Ok(odd) = u64::try_from(odd) {
            i128::from(gcd_wide(n, odd))
        } else {
            match n.unsigned_abs() % odd {
                0 => odd as i128,
                remainder => gcd_u128(odd, remainder) as i128,
            }
        };
        Self::from_reduced(divide_i128(n, g), divide_i128(d, g))
    }

    /// `(nonzero, D)`: `values[k] = n / D` for every `(k, n)` of `nonzero`, in order, and every
    /// other value zero; `D ≥ 1` the least common multiple of the nonzero values'
    /// denominators. `None` when a value is a big rational, or `D` or a numerator does not fit
    /// an `i128`. One pass over `values`; the zeros (most of a thresholded estimate) are
    /// neither scaled nor stored.
    pub(crate) fn nonzero_over_common_denominator(
        values: &[SmallRational],
    ) -> Option<(Vec<(usize, i128)>, i128)> {
        let mut nonzero = Vec::with_capacity(values.len());
        let mut denominators = Vec::with_capacity(values.len());
        let (mut denominator, mut last): (i128, i128) = (1, 1);
        for (k, value) in values.iter().enumerate() {
            if let Small(0, _) = value.0 {
                continue;
            }
            let (n, d) = parts(value)?;
            if n == 0 {
                continue;
            }
            if d != last {
                last = d;
                if remainder(denominator, d) != 0 {
                    let g = gcd_u128(denominator as u128, d as u128) as i128;
                    denominator = denominator.checked_mul(quotient(d, g))?;
                }
            }
            nonzero.push((k, n));
            denominators.push(d);
        }
        let (mut last, mut factor) = (1, denominator);
        for ((_, numerator), &d) in nonzero.iter_mut().zip(&denominators) {
            if d != last {
                (last, factor) = (d, quotient(denominator, d));
            }
            // One widening multiplication when both fit a machine word.
            *numerator = match (i64::try_from(*numerator), i64::try_from(factor)) {
                (Ok(a), Ok(b)) => i128::from(a) * i128::from(b),
                _ => numerator.checked_mul(factor)?,
            };
        }
        Some((nonzero, denominator))
    }
}

#[cfg(test)]
mod tests {
    use num_integer::Integer;

    use super::*;
    use crate::integer_view::IntegerView;
    use crate::test_stream::xorshift;
    use num_traits::Zero;

    /// A value drawn for a signal: zero (half the time), a dyadic fraction (noise), a small odd
    /// denominator, their product, or a denominator of 40 bits (two such rarely fit `i128`
    /// together).
    fn drawn(next: &mut impl FnMut() -> u64) -> SmallRational {
        let numerator = (next() % 2001) as i64 - 1000;
        let odd = [1, 3, 5, 13, 25, 169][(next() % 6) as usize];
        let power = 1i64 << (next() % 40);
        match next() % 8 {
            0..4 => SmallRational::zero(),
            4 => SmallRational::new(numerator, power),
            5 => SmallRational::new(numerator, odd),
            6 => SmallRational::new(numerator, odd * power),
            _ => SmallRational::new(numerator, (1i64 << 40) - 2 * (next() % 64) as i64 - 1),
        }
    }

    /// The sparse view lists exactly the nonzero values, each `n / D`, with `D` the least
    /// common multiple of their denominators (formed here by plain `i128` arithmetic), and is
    /// `None` exactly when that multiple or a numerator outgrows `i128`. Counted: views with
    /// both dyadic and odd denominators, and vectors without a view.
    #[test]
    fn the_sparse_view_lists_the_nonzero_values_over_their_least_common_multiple() {
        let mut next = xorshift(0x5eed_2026);
        let (mut mixed, mut without) = (0, 0);
        for _ in 0..3000 {
            let length = (next() % 24) as usize;
            let values: Vec<SmallRational> = (0..length).map(|_| drawn(&mut next)).collect();
            let mut lcm: Option<i128> = Some(1);
            for v in values.iter().filter(|v| !v.is_zero()) {
                let (_, d) = parts(v).unwrap();
                lcm = lcm.and_then(|l| (l / l.gcd(&d)).checked_mul(d));
            }
            let scaled_fit = lcm.is_some_and(|l| {
                (values.iter().filter(|v| !v.is_zero())).all(|v| {
                    parts(v)
                        .unwrap()
                        .0
                        .checked_mul(l / parts(v).unwrap().1)
                        .is_some()
                })
            });
            let view = SmallRational::nonzero_over_common_denominator(&values);
            let Some((nonzero, denominator)) = view else {
                assert!(!scaled_fit, "{values:?} has a view");
                without += 1;
                continue;
            };
            assert_eq!(Some(denominator), lcm, "{values:?}");
            let positions: Vec<usize> = nonzero.iter().map(|(k, _)| *k).collect();
            let expected: Vec<usize> = (0..length).filter(|&k| !values[k].is_zero()).collect();
            assert_eq!(positions, expected);
            for (k, n) in nonzero {
                assert_eq!(
                    SmallRational::from_integer_fraction(n, denominator),
                    values[k]
                );
            }
            mixed += usize::from(denominator.trailing_zeros() > 0 && denominator.count_ones() > 1);
        }
        eprintln!("{mixed} views over mixed denominators, {without} vectors without a view");
        assert!(
            mixed >= 1000 && without >= 300,
            "{mixed} mixed, {without} without"
        );
    }

    /// An odd factor of a layer's sums: one, a product of filter denominators, or up to 64 bits.
    fn odd_factor(next: &mut impl FnMut() -> u64) -> i128 {
        match next() % 4 {
            0 => 1,
            1 => [3, 5, 13, 25, 169, 403, 162_409][(next() % 7) as usize],
            _ => i128::from(next() >> (next() % 64)) | 1,
        }
    }

    /// `x 2^k` for a random `k` that keeps it below `2^125`.
    fn with_twos(next: &mut impl FnMut() -> u64, x: i128) -> i128 {
        let room = 125 - (128 - x.unsigned_abs().leading_zeros());
        x << (next() % u64::from(room + 1))
    }

    /// The reduction of a sum over its denominator by the denominator's odd part is the
    /// reduction by a full gcd: the same value in the same form, for numerators and
    /// denominators of every size up to `i128`: `n = ± c a 2^i`, `d = c b 2^j` with a common
    /// odd factor `c` (counted: both beyond 64 bits, and a common odd factor beyond one).
    #[test]
    fn fractions_reduced_by_the_odd_part_equal_fractions_reduced_by_a_gcd() {
        let mut next = xorshift(0x0dd_2026);
        let (mut wide, mut shared) = (0, 0);
        for _ in 0..200_000 {
            let common = odd_factor(&mut next);
            let (a, b) = (odd_factor(&mut next), odd_factor(&mut next));
            let (n, d) = match (common.checked_mul(a), common.checked_mul(b)) {
                (Some(n), Some(d)) if n < 1 << 100 && d < 1 << 100 => (n, d),
                _ => (a, b),
            };
            let (n, d) = (with_twos(&mut next, n), with_twos(&mut next, d));
            let n = match next() % 8 {
                0 => 0,
                1..4 => -n,
                _ => n,
            };
            let expected = SmallRational::from_unreduced(n, d);
            let reduced = SmallRational::from_fraction_by_odd_part(n, d);
            assert_eq!(reduced, expected, "{n} / {d}");
            assert_eq!(
                (reduced.is_small(), reduced.is_big()),
                (expected.is_small(), expected.is_big()),
                "{n} / {d}"
            );
            wide += usize::from(n.unsigned_abs() >> 64 != 0 && d >> 64 != 0);
            let odd = |x: i128| x.unsigned_abs() >> x.trailing_zeros();
            shared += usize::from(n != 0 && gcd_u128(odd(n), odd(d)) > 1);
        }
        assert!(
            wide >= 10_000 && shared >= 10_000,
            "{wide} wide, {shared} shared"
        );
    }

    #[test]
    fn numerators_over_the_common_denominator_give_back_the_values() {
        let values: Vec<SmallRational> = [(1, 2), (-3, 4), (0, 1), (5, 6), (7, 1)]
            .iter()
            .map(|&(n, d)| SmallRational::new(n, d))
            .collect();
        let (numerators, denominator) = over_common_denominator(&values).unwrap();
        assert_eq!(denominator, 12);
        for (value, n) in values.iter().zip(&numerators) {
            assert_eq!(*value, SmallRational::from_integer_fraction(*n, 12));
        }
        // Denominators past `i64` but within `i128`, and past `i128`.
        let wide = [
            SmallRational::new(1, (1 << 40) + 1),
            SmallRational::new(1, (1 << 41) - 1),
        ];
        let (numerators, denominator) = over_common_denominator(&wide).unwrap();
        assert_eq!(denominator, ((1 << 40) + 1) * ((1 << 41) - 1));
        assert_eq!(
            wide[1],
            SmallRational::from_integer_fraction(numerators[1], denominator)
        );
        let primes = [(1i64 << 61) - 1, 1_000_000_007, 998_244_353, 1_000_000_009];
        let coprime: Vec<SmallRational> =
            primes.iter().map(|&p| SmallRational::new(1, p)).collect();
        assert!(over_common_denominator(&coprime).is_none());
        assert_eq!(over_common_denominator(&[]), Some((Vec::new(), 1)));
    }
}
