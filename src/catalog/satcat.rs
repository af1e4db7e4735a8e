//! CelesTrak SATCAT CSV (`pub/satcat.csv`), 17 columns found by name: `OBJECT_NAME`,
//! `OBJECT_ID`, `NORAD_CAT_ID`, `OBJECT_TYPE`, `OPS_STATUS_CODE`, `OWNER`, `LAUNCH_DATE`,
//! `LAUNCH_SITE`, `DECAY_DATE`, `PERIOD`, `INCLINATION`, `APOGEE`, `PERIGEE`, `RCS`,
//! `DATA_STATUS_CODE`, `ORBIT_CENTER`, `ORBIT_TYPE`; and the legacy layout of the old
//! fixed-width `satcat.txt` as CSV (`norad_cat_num`, `payload`, `source`, …), which has no
//! object type: a non-payload is typed from its name.

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
    let layout = if rows.column("OWNER").is_none()
        && SPACETRACK_REQUIRED
            .iter()
            .all(|name| rows.column(name).is_some())
    {
        Layout {
            norad: rows.column("NORAD_CAT_ID").unwrap_or(0),
            object_type: TypeColumn::Code(rows.column("OBJECT_TYPE").unwrap_or(0)),
            owner: rows.column("COUNTRY").unwrap_or(0),
            name: rows
                .column("OBJECT_NAME")
                .or_else(|| rows.column("SATNAME"))
                .unwrap_or(0),
            optional: SPACETRACK_OPTIONAL.map(|name| name.and_then(|name| rows.column(name))),
        }
    } else if LEGACY_REQUIRED
        .iter()
        .all(|name| rows.column(name).is_some())
    {
        Layout {
            norad: rows.column("norad_cat_num").unwrap_or(0),
            object_type: TypeColumn::PayloadFlag(rows.column("payload").unwrap_or(0)),
            owner: rows.column("source").unwrap_or(0),
            name: rows.column("satellite_name").unwrap_or(0),
            optional: LEGACY_OPTIONAL.map(|name| rows.column(name)),
        }
    } else {
        if let Some(missing) = REQUIRED.iter().find(|name| rows.column(name).is_none()) {
            return Parsed::failed(RecordIssue::skipped(
                source,
                RecordLocation::Line(1),
                format!("the header has no {missing} column: not a CelesTrak SATCAT CSV"),
            ));
        }
        Layout {
            norad: rows.column("NORAD_CAT_ID").unwrap_or(0),
            object_type: TypeColumn::Code(rows.column("OBJECT_TYPE").unwrap_or(0)),
            owner: rows.column("OWNER").unwrap_or(0),
            name: rows.column("OBJECT_NAME").unwrap_or(0),
            optional: OPTIONAL.map(|name| rows.column(name)),
        }
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

/// The SATCAT as CelesTrak's old fixed-width `satcat.txt` held it, read into CSV with these
/// lower-case names (e.g. the January 2017 snapshot): no object type, only a payload flag.
const LEGACY_REQUIRED: [&str; 4] = ["norad_cat_num", "payload", "source", "satellite_name"];

/// The legacy names of [`OPTIONAL`], slot for slot.
const LEGACY_OPTIONAL: [&str; 10] = [
    "designator",
    "op_status_code",
    "launch_date",
    "launch_site",
    "decay_date",
    "orbital_period",
    "inclination",
    "apogee",
    "perigee",
    "radar_cross_section",
];

/// Space-Track's `satcat` class as CSV: the owner is `COUNTRY`, the type a word (`PAYLOAD`,
/// `ROCKET BODY`, `DEBRIS`, `UNKNOWN`, `TBA`), the name `SATNAME` (or `OBJECT_NAME`).
const SPACETRACK_REQUIRED: [&str; 4] = ["NORAD_CAT_ID", "OBJECT_TYPE", "COUNTRY", "SATNAME"];

/// Space-Track's names for [`OPTIONAL`], slot for slot (it has no status code, and gives the
/// radar cross-section as a size class only).
const SPACETRACK_OPTIONAL: [Option<&str>; 10] = [
    Some("INTLDES"),
    None,
    Some("LAUNCH"),
    Some("SITE"),
    Some("DECAY"),
    Some("PERIOD"),
    Some("INCLINATION"),
    Some("APOGEE"),
    Some("PERIGEE"),
    None,
];

/// Where the object type comes from.
enum TypeColumn {
    /// `OBJECT_TYPE` (`PAY`, `R/B`, `DEB`, `UNK`).
    Code(usize),
    /// The legacy `payload` flag (`True`/`False`): a non-payload is typed from its name
    /// (`… R/B`, `… DEB`), else unknown.
    PayloadFlag(usize),
}

/// Where each field is in this file.
struct Layout {
    norad: usize,
    object_type: TypeColumn,
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
    let object_type = match layout.object_type {
        TypeColumn::Code(column) => {
            let type_raw = record[column].trim();
            ObjectType::from_satcat_code(type_raw).unwrap_or_else(|| {
                issues.push(caveat(
                    "OBJECT_TYPE",
                    format!("unknown object type {type_raw:?}, shown as unknown"),
                ));
                ObjectType::Unknown
            })
        }
        TypeColumn::PayloadFlag(column) => match record[column].trim() {
            "True" | "TRUE" | "true" | "1" => ObjectType::Payload,
            _ => ObjectType::from_name(record[layout.name].trim()),
        },
    };
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
    fn reads_the_legacy_layout_with_its_payload_flag() {
        let text = "designator,norad_cat_num,multiple,payload,op_status_code,satellite_name,source,launch_date,launch_site,decay_date,orbital_period,inclination,apogee,perigee,radar_cross_section,orbital_status_code\n\
             1957-001A,00001,False,False,D,SL-1 R/B,CIS,1957-10-04,TYMSC,1957-12-01,96.2,65.1,938.0,214.0,20.42,\n\
             1957-001B,00002,False,True,D,SPUTNIK 1,CIS,1957-10-04,TYMSC,1958-01-03,96.1,65.0,945.0,227.0,,\n\
             1999-025AB,29733,False,False,,FENGYUN 1C DEB,PRC,1999-05-10,TSC,,100.6,98.9,864.0,797.0,0.0101,\n";
        let parsed = parse_satcat(text.as_bytes(), "old.csv");
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        let types: Vec<ObjectType> = parsed.records.iter().map(|r| r.object_type).collect();
        assert_eq!(
            types,
            [
                ObjectType::RocketBody,
                ObjectType::Payload,
                ObjectType::Debris
            ]
        );
        assert_eq!(parsed.records[0].norad_id, 1);
        assert_eq!(
            parsed.records[1].decay_date,
            NaiveDate::from_ymd_opt(1958, 1, 3)
        );
        assert_eq!(parsed.records[2].cospar_id.as_deref(), Some("1999-025AB"));
        assert_eq!(parsed.records[2].owner_code, "PRC");
        assert_eq!(parsed.records[2].decay_date, None);
    }

    #[test]
    fn reads_space_tracks_layout() {
        let text = "\"INTLDES\",\"NORAD_CAT_ID\",\"OBJECT_TYPE\",\"SATNAME\",\"COUNTRY\",\"LAUNCH\",\"SITE\",\"DECAY\",\"PERIOD\",\"INCLINATION\",\"APOGEE\",\"PERIGEE\",\"COMMENT\",\"COMMENTCODE\",\"RCSVALUE\",\"RCS_SIZE\",\"FILE\",\"LAUNCH_YEAR\",\"LAUNCH_NUM\",\"LAUNCH_PIECE\",\"CURRENT\",\"OBJECT_NAME\",\"OBJECT_ID\",\"OBJECT_NUMBER\"\n\
             \"1998-067A\",\"25544\",\"PAYLOAD\",\"ISS (ZARYA)\",\"ISS\",\"1998-11-20\",\"TYMSC\",\"\",\"92.90\",\"51.64\",\"422\",\"417\",\"\",\"\",\"0\",\"LARGE\",\"1\",\"1998\",\"67\",\"A\",\"Y\",\"ISS (ZARYA)\",\"1998-067A\",\"25544\"\n\
             \"1999-025DX\",\"30000\",\"DEBRIS\",\"FENGYUN 1C DEB\",\"PRC\",\"1999-05-10\",\"TSC\",\"2012-03-01\",\"\",\"\",\"\",\"\",\"\",\"\",\"0\",\"SMALL\",\"1\",\"1999\",\"25\",\"DX\",\"N\",\"FENGYUN 1C DEB\",\"1999-025DX\",\"30000\"\n";
        let parsed = parse_satcat(text.as_bytes(), "spacetrack-satcat.csv");
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        let [iss, fragment] = &parsed.records[..] else {
            panic!("two rows expected");
        };
        assert_eq!(
            (iss.norad_id, iss.object_type),
            (25544, ObjectType::Payload)
        );
        assert_eq!(iss.owner_code, "ISS");
        assert_eq!(iss.cospar_id.as_deref(), Some("1998-067A"));
        assert_eq!(iss.launch_date, NaiveDate::from_ymd_opt(1998, 11, 20));
        assert_eq!(iss.apogee_km, Some(422.0));
        assert_eq!(fragment.object_type, ObjectType::Debris);
        assert_eq!(fragment.decay_date, NaiveDate::from_ymd_opt(2012, 3, 1));
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
