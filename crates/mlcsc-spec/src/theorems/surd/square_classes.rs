//! The square classes of one instance and the sign of a surd decided by them.

use super::square_part::square_part;
use super::*;

/// The distinct prime factors of `n ≥ 1` with their exponents, by trial division.
pub(super) fn factor(mut n: u64) -> Vec<(u64, u32)> {
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
pub(super) fn combine(a: &[u64], b: &[u64]) -> (Vec<u64>, Vec<u64>) {
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

pub(super) fn big_to_scalar<S: Scalar>(n: &BigInt) -> S {
    S::from_rational(&Rational::from_integer(n.clone()))
}

pub(super) fn product<S: Scalar>(primes: &[u64]) -> S {
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
        // sqrt(P/Q) = sqrt(P Q) / Q = c sqrt(∏ odd · R) / Q.
        let split = square_part(&(value.numer() * value.denom()), &self.primes);
        let residue = split.residue.is_some();
        self.residue = split.residue;
        let (coefficient, odd) = (split.coefficient, split.odd);
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
    pub fn radicand_value(&self, radicand: &Radicand) -> S {
        let mut value: S = product(&radicand.primes);
        if radicand.residue
            && let Some(r) = &self.residue
        {
            value = value * big_to_scalar(r);
        }
        value
    }

    /// The value of a radicand ([`Self::radicand_value`]) when it is below `2^128`.
    pub fn radicand_word(&self, radicand: &Radicand) -> Option<u128> {
        let mut value = 1u128;
        for &p in &radicand.primes {
            value = value.checked_mul(u128::from(p))?;
        }
        if radicand.residue
            && let Some(r) = &self.residue
        {
            value = value.checked_mul(u128::try_from(r).ok()?)?;
        }
        Some(value)
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
                // `sqrt(m_a) sqrt(m_b) = ∏ common · sqrt(∏ primes)`; an empty product is 1.
                let mut coefficient = ca.clone() * cb.clone();
                if !common.is_empty() {
                    coefficient = coefficient * product(&common);
                }
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
    pub fn certified_sign(&self, x: &Surd<S>) -> SignDecision {
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
