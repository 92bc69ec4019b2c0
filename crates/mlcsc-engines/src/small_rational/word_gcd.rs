//! Greatest common divisors on machine words, the reductions of [`super::SmallRational`]'s
//! small forms.

/// The greatest common divisor of two machine words: `2^min(ν₂(a), ν₂(b))` when one is a power
/// of two (the denominators of generated values), one division first when one word is much
/// longer than the other, then the binary algorithm.
pub fn gcd_u64(a: u64, b: u64) -> u64 {
    let (mut large, small) = if a >= b { (a, b) } else { (b, a) };
    if small == 0 {
        return large;
    }
    if small & (small - 1) == 0 {
        return 1 << large.trailing_zeros().min(small.trailing_zeros());
    }
    // The binary algorithm takes a step per bit of the longer word: a division first brings it
    // to the length of the shorter one.
    if large.leading_zeros() + 8 < small.leading_zeros() {
        large %= small;
        if large == 0 {
            return small;
        }
    }
    binary_gcd(large, small)
}

/// Stein's binary gcd of two nonzero words: both made odd, then the larger replaced by the
/// difference (even, nonzero) with its factors of two removed, until the two are equal.
fn binary_gcd(mut u: u64, mut v: u64) -> u64 {
    let shift = (u | v).trailing_zeros();
    u >>= u.trailing_zeros();
    v >>= v.trailing_zeros();
    while u != v {
        let difference = u.abs_diff(v);
        u = u.min(v);
        v = difference >> difference.trailing_zeros();
    }
    u << shift
}

/// `gcd(n, d)` for an `i128` value and a positive machine-word divisor.
pub(super) fn gcd_wide(n: i128, d: u64) -> u64 {
    let n = n.unsigned_abs();
    let remainder = match u64::try_from(n) {
        Ok(n) => n % d,
        Err(_) => (n % u128::from(d)) as u64,
    };
    gcd_u64(d, remainder)
}

/// `n / g` for `g ≥ 1`, on one machine word when `n` fits it (an `i128` division is a call).
pub(super) fn divide_wide(n: i128, g: i64) -> i128 {
    divide_i128(n, i128::from(g))
}

/// `x / g` (truncated) for `g ≥ 1`: no division when `g` is one (the common gcd of reductions),
/// and a machine-word division when both fit one (an `i128` division is a call).
pub(super) fn divide_i128(x: i128, g: i128) -> i128 {
    if g == 1 {
        return x;
    }
    match (i64::try_from(x), i64::try_from(g)) {
        (Ok(x), Ok(g)) => i128::from(x / g),
        _ => x / g,
    }
}

/// `x / g` (truncated) for `g ≥ 1`, with no division when `g` is one.
pub(super) fn divide_i64(x: i64, g: i64) -> i64 {
    if g == 1 { x } else { x / g }
}

/// The greatest common divisor of two `u128`: on machine words when both fit one, else by
/// Lehmer's algorithm down to one machine word (`lehmer::gcd_u128`).
pub fn gcd_u128(a: u128, b: u128) -> u128 {
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => u128::from(gcd_u64(a, b)),
        _ => super::lehmer::gcd_u128(a, b),
    }
}

pub(super) fn is_power_of_two(d: i64) -> bool {
    d & (d - 1) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotients_without_division_equal_the_division() {
        let mut stream = crate::test_stream::xorshift(0x5851_f42d_4c95_7f2d);
        let (mut by_one, mut on_words, mut wide) = (0u32, 0u32, 0u32);
        for _ in 0..100_000 {
            let x = (i128::from(stream()) << 64 | i128::from(stream())) >> (stream() % 127);
            let g = ((u128::from(stream()) << 64 | u128::from(stream())) >> (1 + stream() % 127))
                as i128;
            for (x, g) in [
                (x, g.max(1)),
                (x, 1),
                (x / 5 * (g % 5 + 1), g.max(1)),
                (x.wrapping_neg(), 2),
            ] {
                assert_eq!(divide_i128(x, g), x / g, "{x} / {g}");
                if g == 1 {
                    by_one += 1;
                } else if i64::try_from(x).is_ok() && i64::try_from(g).is_ok() {
                    on_words += 1;
                } else {
                    wide += 1;
                }
                if let (Ok(x), Ok(g)) = (i64::try_from(x), i64::try_from(g)) {
                    assert_eq!(divide_i64(x, g), x / g, "{x} / {g}");
                    assert_eq!(divide_wide(i128::from(x), g), i128::from(x / g));
                }
            }
        }
        for (x, g) in [
            (i128::MIN, 1),
            (i128::MIN, 2),
            (i128::MAX, 3),
            (i128::from(i64::MIN), 1),
        ] {
            assert_eq!(divide_i128(x, g), x / g);
        }
        assert_eq!(divide_i64(i64::MIN, 1), i64::MIN);
        assert!(by_one > 100_000 && on_words > 20_000 && wide > 100_000);
    }
}
