//! A request body as a JSON object, with every key it was sent with. serde_json's map keeps the
//! last of two equal keys without a word (`{"cpf": "A", "cpf": "B"}` reads as B), so [`parse`]
//! also names each key that came more than once, for the request to be refused as ambiguous.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

/// The object's fields (the last value of a repeated key), and the keys that came more than once,
/// in the order of their first appearance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonObject {
    pub fields: Map<String, Value>,
    pub repeated: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonObjectError {
    #[error("não é um JSON válido")]
    Malformed,
    #[error("não é um objeto JSON")]
    NotAnObject,
}

pub fn parse(bytes: &[u8]) -> Result<JsonObject, JsonObjectError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|_| JsonObjectError::Malformed)?;
    let Value::Object(fields) = value else { return Err(JsonObjectError::NotAnObject) };
    // A second pass reads the top-level keys only, each as it was sent.
    let TopKeys(keys) = serde_json::from_slice(bytes).map_err(|_| JsonObjectError::Malformed)?;
    let mut seen = std::collections::HashSet::with_capacity(keys.len());
    let mut repeated: Vec<String> = Vec::new();
    for k in keys {
        if !seen.insert(k.clone()) && !repeated.contains(&k) {
            repeated.push(k);
        }
    }
    Ok(JsonObject { fields, repeated })
}

/// The keys of a JSON object, in order, repeats included; the values are skipped.
struct TopKeys(Vec<String>);

impl<'de> Deserialize<'de> for TopKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TopKeys, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = TopKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopKeys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(TopKeys(keys))
            }
        }
        d.deserialize_map(Keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_sent_twice_is_named_and_the_rest_read_as_usual() {
        let o = parse(br#"{"cpf": "A", "nome": {"x": 1, "x": 2}, "cpf": "B", "placa": 1, "cpf": "C", "placa": 2}"#)
            .unwrap();
        assert_eq!(o.repeated, ["cpf", "placa"], "nested objects are the fields' business");
        assert_eq!(o.fields["cpf"], "C");
        assert_eq!(parse(br#"{"a": 1, "A": 2}"#).unwrap().repeated, Vec::<String>::new(), "letter case is not this");
        assert_eq!(parse(b"{").unwrap_err(), JsonObjectError::Malformed);
        assert_eq!(parse(b"[1]").unwrap_err(), JsonObjectError::NotAnObject);
        assert_eq!(parse(br#""x""#).unwrap_err(), JsonObjectError::NotAnObject);
    }
}
