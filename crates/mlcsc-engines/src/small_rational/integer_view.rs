//! A vector of [`SmallRational`] as integers over one common denominator.
//!
//! `values[k] = numerators[k] / D` with `D` the least common multiple of the denominators, in
//! `i128`. Linear maps of such vectors (`crate::operators`) then run on integers, and each
//! result is one fraction reduced once.

use super::Representation::{Small, Wide};
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
            if denominator % d != 0 {
                let g = gcd_u128(denominator as u128, d as u128) as i128;
                denominator = denominator.checked_mul(d / g)?;
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
            (last, factor) = (d, denominator / d);
        }
        *numerator = n.checked_mul(factor)?;
    }
    Some((numerators, denominator))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integer_view::IntegerView;

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
