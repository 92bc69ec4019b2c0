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
use num_traits::Signed;

use crate::enclosure::Enclosure;
use crate::scalar::{Rational, Scalar};
use crate::tolerance;

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

    /// Whether this is the class of the rationals.
    pub fn is_one(&self) -> bool {
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
    /// The precision that certainly decides a nonzero number (0 when exact, or when the sign
    /// was decided without it; it is read only when the sign is `None`).
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

impl<S: Scalar> Surd<S> {
    /// Zero.
    pub fn zero() -> Self {
        Surd { terms: Vec::new() }
    }

    /// The terms `(class, coefficient)`, ordered by class, with no zero coefficient.
    pub fn terms(&self) -> &[(Radicand, S)] {
        &self.terms
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

    /// `self + c` for a rational `c`: the rational class sorts first, so `c` joins the first
    /// term or goes before all (the same terms as [`Surd::add`] gives).
    pub fn add_rational(&self, c: &S) -> Self {
        let mut terms = self.terms.clone();
        if c.is_zero() {
            return Surd { terms };
        }
        match terms.first_mut() {
            Some((radicand, k)) if radicand.is_one() => {
                *k += c;
                if k.is_zero() {
                    terms.remove(0);
                }
            }
            _ => terms.insert(0, (Radicand::one(), c.clone())),
        }
        Surd { terms }
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

    /// `−self`: every coefficient negated (the classes, and so their order, unchanged).
    pub fn negated(&self) -> Self {
        let terms = self.terms.iter().map(|(r, c)| (r.clone(), -c.clone()));
        Surd {
            terms: terms.collect(),
        }
    }

    /// `self − other`.
    pub fn sub(&self, other: &Self) -> Self {
        self.add(&other.negated())
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

mod square_classes;
mod square_part;
#[cfg(test)]
mod tests;
