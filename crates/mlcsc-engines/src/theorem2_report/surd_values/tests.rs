use super::*;
use crate::small_rational::SmallRational;
use num_bigint::BigInt;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A coefficient, of one of four kinds: a small fraction; up to about 190 bits over up to 190
/// bits; up to 64 bits over a power of two times a small odd number (as generated instances'
/// thresholds and coherences give); up to 128 bits over a denominator of 33 to 64 bits, or of
/// up to 128 bits (an odd part beyond a word, which the fixed limbs leave to words).
fn coefficient<S: Scalar>(rng: &mut ChaCha8Rng) -> S {
    let word = |rng: &mut ChaCha8Rng| BigInt::from(rng.next_u64() >> (rng.next_u32() % 64));
    let sign = if rng.next_u32() % 2 == 0 { 1 } else { -1 };
    let (n, d) = match rng.next_u32() % 5 {
        0 => (
            BigInt::from(rng.next_u32() % 50),
            BigInt::from(1 + rng.next_u32() % 9),
        ),
        1 => (
            word(rng) * word(rng) * word(rng),
            word(rng) * word(rng) * word(rng) + BigInt::from(1),
        ),
        2 => (
            word(rng),
            BigInt::from([1, 3, 5, 25, 169, 221][rng.next_u32() as usize % 6])
                << (rng.next_u32() % 40),
        ),
        3 => (
            word(rng) * word(rng),
            BigInt::from(rng.next_u64() >> (rng.next_u32() % 32)) + BigInt::from(1),
        ),
        _ => (
            word(rng) * word(rng),
            BigInt::from(rng.next_u64() >> (rng.next_u32() % 32)) * word(rng) + BigInt::from(1),
        ),
    };
    S::from_rational(&Rational::new(n * sign, d))
}

/// Chains of surds as a report meets them (`ε`, `ε + q`, `q − ε`, `sqrt(p) ε + q`): every
/// value equals `SquareClasses::to_f64`'s, bit for bit, whichever parts were met before, and so
/// does the `f64` of each end of the enclosure. Each
/// step is taken both on words and in the scalar (and each sum on fixed limbs), each way at least
/// `floor` times.
fn values_equal_the_specification<S: Scalar>(floor: usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(2017);
    let mut ways = Ways::default();
    for case in 0..300 {
        let q0: S = coefficient::<S>(&mut rng).abs();
        let roots = [2, 3, 5, 6, 12, 1 + case % 11];
        let (classes, root) = SquareClasses::new(&roots, (case % 2 == 0).then_some(&q0));
        let mut values = SurdValues::new(&classes);
        let mut epsilon = root.unwrap_or_else(|| Surd::rational(coefficient(&mut rng)));
        for p in roots {
            let q: S = coefficient(&mut rng);
            let low = epsilon.add_rational(&q);
            let high = Surd::rational(q.clone()).sub(&epsilon);
            let next = classes
                .mul(&classes.sqrt_integer(p), &low)
                .add_rational(&coefficient(&mut rng));
            for x in [
                &epsilon,
                &low,
                &high,
                &next,
                &Surd::zero(),
                &high.add(&next),
            ] {
                let expected = classes.to_f64(x);
                let fresh = SurdValues::new(&classes).value_of(x);
                let shared = values.value_of(x);
                assert_eq!(fresh.to_bits(), expected.to_bits(), "case {case}: {x:?}");
                assert_eq!(shared.to_bits(), expected.to_bits(), "case {case}: {x:?}");
                let enclosure = classes.enclosure(x, ENCLOSURE_START_BITS);
                let ends = (enclosure.lo.to_f64(), enclosure.hi.to_f64());
                let (lo, hi) = values.ends_of(x);
                assert_eq!(lo.to_bits(), ends.0.to_bits(), "case {case}: {x:?}");
                assert_eq!(hi.to_bits(), ends.1.to_bits(), "case {case}: {x:?}");
            }
            epsilon = next;
        }
        let met = values.ways();
        ways.word_roots += met.word_roots;
        ways.scalar_roots += met.scalar_roots;
        ways.limb_sums += met.limb_sums;
        ways.word_sums += met.word_sums;
        ways.scalar_sums += met.scalar_sums;
    }
    println!("{ways:?}");
    let Ways {
        word_roots,
        scalar_roots,
        limb_sums,
        word_sums,
        scalar_sums,
    } = ways;
    assert!(
        [word_roots, scalar_roots, limb_sums, word_sums, scalar_sums]
            .iter()
            .all(|&n| n >= floor),
        "{ways:?}"
    );
}

#[test]
fn surd_values_equal_the_specification_in_small_and_big_rationals() {
    values_equal_the_specification::<SmallRational>(300);
    values_equal_the_specification::<Rational>(300);
}
