//! An `f64` screen of the sign of a sum of square roots `Σ_k c_k sqrt(m_k)`.
//!
//! Each coefficient and radicand is read as an `f64` within [`tolerance::F64_INPUT_RELATIVE`]
//! of itself, and `sqrt` is correctly rounded, so each term `c sqrt(m)` is evaluated within
//! about `8u` of itself; the sum of the terms adds at most `γ_k Σ |terms|`. So the exact
//! value lies within `r Σ |terms|` of the `f64` sum, `r` =
//! [`tolerance::f64_screen_relative`]. When the sum is farther from zero than that, its sign
//! is the exact sign; otherwise the exact enclosures decide. Coefficients and radicands outside
//! [`tolerance::SCREEN_MAGNITUDES`] are not screened (rounding must be the only error).

use std::cmp::Ordering;

use mlcsc_spec::scalar::Scalar;
use mlcsc_spec::theorems::surd::{Radicand, SignDecision, SquareClasses, Surd};
use mlcsc_spec::tolerance;

/// Whether a nonzero `f64` lies in [`tolerance::SCREEN_MAGNITUDES`].
fn in_range(x: f64) -> bool {
    let (smallest, largest) = tolerance::SCREEN_MAGNITUDES;
    (smallest..=largest).contains(&x.abs())
}

/// `sqrt(m)` of a class in `f64` (`None` when `m` is outside the screen's range).
fn root_f64<S: Scalar>(classes: &SquareClasses<S>, radicand: &Radicand) -> Option<f64> {
    let m = classes.radicand_value(radicand).to_f64();
    in_range(m).then(|| m.sqrt())
}

/// The `f64` sum of the terms and a bound on its distance from the exact value, or `None`
/// when a coefficient or radicand is outside the screen's range.
fn f64_estimate<S: Scalar>(classes: &SquareClasses<S>, x: &Surd<S>) -> Option<(f64, f64)> {
    let mut sum = 0.0;
    let mut magnitude = 0.0;
    for (radicand, c) in x.terms() {
        let c = c.to_f64();
        if !in_range(c) {
            return None;
        }
        let term = if radicand.is_one() {
            c
        } else {
            c * root_f64(classes, radicand)?
        };
        sum += term;
        magnitude += term.abs();
    }
    Some((
        sum,
        magnitude * tolerance::f64_screen_relative(x.terms().len()),
    ))
}

/// The sign of `x` when the `f64` screen decides it.
pub fn screened_sign<S: Scalar>(classes: &SquareClasses<S>, x: &Surd<S>) -> Option<Ordering> {
    let (value, error) = f64_estimate(classes, x)?;
    if value > error {
        Some(Ordering::Greater)
    } else if value < -error {
        Some(Ordering::Less)
    } else {
        None
    }
}

/// The sign of `x` as [`SquareClasses::certified_sign`] decides it, the `f64` screen first.
pub fn sign<S: Scalar>(classes: &SquareClasses<S>, x: &Surd<S>) -> SignDecision {
    if x.rational_value().is_none()
        && let Some(sign) = screened_sign(classes, x)
    {
        // The `f64` enclosure is wider than the first exact one, which would decide too.
        return SignDecision {
            sign: Some(sign),
            bits: tolerance::ENCLOSURE_START_BITS,
            needed_bits: classes.certified_bits(x),
        };
    }
    classes.certified_sign(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mlcsc_spec::scalar::Rational;
    use num_bigint::BigInt;
    use num_traits::One;

    fn r(n: i64, d: i64) -> Rational {
        Rational::new(n.into(), d.into())
    }

    /// The `f64` screen's sign is the exact sign whenever it gives one: on random sums over the
    /// classes of 2, 3 and 5, and on sums brought within `2^-30 … 2^-90` of zero by subtracting a
    /// rational approximation of themselves (where the screen must decline the closest ones).
    #[test]
    fn the_f64_screen_gives_only_exact_signs() {
        let (classes, _) = SquareClasses::<Rational>::new(&[2, 3, 5], None);
        let mut stream = crate::test_stream::xorshift(0x2545_f491_4f6c_dd1d);
        let mut next = move |bound: u64| stream() % bound;
        let (mut decided, mut declined) = (0, 0);
        for round in 0..3000 {
            let mut x = Surd::zero();
            for p in [1usize, 2, 3, 5, 6] {
                if next(3) > 0 {
                    let c = r(next(2001) as i64 - 1000, next(97) as i64 + 1);
                    x = x.add(&classes.sqrt_integer(p).scale(&c));
                }
            }
            if round % 2 == 0 {
                // Subtract x rounded to `bits` bits, leaving a remainder near 2^-bits · |x|.
                let bits = 30 + next(61) as u32;
                let enclosure = classes.enclosure(&x, 2 * bits + 64);
                let mid = (enclosure.lo + enclosure.hi) / r(2, 1);
                let scale = Rational::from_integer(BigInt::one() << bits as usize);
                let rounded = (mid * &scale).round() / scale;
                x = x.add_rational(&-rounded);
            }
            let exact = {
                let e = classes.enclosure(&x, 512);
                if x.rational_value()
                    .is_some_and(|v| v == Rational::from_integer(0.into()))
                {
                    Some(Ordering::Equal)
                } else if e.lo > Rational::from_integer(0.into()) {
                    Some(Ordering::Greater)
                } else if e.hi < Rational::from_integer(0.into()) {
                    Some(Ordering::Less)
                } else {
                    None
                }
            };
            match screened_sign(&classes, &x) {
                Some(sign) => {
                    assert_eq!(Some(sign), exact, "round {round}");
                    decided += 1;
                }
                None => declined += 1,
            }
            if exact.is_some() {
                assert_eq!(sign(&classes, &x).sign, exact, "round {round}");
            }
        }
        assert!(
            decided > 1000 && declined > 100,
            "{decided} decided, {declined} declined"
        );
    }
}
