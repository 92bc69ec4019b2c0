//! The instance format's objects are JSON objects only. serde's derived `Deserialize` also reads
//! a struct from a JSON array of its fields in order; [`objects_only!`] gives a struct whose
//! derive carries `#[serde(remote = "Self")]` a `Deserialize` that asks for a map, so an array
//! in an object's place is a data error of the one typed parse (and
//! [`super::json_errors::explain_json_error`] names the field), with no second pass over the
//! document.

/// `Serialize` and objects-only `Deserialize` for structs whose derives carry
/// `#[serde(remote = "Self")]` (which makes the derived functions inherent).
macro_rules! objects_only {
    ($($name:ident),* $(,)?) => {$(
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $name::serialize(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Object;
                impl<'de> serde::de::Visitor<'de> for Object {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        write!(f, "a JSON object")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<$name, A::Error> {
                        $name::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    }
                }
                deserializer.deserialize_map(Object)
            }
        }
    )*};
}

pub(super) use objects_only;
