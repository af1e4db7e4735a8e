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
    let text = match decode_text(bytes, source) {
        Ok(text) => text,
        Err(issue) => return (None, Parsed::failed(issue)),
    };
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
    (Some(format), parsed)
}
