//! The exact text of the numbers a Theorem 2 verdict quotes.

use crate::scalar::Scalar;

/// The canonical text `"p/q"` (or `"p"`) of an exact value, formatted from machine words when
/// the value is an `i64` fraction (reduced, so the text is the same).
pub(super) fn exact_text<S: Scalar>(x: &S) -> Option<String> {
    if !S::EXACT {
        return None;
    }
    if let Some((numerators, denominator)) = S::over_common_denominator(std::slice::from_ref(x)) {
        return Some(if denominator == 1 {
            numerators[0].to_string()
        } else {
            format!("{}/{}", numerators[0], denominator)
        });
    }
    x.to_rational().map(|r| crate::scalar::rational_to_text(&r))
}

pub(super) fn text<S: Scalar>(x: &S) -> String {
    exact_text(x).unwrap_or_else(|| format!("{:e}", x.to_f64()))
}
