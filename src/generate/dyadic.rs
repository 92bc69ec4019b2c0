//! Exact rationals over a power of two, reduced by the common powers of two alone: the numbers
//! the generators place (magnitudes, noise budgets, thresholds) without a gcd or a division.

use num_bigint::BigInt;
use num_traits::Zero;

use crate::scalar::{Rational, ratio};

/// `numerator / denominator` reduced, as [`ratio`] forms it (numerator and denominator
/// coprime, denominator positive): for a power-of-two denominator by shifting out the common
/// factors of two, otherwise by [`ratio`].
pub(crate) fn dyadic_ratio(numerator: i64, denominator: i64) -> Rational {
    if denominator <= 0 || denominator & (denominator - 1) != 0 {
        return ratio(numerator, denominator);
    }
    if numerator == 0 {
        return Rational::zero();
    }
    let shift = numerator.trailing_zeros().min(denominator.trailing_zeros());
    Rational::new_raw(
        BigInt::from(numerator >> shift),
        BigInt::from(denominator >> shift),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::seed::case_rng;
    use rand::RngExt;

    /// Over numerators of every length and sign (zero, odd, with many factors of two, the
    /// extremes) and denominators `2^0 … 2^62` (and a few others), the shifted fraction is
    /// [`ratio`]'s, numerator and denominator alike (not only the same value); counts the
    /// fractions that reduce to a denominator below the given one.
    #[test]
    fn dyadic_ratios_are_the_reduced_ratios() {
        let mut rng = case_rng(17, 0);
        let mut reduced = 0;
        for case in 0..20_000 {
            let numerator = match case % 5 {
                0 => 0,
                1 => rng.random_range(-64..=64i64),
                2 => rng.random_range(i64::MIN..=i64::MAX),
                3 => rng.random_range(-1000..=1000i64) << rng.random_range(0..50u32),
                _ => [i64::MIN, i64::MAX, i64::MIN + 1, 1 << 62][case / 5 % 4],
            };
            let denominator = if case % 97 == 0 {
                rng.random_range(1..=1000i64) * 3
            } else {
                1i64 << rng.random_range(0..=62u32)
            };
            let fast = dyadic_ratio(numerator, denominator);
            let plain = ratio(numerator, denominator);
            assert_eq!(
                (fast.numer(), fast.denom()),
                (plain.numer(), plain.denom()),
                "{numerator} / {denominator}"
            );
            reduced += usize::from(*plain.denom() != BigInt::from(denominator));
        }
        eprintln!("{reduced} of 20000 fractions reduced");
        assert!(reduced >= 5000);
    }
}
