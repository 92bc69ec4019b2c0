//! The sums of `D_iᵀ Z` in 256-bit two's complement, for a `Z` whose numerators over its
//! common denominator outgrow `i128` (or whose sums could) but fit 192 bits, with taps of one
//! machine word: each product is three widening multiplications, each sum four additions with
//! carries, where big integers would allocate. Only the sums that a layer keeps (above its
//! threshold) are turned into big integers.

use std::ops::Add;

use num_bigint::{BigInt, Sign};
use num_traits::Zero;

use super::{IntegerView, Layer, assemble, bits, each_product, shape};

/// A signed integer of 256 bits in two's complement, four little-endian limbs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Wide([u64; 4]);

/// A numerator of `Z` as its sign and a magnitude of three limbs.
pub(crate) type WideSignal = (bool, [u64; 3]);

impl Add for Wide {
    type Output = Wide;

    /// The sum modulo `2^256`.
    fn add(self, other: Wide) -> Wide {
        let mut sum = self;
        sum.add_limbs(&other.0, false);
        sum
    }
}

impl Zero for Wide {
    fn zero() -> Wide {
        Wide([0; 4])
    }

    fn is_zero(&self) -> bool {
        self.0 == [0; 4]
    }
}

impl Wide {
    /// `self ± x` modulo `2^256` (`−` when `subtract`).
    fn add_limbs(&mut self, x: &[u64; 4], subtract: bool) {
        let mut carry = subtract;
        for (limb, &other) in self.0.iter_mut().zip(x) {
            let other = if subtract { !other } else { other };
            let (sum, first) = limb.overflowing_add(other);
            let (sum, second) = sum.overflowing_add(u64::from(carry));
            *limb = sum;
            carry = first || second;
        }
    }

    /// `self += f x` for a tap `f` and a numerator `x`; the caller bounds the sums below
    /// `2^255`.
    fn add_product(&mut self, f: i128, (negative, x): &WideSignal) {
        let word = f.unsigned_abs() as u64;
        let mut product = [0u64; 4];
        let mut carry = 0u128;
        for (limb, &digit) in product.iter_mut().zip(x) {
            let t = u128::from(word) * u128::from(digit) + carry;
            *limb = t as u64;
            carry = t >> 64;
        }
        product[3] = carry as u64;
        self.add_limbs(&product, (f < 0) != *negative);
    }

    /// Whether the value is negative.
    fn is_negative(&self) -> bool {
        self.0[3] >> 63 == 1
    }

    /// `|self|` as 256 unsigned bits, most significant limb first (for comparisons).
    fn magnitude(&self) -> [u64; 4] {
        let mut magnitude = if self.is_negative() {
            let mut negated = Wide::zero();
            negated.add_limbs(&self.0, true);
            negated.0
        } else {
            self.0
        };
        magnitude.reverse();
        magnitude
    }

    /// The value as a big integer.
    pub(crate) fn to_big(self) -> BigInt {
        let mut magnitude = self.magnitude();
        magnitude.reverse();
        let sign = if self.is_negative() {
            Sign::Minus
        } else {
            Sign::Plus
        };
        let digits: Vec<u32> = (magnitude.iter())
            .flat_map(|&limb| [limb as u32, (limb >> 32) as u32])
            .collect();
        BigInt::from_slice(sign, &digits)
    }

    /// Whether `|self| ≤ limit` for a limit `≥ 0` (`Some(magnitude)`, most significant limb
    /// first, `None` for a limit beyond 256 bits).
    pub(crate) fn magnitude_at_most(&self, limit: Option<&[u64; 4]>) -> bool {
        limit.is_none_or(|limit| self.magnitude() <= *limit)
    }

    /// Whether `self ≤ limit` for a limit of either sign given as a big integer's sign and
    /// magnitude (see [`Wide::magnitude_at_most`]).
    pub(crate) fn at_most(&self, limit_negative: bool, limit: Option<&[u64; 4]>) -> bool {
        match (self.is_negative(), limit_negative) {
            (false, false) => self.magnitude_at_most(limit),
            (true, false) => true,
            (false, true) => false,
            (true, true) => limit.is_some_and(|limit| self.magnitude() >= *limit),
        }
    }
}

/// `|x|` in 256 bits, most significant limb first (`None` beyond).
pub(crate) fn limit_magnitude(x: &BigInt) -> Option<[u64; 4]> {
    let digits = x.magnitude().to_u64_digits();
    (digits.len() <= 4).then(|| {
        let mut limbs = [0u64; 4];
        for (i, digit) in digits.iter().enumerate() {
            limbs[3 - i] = *digit;
        }
        limbs
    })
}

/// Whether sums of `n m_{i-1}` products of these taps and numerators of `signal_bits` bits
/// stay below `2^255` with taps of one machine word and numerators of at most 192 bits.
fn wide_sums_fit(layer_terms: usize, taps: &[i128], signal_bits: u64) -> bool {
    let tap_bits = bits(taps.iter().map(|f| f.unsigned_abs()).max().unwrap_or(0));
    tap_bits <= 64
        && signal_bits <= 192
        && u64::from(tap_bits) + signal_bits + u64::from(bits(layer_terms as u128)) <= 255
}

/// `Z`'s big numerators as [`WideSignal`]s when their sums fit 256 bits (`wide_sums_fit`).
pub(crate) fn wide_signal(
    layer_terms: usize,
    taps: &[i128],
    signal: &[(usize, BigInt)],
) -> Option<Vec<(usize, WideSignal)>> {
    let signal_bits = signal.iter().map(|(_, x)| x.bits()).max().unwrap_or(0);
    if !wide_sums_fit(layer_terms, taps, signal_bits) {
        return None;
    }
    let view = (signal.iter()).map(|(k, x)| {
        let mut limbs = [0u64; 3];
        for (limb, digit) in limbs.iter_mut().zip(x.magnitude().iter_u64_digits()) {
            *limb = digit;
        }
        (*k, (x.sign() == Sign::Minus, limbs))
    });
    Some(view.collect())
}

/// `Z`'s `i128` numerators as [`WideSignal`]s when their sums fit 256 bits.
pub(crate) fn wide_signal_of_words(
    layer_terms: usize,
    taps: &[i128],
    signal: &[(usize, i128)],
) -> Option<Vec<(usize, WideSignal)>> {
    let signal_bits = signal
        .iter()
        .map(|(_, x)| x.unsigned_abs())
        .max()
        .unwrap_or(0);
    if !wide_sums_fit(layer_terms, taps, u64::from(bits(signal_bits))) {
        return None;
    }
    let view = (signal.iter()).map(|&(k, x)| {
        let magnitude = x.unsigned_abs();
        (k, (x < 0, [magnitude as u64, (magnitude >> 64) as u64, 0]))
    });
    Some(view.collect())
}

/// [`super::big_entries`] on 256-bit sums, for a signal from [`wide_signal`].
pub(crate) fn wide_entries<S: IntegerView>(
    layer: &Layer<S>,
    length: usize,
    taps: &[i128],
    signal: &[(usize, WideSignal)],
    zero_image: &S,
    entry: impl FnMut(Wide) -> S,
) -> Vec<S> {
    let m = layer.filter_count();
    let mut touched = vec![false; length];
    let mut sums = vec![Wide::zero(); length * m];
    each_product(shape(layer), taps, signal, &mut touched, |index, f, x| {
        sums[index].add_product(f, x);
    });
    assemble(&touched, m, &mut sums, zero_image, entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_stream::xorshift;

    /// A number of up to `bits` bits (with leading zeros at random) of either sign.
    fn big(next: &mut impl FnMut() -> u64, bits: u64) -> BigInt {
        let mut x = BigInt::zero();
        for _ in 0..bits.div_ceil(64) {
            x = (x << 64u32) + next();
        }
        let x = x >> (bits.div_ceil(64) * 64 - bits + next() % 64);
        if next() % 2 == 0 { -x } else { x }
    }

    /// Sums of products in 256 bits equal the same sums in big integers, and compare with
    /// limits of either sign and of any size as big integers do, for numerators of up to 192
    /// bits and taps of one word; counted: negative sums, and sums beyond 128 bits.
    #[test]
    fn wide_sums_and_comparisons_equal_big_integers() {
        let mut next = xorshift(0x0256_2026);
        let (mut negative, mut long) = (0, 0);
        for round in 0..20_000u64 {
            let terms = 1 + (next() % 40) as usize;
            let signal: Vec<(usize, BigInt)> = (0..terms)
                .map(|k| (k, big(&mut next, 1 + round % 185)))
                .collect();
            let taps: Vec<i128> = (0..terms)
                .map(|_| i128::from(next() >> (next() % 64)) * [1, -1][(next() % 2) as usize])
                .collect();
            let view = wide_signal(terms, &taps, &signal).expect("within 256 bits");
            let words: Vec<(usize, i128)> = (signal.iter())
                .filter_map(|(k, x)| Some((*k, i128::try_from(x).ok()?)))
                .collect();
            if words.len() == signal.len() {
                assert_eq!(
                    wide_signal_of_words(terms, &taps, &words),
                    Some(view.clone())
                );
            }
            let (mut sum, mut expected) = (Wide::zero(), BigInt::zero());
            for ((_, x), ((_, wide), &f)) in signal.iter().zip(view.iter().zip(&taps)) {
                sum.add_product(f, wide);
                expected += x * f;
            }
            assert_eq!(sum.to_big(), expected);
            assert_eq!(sum.is_zero(), expected.is_zero());
            let limit = match round % 4 {
                0 => expected.clone(),
                1 => -expected.clone() + (next() % 3) as i64 - 1,
                2 => {
                    let bits = 1 + next() % 300;
                    big(&mut next, bits)
                }
                _ => expected.clone() + (next() % 3) as i64 - 1,
            };
            let magnitude = limit_magnitude(&limit);
            let negative_limit = limit.sign() == Sign::Minus;
            assert_eq!(
                sum.at_most(negative_limit, magnitude.as_ref()),
                expected <= limit,
                "{expected} ≤ {limit}"
            );
            if !negative_limit {
                assert_eq!(
                    sum.magnitude_at_most(magnitude.as_ref()),
                    expected.magnitude() <= limit.magnitude(),
                    "|{expected}| ≤ {limit}"
                );
            }
            negative += usize::from(expected.sign() == Sign::Minus);
            long += usize::from(expected.bits() > 128);
        }
        assert!(negative >= 5000 && long >= 5000, "{negative} {long}");
    }
}
