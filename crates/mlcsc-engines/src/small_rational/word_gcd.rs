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

/// Stein's binary gcd of two nonzero words, with the smaller of each pair found by a
/// comparison the compiler turns into conditional moves.
fn binary_gcd(mut u: u64, mut v: u64) -> u64 {
    let shift = (u | v).trailing_zeros();
    u >>= u.trailing_zeros();
    loop {
        v >>= v.trailing_zeros();
        if u > v {
            std::mem::swap(&mut u, &mut v);
        }
        v -= u;
        if v == 0 {
            return u << shift;
        }
    }
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
    match i64::try_from(n) {
        Ok(n) => i128::from(n / g),
        Err(_) => n / i128::from(g),
    }
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
