//! GCAT payload catalog (`psatcat.tsv`, J. C. McDowell): tab-separated, header line starting
//! with `#`, `-` for empty. Supplies UN registration facts: `UNReg` (document symbol) and
//! `UNState` (state of registry; brackets mark an object that state did not register).

use super::{
    NoradId, Parsed, RecordIssue, RecordLocation, Registration, RegistrationSource, decode_text,
};

/// One GCAT payload row, reduced to what OrbitScope joins on and shows.
#[derive(Debug, Clone, PartialEq)]
pub struct GcatRecord {
    /// GCAT's own id (`S00002`); `S<n>` objects are in the US catalog as NORAD `n`.
    pub jcat: String,
    pub norad_id: Option<NoradId>,
    /// COSPAR designator as GCAT writes it (`1957 ALP 2`, `2025-071AC`).
    pub piece: Option<String>,
    pub name: String,
    pub registration: Registration,
}

/// Removes GCAT's annotation marks from a state code: `[US]` → `US`, `F*` → `F`.
pub fn clean_state(raw: &str) -> String {
    raw.trim()
        .trim_matches(|c| c == '[' || c == ']' || c == '*' || c == '"')
        .trim_matches(|c| c == '[' || c == ']' || c == '*')
        .trim()
        .to_owned()
}

/// A UN document symbol as published (quotes and stray whitespace removed, typos kept).
fn clean_document(raw: &str) -> String {
    raw.trim().trim_matches('"').trim().to_owned()
}

/// Applies the registration rule to one row's `UNState` and `UNReg` values.
pub fn registration_from(un_state: &str, un_reg: &str) -> Registration {
    let document = clean_document(un_reg);
    let state = clean_state(un_state);
    let state = (!state.is_empty() && state != "-").then_some(state);
    if document.is_empty() || document == "-" {
        Registration::NotRegistered {
            state,
            source: RegistrationSource::Gcat,
        }
    } else {
        Registration::Registered {
            document: Some(document),
            state_of_registry: state.unwrap_or_else(|| "unknown".to_owned()),
            raw_state: un_state.trim().to_owned(),
            source: RegistrationSource::Gcat,
        }
    }
}

pub fn parse_gcat(bytes: &[u8], source: &str) -> Parsed<GcatRecord> {
    let decoded = match decode_text(bytes, source) {
        Ok(decoded) => decoded,
        Err(issue) => return Parsed::failed(issue),
    };
    let text: &str = &decoded.text;
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.by_ref().find(|(_, line)| !line.trim().is_empty()) else {
        return Parsed::failed(RecordIssue::whole_file(source, "empty: no GCAT rows"));
    };
    let columns: Vec<&str> = header
        .trim_end()
        .trim_start_matches('#')
        .split('\t')
        .map(str::trim)
        .collect();
    let column = |name: &str| columns.iter().position(|column| *column == name);
    let (Some(jcat_col), Some(state_col), Some(reg_col)) =
        (column("JCAT"), column("UNState"), column("UNReg"))
    else {
        return Parsed::failed(RecordIssue::skipped(
            source,
            RecordLocation::Line(1),
            "the header lacks JCAT, UNState or UNReg: not a GCAT psatcat.tsv",
        ));
    };
    let piece_col = column("Piece");
    let name_col = column("Name");
    let needed = jcat_col.max(state_col).max(reg_col) + 1;

    let mut parsed = Parsed::default();
    for (index, line) in lines {
        let line = line.trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        parsed.read += 1;
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() < needed {
            parsed.issues.push(RecordIssue::skipped(
                source,
                RecordLocation::Line(index + 1),
                format!(
                    "{} columns where the header has {}",
                    cells.len(),
                    columns.len()
                ),
            ));
            continue;
        }
        let value = |col: Option<usize>| {
            col.and_then(|col| cells.get(col))
                .map(|cell| cell.trim())
                .filter(|cell| !cell.is_empty() && *cell != "-")
        };
        let jcat = cells[jcat_col].trim().to_owned();
        let norad_id = jcat
            .strip_prefix('S')
            .and_then(|n| n.parse::<NoradId>().ok());
        parsed.records.push(GcatRecord {
            norad_id,
            piece: value(piece_col).map(str::to_owned),
            name: value(name_col).unwrap_or_default().to_owned(),
            registration: registration_from(cells[state_col], cells[reg_col]),
            jcat,
        });
    }
    parsed.with_caveats(decoded.caveats)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "#JCAT\tPiece\tName\tLDate\tTLast\tTOp\tTDate\tTF\tProgram\tPlane\tAtt\tMvr\tClass\tCategory\tResult\tControl\tDiscipline\tUNState\tUNReg\tUNPeriod\tUNPerigee\tUNApogee\tUNInc\tDispEpoch\tDispPeri\tDispApo\tDispInc\tComment";

    fn row(jcat: &str, state: &str, reg: &str) -> String {
        format!(
            "{jcat}\t1957 ALP 2\tFirst Sputnik\t1957 Oct  4\t-\t-\t-\t-\t-\t-\t-\t-\tC\tTECH\tS\t-\tENV*\t{state}\t{reg}\t-\t227\t947\t65.1\t-\t0\t0\t0.00\t-"
        )
    }

    #[test]
    fn registration_rule() {
        let text = [
            HEADER.to_owned(),
            "# Updated 2025 Apr  7 2348:35\t\t".to_owned(),
            row("S00002", "SU", "A/AC.105/INF.002"),
            row("S25544", "[US]", "-"),
            row("S40000", "F*", "\"ST/SG/SER,E/1143\""),
            row("A00010", "-", "-"),
        ]
        .join("\r\n");
        let parsed = parse_gcat(text.as_bytes(), "psatcat.tsv");
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        let records = &parsed.records;
        assert_eq!(records.len(), 4);
        assert_eq!(records[0].norad_id, Some(2));
        assert_eq!(
            records[0].registration,
            Registration::Registered {
                document: Some("A/AC.105/INF.002".into()),
                state_of_registry: "SU".into(),
                raw_state: "SU".into(),
                source: RegistrationSource::Gcat,
            }
        );
        assert_eq!(
            records[1].registration,
            Registration::NotRegistered {
                state: Some("US".into()),
                source: RegistrationSource::Gcat
            }
        );
        match &records[2].registration {
            Registration::Registered {
                document,
                state_of_registry,
                raw_state,
                ..
            } => {
                assert_eq!(document.as_deref(), Some("ST/SG/SER,E/1143"), "typo kept");
                assert_eq!(state_of_registry, "F");
                assert_eq!(raw_state, "F*");
            }
            other => panic!("expected registered, got {other:?}"),
        }
        assert_eq!(records[3].norad_id, None, "non-S JCAT has no NORAD number");
        assert_eq!(
            records[3].registration,
            Registration::NotRegistered {
                state: None,
                source: RegistrationSource::Gcat
            }
        );
    }

    #[test]
    fn short_rows_are_reported() {
        let text = format!("{HEADER}\nS00005\tx\n");
        let parsed = parse_gcat(text.as_bytes(), "psatcat.tsv");
        assert!(parsed.records.is_empty());
        assert_eq!(parsed.issues[0].location, RecordLocation::Line(2));
    }

    #[test]
    fn wrong_file_is_rejected() {
        let parsed = parse_gcat(b"OBJECT_NAME,OBJECT_ID\n", "x.tsv");
        assert!(parsed.issues[0].message.contains("not a GCAT"));
    }
}
