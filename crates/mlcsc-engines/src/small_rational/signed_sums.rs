//! Tests of the signed sums `x ± y` of [`super::SmallRational`] (`add_signed` and the
//! assignments `+=` and `-=`), which carry the sign of `y` into its parts instead of forming
//! `−y`: every pair of forms (`i64`, `i128`, big) against `num-rational`, part by part.

#[cfg(test)]
mod tests {
    use num_bigint::BigInt;
    use num_traits::Zero;

    use super::super::SmallRational;
    use crate::scalar::Rational;

    /// A natural number below `2^bits`, with up to 7 leading zeros.
    fn word(next: &mut impl FnMut() -> u64, bits: u32) -> BigInt {
        let limbs = bits.div_ceil(64);
        let mut n = BigInt::zero();
        for _ in 0..limbs {
            n = (n << 64u32) + BigInt::from(next());
        }
        n >> (limbs * 64 - bits + (next() % 8) as u32)
    }

    /// A reduced value of the form `form` (0: `i64` parts, 1: `i128` parts, 2: big), with a
    /// denominator that is a power of two, shares factors with others, or is arbitrary.
    fn value(next: &mut impl FnMut() -> u64, form: u64) -> Rational {
        let bits = [40u32, 110, 200][form as usize];
        let numerator = word(next, bits) * [1, -1][(next() % 2) as usize];
        let denominator = match next() % 3 {
            0 => BigInt::from(1u8) << (next() % u64::from(bits)),
            1 => (word(next, bits / 2) + 1u8) * 3u8 * 1024u32,
            _ => word(next, bits) + 1u8,
        };
        Rational::new(numerator, denominator)
    }

    #[test]
    fn signed_sums_of_every_pair_of_forms_equal_num_rational_part_by_part() {
        let mut next = crate::test_stream::xorshift(0x0bad_5eed_1234_5678);
        let mut forms_seen = [[0u32; 3]; 3];
        for case in 0..30_000u64 {
            let (fx, fy) = (case % 3, case / 3 % 3);
            let x = value(&mut next, fx);
            let y = match case / 9 % 4 {
                // Equal denominators, opposite values and zero: the shortcuts.
                0 => Rational::new(BigInt::from(next() >> 20), x.denom().clone()),
                1 => -x.clone(),
                2 if case % 5 == 0 => Rational::zero(),
                _ => value(&mut next, fy),
            };
            let (a, b) = (SmallRational::from(&x), SmallRational::from(&y));
            let form = |v: &SmallRational| usize::from(!v.is_small()) + usize::from(v.is_big());
            forms_seen[form(&a)][form(&b)] += 1;
            for (claim, result, expected) in [
                ("x + y", &a + &b, &x + &y),
                ("x − y", &a - &b, &x - &y),
                ("y − x", &b - &a, &y - &x),
                (
                    "x += y",
                    {
                        let mut s = a.clone();
                        s += &b;
                        s
                    },
                    &x + &y,
                ),
                (
                    "x −= y",
                    {
                        let mut s = a.clone();
                        s -= &b;
                        s
                    },
                    &x - &y,
                ),
                (
                    "y −= x",
                    {
                        let mut s = b.clone();
                        s -= &a;
                        s
                    },
                    &y - &x,
                ),
            ] {
                let big = result.to_big();
                assert_eq!(big.numer(), expected.numer(), "{claim}: x = {x}, y = {y}");
                assert_eq!(big.denom(), expected.denom(), "{claim}: x = {x}, y = {y}");
                assert!(result == SmallRational::from(&expected), "{claim}: form");
            }
        }
        assert!(
            forms_seen.iter().flatten().all(|&n| n >= 500),
            "every pair of forms: {forms_seen:?}"
        );
    }
}
