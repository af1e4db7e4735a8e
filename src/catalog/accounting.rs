//! The accounting invariant, checked from outside the readers: for any input, every reader
//! accounts for each record it met (kept, or skipped with a reason), and the join accounts for
//! each element set (`objects = read − duplicates − skipped`). The property tests and the fuzz
//! targets (`fuzz/`) call this on arbitrary bytes, for every reader of outside input: the
//! catalog formats, the UN index's pages and the register built from them (network JSON), and
//! scenario files (which users share).

use super::gcat::parse_gcat;
use super::gp::{omm_csv, omm_json, omm_kvn, omm_xml, parse_gp, tle};
use super::satcat::parse_satcat;
use super::unoosa::parse_unoosa;
use super::unoosa_index::{parse_index_page, parse_register};
use super::{Catalog, CatalogInputs, Parsed, SourceInfo, decode_text};
use crate::scenario::Scenario;

/// Which reader to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// GP data with the format detected from the content, then joined.
    Gp,
    Tle,
    OmmJson,
    OmmCsv,
    OmmXml,
    OmmKvn,
    Satcat,
    Gcat,
    Unoosa,
    /// One answer of the UN index's search endpoint.
    UnIndexPage,
    /// The UN register file OrbitScope assembles from those pages.
    UnRegister,
    /// A scenario file.
    Scenario,
}

impl Reader {
    pub const ALL: [Self; 12] = [
        Self::Gp,
        Self::Tle,
        Self::OmmJson,
        Self::OmmCsv,
        Self::OmmXml,
        Self::OmmKvn,
        Self::Satcat,
        Self::Gcat,
        Self::Unoosa,
        Self::UnIndexPage,
        Self::UnRegister,
        Self::Scenario,
    ];
}

/// What one checked read found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadCounts {
    pub read: usize,
    pub kept: usize,
    pub skipped: usize,
}

fn counts<T>(parsed: &Parsed<T>) -> Result<ReadCounts, String> {
    if let Some(error) = parsed.accounting_error() {
        return Err(error);
    }
    if let Some(issue) = parsed.issues.iter().find(|issue| issue.message.is_empty()) {
        return Err(format!("an issue without a reason: {issue:?}"));
    }
    Ok(ReadCounts {
        read: parsed.read,
        kept: parsed.records.len(),
        skipped: parsed.skipped_count(),
    })
}

/// Joins GP records and checks the join's accounting.
fn join_checked(records: Vec<super::gp::GpRecord>) -> Result<(), String> {
    let catalog = Catalog::join(CatalogInputs {
        gp: vec![(
            SourceInfo {
                kind: "gp",
                location: "input".to_owned(),
                fetched_at: None,
            },
            records,
        )],
        ..CatalogInputs::default()
    });
    match catalog.report.accounting_error() {
        Some(error) => Err(format!("join: {error}")),
        None => Ok(()),
    }
}

/// Reads `bytes` with `reader` and checks the accounting invariant (and, for GP data, the
/// join's). Returns the counts, or how the invariant failed.
pub fn read_checked(reader: Reader, bytes: &[u8]) -> Result<ReadCounts, String> {
    let gp = |parsed: Parsed<super::gp::GpRecord>| {
        let counts = counts(&parsed)?;
        join_checked(parsed.records)?;
        Ok(counts)
    };
    match reader {
        Reader::Gp => gp(parse_gp(bytes, "input").1),
        Reader::Tle | Reader::OmmJson | Reader::OmmCsv | Reader::OmmXml | Reader::OmmKvn => {
            // Each format's reader directly, bypassing detection (as its fuzz target does).
            let Ok(decoded) = decode_text(bytes, "input") else {
                return Ok(ReadCounts::default());
            };
            let text: &str = &decoded.text;
            gp(match reader {
                Reader::Tle => tle::parse_tle(text, "input"),
                Reader::OmmJson => omm_json::parse_omm_json(text, "input"),
                Reader::OmmCsv => omm_csv::parse_omm_csv(text, "input"),
                Reader::OmmXml => omm_xml::parse_omm_xml(text, "input"),
                _ => omm_kvn::parse_omm_kvn(text, "input"),
            })
        }
        Reader::Satcat => counts(&parse_satcat(bytes, "input")),
        Reader::Gcat => counts(&parse_gcat(bytes, "input")),
        Reader::Unoosa => counts(&parse_unoosa(bytes, "input")),
        Reader::UnIndexPage => index_page_checked(bytes),
        Reader::UnRegister => counts(&parse_register(bytes, "input").1),
        Reader::Scenario => scenario_checked(bytes),
    }
}

/// A page is refused whole (not the envelope), or each of its results is an entry or an
/// issue with a reason, and its fingerprint does not depend on where it was read.
fn index_page_checked(bytes: &[u8]) -> Result<ReadCounts, String> {
    let Ok(page) = parse_index_page(bytes, "input") else {
        return Ok(ReadCounts::default());
    };
    if page.entries.len() + page.issues.len() != page.results {
        return Err(format!(
            "{} results, {} entries and {} issues",
            page.results,
            page.entries.len(),
            page.issues.len()
        ));
    }
    if let Some(issue) = page.issues.iter().find(|issue| issue.message.is_empty()) {
        return Err(format!("an issue without a reason: {issue:?}"));
    }
    let again = parse_index_page(bytes, "elsewhere").map_err(|error| error.to_string())?;
    if again.fingerprint != page.fingerprint {
        return Err("the page's fingerprint depends on its location".to_owned());
    }
    Ok(ReadCounts {
        read: page.results,
        kept: page.entries.len(),
        skipped: page.issues.len(),
    })
}

/// A scenario is read, or refused with a message that names the file; one that is read writes
/// out as a file that reads back the same.
fn scenario_checked(bytes: &[u8]) -> Result<ReadCounts, String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(ReadCounts::default());
    };
    match Scenario::parse(text, "input.json") {
        Ok(scenario) => {
            let written = scenario.to_json();
            match Scenario::parse(&written, "written.json") {
                Ok(again) if again == scenario => Ok(ReadCounts {
                    read: 1,
                    kept: 1,
                    skipped: 0,
                }),
                Ok(again) => Err(format!(
                    "read back differently: {scenario:?} became {again:?}"
                )),
                Err(error) => Err(format!("what was written does not read back: {error}")),
            }
        }
        Err(error) => {
            let message = error.to_string();
            if !message.starts_with("input.json") || error.message.is_empty() {
                return Err(format!(
                    "an error that does not say where or why: {message}"
                ));
            }
            Ok(ReadCounts {
                read: 1,
                kept: 0,
                skipped: 1,
            })
        }
    }
}
