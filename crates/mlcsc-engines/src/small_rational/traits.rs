//! The standard and numeric traits of [`SmallRational`]: formatting, equality and order, the
//! arithmetic operators, `num-traits`, conversions and [`Scalar`].

use super::*;

/// The full product of two `u128` as `(high, low)` halves.
fn wide_product(a: u128, b: u128) -> (u128, u128) {
    let mask = u128::from(u64::MAX);
    let (a1, a0) = (a >> 64, a & mask);
    let (b1, b0) = (b >> 64, b & mask);
    let (low, middle1, middle2, high) = (a0 * b0, a1 * b0, a0 * b1, a1 * b1);
    let (middle, carry) = middle1.overflowing_add(middle2);
    let (low, carry_low) = low.overflowing_add((middle & mask) << 64);
    let high = high + (middle >> 64) + (u128::from(carry) << 64) + u128::from(carry_low);
    (high, low)
}

/// `a · d` against `c · b` exactly, for `b, d > 0` (the order of `a/b` and `c/d`).
fn compare_cross(a: i128, b: i128, c: i128, d: i128) -> Ordering {
    let sign = |x: i128| x.signum();
    match sign(a).cmp(&sign(c)) {
        Ordering::Equal => {}
        other => return other,
    }
    if a == 0 {
        return Ordering::Equal;
    }
    let left = wide_product(a.unsigned_abs(), d as u128);
    let right = wide_product(c.unsigned_abs(), b as u128);
    let magnitude = left.cmp(&right);
    if a > 0 {
        magnitude
    } else {
        magnitude.reverse()
    }
}

impl fmt::Debug for SmallRational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for SmallRational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Small(n, 1) => write!(f, "{n}"),
            Small(n, d) => write!(f, "{n}/{d}"),
            Wide(n, d) => write!(f, "{n}/{d}"),
            Big(r) => write!(f, "{r}"),
        }
    }
}

impl PartialEq for SmallRational {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Small(a, b), Small(c, d)) => a == c && b == d,
            (Wide(a, b), Wide(c, d)) => a == c && b == d,
            (Big(x), Big(y)) => x == y,
            // Every value has one form (the smallest it fits), so mixed forms differ.
            _ => false,
        }
    }
}

impl Eq for SmallRational {}

impl Ord for SmallRational {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (Small(a, b), Small(c, d)) => {
                if b == d {
                    a.cmp(c)
                } else {
                    (i128::from(*a) * i128::from(*d)).cmp(&(i128::from(*c) * i128::from(*b)))
                }
            }
            (Big(x), Big(y)) => big::order(x, y),
            _ => match (self.parts(), other.parts()) {
                (Some((a, b)), Some((c, d))) => compare_cross(a, b, c, d),
                _ => big::order(&self.as_big(), &other.as_big()),
            },
        }
    }
}

impl PartialOrd for SmallRational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

macro_rules! binary_operator {
    ($trait:ident, $method:ident, $reference:ident) => {
        impl $trait<SmallRational> for SmallRational {
            type Output = SmallRational;
            fn $method(self, other: SmallRational) -> SmallRational {
                self.$reference(&other)
            }
        }
        impl<'a> $trait<&'a SmallRational> for SmallRational {
            type Output = SmallRational;
            fn $method(self, other: &'a SmallRational) -> SmallRational {
                self.$reference(other)
            }
        }
        impl<'a> $trait<&'a SmallRational> for &'a SmallRational {
            type Output = SmallRational;
            fn $method(self, other: &'a SmallRational) -> SmallRational {
                self.$reference(other)
            }
        }
    };
}

binary_operator!(Add, add, add_reference);
binary_operator!(Sub, sub, subtract_reference);
binary_operator!(Mul, mul, multiply_reference);
binary_operator!(Div, div, divide_reference);

impl Rem<SmallRational> for SmallRational {
    type Output = SmallRational;
    /// The remainder of truncated division, as for [`Rational`] (rarely used; computed big).
    fn rem(self, other: SmallRational) -> SmallRational {
        SmallRational::from_big(self.to_big() % other.to_big())
    }
}

impl<'a> AddAssign<&'a SmallRational> for SmallRational {
    #[inline] // A sum with a zero is decided here: the other term as it stands.
    fn add_assign(&mut self, other: &'a SmallRational) {
        match (self.is_zero(), other.is_zero()) {
            (_, true) => {}
            (true, false) => *self = other.clone(),
            (false, false) => self.add_assign_reference(other, false),
        }
    }
}

impl<'a> SubAssign<&'a SmallRational> for SmallRational {
    fn sub_assign(&mut self, other: &'a SmallRational) {
        self.add_assign_reference(other, true);
    }
}

impl Neg for SmallRational {
    type Output = SmallRational;
    fn neg(self) -> SmallRational {
        match self.0 {
            Small(n, d) => SmallRational(Small(-n, d)),
            Wide(n, d) => SmallRational(Wide(-n, d)),
            Big(r) => SmallRational(Big(Arc::new(-Arc::unwrap_or_clone(r)))),
        }
    }
}

impl Zero for SmallRational {
    #[inline]
    fn zero() -> Self {
        Self::ZERO
    }

    #[inline]
    fn is_zero(&self) -> bool {
        matches!(self.0, Small(0, _))
    }
}

impl One for SmallRational {
    fn one() -> Self {
        SmallRational(Small(1, 1))
    }

    fn is_one(&self) -> bool {
        matches!(self.0, Small(1, 1))
    }
}

impl Num for SmallRational {
    type FromStrRadixErr = num_rational::ParseRatioError;

    fn from_str_radix(text: &str, radix: u32) -> Result<Self, Self::FromStrRadixErr> {
        Rational::from_str_radix(text, radix).map(SmallRational::from_big)
    }
}

impl Signed for SmallRational {
    fn abs(&self) -> Self {
        match &self.0 {
            Small(n, d) => SmallRational(Small(n.abs(), *d)),
            Wide(n, d) => SmallRational(Wide(n.abs(), *d)),
            Big(r) if r.is_negative() => SmallRational(Big(Arc::new(-(**r).clone()))),
            Big(r) => SmallRational(Big(Arc::clone(r))),
        }
    }

    fn abs_sub(&self, other: &Self) -> Self {
        if self <= other {
            Self::ZERO
        } else {
            self - other
        }
    }

    /// Read off the numerator's sign (the specification asks it of every entry it compares).
    #[inline]
    fn signum(&self) -> Self {
        let sign = match &self.0 {
            Small(n, _) => n.signum(),
            Wide(n, _) => n.signum() as i64,
            Big(r) => i64::from(r.is_positive()) - i64::from(r.is_negative()),
        };
        SmallRational(Small(sign, 1))
    }

    #[inline]
    fn is_positive(&self) -> bool {
        match &self.0 {
            Small(n, _) => *n > 0,
            Wide(n, _) => *n > 0,
            Big(r) => r.is_positive(),
        }
    }

    #[inline]
    fn is_negative(&self) -> bool {
        match &self.0 {
            Small(n, _) => *n < 0,
            Wide(n, _) => *n < 0,
            Big(r) => r.is_negative(),
        }
    }
}

/// The value of a big integer whose magnitude is one limb of at most 63 bits (so never
/// `i64::MIN`), read off its limbs without a general conversion.
fn word(x: &BigInt) -> Option<i64> {
    let mut limbs = x.magnitude().iter_u64_digits();
    if limbs.len() > 1 {
        return None;
    }
    let magnitude = i64::try_from(limbs.next().unwrap_or(0)).ok()?;
    Some(if x.sign() == num_bigint::Sign::Minus {
        -magnitude
    } else {
        magnitude
    })
}

impl From<&Rational> for SmallRational {
    /// The value in the smallest form it fits; a reduced fraction of one-limb parts (the
    /// entries of generated instances) is taken as it stands.
    fn from(value: &Rational) -> Self {
        if value.numer().is_zero() {
            return Self::ZERO;
        }
        if let (Some(n), Some(d)) = (word(value.numer()), word(value.denom())) {
            return SmallRational(Small(n, d));
        }
        match (value.numer().to_i128(), value.denom().to_i128()) {
            (Some(n), Some(d)) if n != i128::MIN => Self::from_reduced(n, d),
            _ => SmallRational(Big(Arc::new(value.clone()))),
        }
    }
}

impl From<&SmallRational> for Rational {
    fn from(value: &SmallRational) -> Self {
        value.to_big()
    }
}

impl Scalar for SmallRational {
    const EXACT: bool = true;

    fn from_rational(value: &Rational) -> Self {
        SmallRational::from(value)
    }

    fn from_integer(value: i64) -> Self {
        if value == i64::MIN {
            SmallRational(Big(Arc::new(Rational::from_integer(BigInt::from(value)))))
        } else {
            SmallRational(Small(value, 1))
        }
    }

    /// The same `f64` as [`Rational`]'s conversion of the same value.
    fn to_f64(&self) -> f64 {
        super::to_f64::to_f64(self)
    }

    fn is_finite_value(&self) -> bool {
        true
    }

    fn multiply_accumulate(acc: &mut Self, a: &Self, b: &Self) {
        if let (Small(p, q), Small(n1, d1), Small(n2, d2)) = (&acc.0, &a.0, &b.0) {
            if *n1 == 0 || *n2 == 0 {
                return;
            }
            let product = if std::ptr::eq(a, b) {
                a.square()
            } else {
                SmallRational::multiply_small(*n1, *d1, *n2, *d2)
            };
            if let Small(n, d) = product.0 {
                *acc = SmallRational::add_small(*p, *q, n, d);
                return;
            }
        }
        if a.is_zero() || b.is_zero() {
            return;
        }
        let product = if std::ptr::eq(a, b) {
            a.square()
        } else {
            a.multiply_reference(b)
        };
        acc.add_assign_reference(&product, false);
    }

    fn dot<'a, I>(terms: I) -> Self
    where
        I: Iterator<Item = (&'a Self, &'a Self)>,
    {
        super::dot::dot(terms)
    }

    fn sqrt_bounds(&self, bits: u32) -> (Self, Self) {
        let (lo, hi) = rational_sqrt_bounds(&self.to_big(), bits);
        (SmallRational::from_big(lo), SmallRational::from_big(hi))
    }

    fn to_rational(&self) -> Option<Rational> {
        Some(self.to_big())
    }

    /// The same text as [`Rational`]'s, formatted from machine words where the value has them.
    fn exact_text(&self) -> Option<String> {
        Some(match &self.0 {
            Small(n, 1) => n.to_string(),
            Small(n, d) => format!("{n}/{d}"),
            Wide(n, 1) => n.to_string(),
            Wide(n, d) => format!("{n}/{d}"),
            Big(r) => crate::scalar::rational_to_text(r),
        })
    }
}

/// The exact field of the specification's linear algebra: the same products and quotients as
/// [`Rational`]'s, in machine words while they fit.
impl mlcsc_spec::exact_linear_algebra::ExactField for SmallRational {
    fn product(&self, other: &Self) -> Self {
        self * other
    }

    fn quotient(&self, other: &Self) -> Self {
        self / other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The conversion from a big rational gives the form [`SmallRational::from_big`] gives,
    /// for parts of one limb (either sign, up to `2^63 − 1`), of one limb beyond `i64`, and of
    /// two limbs; counts the values taken by the one-limb reading.
    #[test]
    fn conversion_from_big_rationals_gives_the_canonical_form() {
        let mut stream = crate::test_stream::xorshift(0x6a09_e667_f3bc_c908);
        let mut one_limb = 0;
        for case in 0..20_000u32 {
            let numerator = (stream() >> (case % 64)) as i128 * [1, -1][case as usize % 2];
            let denominator =
                ((stream() >> (case / 2 % 64)) as i128).max(1) << [0, 0, 1, 64][case as usize % 4];
            let value = Rational::new(BigInt::from(numerator), BigInt::from(denominator));
            let converted = SmallRational::from(&value);
            assert_eq!(converted.to_big(), value);
            match (&converted.0, &SmallRational::from_big(value.clone()).0) {
                (Small(a, b), Small(c, d)) => assert_eq!((a, b), (c, d), "{value}"),
                (Wide(a, b), Wide(c, d)) => assert_eq!((a, b), (c, d), "{value}"),
                (Big(x), Big(y)) => assert_eq!((x.numer(), x.denom()), (y.numer(), y.denom())),
                (x, y) => panic!(
                    "{value}: forms differ ({x:?}, {y:?})",
                    x = matches!(x, Small(..)),
                    y = matches!(y, Small(..))
                ),
            }
            one_limb +=
                usize::from(value.numer().magnitude().bits() < 64 && value.denom().bits() < 64);
        }
        assert!(one_limb >= 5000, "{one_limb} values of one-limb parts");
        assert!(SmallRational::from(&Rational::zero()).is_zero());
    }
}
