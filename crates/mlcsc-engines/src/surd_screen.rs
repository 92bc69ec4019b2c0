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
    // `u128 as f64` rounds to nearest, within the `4u` the screen allows for reading `m`.
    let m = match classes.radicand_word(radicand) {
        Some(word) => word as f64,
        None => classes.radicand_value(radicand).to_f64(),
    };
    in_range(m).then(|| m.sqrt())
}

/// An `f64` evaluation of a sum of terms `c sqrt(m)`.
struct Estimate {
    /// The `f64` sum.
    value: f64,
    /// A bound on its distance from the exact sum.
    error: f64,
    /// The `f64` sum of the terms' magnitudes, `Σ |c| sqrt(m)` (at least `|value|`).
    magnitude: f64,
}

/// The `f64` sum of the terms of `x` and of the rational `extra` (a term of its own, even
/// beside a rational term of `x`: the bound then covers both magnitudes), or `None` when a
/// coefficient or radicand is outside the screen's range.
fn f64_estimate<S: Scalar>(
    classes: &SquareClasses<S>,
    x: &Surd<S>,
    extra: Option<&S>,
) -> Option<Estimate> {
    let mut sum = 0.0;
    let mut magnitude = 0.0;
    let extra = extra.filter(|c| !c.is_zero()).map(|c| (None, c));
    let terms = x.terms().iter().map(|(r, c)| (Some(r), c)).chain(extra);
    let mut count = 0;
    for (radicand, c) in terms {
        let c = c.to_f64();
        if !in_range(c) {
            return None;
        }
        let term = match radicand {
            Some(radicand) if !radicand.is_one() => c * root_f64(classes, radicand)?,
            _ => c,
        };
        sum += term;
        magnitude += term.abs();
        count += 1;
    }
    Some(Estimate {
        value: sum,
        error: magnitude * tolerance::f64_screen_relative(count),
        magnitude: f64::max(magnitude, sum.abs()),
    })
}

/// The sign of a value within `error` of `value`, when `value` is farther from zero.
fn sign_beyond(value: f64, error: f64) -> Option<Ordering> {
    if value > error {
        Some(Ordering::Greater)
    } else if value < -error {
        Some(Ordering::Less)
    } else {
        None
    }
}

/// The sign of `x` when the `f64` screen decides it.
pub fn screened_sign<S: Scalar>(classes: &SquareClasses<S>, x: &Surd<S>) -> Option<Ordering> {
    let estimate = f64_estimate(classes, x, None)?;
    sign_beyond(estimate.value, estimate.error)
}

/// The sign of `x + c` when the `f64` screen decides it, `c` read as one more term.
pub fn screened_sign_plus<S: Scalar>(
    classes: &SquareClasses<S>,
    x: &Surd<S>,
    c: &S,
) -> Option<Ordering> {
    let estimate = f64_estimate(classes, x, Some(c))?;
    sign_beyond(estimate.value, estimate.error)
}

/// The sign of `x² − c` when the `f64` screen decides it.
///
/// With `|x − v| ≤ e` and `|v| ≤ h` (the `f64` estimate of `x` and its magnitude),
/// `|x² − v²| ≤ e (2h + e)`; the square `v²` and the difference with `c` (read within `4u`)
/// round once each, within `8u (v² + |c|)` together and `u` of the result. The result decides
/// when it exceeds twice the sum of the bounds (the factor 2 covers the bound's own rounding
/// and the last `u`). The bound is at least `2 e h ≥ 2^-47 h²`, far above the width `2^-65 h²` of the first exact enclosure
/// of the expanded `x² − c`, which therefore decides too, at the same precision.
pub fn screened_square_minus<S: Scalar>(
    classes: &SquareClasses<S>,
    x: &Surd<S>,
    c: &S,
) -> Option<Ordering> {
    let Estimate {
        value,
        error,
        magnitude,
    } = f64_estimate(classes, x, None)?;
    let c = c.to_f64();
    if c != 0.0 && !in_range(c) {
        return None;
    }
    let square = value * value;
    let bound =
        error * (2.0 * magnitude + error) + 8.0 * tolerance::UNIT_ROUNDOFF * (square + c.abs());
    let difference = square - c;
    if !(difference.is_finite() && bound.is_finite()) {
        return None;
    }
    sign_beyond(difference, 2.0 * bound)
}

/// A sign the screen decided: the `f64` enclosure is wider than the first exact one, which
/// would decide too, so the precision reported is that one's; no certified precision is
/// needed.
fn screened(sign: Ordering) -> SignDecision {
    SignDecision {
        sign: Some(sign),
        bits: tolerance::ENCLOSURE_START_BITS,
        needed_bits: 0,
    }
}

/// The sign of `x` as [`SquareClasses::certified_sign`] decides it, the `f64` screen first.
pub fn sign<S: Scalar>(classes: &SquareClasses<S>, x: &Surd<S>) -> SignDecision {
    if x.rational_value().is_none()
        && let Some(sign) = screened_sign(classes, x)
    {
        return screened(sign);
    }
    classes.certified_sign(x)
}

/// The sign of `x + c` as [`sign`] decides it of [`Surd::add_rational`], the `f64` screen of
/// the terms of `x` and `c` first.
pub fn sign_plus_rational<S: Scalar>(
    classes: &SquareClasses<S>,
    x: &Surd<S>,
    c: &S,
) -> SignDecision {
    let screen = screened_sign_plus(classes, x, c);
    if let Some(k) = x.rational_value() {
        // A rational `k + c`: its sign is that of `k − (−c)`, without forming the sum.
        let sign = screen.unwrap_or_else(|| k.partial_cmp(&-c.clone()).unwrap_or(Ordering::Equal));
        return SignDecision {
            sign: Some(sign),
            bits: 0,
            needed_bits: 0,
        };
    }
    match screen {
        Some(sign) => screened(sign),
        None => sign(classes, &x.add_rational(c)),
    }
}

/// The sign of `x² − c` as [`sign`] decides it of the expanded square minus `c`, the `f64`
/// screen of `x` first (the square is formed only when the screen cannot decide).
pub fn sign_square_minus<S: Scalar>(
    classes: &SquareClasses<S>,
    x: &Surd<S>,
    c: &S,
) -> SignDecision {
    if x.rational_value().is_none()
        && let Some(sign) = screened_square_minus(classes, x, c)
    {
        return screened(sign);
    }
    sign(classes, &classes.mul(x, x).add_rational(&-c.clone()))
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

    /// `v` rounded to a multiple of `2^-bits` (from an enclosure fine enough).
    fn rounded(classes: &SquareClasses<Rational>, v: &Surd<Rational>, bits: u32) -> Rational {
        let enclosure = classes.enclosure(v, 2 * bits + 64);
        let mid = (enclosure.lo + enclosure.hi) / r(2, 1);
        let scale = Rational::from_integer(BigInt::one() << bits as usize);
        (mid * &scale).round() / scale
    }

    /// The signs of `x + c` and `x² − c` of the fast kernels are the plain kernels' (the sign of
    /// the sum, or of the expanded square minus `c`, by certified enclosures), at the same
    /// precision (a square that is rational has none, where the screen reports the first
    /// enclosure's): on sums over the classes of 2, 3, 5 and 6, rational ones included, with
    /// `c` equal to `−x` or `x²` rounded to `2^-bits` for `bits` up to 100 (so that the screens
    /// must decline the closest), and exactly equal when `x` is rational.
    #[test]
    fn screened_sums_and_squares_have_the_plain_signs_and_precisions() {
        use crate::exact_engine::IntegerViews;
        use mlcsc_spec::kernels::{Kernels, Plain};
        let (classes, _) = SquareClasses::<Rational>::new(&[2, 3, 5], None);
        let mut stream = crate::test_stream::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut next = move |bound: u64| stream() % bound;
        let (mut screened, mut declined) = ([0; 2], [0; 2]);
        for round in 0..2000 {
            let mut x = Surd::zero();
            for p in [1usize, 2, 3, 5, 6] {
                if next(3) > 0 && (p == 1 || round % 5 != 0) {
                    let c = r(next(2001) as i64 - 1000, next(97) as i64 + 1);
                    x = x.add(&classes.sqrt_integer(p).scale(&c));
                }
            }
            let bits = next(101) as u32;
            let square = classes.mul(&x, &x);
            let (plus, minus) = match (x.rational_value(), round % 3) {
                (Some(k), 0) => (-k.clone(), k.clone() * k),
                _ => (
                    -rounded(&classes, &x, bits),
                    rounded(&classes, &square, bits),
                ),
            };
            let fast = <IntegerViews as Kernels<Rational>>::sign_plus_rational(&classes, &x, &plus);
            let plain = <Plain as Kernels<Rational>>::sign_plus_rational(&classes, &x, &plus);
            assert_eq!(
                (fast.sign, fast.bits),
                (plain.sign, plain.bits),
                "x + c, round {round}"
            );
            let fast = <IntegerViews as Kernels<Rational>>::sign_square_minus(&classes, &x, &minus);
            let plain = <Plain as Kernels<Rational>>::sign_square_minus(&classes, &x, &minus);
            assert_eq!(fast.sign, plain.sign, "x² − c, round {round}");
            let rational_square = square.rational_value().is_some();
            assert!(
                fast.bits == plain.bits
                    || (rational_square && fast.bits == tolerance::ENCLOSURE_START_BITS),
                "x² − c, round {round}: {} bits against {}",
                fast.bits,
                plain.bits
            );
            for (k, decided) in [
                screened_sign_plus(&classes, &x, &plus).is_some(),
                screened_square_minus(&classes, &x, &minus).is_some(),
            ]
            .into_iter()
            .enumerate()
            {
                screened[k] += usize::from(decided);
                declined[k] += usize::from(!decided);
            }
        }
        assert!(
            screened.iter().chain(&declined).all(|&n| n > 200),
            "screened {screened:?}, declined {declined:?}"
        );
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
