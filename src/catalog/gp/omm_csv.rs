//! OMM as CSV: CelesTrak's 17 columns with a header row; numbers like `.46080909E-3`.

use std::borrow::Cow;

use rayon::prelude::*;

use super::GpRecord;
use super::fields::{FIELD_NAMES, Field, elements_from_fields, keep_or_report};
use crate::catalog::csv_rows::CsvRows;
use crate::catalog::{Parsed, RecordIssue, RecordLocation};

pub fn parse_omm_csv(text: &str, source: &str) -> Parsed<GpRecord> {
    let rows = match CsvRows::open(text, source) {
        Ok(rows) => rows,
        Err(issue) => return Parsed::failed(issue),
    };
    if rows.column("NORAD_CAT_ID").is_none() {
        return Parsed::failed(RecordIssue::skipped(
            source,
            RecordLocation::Line(1),
            "the header has no NORAD_CAT_ID column: not an OMM CSV",
        ));
    }
    // Reading numbers is most of the work: large files are read in parts on every core and
    // the parts joined in file order (records, issues and counts as a serial read gives).
    let parts: Vec<Parsed<GpRecord>> = rows
        .into_parts(rayon::current_num_threads())
        .into_par_iter()
        .map(|part| parse_rows(part, source))
        .collect();
    let mut parsed = Parsed::default();
    for part in parts {
        parsed.records.extend(part.records);
        parsed.issues.extend(part.issues);
        parsed.read += part.read;
    }
    parsed
}

fn parse_rows(rows: CsvRows<'_>, source: &str) -> Parsed<GpRecord> {
    // Column positions once, not per row and field; looked up by a short key first, so that
    // a row's ~17 lookups cost one string comparison each rather than a dozen.
    let key = |name: &str| {
        (
            name.len(),
            name.as_bytes().first().copied(),
            name.as_bytes().last().copied(),
        )
    };
    let positions: Vec<(_, &'static str, Option<usize>)> = FIELD_NAMES
        .iter()
        .map(|&name| (key(name), name, rows.column(name)))
        .collect();
    let column_of = |name: &str| {
        let wanted = key(name);
        positions
            .iter()
            .find(|(known_key, known, _)| *known_key == wanted && *known == name)
            .and_then(|&(_, _, index)| index)
    };
    let mut parsed = Parsed::default();
    let mut records = Vec::new();
    parsed.read = rows.for_each(true, &mut parsed.issues, |location, record, issues| {
        let get = |name: &'static str| {
            column_of(name).map(|index| Field::Text(Cow::Borrowed(&record[index])))
        };
        keep_or_report(
            elements_from_fields(get),
            source,
            location,
            &mut records,
            issues,
        );
    });
    parsed.records = records;
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT";
    // Real rows from CelesTrak's active group, 2026-08-22.
    const CALSPHERE: &str = "CALSPHERE 1,1964-063C,2026-08-22T07:57:46.835712,13.76683504,.00279762,90.2176,73.3078,91.5380,83.0435,0,U,900,999,8052,.46080909E-3,.463E-5,0";
    const SARAMAGO: &str = "SARAMAGO,2026-067CY,2026-08-22T03:16:08.605344,15.20984705,.00093868,97.4631,191.9530,127.5134,232.6956,0,U,100000,999,2172,.35009286E-3,.7701E-4,0";

    #[test]
    fn reads_rows_with_fortran_style_numbers() {
        let parsed = parse_omm_csv(&format!("{HEADER}\n{CALSPHERE}\n{SARAMAGO}\n"), "a.csv");
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        assert_eq!(parsed.records[0].drag_term, 0.000_460_809_09);
        assert_eq!(parsed.records[0].eccentricity, 0.002_797_62);
        assert_eq!(
            parsed.records[1].norad_id, 100_000,
            "six-digit catalog number"
        );
    }

    #[test]
    fn wrong_column_count_and_bad_number_are_skipped() {
        let short = CALSPHERE.rsplit_once(',').unwrap().0;
        let bad = SARAMAGO.replace("97.4631", "ninety");
        let text = format!("{HEADER}\r\n{short}\r\n{bad}\r\n{CALSPHERE}\r\n");
        let parsed = parse_omm_csv(&text, "a.csv");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.issues[0].location, RecordLocation::Line(2));
        assert!(parsed.issues[0].message.contains("16 columns"));
        assert_eq!(parsed.issues[1].location, RecordLocation::Line(3));
        assert_eq!(parsed.issues[1].field.as_deref(), Some("INCLINATION"));
        assert_eq!(parsed.issues[1].norad_id, Some(100_000));
    }

    #[test]
    fn catalog_numbers_beyond_32_bits_are_refused_with_a_reason() {
        let huge = CALSPHERE.replace(",900,", ",4294967296,");
        let parsed = parse_omm_csv(&format!("{HEADER}\n{huge}\n{SARAMAGO}\n"), "a.csv");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.issues[0].field.as_deref(), Some("NORAD_CAT_ID"));
        assert!(parsed.issues[0].message.contains("out of range"));
        assert_eq!(parsed.issues[0].norad_id, Some(4_294_967_296));
        assert!(parsed.accounting_error().is_none());
    }

    /// A large file is read in parts on all cores: the records, the issues with their line
    /// numbers and the count of rows read are those of one reader from the top.
    #[test]
    fn a_large_file_read_in_parts_reads_as_one() {
        let mut text = format!("{HEADER}\r\n");
        for i in 0..12_000 {
            let row = match i {
                // Bad rows near the start, in the middle and at the very end.
                7 | 6_001 | 11_999 => SARAMAGO.replace("97.4631", "ninety"),
                5_000 => String::new(),
                _ => CALSPHERE.replace(",900,", &format!(",{},", 1_000 + i)),
            };
            text.push_str(&row);
            text.push_str("\r\n");
        }
        let serial = parse_rows(CsvRows::open(&text, "big.csv").unwrap(), "big.csv");
        let parts = CsvRows::open(&text, "big.csv").unwrap().into_parts(4);
        assert_eq!(parts.len(), 4, "{} bytes split four ways", text.len());
        let whole = parse_omm_csv(&text, "big.csv");
        for parsed in [&serial, &whole] {
            assert_eq!(parsed.read, 11_999, "the blank row is not a record");
            assert_eq!(parsed.records.len(), 11_996);
            let lines: Vec<_> = parsed.issues.iter().map(|issue| issue.location).collect();
            assert_eq!(
                lines,
                [9, 6_003, 12_001].map(RecordLocation::Line),
                "line numbers count the header and every line before"
            );
        }
        assert_eq!(whole.records, serial.records);
        assert_eq!(
            whole.records.last().unwrap().norad_id,
            12_998,
            "the last good row is kept"
        );
    }

    #[test]
    fn quoted_fields_keep_the_file_whole() {
        let mut text = format!("{HEADER}\n");
        for _ in 0..4_000 {
            text.push_str(&CALSPHERE.replacen("CALSPHERE 1", "\"CALSPHERE, 1\"", 1));
            text.push('\n');
        }
        assert_eq!(
            CsvRows::open(&text, "q.csv").unwrap().into_parts(4).len(),
            1
        );
        let parsed = parse_omm_csv(&text, "q.csv");
        assert_eq!(parsed.records.len(), 4_000);
        assert_eq!(
            parsed.records[0].object_name.as_deref(),
            Some("CALSPHERE, 1")
        );
    }

    #[test]
    fn header_only_file_has_no_records_and_no_issues() {
        let parsed = parse_omm_csv(&format!("{HEADER}\n"), "a.csv");
        assert!(parsed.records.is_empty() && parsed.issues.is_empty());
    }
}
