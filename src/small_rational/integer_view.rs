//! A vector of [`SmallRational`] as machine-word integers over one common denominator.
//!
//! `values[k] = numerators[k] / D` with `D` the least common multiple of the denominators.
//! Linear maps of such vectors (`crate::operators`) then run on integers, and each result is
//! one fraction reduced once.

use super::Representation::Small;
use super::{SmallRational, gcd_u64};

/// `(numerators, D)` with `values[k] = numerators[k] / D`, `D ≥ 1` the least common multiple
/// of the denominators; `None` when a value is not an `i64` fraction or `D` or a numerator
/// does not fit an `i64`.
pub(super) fn over_common_denominator(values: &[SmallRational]) -> Option<(Vec<i64>, i64)> {
    let mut denominator: i64 = 1;
    let mut last = 1;
    for value in values {
        let Small(n, d) = value.0 else {
            return None;
        };
        if n != 0 && d != last {
            last = d;
            if denominator % d != 0 {
                let g = gcd_u64(denominator as u64, d as u64) as i64;
                denominator = denominator.checked_mul(d / g)?;
            }
        }
    }
    // The factor `D / d` is recomputed only when the denominator changes.
    let (mut last, mut factor) = (1, denominator);
    let mut numerators = Vec::with_capacity(values.len());
    for value in values {
        let Small(n, d) = value.0 else {
            return None;
        };
        if n == 0 {
            numerators.push(0);
            continue;
        }
        if d != last {
            (last, factor) = (d, denominator / d);
        }
        numerators.push(n.checked_mul(factor)?);
    }
    Some((numerators, denominator))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Scalar;

    #[test]
    fn numerators_over_the_common_denominator_give_back_the_values() {
        let values: Vec<SmallRational> = [(1, 2), (-3, 4), (0, 1), (5, 6), (7, 1)]
            .iter()
            .map(|&(n, d)| SmallRational::new(n, d))
            .collect();
        let (numerators, denominator) = over_common_denominator(&values).unwrap();
        assert_eq!(denominator, 12);
        for (value, n) in values.iter().zip(&numerators) {
            assert_eq!(
                *value,
                SmallRational::from_integer_fraction(i128::from(*n), 12)
            );
        }
        // Denominators whose least common multiple overflows `i64`.
        let wide = [
            SmallRational::new(1, (1 << 40) + 1),
            SmallRational::new(1, (1 << 41) - 1),
        ];
        assert!(over_common_denominator(&wide).is_none());
        assert_eq!(over_common_denominator(&[]), Some((Vec::new(), 1)));
    }
}
