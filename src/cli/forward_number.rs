//! `forward`'s text output written straight into a byte buffer: the same text as
//! [`crate::cli::readable::number`] (six significant digits, trailing zeros dropped, positional for
//! decimal exponents in `[-4, 6)`), without a `String` per number.
//!
//! The six digits of `|x| = y · 10^(e−5)` come from `y = |x| · 10^(5−e)` computed with one
//! rounding (the powers `10^0 … 10^22` are exact in `f64`), so `y` is within `2^-53 · 10^6 <
//! 1.2·10^-10` of its exact value. Unless the exact value may lie within
//! [`TIE_MARGIN`] of a rounding boundary `k + ½`, rounding `y` gives the correctly rounded
//! digits that `{:.5e}` gives; near a boundary, and outside `10^-17 … 10^27`, the number is
//! written by [`crate::cli::readable::number`] itself.

use crate::cli::readable::number;

/// `10^0 … 10^22`, each exact in `f64`.
pub(super) const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Distances of the scaled value to a rounding boundary below which the slow, exact path is
/// taken: far above the error `1.2·10^-10` of one rounded product or quotient near `10^6`.
const TIE_MARGIN: f64 = 1e-6;

/// `|x| · 10^(5 − e)` with one rounding, or `None` when the power is not exact in `f64`.
fn scaled(magnitude: f64, exponent: i32) -> Option<f64> {
    let shift = 5 - exponent;
    let power = *POWERS_OF_TEN.get(shift.unsigned_abs() as usize)?;
    Some(if shift >= 0 {
        magnitude * power
    } else {
        magnitude / power
    })
}

/// The six correctly rounded significant digits of a positive normal `magnitude` and its
/// decimal exponent, or `None` when the fast path cannot be sure of them.
pub(super) fn six_digits(magnitude: f64) -> Option<(u32, i32)> {
    let estimate = decimal_estimate(magnitude.to_bits());
    let (below, above) = (
        scaled(magnitude, estimate)?,
        scaled(magnitude, estimate + 1)?,
    );
    let (digits, exponent) = rounded_six(below, above, estimate);
    (digits != 0).then_some((digits, exponent))
}

/// `⌊e₂ · log10 2⌋` for the binary exponent `e₂` of the `f64` with these bits (`|e₂| ≤ 1100`;
/// 78913 / 2^18 ≈ log10 2): the decimal exponent of `|x|` or one below it.
#[inline(always)]
pub(super) fn decimal_estimate(bits: u64) -> i32 {
    ((((bits >> 52) & 0x7ff) as i32 - 1023) * 78913) >> 18
}

/// The six correctly rounded significant digits and the decimal exponent of `|x|` from its two
/// scalings `below = |x| · 10^(5 − estimate)` and `above = |x| · 10^(4 − estimate)`, each with
/// one rounding; digits 0 when the chosen `y` is outside `[10^5, 10^6)` or may lie within
/// [`TIE_MARGIN`] of a rounding boundary. Both scalings are at hand and one is chosen, and
/// every test is a selection, not a branch: which way a number goes is as good as random, and
/// a row of numbers runs on vectors.
#[inline(always)]
pub(super) fn rounded_six(below: f64, above: f64, estimate: i32) -> (u32, i32) {
    let up = below >= 1e6;
    let y = if up { above } else { below };
    let whole = y.trunc();
    let fraction = y - whole;
    let sure = (1e5..1e6).contains(&y) && (fraction - 0.5).abs() >= TIE_MARGIN;
    let digits = whole + if fraction > 0.5 { 1.0 } else { 0.0 };
    let carry = digits == 1e6;
    let digits = if carry { 100_000 } else { digits as u32 };
    (
        if sure { digits } else { 0 },
        estimate + i32::from(up) + i32::from(carry),
    )
}

/// `"00" "01" … "99"`: two decimal digits at a time.
const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// A short text of at most `W` bytes, built on the stack. Its bytes past `length` are scratch:
/// [`super::forward_text`] copies all `W` of them at once (a fixed-width copy, no call to
/// `memmove`) and keeps `length`.
pub(super) struct Fixed<const W: usize> {
    pub(super) bytes: [u8; W],
    pub(super) length: usize,
}

impl<const W: usize> Fixed<W> {
    pub(super) fn new() -> Self {
        Fixed {
            bytes: [0; W],
            length: 0,
        }
    }

    pub(super) fn push(&mut self, byte: u8) {
        self.bytes[self.length] = byte;
        self.length += 1;
    }

    /// A byte at a time: the pieces are a few bytes long, shorter than a call to `memmove`.
    pub(super) fn push_slice(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.push(b);
        }
    }

    /// `value` in decimal.
    pub(super) fn push_integer(&mut self, mut value: u64) {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        while value >= 100 {
            let pair = (value % 100) as usize * 2;
            value /= 100;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        }
        if value >= 10 {
            let pair = value as usize * 2;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
        } else {
            start -= 1;
            digits[start] = b'0' + value as u8;
        }
        self.push_slice(&digits[start..]);
    }
}

/// `x` exactly as [`number`] writes it (at most 24 bytes: `-1.23456e-308`, `NaN`, …), into
/// the start of `out`; returns its length. The bytes past it are scratch. The digits are
/// stored where they belong in `out` (no text is built elsewhere and copied: a wide load of
/// bytes just stored at another offset waits for the stores).
pub(super) fn write_number(x: f64, out: &mut [u8; 32]) -> usize {
    let fast = if x.is_normal() {
        six_digits(x.abs())
    } else {
        None
    };
    let Some((digits, exponent)) = fast else {
        let text = number(x);
        out[..text.len()].copy_from_slice(text.as_bytes());
        return text.len();
    };
    let start = usize::from(x < 0.0);
    out[0] = b'-';
    if !(-4..6).contains(&exponent) {
        let mut text = Fixed::<32>::new();
        let six = six_text(digits);
        text.length = start;
        push_scientific(&mut text, &six.to_le_bytes()[..significant(six)], exponent);
        out[start..text.length].copy_from_slice(&text.bytes[start..text.length]);
        return text.length;
    }
    positional(digits, exponent, start, out)
}

/// Writes the positional text of `0.d…` (`exponent` in `-4..0`) or `d…[.d…]` (`0..6`) from
/// `start` on and returns the end. Both layouts are two 8-byte stores whose contents and
/// places are chosen without a branch (which layout a number takes is as good as random):
/// - `exponent < 0`: `0.0000` at `start`, then the digits at `start + 1 − exponent`;
/// - otherwise: the digits at `start`, then `.` and the digits after the first
///   `exponent + 1` at `start + exponent + 1` (the `.` is left past the end when no digit
///   follows it).
pub(super) fn positional(digits: u32, exponent: i32, start: usize, out: &mut [u8; 32]) -> usize {
    let six = six_text(digits);
    let significant = significant(six);
    let fraction = exponent < 0;
    let whole = (exponent + 1).max(0) as usize;
    let digit_bytes = eight_from(six, 0);
    let first = if fraction {
        *b"0.0000\0\0"
    } else {
        digit_bytes
    };
    let rest = (u64::from(b'.') | (u64::from_le_bytes(eight_from(six, whole)) << 8)).to_le_bytes();
    let (second, at) = if fraction {
        (digit_bytes, start + (1 - exponent) as usize)
    } else {
        (rest, start + whole)
    };
    out[start..start + 8].copy_from_slice(&first);
    out[at..at + 8].copy_from_slice(&second);
    if fraction {
        at + significant
    } else if significant > whole {
        start + significant + 1
    } else {
        start + whole
    }
}

/// Sixteen `'0'` bytes.
const ZEROS: u128 = u128::from_le_bytes([b'0'; 16]);

/// The six digits of `digits` in bytes 0..6 (first digit lowest), then `'0'`s: built in a
/// register and stored whole, so no wide load ever reads narrow stores.
fn six_text(digits: u32) -> u128 {
    let pair = |k: u32| {
        let at = k as usize * 2;
        u128::from(u16::from_le_bytes([DIGIT_PAIRS[at], DIGIT_PAIRS[at + 1]]))
    };
    let (high, middle, low) = (digits / 10_000, digits / 100 % 100, digits % 100);
    (ZEROS & !0xffff_ffff_ffff) | pair(high) | (pair(middle) << 16) | (pair(low) << 32)
}

/// How many of the six digits are left without trailing zeros (at least one: the first digit
/// is not 0).
fn significant(six: u128) -> usize {
    let digits = (six ^ ZEROS) as u64 & 0xffff_ffff_ffff;
    (63 - digits.leading_zeros() as usize) / 8 + 1
}

/// Eight bytes of `six` from byte `from` on.
fn eight_from(six: u128, from: usize) -> [u8; 8] {
    ((six >> (8 * from)) as u64).to_le_bytes()
}

/// `d.ddddde±x`: the digits (without trailing zeros) and the decimal exponent.
fn push_scientific(text: &mut Fixed<32>, digits: &[u8], exponent: i32) {
    text.push(digits[0]);
    if digits.len() > 1 {
        text.push(b'.');
        text.push_slice(&digits[1..]);
    }
    text.push(b'e');
    if exponent < 0 {
        text.push(b'-');
    }
    text.push_integer(u64::from(exponent.unsigned_abs()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(x: f64) -> String {
        let mut out = [0u8; 32];
        let length = write_number(x, &mut out);
        std::str::from_utf8(&out[..length])
            .expect("ASCII")
            .to_string()
    }

    #[test]
    fn the_fast_text_is_the_readable_text() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut checked = 0;
        for _ in 0..400_000 {
            let bits = next();
            // Any finite f64, and values of every magnitude the estimates take.
            let any = f64::from_bits(bits);
            let exponent = (bits % 60) as i32 - 30;
            let moderate = (bits >> 12) as f64 / (1u64 << 52) as f64 * 10f64.powi(exponent);
            for x in [any, moderate, -moderate] {
                if x.is_finite() {
                    assert_eq!(fast(x), number(x), "{x:e} ({:#x})", x.to_bits());
                    checked += 1;
                }
            }
        }
        assert!(checked > 1_000_000);
    }

    #[test]
    fn ties_boundaries_and_specials_are_written_as_readable_writes_them() {
        let mut cases = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1e-4,
            9.999995e-5,
            1e6,
            999999.5,
            999999.4999999,
            123456.5,
            1234565.0,
            0.1234565,
            2.5e-5,
            1e22,
            1e23,
            1e-17,
            1e-18,
            1e300,
            5e-324,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
        ];
        // Exact ties k + ½ at six digits, and their neighbours, at many exponents.
        for k in [100000u64, 123456, 500000, 999999] {
            for e in -20..25 {
                let x = (k as f64 + 0.5) * 10f64.powi(e - 5);
                cases.extend([x, x.next_up(), x.next_down()]);
            }
        }
        for x in cases {
            assert_eq!(fast(x), number(x), "{x:e}");
        }
    }
}
