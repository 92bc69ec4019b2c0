//! The products of a rational coefficient by the ends `n / 2^k` of a root's enclosure, on fixed
//! limbs where the numbers fit, by the cross-cancellation of `word_ends::times_dyadic`: the
//! same reduced fraction, without big-integer arithmetic on the way.

use mlcsc_spec::scalar::Rational;
use num_bigint::Sign;

use super::fixed_limbs::Natural;
use super::word_ends::times_dyadic;
use crate::small_rational::gcd_u128;

/// The reduced `c · n / 2^k` for a reduced nonzero `c` and `n ≥ 1`: on fixed limbs when
/// [`product_on_limbs`] takes it, else [`times_dyadic`].
pub(super) fn product(c: &Rational, n: u128, k: u32) -> Rational {
    product_on_limbs(c, n, k).unwrap_or_else(|| times_dyadic(c, n, k))
}

/// [`times_dyadic`] on fixed limbs: with `n / 2^k` reduced to `r / 2^j` and `c = a/b`, the
/// reduced product is `((a / 2^t)(r / o)) / ((b / o) 2^(j − t))` with `2^t = gcd(a, 2^j)` and
/// `o = gcd(b mod r, r)`; `None` when `r ≥ 2^96` or a number does not fit.
pub(super) fn product_on_limbs(c: &Rational, n: u128, k: u32) -> Option<Rational> {
    let shift = n.trailing_zeros().min(k);
    let (r, j) = (n >> shift, u64::from(k - shift));
    if r >> 96 != 0 {
        return None;
    }
    let (a, b) = (Natural::of_big(c.numer())?, Natural::of_big(c.denom())?);
    let twos = a.trailing_zeros().unwrap_or(0).min(j);
    let odd = gcd_u128(b.remainder(r), r);
    let numerator = a.shifted_right(twos).times(&Natural::of_u128(r / odd))?;
    let denominator = b.divided(odd, 0).shifted_left(j - twos)?;
    Some(Rational::new_raw(
        numerator.big_integer(c.numer().sign() == Sign::Minus),
        denominator.big_integer(false),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;
    use num_integer::Integer;
    use num_traits::{One, Zero};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Products on limbs equal big-rational products, for coefficients of one to seven limbs
    /// over denominators sharing odd factors and powers of two with `n`, and `n` of up to 100
    /// bits; counts the products taken on limbs, those cancelled by an odd factor and by a
    /// power of two.
    #[test]
    fn products_on_limbs_equal_big_rational_products() {
        let mut rng = ChaCha8Rng::seed_from_u64(69);
        let word = |rng: &mut ChaCha8Rng| BigInt::from(rng.next_u64() >> (rng.next_u32() % 64));
        let (mut taken, mut odd, mut twos) = (0, 0, 0);
        for case in 0..20_000u32 {
            let shared = [1u64, 3, 5, 9, 25, 169, (1 << 40) + 1][case as usize % 7];
            let n = (u128::from(rng.next_u64()) << (rng.next_u32() % 40)) >> (rng.next_u32() % 64);
            let n = n.max(1) * u128::from([1, 3, 2, 8, shared][case as usize % 5]);
            let k = rng.next_u32() % 80;
            let limbs = 1 + case % 7;
            let mut a = BigInt::one();
            let mut b = BigInt::one();
            for _ in 0..limbs {
                a = a * word(&mut rng) + word(&mut rng);
                b = b * word(&mut rng) + word(&mut rng);
            }
            let b = (b + 1) * shared;
            let a = if case % 2 == 0 {
                a << (rng.next_u32() % 70)
            } else {
                -a
            };
            if a.is_zero() {
                continue;
            }
            let c = Rational::new(a, b);
            let expected = &c * Rational::new(BigInt::from(n), BigInt::one() << k);
            let Some(on_limbs) = product_on_limbs(&c, n, k) else {
                assert_eq!(product(&c, n, k), expected);
                continue;
            };
            assert_eq!(on_limbs.numer(), expected.numer(), "{c} · {n} / 2^{k}");
            assert_eq!(on_limbs.denom(), expected.denom(), "{c} · {n} / 2^{k}");
            taken += 1;
            let n_odd = BigInt::from(n >> n.trailing_zeros());
            odd += usize::from(c.denom().gcd(&n_odd) > BigInt::one());
            twos += usize::from(c.numer().trailing_zeros().unwrap_or(0) > 0 && k > 0);
        }
        println!("{taken} taken, {odd} odd cancellations, {twos} powers of two");
        assert!(
            taken >= 15_000 && odd >= 1_000 && twos >= 3_000,
            "{taken} {odd} {twos}"
        );
    }
}
