//! Property tests of every reader, on the stable toolchain (the fuzz targets in `fuzz/` go
//! further on nightly): real records mutated at random never make a reader panic or lose a
//! record without a reason, and a corrupted field costs exactly its own record.

use proptest::prelude::*;
use proptest::sample::Index;

use super::accounting::{Reader, read_checked};

// Real records, typed in (CelesTrak 2020-12-15 and 2026-08-22; GCAT; UNOOSA index), and one
// of the scenarios that ship.
const TLE: &str = "ISS (ZARYA)\r\n\
1 25544U 98067A   20350.24982050  .00000614  00000+0  19181-4 0  9994\r\n\
2 25544  51.6439 172.5713 0001646 123.4001  50.7130 15.49187914260085\r\n\
GOES 16\r\n\
1 41866U 16071A   26234.26780986 -.00000093  00000+0  00000+0 0  9994\r\n\
2 41866   0.4963  85.0062 0001230 103.0975 134.1537  1.00273215 35767\r\n";
const OMM_CSV: &str = "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT\n\
CALSPHERE 1,1964-063C,2026-08-22T07:57:46.835712,13.76683504,.00279762,90.2176,73.3078,91.5380,83.0435,0,U,900,999,8052,.46080909E-3,.463E-5,0\n\
SARAMAGO,2026-067CY,2026-08-22T03:16:08.605344,15.20984705,.00093868,97.4631,191.9530,127.5134,232.6956,0,U,100000,999,2172,.35009286E-3,.7701E-4,0\n";
const OMM_JSON: &str = r#"[{"OBJECT_NAME":"ISS (ZARYA)","OBJECT_ID":"1998-067A","EPOCH":"2020-12-15T05:59:44.491200","MEAN_MOTION":15.49187914,"ECCENTRICITY":0.0001646,"INCLINATION":51.6439,"RA_OF_ASC_NODE":172.5713,"ARG_OF_PERICENTER":123.4001,"MEAN_ANOMALY":50.713,"EPHEMERIS_TYPE":0,"CLASSIFICATION_TYPE":"U","NORAD_CAT_ID":25544,"ELEMENT_SET_NO":999,"REV_AT_EPOCH":26008,"BSTAR":1.9181e-5,"MEAN_MOTION_DOT":6.14e-6,"MEAN_MOTION_DDOT":0},
{"OBJECT_NAME":"CALSPHERE 1","OBJECT_ID":"1964-063C","EPOCH":"2026-08-22T07:57:46.835712","MEAN_MOTION":"13.76683504","ECCENTRICITY":".00279762","INCLINATION":90.2176,"RA_OF_ASC_NODE":73.3078,"ARG_OF_PERICENTER":91.538,"MEAN_ANOMALY":83.0435,"NORAD_CAT_ID":900,"BSTAR":0.00046080909,"MEAN_MOTION_DOT":4.63e-6,"MEAN_MOTION_DDOT":0}]"#;
const OMM_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<ndm><omm id=\"CCSDS_OMM_VERS\" version=\"2.0\"><header><CREATION_DATE/><ORIGINATOR/></header><body><segment><metadata><OBJECT_NAME>ISS (ZARYA)</OBJECT_NAME><OBJECT_ID>1998-067A</OBJECT_ID><CENTER_NAME>EARTH</CENTER_NAME><REF_FRAME>TEME</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM><MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY></metadata><data><meanElements><EPOCH>2020-12-15T05:59:44.491200</EPOCH><MEAN_MOTION>15.49187914</MEAN_MOTION><ECCENTRICITY>.0001646</ECCENTRICITY><INCLINATION>51.6439</INCLINATION><RA_OF_ASC_NODE>172.5713</RA_OF_ASC_NODE><ARG_OF_PERICENTER>123.4001</ARG_OF_PERICENTER><MEAN_ANOMALY>50.7130</MEAN_ANOMALY></meanElements><tleParameters><EPHEMERIS_TYPE>0</EPHEMERIS_TYPE><CLASSIFICATION_TYPE>U</CLASSIFICATION_TYPE><NORAD_CAT_ID>25544</NORAD_CAT_ID><ELEMENT_SET_NO>999</ELEMENT_SET_NO><REV_AT_EPOCH>26008</REV_AT_EPOCH><BSTAR>.19181E-4</BSTAR><MEAN_MOTION_DOT>.614E-5</MEAN_MOTION_DOT><MEAN_MOTION_DDOT>0</MEAN_MOTION_DDOT></tleParameters></data></segment></body></omm></ndm>\r\n";
const OMM_KVN: &str = "CCSDS_OMM_VERS = 2.0\nOBJECT_NAME = ISS (ZARYA)\nOBJECT_ID = 1998-067A\nEPOCH = 2020-12-15T05:59:44.491200\nMEAN_MOTION = 15.49187914 [rev/day]\nECCENTRICITY = .0001646\nINCLINATION = 51.6439\nRA_OF_ASC_NODE = 172.5713\nARG_OF_PERICENTER = 123.4001\nMEAN_ANOMALY = 50.7130\nEPHEMERIS_TYPE = 0\nCLASSIFICATION_TYPE = U\nNORAD_CAT_ID = 25544\nELEMENT_SET_NO = 999\nREV_AT_EPOCH = 26008\nBSTAR = .19181E-4\nMEAN_MOTION_DOT = .614E-5\nMEAN_MOTION_DDOT = 0\n";
const SATCAT: &str = "OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE\n\
ISS (ZARYA),1998-067A,25544,PAY,+,ISS,1998-11-20,TYMSC,,92.9,51.64,422,417,399.05,,EA,ORB\n\
GOES 16,2016-071A,41866,PAY,+,US,2016-11-19,AFETR,,1436.1,0.5,35790,35782,,,EA,ORB\n";
const GCAT: &str = "#JCAT\tPiece\tName\tLDate\tUNState\tUNReg\n\
S00002\t1957 ALP 2\tFirst Sputnik\t1957 Oct  4\tSU\tA/AC.105/INF.002\n\
S25544\t1998-067A\tZarya\t1998 Nov 20\t[US]\t-\n";
const UNOOSA: &str = "Registration Number,International Designator,Object Name,Country of Origin,Date of Launch,Function,Status,Registration Document,UN Registered\n\
3832-2025-014,2025-206B,(GLONASS),Russian Federation,2025-09-13,Nav,in orbit,/osoindex/data/documents/ru/st/stsgser.e1309.html,T\n\
-----,1998-006B,INMARSAT 3 F-5,(for Inmarsat),1998-02-04,------,in GSO,,F\n";

const UN_INDEX_PAGE: &str = r#"{"found": 41, "results": [
{"values": {"object.internationalDesignator_s1": "2024-199*", "object.nameOfSpaceObjectO_s1": "STARLINK-11000", "object.launch.stateOfRegistry_s1": "United States of America", "object.launch.dateOfLaunch_s1": "2024-10-30", "en#object.status.objectStatus_s1": "in orbit", "object.unRegistration.unRegistered_s1": "T", "object.unRegistration.registrationDocuments.document..document.symbol_s": ["ST/SG/SER.E/1100"], "object.remark_s1": ""}},
{"values": {"object.internationalDesignator_s1": "1998-006B", "object.nationalDesignator_s1": "-----", "object.nameOfSpaceObjectO_s1": "INMARSAT 3 F-5", "object.unRegistration.unRegistered_s1": "F"}}]}"#;
const UN_REGISTER: &str = r#"{"format": "orbitscope-un-register/1", "source": "https://index.example/oosa/osoindex/waxs-search.json", "full_pass_at": "2026-08-20T10:00:00Z", "updated_at": "2026-08-22T10:00:00Z", "found": 2, "entries": [
{"cospar_id": "2025-206B", "national_designator": "3832-2025-014", "name": "(GLONASS)", "state_of_registry": "Russian Federation", "launch_date": "2025-09-13", "status": "in orbit", "decay_date": null, "registered": true, "documents": ["ST/SG/SER.E/1309"], "function": "Nav", "remark": null},
{"cospar_id": "1998-006B", "national_designator": null, "name": "INMARSAT 3 F-5", "state_of_registry": null, "launch_date": "1998-02-04", "status": "in GSO", "decay_date": null, "registered": false, "documents": [], "function": null, "remark": null}]}"#;
const SCENARIO: &str = include_str!("../../assets/scenarios/geo-belt.json");

fn sample(reader: Reader) -> &'static str {
    match reader {
        Reader::Gp | Reader::Tle => TLE,
        Reader::OmmJson => OMM_JSON,
        Reader::OmmCsv => OMM_CSV,
        Reader::OmmXml => OMM_XML,
        Reader::OmmKvn => OMM_KVN,
        Reader::Satcat => SATCAT,
        Reader::Gcat => GCAT,
        Reader::Unoosa => UNOOSA,
        Reader::UnIndexPage => UN_INDEX_PAGE,
        Reader::UnRegister => UN_REGISTER,
        Reader::Scenario => SCENARIO,
    }
}

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(Index, u8),
    Delete(Index),
    Insert(Index, u8),
    Truncate(Index),
    /// Copies a slice of the text to another place (duplicated or misplaced lines).
    Splice(Index, Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Bytes that matter to the formats more often than chance would pick them.
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(b"\n\r\t,;\"'[]{}<>/=:-+.0123456789eENaIi \xff\xc3".to_vec()),
    ];
    prop_oneof![
        (any::<Index>(), byte.clone()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        any::<Index>().prop_map(Mutation::Delete),
        (any::<Index>(), byte).prop_map(|(at, b)| Mutation::Insert(at, b)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(from, len, to)| Mutation::Splice(from, len, to)),
    ]
}

fn apply(text: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for mutation in mutations {
        if bytes.is_empty() {
            break;
        }
        match mutation {
            Mutation::Replace(at, b) => {
                let at = at.index(bytes.len());
                bytes[at] = *b;
            }
            Mutation::Delete(at) => {
                bytes.remove(at.index(bytes.len()));
            }
            Mutation::Insert(at, b) => bytes.insert(at.index(bytes.len() + 1), *b),
            Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len())),
            Mutation::Splice(from, len, to) => {
                let from = from.index(bytes.len());
                let len = len.index((bytes.len() - from).min(200) + 1);
                let piece = bytes[from..from + len].to_vec();
                let to = to.index(bytes.len() + 1);
                bytes.splice(to..to, piece);
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn mutated_records_are_kept_or_skipped_with_a_reason(
        reader in prop::sample::select(Reader::ALL.to_vec()),
        mutations in prop::collection::vec(mutation(), 0..6),
    ) {
        let bytes = apply(sample(reader), &mutations);
        if let Err(error) = read_checked(reader, &bytes) {
            panic!("{reader:?} on {:?}: {error}", String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn arbitrary_bytes_never_break_a_reader(
        reader in prop::sample::select(Reader::ALL.to_vec()),
        bytes in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        prop_assert!(read_checked(reader, &bytes).is_ok());
    }

    /// A file of `count` good records with the ones flagged in `broken` given an unreadable
    /// inclination: exactly those are skipped, every other one is kept.
    #[test]
    fn a_bad_field_costs_only_its_own_record(
        broken in prop::collection::vec(any::<bool>(), 1..40),
    ) {
        let header = OMM_CSV.lines().next().unwrap_or_default();
        let row = OMM_CSV.lines().nth(1).unwrap_or_default();
        let mut csv = format!("{header}\n");
        let mut satcat = format!("{}\n", SATCAT.lines().next().unwrap_or_default());
        let satcat_row = SATCAT.lines().nth(1).unwrap_or_default();
        for (n, bad) in broken.iter().enumerate() {
            let id = (n + 1).to_string();
            let csv_row = row.replace(",900,", &format!(",{id},"));
            let sat_row = satcat_row.replace(",25544,", &format!(",{id},"));
            if *bad {
                csv.push_str(&csv_row.replace("90.2176", "ninety"));
                satcat.push_str(&sat_row.replace(",25544,", ",x,").replace(&format!(",{id},"), ",not-a-number,"));
            } else {
                csv.push_str(&csv_row);
                satcat.push_str(&sat_row);
            }
            csv.push('\n');
            satcat.push('\n');
        }
        let bad = broken.iter().filter(|bad| **bad).count();
        for (reader, text) in [(Reader::OmmCsv, &csv), (Reader::Satcat, &satcat)] {
            let counts = read_checked(reader, text.as_bytes()).unwrap();
            prop_assert_eq!(counts.read, broken.len());
            prop_assert_eq!(counts.skipped, bad);
            prop_assert_eq!(counts.kept, broken.len() - bad);
        }
    }
}

#[test]
fn samples_read_cleanly() {
    for reader in Reader::ALL {
        let counts = read_checked(reader, sample(reader).as_bytes()).unwrap();
        assert!(counts.kept >= 1, "{reader:?}: {counts:?}");
        assert_eq!(counts.skipped, 0, "{reader:?}: {counts:?}");
    }
}
