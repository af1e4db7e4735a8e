//! OMM as CSV: CelesTrak's 17 columns with a header row; numbers like `.46080909E-3`.

use std::borrow::Cow;

use super::GpRecord;
use super::fields::{Field, elements_from_fields, keep_or_report};
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
    let columns = rows.columns.clone();
    let mut parsed = Parsed::default();
    let mut records = Vec::new();
    parsed.read = rows.for_each(true, &mut parsed.issues, |location, record, issues| {
        let get = |name: &'static str| {
            columns
                .iter()
                .position(|column| column == name)
                .map(|index| Field::Text(Cow::Borrowed(&record[index])))
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

    #[test]
    fn header_only_file_has_no_records_and_no_issues() {
        let parsed = parse_omm_csv(&format!("{HEADER}\n"), "a.csv");
        assert!(parsed.records.is_empty() && parsed.issues.is_empty());
    }
}
