//! One field of a sparse vector's entry as written (`position`, `channel` or `value`), kept
//! without a heap allocation when it is short: a JSON number or a JSON string without escapes of
//! at most [`Short::CAPACITY`] bytes is held inline, with its text exactly as written; anything
//! else (a pair `[row, column]`, a long number, `null`, …) as a [`Value`].
//!
//! An instance file of a hundred thousand entries held three `Value`s an entry, each with a
//! text of its own on the heap; allocating and freeing them took most of the time of reading
//! the file. The field reads the same JSON as a `Value` (any JSON value), gives back the same
//! `Value` ([`EntryValue::to_value`]) and writes the same JSON.

use std::borrow::Cow;

use serde::de::Error as _;
use serde_json::Value;
use serde_json::value::RawValue;

/// A field of an entry: a short number, a short string, or any other JSON value.
#[derive(Clone, Debug)]
pub enum EntryValue {
    /// A JSON number of at most [`Short::CAPACITY`] bytes, its text as written.
    Number(Short),
    /// A JSON string without escapes of at most [`Short::CAPACITY`] bytes: its contents.
    String(Short),
    /// Any other JSON value.
    Json(Box<Value>),
}

/// A text of at most [`Short::CAPACITY`] bytes held inline.
#[derive(Clone, Copy)]
pub struct Short {
    length: u8,
    bytes: [u8; Short::CAPACITY],
}

impl Short {
    /// The longest text held inline: every `f64` written shortest (at most 24 bytes) fits.
    pub const CAPACITY: usize = 30;

    fn new(text: &str) -> Option<Short> {
        let mut bytes = [0; Short::CAPACITY];
        bytes
            .get_mut(..text.len())?
            .copy_from_slice(text.as_bytes());
        Some(Short {
            length: text.len() as u8,
            bytes,
        })
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Built from a `&str` whole, so the bytes are UTF-8.
        std::str::from_utf8(&self.bytes[..usize::from(self.length)]).unwrap_or_default()
    }
}

impl std::fmt::Debug for Short {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl EntryValue {
    /// The field from JSON text of one value (as `RawValue` holds it). A number with an
    /// exponent goes through `Value`, which writes its exponent `e±d` (`1E3` is `1e+3`).
    fn from_json_text(text: &str) -> serde_json::Result<EntryValue> {
        let short = match text.as_bytes().first() {
            Some(b'"') if !text.contains('\\') => {
                Short::new(&text[1..text.len() - 1]).map(EntryValue::String)
            }
            Some(b'-' | b'0'..=b'9') if !text.contains(['e', 'E']) => {
                Short::new(text).map(EntryValue::Number)
            }
            _ => None,
        };
        match short {
            Some(short) => Ok(short),
            None => Ok(EntryValue::from(serde_json::from_str::<Value>(text)?)),
        }
    }

    /// The field as the `Value` it was read from.
    pub fn to_value(&self) -> Cow<'_, Value> {
        match self {
            EntryValue::Number(short) => Cow::Owned(Value::Number(
                // The text of a JSON number, read as one when the file was parsed.
                (short.as_str().parse()).unwrap_or_else(|_| serde_json::Number::from(0)),
            )),
            EntryValue::String(short) => Cow::Owned(Value::String(short.as_str().to_string())),
            EntryValue::Json(value) => Cow::Borrowed(value),
        }
    }

    /// The text of a number or a string (a JSON number's digits as written, a string's
    /// contents), without building a `Value`; `None` for any other value.
    pub fn text(&self) -> Option<&str> {
        match self {
            EntryValue::Number(short) | EntryValue::String(short) => Some(short.as_str()),
            EntryValue::Json(value) => crate::io::number::number_text(value),
        }
    }

    /// A JSON number that is a whole number `0 ≤ n < 2^64` written plainly (as
    /// `Value::as_u64` reads it).
    pub fn plain_whole(&self) -> Option<u64> {
        match self {
            EntryValue::Number(short) => short.as_str().parse().ok(),
            EntryValue::String(_) => None,
            EntryValue::Json(value) => value.as_u64(),
        }
    }

    /// The value, when it is a JSON array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            EntryValue::Json(value) => value.as_array(),
            _ => None,
        }
    }
}

impl From<Value> for EntryValue {
    fn from(value: Value) -> EntryValue {
        let short = match &value {
            Value::Number(number) => Short::new(number.as_str()).map(EntryValue::Number),
            Value::String(text) => Short::new(text).map(EntryValue::String),
            _ => None,
        };
        short.unwrap_or_else(|| EntryValue::Json(Box::new(value)))
    }
}

impl serde::Serialize for EntryValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            EntryValue::String(short) => serializer.serialize_str(short.as_str()),
            other => other.to_value().serialize(serializer),
        }
    }
}

impl<'de> serde::Deserialize<'de> for EntryValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        EntryValue::from_json_text(raw.get()).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of JSON value reads back as the `Value` it is and writes the same JSON.
    #[test]
    fn a_field_is_the_value_it_was_read_from() {
        let texts = [
            "0",
            "65535",
            "18446744073709551615",
            "18446744073709551616",
            "-1",
            "1.5",
            "1e3",
            "1E-3",
            "-2.5e+300",
            "-0.0011282187525105839",
            "123456789012345678901234567890.5",
            r#""0.0007568359499723139""#,
            r#""  1/3 ""#,
            r#""a \"quoted\" text""#,
            r#""é""#,
            r#""""#,
            r#""0.00000000000000000000000000000001""#,
            "[3, 4]",
            "null",
            "true",
            r#"{"a": 1}"#,
        ];
        for text in texts {
            let value: Value = serde_json::from_str(text).expect("JSON");
            let field: EntryValue = serde_json::from_str(text).expect("a field");
            assert_eq!(*field.to_value(), value, "{text}");
            assert_eq!(
                serde_json::to_string(&field).expect("written"),
                serde_json::to_string(&value).expect("written"),
                "{text}"
            );
            let from_value = EntryValue::from(value.clone());
            assert_eq!(*from_value.to_value(), value, "{text}");
            assert_eq!(field.plain_whole(), value.as_u64(), "{text}");
            assert_eq!(field.as_array(), value.as_array(), "{text}");
            let text_of_value = crate::io::number::number_text(&value);
            assert_eq!(field.text(), text_of_value, "{text}");
        }
    }

    /// The short forms are held inline, the rest as `Value`s.
    #[test]
    fn short_numbers_and_strings_are_inline() {
        let field = |text: &str| serde_json::from_str::<EntryValue>(text).expect("a field");
        assert!(matches!(field("65535"), EntryValue::Number(_)));
        assert!(matches!(field(r#""-0.5""#), EntryValue::String(_)));
        assert!(matches!(field(r#""a\nb""#), EntryValue::String(s) if s.as_str() == "a\nb"));
        assert!(matches!(field("[1, 2]"), EntryValue::Json(_)));
        assert!(matches!(field("1E3"), EntryValue::Number(_)));
        assert!(matches!(
            field("1234567890123456789012345678901"),
            EntryValue::Json(_)
        ));
        assert_eq!(std::mem::size_of::<EntryValue>(), 32);
    }
}
