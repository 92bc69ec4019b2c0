//! Exact numbers in files: strings holding rationals (`"-3/7"`, `"0.125"`, `"2"`, `"1e-3"`) or
//! JSON numbers, read exactly as the decimal written (never through `f64`).

use num_bigint::BigInt;
use num_traits::Zero;
use serde_json::Value;

use crate::scalar::Rational;

/// The longest number text accepted, so that a hostile file cannot demand a giant bignum.
pub const MAX_NUMBER_TEXT: usize = 4096;

/// The largest decimal exponent accepted (`1e±4096`), for the same reason.
pub const MAX_DECIMAL_EXPONENT: i64 = 4096;

/// Parses an exact rational from text: an optional sign, then either `p/q` with integers
/// `p`, `q ≠ 0`, or a decimal with optional fraction and exponent. Both the text and the
/// canonical form of its value ([`rational_to_text`]) must fit in [`MAX_NUMBER_TEXT`]
/// characters, so that every number read is written back in a form that reads again.
pub fn parse_rational(text: &str) -> Result<Rational, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty number".into());
    }
    if text.len() > MAX_NUMBER_TEXT {
        return Err(format!(
            "number text longer than {MAX_NUMBER_TEXT} characters"
        ));
    }
    if let Some(message) = non_finite_word(text) {
        return Err(message);
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
    let value = parse_decimal(text)?.ok_or_else(|| {
        format!("{text:?} is not a number (expected \"-3/7\", \"0.125\" or \"2\")")
    })?;
    // `p/q` reduces to a form no longer than written; a decimal can be longer as `p/q`
    // (`1e4095` has 4096 digits, `0.001` is `1/1000`). The bit count bounds the digits from
    // above (each part has at most `bits · log10 2 + 1` digits, then a sign and a slash), so
    // only numbers near the limit are written out to be measured (a loader hot path).
    let digits = (value.numer().bits() + value.denom().bits()) as f64 * std::f64::consts::LOG10_2;
    if digits + 4.0 > MAX_NUMBER_TEXT as f64 {
        let written = rational_to_text(&value).len();
        if written > MAX_NUMBER_TEXT {
            return Err(format!(
                "{text:?}: its exact value p/q takes {written} characters, more than {MAX_NUMBER_TEXT}"
            ));
        }
    }
    Ok(value)
}

/// The message for the IEEE words (`NaN`, `inf`, `infinity`, signed or not): an instance holds
/// exact rationals only, so these are never numbers.
fn non_finite_word(text: &str) -> Option<String> {
    let word = text
        .strip_prefix(['+', '-'])
        .unwrap_or(text)
        .to_ascii_lowercase();
    matches!(word.as_str(), "nan" | "inf" | "infinity")
        .then(|| format!("{text:?} is not a finite number: instance numbers are exact rationals"))
}

fn parse_integer(text: &str) -> Option<BigInt> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A decimal `[sign] digits [. digits] [e|E [sign] digits]`: `Ok(None)` when the text is not of
/// that form, `Err` when it is but its exponent is beyond [`MAX_DECIMAL_EXPONENT`].
fn parse_decimal(text: &str) -> Result<Option<Rational>, String> {
    let (negative, body) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(k) => {
            let written = &body[k + 1..];
            let digits = written.strip_prefix(['+', '-']).unwrap_or(written);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Ok(None);
            }
            // An exponent too long for i64 is still an exponent, and certainly too large.
            let e = written
                .parse::<i64>()
                .ok()
                .filter(|e| e.unsigned_abs() <= MAX_DECIMAL_EXPONENT as u64);
            let Some(e) = e else {
                return Err(format!(
                    "{text:?}: the exponent {written} is beyond ±{MAX_DECIMAL_EXPONENT}, the largest accepted"
                ));
            };
            (&body[..k], e)
        }
        None => (body, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() {
        return Ok(None);
    }
    if !whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return Ok(None);
    }
    let Ok(digits) = format!("{whole}{fraction}").parse::<BigInt>() else {
        return Ok(None);
    };
    // |exponent| ≤ MAX_DECIMAL_EXPONENT and the fraction is at most MAX_NUMBER_TEXT digits.
    let scale = exponent - fraction.len() as i64;
    let ten = BigInt::from(10);
    let value = if scale >= 0 {
        Rational::from_integer(digits * num_traits::pow(ten, scale.unsigned_abs() as usize))
    } else {
        Rational::new(digits, num_traits::pow(ten, scale.unsigned_abs() as usize))
    };
    Ok(Some(if negative { -value } else { value }))
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

/// The longest text [`decimal_f64`] reads; anything longer takes the exact path.
const SHORT_DECIMAL: usize = 64;

/// The `f64` nearest to a short decimal (`[sign] digits [. digits] [e|E [sign] digits]`, at most
/// 64 characters, a JSON number or a string), when it is finite, normal and not zero; `None`
/// otherwise, for the exact path ([`rational_from_json`]) to decide.
///
/// Rust's `str::parse::<f64>` and the exact rational's `to_f64` both round the same exact value
/// to nearest, ties to even, so they give the same `f64` (`tests/all/number_fast_path.rs`);
/// this one skips the big integers and their greatest common divisors, which took most of the
/// time of reading a large instance in `f64`.
pub fn decimal_f64(value: &Value) -> Option<f64> {
    number_text(value).and_then(decimal_text_f64)
}

/// The text of a number as written: a string's contents, a JSON number's digits (kept by
/// `serde_json`'s `arbitrary_precision`); `None` for any other value.
pub fn number_text(value: &Value) -> Option<&str> {
    match value {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.as_str()),
        _ => None,
    }
}

/// [`decimal_f64`] of a number's text ([`number_text`]).
pub fn decimal_text_f64(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.len() > SHORT_DECIMAL || !is_plain_decimal(text) {
        return None;
    }
    text.parse::<f64>().ok().filter(|x| x.is_normal())
}

/// `[sign] digits [. digits] [e|E [sign] digits]` with at least one mantissa digit.
fn is_plain_decimal(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(k) => (&body[..k], Some(&body[k + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.len() <= 4 && digits(e)
    });
    !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction) && exponent_ok
}

pub use crate::scalar::rational_to_text;

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
        for bad in [
            "", "1/0", "abc", "1.2.3", "NaN", "inf", "1e99999", "3/", "/4", "--1", "1/-0",
        ] {
            assert!(parse_rational(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn every_accepted_number_is_written_back_in_a_form_that_reads_again() {
        for text in [
            "1e4000",
            "1e-4000",
            "123.456e-3000",
            "9e4094",
            "1e4096",
            "1e-4096",
            "7.5e4095",
        ] {
            match parse_rational(text) {
                Ok(value) => assert_eq!(
                    parse_rational(&rational_to_text(&value)).as_ref(),
                    Ok(&value),
                    "{text}"
                ),
                Err(message) => assert!(message.contains("more than 4096"), "{text}: {message}"),
            }
        }
        assert!(parse_rational("1e4096").is_err() && parse_rational("1e4000").is_ok());
    }

    #[test]
    fn extreme_exponents_are_rejected_by_name() {
        for bad in [
            "1e-9223372036854775808",
            "1e9223372036854775807",
            "1e99999999999999999999",
            "1e4097",
            "1e-4097",
        ] {
            let message = parse_rational(bad).expect_err(bad);
            assert!(message.contains("exponent"), "{bad}: {message}");
        }
        assert_eq!(
            parse_rational("1e-4000").unwrap(),
            Rational::new(BigInt::from(1), BigInt::from(10).pow(4000))
        );
        assert!(
            parse_rational("-Infinity")
                .unwrap_err()
                .contains("not a finite number")
        );
    }
}
