//! Unit tests of `readable`.

use super::*;

fn q(text: &str) -> Rational {
    crate::io::number::parse_rational(text).unwrap()
}

#[test]
fn floats_have_six_significant_digits() {
    assert_eq!(number(6.400000000000001e-1), "0.64");
    assert_eq!(number(1.25), "1.25");
    assert_eq!(number(1834.1399), "1834.14");
    assert_eq!(number(123456.7), "123457");
    assert_eq!(number(999999.7), "1e6");
    assert_eq!(number(0.0412376000003), "0.0412376");
    assert_eq!(number(1e-4), "0.0001");
    assert_eq!(number(0.99999e-4), "9.9999e-5");
    assert_eq!(number(-2.5), "-2.5");
    assert_eq!(number(-0.000123456789), "-0.000123457");
    assert_eq!(number(1e300), "1e300");
    assert_eq!(number(-1.234567e300), "-1.23457e300");
    assert_eq!(number(f64::MAX), "1.79769e308");
}

#[test]
fn zero_subnormals_and_non_finite_values_are_named() {
    assert_eq!(number(0.0), "0");
    assert_eq!(number(-0.0), "0");
    assert_eq!(number(1e-310), "1e-310");
    assert_eq!(number(-1e-310), "-1e-310");
    assert_eq!(number(f64::from_bits(1)), "4.94066e-324");
    assert_eq!(number(f64::NAN), "NaN");
    assert_eq!(number(f64::INFINITY), "inf");
    assert_eq!(number(f64::NEG_INFINITY), "-inf");
}

#[test]
fn exact_rationals_are_rounded_exactly() {
    assert_eq!(rational(&q("0")), "0");
    assert_eq!(rational(&q("1/3")), "0.333333");
    assert_eq!(rational(&q("-2/3")), "-0.666667");
    assert_eq!(rational(&q("1/8")), "0.125");
    // Ties go to even: 1.000005 has the sixth digit 0 then an exact 5.
    assert_eq!(rational(&q("1.000005")), "1");
    assert_eq!(rational(&q("1.000015")), "1.00002");
    assert_eq!(rational(&q("9.999995")), "10");
    // Beyond f64 both ways, through bignums.
    let huge = format!("{}/3", "1".to_string() + &"0".repeat(400));
    assert_eq!(rational(&q(&huge)), "3.33333e399");
    let tiny = format!("-1/{}", "7".repeat(500));
    assert_eq!(rational(&q(&tiny)), "-1.28571e-500");
}

#[test]
fn number_texts_keep_short_exact_forms() {
    assert_eq!(number_text("1/128").unwrap(), "1/128");
    assert_eq!(number_text("-19/256").unwrap(), "-19/256");
    assert_eq!(number_text("0.0500").unwrap(), "0.0500");
    assert_eq!(number_text("6.400000000000001e-1").unwrap(), "0.64");
    assert_eq!(number_text("1.25e0").unwrap(), "1.25");
    assert_eq!(
        number_text("12345678901234567890123/98765432109876543210987").unwrap(),
        "0.125"
    );
    assert_eq!(number_text("3.14159265").unwrap(), "3.14159");
    assert_eq!(number_text("abc"), None);
}

#[test]
fn enclosures_show_midpoint_and_rounded_up_half_width() {
    assert_eq!(interval(1.0, 1.0), "1");
    assert_eq!(interval(1.0, 3.0), "2 ± 1");
    assert_eq!(interval(-1.0, f64::INFINITY), "[-1, inf]");
    assert_eq!(interval(f64::NAN, 1.0), "[NaN, 1]");
    assert_eq!(
        rational_interval(&q("1/3"), &q("1/3")),
        "0.333333",
        "a point enclosure is its value"
    );
    let lo = q("0.0412375999999999999997");
    let hi = q("0.0412376000000000000003");
    assert_eq!(rational_interval(&lo, &hi), "0.0412376 ± 3e-22");
    // Half-widths round up, never down: 0.15 → 0.2, 0.11 → 0.2, 0.95 → 1.
    assert_eq!(rational_interval(&q("0"), &q("0.3")), "0.15 ± 0.2");
    assert_eq!(rational_interval(&q("0"), &q("0.22")), "0.11 ± 0.2");
    assert_eq!(rational_interval(&q("0"), &q("1.9")), "0.95 ± 1");
}

#[test]
fn rates_read_as_cases_per_second() {
    assert_eq!(rate(1834.1399), "1834/s");
    assert_eq!(rate(100.4), "100/s");
    assert_eq!(rate(12.345), "12.3/s");
    assert_eq!(rate(1.0), "1/s");
    assert_eq!(rate(0.5), "0.5/s");
    assert_eq!(rate(0.012345), "0.0123/s");
    assert_eq!(rate(0.0), "-/s");
    assert_eq!(rate(f64::NAN), "-/s");
    assert_eq!(rate(f64::INFINITY), "-/s");
}

#[test]
fn messages_have_their_numbers_rewritten_and_their_names_kept() {
    assert_eq!(
        message("2 ε_(i-1) = [8.247519999999999e-2, 8.247520000000002e-2] is not below 1/16"),
        "2 ε_(i-1) = 0.0824752 ± 2e-17 is not below 1/16"
    );
    assert_eq!(
        message("sqrt(2) * 1/10 ≈ 1.4142135623730951e-1 at layer 2, β_3 = 1.25e0"),
        "sqrt(2) * 1/10 ≈ 0.141421 at layer 2, β_3 = 1.25"
    );
    assert_eq!(
        message("observed squared norm 12345678901/98765432109 against ε_i² = 1/256"),
        "observed squared norm 0.125 against ε_i² = 1/256"
    );
    for kept in [
        "not decided with 64-bit enclosures (the limit is 2^20)",
        "patch at positions 1..3 (width 3)",
        "run-1e5.json, mlcsc-instance-1, version 0.1.0",
        "x2 = 3e",
    ] {
        assert_eq!(message(kept), kept);
    }
    assert_eq!(message("= -6.400000000000001e-1,"), "= -0.64,");
    assert_eq!(message(""), "");
}
