//! Errors of reading instance and NumPy files. Every variant says where: the path, the line and
//! column, or the field (with the layer, counted from 1).

use serde_json::Value;
use thiserror::Error;

use crate::model::ModelError;

/// Why an input file is not a valid instance.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum InstanceError {
    /// The file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The path as given.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The text is not valid JSON of the instance shape.
    #[error("invalid instance JSON at line {line}, column {column}: {message}")]
    Json {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The parser's message (names the missing or unknown field).
        message: String,
    },
    /// A field holds a bad value.
    #[error("field {field}: {message}")]
    Field {
        /// The field's path, such as `layers[1].filters[0][2][0] (layer 2)`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The numbers are fine but the model breaks a requirement of docs/math.md §1.
    #[error("{0}")]
    Model(#[from] ModelError),
}

/// The keys of an instance object: `(name, required)`.
const INSTANCE_KEYS: [(&str, bool); 12] = [
    ("format", true),
    ("name", false),
    ("source", false),
    ("signal-length", false),
    ("signal-shape", false),
    ("input-channels", false),
    ("thresholding", true),
    ("layers", true),
    ("deepest-representation", false),
    ("noise", false),
    ("noise-budget", false),
    ("last-patch-width", false),
];

/// The keys of an instance object as written before they were kebab-case, still read: `(earlier,
/// current)`.
const EARLIER_INSTANCE_KEYS: [(&str, &str); 5] = [
    ("signal_length", "signal-length"),
    ("input_channels", "input-channels"),
    ("deepest_representation", "deepest-representation"),
    ("noise_budget", "noise-budget"),
    ("last_patch_width", "last-patch-width"),
];

/// The document with its earlier instance keys in their current spelling (a key given in both
/// spellings is refused when the file is parsed).
fn with_current_keys(document: &Value) -> std::borrow::Cow<'_, Value> {
    let Value::Object(map) = document else {
        return std::borrow::Cow::Borrowed(document);
    };
    if !EARLIER_INSTANCE_KEYS
        .iter()
        .any(|(earlier, _)| map.contains_key(*earlier))
    {
        return std::borrow::Cow::Borrowed(document);
    }
    let renamed = map
        .iter()
        .map(|(key, value)| {
            let current = EARLIER_INSTANCE_KEYS
                .iter()
                .find(|(earlier, _)| earlier == key)
                .map_or(key.as_str(), |(_, current)| current);
            (current.to_string(), value.clone())
        })
        .collect();
    std::borrow::Cow::Owned(Value::Object(renamed))
}

/// The keys of a layer object.
const LAYER_KEYS: [(&str, bool); 4] = [
    ("filters", true),
    ("threshold", true),
    ("stride", false),
    ("padding", false),
];

/// The keys of a layer's padding.
const PADDING_KEYS: [(&str, bool); 5] = [
    ("mode", true),
    ("top", false),
    ("bottom", false),
    ("left", false),
    ("right", false),
];

/// The keys of a sparse entry.
const ENTRY_KEYS: [(&str, bool); 3] = [("position", true), ("channel", true), ("value", true)];

fn shape(field: String, message: String) -> InstanceError {
    InstanceError::Field { field, message }
}

/// A value's kind in words, with a short excerpt, for messages.
fn describe(value: &Value) -> String {
    let excerpt = |text: String| {
        if text.chars().count() > 40 {
            format!("{}…", text.chars().take(40).collect::<String>())
        } else {
            text
        }
    };
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {}", excerpt(n.to_string())),
        Value::String(s) => format!("the string {}", excerpt(format!("{s:?}"))),
        Value::Array(a) => format!("an array of {} elements", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

/// The object at `field` with its keys checked against `keys` (unknown keys and missing
/// required keys are errors); `layer` is appended to field names, as ` (layer 2)`.
fn object<'a>(
    value: &'a Value,
    field: &str,
    layer: &str,
    what: &str,
    keys: &[(&str, bool)],
) -> Result<&'a serde_json::Map<String, Value>, InstanceError> {
    let Value::Object(map) = value else {
        let at = if field.is_empty() {
            "(the document)"
        } else {
            field
        };
        return Err(shape(
            format!("{at}{layer}"),
            format!("expected {what} (a JSON object), found {}", describe(value)),
        ));
    };
    let inside = |key: &str| {
        if field.is_empty() {
            format!("{key}{layer}")
        } else {
            format!("{field}.{key}{layer}")
        }
    };
    let known: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
    if let Some(unknown) = map.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(shape(
            inside(unknown),
            format!(
                "unknown field; the known fields of {what} are {}",
                known.join(", ")
            ),
        ));
    }
    if let Some((missing, _)) = keys
        .iter()
        .find(|(k, required)| *required && !map.contains_key(*k))
    {
        return Err(shape(
            inside(missing),
            format!("missing: {what} requires it"),
        ));
    }
    Ok(map)
}

/// The array at `field`.
fn array<'a>(value: &'a Value, field: &str, what: &str) -> Result<&'a [Value], InstanceError> {
    match value {
        Value::Array(elements) => Ok(elements),
        other => Err(shape(
            field.into(),
            format!("expected {what} (a JSON array), found {}", describe(other)),
        )),
    }
}

fn string(value: &Value, field: &str) -> Result<(), InstanceError> {
    match value {
        Value::String(_) => Ok(()),
        other => Err(shape(
            field.into(),
            format!("expected a string, found {}", describe(other)),
        )),
    }
}

fn sparse_list(value: &Value, field: &str) -> Result<(), InstanceError> {
    for (k, entry) in array(value, field, "a list of entries")?.iter().enumerate() {
        object(
            entry,
            &format!("{field}[{k}]"),
            "",
            "an entry {position, channel, value}",
            &ENTRY_KEYS,
        )?;
    }
    Ok(())
}

/// Why a syntactically valid JSON document is not of the instance shape, naming the field
/// (with its layer, counted from 1) and what was found there; `Ok` when the shape is right.
/// Numbers are not checked here: they are read, with their own messages, by validation.
pub(crate) fn check_shape(document: &Value) -> Result<(), InstanceError> {
    let document = &*with_current_keys(document);
    let top = object(document, "", "", "an instance", &INSTANCE_KEYS)?;
    for key in ["format", "name", "source", "thresholding"] {
        if let Some(value) = top.get(key) {
            string(value, key)?;
        }
    }
    for key in ["deepest-representation", "noise"] {
        if let Some(value) = top.get(key) {
            sparse_list(value, key)?;
        }
    }
    for (index, layer) in array(&top["layers"], "layers", "a list of layers")?
        .iter()
        .enumerate()
    {
        let number = index + 1;
        let at = format!("layers[{index}]");
        let fields = object(
            layer,
            &at,
            &format!(" (layer {number})"),
            "a layer {filters, threshold}",
            &LAYER_KEYS,
        )?;
        if let Some(padding) = fields.get("padding").filter(|p| !p.is_null()) {
            object(
                padding,
                &format!("{at}.padding"),
                &format!(" (layer {number})"),
                "a padding {mode, top, bottom, left, right}",
                &PADDING_KEYS,
            )?;
        }
        let filters = &fields["filters"];
        for (c, filter) in array(
            filters,
            &format!("{at}.filters (layer {number})"),
            "filters[c][t][c']",
        )?
        .iter()
        .enumerate()
        {
            let taps = array(
                filter,
                &format!("{at}.filters[{c}] (layer {number})"),
                "the taps of a filter",
            )?;
            for (t, tap) in taps.iter().enumerate() {
                array(
                    tap,
                    &format!("{at}.filters[{c}][{t}] (layer {number})"),
                    "the input channels of a tap",
                )?;
            }
        }
    }
    Ok(())
}
