//! Natural numbers of at most [`LIMBS`] 64-bit limbs, on the stack: the few operations the
//! report's exact sums and products need (products, sums and differences, remainders and exact
//! quotients by divisors below `2^96`, shifts), each refusing (`None`) a result that does not
//! fit.

use num_bigint::{BigInt, Sign};

/// The most limbs of any number here (640 bits).
pub(super) const LIMBS: usize = 10;

/// A natural number of at most [`LIMBS`] limbs, least significant first; `len` limbs are in
/// use and the highest of them is nonzero (zero has none).
#[derive(Clone, Copy)]
pub(super) struct Natural {
    pub(super) limbs: [u64; LIMBS],
    pub(super) len: usize,
}

impl Natural {
    pub(super) const ZERO: Natural = Natural {
        limbs: [0; LIMBS],
        len: 0,
    };

    /// The magnitude of `x`, when it fits.
    pub(super) fn of_big(x: &BigInt) -> Option<Natural> {
        let digits = x.magnitude().iter_u64_digits();
        if digits.len() > LIMBS {
            return None;
        }
        let mut n = Natural::ZERO;
        for (slot, digit) in n.limbs.iter_mut().zip(digits) {
            *slot = digit;
            n.len += 1;
        }
        Some(n)
    }

    /// `x`.
    pub(super) fn of_u128(x: u128) -> Natural {
        let mut n = Natural::ZERO;
        n.limbs[0] = x as u64;
        n.limbs[1] = (x >> 64) as u64;
        n.len = if x >> 64 != 0 { 2 } else { usize::from(x != 0) };
        n
    }

    /// The value, when it fits two limbs.
    pub(super) fn two_words(&self) -> Option<u128> {
        (self.len <= 2).then(|| u128::from(self.limbs[0]) | u128::from(self.limbs[1]) << 64)
    }

    /// Drops leading zero limbs.
    pub(super) fn trimmed(mut self) -> Natural {
        while self.len > 0 && self.limbs[self.len - 1] == 0 {
            self.len -= 1;
        }
        self
    }

    pub(super) fn is_zero(&self) -> bool {
        self.len == 0
    }

    /// The number of significant bits.
    pub(super) fn bits(&self) -> u64 {
        match self.len {
            0 => 0,
            len => 64 * len as u64 - u64::from(self.limbs[len - 1].leading_zeros()),
        }
    }

    /// The number of trailing zero bits (`None` for zero).
    pub(super) fn trailing_zeros(&self) -> Option<u64> {
        let index = self.limbs[..self.len].iter().position(|&l| l != 0)?;
        Some(64 * index as u64 + u64::from(self.limbs[index].trailing_zeros()))
    }

    /// `self mod m` for `1 ≤ m < 2^96`, one pass over the limbs from the top: in whole limbs
    /// for a one-word `m`, else in half limbs (the running remainder stays below `2^96`, so
    /// each step's dividend fits 128 bits).
    pub(super) fn remainder(&self, m: u128) -> u128 {
        debug_assert!(m >= 1 && m >> 96 == 0);
        let limbs = self.limbs[..self.len].iter().rev();
        if m >> 64 == 0 {
            limbs.fold(0u128, |rest, &limb| ((rest << 64) | u128::from(limb)) % m)
        } else {
            limbs.fold(0u128, |rest, &limb| {
                let rest = ((rest << 32) | u128::from(limb >> 32)) % m;
                ((rest << 32) | u128::from(limb & 0xffff_ffff)) % m
            })
        }
    }

    /// `self / m` for a divisor `1 ≤ m < 2^96` of `self`, then shifted right by `shift` bits.
    pub(super) fn divided(&self, m: u128, shift: u64) -> Natural {
        debug_assert!(m >= 1 && m >> 96 == 0);
        if m == 1 {
            return self.shifted_right(shift);
        }
        let mut q = *self;
        let mut rest = 0u128;
        if m >> 64 == 0 {
            for limb in q.limbs[..q.len].iter_mut().rev() {
                let current = (rest << 64) | u128::from(*limb);
                *limb = (current / m) as u64;
                rest = current % m;
            }
        } else {
            for limb in q.limbs[..q.len].iter_mut().rev() {
                let high = (rest << 32) | u128::from(*limb >> 32);
                let (high_quotient, high_rest) = (high / m, high % m);
                let low = (high_rest << 32) | u128::from(*limb & 0xffff_ffff);
                *limb = ((high_quotient as u64) << 32) | (low / m) as u64;
                rest = low % m;
            }
        }
        debug_assert_eq!(rest, 0, "an exact division");
        q.trimmed().shifted_right(shift)
    }

    /// `⌊self / 2^shift⌋`.
    pub(super) fn shifted_right(&self, shift: u64) -> Natural {
        let (whole, bits) = ((shift / 64) as usize, (shift % 64) as u32);
        if whole >= self.len {
            return Natural::ZERO;
        }
        let mut out = Natural::ZERO;
        out.len = self.len - whole;
        for i in 0..out.len {
            let low = self.limbs[i + whole] >> bits;
            let high = match (bits, self.limbs.get(i + whole + 1)) {
                (0, _) | (_, None) => 0,
                (_, Some(&next)) => next << (64 - bits),
            };
            out.limbs[i] = low | high;
        }
        out.trimmed()
    }

    /// `self · 2^shift`, when it fits.
    pub(super) fn shifted_left(&self, shift: u64) -> Option<Natural> {
        if self.is_zero() {
            return Some(Natural::ZERO);
        }
        if self.bits() + shift > 64 * LIMBS as u64 {
            return None;
        }
        let (whole, bits) = ((shift / 64) as usize, (shift % 64) as u32);
        let mut out = Natural::ZERO;
        for i in 0..self.len {
            out.limbs[i + whole] |= self.limbs[i] << bits;
            if bits != 0 && i + whole + 1 < LIMBS {
                out.limbs[i + whole + 1] |= self.limbs[i] >> (64 - bits);
            }
        }
        out.len = (self.len + whole + 1).min(LIMBS);
        Some(out.trimmed())
    }

    /// The big integer `±self`.
    pub(super) fn big_integer(&self, negative: bool) -> BigInt {
        let mut halves = [0u32; 2 * LIMBS];
        for (i, &limb) in self.limbs[..self.len].iter().enumerate() {
            halves[2 * i] = limb as u32;
            halves[2 * i + 1] = (limb >> 32) as u32;
        }
        let sign = if negative { Sign::Minus } else { Sign::Plus };
        BigInt::from_slice(sign, &halves[..2 * self.len])
    }

    /// `self · other`, when it fits.
    pub(super) fn times(&self, other: &Natural) -> Option<Natural> {
        if self.is_zero() || other.is_zero() {
            return Some(Natural::ZERO);
        }
        if self.len + other.len > LIMBS + 1 {
            return None;
        }
        let mut wide = [0u64; LIMBS + 1];
        for (i, &x) in self.limbs[..self.len].iter().enumerate() {
            let mut carry = 0u128;
            for (j, &y) in other.limbs[..other.len].iter().enumerate() {
                let sum = u128::from(x) * u128::from(y) + u128::from(wide[i + j]) + carry;
                wide[i + j] = sum as u64;
                carry = sum >> 64;
            }
            let top = i + other.len;
            if top <= LIMBS {
                wide[top] = carry as u64;
            } else if carry != 0 {
                return None;
            }
        }
        if wide[LIMBS] != 0 {
            return None;
        }
        let mut out = Natural::ZERO;
        out.limbs.copy_from_slice(&wide[..LIMBS]);
        out.len = LIMBS;
        Some(out.trimmed())
    }

    /// `self + other`, when it fits.
    pub(super) fn plus(&self, other: &Natural) -> Option<Natural> {
        let mut out = Natural::ZERO;
        let mut carry = false;
        for i in 0..self.len.max(other.len) {
            let (sum, first) = self.limbs[i].overflowing_add(other.limbs[i]);
            let (sum, second) = sum.overflowing_add(u64::from(carry));
            out.limbs[i] = sum;
            carry = first || second;
        }
        out.len = self.len.max(other.len);
        if carry {
            if out.len == LIMBS {
                return None;
            }
            out.limbs[out.len] = 1;
            out.len += 1;
        }
        Some(out)
    }

    /// `self − other` for `other ≤ self`.
    pub(super) fn minus(&self, other: &Natural) -> Natural {
        let mut out = *self;
        let mut borrow = false;
        for i in 0..self.len {
            let (difference, first) = self.limbs[i].overflowing_sub(other.limbs[i]);
            let (difference, second) = difference.overflowing_sub(u64::from(borrow));
            out.limbs[i] = difference;
            borrow = first || second;
        }
        out.trimmed()
    }

    /// The order of two naturals.
    pub(super) fn compare(&self, other: &Natural) -> std::cmp::Ordering {
        self.len.cmp(&other.len).then_with(|| {
            let (x, y) = (&self.limbs[..self.len], &other.limbs[..other.len]);
            x.iter().rev().cmp(y.iter().rev())
        })
    }
}
