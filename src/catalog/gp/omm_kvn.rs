//! OMM as CCSDS KVN (`KEY = value` lines; each record starts with `CCSDS_OMM_VERS`).

use std::borrow::Cow;

use super::GpRecord;
use super::fields::{Field, elements_from_fields, keep_or_report};
use crate::catalog::{Parsed, RecordIssue, RecordLocation};

pub fn parse_omm_kvn(text: &str, source: &str) -> Parsed<GpRecord> {
    let mut parsed = Parsed::default();
    // (line where the record starts, its key/value pairs)
    let mut records: Vec<(usize, Vec<(&str, &str)>)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("COMMENT") {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            parsed.issues.push(
                RecordIssue::skipped(
                    source,
                    RecordLocation::Line(index + 1),
                    format!("not a KEY = value line: {line:?}"),
                )
                .kept(),
            );
            continue;
        };
        // CCSDS allows units after a value: `MEAN_MOTION = 15.49187914 [rev/day]`.
        let value = value.split_once(" [").map_or(value, |(value, _)| value);
        let (key, value) = (key.trim(), value.trim());
        if key == "CCSDS_OMM_VERS" || records.is_empty() {
            records.push((index + 1, Vec::with_capacity(24)));
        }
        if let Some((_, fields)) = records.last_mut() {
            fields.push((key, value));
        }
    }
    parsed.read = records.len();
    for (line, fields) in records {
        let get = |name: &'static str| {
            fields
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| Field::Text(Cow::Borrowed(*value)))
        };
        keep_or_report(
            elements_from_fields(get),
            source,
            RecordLocation::Line(line),
            &mut parsed.records,
            &mut parsed.issues,
        );
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISS: &str = "CCSDS_OMM_VERS = 2.0\r\nCREATION_DATE  = \r\nORIGINATOR     = \r\n\r\nOBJECT_NAME    = ISS (ZARYA)\r\nOBJECT_ID      = 1998-067A\r\nCENTER_NAME    = EARTH\r\nREF_FRAME      = TEME\r\nTIME_SYSTEM    = UTC\r\nMEAN_ELEMENT_THEORY = SGP/SGP4\r\n\r\nEPOCH          = 2020-12-15T05:59:44.491200\r\nMEAN_MOTION    = 15.49187914\r\nECCENTRICITY   = .0001646\r\nINCLINATION    = 51.6439\r\nRA_OF_ASC_NODE = 172.5713\r\nARG_OF_PERICENTER = 123.4001\r\nMEAN_ANOMALY   = 50.7130\r\n\r\nEPHEMERIS_TYPE = 0\r\nCLASSIFICATION_TYPE = U\r\nNORAD_CAT_ID   = 25544\r\nELEMENT_SET_NO = 999\r\nREV_AT_EPOCH   = 26008\r\nBSTAR          = .19181E-4\r\nMEAN_MOTION_DOT = .614E-5\r\nMEAN_MOTION_DDOT = 0\r\n";

    #[test]
    fn reads_records_separated_by_version_lines() {
        let second = ISS.replace("25544", "25545");
        let parsed = parse_omm_kvn(&format!("{ISS}\r\n{second}"), "s.kvn");
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(parsed.records[1].norad_id, 25545);
        assert_eq!(
            parsed.records[0].object_name.as_deref(),
            Some("ISS (ZARYA)")
        );
    }

    #[test]
    fn units_after_values_are_ignored() {
        let with_units = ISS
            .replace("= 15.49187914", "= 15.49187914 [rev/day]")
            .replace("= 51.6439", "= 51.6439 [deg]");
        let parsed = parse_omm_kvn(&with_units, "u.kvn");
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        assert_eq!(parsed.records[0].inclination, 51.6439);
    }

    #[test]
    fn bad_value_points_at_the_record_start() {
        let bad = ISS.replace("= 51.6439", "= x");
        let parsed = parse_omm_kvn(&format!("{ISS}{bad}"), "s.kvn");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.issues[0].location, RecordLocation::Line(28));
        assert_eq!(parsed.issues[0].field.as_deref(), Some("INCLINATION"));
    }
}
