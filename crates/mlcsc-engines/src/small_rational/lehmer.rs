//! Lehmer's gcd on little-endian 64-bit limbs, updated in place.
//!
//! Each round takes the leading 62 bits `x` of `a` and the bits `y` of `b` at the same
//! position, runs Euclid's algorithm on `(x, y)` while its quotients are certainly those of
//! `(a, b)` (the condition of Python's `_PyLong_GCD`, after Jebelean), and applies the
//! resulting 2×2 matrix of cofactors (each below `2^62`) to both numbers in one pass over their
//! limbs: the products of a cofactor and a limb stay below `2^126`, so each new limb and its
//! carry are formed in `i128` with no allocation. A round with no certain quotient is one
//! Euclidean division. Once `b` fits 128 bits the gcd finishes on machine words.

use std::cell::RefCell;

use num_bigint::BigUint;

use super::odd_parts::gcd_by_odd_parts;

/// The width of the leading bits a round works on: cofactors stay below `2^62`.
const WINDOW: u64 = 62;

/// Drops high zero limbs.
pub(super) fn trim(x: &mut Vec<u64>) {
    while x.last() == Some(&0) {
        x.pop();
    }
}

/// The number of significant bits of trimmed limbs.
fn bit_length(x: &[u64]) -> u64 {
    x.last().map_or(0, |top| {
        64 * (x.len() as u64 - 1) + u64::from(u64::BITS - top.leading_zeros())
    })
}

/// The 64 bits of `x` from bit `shift` up: `⌊x / 2^shift⌋ mod 2^64`.
fn bits_from(x: &[u64], shift: u64) -> u64 {
    let (index, offset) = ((shift / 64) as usize, shift % 64);
    let low = x.get(index).copied().unwrap_or(0) >> offset;
    let high = match (offset, x.get(index + 1)) {
        (0, _) | (_, None) => 0,
        (_, Some(&next)) => next << (64 - offset),
    };
    low | high
}

/// The value of at most two limbs.
pub(super) fn to_u128(x: &[u64]) -> u128 {
    (x.iter().rev()).fold(0u128, |value, &limb| (value << 64) | u128::from(limb))
}

/// Limbs as a `BigUint`.
pub(super) fn to_biguint(x: &[u64]) -> BigUint {
    let digits: Vec<u32> = (x.iter())
        .flat_map(|&limb| [limb as u32, (limb >> 32) as u32])
        .collect();
    BigUint::new(digits)
}

/// `a ← a mod b` for trimmed limbs, `b` at least two limbs long: on the stack
/// (`limb_division.rs`), or in big integers for a dividend beyond its length.
fn reduce(a: &mut Vec<u64>, b: &[u64]) {
    if !super::limb_division::remainder(a, b, &mut 0) {
        *a = (to_biguint(a) % to_biguint(b)).to_u64_digits();
    }
}

/// `(a, b) ← (b, a mod b)` for `b` at least two limbs long.
fn euclidean_step(a: &mut Vec<u64>, b: &mut Vec<u64>) {
    reduce(a, b);
    std::mem::swap(a, b);
}

/// `(a, b) ← (p a + q b, r a + s b)`, limb by limb, for cofactors of magnitude below `2^62`
/// whose results are natural numbers (`a ≥ b` limbs long).
fn combine(a: &mut Vec<u64>, b: &mut Vec<u64>, [p, q, r, s]: [i128; 4]) {
    b.resize(a.len(), 0);
    let (mut carry_a, mut carry_b) = (0i128, 0i128);
    for (x, y) in a.iter_mut().zip(b.iter_mut()) {
        let (u, v) = (i128::from(*x), i128::from(*y));
        let next_a = carry_a + p * u + q * v;
        let next_b = carry_b + r * u + s * v;
        *x = next_a as u64;
        *y = next_b as u64;
        carry_a = next_a >> 64;
        carry_b = next_b >> 64;
    }
    debug_assert!(
        carry_a == 0 && carry_b == 0,
        "the results are natural numbers"
    );
    trim(a);
    trim(b);
}

/// The cofactors `[p, q, r, s]` of one round on the leading bits `x ≥ y` (`None` when no
/// quotient is certain): `(p a + q b, r a + s b)` are two consecutive remainders of Euclid's
/// algorithm on `(a, b)`.
///
/// The magnitudes `A, B, C, D` of the cofactors are natural numbers on machine words. Every
/// quotient a round keeps is Euclid's quotient of `(x, y)` (below), so the cofactors are those
/// of Euclid's algorithm on `(x, y)`, each at most `x < 2^62`, and only the product `q y` of a
/// quotient not yet known to be Euclid's needs an overflow check.
fn cofactors(x: i128, y: i128) -> Option<[i128; 4]> {
    let (mut x, mut y) = (x as u64, y as u64);
    debug_assert!(y <= x && x < 1 << WINDOW);
    let (mut big_a, mut big_b, mut big_c, mut big_d) = (1u64, 0u64, 0u64, 1u64);
    let mut steps = 0u32;
    // `y > C`: while `y ≤ C` no quotient is certain (Python's `y − C == 0` test, with `y ≥ C`).
    while y > big_c {
        // x + A − 1 < 2^63 and 0 < y − C: the quotient on one machine word. Since `A ≥ 1` and
        // `C ≥ 0`, `q ≥ ⌊x / y⌋`; a round goes on only when `q y ≤ x`, that is when `q` is
        // Euclid's quotient `⌊x / y⌋` itself.
        let q = (x + (big_a - 1)) / (y - big_c);
        let t = match q.checked_mul(y) {
            Some(product) if product <= x => x - product,
            _ => break,
        };
        // Every quotient so far is Euclid's on `(x₀, y₀)`, so `A, B, C, D` and the next two are
        // cofactors of Euclid's algorithm on `(x₀, y₀)`, each at most `x₀ < 2^62`: no product
        // below overflows.
        let s = big_b + q * big_d;
        if s > t {
            break;
        }
        let next_d = big_a + q * big_c;
        x = y;
        y = t;
        big_a = big_d;
        big_b = big_c;
        big_c = s;
        big_d = next_d;
        steps += 1;
    }
    if steps == 0 {
        return None;
    }
    debug_assert!(
        [big_a, big_b, big_c, big_d]
            .iter()
            .all(|c| *c < 1 << WINDOW)
    );
    let [big_a, big_b, big_c, big_d] = [big_a, big_b, big_c, big_d].map(i128::from);
    // `(A a − B b, D b − C a)` after an even number of steps, `(A b − B a, D a − C b)` after
    // an odd one.
    Some(if steps % 2 == 0 {
        [big_a, -big_b, -big_c, big_d]
    } else {
        [-big_b, big_a, big_d, -big_c]
    })
}

/// `gcd(a, b)` of two `u128` by rounds of Lehmer's algorithm while `b` needs more than 64 bits:
/// the new pair is below `2^128`, so the cofactors are applied in wrapping arithmetic, exactly.
/// The rest is one division and the binary gcd on machine words.
pub(super) fn gcd_u128(a: u128, b: u128) -> u128 {
    let (mut a, mut b) = if a >= b { (a, b) } else { (b, a) };
    while b > u128::from(u64::MAX) {
        let shift = u64::from(u128::BITS - a.leading_zeros()) - WINDOW;
        let (x, y) = ((a >> shift) as i128, (b >> shift) as i128);
        match cofactors(x, y) {
            Some([p, q, r, s]) => {
                let (p, q, r, s) = (p as u128, q as u128, r as u128, s as u128);
                (a, b) = (
                    p.wrapping_mul(a).wrapping_add(q.wrapping_mul(b)),
                    r.wrapping_mul(a).wrapping_add(s.wrapping_mul(b)),
                );
            }
            None => (a, b) = (b, a % b),
        }
    }
    if b == 0 {
        return a;
    }
    let b = b as u64;
    u128::from(super::gcd_u64(b, (a % u128::from(b)) as u64))
}

thread_local! {
    /// The limbs of the two numbers of a gcd, kept between calls so that a gcd allocates
    /// nothing but its result.
    static LIMBS: RefCell<(Vec<u64>, Vec<u64>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// `gcd(a, b)`, on limbs copied into this thread's buffers, by the numbers' odd parts
/// (`odd_parts.rs`).
pub(super) fn gcd_of_naturals(a: &BigUint, b: &BigUint) -> BigUint {
    LIMBS.with(|buffers| match buffers.try_borrow_mut() {
        Ok(mut buffers) => {
            let (x, y) = &mut *buffers;
            x.clear();
            x.extend(a.iter_u64_digits());
            y.clear();
            y.extend(b.iter_u64_digits());
            gcd_by_odd_parts(x, y)
        }
        // Not reentrant, but in case: fresh buffers.
        Err(_) => gcd_by_odd_parts(&mut a.to_u64_digits(), &mut b.to_u64_digits()),
    })
}

/// `gcd(a, b)` for limbs with `a ≥ b` (both overwritten).
pub(super) fn gcd_limbs(a: &mut Vec<u64>, b: &mut Vec<u64>) -> BigUint {
    trim(a);
    trim(b);
    while b.len() > 2 {
        let shift = bit_length(a) - WINDOW;
        let x = i128::from(bits_from(a, shift));
        let y = i128::from(bits_from(b, shift));
        match cofactors(x, y) {
            Some(matrix) => combine(a, b, matrix),
            None => euclidean_step(a, b),
        }
    }
    if b.is_empty() {
        return to_biguint(a);
    }
    let small_b = to_u128(b);
    let remainder = if a.len() <= 2 {
        to_u128(a) % small_b
    } else if let Ok(divisor) = u64::try_from(small_b) {
        let divisor = u128::from(divisor);
        (a.iter().rev()).fold(0u128, |r, &limb| ((r << 64) | u128::from(limb)) % divisor)
    } else {
        reduce(a, b);
        to_u128(a)
    };
    BigUint::from(gcd_u128(small_b, remainder))
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_integer::Integer;
    use num_traits::{One, Zero};

    fn gcd(a: &BigUint, b: &BigUint) -> BigUint {
        let (a, b) = if a >= b { (a, b) } else { (b, a) };
        gcd_of_naturals(a, b)
    }

    #[test]
    fn machine_word_gcd_equals_the_binary_gcd() {
        let (mut f, mut g) = (1u128, 1u128);
        while let Some(next) = f.checked_add(g) {
            (f, g) = (g, next);
            assert_eq!(gcd_u128(g, f), 1);
            assert_eq!(gcd_u128(f, g), 1);
        }
        let mut state = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834u128;
        let mut next = || {
            state = state
                .wrapping_mul(0x2360_ed05_1fc6_5da4_4385_df64_9fcc_f645)
                .wrapping_add(1);
            state >> (state % 128)
        };
        for _ in 0..100_000 {
            let (common, a, b) = (next() >> 64 | 1, next(), next());
            for (a, b) in [
                (a, b),
                (
                    a.max(1).wrapping_mul(common >> a.leading_zeros().min(127)),
                    b,
                ),
            ] {
                assert_eq!(gcd_u128(a, b), a.gcd(&b), "gcd({a}, {b})");
            }
            let (a, b) = (a >> 1, b >> 1);
            if let (Some(x), Some(y)) = (a.checked_mul(common), b.checked_mul(common)) {
                assert_eq!(gcd_u128(x, y), x.gcd(&y), "gcd({x}, {y})");
            }
        }
        assert_eq!(gcd_u128(0, 0), 0);
        assert_eq!(gcd_u128(u128::MAX, 0), u128::MAX);
        assert_eq!(gcd_u128(0, u128::MAX), u128::MAX);
        assert_eq!(gcd_u128(u128::MAX, u128::MAX - 1), 1);
    }

    #[test]
    fn word_gcd_equals_the_binary_gcd() {
        let gcd_u64 = super::super::gcd_u64;
        let mut stream = crate::test_stream::xorshift(0x2545_f491_4f6c_dd1d);
        let mut next = || {
            let state = stream();
            state >> (state % 64)
        };
        for _ in 0..200_000 {
            let (a, b, common) = (next(), next(), next() >> 40 | 1);
            // Powers of two, lopsided lengths and shared factors.
            let power = 1u64 << (a % 64);
            for (x, y) in [
                (a, b),
                (a, power),
                (power, b),
                (a.wrapping_mul(common), b >> 32 << 3),
                (a.wrapping_mul(common) >> 1, (b >> 40).wrapping_mul(common)),
            ] {
                assert_eq!(gcd_u64(x, y), x.gcd(&y), "gcd({x}, {y})");
            }
        }
        for (x, y) in [(0, 0), (0, 5), (5, 0), (1, u64::MAX), (u64::MAX, 1 << 63)] {
            assert_eq!(gcd_u64(x, y), x.gcd(&y), "gcd({x}, {y})");
        }
    }

    #[test]
    fn consecutive_fibonacci_numbers_and_lopsided_pairs() {
        // Consecutive Fibonacci numbers: every quotient 1, the longest Euclidean chain.
        let (mut f, mut g) = (BigUint::one(), BigUint::one());
        for _ in 0..600 {
            let next = &f + &g;
            f = g;
            g = next;
            assert!(gcd(&g, &f).is_one());
            let common = BigUint::from(0xffff_ffff_ffff_ffc5u64) * 3u32;
            assert_eq!(gcd(&(&g * &common), &(&f * &common)), common);
        }
        // One number far longer than the other, and limbs full of ones.
        let ones = (BigUint::one() << 700u32) - 1u32;
        for bits in [1u32, 63, 64, 65, 127, 128, 129, 200, 699] {
            let b = (BigUint::one() << bits) - 1u32;
            assert_eq!(gcd(&ones, &b), ones.gcd(&b), "2^700 − 1, 2^{bits} − 1");
            assert_eq!(gcd(&(&ones * &b), &(&b * &b)), &b * ones.gcd(&b));
        }
        assert_eq!(gcd(&ones, &BigUint::zero()), ones);
        // Beyond the stack remainder's length (1024 bits): the big-integer remainder.
        let long = (BigUint::one() << 1500u32) - 1u32;
        for bits in [129u32, 300, 1100, 1499] {
            let b = (BigUint::one() << bits) + 7u32;
            assert_eq!(gcd(&long, &b), long.gcd(&b), "2^1500 − 1, 2^{bits} + 7");
            let shared = &b * 3u32;
            assert_eq!(
                gcd(&(&long * &shared), &shared),
                shared,
                "a multiple, 2^{bits} + 7"
            );
        }
    }
}
