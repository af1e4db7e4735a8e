//! OMM as XML (CCSDS NDM: `<ndm><omm>…<meanElements>…<tleParameters>…</omm></ndm>`), as CelesTrak
//! serves it. Leaf elements are read by name, wherever the segment nests them.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::GpRecord;
use super::fields::{Field, elements_from_fields, keep_or_report};
use crate::catalog::{Parsed, RecordIssue, RecordLocation, count_line_ends};

pub fn parse_omm_xml(text: &str, source: &str) -> Parsed<GpRecord> {
    let mut reader = Reader::from_str(text);
    // Not trimmed: spaces between entity references belong to the value (`AT&amp;T &#65;`);
    // values are trimmed when read.
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut parsed = Parsed::default();
    let mut record_index = 0;
    // Key/value pairs of the <omm> being read; None outside one.
    let mut fields: Option<Vec<(String, String)>> = None;
    let mut current_element: Option<String> = None;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let offset = usize::try_from(reader.error_position()).unwrap_or(0);
                // Byte offsets need not fall on a character boundary: count bytes.
                let before = &text.as_bytes()[..offset.min(text.len())];
                let line = count_line_ends(before) + 1;
                parsed.issues.push(
                    RecordIssue::skipped(
                        source,
                        RecordLocation::Line(line),
                        format!("malformed XML, reading stopped here: {error}"),
                    )
                    .fatal(),
                );
                break;
            }
        };
        match event {
            Event::Eof => break,
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                if name == "omm" {
                    if fields.is_some() {
                        // An <omm> inside an <omm>: the outer one is never closed.
                        parsed.issues.push(RecordIssue::skipped(
                            source,
                            RecordLocation::Record(record_index),
                            "an <omm> starts before this one is closed",
                        ));
                    }
                    record_index += 1;
                    parsed.read += 1;
                    fields = Some(Vec::with_capacity(24));
                }
                current_element = Some(name);
            }
            Event::Text(content) => {
                if let (Some(fields), Some(element)) = (fields.as_mut(), current_element.as_ref()) {
                    let value = content.decode().map(Cow::into_owned).unwrap_or_default();
                    append_value(fields, element, &value);
                }
            }
            Event::GeneralRef(reference) => {
                if let (Some(fields), Some(element)) = (fields.as_mut(), current_element.as_ref()) {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(character)) => character.to_string(),
                        _ => reference
                            .decode()
                            .ok()
                            .and_then(|name| quick_xml::escape::resolve_predefined_entity(&name))
                            .unwrap_or("")
                            .to_owned(),
                    };
                    append_value(fields, element, &resolved);
                }
            }
            Event::End(end) => {
                current_element = None;
                if end.local_name().as_ref() == b"omm"
                    && let Some(done) = fields.take()
                {
                    let get = |name: &'static str| {
                        done.iter()
                            .find(|(key, _)| key == name)
                            .map(|(_, value)| Field::Text(Cow::Borrowed(value.as_str())))
                    };
                    keep_or_report(
                        elements_from_fields(get),
                        source,
                        RecordLocation::Record(record_index),
                        &mut parsed.records,
                        &mut parsed.issues,
                    );
                }
            }
            _ => {}
        }
    }
    if fields.is_some() {
        parsed.issues.push(RecordIssue::skipped(
            source,
            RecordLocation::Record(record_index),
            "the last <omm> is not closed (truncated file?)",
        ));
    }
    if record_index == 0 && parsed.issues.is_empty() {
        parsed.issues.push(RecordIssue::whole_file(
            source,
            "XML without any <omm> element",
        ));
    }
    parsed
}

/// Text may arrive in pieces around entity references: append rather than replace.
fn append_value(fields: &mut Vec<(String, String)>, element: &str, text: &str) {
    match fields.last_mut() {
        Some((key, value)) if key == element => value.push_str(text),
        _ => fields.push((element.to_owned(), text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISS: &str = "<omm id=\"CCSDS_OMM_VERS\" version=\"2.0\"><header><CREATION_DATE/><ORIGINATOR/></header><body><segment><metadata><OBJECT_NAME>ISS (ZARYA)</OBJECT_NAME><OBJECT_ID>1998-067A</OBJECT_ID><CENTER_NAME>EARTH</CENTER_NAME><REF_FRAME>TEME</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM><MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY></metadata><data><meanElements><EPOCH>2020-12-15T05:59:44.491200</EPOCH><MEAN_MOTION>15.49187914</MEAN_MOTION><ECCENTRICITY>.0001646</ECCENTRICITY><INCLINATION>51.6439</INCLINATION><RA_OF_ASC_NODE>172.5713</RA_OF_ASC_NODE><ARG_OF_PERICENTER>123.4001</ARG_OF_PERICENTER><MEAN_ANOMALY>50.7130</MEAN_ANOMALY></meanElements><tleParameters><EPHEMERIS_TYPE>0</EPHEMERIS_TYPE><CLASSIFICATION_TYPE>U</CLASSIFICATION_TYPE><NORAD_CAT_ID>25544</NORAD_CAT_ID><ELEMENT_SET_NO>999</ELEMENT_SET_NO><REV_AT_EPOCH>26008</REV_AT_EPOCH><BSTAR>.19181E-4</BSTAR><MEAN_MOTION_DOT>.614E-5</MEAN_MOTION_DOT><MEAN_MOTION_DDOT>0</MEAN_MOTION_DDOT></tleParameters></data></segment></body></omm>";

    fn ndm(body: &str) -> String {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<ndm>\r\n{body}\r\n</ndm>\r\n")
    }

    #[test]
    fn reads_ndm_omm() {
        let parsed = parse_omm_xml(&ndm(ISS), "s.xml");
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        assert_eq!(parsed.records[0].norad_id, 25544);
        assert_eq!(parsed.records[0].drag_term, 0.19181e-4);
        assert_eq!(
            parsed.records[0].object_name.as_deref(),
            Some("ISS (ZARYA)")
        );
    }

    #[test]
    fn entities_in_names_are_resolved() {
        let text = ndm(&ISS.replace("ISS (ZARYA)", "AT&amp;T &#65;"));
        let parsed = parse_omm_xml(&text, "s.xml");
        assert_eq!(parsed.records[0].object_name.as_deref(), Some("AT&T A"));
    }

    #[test]
    fn malformed_xml_after_multibyte_text_reports_a_line() {
        let text = format!(
            "<ndm>\n{}\n<omm><OBJECT_NAME>ÄÖÜ</OBJECT_NAME></wrong>",
            ISS
        );
        let parsed = parse_omm_xml(&text, "bad.xml");
        assert_eq!(parsed.records.len(), 1);
        let issue = parsed
            .issues
            .iter()
            .find(|issue| issue.message.contains("malformed XML"))
            .expect("the mismatched end tag is reported");
        assert!(matches!(issue.location, RecordLocation::Line(3)), "{issue}");
    }

    #[test]
    fn missing_field_and_truncation_are_reported() {
        let without_epoch = ISS.replace("<EPOCH>2020-12-15T05:59:44.491200</EPOCH>", "");
        let truncated = &ISS[..400];
        let parsed = parse_omm_xml(&format!("<ndm>{ISS}{without_epoch}{truncated}"), "s.xml");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.issues[0].location, RecordLocation::Record(2));
        assert_eq!(parsed.issues[0].field.as_deref(), Some("EPOCH"));
        assert!(parsed.issues.last().unwrap().message.contains("not closed"));
    }
}
