//! Numbers printed for reading: every command's text output shows numbers through this module,
//! while `--json` keeps the exact values.
//!
//! - A number has [`SIGNIFICANT_DIGITS`] significant digits, trailing zeros dropped, written
//!   positionally when its decimal exponent lies in `[-4, 6)` (`0.64`, `1.25`, `1834.14`) and
//!   in scientific notation otherwise (`1e-310`, `1.23457e+300` is written `1.23457e300`).
//!   `0`, `NaN`, `inf` and `-inf` are written as such.
//! - An exact rational `p/q` of at most [`SHORT_FRACTION`] characters is already readable
//!   and exact (`1/128`, `-19/256`), so it is kept; a longer one is rounded, exactly (never
//!   through `f64`, so `10^400/3` is `3.33333e399`), to the same six digits.
//! - An enclosure `[lo, hi]` is shown by its midpoint and half-width, the half-width rounded
//!   up to one significant digit so the interval shown contains the enclosure's:
//!   `0.0412376 ± 3e-12`.
//! - A progress rate is a whole number of cases per second from 100 on (`1834/s`), three
//!   significant digits below (`12.3/s`).

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, Zero};

use crate::scalar::Rational;

/// Significant digits of a printed number.
pub const SIGNIFICANT_DIGITS: usize = 6;

/// The longest fraction `p/q` kept as written.
pub const SHORT_FRACTION: usize = 9;

/// Decimal exponents printed positionally: `10^-4 ≤ |x| < 10^6`.
const POSITIONAL: std::ops::Range<i64> = -4..6;

/// How the last kept digit is rounded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rounding {
    /// To nearest, ties to even.
    Nearest,
    /// Away from zero (for half-widths, so the shown interval contains the enclosure).
    Up,
}

/// `x` with six significant digits.
pub fn number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    if x == 0.0 {
        return "0".into();
    }
    // `{:.5e}` rounds the exact binary value correctly: "6.40000e-1".
    let written = format!("{:.*e}", SIGNIFICANT_DIGITS - 1, x.abs());
    let (mantissa, exponent) = written.split_once('e').expect("scientific notation");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i64 = exponent.parse().expect("an integer exponent");
    layout(x < 0.0, &digits, exponent)
}

/// An exact rational with six significant digits, computed exactly.
pub fn rational(value: &Rational) -> String {
    match decimal(value, SIGNIFICANT_DIGITS, Rounding::Nearest) {
        None => "0".into(),
        Some((digits, exponent)) => layout(value.is_negative(), &digits, exponent),
    }
}

/// A number written as text (`"-3/7"`, `"6.400000000000001e-1"`, `"2"`): a short fraction or a
/// decimal of at most six significant digits as written, anything longer rounded as
/// [`rational`]; `None` when the text is not a number.
pub fn number_text(text: &str) -> Option<String> {
    let value = crate::io::number::parse_rational(text).ok()?;
    let text = text.trim();
    let keep = if text.contains('/') {
        text.len() <= SHORT_FRACTION
    } else {
        !text.contains(['e', 'E'])
            && text.bytes().filter(u8::is_ascii_digit).count() <= SIGNIFICANT_DIGITS
    };
    Some(if keep { text.into() } else { rational(&value) })
}

/// An enclosure `[lo, hi]` of `f64` ends: its midpoint, `±` its half-width rounded up.
pub fn interval(lo: f64, hi: f64) -> String {
    if lo == hi {
        return number(lo);
    }
    if !(lo.is_finite() && hi.is_finite()) || lo > hi {
        return format!("[{}, {}]", number(lo), number(hi));
    }
    // Exact: f64 ends are rationals, and their midpoint may not be an f64.
    match (Rational::from_float(lo), Rational::from_float(hi)) {
        (Some(lo), Some(hi)) => rational_interval(&lo, &hi),
        _ => format!("[{}, {}]", number(lo), number(hi)),
    }
}

/// An enclosure `[lo, hi]` of exact ends: its midpoint, `±` its half-width rounded up.
pub fn rational_interval(lo: &Rational, hi: &Rational) -> String {
    let two = Rational::from_integer(BigInt::from(2));
    let radius = (hi - lo).abs() / &two;
    if radius.is_zero() {
        return rational(lo);
    }
    let (digits, exponent) = decimal(&radius, 1, Rounding::Up).expect("a nonzero half-width");
    let midpoint = (lo + hi) / two;
    format!(
        "{} ± {}",
        rational(&midpoint),
        layout(false, &digits, exponent)
    )
}

/// A progress rate in cases per second.
pub fn rate(per_second: f64) -> String {
    if !per_second.is_finite() || per_second <= 0.0 {
        return "-/s".into();
    }
    if per_second >= 100.0 {
        return format!("{:.0}/s", per_second);
    }
    let exponent = per_second.log10().floor() as i64;
    let decimals = (2 - exponent).max(0) as usize;
    let text = format!("{per_second:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}/s")
}

/// Rewrites the numbers in a message of the library (a failed hypothesis, a witness, an open
/// comparison) for reading: each number as [`number_text`], each enclosure `[a, b]` of two
/// numbers as [`rational_interval`]. A number is a token standing alone (after a space, `(`,
/// `[`, `=`, `,` or the start, and not followed by a letter, `_` or `.digit`), so names such as
/// `ε_0`, `β_3`, `2^20` and `64-bit` and paths are left as written.
pub fn message(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut k = 0;
    while k < bytes.len() {
        let standalone = k == 0 || b" ([=,\t".contains(&bytes[k - 1]);
        if standalone && bytes[k] == b'[' {
            if let Some((shown, end)) = enclosure_at(text, k) {
                out.push_str(&shown);
                k = end;
                continue;
            }
        }
        if standalone && let Some(end) = number_at(bytes, k) {
            let token = &text[k..end];
            out.push_str(&number_text(token).unwrap_or_else(|| token.into()));
            k = end;
            continue;
        }
        // Copy one character (UTF-8 aware), and the rest of a word that is not a number.
        let c = text[k..].chars().next().expect("a character");
        out.push(c);
        k += c.len_utf8();
        if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '^' || c == '/' {
            while k < bytes.len()
                && (bytes[k].is_ascii_alphanumeric() || b"_.-^/".contains(&bytes[k]))
            {
                out.push(bytes[k] as char);
                k += 1;
            }
        }
    }
    out
}

/// `[a, b]` at `start` with `a`, `b` numbers: the readable enclosure and the index after it.
fn enclosure_at(text: &str, start: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let a_end = number_at(bytes, start + 1)?;
    let rest = &text[a_end..];
    let b_start = a_end + rest.len() - rest.strip_prefix(',')?.trim_start().len();
    let b_end = number_at(bytes, b_start)?;
    if bytes.get(b_end) != Some(&b']') {
        return None;
    }
    let parse = |s: &str| crate::io::number::parse_rational(s).ok();
    let (lo, hi) = (
        parse(&text[start + 1..a_end])?,
        parse(&text[b_start..b_end])?,
    );
    Some((rational_interval(&lo, &hi), b_end + 1))
}

/// The end of the number token `[-+]digits[.digits][e[-+]digits][/digits]` at `start`, when
/// it is one standing alone (not followed by a letter, `_`, `.digit` or `^`).
fn number_at(bytes: &[u8], start: usize) -> Option<usize> {
    let digits = |mut k: usize| {
        let from = k;
        while k < bytes.len() && bytes[k].is_ascii_digit() {
            k += 1;
        }
        (k > from).then_some(k)
    };
    let mut k = start;
    if matches!(bytes.get(k), Some(b'-' | b'+')) {
        k += 1;
    }
    k = digits(k)?;
    if bytes.get(k) == Some(&b'.')
        && let Some(end) = digits(k + 1)
    {
        k = end;
    }
    if matches!(bytes.get(k), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(k + 1), Some(b'-' | b'+')));
        if let Some(end) = digits(k + 1 + sign) {
            k = end;
        }
    }
    if bytes.get(k) == Some(&b'/')
        && let Some(end) = digits(k + 1)
    {
        k = end;
    }
    let next = bytes.get(k).copied();
    let after = bytes.get(k + 1).copied();
    let glued = next.is_some_and(|b| b.is_ascii_alphanumeric() || b"_^/".contains(&b))
        || (next == Some(b'.') && after.is_some_and(|b| b.is_ascii_digit()));
    (!glued).then_some(k)
}

/// The first `significant` decimal digits of `|value|` and its decimal exponent (`|value|` ≈
/// `d.ddd × 10^exponent`), rounded as asked; `None` for zero.
fn decimal(value: &Rational, significant: usize, rounding: Rounding) -> Option<(String, i64)> {
    if value.is_zero() {
        return None;
    }
    let (a, b) = (value.numer().abs(), value.denom().abs());
    let ten = BigInt::from(10);
    let length = |x: &BigInt| x.to_str_radix(10).len() as i64;
    // a/b lies in [10^(e-1), 10^(e+1)) for e = len(a) − len(b).
    let mut exponent = length(&a) - length(&b);
    if compare_scaled(&a, &b, exponent) == Ordering::Less {
        exponent -= 1;
    }
    // n = |value| · 10^(significant − 1 − exponent), rounded.
    let shift = significant as i64 - 1 - exponent;
    let (numerator, denominator) = if shift >= 0 {
        (a * num_traits::pow(ten.clone(), shift as usize), b)
    } else {
        (
            a,
            b * num_traits::pow(ten.clone(), shift.unsigned_abs() as usize),
        )
    };
    let (mut n, remainder): (BigInt, BigInt) = numerator.div_rem(&denominator);
    let round_away = match rounding {
        Rounding::Up => !remainder.is_zero(),
        Rounding::Nearest => match (remainder * BigInt::from(2)).cmp(&denominator) {
            Ordering::Greater => true,
            Ordering::Equal => n.is_odd(),
            Ordering::Less => false,
        },
    };
    if round_away {
        n += 1;
    }
    let mut digits = n.to_str_radix(10);
    if digits.len() > significant {
        // Rounded up to the next power of ten.
        digits.truncate(significant);
        exponent += 1;
    }
    Some((digits, exponent))
}

/// `a/b` against `10^exponent`.
fn compare_scaled(a: &BigInt, b: &BigInt, exponent: i64) -> Ordering {
    let power = num_traits::pow(BigInt::from(10), exponent.unsigned_abs() as usize);
    if exponent >= 0 {
        a.cmp(&(b * power))
    } else {
        (a * power).cmp(b)
    }
}

/// Writes the digits `d₁d₂…` of `±d₁.d₂… × 10^exponent`, trailing zeros dropped.
fn layout(negative: bool, digits: &str, exponent: i64) -> String {
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let sign = if negative { "-" } else { "" };
    if !POSITIONAL.contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { "" } else { "." };
        return format!("{sign}{first}{point}{rest}e{exponent}");
    }
    if exponent < 0 {
        let zeros = "0".repeat(exponent.unsigned_abs() as usize - 1);
        return format!("{sign}0.{zeros}{digits}");
    }
    let whole = exponent as usize + 1;
    if digits.len() <= whole {
        format!("{sign}{digits}{}", "0".repeat(whole - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..whole], &digits[whole..])
    }
}

#[cfg(test)]
#[path = "readable_tests.rs"]
mod tests;
