//! The exact text of the numbers a Theorem 2 verdict quotes.

use crate::scalar::Scalar;

/// The canonical text `"p/q"` (or `"p"`) of an exact value; `None` in `f64`.
pub fn exact_text<S: Scalar>(x: &S) -> Option<String> {
    x.exact_text()
}

/// The exact text of a value, or its `f64` in scientific notation.
pub fn text<S: Scalar>(x: &S) -> String {
    exact_text(x).unwrap_or_else(|| format!("{:e}", x.to_f64()))
}
