//! A span over a prime field `GF(p)`, grown one vector at a time: a certificate of
//! independence over the rationals, and a speed-up of the exact
//! [`IncrementalSpan`](mlcsc_spec::exact_linear_algebra::IncrementalSpan) (machine-word residues
//! instead of fractions).
//!
//! Integer vectors independent modulo a prime `p` are independent over `Q`: a rational
//! dependency `Σ c_j v_j = 0`, scaled to coprime integers `c_j`, has some `c_j ≢ 0 (mod p)` and
//! is a dependency modulo `p` (`proofs/uniqueness.md`, L1). The converse can fail (a "false
//! dependency", when `p` divides every maximal minor), so only "independent" is a certificate;
//! "dependent" must be confirmed exactly.

use mlcsc_spec::exact_linear_algebra::ExactField;
use mlcsc_spec::theorems::stripe_spark::{
    IndependenceTest, StripeSpark, circuit_search, stripe_spark,
};
use mlcsc_spec::theorems::support_enumeration::exact_dictionary;
use nalgebra::{DMatrix, DVector};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::ToPrimitive;

use crate::model::Layer;
use crate::scalar::Rational;

/// The Mersenne prime `2^61 − 1`: a false dependency needs `p` to divide every maximal minor.
pub const SPAN_MODULUS: u64 = (1 << 61) - 1;

/// [`IncrementalSpan`](mlcsc_spec::exact_linear_algebra::IncrementalSpan) modulo a prime `p < 2^63`: each stored vector is zero at the pivots of
/// those stored before it and nonzero at its own.
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
    ///
    /// Fraction-free: `v` is reduced by each stored `b` (pivot `c = b_pivot ≠ 0`, `f = v_pivot`)
    /// as `v ← c v − f b`, which keeps `v` a nonzero multiple of itself plus a combination of
    /// the stored vectors, so it ends at 0 exactly when `v` is in their span; no inverse is
    /// needed.
    pub fn insert(&mut self, v: &[u64]) -> bool {
        let p = self.modulus;
        let mut residual = v.to_vec();
        for (pivot, b) in &self.basis {
            let factor = residual[*pivot];
            if factor == 0 {
                continue;
            }
            let scale = b[*pivot];
            for (x, &y) in residual.iter_mut().zip(b) {
                let (s, t) = (self.product(scale, *x), self.product(factor, y));
                *x = if s >= t { s - t } else { s + (p - t) };
            }
        }
        match residual.iter().position(|&x| x != 0) {
            Some(pivot) => {
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

/// The circuit search's independence test modulo a prime ([`IndependenceTest`]): the residues
/// of each column scaled to integers, in a [`ModularSpan`]. "Independent" is certain; the search
/// confirms every "dependent" by an exact solve.
#[derive(Clone, Debug)]
pub struct ModularIndependence {
    columns: Vec<Vec<u64>>,
    span: ModularSpan,
}

impl ModularIndependence {
    /// The test over the columns of an exact dictionary, modulo the prime `modulus`.
    pub fn new<S: ExactField>(dictionary: &DMatrix<S>, modulus: u64) -> Self {
        let span = ModularSpan::new(modulus);
        let exact = |x: &S| x.to_rational().expect("an exact field holds rationals");
        let columns = (0..dictionary.ncols())
            .map(|k| span.residues(&dictionary.column(k).map(|x| exact(&x))))
            .collect();
        ModularIndependence { columns, span }
    }
}

impl IndependenceTest for ModularIndependence {
    fn insert(&mut self, atom: usize) -> bool {
        self.span.insert(&self.columns[atom])
    }

    fn remove_last(&mut self) {
        self.span.remove_last();
    }
}

/// `σ_S(D)` by the specification's circuit search with independence tested modulo the prime
/// `modulus`: "independent" modulo `p` is certain, and every "dependent" is confirmed by the
/// exact solve that builds the circuit's null vector. `None` when the solve refutes one (a
/// false dependency: the search cannot go on modulo `p`). The search meets the same answers as
/// the exact one, so a `Some` is [`stripe_spark`]'s result. A small modulus makes false
/// dependencies common (for tests of the fallback).
pub fn stripe_spark_modulo<S: ExactField>(
    layer: &Layer<S>,
    length: usize,
    modulus: u64,
) -> Option<StripeSpark<S>> {
    let dictionary = exact_dictionary(layer, length);
    let mut independence = ModularIndependence::new(&dictionary, modulus);
    circuit_search(layer, length, &dictionary, &mut independence).ok()
}

/// `σ_S(D)` modulo [`SPAN_MODULUS`] ([`stripe_spark_modulo`]), and, if a dependency modulo `p`
/// proves false, by the specification's exact search: either way its result, witness and
/// coverage.
pub fn fast_stripe_spark<S: ExactField>(layer: &Layer<S>, length: usize) -> StripeSpark<S> {
    stripe_spark_modulo(layer, length, SPAN_MODULUS).unwrap_or_else(|| stripe_spark(layer, length))
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
        assert_eq!(span.product(inverse(&span, 12345), 12345), 1);
    }

    /// `a^{p−2}`, the inverse of `a ≢ 0` (Fermat).
    fn inverse(span: &ModularSpan, a: u64) -> u64 {
        let (mut result, mut base, mut exponent) = (1, a, span.modulus - 2);
        while exponent > 0 {
            if exponent & 1 == 1 {
                result = span.product(result, base);
            }
            base = span.product(base, base);
            exponent >>= 1;
        }
        result
    }

    /// Whether `v` is independent modulo `p` of `stored`, by elimination against a basis
    /// normalized to 1 at its pivots (with inverses): the reference for the fraction-free
    /// [`ModularSpan::insert`].
    fn independent_by_normalized_elimination(
        span: &ModularSpan,
        stored: &[Vec<u64>],
        v: &[u64],
    ) -> bool {
        let p = span.modulus;
        let mut basis: Vec<(usize, Vec<u64>)> = Vec::new();
        let reduce = |w: &[u64], basis: &[(usize, Vec<u64>)]| {
            let mut residual = w.to_vec();
            for (pivot, b) in basis {
                let factor = residual[*pivot];
                for (x, &y) in residual.iter_mut().zip(b) {
                    *x = (*x + p - span.product(factor, y)) % p;
                }
            }
            residual
        };
        for w in stored {
            let mut residual = reduce(w, &basis);
            if let Some(pivot) = residual.iter().position(|&x| x != 0) {
                let inv = inverse(span, residual[pivot]);
                residual.iter_mut().for_each(|x| *x = span.product(*x, inv));
                basis.push((pivot, residual));
            }
        }
        reduce(v, &basis).iter().any(|&x| x != 0)
    }

    /// The fraction-free insertion answers as normalized elimination does, through insertions
    /// and removals, on random vectors and on combinations of stored ones, for small primes
    /// (where dependencies are common) and for `2^61 − 1`.
    #[test]
    fn fraction_free_insertion_agrees_with_normalized_elimination() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |bound: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % bound
        };
        let (mut independent, mut dependent) = (0, 0);
        for p in [2, 3, 5, 7, SPAN_MODULUS] {
            for case in 0..300 {
                let length = 1 + case % 9;
                let mut span = ModularSpan::new(p);
                let mut stored: Vec<Vec<u64>> = Vec::new();
                for _ in 0..(2 * length) {
                    let v: Vec<u64> = if stored.is_empty() || next(3) == 0 {
                        (0..length)
                            .map(|_| if next(4) == 0 { 0 } else { next(p) })
                            .collect()
                    } else {
                        let (a, b) = (next(stored.len() as u64), next(stored.len() as u64));
                        let (ca, cb) = (next(p), next(p));
                        (0..length)
                            .map(|j| {
                                (span.product(ca, stored[a as usize][j])
                                    + span.product(cb, stored[b as usize][j]))
                                    % p
                            })
                            .collect()
                    };
                    let expected = independent_by_normalized_elimination(&span, &stored, &v);
                    assert_eq!(span.insert(&v), expected, "p = {p}, case {case}");
                    if expected {
                        stored.push(v);
                        independent += 1;
                    } else {
                        dependent += 1;
                    }
                    if !stored.is_empty() && next(5) == 0 {
                        span.remove_last();
                        stored.pop();
                    }
                    assert_eq!(span.dimension(), stored.len());
                }
            }
        }
        assert!(
            independent > 2_000 && dependent > 2_000,
            "{independent} / {dependent}"
        );
    }
}
