//! The gcd of two naturals on limbs by their odd parts: `gcd(a, b) = 2^min(ν₂(a), ν₂(b))
//! gcd(a / 2^ν₂(a), b / 2^ν₂(b))`.
//!
//! The denominators of exact values here are a power of two (noise scales, thresholds) times
//! a product of small odd numbers (the filters' denominators), and sums over a common
//! denominator carry dozens of factors of two: a gcd of two such numbers of hundreds of bits
//! is, once the twos are shifted out, a gcd with an odd number of one or two machine words,
//! one pass of remainders over the other's limbs, where Lehmer's algorithm on the full numbers
//! would take a round per 60 bits.

use num_bigint::BigUint;

use super::lehmer::{gcd_limbs, gcd_u128, to_biguint, to_u128, trim};

/// Shifts the trimmed nonzero limbs `x` right by their trailing zeros (the result odd and
/// trimmed); returns the number of zeros.
fn strip_twos(x: &mut Vec<u64>) -> u64 {
    let words = x.iter().take_while(|&&limb| limb == 0).count();
    x.drain(..words);
    let bits = x[0].trailing_zeros();
    if bits > 0 {
        for i in 0..x.len() {
            let high = x.get(i + 1).map_or(0, |&next| next << (64 - bits));
            x[i] = (x[i] >> bits) | high;
        }
        trim(x);
    }
    64 * words as u64 + u64::from(bits)
}

/// `x mod w` for limbs `x` and a word `w ≥ 1`, from the most significant limb down.
fn remainder_of_word(x: &[u64], w: u64) -> u64 {
    (x.iter().rev()).fold(0u64, |r, &limb| {
        (((u128::from(r) << 64) | u128::from(limb)) % u128::from(w)) as u64
    })
}

/// Whether the trimmed limbs `a` are at least `b`.
fn at_least(a: &[u64], b: &[u64]) -> bool {
    a.len() > b.len() || (a.len() == b.len() && a.iter().rev().ge(b.iter().rev()))
}

/// `gcd(a, b)` of the naturals on these limbs (both overwritten), by their odd parts (module
/// documentation): the odd parts' gcd on one word when either is one, on `u128` when both
/// fit, else by Lehmer's algorithm.
pub(super) fn gcd_by_odd_parts(a: &mut Vec<u64>, b: &mut Vec<u64>) -> BigUint {
    trim(a);
    trim(b);
    if a.is_empty() || b.is_empty() {
        return to_biguint(if a.is_empty() { b } else { a });
    }
    let twos = strip_twos(a).min(strip_twos(b));
    let odd = match (a.len(), b.len()) {
        (1, _) => BigUint::from(super::gcd_u64(a[0], remainder_of_word(b, a[0]))),
        (_, 1) => BigUint::from(super::gcd_u64(b[0], remainder_of_word(a, b[0]))),
        (2, 2) => BigUint::from(gcd_u128(to_u128(a), to_u128(b))),
        _ if at_least(a, b) => gcd_limbs(a, b),
        _ => gcd_limbs(b, a),
    };
    odd << twos
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_integer::Integer;
    use num_traits::Zero;

    /// An odd number of `limbs` 61-bit pieces (a few bits when `limbs` is 0).
    fn odd(next: &mut impl FnMut() -> u64, limbs: u64) -> BigUint {
        let mut x = BigUint::from(next() % 64);
        for _ in 0..limbs {
            x = (x << 61u32) + (next() >> (next() % 64));
        }
        x | BigUint::from(1u8)
    }

    /// The gcd by odd parts equals `num-integer`'s gcd for numbers `c a 2^i` and `c b 2^j`
    /// with a common odd factor `c` and odd `a`, `b` of every length (one word, two, more),
    /// and with one of them zero; counted: odd parts of one word, of two, and of more, and
    /// common twos of more than a limb.
    #[test]
    fn gcds_by_odd_parts_equal_the_binary_gcd() {
        let mut next = crate::test_stream::xorshift(0x000d_d9cd_2026);
        let mut counts = [0usize; 4];
        for round in 0..30_000u64 {
            let common = odd(&mut next, round % 3);
            let (a, b) = (
                odd(&mut next, round / 3 % 5),
                odd(&mut next, round / 15 % 5),
            );
            let (i, j) = (next() % 200, next() % 200);
            let x = (&common * &a) << i;
            let y = if round % 50 == 0 {
                BigUint::zero()
            } else {
                (&common * &b) << j
            };
            let expected = x.gcd(&y);
            let (mut xs, mut ys) = (x.to_u64_digits(), y.to_u64_digits());
            assert_eq!(gcd_by_odd_parts(&mut xs, &mut ys), expected, "{x}, {y}");
            let (mut xs, mut ys) = (x.to_u64_digits(), y.to_u64_digits());
            assert_eq!(gcd_by_odd_parts(&mut ys, &mut xs), expected, "{y}, {x}");
            let shortest = (&common * &a).bits().min((&common * &b).bits());
            counts[usize::from(shortest > 64) + usize::from(shortest > 128)] += 1;
            counts[3] += usize::from(i.min(j) >= 64 && round % 50 != 0);
        }
        assert!(counts.iter().all(|&n| n >= 2000), "{counts:?}");
    }
}
