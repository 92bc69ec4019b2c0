//! Reading the fields of a network manifest: objects with their keys checked, whole numbers,
//! strings, numbers and booleans, each refused with the field's name (and its layer) and the
//! value found.

use std::path::Path;

use serde_json::{Map, Value};

use super::error::NetworkError;

/// Where the fields come from: the manifest's path, for errors.
#[derive(Clone, Copy)]
pub(super) struct Fields<'a> {
    /// The manifest.
    pub path: &'a Path,
}

/// A value as written, shortened to 40 characters, for messages.
pub(super) fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

impl Fields<'_> {
    /// The error of a field.
    pub(super) fn error(&self, field: &str, message: String) -> NetworkError {
        NetworkError::Field {
            path: self.path.to_path_buf(),
            field: field.to_string(),
            message,
        }
    }

    /// The object at `field` (named `name(key)` inside), its keys checked against `keys`
    /// (`(key, required)`): an unknown key and a missing required key are refused.
    pub(super) fn object<'v>(
        &self,
        value: &'v Value,
        field: &str,
        name: &dyn Fn(&str) -> String,
        (what, keys): (&str, &[(&str, bool)]),
    ) -> Result<&'v Map<String, Value>, NetworkError> {
        let Value::Object(map) = value else {
            return Err(self.error(
                field,
                format!("expected {what} (a JSON object), found {}", shown(value)),
            ));
        };
        let known: Vec<&str> = keys.iter().map(|(key, _)| *key).collect();
        if let Some(unknown) = map.keys().find(|key| !known.contains(&key.as_str())) {
            return Err(self.error(
                &name(unknown),
                format!("unknown key; the keys of {what} are {}", known.join(", ")),
            ));
        }
        if let Some((missing, _)) = keys
            .iter()
            .find(|(key, required)| *required && !map.contains_key(*key))
        {
            return Err(self.error(&name(missing), format!("missing: {what} requires it")));
        }
        Ok(map)
    }

    /// A whole number of at least `least`.
    pub(super) fn whole(
        &self,
        value: &Value,
        field: &str,
        least: usize,
    ) -> Result<usize, NetworkError> {
        match value.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) if n >= least => Ok(n),
            _ => Err(self.error(
                field,
                format!(
                    "expected a whole number of at least {least}, found {}",
                    shown(value)
                ),
            )),
        }
    }

    /// A string.
    pub(super) fn string(&self, value: &Value, field: &str) -> Result<String, NetworkError> {
        match value {
            Value::String(text) => Ok(text.clone()),
            other => Err(self.error(field, format!("expected a string, found {}", shown(other)))),
        }
    }

    /// A tensor's name: a string that is not empty.
    pub(super) fn tensor_name(&self, value: &Value, field: &str) -> Result<String, NetworkError> {
        let name = self.string(value, field)?;
        if name.is_empty() {
            return Err(self.error(field, "is \"\": expected the name of a tensor".into()));
        }
        Ok(name)
    }

    /// A positive finite number.
    pub(super) fn positive(&self, value: &Value, field: &str) -> Result<f64, NetworkError> {
        match value.as_f64() {
            Some(number) if value.is_number() && number.is_finite() && number > 0.0 => Ok(number),
            _ => Err(self.error(
                field,
                format!("expected a positive number, found {}", shown(value)),
            )),
        }
    }

    /// A boolean.
    pub(super) fn boolean(&self, value: &Value, field: &str) -> Result<bool, NetworkError> {
        value.as_bool().ok_or_else(|| {
            self.error(
                field,
                format!("expected true or false, found {}", shown(value)),
            )
        })
    }
}
