//! Unit tests.

use super::*;
use num_traits::One;

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
        classes.certified_sign(&epsilon.sub(&epsilon)).sign,
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
        let decision = classes.certified_sign(&epsilon.add_rational(&-beta));
        assert_eq!(decision.sign, Some(expected));
        assert!(
            decision.bits > 4096 && u64::from(decision.bits) <= decision.needed_bits.max(8192) * 2
        );
    }
}

/// Adding a rational in place gives the same terms as the general sum.
#[test]
fn adding_a_rational_matches_the_general_sum() {
    let (classes, _) = SquareClasses::<Rational>::new(&[2, 3], None);
    let x = classes
        .sqrt_integer(2)
        .scale(&r(3, 7))
        .add(&classes.sqrt_integer(3).scale(&r(-1, 2)));
    for base in [Surd::zero(), x.clone(), x.add_rational(&r(5, 4))] {
        for c in [r(0, 1), r(5, 4), r(-5, 4), r(1, 9)] {
            assert_eq!(base.add_rational(&c), base.add(&Surd::rational(c.clone())));
        }
    }
}
