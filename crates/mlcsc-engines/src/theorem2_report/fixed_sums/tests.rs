use super::*;
use mlcsc_spec::scalar::rational_to_f64;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A word of random width.
fn word(rng: &mut ChaCha8Rng) -> BigInt {
    BigInt::from(rng.next_u64() >> (rng.next_u32() % 64))
}

/// A positive natural of one to `limbs` random words, sometimes times a shared factor or a power of two.
fn natural(rng: &mut ChaCha8Rng, limbs: u32, shared: &BigInt) -> BigInt {
    let mut x = BigInt::one();
    for _ in 0..1 + rng.next_u32() % limbs {
        x = x * word(rng) + word(rng);
    }
    let x = x + 1;
    match rng.next_u32() % 4 {
        0 => x * shared,
        1 => x << (rng.next_u32() % 90),
        _ => x,
    }
}

/// `±a/b + c/d` as the specification converts it, when the fixed limbs take it: bit for bit.
fn check(ab: &Rational, negate: bool, cd: &Rational) -> Option<f64> {
    let taken = sum_in_f64(ab, negate, cd)?;
    let exact = if negate { cd - ab } else { ab + cd };
    let expected = rational_to_f64(&exact);
    assert_eq!(taken.to_bits(), expected.to_bits(), "{ab} {negate} {cd}");
    Some(taken)
}

/// Sums of ends of one to six limbs over denominators sharing powers of two and odd factors
/// with the term's, and terms over one- and two-word denominators: every `f64` the fixed limbs
/// give is the specification's of the reduced sum; counts the sums taken, those that
/// `h = gcd(t, g) > 1` reduces, those converted by the machine quotient, and those with a
/// negative numerator whose floor lost bits, and those whose `d` has an odd part beyond a word.
#[test]
fn sums_in_f64_are_the_specification_values() {
    let mut rng = ChaCha8Rng::seed_from_u64(67);
    let factors = [1u64, 3, 5, 15, 25, 75, 169, 1 << 20, (1 << 40) + 1];
    let (mut taken, mut odd, mut small, mut floors, mut wide) = (0, 0, 0, 0, 0);
    for case in 0..40_000u32 {
        let shared = BigInt::from(factors[case as usize % factors.len()]);
        let limbs = [1, 2, 3, 6][(case / 9 % 4) as usize];
        let sign = if rng.next_u32() % 2 == 0 { 1 } else { -1 };
        let ab = Rational::new(
            natural(&mut rng, limbs, &shared) * sign,
            natural(&mut rng, limbs, &shared),
        );
        let d = match case % 3 {
            0 => natural(&mut rng, 1, &shared),
            1 => natural(&mut rng, 2, &shared),
            _ => BigInt::one() << (rng.next_u32() % 100),
        };
        let c = if case % 11 == 0 {
            BigInt::zero()
        } else {
            natural(&mut rng, 2, &shared) * if rng.next_u32() % 2 == 0 { 1 } else { -1 }
        };
        let cd = Rational::new(c, d);
        let negate = case % 4 < 2;
        if let Some(value) = check(&ab, negate, &cd) {
            taken += 1;
            let d = cd.denom().to_u128().expect("a taken d fits two words");
            wide += usize::from((d >> d.trailing_zeros()) >> 64 != 0);
            let exact = if negate { &cd - &ab } else { &ab + &cd };
            let scale = ab.denom() * cd.denom();
            odd += usize::from(exact.denom() * (ab.denom().gcd(cd.denom())) < scale);
            small += usize::from(exact.numer().bits() < 53 && exact.denom().bits() < 53);
            let shift = exact.numer().bits().saturating_sub(64);
            floors += usize::from(
                value < 0.0 && shift > 0 && exact.numer().trailing_zeros() < Some(shift),
            );
        }
        // A sum of zero, and a term equal to the end.
        let zero = sum_in_f64(&ab, true, &ab);
        if ab.denom().bits() <= 64 {
            assert_eq!(zero.map(f64::to_bits), Some(0.0f64.to_bits()));
        }
        check(&ab, false, &ab);
    }
    let counts =
        format!("{taken} taken, {odd} reduced by h, {small} small, {floors} floors, {wide} wide");
    println!("{counts}");
    assert!(
        taken >= 30_000 && odd >= 500 && small >= 300 && floors >= 5_000 && wide >= 2_000,
        "{counts}"
    );
}

/// Negative sums whose numerator's leading 64 bits sit one below a rounding boundary of `f64`
/// with bits shifted out below them: the floor crosses the boundary.
#[test]
fn negative_floors_that_cross_a_rounding_boundary() {
    let mut rng = ChaCha8Rng::seed_from_u64(68);
    let mut crossed = 0;
    for case in 0..3_000u32 {
        let low = [0x3ff, 0x7ff, 0xbff, 0xfff][(case % 4) as usize];
        let leading = (rng.next_u64() | 1 << 63) & !0xfff | low;
        let shift = 1 + rng.next_u32() % 200;
        let below = (BigInt::from(rng.next_u64()) % (BigInt::one() << shift)).max(BigInt::one());
        let n = -((BigInt::from(leading) << shift) + below);
        // An odd denominator, so that the sum with 0 / 1 is the end itself, reduced.
        let d = (word(&mut rng) << 1) + 1;
        let ab = Rational::new(n, d);
        check(&ab, false, &Rational::zero()).expect("fits");
        crossed += usize::from(leading as f64 != (u128::from(leading) + 1) as f64);
    }
    assert!(crossed >= 100, "{crossed}");
}

/// Numbers beyond the fixed limbs and odd parts of `d` beyond `2^96` are left to other ways.
#[test]
fn numbers_beyond_the_limbs_are_refused() {
    let big = Rational::new(BigInt::one() << 700, BigInt::from(3));
    let term = Rational::new(BigInt::one(), BigInt::from(5));
    assert_eq!(sum_in_f64(&big, false, &term), None);
    let wide_odd = Rational::new(BigInt::one(), (BigInt::one() << 100) + 1);
    assert_eq!(sum_in_f64(&term, false, &wide_odd), None);
    let over = Rational::new(BigInt::one(), BigInt::one() << 130);
    assert_eq!(sum_in_f64(&term, false, &over), None);
}

/// `rational_in_f64` is the specification's conversion of `x` or `−x`, for zero and for
/// fractions within and beyond the fixed limbs; counts the fractions beyond.
#[test]
fn conversions_are_the_specification_values() {
    let mut rng = ChaCha8Rng::seed_from_u64(70);
    let one = BigInt::one();
    let mut beyond = 0;
    for case in 0..20_000u32 {
        let limbs = [1, 2, 4, 30][(case % 4) as usize];
        let sign = if case % 3 == 0 { -1 } else { 1 };
        let n = natural(&mut rng, limbs, &one) * sign;
        let n = if case % 97 == 0 { BigInt::zero() } else { n };
        let x = Rational::new(n, natural(&mut rng, limbs, &one));
        for negate in [false, true] {
            let expected = rational_to_f64(&if negate { -x.clone() } else { x.clone() });
            let value = rational_in_f64(&x, negate);
            assert_eq!(value.to_bits(), expected.to_bits(), "{x} {negate}");
        }
        beyond += usize::from(x.numer().bits() > 640 || x.denom().bits() > 640);
    }
    assert!(beyond >= 1_000, "{beyond}");
}
