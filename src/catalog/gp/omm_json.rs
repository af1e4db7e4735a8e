//! OMM as JSON: CelesTrak's array of flat objects (numbers as JSON numbers or as strings).
//!
//! Records are read leniently and without building a `serde_json::Value` tree: keys and string
//! values are borrowed from the text, and any value of an unexpected JSON type is kept as an
//! "unusable" marker so that only its record is skipped (with the field named), never the file.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::GpRecord;
use super::fields::{Field, elements_from_fields, keep_or_report};
use crate::catalog::{Parsed, RecordIssue, RecordLocation};

pub fn parse_omm_json(text: &str, source: &str) -> Parsed<GpRecord> {
    let entries = match serde_json::from_str::<Document<'_>>(text) {
        Ok(Document(entries)) => entries,
        Err(error) => {
            return Parsed::failed(RecordIssue::skipped(
                source,
                RecordLocation::Line(error.line()),
                format!("invalid JSON: {error}"),
            ));
        }
    };
    let Some(entries) = entries else {
        return Parsed::failed(RecordIssue::whole_file(
            source,
            "JSON is neither an array of OMM objects nor one object",
        ));
    };
    let mut parsed = Parsed {
        read: entries.len(),
        ..Parsed::default()
    };
    parsed.records.reserve(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let location = RecordLocation::Record(index + 1);
        let Entry::Record(fields) = entry else {
            parsed
                .issues
                .push(RecordIssue::skipped(source, location, "not a JSON object"));
            continue;
        };
        let get = |name: &'static str| {
            fields
                .iter()
                .find(|(key, _)| key == name)
                .and_then(|(_, value)| value.field())
        };
        keep_or_report(
            elements_from_fields(get),
            source,
            location,
            &mut parsed.records,
            &mut parsed.issues,
        );
    }
    parsed
}

/// The top level: an array of entries, one object (a single record), or `None` for anything
/// else.
struct Document<'a>(Option<Vec<Entry<'a>>>);

/// One array element: an object's key/value pairs, or something that is not an object.
enum Entry<'a> {
    Record(Vec<(Cow<'a, str>, Scalar<'a>)>),
    NotAnObject,
}

/// A field value as JSON wrote it.
enum Scalar<'a> {
    Text(Cow<'a, str>),
    Float(f64),
    Unsigned(u64),
    Signed(i64),
    Null,
    /// An array, object or boolean: no OMM field takes one.
    Unusable(&'static str),
}

impl Scalar<'_> {
    /// The value for the shared OMM field reader (`None` for null).
    fn field(&self) -> Option<Field<'_>> {
        match self {
            Self::Text(text) => Some(Field::Text(Cow::Borrowed(text))),
            Self::Float(value) => Some(Field::Number(*value)),
            // Catalog numbers and counters are far below 2^53: exact as f64.
            Self::Unsigned(value) => Some(Field::Number(*value as f64)),
            Self::Signed(value) => Some(Field::Number(*value as f64)),
            Self::Null => None,
            Self::Unusable(kind) => Some(Field::Text(Cow::Borrowed(kind))),
        }
    }
}

/// Visitor methods that answer every JSON scalar (string, number, boolean, null) with `$value`.
macro_rules! scalars_are {
    ($value:expr) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

impl<'de> Deserialize<'de> for Document<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DocumentVisitor;
        impl<'de> Visitor<'de> for DocumentVisitor {
            type Value = Document<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of OMM objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(seq.size_hint().unwrap_or(1024));
                while let Some(entry) = seq.next_element::<Entry<'de>>()? {
                    entries.push(entry);
                }
                Ok(Document(Some(entries)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Ok(Document(Some(vec![read_record(map)?])))
            }
            scalars_are!(Document(None));
        }
        deserializer.deserialize_any(DocumentVisitor)
    }
}

fn read_record<'de, A: MapAccess<'de>>(mut map: A) -> Result<Entry<'de>, A::Error> {
    let mut fields = Vec::with_capacity(20);
    while let Some(key) = map.next_key::<Cow<'de, str>>()? {
        fields.push((key, map.next_value::<Scalar<'de>>()?));
    }
    Ok(Entry::Record(fields))
}

impl<'de> Deserialize<'de> for Entry<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = Entry<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an OMM object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                read_record(map)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Entry::NotAnObject)
            }
            scalars_are!(Entry::NotAnObject);
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Text(Cow::Borrowed(text)))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Scalar::Text(Cow::Owned(text.to_owned())))
            }
            fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
                Ok(Scalar::Text(Cow::Owned(text)))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
                Ok(Scalar::Float(value))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
                Ok(Scalar::Unsigned(value))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(Scalar::Signed(value))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Unusable("a boolean"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Unusable("an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Unusable("an object"))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISS: &str = r#"{"OBJECT_NAME":"ISS (ZARYA)","OBJECT_ID":"1998-067A","EPOCH":"2020-12-15T05:59:44.491200","MEAN_MOTION":15.49187914,"ECCENTRICITY":0.0001646,"INCLINATION":51.6439,"RA_OF_ASC_NODE":172.5713,"ARG_OF_PERICENTER":123.4001,"MEAN_ANOMALY":50.713,"EPHEMERIS_TYPE":0,"CLASSIFICATION_TYPE":"U","NORAD_CAT_ID":25544,"ELEMENT_SET_NO":999,"REV_AT_EPOCH":26008,"BSTAR":1.9181e-5,"MEAN_MOTION_DOT":6.14e-6,"MEAN_MOTION_DDOT":0}"#;

    #[test]
    fn reads_celestrak_array() {
        let parsed = parse_omm_json(&format!("[{ISS}]"), "s.json");
        assert!(parsed.issues.is_empty());
        let iss = &parsed.records[0];
        assert_eq!(iss.norad_id, 25544);
        assert_eq!(iss.drag_term, 1.9181e-5);
        assert_eq!(iss.object_name.as_deref(), Some("ISS (ZARYA)"));
    }

    #[test]
    fn numbers_as_strings_and_six_digit_ids() {
        let text = ISS
            .replace("\"NORAD_CAT_ID\":25544", "\"NORAD_CAT_ID\":\"100401\"")
            .replace(
                "\"MEAN_MOTION\":15.49187914",
                "\"MEAN_MOTION\":\"15.49187914\"",
            );
        let parsed = parse_omm_json(&format!("[{text}]"), "s.json");
        assert_eq!(parsed.records[0].norad_id, 100_401);
        assert_eq!(parsed.records[0].mean_motion, 15.491_879_14);
    }

    #[test]
    fn bad_record_is_skipped_and_named() {
        let bad = ISS.replace("\"INCLINATION\":51.6439", "\"INCLINATION\":\"high\"");
        let parsed = parse_omm_json(&format!("[{ISS},{bad},42]"), "s.json");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.issues.len(), 2);
        assert_eq!(parsed.issues[0].location, RecordLocation::Record(2));
        assert_eq!(parsed.issues[0].field.as_deref(), Some("INCLINATION"));
        assert_eq!(parsed.issues[0].norad_id, Some(25544));
        assert_eq!(parsed.issues[1].location, RecordLocation::Record(3));
    }

    #[test]
    fn values_of_the_wrong_json_type_skip_only_their_record() {
        let odd = ISS.replace("\"INCLINATION\":51.6439", "\"INCLINATION\":[51.6439]");
        let escaped = ISS.replace("ISS (ZARYA)", "ISS \\\"ZARYA\\\"");
        let parsed = parse_omm_json(&format!("[{odd},{escaped},null,{{}}]"), "s.json");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(
            parsed.records[0].object_name.as_deref(),
            Some("ISS \"ZARYA\"")
        );
        assert_eq!(parsed.issues[0].field.as_deref(), Some("INCLINATION"));
        assert!(
            parsed.issues[0].message.contains("an array"),
            "{:?}",
            parsed.issues[0]
        );
        assert_eq!(parsed.issues[1].location, RecordLocation::Record(3));
        assert_eq!(parsed.issues[2].field.as_deref(), Some("NORAD_CAT_ID"));
        let single = parse_omm_json(ISS, "one.json");
        assert_eq!(single.records.len(), 1, "a lone object is one record");
        let scalar = parse_omm_json("42", "n.json");
        assert!(scalar.issues[0].message.contains("neither an array"));
    }

    #[test]
    fn broken_json_names_the_line() {
        let parsed = parse_omm_json("[\n{\"NORAD_CAT_ID\": 1,\n", "s.json");
        assert!(parsed.records.is_empty());
        assert!(matches!(parsed.issues[0].location, RecordLocation::Line(_)));
        assert!(parsed.issues[0].message.contains("invalid JSON"));
    }
}
