//! CelesTrak SATCAT CSV (`pub/satcat.csv`), 17 columns found by name: `OBJECT_NAME`,
//! `OBJECT_ID`, `NORAD_CAT_ID`, `OBJECT_TYPE`, `OPS_STATUS_CODE`, `OWNER`, `LAUNCH_DATE`,
//! `LAUNCH_SITE`, `DECAY_DATE`, `PERIOD`, `INCLINATION`, `APOGEE`, `PERIGEE`, `RCS`,
//! `DATA_STATUS_CODE`, `ORBIT_CENTER`, `ORBIT_TYPE`.

use chrono::NaiveDate;

use super::csv_rows::CsvRows;
use super::gp::fields::parse_f64;
use super::{NoradId, ObjectType, OpsStatus, Parsed, RecordIssue, RecordLocation, decode_text};

/// One SATCAT row.
#[derive(Debug, Clone, PartialEq)]
pub struct SatcatRecord {
    pub norad_id: NoradId,
    pub name: String,
    pub cospar_id: Option<String>,
    pub object_type: ObjectType,
    pub ops_status: Option<OpsStatus>,
    pub owner_code: String,
    pub launch_date: Option<NaiveDate>,
    pub launch_site: Option<String>,
    pub decay_date: Option<NaiveDate>,
    pub period_min: Option<f64>,
    pub inclination_deg: Option<f64>,
    pub apogee_km: Option<f64>,
    pub perigee_km: Option<f64>,
    pub rcs_m2: Option<f64>,
}

const REQUIRED: [&str; 4] = ["NORAD_CAT_ID", "OBJECT_TYPE", "OWNER", "OBJECT_NAME"];

pub fn parse_satcat(bytes: &[u8], source: &str) -> Parsed<SatcatRecord> {
    let decoded = match decode_text(bytes, source) {
        Ok(decoded) => decoded,
        Err(issue) => return Parsed::failed(issue),
    };
    let text: &str = &decoded.text;
    if text.trim().is_empty() {
        return Parsed::failed(RecordIssue::whole_file(source, "empty: no SATCAT rows"));
    }
    let rows = match CsvRows::open(text, source) {
        Ok(rows) => rows,
        Err(issue) => return Parsed::failed(issue),
    };
    if let Some(missing) = REQUIRED.iter().find(|name| rows.column(name).is_none()) {
        return Parsed::failed(RecordIssue::skipped(
            source,
            RecordLocation::Line(1),
            format!("the header has no {missing} column: not a CelesTrak SATCAT CSV"),
        ));
    }
    let layout = Layout {
        norad: rows.column("NORAD_CAT_ID").unwrap_or(0),
        object_type: rows.column("OBJECT_TYPE").unwrap_or(0),
        owner: rows.column("OWNER").unwrap_or(0),
        name: rows.column("OBJECT_NAME").unwrap_or(0),
        optional: OPTIONAL.map(|name| rows.column(name)),
    };
    let mut parsed = Parsed::default();
    let mut records = Vec::new();
    parsed.read = rows.for_each(
        true,
        &mut parsed.issues,
        |location, record, issues| match read_row(&layout, record, source, location, issues) {
            Ok(row) => records.push(row),
            Err(issue) => issues.push(issue),
        },
    );
    parsed.records = records;
    parsed.with_caveats(decoded.caveats)
}

/// Columns that may be empty or absent, in the order [`Layout::optional`] holds them.
const OPTIONAL: [&str; 10] = [
    "OBJECT_ID",
    "OPS_STATUS_CODE",
    "LAUNCH_DATE",
    "LAUNCH_SITE",
    "DECAY_DATE",
    "PERIOD",
    "INCLINATION",
    "APOGEE",
    "PERIGEE",
    "RCS",
];

/// Where each field is in this file.
struct Layout {
    norad: usize,
    object_type: usize,
    owner: usize,
    name: usize,
    optional: [Option<usize>; 10],
}

/// One row; unparseable optional fields are kept as absent with a caveat in `issues`.
fn read_row(
    layout: &Layout,
    record: &csv::StringRecord,
    source: &str,
    location: RecordLocation,
    issues: &mut Vec<RecordIssue>,
) -> Result<SatcatRecord, RecordIssue> {
    let norad_raw = record[layout.norad].trim();
    let Ok(norad_id) = norad_raw.parse::<NoradId>() else {
        return Err(RecordIssue::skipped(
            source,
            location,
            format!("not a catalog number: {norad_raw:?}"),
        )
        .with_field("NORAD_CAT_ID"));
    };
    let cell = |slot: usize| {
        layout.optional[slot]
            .map(|index| record[index].trim())
            .filter(|value| !value.is_empty())
    };
    let caveat = |field: &str, message: String| {
        RecordIssue::skipped(source, location, message)
            .with_field(field)
            .with_norad(Some(u64::from(norad_id)))
            .kept()
    };
    let type_raw = record[layout.object_type].trim();
    let object_type = ObjectType::from_satcat_code(type_raw).unwrap_or_else(|| {
        issues.push(caveat(
            "OBJECT_TYPE",
            format!("unknown object type {type_raw:?}, shown as unknown"),
        ));
        ObjectType::Unknown
    });
    let mut date = |slot: usize| {
        let raw = cell(slot)?;
        let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
        if parsed.is_none() {
            issues.push(caveat(
                OPTIONAL[slot],
                format!("not a YYYY-MM-DD date: {raw:?}"),
            ));
        }
        parsed
    };
    let launch_date = date(2);
    let decay_date = date(4);
    let mut number = |slot: usize| {
        let raw = cell(slot)?;
        let value = parse_f64(raw);
        if value.is_none() {
            issues.push(caveat(OPTIONAL[slot], format!("not a number: {raw:?}")));
        }
        value
    };
    let (period_min, inclination_deg) = (number(5), number(6));
    let (apogee_km, perigee_km, rcs_m2) = (number(7), number(8), number(9));
    let ops_status = cell(1).and_then(|raw| {
        let status = OpsStatus::from_code(raw);
        if status.is_none() {
            issues.push(caveat(
                "OPS_STATUS_CODE",
                format!("unknown status code {raw:?}"),
            ));
        }
        status
    });
    Ok(SatcatRecord {
        norad_id,
        name: record[layout.name].trim().to_owned(),
        cospar_id: cell(0).map(str::to_owned),
        object_type,
        ops_status,
        owner_code: record[layout.owner].trim().to_owned(),
        launch_date,
        launch_site: cell(3).map(str::to_owned),
        decay_date,
        period_min,
        inclination_deg,
        apogee_km,
        perigee_km,
        rcs_m2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE";

    #[test]
    fn reads_rows_and_types() {
        let text = format!(
            "\u{feff}{HEADER}\n\
             VANGUARD 1,1958-002B,5,PAY,-,US,1958-03-17,AFETR,,132.59,34.24,3817,653,0.1221,,EA,ORB\n\
             SL-4 R/B,1965-011B,1234,R/B,,CIS,1965-02-10,TYMSC,1965-03-01,,,,,,,EA,DEC\n\
             \"DEB, WITH COMMA\",2026-001AB,100401,DEB,,PRC,2026-01-02,JSC,,,,,,,,EA,ORB\n"
        );
        let parsed = parse_satcat(text.as_bytes(), "satcat.csv");
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        let [vanguard, rocket, debris] = &parsed.records[..] else {
            panic!("three rows expected");
        };
        assert_eq!(vanguard.object_type, ObjectType::Payload);
        assert_eq!(vanguard.ops_status, Some(OpsStatus::Nonoperational));
        assert_eq!(vanguard.rcs_m2, Some(0.1221));
        assert_eq!(vanguard.apogee_km, Some(3817.0));
        assert_eq!(rocket.object_type, ObjectType::RocketBody);
        assert_eq!(rocket.decay_date, NaiveDate::from_ymd_opt(1965, 3, 1));
        assert_eq!(debris.norad_id, 100_401);
        assert_eq!(debris.name, "DEB, WITH COMMA");
        assert_eq!(debris.owner_code, "PRC");
    }

    #[test]
    fn unknown_type_is_kept_with_a_caveat_and_bad_ids_are_skipped() {
        let text = format!(
            "{HEADER}\nX,2000-001A,77,SPACESHIP,,US,2000-01-01,AFETR,,,,,,,,EA,ORB\n\
             Y,2000-001B,abc,PAY,,US,2000-01-01,AFETR,,,,,,,,EA,ORB\n\
             Z,2000-001C,78,PAY,,US\n"
        );
        let parsed = parse_satcat(text.as_bytes(), "satcat.csv");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].object_type, ObjectType::Unknown);
        assert_eq!(parsed.skipped_count(), 2);
        let messages: Vec<String> = parsed.issues.iter().map(ToString::to_string).collect();
        assert!(
            messages[0].contains("satcat.csv:2 (NORAD 77) field OBJECT_TYPE"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("satcat.csv:3 field NORAD_CAT_ID"),
            "{messages:?}"
        );
        assert!(messages[2].contains("satcat.csv:4") && messages[2].contains("6 columns"));
    }

    #[test]
    fn rejects_a_file_that_is_not_a_satcat() {
        let parsed = parse_satcat(b"a,b,c\n1,2,3\n", "x.csv");
        assert!(parsed.records.is_empty());
        assert!(parsed.issues[0].message.contains("no NORAD_CAT_ID"));
        let parsed = parse_satcat(&[0xff, 0xfe, 0x00, 0x01], "x.csv");
        assert!(parsed.issues[0].message.contains("not UTF-8"));
    }
}
