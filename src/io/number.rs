//! Exact numbers in files: strings holding rationals (`"-3/7"`, `"0.125"`, `"2"`, `"1e-3"`) or
//! JSON numbers, read exactly as the decimal written (never through `f64`).

use num_bigint::BigInt;
use num_traits::{One, Zero};
use serde_json::Value;

use crate::scalar::Rational;

/// The longest number text accepted, so that a hostile file cannot demand a giant bignum.
pub const MAX_NUMBER_TEXT: usize = 4096;

/// The largest decimal exponent accepted (`1e±4096`), for the same reason.
pub const MAX_DECIMAL_EXPONENT: i64 = 4096;

/// Parses an exact rational from text: an optional sign, then either `p/q` with integers
/// `p`, `q ≠ 0`, or a decimal with optional fraction and exponent.
pub fn parse_rational(text: &str) -> Result<Rational, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty number".into());
    }
    if text.len() > MAX_NUMBER_TEXT {
        return Err(format!("number text longer than {MAX_NUMBER_TEXT} characters"));
    }
    if let Some((numerator, denominator)) = text.split_once('/') {
        let p = parse_integer(numerator.trim())
            .ok_or_else(|| format!("{text:?} is not a rational: bad numerator"))?;
        let q = parse_integer(denominator.trim())
            .ok_or_else(|| format!("{text:?} is not a rational: bad denominator"))?;
        if q.is_zero() {
            return Err(format!("{text:?} has a zero denominator"));
        }
        return Ok(Rational::new(p, q));
    }
    parse_decimal(text).ok_or_else(|| format!("{text:?} is not a number (expected \"-3/7\", \"0.125\" or \"2\")"))
}

fn parse_integer(text: &str) -> Option<BigInt> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_decimal(text: &str) -> Option<Rational> {
    let (negative, body) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(k) => {
            let e: i64 = body[k + 1..].parse().ok()?;
            (&body[..k], e)
        }
        None => (body, 0),
    };
    if exponent.abs() > MAX_DECIMAL_EXPONENT {
        return None;
    }
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: BigInt = format!("{whole}{fraction}").parse().ok()?;
    let scale = exponent - fraction.len() as i64;
    let ten = BigInt::from(10);
    let value = if scale >= 0 {
        Rational::from_integer(digits * num_traits::pow(ten, scale as usize))
    } else {
        Rational::new(digits, num_traits::pow(ten, (-scale) as usize))
    };
    Some(if negative { -value } else { value })
}

/// Reads a number from a JSON value: a string as [`parse_rational`], a JSON number as the
/// decimal written (this needs `serde_json`'s `arbitrary_precision`, which keeps its text).
pub fn rational_from_json(value: &Value) -> Result<Rational, String> {
    match value {
        Value::String(text) => parse_rational(text),
        Value::Number(number) => parse_rational(&number.to_string()),
        Value::Null => Err("null where a number is required".into()),
        other => Err(format!("{other} is not a number or a string holding one")),
    }
}

/// The canonical text of a rational: `"p/q"`, or `"p"` for an integer.
pub fn rational_to_text(value: &Rational) -> String {
    if value.denom().is_one() {
        value.numer().to_string()
    } else {
        format!("{}/{}", value.numer(), value.denom())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> Rational {
        Rational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn reads_every_written_form_exactly() {
        assert_eq!(parse_rational("-3/7").unwrap(), r(-3, 7));
        assert_eq!(parse_rational("0.125").unwrap(), r(1, 8));
        assert_eq!(parse_rational("2").unwrap(), r(2, 1));
        assert_eq!(parse_rational("1e-3").unwrap(), r(1, 1000));
        assert_eq!(parse_rational("-1.5E+2").unwrap(), r(-150, 1));
        assert_eq!(parse_rational(".5").unwrap(), r(1, 2));
        assert_eq!(parse_rational("0.1").unwrap(), r(1, 10));
    }

    #[test]
    fn rejects_malformed_numbers() {
        for bad in ["", "1/0", "abc", "1.2.3", "NaN", "inf", "1e99999", "3/", "/4", "--1", "1/-0"] {
            assert!(parse_rational(bad).is_err(), "{bad} accepted");
        }
    }
}
