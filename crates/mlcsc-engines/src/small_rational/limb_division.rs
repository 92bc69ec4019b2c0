//! The remainder of two naturals on little-endian 64-bit limbs, on the stack: Knuth's
//! algorithm D (TAOCP vol. 2, §4.3.1) for the Euclidean steps of Lehmer's gcd (`lehmer.rs`).
//!
//! The divisor is shifted so that its top limb has its high bit set; each quotient limb is then
//! estimated from the top two limbs of the running remainder and the top limb of the divisor,
//! corrected by the second limb of the divisor (at most two decrements), and the product of
//! the estimate and the divisor is subtracted; a negative result (the estimate one too large,
//! rare) adds the divisor back.

/// The longest dividend handled on the stack, in limbs (1024 bits).
pub(super) const MAX_LIMBS: usize = 16;

/// `out ← x · 2^shift` for `shift < 64`, `out` as long as `x`; returns the limb shifted out.
fn shift_left(x: &[u64], shift: u32, out: &mut [u64]) -> u64 {
    if shift == 0 {
        out.copy_from_slice(x);
        return 0;
    }
    let mut carry = 0u64;
    for (o, &limb) in out.iter_mut().zip(x) {
        *o = (limb << shift) | carry;
        carry = limb >> (64 - shift);
    }
    carry
}

/// `u[j..j + n + 1] −= q · v` (`n = v.len()`); returns whether the result went negative (it is
/// then kept modulo `2^(64 (n + 1))`).
fn subtract_multiple(u: &mut [u64], q: u64, v: &[u64]) -> bool {
    let (mut carry, mut borrow) = (0u64, false);
    for (x, &limb) in u.iter_mut().zip(v) {
        let product = u128::from(q) * u128::from(limb) + u128::from(carry);
        carry = (product >> 64) as u64;
        let (difference, first) = x.overflowing_sub(product as u64);
        let (difference, second) = difference.overflowing_sub(u64::from(borrow));
        *x = difference;
        borrow = first || second;
    }
    let top = &mut u[v.len()];
    let (difference, first) = top.overflowing_sub(carry);
    let (difference, second) = difference.overflowing_sub(u64::from(borrow));
    *top = difference;
    first || second
}

/// `u[j..j + n + 1] += v`, dropping the carry out of the top limb (it cancels the borrow of a
/// subtraction that went negative).
fn add_back(u: &mut [u64], v: &[u64]) {
    let mut carry = false;
    for (x, &limb) in u.iter_mut().zip(v) {
        let (sum, first) = x.overflowing_add(limb);
        let (sum, second) = sum.overflowing_add(u64::from(carry));
        *x = sum;
        carry = first || second;
    }
    let top = &mut u[v.len()];
    *top = top.wrapping_add(u64::from(carry));
}

/// The estimate `q̂` of the quotient limb of `(u₂ u₁ u₀) / (v₁ v₀)` for a normalized `v₁` and
/// `(u₂ u₁) < (v₁ v₀)`: Knuth's step D3, never too small and at most one too large.
fn estimate(u2: u64, u1: u64, u0: u64, v1: u64, v0: u64) -> u64 {
    let top = (u128::from(u2) << 64) | u128::from(u1);
    let (mut q, mut r) = (top / u128::from(v1), top % u128::from(v1));
    while q > u128::from(u64::MAX) || q * u128::from(v0) > ((r << 64) | u128::from(u0)) {
        q -= 1;
        r += u128::from(v1);
        if r > u128::from(u64::MAX) {
            break;
        }
    }
    q as u64
}

/// `a ← a mod b` for trimmed limbs, `b` at least two limbs long with `a` at most
/// [`MAX_LIMBS`] long (`false`, and `a` untouched, otherwise); the result is trimmed. Counts
/// the quotient limbs whose estimate was one too large in `corrections` (for the tests).
pub(super) fn remainder(a: &mut Vec<u64>, b: &[u64], corrections: &mut usize) -> bool {
    let (m, n) = (a.len(), b.len());
    if n < 2 || m > MAX_LIMBS || b[n - 1] == 0 {
        return false;
    }
    if m < n {
        return true;
    }
    let shift = b[n - 1].leading_zeros();
    let mut v = [0u64; MAX_LIMBS];
    let mut u = [0u64; MAX_LIMBS + 1];
    let v = &mut v[..n];
    shift_left(b, shift, v);
    u[m] = shift_left(a, shift, &mut u[..m]);
    let (v1, v0) = (v[n - 1], v[n - 2]);
    for j in (0..=m - n).rev() {
        let q = estimate(u[j + n], u[j + n - 1], u[j + n - 2], v1, v0);
        if subtract_multiple(&mut u[j..=j + n], q, v) {
            add_back(&mut u[j..=j + n], v);
            *corrections += 1;
        }
    }
    // The remainder is `u[..n] / 2^shift`.
    a.clear();
    a.extend((0..n).map(|i| {
        let high = if shift == 0 {
            0
        } else {
            u[i + 1] << (64 - shift)
        };
        (u[i] >> shift) | high
    }));
    while a.last() == Some(&0) {
        a.pop();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn value(limbs: &[u64]) -> BigUint {
        (limbs.iter().rev()).fold(BigUint::default(), |v, &l| (v << 64u32) + BigUint::from(l))
    }

    /// Remainders equal `num-bigint`'s over limbs drawn from the values that exercise the
    /// estimate's corrections (zeros, all ones, the high bit alone, small and random limbs),
    /// of every pair of lengths up to 9 limbs and at the longest dividend; counts the add-backs.
    #[test]
    fn remainders_equal_num_bigint() {
        let mut stream = crate::test_stream::xorshift(0x1f83_d9ab_fb41_bd6b);
        let mut limb = || {
            let r = stream();
            match r % 8 {
                0 => 0,
                1 => u64::MAX,
                2 => 1 << 63,
                3 => u64::MAX - 1,
                4 => r >> 60,
                5 => (1 << 63) - 1,
                _ => stream(),
            }
        };
        let (mut corrections, mut compared) = (0usize, 0usize);
        for case in 0..200_000 {
            let n = 2 + case % 8;
            let m = if case % 97 == 0 {
                MAX_LIMBS
            } else {
                1 + (case / 8) % 10
            };
            let mut b: Vec<u64> = (0..n).map(|_| limb()).collect();
            if b[n - 1] == 0 {
                b[n - 1] = 1 + (case as u64 % 3);
            }
            let mut a: Vec<u64> = (0..m).map(|_| limb()).collect();
            while a.last() == Some(&0) {
                a.pop();
            }
            let expected = value(&a) % value(&b);
            assert!(remainder(&mut a, &b, &mut corrections));
            assert_eq!(value(&a), expected, "case {case}");
            assert!(a.last() != Some(&0), "trimmed");
            compared += 1;
        }
        assert!(corrections >= 20, "{corrections} add-backs in {compared}");
        // Beyond the stack's length, or a divisor of one limb: declined, untouched.
        let mut long = vec![1u64; MAX_LIMBS + 1];
        assert!(!remainder(&mut long, &[3, 1], &mut corrections));
        assert_eq!(long, vec![1u64; MAX_LIMBS + 1]);
        assert!(!remainder(&mut long, &[3], &mut corrections));
    }
}
