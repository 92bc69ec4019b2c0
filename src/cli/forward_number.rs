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
const POWERS_OF_TEN: [f64; 23] = [
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
fn six_digits(magnitude: f64) -> Option<(u32, i32)> {
    let binary_exponent = ((magnitude.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    // ⌊e₂ · log10 2⌋ for |e₂| ≤ 1100 (78913 / 2^18 ≈ log10 2), within one of the decimal
    // exponent, which the two corrections below find.
    let mut exponent = (binary_exponent * 78913) >> 18;
    let mut y = scaled(magnitude, exponent)?;
    if y >= 1e6 {
        exponent += 1;
        y = scaled(magnitude, exponent)?;
    } else if y < 1e5 {
        exponent -= 1;
        y = scaled(magnitude, exponent)?;
    }
    if !(1e5..1e6).contains(&y) {
        return None;
    }
    let whole = y as u32;
    let fraction = y - f64::from(whole);
    if (fraction - 0.5).abs() < TIE_MARGIN {
        return None;
    }
    let digits = whole + u32::from(fraction > 0.5);
    Some(if digits == 1_000_000 {
        (100_000, exponent + 1)
    } else {
        (digits, exponent)
    })
}

/// `"00" "01" … "99"`: two decimal digits at a time.
const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// One entry's text `" (p,c)=v"`, built on the stack and appended to the output in one copy.
pub(super) struct EntryText {
    bytes: [u8; 96],
    length: usize,
}

impl EntryText {
    /// ` (position,channel)=value`, `value` as [`number`] writes it.
    pub(super) fn new(position: usize, channel: usize, value: f64) -> Self {
        let mut text = EntryText {
            bytes: [0; 96],
            length: 0,
        };
        text.push_slice(b" (");
        text.push_integer(position as u64);
        text.push(b',');
        text.push_integer(channel as u64);
        text.push_slice(b")=");
        text.push_number(value);
        text
    }

    /// The text.
    /// ` (row,column,channel)=value`: an entry of an image layer's estimate.
    pub(super) fn on_grid(row: usize, column: usize, channel: usize, value: f64) -> Self {
        let mut text = EntryText {
            bytes: [0; 96],
            length: 0,
        };
        text.push_slice(b" (");
        text.push_integer(row as u64);
        text.push(b',');
        text.push_integer(column as u64);
        text.push(b',');
        text.push_integer(channel as u64);
        text.push_slice(b")=");
        text.push_number(value);
        text
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.length]
    }

    fn push(&mut self, byte: u8) {
        self.bytes[self.length] = byte;
        self.length += 1;
    }

    /// A byte at a time: the pieces are a few bytes long, shorter than a call to `memmove`.
    fn push_slice(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.push(b);
        }
    }

    fn push_integer(&mut self, mut value: u64) {
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

    /// `x` exactly as [`number`] writes it (at most 24 bytes: `-1.23456e-308`, `NaN`, …).
    fn push_number(&mut self, x: f64) {
        let fast = if x.is_normal() {
            six_digits(x.abs())
        } else {
            None
        };
        let Some((digits, exponent)) = fast else {
            self.push_slice(number(x).as_bytes());
            return;
        };
        let mut text = [0u8; 6];
        let mut rest = digits as usize;
        for slot in text.chunks_exact_mut(2).rev() {
            let pair = (rest % 100) * 2;
            slot.copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
            rest /= 100;
        }
        let significant = text.len() - text.iter().rev().take_while(|d| **d == b'0').count();
        let digits = &text[..significant];
        if x < 0.0 {
            self.push(b'-');
        }
        if !(-4..6).contains(&exponent) {
            self.push(digits[0]);
            if digits.len() > 1 {
                self.push(b'.');
                self.push_slice(&digits[1..]);
            }
            self.push(b'e');
            if exponent < 0 {
                self.push(b'-');
            }
            self.push_integer(u64::from(exponent.unsigned_abs()));
        } else if exponent < 0 {
            self.push_slice(b"0.");
            for _ in 1..exponent.unsigned_abs() {
                self.push(b'0');
            }
            self.push_slice(digits);
        } else {
            let whole = exponent as usize + 1;
            if digits.len() <= whole {
                self.push_slice(digits);
                for _ in digits.len()..whole {
                    self.push(b'0');
                }
            } else {
                self.push_slice(&digits[..whole]);
                self.push(b'.');
                self.push_slice(&digits[whole..]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(x: f64) -> String {
        let text = EntryText::new(12, 3, x);
        let written = std::str::from_utf8(text.as_bytes()).expect("ASCII");
        written
            .strip_prefix(" (12,3)=")
            .expect("the entry")
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
