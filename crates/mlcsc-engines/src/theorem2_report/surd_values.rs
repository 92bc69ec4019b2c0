//! The `f64` values of one report's surds, each what [`SquareClasses::to_f64`] gives: the
//! midpoint of the enclosure at [`ENCLOSURE_START_BITS`] bits, whose ends are exact rationals.
//!
//! The enclosure of each irrational part is summed once. A layer's `ε_{i-1}`, window ends and
//! entrywise bound are `ε_{i-1}` plus or minus a rational, so they share its irrational part
//! (or its negative): of the five surds of a layer only `ε_i` needs a new one. The ends are
//! exact rationals, so the irrational part's ends plus the rational term are the
//! specification's ends, value for value (in `f64`, where sums depend on their order, every
//! surd takes the specification's sum).
//!
//! Two steps run on machine words where the numbers allow (`word_ends`), with the same exact
//! values: the enclosure of `sqrt(m)` for a radicand `m < 2^64` with its products by the
//! coefficients, and the sum of an end and a rational term whose denominator fits two words,
//! reduced by gcds of words. Both are first tried on fixed arrays of limbs (`fixed_products`,
//! `fixed_sums`), with the same cancellations and gcds; the sum is converted to `f64` there, as
//! the specification converts the reduced fraction. A part of one term keeps that term's ends
//! as they stand (a sum with zero); a part of several sums them in the scalar. Every other root and sum is taken in the scalar, as the specification
//! takes it. An `f64` of an exact rational is a function of its value (of its reduced
//! fraction), so every way gives the same `f64`.

use mlcsc_spec::enclosure::Enclosure;
use mlcsc_spec::scalar::{Rational, Scalar};
use mlcsc_spec::theorems::surd::{Radicand, SquareClasses, Surd};
use mlcsc_spec::tolerance::ENCLOSURE_START_BITS;

use super::fixed_products::product;
use super::fixed_sums::{Fraction, rational_in_f64, sum_of_fractions};
use super::word_ends::{scaled_root, sum_with_word_denominator};

/// An irrational part met: its terms and the ends of its enclosure, as big rationals and on
/// fixed limbs when they fit.
struct Part<S> {
    terms: Vec<(Radicand, S)>,
    ends: (Rational, Rational),
    fixed: Option<(Fraction, Fraction)>,
}

/// How often each way was taken (read by the tests, which require both ways of each step).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Ways {
    /// Roots of radicands below `2^64`, on words.
    pub(crate) word_roots: usize,
    /// Roots of larger radicands, in the scalar.
    pub(crate) scalar_roots: usize,
    /// Ends plus a rational term, reduced and converted on fixed limbs.
    pub(crate) limb_sums: usize,
    /// Ends plus a rational term whose denominator fits two words, reduced on words.
    pub(crate) word_sums: usize,
    /// Ends plus any other rational term, in the scalar.
    pub(crate) scalar_sums: usize,
}

/// The `f64` values of one report's surds (module documentation).
pub(crate) struct SurdValues<'a, S> {
    classes: &'a SquareClasses<S>,
    /// The irrational parts met so far.
    known: Vec<Part<S>>,
    ways: Ways,
}

impl<'a, S: Scalar> SurdValues<'a, S> {
    /// No part known yet.
    pub(crate) fn new(classes: &'a SquareClasses<S>) -> Self {
        SurdValues {
            classes,
            known: Vec::new(),
            ways: Ways::default(),
        }
    }

    /// The square classes the surds are written in.
    pub(crate) fn classes(&self) -> &'a SquareClasses<S> {
        self.classes
    }

    /// How often each way was taken so far.
    #[cfg(test)]
    pub(crate) fn ways(&self) -> Ways {
        self.ways
    }

    /// `classes.to_f64(x)`.
    pub(crate) fn value_of(&mut self, x: &Surd<S>) -> f64 {
        if !S::EXACT {
            return self.classes.to_f64(x);
        }
        let (lo, hi) = self.ends_in_f64(x);
        Enclosure { lo, hi }.to_f64()
    }

    /// The `f64` of each end of the enclosure of an exact `x` at [`ENCLOSURE_START_BITS`] bits.
    fn ends_in_f64(&mut self, x: &Surd<S>) -> (f64, f64) {
        // The rational class sorts first.
        let terms = x.terms();
        let (rational, irrational) = match terms.first() {
            Some((radicand, c)) if radicand.is_one() => (Some(c), &terms[1..]),
            _ => (None, terms),
        };
        if irrational.is_empty() {
            // A point: `0 + c` at both ends.
            let point = rational.map_or_else(|| S::zero().to_f64(), S::to_f64);
            return (point, point);
        }
        let (index, negated) = self.part(irrational);
        let part = &self.known[index];
        let (lo, hi) = &part.ends;
        let (lo, hi) = if negated { (hi, lo) } else { (lo, hi) };
        let fixed = (part.fixed.as_ref()).map(|(f, g)| if negated { (g, f) } else { (f, g) });
        let Some(c) = rational else {
            return match fixed {
                Some((f, g)) => (f.value_in_f64(negated), g.value_in_f64(negated)),
                None => (rational_in_f64(lo, negated), rational_in_f64(hi, negated)),
            };
        };
        let c_exact = (c.to_rational()).expect("an exact scalar has a rational value");
        if let (Some((f, g)), Some(c_fixed)) = (fixed, Fraction::of(&c_exact))
            && let (Some(lo), Some(hi)) = (
                sum_of_fractions(f, negated, &c_fixed),
                sum_of_fractions(g, negated, &c_fixed),
            )
        {
            self.ways.limb_sums += 2;
            return (lo, hi);
        }
        if let (Some(lo), Some(hi)) = (
            sum_with_word_denominator(lo, negated, &c_exact),
            sum_with_word_denominator(hi, negated, &c_exact),
        ) {
            self.ways.word_sums += 2;
            return (
                S::from_rational(&lo).to_f64(),
                S::from_rational(&hi).to_f64(),
            );
        }
        self.ways.scalar_sums += 2;
        let scalar = |x: &Rational| {
            let x = S::from_rational(x);
            if negated { -x } else { x }
        };
        let (mut lo, mut hi) = (scalar(lo), scalar(hi));
        lo += c;
        hi += c;
        (lo.to_f64(), hi.to_f64())
    }

    /// [`Self::ends_in_f64`], for the tests.
    #[cfg(test)]
    pub(crate) fn ends_of(&mut self, x: &Surd<S>) -> (f64, f64) {
        self.ends_in_f64(x)
    }

    /// The index of the part equal to `irrational` or to its negative (then `true`), summed
    /// here when it is new: `c sqrt(m)` between `c lo(m)` and `c hi(m)`, ends swapped for a
    /// negative `c`, as the specification sums them.
    fn part(&mut self, irrational: &[(Radicand, S)]) -> (usize, bool) {
        for (index, part) in self.known.iter().enumerate() {
            if part.terms.as_slice() == irrational {
                return (index, false);
            }
            // Coefficients of one sign are not negatives of each other (zero aside, where a new
            // part is summed: the same ends).
            let negated = part.terms.len() == irrational.len()
                && (part.terms.iter().zip(irrational)).all(|((r, c), (s, d))| {
                    r == s && c.is_negative() != d.is_negative() && *c == -d.clone()
                });
            if negated {
                return (index, true);
            }
        }
        let exact = |x: &S| {
            x.to_rational()
                .expect("an exact scalar has a rational value")
        };
        // Each term's ends, lower first; one term's are the part's as they stand.
        let mut ends = Vec::with_capacity(irrational.len());
        for (radicand, c) in irrational {
            let (a, b) = match self.word_root(radicand) {
                Some((k, r, point)) => {
                    let c = exact(c);
                    let a = product(&c, r, k);
                    let b = if point {
                        a.clone()
                    } else {
                        product(&c, r + 1, k)
                    };
                    (a, b)
                }
                None => {
                    let value = self.classes.radicand_value(radicand);
                    let (root_lo, root_hi) = value.sqrt_bounds(ENCLOSURE_START_BITS);
                    (exact(&(c.clone() * root_lo)), exact(&(c.clone() * root_hi)))
                }
            };
            ends.push(if c.is_negative() { (b, a) } else { (a, b) });
        }
        let ends = if ends.len() == 1 {
            ends.pop().expect("one term")
        } else {
            let (mut lo, mut hi) = (S::zero(), S::zero());
            for (a, b) in &ends {
                lo += &S::from_rational(a);
                hi += &S::from_rational(b);
            }
            (exact(&lo), exact(&hi))
        };
        let fixed = Fraction::of(&ends.0).zip(Fraction::of(&ends.1));
        self.known.push(Part {
            terms: irrational.to_vec(),
            ends,
            fixed,
        });
        (self.known.len() - 1, false)
    }

    /// `k`, `r` and whether the enclosure is a point, of the specification's enclosure
    /// `[r / 2^k, (r + 1) / 2^k]` of `sqrt(m)` at [`ENCLOSURE_START_BITS`] bits for the
    /// radicand's value `m`, when `m < 2^64` (`None` otherwise: the scalar encloses it).
    fn word_root(&mut self, radicand: &Radicand) -> Option<(u32, u128, bool)> {
        let word = (self.classes.radicand_word(radicand)).and_then(|m| u64::try_from(m).ok());
        let root = word.and_then(|m| scaled_root(m, ENCLOSURE_START_BITS));
        if root.is_some() {
            self.ways.word_roots += 1;
        } else {
            self.ways.scalar_roots += 1;
        }
        root
    }
}

#[cfg(test)]
mod tests;
