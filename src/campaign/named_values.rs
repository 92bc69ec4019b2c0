//! Named numbers (a case's margins and features) in reports and checkpoints: written as one
//! JSON object, `{"name": value, …}`, its keys in the order the entry gives them, so equal
//! records are equal text. Reports written before (a list of `["name", value]` pairs) are still
//! read, so `merge` and `--checkpoint` resume accept them; a name given twice is refused.

use serde::de::{Error, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserializer, Serializer};

/// Writes the pairs as one object, in their order.
pub fn serialize<S: Serializer>(pairs: &[(String, f64)], serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for (name, value) in pairs {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

/// Reads an object, or the earlier list of `[name, value]` pairs.
pub fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<(String, f64)>, D::Error> {
    deserializer.deserialize_any(NamedValues)
}

/// The visitor of both forms.
struct NamedValues;

/// Appends a pair, refusing a name already present.
fn push<E: Error>(pairs: &mut Vec<(String, f64)>, name: String, value: f64) -> Result<(), E> {
    if pairs.iter().any(|(known, _)| *known == name) {
        return Err(E::custom(format!("the name {name:?} is given twice")));
    }
    pairs.push((name, value));
    Ok(())
}

impl<'de> Visitor<'de> for NamedValues {
    type Value = Vec<(String, f64)>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an object of named numbers (or a list of [name, number] pairs)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut pairs = Vec::new();
        while let Some((name, value)) = map.next_entry::<String, f64>()? {
            push(&mut pairs, name, value)?;
        }
        Ok(pairs)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut pairs = Vec::new();
        while let Some((name, value)) = seq.next_element::<(String, f64)>()? {
            push(&mut pairs, name, value)?;
        }
        Ok(pairs)
    }
}

/// The pairs as a JSON object, in their order (for `check --json`).
pub fn to_json(pairs: &[(String, f64)]) -> serde_json::Value {
    serde_json::Value::Object(
        pairs
            .iter()
            .map(|(name, value)| (name.clone(), serde_json::json!(value)))
            .collect(),
    )
}
