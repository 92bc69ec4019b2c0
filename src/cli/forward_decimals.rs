//! `forward`'s decimals a row at a time: the six significant digits of every number of a
//! position's row found first, in a loop without branches that is compiled for the widest
//! vector instructions found at run time, then written by [`super::forward_number`]'s
//! positional layout.

use super::forward_number::{decimal_estimate, positional, rounded_six, write_number};

/// A number's six correctly rounded significant digits and decimal exponent as
/// [`super::forward_number::six_digits`] gives them, or `digits` 0 where it would give `None` or the power of ten is
/// a quotient (`|x|` from about `10^5` up, or below `10^-17`): such a number is written by
/// [`write_number`] alone.
#[derive(Clone, Copy, Default)]
pub(super) struct Decimal {
    pub(super) digits: u32,
    pub(super) exponent: i32,
}

/// [`Decimal`]s of a row of numbers (`out` as long as `values`), in a loop compiled for the
/// widest vector instructions found at run time: [`super::forward_number::six_digits`] without its branches, lane by
/// lane the same arithmetic on the same `f64`s.
pub(super) fn six_digits_of_row(values: &[f64], out: &mut [Decimal]) {
    pulp::Arch::new().dispatch(Row { values, out });
}

/// The arguments of [`six_digits_of_row`] (a struct, so that the loop is inlined into the
/// dispatch).
struct Row<'a> {
    values: &'a [f64],
    out: &'a mut [Decimal],
}

impl pulp::WithSimd for Row<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) {
        for (x, decimal) in self.values.iter().zip(self.out.iter_mut()) {
            *decimal = six_digits_without_branches(*x);
        }
    }
}

/// One lane of [`six_digits_of_row`].
#[inline(always)]
fn six_digits_without_branches(x: f64) -> Decimal {
    let bits = x.to_bits();
    let magnitude = f64::from_bits(bits & !(1 << 63));
    let biased = (bits >> 52) & 0x7ff;
    let estimate = decimal_estimate(bits);
    // Both powers `10^shift` and `10^(shift − 1)` are products when `shift` is in `1..=22`.
    let shift = 5 - estimate;
    let index = shift.clamp(1, 22);
    let power = power_of_ten(index - 1);
    let (digits, exponent) = rounded_six(magnitude * (power * 10.0), magnitude * power, estimate);
    let fast = biased != 0 && biased != 0x7ff && shift == index;
    Decimal {
        digits: if fast { digits } else { 0 },
        exponent,
    }
}

/// `10^k` for `k` in `0..=21`, from the binary digits of `k` (`10^1`, `10^2`, `10^4`, `10^8`,
/// `10^16`) without a table, so that a row of them is computed in vector registers. Every
/// partial product is a power of ten up to `10^21`, exact in `f64`, so `10^k` is exact, the
/// same `f64` as [`super::forward_number::POWERS_OF_TEN`]`[k]`.
#[inline(always)]
fn power_of_ten(k: i32) -> f64 {
    let factor = |bit: i32, power: f64| if k & bit != 0 { power } else { 1.0 };
    factor(1, 1e1) * factor(2, 1e2) * factor(4, 1e4) * factor(8, 1e8) * factor(16, 1e16)
}

/// `x` as [`write_number`] writes it, from its [`Decimal`] when that has digits and a
/// positional exponent (`-4..6`).
pub(super) fn write_decimal(x: f64, decimal: Decimal, out: &mut [u8; 32]) -> usize {
    if decimal.digits == 0 || !(-4..6).contains(&decimal.exponent) {
        return write_number(x, out);
    }
    out[0] = b'-';
    positional(decimal.digits, decimal.exponent, usize::from(x < 0.0), out)
}

#[cfg(test)]
mod tests {
    use super::super::forward_number::{POWERS_OF_TEN, six_digits};
    use super::*;
    use crate::cli::readable::number;

    /// The row's branch-free digits are [`super::forward_number::six_digits`]'s wherever they are given, and the
    /// text is the same either way.
    #[test]
    fn a_row_gives_the_digits_one_number_gives() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut values = Vec::new();
        for k in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let exponent = (state % 50) as i32 - 25;
            let moderate = (state >> 12) as f64 / (1u64 << 52) as f64 * 10f64.powi(exponent);
            values.push(if k % 3 == 0 {
                f64::from_bits(state)
            } else {
                moderate
            });
        }
        for k in [100000u64, 123456, 999999] {
            for e in -20..25 {
                let x = (k as f64 + 0.5) * 10f64.powi(e - 5);
                values.extend([x, -x, x.next_up(), x.next_down(), 0.0, -0.0]);
            }
        }
        let mut decimals = vec![Decimal::default(); values.len()];
        six_digits_of_row(&values, &mut decimals);
        let mut given = 0;
        for (x, decimal) in values.iter().zip(&decimals) {
            if decimal.digits != 0 {
                let one = if x.is_normal() {
                    six_digits(x.abs())
                } else {
                    None
                };
                assert_eq!(one, Some((decimal.digits, decimal.exponent)), "{x:e}");
                given += 1;
            }
            let mut out = [0u8; 32];
            let length = write_decimal(*x, *decimal, &mut out);
            if x.is_finite() {
                assert_eq!(std::str::from_utf8(&out[..length]), Ok(number(*x).as_str()));
            }
        }
        // About 29% of the draw (two thirds moderate, 22 of their 50 decades in the fast range).
        assert!(
            given > 50_000,
            "{given} of {} numbers took the row's digits",
            values.len()
        );
    }

    #[test]
    fn the_powers_from_binary_digits_are_the_table_s() {
        for k in 0..22 {
            assert_eq!(power_of_ten(k), POWERS_OF_TEN[k as usize], "10^{k}");
        }
    }
}
