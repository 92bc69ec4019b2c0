//! The square part of a whole number `n ≥ 1` relative to known primes: `n = c² · ∏ odd · R`,
//! where `odd` are the known primes that divide `n` to an odd power, and the residue `R` is
//! coprime to the known primes, has no square factor `p²` with `p` a prime below
//! [`SMALL_PRIMES_BELOW`], and is 1 exactly when what is left is a perfect square (then its
//! root is in `c`).
//!
//! The split is unique (divide every known prime out completely, then every square of a small
//! prime, then a perfect square), so it does not depend on the order of the divisions. It is
//! computed on machine words when `n` fits 128 bits (then `c² ≤ n` keeps `c` in 64 bits and
//! nothing overflows), and in big integers otherwise.

use num_bigint::BigInt;
use num_traits::{One, Zero};

/// Primes below this whose squares are divided out of the residue `R`.
const SMALL_PRIMES_BELOW: u64 = 1000;

/// The number of primes below [`SMALL_PRIMES_BELOW`].
const SMALL_PRIME_COUNT: usize = count_primes();

/// The primes below [`SMALL_PRIMES_BELOW`], increasing (sieve of Eratosthenes, at compile time).
const SMALL_PRIMES: [u64; SMALL_PRIME_COUNT] = small_primes();

const fn sieve() -> [bool; SMALL_PRIMES_BELOW as usize] {
    let mut composite = [false; SMALL_PRIMES_BELOW as usize];
    composite[0] = true;
    composite[1] = true;
    let mut p = 2;
    while p * p < SMALL_PRIMES_BELOW as usize {
        if !composite[p] {
            let mut multiple = p * p;
            while multiple < SMALL_PRIMES_BELOW as usize {
                composite[multiple] = true;
                multiple += p;
            }
        }
        p += 1;
    }
    composite
}

const fn count_primes() -> usize {
    let composite = sieve();
    let (mut count, mut n) = (0, 0);
    while n < composite.len() {
        if !composite[n] {
            count += 1;
        }
        n += 1;
    }
    count
}

const fn small_primes() -> [u64; SMALL_PRIME_COUNT] {
    let composite = sieve();
    let mut primes = [0u64; SMALL_PRIME_COUNT];
    let (mut k, mut n) = (0, 0);
    while n < composite.len() {
        if !composite[n] {
            primes[k] = n as u64;
            k += 1;
        }
        n += 1;
    }
    primes
}

/// `n = coefficient² · ∏ odd · residue` (module documentation).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct SquarePart {
    /// `c`.
    pub coefficient: BigInt,
    /// The known primes dividing `n` to an odd power, in the order given.
    pub odd: Vec<u64>,
    /// `R`, or `None` when it is 1.
    pub residue: Option<BigInt>,
}

/// The square part of `n ≥ 1` relative to the known `primes`.
pub(super) fn square_part(n: &BigInt, primes: &[u64]) -> SquarePart {
    match u128::try_from(n) {
        Ok(word) => square_part_word(word, primes),
        Err(_) => square_part_big(n.clone(), primes),
    }
}

/// `n mod m` for `m < 2^32`, from the two halves of `n` on single words:
/// `n = h 2^64 + l ≡ (h mod m) (2^64 mod m) + l mod m`.
fn remainder_of_word(n: u128, m: u64) -> u64 {
    debug_assert!(m < 1 << 32);
    let (high, low) = ((n >> 64) as u64, n as u64);
    let power = (u64::MAX % m + 1) % m;
    ((high % m) * power + low % m) % m
}

/// [`square_part`] on a machine word.
fn square_part_word(mut rest: u128, primes: &[u64]) -> SquarePart {
    let mut coefficient: u128 = 1;
    let mut odd = Vec::new();
    for &p in primes {
        let prime = u128::from(p);
        let mut exponent = 0u32;
        if p == 2 {
            // The powers of two by the trailing zeros (`rest ≥ 1`).
            exponent = rest.trailing_zeros();
            rest >>= exponent;
        }
        while rest % prime == 0 {
            rest /= prime;
            exponent += 1;
        }
        coefficient *= prime.pow(exponent / 2);
        if exponent % 2 == 1 {
            odd.push(p);
        }
    }
    for &p in SMALL_PRIMES.iter().filter(|p| !primes.contains(p)) {
        if p == 2 {
            // The squares of two by the trailing zeros (`rest ≥ 1`).
            let pairs = rest.trailing_zeros() / 2;
            rest >>= 2 * pairs;
            coefficient <<= pairs;
            continue;
        }
        // The same divisions on one word once `rest` fits one.
        if let Ok(mut word) = u64::try_from(rest) {
            let square = p * p;
            while word % square == 0 {
                word /= square;
                coefficient *= u128::from(p);
            }
            rest = u128::from(word);
            continue;
        }
        let square = p * p;
        while remainder_of_word(rest, square) == 0 {
            rest /= u128::from(square);
            coefficient *= u128::from(p);
        }
    }
    let root = rest.isqrt();
    let residue = if root * root == rest {
        coefficient *= root;
        None
    } else {
        Some(BigInt::from(rest))
    };
    SquarePart {
        coefficient: BigInt::from(coefficient),
        odd,
        residue,
    }
}

/// [`square_part`] in big integers.
fn square_part_big(mut rest: BigInt, primes: &[u64]) -> SquarePart {
    let mut coefficient = BigInt::one();
    let mut odd = Vec::new();
    for &p in primes {
        let prime = BigInt::from(p);
        let mut exponent = 0u32;
        while (&rest % &prime).is_zero() {
            rest /= &prime;
            exponent += 1;
        }
        coefficient *= prime.pow(exponent / 2);
        if exponent % 2 == 1 {
            odd.push(p);
        }
    }
    for &p in SMALL_PRIMES.iter().filter(|p| !primes.contains(p)) {
        let square = BigInt::from(p * p);
        while (&rest % &square).is_zero() {
            rest /= &square;
            coefficient *= p;
        }
    }
    let root = rest.sqrt();
    let residue = if &root * &root == rest {
        coefficient *= root;
        None
    } else {
        Some(rest)
    };
    SquarePart {
        coefficient,
        odd,
        residue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sieve_finds_the_168_primes_below_1000() {
        assert_eq!(SMALL_PRIMES.len(), 168);
        assert_eq!(SMALL_PRIMES[..5], [2, 3, 5, 7, 11]);
        assert_eq!(SMALL_PRIMES[167], 997);
        let by_trial =
            |n: u64| n >= 2 && (2..n).take_while(|d| d * d <= n).all(|d: u64| n % d != 0);
        assert!(SMALL_PRIMES.iter().all(|&p| by_trial(p)));
    }

    /// The word split (trailing zeros for two, remainders from the two halves above `2^64`)
    /// equals the big one on products of squares of small primes, powers of two and a random
    /// cofactor, of up to 128 bits, with and without known primes.
    #[test]
    fn the_word_and_big_splits_agree_on_random_products() {
        let mut state = 0x853c_49e6_748f_ea9b_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut above_one_word = 0;
        for case in 0..4000 {
            let mut n = u128::from(next() >> (next() % 64)).max(1);
            for _ in 0..next() % 6 {
                let p = u128::from(SMALL_PRIMES[(next() % 168) as usize]);
                n = n.checked_mul(p * p).unwrap_or(n);
            }
            let shift = (next() % 64) as u32;
            if n.leading_zeros() > shift {
                n <<= shift;
            }
            let n = n
                .checked_mul(u128::from(next()))
                .filter(|_| case % 3 == 0)
                .unwrap_or(n);
            let primes: &[u64] = [&[][..], &[2], &[3, 5], &[2, 7, 997]][case % 4];
            let word = square_part_word(n, primes);
            assert_eq!(word, square_part_big(BigInt::from(n), primes), "n = {n}");
            above_one_word += usize::from(n >> 64 > 0 && word.coefficient > BigInt::one());
        }
        assert!(above_one_word > 200, "{above_one_word}");
    }

    #[test]
    fn the_word_and_big_splits_agree_and_recompose_the_number() {
        let cases: [(u128, &[u64]); 6] = [
            (150, &[2]),
            (2 * 2 * 2 * 3 * 3 * 3 * 1009 * 1009, &[3]),
            (1 << 64, &[]),
            (u128::MAX, &[3, 5]),
            (7 * 7 * 11 * 1_000_003, &[11]),
            ((1u128 << 100) * 3 * 997 * 997, &[2, 5]),
        ];
        for (n, primes) in cases {
            let big = square_part_big(BigInt::from(n), primes);
            let word = square_part_word(n, primes);
            assert_eq!(word, big, "n = {n}");
            let product = primes
                .iter()
                .filter(|p| word.odd.contains(p))
                .fold(BigInt::one(), |acc, &p| acc * p);
            let residue = word.residue.clone().unwrap_or_else(BigInt::one);
            assert_eq!(
                &word.coefficient * &word.coefficient * product * &residue,
                BigInt::from(n)
            );
            assert!(word.residue.is_none_or(|r| r.sqrt().pow(2) != r));
        }
        // Above 128 bits the big path answers.
        let huge = BigInt::from(u128::MAX) * BigInt::from(4u32);
        let split = square_part(&huge, &[]);
        assert_eq!(split.coefficient, BigInt::from(2));
    }
}
