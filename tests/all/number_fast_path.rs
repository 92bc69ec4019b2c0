//! The short-decimal fast path of reading an instance in `f64` (`mlcsc::io::number::decimal_f64`)
//! gives the `f64` the exact path gives: the exact rational of the text rounded to nearest, ties
//! to even. Rust's `str::parse::<f64>` and `Rational::to_f64` both round that way, so they agree
//! on every short decimal; the path is taken only for finite, normal, nonzero results, and
//! everything else goes to the exact path, errors included.

use mlcsc::io::InstanceFile;
use mlcsc::io::number::{decimal_f64, parse_rational};
use num_traits::ToPrimitive;
use proptest::prelude::*;
use serde_json::Value;

/// A decimal `[sign] digits [. digits] [e sign digits]` with up to 20 mantissa digits and an
/// exponent across the whole range of `f64` and beyond it.
fn decimals() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        "[0-9]{1,12}",
        proptest::option::of("[0-9]{1,8}"),
        proptest::option::of(-400i32..400),
    )
        .prop_map(|(negative, whole, fraction, exponent)| {
            let mut text = String::new();
            if negative {
                text.push('-');
            }
            text.push_str(&whole);
            if let Some(fraction) = fraction {
                text.push('.');
                text.push_str(&fraction);
            }
            if let Some(e) = exponent {
                text.push_str(&format!("e{e}"));
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn a_short_decimal_reads_as_its_exact_value_rounded(text in decimals()) {
        let exact = parse_rational(&text).expect("a decimal within the limits");
        let rounded = ToPrimitive::to_f64(&exact).expect("a finite or infinite f64");
        for value in [Value::String(text.clone()), serde_json::from_str::<Value>(&text).unwrap_or(Value::Null)] {
            match decimal_f64(&value) {
                Some(fast) => prop_assert_eq!(fast.to_bits(), rounded.to_bits(), "{}", text),
                None => prop_assert!(
                    value.is_null() || rounded == 0.0 || !rounded.is_normal(),
                    "{} left to the exact path though it rounds to {}", text, rounded
                ),
            }
        }
    }
}

/// Ties: decimals exactly halfway between two neighbouring `f64`s round to the even one on both
/// paths.
#[test]
fn halfway_decimals_round_to_even_on_both_paths() {
    for text in [
        "9007199254740993",
        "9007199254740995",
        "4503599627370496.5",
        "4503599627370497.5",
        "1.00000000000000011102230246251565404236316680908203125",
    ] {
        let exact = ToPrimitive::to_f64(&parse_rational(text).expect("decimal")).expect("f64");
        let fast = decimal_f64(&Value::String(text.into()));
        assert_eq!(fast.map(f64::to_bits), Some(exact.to_bits()), "{text}");
    }
}

/// Every fixture read in `f64` through the fast path equals its exact instance rounded entry by
/// entry (the files whose filters are exactly unit).
#[test]
fn every_fixture_reads_in_f64_as_its_exact_instance_rounded() {
    let mut compared = 0;
    for folder in ["fixtures/instances", "fixtures/theorem2", "fixtures/images"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        for entry in std::fs::read_dir(path).expect("fixtures") {
            let path = entry.expect("entry").path();
            let file = InstanceFile::read(&path).expect("a valid fixture");
            let (Ok(exact), Ok(float)) = (file.to_exact(), file.to_f64()) else {
                continue;
            };
            assert_eq!(
                exact.map(|v| ToPrimitive::to_f64(v).expect("finite")),
                float,
                "{}",
                path.display()
            );
            compared += 1;
        }
    }
    assert!(compared >= 10, "only {compared} fixtures compared");
}
