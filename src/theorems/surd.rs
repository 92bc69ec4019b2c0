//! Exact sums of rational multiples of square roots, `Σ_k c_k · sqrt(m_k)`, for the `ε` chain
//! of Theorem 2 (docs/math.md §6, §8).
//!
//! `ε_0` is a rational budget or `sqrt(q_0)` (`q_0` the noise energy, a rational), and
//! `ε_i = sqrt(p_i) (ε_{i-1} + r_i)` with `p_i` a whole number and `r_i` rational. Expanded,
//! `ε_i` is a sum of at most `i + 1` terms `c · sqrt(M)`, and so is every number compared with
//! it (`ε_{i-1}` against a rational, `ε_i²` against a rational patch energy). Such a number is
//! kept here exactly, each radicand reduced to its **square class**:
//!
//! - a square-free product of the primes that divide some `p_i` (found by trial division);
//! - times, optionally, one residue `R`: `q_0 = P/Q` gives `sqrt(q_0) = sqrt(P Q) / Q`; the
//!   primes above are divided out of `P Q` (their squares go to the coefficient), and what is
//!   left is `R`, coprime to all of them, folded into the coefficient when it is a square.
//!
//! Products collapse (`sqrt(2) · sqrt(2) = 2`, `sqrt(R) · sqrt(R) = R`), and terms of one class
//! are added. **Distinct classes are linearly independent over the rationals**: the square-free
//! parts of the radicands are distinct (those with `R` contain a prime factor of `R`'s
//! square-free part, which is coprime to the others' and not 1), and square roots of distinct
//! square-free integers are linearly independent (Besicovitch, 1940). So a number is zero
//! exactly when every coefficient is, and equality is decided without any enclosure.
//!
//! **Sign of a nonzero number.** With `t` generators (the distinct primes in the radicands, and
//! `R`), `D` a common denominator of the coefficients and `H = Σ |c_k| sqrt(m_k)`, the number
//! `D α` is a nonzero algebraic integer of degree at most `2^t` whose conjugates are the sums
//! `Σ ±D c_k sqrt(m_k)`, each at most `D H` in magnitude. Its norm, the product of the
//! conjugates, is a nonzero integer, so `|α| ≥ D^(-2^t) · max(1, H)^(1 - 2^t)`. An enclosure
//! of width `2^(1-b) H` therefore decides the sign once `b > 1 + 2^t (log2 D + log2 max(1, H))`:
//! the refinement cap is derived from the size of the numbers compared, never fixed. Only a
//! cap above [`tolerance::ENCLOSURE_LIMIT_BITS`] leaves a comparison undecided.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;

use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};

use crate::enclosure::Enclosure;
use crate::scalar::{Rational, Scalar};
use crate::tolerance;

/// Primes below this whose squares are divided out of the residue `R`.
const SMALL_PRIMES_BELOW: u64 = 1000;

/// A square class: a square-free product of primes, times the residue `R` or not.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Radicand {
    /// Distinct primes, increasing.
    primes: Vec<u64>,
    /// Whether the residue `R` is a factor.
    residue: bool,
}

impl Radicand {
    /// The class of the rationals (radicand 1).
    fn one() -> Self {
        Radicand {
            primes: Vec::new(),
            residue: false,
        }
    }

    fn is_one(&self) -> bool {
        self.primes.is_empty() && !self.residue
    }
}

/// `Σ c_k sqrt(m_k)` over distinct square classes, with nonzero coefficients in an exact scalar.
#[derive(Clone, Debug, PartialEq)]
pub struct Surd<S> {
    /// Terms ordered by class; no coefficient is zero.
    terms: Vec<(Radicand, S)>,
}

/// The outcome of deciding the sign of a [`Surd`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignDecision {
    /// The sign, or `None` when the certified precision is above the limit.
    pub sign: Option<Ordering>,
    /// The precision of the last enclosure (0 when no enclosure was needed).
    pub bits: u32,
    /// The precision that certainly decides a nonzero number (0 when exact).
    pub needed_bits: u64,
}

/// The square classes of one instance: the primes of the `p_i` and the residue of `q_0`, with
/// a cache of the enclosures of every class's square root.
#[derive(Debug)]
pub struct SquareClasses<S> {
    primes: Vec<u64>,
    residue: Option<BigInt>,
    cache: RefCell<HashMap<(Radicand, u32), (S, S)>>,
}

/// The distinct prime factors of `n ≥ 1` with their exponents, by trial division.
fn factor(mut n: u64) -> Vec<(u64, u32)> {
    let mut factors = Vec::new();
    let mut d = 2u64;
    while d.saturating_mul(d) <= n {
        if n % d == 0 {
            let mut exponent = 0;
            while n % d == 0 {
                n /= d;
                exponent += 1;
            }
            factors.push((d, exponent));
        }
        d += if d == 2 { 1 } else { 2 };
    }
    if n > 1 {
        factors.push((n, 1));
    }
    factors
}

/// Sorted symmetric difference and intersection of two sorted prime lists.
fn combine(a: &[u64], b: &[u64]) -> (Vec<u64>, Vec<u64>) {
    let (mut i, mut j) = (0, 0);
    let (mut odd, mut common) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                common.push(*x);
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                odd.push(*x);
                i += 1;
            }
            (Some(x), None) => {
                odd.push(*x);
                i += 1;
            }
            (_, Some(y)) => {
                odd.push(*y);
                j += 1;
            }
            (None, None) => unreachable!(),
        }
    }
    (odd, common)
}

fn big_to_scalar<S: Scalar>(n: &BigInt) -> S {
    S::from_rational(&Rational::from_integer(n.clone()))
}

fn product<S: Scalar>(primes: &[u64]) -> S {
    primes.iter().fold(S::one(), |acc, &p| {
        acc * S::from_rational(&Rational::from_integer(BigInt::from(p)))
    })
}

impl<S: Scalar> SquareClasses<S> {
    /// The classes for the whole numbers `roots` (the `p_i`) and the rational `q_0 ≥ 0` whose
    /// square root is also taken, if any. Returns the classes and `sqrt(q_0)`.
    pub fn new(roots: &[usize], q0: Option<&S>) -> (Self, Option<Surd<S>>) {
        let mut primes: Vec<u64> = roots
            .iter()
            .filter(|&&p| p > 1)
            .flat_map(|&p| factor(p as u64).into_iter().map(|(q, _)| q))
            .collect();
        primes.sort_unstable();
        primes.dedup();
        let mut classes = SquareClasses {
            primes,
            residue: None,
            cache: RefCell::new(HashMap::new()),
        };
        let root = q0.map(|q| classes.sqrt_rational(q));
        (classes, root)
    }

    /// `sqrt(q)` for an exact `q ≥ 0`, setting the residue (called once, from [`Self::new`]).
    fn sqrt_rational(&mut self, q: &S) -> Surd<S> {
        let Some(value) = q.to_rational().filter(|v| v.is_positive()) else {
            return Surd::zero();
        };
        // sqrt(P/Q) = sqrt(P Q) / Q; divide the known primes out of P Q.
        let mut rest = value.numer() * value.denom();
        let mut coefficient = BigInt::one();
        let mut odd = Vec::new();
        for &p in &self.primes {
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
        // Squares of small primes in the rest go to the coefficient too (a shorter radicand).
        for p in 2..SMALL_PRIMES_BELOW {
            if !factor(p).iter().all(|&(q, e)| q == p && e == 1) || self.primes.contains(&p) {
                continue;
            }
            let square = BigInt::from(p * p);
            while (&rest % &square).is_zero() {
                rest /= &square;
                coefficient *= p;
            }
        }
        let root = rest.sqrt();
        let residue = if &root * &root == rest {
            coefficient *= root;
            false
        } else {
            self.residue = Some(rest);
            true
        };
        let coefficient = Rational::new(coefficient, value.denom().clone());
        Surd::term(
            Radicand {
                primes: odd,
                residue,
            },
            S::from_rational(&coefficient),
        )
    }

    /// `sqrt(p)` for a whole number `p`, whose primes must be among those given to
    /// [`Self::new`].
    pub fn sqrt_integer(&self, p: usize) -> Surd<S> {
        if p == 0 {
            return Surd::zero();
        }
        let mut coefficient = 1u64;
        let mut odd = Vec::new();
        for (prime, exponent) in factor(p as u64) {
            debug_assert!(self.primes.contains(&prime) || exponent % 2 == 0);
            coefficient *= prime.pow(exponent / 2);
            if exponent % 2 == 1 {
                odd.push(prime);
            }
        }
        Surd::term(
            Radicand {
                primes: odd,
                residue: false,
            },
            S::from_rational(&Rational::from_integer(BigInt::from(coefficient))),
        )
    }

    /// The value of a radicand, an exact whole number.
    fn radicand_value(&self, radicand: &Radicand) -> S {
        let mut value: S = product(&radicand.primes);
        if radicand.residue
            && let Some(r) = &self.residue
        {
            value = value * big_to_scalar(r);
        }
        value
    }

    /// `(lo, hi)` with `lo ≤ sqrt(m) ≤ hi` at the given precision, cached.
    fn root_bounds(&self, radicand: &Radicand, bits: u32) -> (S, S) {
        let key = (radicand.clone(), bits);
        if let Some(found) = self.cache.borrow().get(&key) {
            return found.clone();
        }
        let bounds = self.radicand_value(radicand).sqrt_bounds(bits);
        self.cache.borrow_mut().insert(key, bounds.clone());
        bounds
    }

    /// The product of two numbers.
    pub fn mul(&self, a: &Surd<S>, b: &Surd<S>) -> Surd<S> {
        let mut terms = Vec::with_capacity(a.terms.len() * b.terms.len());
        for (ra, ca) in &a.terms {
            for (rb, cb) in &b.terms {
                let (primes, common) = combine(&ra.primes, &rb.primes);
                let mut coefficient = ca.clone() * cb.clone() * product(&common);
                if ra.residue
                    && rb.residue
                    && let Some(r) = &self.residue
                {
                    coefficient = coefficient * big_to_scalar(r);
                }
                terms.push((
                    Radicand {
                        primes,
                        residue: ra.residue != rb.residue,
                    },
                    coefficient,
                ));
            }
        }
        Surd::collect(terms)
    }

    /// An enclosure of the value at the given precision (a point when the number is rational).
    pub fn enclosure(&self, x: &Surd<S>, bits: u32) -> Enclosure<S> {
        let mut lo = S::zero();
        let mut hi = S::zero();
        for (radicand, c) in &x.terms {
            if radicand.is_one() {
                lo += c;
                hi += c;
                continue;
            }
            let (root_lo, root_hi) = self.root_bounds(radicand, bits);
            let (a, b) = (c.clone() * root_lo, c.clone() * root_hi);
            if c.is_negative() {
                lo += &b;
                hi += &a;
            } else {
                lo += &a;
                hi += &b;
            }
        }
        Enclosure { lo, hi }
    }

    /// The value as an `f64` (the midpoint of a 64-bit enclosure), for reports.
    pub fn to_f64(&self, x: &Surd<S>) -> f64 {
        self.enclosure(x, tolerance::ENCLOSURE_START_BITS).to_f64()
    }

    /// The precision that certainly decides the sign of a nonzero `x` (module documentation).
    pub fn certified_bits(&self, x: &Surd<S>) -> u64 {
        let bits = |n: &BigInt| n.bits() as i64;
        let mut generators: Vec<u64> = Vec::new();
        let mut residue = false;
        let mut denominator_bits = 0i64;
        let mut height_bits = i64::MIN;
        let residue_bits = self.residue.as_ref().map_or(0, bits);
        for (radicand, c) in &x.terms {
            generators.extend(&radicand.primes);
            residue |= radicand.residue;
            let Some(value) = c.to_rational() else {
                return u64::MAX;
            };
            denominator_bits = denominator_bits.saturating_add(bits(value.denom()));
            // log2 (|c| sqrt(m)) < bits(numerator) − bits(denominator) + 1 + (bits(m) + 1) / 2.
            let radicand_bits: i64 = radicand
                .primes
                .iter()
                .map(|p| 64 - i64::from(p.leading_zeros()))
                .sum::<i64>()
                + if radicand.residue { residue_bits } else { 0 };
            let term_bits =
                bits(value.numer()) - bits(value.denom()) + 1 + (radicand_bits + 1) / 2 + 1;
            height_bits = height_bits.max(term_bits);
        }
        generators.sort_unstable();
        generators.dedup();
        let t = generators.len() as u32 + u32::from(residue);
        if t >= 40 {
            return u64::MAX;
        }
        let count_bits = 64 - i64::from((x.terms.len() as u64).leading_zeros());
        let height_bits = (height_bits.saturating_add(count_bits)).max(0) as u64;
        let per_conjugate = (denominator_bits.max(0) as u64).saturating_add(height_bits);
        (1u64 << t)
            .saturating_mul(per_conjugate)
            .saturating_add(height_bits)
            .saturating_add(8)
    }

    /// The sign of `x`: exact for a rational, else from enclosures refined from
    /// [`tolerance::ENCLOSURE_START_BITS`] by doubling up to the certified precision, or up to
    /// [`tolerance::ENCLOSURE_LIMIT_BITS`] if that is lower (then possibly `None`).
    pub fn sign(&self, x: &Surd<S>) -> SignDecision {
        if let Some(value) = x.rational_value() {
            return SignDecision {
                sign: Some(value.partial_cmp(&S::zero()).unwrap_or(Ordering::Equal)),
                bits: 0,
                needed_bits: 0,
            };
        }
        let needed_bits = self.certified_bits(x);
        let mut bits = tolerance::ENCLOSURE_START_BITS;
        loop {
            let enclosure = self.enclosure(x, bits);
            let zero = S::zero();
            let sign = if enclosure.lo > zero {
                Some(Ordering::Greater)
            } else if enclosure.hi < zero {
                Some(Ordering::Less)
            } else {
                None
            };
            let exhausted = u64::from(bits) >= needed_bits
                || bits >= tolerance::ENCLOSURE_LIMIT_BITS
                || sign.is_some();
            if exhausted {
                return SignDecision {
                    sign,
                    bits,
                    needed_bits,
                };
            }
            bits = bits.saturating_mul(2).min(tolerance::ENCLOSURE_LIMIT_BITS);
        }
    }

    /// Exact text: `c`, `sqrt(m) * c`, or a sum of such terms with ` + `.
    pub fn text(&self, x: &Surd<S>, number: impl Fn(&S) -> Option<String>) -> Option<String> {
        if x.terms.is_empty() {
            return number(&S::zero());
        }
        let mut parts = Vec::with_capacity(x.terms.len());
        for (radicand, c) in &x.terms {
            let c = number(c)?;
            if radicand.is_one() {
                parts.push(c);
            } else {
                let m = number(&self.radicand_value(radicand))?;
                parts.push(format!("sqrt({m}) * {c}"));
            }
        }
        Some(parts.join(" + "))
    }
}

impl<S: Scalar> Surd<S> {
    /// Zero.
    pub fn zero() -> Self {
        Surd { terms: Vec::new() }
    }

    /// A rational number.
    pub fn rational(c: S) -> Self {
        Surd::term(Radicand::one(), c)
    }

    fn term(radicand: Radicand, c: S) -> Self {
        if c.is_zero() {
            Surd::zero()
        } else {
            Surd {
                terms: vec![(radicand, c)],
            }
        }
    }

    /// Sorts terms by class, adds the coefficients of equal classes and drops zeros.
    fn collect(mut terms: Vec<(Radicand, S)>) -> Self {
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        let mut merged: Vec<(Radicand, S)> = Vec::with_capacity(terms.len());
        for (radicand, c) in terms {
            match merged.last_mut() {
                Some((last, sum)) if *last == radicand => *sum += &c,
                _ => merged.push((radicand, c)),
            }
        }
        merged.retain(|(_, c)| !c.is_zero());
        Surd { terms: merged }
    }

    /// `self + other`.
    pub fn add(&self, other: &Self) -> Self {
        Surd::collect(self.terms.iter().chain(&other.terms).cloned().collect())
    }

    /// `self + c` for a rational `c`.
    pub fn add_rational(&self, c: &S) -> Self {
        self.add(&Surd::rational(c.clone()))
    }

    /// `c · self` for a rational `c`.
    pub fn scale(&self, c: &S) -> Self {
        Surd::collect(
            self.terms
                .iter()
                .map(|(r, k)| (r.clone(), k.clone() * c.clone()))
                .collect(),
        )
    }

    /// `self − other`.
    pub fn sub(&self, other: &Self) -> Self {
        self.add(&other.scale(&-S::one()))
    }

    /// The value when it is rational.
    pub fn rational_value(&self) -> Option<S> {
        match self.terms.as_slice() {
            [] => Some(S::zero()),
            [(radicand, c)] if radicand.is_one() => Some(c.clone()),
            _ => None,
        }
    }

    /// The number of terms.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn products_of_roots_collapse_and_classes_are_canonical() {
        let (classes, _) = SquareClasses::<Rational>::new(&[2, 6, 8], None);
        let root2 = classes.sqrt_integer(2);
        // sqrt(2) · sqrt(2) / 10 = 1/5: the tie of a Dirac chain with two adjacent atoms.
        let tenth = classes.mul(&root2, &root2).scale(&r(1, 10));
        assert_eq!(tenth.rational_value(), Some(r(1, 5)));
        // sqrt(8) = 2 sqrt(2); sqrt(2) sqrt(6) = 2 sqrt(3).
        assert_eq!(classes.sqrt_integer(8), root2.scale(&r(2, 1)));
        let six = classes.mul(&root2, &classes.sqrt_integer(6));
        assert_eq!(
            classes.text(&six, |c| Some(c.to_string())).unwrap(),
            "sqrt(3) * 2"
        );
        // 1/5 + sqrt(2)/5 − (1/5 + sqrt(2)/5) is exactly zero.
        let epsilon = root2.scale(&r(1, 5)).add_rational(&r(1, 5));
        assert_eq!(epsilon.sub(&epsilon), Surd::zero());
        assert_eq!(
            classes.sign(&epsilon.sub(&epsilon)).sign,
            Some(Ordering::Equal)
        );
    }

    #[test]
    fn the_noise_root_keeps_a_residue_coprime_to_the_patch_primes() {
        // q0 = 3/50: sqrt(3/50) = sqrt(150)/50 = 5 sqrt(6)/50 = sqrt(2) sqrt(3)/10; with the
        // prime 2 known, the residue is 3.
        let (classes, root) = SquareClasses::<Rational>::new(&[2], Some(&r(3, 50)));
        let root = root.unwrap();
        let squared = classes.mul(&root, &root);
        assert_eq!(squared.rational_value(), Some(r(3, 50)));
        let text = classes.text(&root, |c| Some(c.to_string())).unwrap();
        assert_eq!(text, "sqrt(6) * 1/10");
        // A square noise energy gives a rational root.
        let (_, root) = SquareClasses::<Rational>::new(&[2], Some(&r(1, 100)));
        assert_eq!(root.unwrap().rational_value(), Some(r(1, 10)));
    }

    #[test]
    fn signs_far_below_a_fixed_cap_are_decided_by_a_cap_derived_from_the_numbers() {
        let (classes, _) = SquareClasses::<Rational>::new(&[2], None);
        let epsilon = classes
            .sqrt_integer(2)
            .scale(&r(1, 5))
            .add_rational(&r(1, 5));
        // β = ε ± 2^-5002, rounded to a rational: far beyond 4096 bits.
        let (lo, hi) = (Rational::from_integer(BigInt::from(2)) * r(1, 25)).sqrt_bounds(6000);
        let near = (lo + hi) / Rational::from_integer(BigInt::from(2)) + r(1, 5);
        let tiny = Rational::new(BigInt::one(), BigInt::one() << 5002usize);
        for (beta, expected) in [
            (near.clone() + tiny.clone(), Ordering::Less),
            (near - tiny, Ordering::Greater),
        ] {
            let decision = classes.sign(&epsilon.add_rational(&-beta));
            assert_eq!(decision.sign, Some(expected));
            assert!(
                decision.bits > 4096
                    && u64::from(decision.bits) <= decision.needed_bits.max(8192) * 2
            );
        }
    }
}
