//! OMM as JSON: CelesTrak's array of flat objects (numbers as JSON numbers or as strings).

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::GpRecord;
use super::fields::{elements_from_fields, keep_or_report};
use crate::catalog::{Parsed, RecordIssue, RecordLocation};

pub fn parse_omm_json(text: &str, source: &str) -> Parsed<GpRecord> {
    let records: Vec<Value> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items,
        Ok(object @ Value::Object(_)) => vec![object],
        Ok(_) => {
            return Parsed::failed(RecordIssue::whole_file(
                source,
                "JSON is neither an array of OMM objects nor one object",
            ));
        }
        Err(error) => {
            return Parsed::failed(RecordIssue::skipped(
                source,
                RecordLocation::Line(error.line()),
                format!("invalid JSON: {error}"),
            ));
        }
    };
    let mut parsed = Parsed::default();
    parsed.records.reserve(records.len());
    for (index, record) in records.iter().enumerate() {
        let location = RecordLocation::Record(index + 1);
        let Value::Object(fields) = record else {
            parsed
                .issues
                .push(RecordIssue::skipped(source, location, "not a JSON object"));
            continue;
        };
        keep_or_report(
            elements_from_fields(|name| field_text(fields, name)),
            source,
            location,
            &mut parsed.records,
            &mut parsed.issues,
        );
    }
    parsed
}

fn field_text<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<Cow<'a, str>> {
    match fields.get(name)? {
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Number(number) => Some(Cow::Owned(number.to_string())),
        Value::Null => None,
        other => Some(Cow::Owned(other.to_string())),
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
    fn broken_json_names_the_line() {
        let parsed = parse_omm_json("[\n{\"NORAD_CAT_ID\": 1,\n", "s.json");
        assert!(parsed.records.is_empty());
        assert!(matches!(parsed.issues[0].location, RecordLocation::Line(_)));
        assert!(parsed.issues[0].message.contains("invalid JSON"));
    }
}
