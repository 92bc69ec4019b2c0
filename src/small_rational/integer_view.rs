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
    for value in values {
        let Small(n, d) = value.0 else {
            return None;
        };
        if n != 0 && denominator % d != 0 {
            let g = gcd_u64(denominator as u64, d as u64) as i64;
            denominator = denominator.checked_mul(d / g)?;
        }
    }
    let numerators = values
        .iter()
        .map(|value| match value.0 {
            Small(n, d) => n.checked_mul(denominator / d),
            _ => None,
        })
        .collect::<Option<Vec<i64>>>()?;
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
