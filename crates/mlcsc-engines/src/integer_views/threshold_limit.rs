//! The bound `⌊b_n D / b_d⌋` of the word sums a threshold `β = b_n / b_d` sends to zero, when
//! the product `b_n D` outgrows an `i128` but `b_d` is a power of two (the thresholds of
//! generated instances): the product in 256 bits, shifted.
//!
//! The word sums `s` are below `2^126` in magnitude ([`crate::correlation_sums::word_sums_fit`]),
//! so a bound beyond `±2^126` answers `|s| ≤ bound` and `s ≤ bound` like any other beyond it:
//! such bounds are clamped to `i128::MAX` or `i128::MIN`.

/// `a b` as `(high, low)` 128-bit halves.
fn product(a: u128, b: u128) -> (u128, u128) {
    let (a1, a0, b1, b0) = (
        a >> 64,
        a & u128::from(u64::MAX),
        b >> 64,
        b & u128::from(u64::MAX),
    );
    let (low, middle_low, middle_high, high) = (a0 * b0, a1 * b0, a0 * b1, a1 * b1);
    let (middle, carry) = middle_low.overflowing_add(middle_high);
    let (low, carry_low) = low.overflowing_add(middle << 64);
    let high = high + (middle >> 64) + (u128::from(carry) << 64) + u128::from(carry_low);
    (high, low)
}

/// `⌊b_n D / 2^k⌋` for `D ≥ 1`, clamped to the `i128` range (module documentation).
fn shifted(b_n: i128, denominator: i128, k: u32) -> i128 {
    let (mut high, mut low) = product(b_n.unsigned_abs(), denominator.unsigned_abs());
    if b_n < 0 {
        // `⌊−P / 2^k⌋ = −⌈P / 2^k⌉`: round the magnitude up.
        let (sum, carry) = low.overflowing_add((1u128 << k) - 1);
        (low, high) = (sum, high + u128::from(carry));
    }
    let quotient_high = high >> k;
    let quotient_low = if k == 0 {
        low
    } else {
        (low >> k) | (high << (128 - k))
    };
    let magnitude = match (quotient_high, i128::try_from(quotient_low)) {
        (0, Ok(magnitude)) => magnitude,
        _ => return if b_n < 0 { i128::MIN } else { i128::MAX },
    };
    if b_n < 0 { -magnitude } else { magnitude }
}

/// `⌊b_n D / b_d⌋` (`D, b_d ≥ 1`), or a bound beyond `±2^126` on the same side: in `i128`
/// when the product fits, else in 256 bits when `b_d` is a power of two; `None` otherwise.
pub(super) fn threshold_limit(b_n: i128, denominator: i128, b_d: i128) -> Option<i128> {
    match b_n.checked_mul(denominator) {
        Some(scaled) => Some(scaled.div_euclid(b_d)),
        None if b_d & (b_d - 1) == 0 => Some(shifted(b_n, denominator, b_d.trailing_zeros())),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use num_bigint::BigInt;
    use num_integer::Integer;

    use super::*;
    use crate::test_stream::xorshift;

    /// The bound formed in 256 bits is `⌊b_n D / b_d⌋` formed in big integers, or beyond
    /// `±2^126` on the same side when that is, for numerators, denominators and powers of two
    /// of every size (counted: products beyond `i128` with exact and with clamped bounds).
    #[test]
    fn bounds_in_256_bits_equal_bounds_in_big_integers() {
        let mut next = xorshift(0x11_2026);
        let mut value = |bits: u64| -> i128 {
            let x = (u128::from(next()) << 64 | u128::from(next())) >> (128 - bits.max(1));
            x as i128
        };
        let (mut exact, mut clamped) = (0, 0);
        for round in 0..100_000u64 {
            let b_n = value(1 + round % 127) * if round % 3 == 0 { -1 } else { 1 };
            let denominator = value(1 + round / 127 % 127).max(1);
            let b_d = 1i128 << (round / 7 % 127);
            let Some(limit) = threshold_limit(b_n, denominator, b_d) else {
                panic!("a power of two");
            };
            let expected = (BigInt::from(b_n) * denominator).div_floor(&BigInt::from(b_d));
            let bound = BigInt::from(1) << 126;
            if expected > -&bound && expected < bound {
                assert_eq!(BigInt::from(limit), expected, "{b_n} {denominator} {b_d}");
            } else {
                assert_eq!(
                    limit.signum(),
                    if expected.sign() == num_bigint::Sign::Minus {
                        -1
                    } else {
                        1
                    }
                );
                assert!(
                    limit.unsigned_abs() >= 1 << 126,
                    "{b_n} {denominator} {b_d}"
                );
            }
            if b_n.checked_mul(denominator).is_none() {
                let fits = expected > -&bound && expected < bound;
                exact += usize::from(fits);
                clamped += usize::from(!fits);
            }
        }
        assert!(
            exact >= 1000 && clamped >= 1000,
            "{exact} exact, {clamped} clamped"
        );
        assert_eq!(threshold_limit(i128::MAX, 3, 3), None);
    }
}
