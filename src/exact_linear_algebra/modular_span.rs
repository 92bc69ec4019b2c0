//! A span over a prime field `GF(p)`, grown one vector at a time: a certificate of
//! independence over the rationals.
//!
//! Integer vectors independent modulo a prime `p` are independent over `Q`: a rational
//! dependency `Σ c_j v_j = 0`, scaled to coprime integers `c_j`, has some `c_j ≢ 0 (mod p)` and
//! is a dependency modulo `p` (`proofs/uniqueness.md`, L1). The converse can fail (a "false
//! dependency", when `p` divides every maximal minor), so only "independent" is a certificate;
//! "dependent" must be confirmed exactly.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::ToPrimitive;

use super::*;

/// The Mersenne prime `2^61 − 1`: a false dependency needs `p` to divide every maximal minor.
pub const SPAN_MODULUS: u64 = (1 << 61) - 1;

/// [`IncrementalSpan`] modulo a prime `p < 2^63`: each stored vector is zero at the pivots of
/// those stored before it and 1 at its own.
#[derive(Clone, Debug)]
pub struct ModularSpan {
    modulus: u64,
    basis: Vec<(usize, Vec<u64>)>,
}

impl ModularSpan {
    /// The span of no vectors modulo the prime `modulus`.
    pub fn new(modulus: u64) -> Self {
        assert!((2..1 << 63).contains(&modulus), "a prime below 2^63");
        ModularSpan {
            modulus,
            basis: Vec::new(),
        }
    }

    /// `a b mod p` for `a, b < p`; for `p = 2^61 − 1` by folding (`2^61 ≡ 1`), without a
    /// division.
    fn product(&self, a: u64, b: u64) -> u64 {
        let wide = u128::from(a) * u128::from(b);
        if self.modulus == SPAN_MODULUS {
            // wide < 2^122, so the two halves sum to less than 2^62: one subtraction suffices.
            let folded = (wide as u64 & SPAN_MODULUS) + (wide >> 61) as u64;
            if folded >= SPAN_MODULUS {
                folded - SPAN_MODULUS
            } else {
                folded
            }
        } else {
            (wide % u128::from(self.modulus)) as u64
        }
    }

    /// `a^{p−2}`, the inverse of `a ≢ 0` (Fermat).
    fn inverse(&self, a: u64) -> u64 {
        let (mut result, mut base, mut exponent) = (1, a, self.modulus - 2);
        while exponent > 0 {
            if exponent & 1 == 1 {
                result = self.product(result, base);
            }
            base = self.product(base, base);
            exponent >>= 1;
        }
        result
    }

    /// The residues of an integer column multiplied by the least common multiple of its
    /// denominators (a nonzero multiple, so it spans the same line over `Q`).
    pub fn residues(&self, column: &DVector<Rational>) -> Vec<u64> {
        let lcm = column
            .iter()
            .fold(BigInt::from(1u8), |l, x| l.lcm(x.denom()));
        let p = BigInt::from(self.modulus);
        column
            .iter()
            .map(|x| {
                let integer = x.numer() * (&lcm / x.denom());
                integer.mod_floor(&p).to_u64().expect("a residue below p")
            })
            .collect()
    }

    /// Adds `v` (residues below `p`) if it is independent modulo `p` of the stored vectors, and
    /// returns whether it was. `true` certifies independence over `Q` of the integer vectors
    /// behind the residues; `false` only dependence modulo `p`.
    pub fn insert(&mut self, v: &[u64]) -> bool {
        let p = self.modulus;
        let mut residual = v.to_vec();
        for (pivot, b) in &self.basis {
            let factor = residual[*pivot];
            if factor == 0 {
                continue;
            }
            for (x, &y) in residual.iter_mut().zip(b) {
                if y != 0 {
                    *x = (*x + p - self.product(factor, y)) % p;
                }
            }
        }
        match residual.iter().position(|&x| x != 0) {
            Some(pivot) => {
                let inverse = self.inverse(residual[pivot]);
                for x in &mut residual {
                    *x = self.product(*x, inverse);
                }
                self.basis.push((pivot, residual));
                true
            }
            None => false,
        }
    }

    /// The number of vectors stored.
    pub fn dimension(&self) -> usize {
        self.basis.len()
    }

    /// Removes the most recently inserted vector.
    pub fn remove_last(&mut self) {
        self.basis.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_products_equal_remainders() {
        let span = ModularSpan::new(SPAN_MODULUS);
        let p = SPAN_MODULUS;
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15 % p;
        for a in [0, 1, 2, p - 1, p - 2, 1 << 60, (1 << 61) - 3] {
            for b in [0, 1, p - 1, 1 << 31, (1 << 60) + 12345] {
                let expected = (u128::from(a) * u128::from(b) % u128::from(p)) as u64;
                assert_eq!(span.product(a, b), expected, "{a} · {b}");
            }
        }
        for _ in 0..10_000 {
            x = (x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407))
                % p;
            let y = x.rotate_left(17) % p;
            assert_eq!(
                span.product(x, y),
                (u128::from(x) * u128::from(y) % u128::from(p)) as u64
            );
        }
        assert_eq!(span.product(span.inverse(12345), 12345), 1);
    }
}
