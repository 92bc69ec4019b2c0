//! Unit tests of the scalar conversions and square-root bounds.

use super::*;

fn r(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

#[test]
fn square_root_of_a_rational_square_is_a_point() {
    let (lo, hi) = rational_sqrt_bounds(&r(9, 16), 64);
    assert_eq!(lo, r(3, 4));
    assert_eq!(hi, r(3, 4));
}

#[test]
fn ratio_reduces_on_words_as_big_rationals_do() {
    for (n, d) in [
        (6, 4),
        (-6, 4),
        (6, -4),
        (-6, -4),
        (0, -7),
        (i64::MIN, 2),
        (5, i64::MIN),
    ] {
        assert_eq!(ratio(n, d), Rational::new(BigInt::from(n), BigInt::from(d)));
    }
}

#[test]
fn square_roots_of_whole_numbers_are_reduced_like_big_rationals() {
    for (m, bits) in [
        (2u64, 64u32),
        (4, 64),
        (12, 64),
        (1 << 40, 70),
        (999_983, 128),
    ] {
        let (lo, hi) = rational_sqrt_bounds(&r(m as i64, 1), bits);
        // The same bounds built by Rational::new's own reduction.
        let product = BigInt::from(m);
        let k = (bits as i64 - product.bits() as i64 / 2 + 2).max(0) as usize;
        let root = (&product << (2 * k)).sqrt();
        let exact = &root * &root == (&product << (2 * k));
        let denominator = BigInt::one() << k;
        let low = Rational::new(root.clone(), denominator.clone());
        let high = if exact {
            low.clone()
        } else {
            Rational::new(root + 1, denominator)
        };
        assert_eq!((lo, hi), (low, high), "m = {m}");
    }
}

#[test]
fn square_root_of_two_is_enclosed_tightly() {
    let (lo, hi) = rational_sqrt_bounds(&r(2, 1), 80);
    assert!(&lo * &lo < r(2, 1) && &hi * &hi > r(2, 1));
    let width = rational_to_f64(&(hi - lo));
    assert!(width > 0.0 && width < 1e-20);
}

#[test]
fn f64_and_rational_implement_the_scalar_operations_alike() {
    // From and to exact values.
    assert_eq!(<f64 as Scalar>::from_rational(&r(3, 4)), 0.75);
    assert_eq!(<Rational as Scalar>::from_rational(&r(3, 4)), r(3, 4));
    assert_eq!(<f64 as Scalar>::from_integer(-7), -7.0);
    assert_eq!(<Rational as Scalar>::from_integer(-7), r(-7, 1));
    assert_eq!(Scalar::to_f64(&-2.5f64), -2.5);
    assert_eq!(Scalar::to_f64(&r(-5, 2)), -2.5);
    assert_eq!(
        0.1f64.to_rational(),
        Some(r(3602879701896397, 36028797018963968))
    );
    assert_eq!(f64::INFINITY.to_rational(), None);
    assert_eq!(r(2, 3).to_rational(), Some(r(2, 3)));
    // Finiteness.
    assert!(1.0f64.is_finite_value());
    assert!(!f64::INFINITY.is_finite_value() && !f64::NAN.is_finite_value());
    assert!(r(1, 3).is_finite_value());
    // acc += a · b, also with a zero operand.
    let mut acc = 1.0f64;
    f64::multiply_accumulate(&mut acc, &2.0, &3.0);
    assert_eq!(acc, 7.0);
    let mut acc = r(1, 1);
    Rational::multiply_accumulate(&mut acc, &r(2, 1), &r(3, 1));
    Rational::multiply_accumulate(&mut acc, &r(0, 1), &r(5, 1));
    assert_eq!(acc, r(7, 1));
    // Square roots: the rounded root twice in f64 (0 below zero), certified bounds exactly.
    assert_eq!(2.25f64.sqrt_bounds(64), (1.5, 1.5));
    assert_eq!((-1.0f64).sqrt_bounds(64), (0.0, 0.0));
    assert_eq!(r(9, 4).sqrt_bounds(64), (r(3, 2), r(3, 2)));
    let (lo, hi) = r(1, 32).sqrt_bounds(64);
    assert!(&lo * &lo < r(1, 32) && r(1, 32) < &hi * &hi);
    assert!(rational_to_f64(&(hi - lo)) < 1e-19);
    assert_eq!(r(-1, 2).sqrt_bounds(64), (r(0, 1), r(0, 1)));
}

#[test]
fn conversion_of_unreduced_huge_parts_and_values_near_the_ends_of_the_range() {
    let ten = BigInt::from(10);
    // (10^400 + 1) / (2 · 10^400): both parts far beyond f64, the value 1/2.
    let half = Rational::new(ten.pow(400) + 1, ten.pow(400) * 2);
    assert_eq!(rational_to_f64(&half), 0.5);
    // 2^1087 / (2^64 − 1) ≈ 2^1023: finite although 2^1024 alone is not.
    let two = BigInt::from(2);
    let near_max = Rational::new(two.pow(1087), two.pow(64) - 1);
    let value = rational_to_f64(&near_max);
    assert!(value.is_finite() && (value / 2f64.powi(1023) - 1.0).abs() < 1e-15);
    // Its reciprocal is below the normal range, still not zero; beyond the range, 0 and inf.
    let reciprocal = rational_to_f64(&(Rational::from_integer(BigInt::from(1)) / near_max));
    assert!(reciprocal > 0.0 && (reciprocal * 2f64.powi(1023) - 1.0).abs() < 1e-12);
    assert_eq!(
        rational_to_f64(&Rational::new(BigInt::from(1), ten.pow(400))),
        0.0
    );
    assert_eq!(
        rational_to_f64(&Rational::new(ten.pow(400), BigInt::from(3))),
        f64::INFINITY
    );
    assert_eq!(
        rational_to_f64(&Rational::new(-ten.pow(400), BigInt::from(3))),
        f64::NEG_INFINITY
    );
}

#[test]
fn conversion_handles_huge_parts() {
    let big = BigInt::from(10).pow(400);
    let value = Rational::new(big.clone() * 3, big * 4);
    assert_eq!(rational_to_f64(&value), 0.75);
}
