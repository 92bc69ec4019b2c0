//! Explaining a malformed instance file: the JSON error, its line and column, and the token
//! found there.

use serde_json::Value;

use super::error::{InstanceError, check_shape};

/// An error of `serde_json` in the words of the instance format: a data error (wrong type,
/// missing or unknown field) names the field, with its layer; a syntax error its line and column.
pub(super) fn explain_json_error(text: &str, error: &serde_json::Error) -> InstanceError {
    if error.is_data()
        && let Ok(document) = serde_json::from_str::<Value>(text)
        && let Err(named) = check_shape(&document)
    {
        return named;
    }
    let message = error.to_string();
    let location = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&location).unwrap_or(&message);
    let bare_word = [
        "expected value",
        "invalid number",
        "key must be a string",
        "expected ident",
    ]
    .iter()
    .any(|start| message.starts_with(start));
    let hint = if message.contains("recursion limit") {
        " (the JSON is nested too deeply to be an instance)".to_string()
    } else if bare_word {
        token_at(text, error.line(), error.column())
            .map(|token| format!(", found `{token}`"))
            .unwrap_or_default()
    } else {
        String::new()
    };
    InstanceError::Json {
        line: error.line(),
        column: error.column(),
        message: format!("{message}{hint}"),
    }
}

/// The bare word around a line and column (from 1) of a text, such as `NaN`, `-Infinity` or
/// `//`, which JSON does not allow; `None` when a delimiter is there.
fn token_at(text: &str, line: usize, column: usize) -> Option<String> {
    let bytes = text.lines().nth(line.checked_sub(1)?)?.as_bytes();
    let is_delimiter = |b: u8| b" \t\r,:[]{}\"".contains(&b);
    let at = column.saturating_sub(1).min(bytes.len());
    let start = (0..at)
        .rev()
        .take_while(|&k| !is_delimiter(bytes[k]))
        .last()
        .unwrap_or(at);
    let end = (at..bytes.len())
        .find(|&k| is_delimiter(bytes[k]))
        .unwrap_or(bytes.len());
    let token: String = String::from_utf8_lossy(&bytes[start..end])
        .chars()
        .take(40)
        .collect();
    (!token.is_empty()).then_some(token)
}
