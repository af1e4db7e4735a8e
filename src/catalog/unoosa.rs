//! UNOOSA Online Index of Objects Launched into Outer Space, CSV export: the UN register
//! itself. Joined on the COSPAR international designator.

use super::csv_rows::CsvRows;
use super::{Parsed, RecordIssue, RecordLocation, Registration, RegistrationSource, decode_text};

/// One row of the index.
#[derive(Debug, Clone, PartialEq)]
pub struct UnoosaRecord {
    /// International designator (`2025-206B`); the UN index has entries without one, which
    /// count in statistics but cannot join.
    pub cospar_id: Option<String>,
    /// The state's own registration number (`3832-2025-014`), where given.
    pub national_designator: Option<String>,
    pub name: Option<String>,
    /// State of registry as the index names it (`Russian Federation`, `USSR`, ...).
    pub state: Option<String>,
    pub status: Option<String>,
    pub registration: Registration,
}

/// True for a designator that names one object (`2025-155A`): the index writes `2025-155*`
/// for objects of a launch whose piece it does not know, which many objects share.
pub fn names_one_object(cospar_id: &str) -> bool {
    let id = cospar_id.trim();
    !id.is_empty()
        && !id.ends_with('*')
        && id.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
}

/// Turns the index's document link into a UN document symbol:
/// `/osoindex/data/documents/ru/st/stsgser.e1309.html` → `ST/SG/SER.E/1309`,
/// `/osoindex/data/documents/ru/a/aac.105inf.372.html` → `A/AC.105/INF.372`.
/// A value that is already a symbol, or a link of another shape, is kept as written.
pub fn document_symbol(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.chars().all(|c| c == '-') {
        return None;
    }
    if !raw.contains(".html") {
        return Some(raw.to_owned());
    }
    let stem = raw
        .rsplit('/')
        .next()
        .unwrap_or(raw)
        .trim_end_matches(".html");
    let symbol = if let Some(number) = stem.strip_prefix("stsgser.e") {
        format!("ST/SG/SER.E/{}", number.to_uppercase())
    } else if let Some(rest) = stem.strip_prefix("aac.105inf") {
        format!(
            "A/AC.105/INF.{}",
            rest.trim_start_matches('.').to_uppercase()
        )
    } else {
        raw.to_owned()
    };
    Some(symbol)
}

pub fn parse_unoosa(bytes: &[u8], source: &str) -> Parsed<UnoosaRecord> {
    let decoded = match decode_text(bytes, source) {
        Ok(decoded) => decoded,
        Err(issue) => return Parsed::failed(issue),
    };
    let text: &str = &decoded.text;
    if text.trim().is_empty() {
        return Parsed::failed(RecordIssue::whole_file(source, "empty: no index rows"));
    }
    let rows = match CsvRows::open(text, source) {
        Ok(rows) => rows,
        Err(issue) => return Parsed::failed(issue),
    };
    let (Some(designator_col), Some(registered_col)) = (
        rows.column("International Designator"),
        rows.column("UN Registered"),
    ) else {
        return Parsed::failed(RecordIssue::skipped(
            source,
            RecordLocation::Line(1),
            "the header lacks International Designator or UN Registered: not a UNOOSA index export",
        ));
    };
    let name_col = rows.column("Object Name");
    let national_col = rows.column("Registration Number");
    let state_col = rows.column("Country of Origin");
    let document_col = rows.column("Registration Document");
    let status_col = rows.column("Status");

    let mut parsed = Parsed::default();
    let mut records = Vec::new();
    // Scraped exports vary in trailing columns: rows are matched by name, not by width.
    parsed.read = rows.for_each(false, &mut parsed.issues, |location, record, issues| {
        let cell = |col: Option<usize>| {
            col.and_then(|col| record.get(col))
                .map(str::trim)
                .filter(|value| !value.is_empty() && !value.chars().all(|c| c == '-'))
        };
        let Some(cospar_id) = cell(Some(designator_col)) else {
            issues.push(
                RecordIssue::skipped(source, location, "no international designator")
                    .with_field("International Designator"),
            );
            return;
        };
        let state = cell(state_col).map(str::to_owned);
        let registration = match cell(Some(registered_col)) {
            Some("T") => Registration::Registered {
                document: cell(document_col).and_then(document_symbol),
                state_of_registry: state.clone().unwrap_or_else(|| "unknown".to_owned()),
                raw_state: state.clone().unwrap_or_default(),
                source: RegistrationSource::Unoosa,
            },
            Some("F") => Registration::NotRegistered {
                state: state.clone(),
                source: RegistrationSource::Unoosa,
            },
            other => {
                issues.push(
                    RecordIssue::skipped(
                        source,
                        location,
                        format!("expected T or F, got {:?}", other.unwrap_or("")),
                    )
                    .with_field("UN Registered"),
                );
                return;
            }
        };
        records.push(UnoosaRecord {
            cospar_id: Some(cospar_id.to_owned()),
            national_designator: cell(national_col).map(str::to_owned),
            name: cell(name_col).map(str::to_owned),
            state,
            status: cell(status_col).map(str::to_owned),
            registration,
        });
    });
    parsed.records = records;
    parsed.with_caveats(decoded.caveats)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Registration Number,International Designator,Object Name,Country of Origin,Date of Launch,Function,Status,Registration Document,UN Registered,GSO Location,Date of Decay or Change,Secretariat Remarks,External Website,Launch Vehicle,Place of Launch,Apogee (km),Perigee (km),Inclination (degrees),Period (minutes)";

    #[test]
    fn launch_level_designators_name_no_single_object() {
        assert!(names_one_object("2025-155A"));
        assert!(names_one_object(" 1998-067bc "));
        assert!(!names_one_object("2025-155*"));
        assert!(!names_one_object("2025-155"));
        assert!(!names_one_object(""));
    }

    #[test]
    fn document_links_become_symbols() {
        assert_eq!(
            document_symbol("/osoindex/data/documents/ru/st/stsgser.e1309.html").as_deref(),
            Some("ST/SG/SER.E/1309")
        );
        assert_eq!(
            document_symbol("/osoindex/data/documents/ru/a/aac.105inf.372.html").as_deref(),
            Some("A/AC.105/INF.372")
        );
        assert_eq!(
            document_symbol("/osoindex/data/documents/my/a/aac.105inf459.html").as_deref(),
            Some("A/AC.105/INF.459")
        );
        assert_eq!(
            document_symbol("ST/SG/SER.E/945").as_deref(),
            Some("ST/SG/SER.E/945")
        );
        assert_eq!(document_symbol(""), None);
    }

    #[test]
    fn reads_registered_and_unregistered_rows() {
        let text = format!(
            "{HEADER}\n\
             3832-2025-014,2025-206B,(GLONASS),Russian Federation,2025-09-13,Nav,in orbit,/osoindex/data/documents/ru/st/stsgser.e1309.html,T,,,,,,,,,,\n\
             -----,1998-006B,INMARSAT 3 F-5,(for Inmarsat),1998-02-04,------,in GSO,,F,,,\"Not registered, see remarks\",,,,,,,\n\
             x,2000-001A,X,Y,2000-01-01,f,s,,maybe,,,,,,,,,,\n"
        );
        let parsed = parse_unoosa(text.as_bytes(), "index.csv");
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(
            parsed.records[0].registration,
            Registration::Registered {
                document: Some("ST/SG/SER.E/1309".into()),
                state_of_registry: "Russian Federation".into(),
                raw_state: "Russian Federation".into(),
                source: RegistrationSource::Unoosa,
            }
        );
        assert!(matches!(
            parsed.records[1].registration,
            Registration::NotRegistered { .. }
        ));
        assert_eq!(parsed.issues.len(), 1);
        assert_eq!(parsed.issues[0].location, RecordLocation::Line(4));
        assert_eq!(parsed.issues[0].field.as_deref(), Some("UN Registered"));
    }
}
