//! CelesTrak SATCAT CSV (`pub/satcat.csv`), 17 columns found by name: `OBJECT_NAME`,
//! `OBJECT_ID`, `NORAD_CAT_ID`, `OBJECT_TYPE`, `OPS_STATUS_CODE`, `OWNER`, `LAUNCH_DATE`,
//! `LAUNCH_SITE`, `DECAY_DATE`, `PERIOD`, `INCLINATION`, `APOGEE`, `PERIGEE`, `RCS`,
//! `DATA_STATUS_CODE`, `ORBIT_CENTER`, `ORBIT_TYPE`.

use chrono::NaiveDate;

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
    let text = match decode_text(bytes, source) {
        Ok(text) => text,
        Err(issue) => return Parsed::failed(issue),
    };
    if text.trim().is_empty() {
        return Parsed::failed(RecordIssue::whole_file(source, "empty: no SATCAT rows"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let columns: Vec<String> = match reader.headers() {
        Ok(headers) => headers.iter().map(|name| name.trim().to_owned()).collect(),
        Err(error) => {
            return Parsed::failed(RecordIssue::whole_file(
                source,
                format!("unreadable CSV header: {error}"),
            ));
        }
    };
    let column = |name: &str| columns.iter().position(|column| column == name);
    if let Some(missing) = REQUIRED.iter().find(|name| column(name).is_none()) {
        return Parsed::failed(RecordIssue::skipped(
            source,
            RecordLocation::Line(1),
            format!("the header has no {missing} column: not a CelesTrak SATCAT CSV"),
        ));
    }
    let index = |name: &str| column(name);
    let (norad_col, type_col, owner_col, name_col) = (
        index("NORAD_CAT_ID").unwrap_or(0),
        index("OBJECT_TYPE").unwrap_or(0),
        index("OWNER").unwrap_or(0),
        index("OBJECT_NAME").unwrap_or(0),
    );
    let optional = [
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
    ]
    .map(index);

    let mut parsed = Parsed::default();
    let mut record = csv::StringRecord::new();
    let mut lines = crate::catalog::LineCounter::new(text);
    loop {
        let before = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                parsed.issues.push(RecordIssue::skipped(
                    source,
                    RecordLocation::Line(lines.line_at(before as usize)),
                    format!("unreadable CSV row: {error}"),
                ));
                continue;
            }
        }
        let line = lines.record_line(&record, before);
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        let location = RecordLocation::Line(line);
        if record.len() != columns.len() {
            parsed.issues.push(RecordIssue::skipped(
                source,
                location,
                format!(
                    "{} columns where the header has {}",
                    record.len(),
                    columns.len()
                ),
            ));
            continue;
        }
        let norad_raw = record[norad_col].trim();
        let Ok(norad_id) = norad_raw.parse::<NoradId>() else {
            parsed.issues.push(
                RecordIssue::skipped(
                    source,
                    location,
                    format!("not a catalog number: {norad_raw:?}"),
                )
                .with_field("NORAD_CAT_ID"),
            );
            continue;
        };
        let cell = |slot: usize| {
            optional[slot]
                .map(|index| record[index].trim())
                .filter(|value| !value.is_empty())
        };
        let caveat = |field: &str, message: String| {
            RecordIssue::skipped(source, location, message)
                .with_field(field)
                .with_norad(Some(u64::from(norad_id)))
                .kept()
        };
        let type_raw = record[type_col].trim();
        let object_type = ObjectType::from_satcat_code(type_raw).unwrap_or_else(|| {
            parsed.issues.push(caveat(
                "OBJECT_TYPE",
                format!("unknown object type {type_raw:?}, shown as unknown"),
            ));
            ObjectType::Unknown
        });
        let mut date = |slot: usize, field: &str| {
            let raw = cell(slot)?;
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| {
                    parsed
                        .issues
                        .push(caveat(field, format!("not a YYYY-MM-DD date: {raw:?}")));
                })
                .ok()
        };
        let launch_date = date(2, "LAUNCH_DATE");
        let decay_date = date(4, "DECAY_DATE");
        let mut number = |slot: usize, field: &str| {
            let raw = cell(slot)?;
            let value = parse_f64(raw);
            if value.is_none() {
                parsed
                    .issues
                    .push(caveat(field, format!("not a number: {raw:?}")));
            }
            value
        };
        let period_min = number(5, "PERIOD");
        let inclination_deg = number(6, "INCLINATION");
        let apogee_km = number(7, "APOGEE");
        let perigee_km = number(8, "PERIGEE");
        let rcs_m2 = number(9, "RCS");
        let ops_status = cell(1).and_then(|raw| {
            let status = OpsStatus::from_code(raw);
            if status.is_none() {
                parsed.issues.push(caveat(
                    "OPS_STATUS_CODE",
                    format!("unknown status code {raw:?}"),
                ));
            }
            status
        });
        parsed.records.push(SatcatRecord {
            norad_id,
            name: record[name_col].trim().to_owned(),
            cospar_id: cell(0).map(str::to_owned),
            object_type,
            ops_status,
            owner_code: record[owner_col].trim().to_owned(),
            launch_date,
            launch_site: cell(3).map(str::to_owned),
            decay_date,
            period_min,
            inclination_deg,
            apogee_km,
            perigee_km,
            rcs_m2,
        });
    }
    parsed
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
