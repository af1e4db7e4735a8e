//! GP (general perturbations) element sets in every format CelesTrak serves: TLE/3LE and OMM
//! as JSON, CSV, XML and KVN. The format is detected from the content, not the file name.

pub(crate) mod fields;
pub mod omm_csv;
pub mod omm_json;
pub mod omm_kvn;
pub mod omm_xml;
pub mod tle;

use super::{Parsed, RecordIssue, decode_text};

/// A GP element set as SGP4 consumes it, with name and COSPAR id when the source has them.
pub type GpRecord = sgp4::Elements;

/// The formats [`parse_gp`] understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GpFormat {
    Tle,
    OmmJson,
    OmmCsv,
    OmmXml,
    OmmKvn,
}

impl GpFormat {
    pub fn label(self) -> &'static str {
        match self {
            Self::Tle => "TLE",
            Self::OmmJson => "OMM JSON",
            Self::OmmCsv => "OMM CSV",
            Self::OmmXml => "OMM XML",
            Self::OmmKvn => "OMM KVN",
        }
    }
}

/// Detects the format from the first meaningful characters of the text.
pub fn detect_format(text: &str) -> Option<GpFormat> {
    let head = text.trim_start();
    let first_line = head.lines().next().unwrap_or("");
    if head.starts_with('[') || head.starts_with('{') {
        Some(GpFormat::OmmJson)
    } else if head.starts_with('<') {
        Some(GpFormat::OmmXml)
    } else if first_line.contains("CCSDS_OMM_VERS") {
        Some(GpFormat::OmmKvn)
    } else if first_line.contains("NORAD_CAT_ID") && first_line.contains(',') {
        Some(GpFormat::OmmCsv)
    } else if head
        .lines()
        .take(4)
        .any(|line| line.starts_with("1 ") && line.len() >= 60)
    {
        Some(GpFormat::Tle)
    } else {
        None
    }
}

/// Parses GP data of any supported format. `source` names the file or URL in every issue.
pub fn parse_gp(bytes: &[u8], source: &str) -> (Option<GpFormat>, Parsed<GpRecord>) {
    let decoded = match decode_text(bytes, source) {
        Ok(decoded) => decoded,
        Err(issue) => return (None, Parsed::failed(issue)),
    };
    let text: &str = &decoded.text;
    if text.trim().is_empty() {
        return (
            None,
            Parsed::failed(RecordIssue::whole_file(source, "empty: no element sets")),
        );
    }
    let Some(format) = detect_format(text) else {
        return (
            None,
            Parsed::failed(RecordIssue::whole_file(
                source,
                "not a GP element set format (expected TLE, or OMM as JSON, CSV, XML or KVN)",
            )),
        );
    };
    let parsed = match format {
        GpFormat::Tle => tle::parse_tle(text, source),
        GpFormat::OmmJson => omm_json::parse_omm_json(text, source),
        GpFormat::OmmCsv => omm_csv::parse_omm_csv(text, source),
        GpFormat::OmmXml => omm_xml::parse_omm_xml(text, source),
        GpFormat::OmmKvn => omm_kvn::parse_omm_kvn(text, source),
    };
    (Some(format), parsed.with_caveats(decoded.caveats))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::RecordLocation;

    const GOES_TLE: &str = "GOES 16\n\
        1 41866U 16071A   26234.26780986 -.00000093  00000+0  00000+0 0  9994\n\
        2 41866   0.4963  85.0062 0001230 103.0975 134.1537  1.00273215 35767\n";

    /// One byte that is not UTF-8 costs at most its own record, never the file.
    #[test]
    fn an_invalid_byte_costs_only_its_record() {
        // In a name: the record is kept, with a caveat naming the line.
        let mut text = ISS_TLE.as_bytes().to_vec();
        text[2] = 0xff;
        text.extend_from_slice(GOES_TLE.as_bytes());
        let (_, parsed) = parse_gp(&text, "names.tle");
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(parsed.issues.len(), 1, "{:?}", parsed.issues);
        assert_eq!(parsed.issues[0].location, RecordLocation::Line(1));
        assert!(!parsed.issues[0].skipped);
        assert_eq!(
            parsed.records[0].object_name.as_deref(),
            Some("IS\u{fffd} (ZARYA)")
        );

        // In a data line: that record is skipped with its line; the next one is kept.
        let mut text = ISS_TLE.as_bytes().to_vec();
        let position = text.iter().position(|&b| b == b'5').unwrap_or(0);
        text[position + 30] = 0xc3;
        text.extend_from_slice(GOES_TLE.as_bytes());
        let (_, parsed) = parse_gp(&text, "data.tle");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].norad_id, 41866);
        assert_eq!(parsed.skipped_count(), 1);
        assert!(parsed.accounting_error().is_none());
    }

    const ISS_TLE: &str = "ISS (ZARYA)\n\
        1 25544U 98067A   20350.24982050  .00000614  00000+0  19181-4 0  9994\n\
        2 25544  51.6439 172.5713 0001646 123.4001  50.7130 15.49187914260085\n";

    #[test]
    fn format_is_detected_from_content() {
        assert_eq!(detect_format(ISS_TLE), Some(GpFormat::Tle));
        assert_eq!(
            detect_format("  [{\"NORAD_CAT_ID\":1}]"),
            Some(GpFormat::OmmJson)
        );
        assert_eq!(
            detect_format("<?xml version=\"1.0\"?><ndm>"),
            Some(GpFormat::OmmXml)
        );
        assert_eq!(
            detect_format("CCSDS_OMM_VERS = 2.0\n"),
            Some(GpFormat::OmmKvn)
        );
        assert_eq!(
            detect_format("OBJECT_NAME,NORAD_CAT_ID\n"),
            Some(GpFormat::OmmCsv)
        );
        assert_eq!(detect_format("hello world\n"), None);
    }

    #[test]
    fn empty_garbage_and_bom_inputs() {
        let (format, parsed) = parse_gp(b"", "empty.tle");
        assert_eq!(format, None);
        assert_eq!(
            parsed.issues[0].to_string(),
            "empty.tle: empty: no element sets"
        );
        let (_, parsed) = parse_gp(b" \r\n\r\n", "blank.tle");
        assert!(parsed.records.is_empty() && parsed.issues[0].message.contains("empty"));

        let (_, parsed) = parse_gp(&[0x00, 0xff, 0x13, 0x37, 0xc3], "garbage.bin");
        assert!(
            parsed.issues[0].message.contains("not UTF-8"),
            "{:?}",
            parsed.issues
        );
        let (_, parsed) = parse_gp(b"just some words\nnothing else\n", "words.txt");
        assert!(
            parsed.issues[0]
                .message
                .contains("not a GP element set format")
        );

        let with_bom = format!("\u{feff}{ISS_TLE}");
        let (_, parsed) = parse_gp(
            b"ISS\n1 \x00 junk that is long enough to look like a line\n",
            "nul.tle",
        );
        assert!(parsed.issues[0].message.contains("not UTF-8"));
        let (format, parsed) = parse_gp(with_bom.as_bytes(), "bom.tle");
        assert_eq!(format, Some(GpFormat::Tle));
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(
            parsed.records[0].object_name.as_deref(),
            Some("ISS (ZARYA)")
        );
    }
}
