//! Congestion over time: the in-orbit series from a SATCAT alone.

use chrono::NaiveDate;
use orbitscope::catalog::ObjectType;
use orbitscope::catalog::satcat::parse_satcat;
use orbitscope::stats::history::{History, HistoryBy, HistoryEntry, Step, debris_events};

use crate::support::{orbitscope, read_shared};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// On the full SATCAT of January 2017: every yearly count equals a brute-force count written
/// independently here, and the Fengyun-1C (2007) and Iridium–Cosmos (2009) jumps appear.
#[test]
#[ignore = "real data: reads ../shared/data"]
fn real_data_the_2017_satcat_history_matches_an_independent_count() {
    let parsed = parse_satcat(
        &read_shared("satcat/satcat_full_2017-01_hrbrmstr.csv"),
        "2017",
    );
    let entries: Vec<HistoryEntry> = parsed.records.iter().map(HistoryEntry::of).collect();
    let until = day(2017, 1, 10);
    let history = History::compute(&entries, HistoryBy::Type, Step::Year, until);

    // Independent: sort a copy by number, date each row in one pass, then count by brute force.
    let mut by_number: Vec<_> = parsed.records.iter().collect();
    by_number.sort_by_key(|row| row.norad_id);
    let mut latest = NaiveDate::MIN;
    let dated: Vec<(NaiveDate, Option<NaiveDate>, ObjectType)> = by_number
        .iter()
        .filter_map(|row| {
            let launch = row.launch_date?;
            latest = latest.max(launch);
            Some((latest, row.decay_date, row.object_type))
        })
        .collect();
    for (index, date) in history.dates.iter().enumerate() {
        for kind in [
            ObjectType::Payload,
            ObjectType::RocketBody,
            ObjectType::Debris,
        ] {
            let expected = dated
                .iter()
                .filter(|(entered, decay, k)| {
                    *k == kind && entered <= date && decay.is_none_or(|decay| decay >= *date)
                })
                .count() as u32;
            let group = history.groups.iter().position(|g| g == kind.key()).unwrap();
            assert_eq!(history.counts[group][index], expected, "{kind:?} on {date}");
        }
    }
    let debris = history.groups.iter().position(|g| g == "debris").unwrap();
    let at = |year: i32| {
        history.counts[debris][history
            .dates
            .iter()
            .position(|d| *d == day(year, 1, 1))
            .unwrap()]
    };
    assert!(
        at(2008) - at(2007) > 2_000,
        "Fengyun-1C: {} → {}",
        at(2007),
        at(2008)
    );
    assert!(
        at(2010) - at(2009) > 2_000,
        "Iridium–Cosmos: {} → {}",
        at(2009),
        at(2010)
    );
    // Counting by launch date instead would put Fengyun's fragments in orbit in 1999.
    assert!(at(2006) < 5_000, "{}", at(2006));

    let events = debris_events(&entries, 8);
    let event = |launch_id: &str| events.iter().find(|e| e.launch_id == launch_id).unwrap();
    assert_eq!(event("1999-025").parent, "FENGYUN 1C");
    assert_eq!(event("1999-025").month.format("%Y").to_string(), "2007");
    assert_eq!(event("1993-036").parent, "COSMOS 2251");
    assert_eq!(event("1993-036").month.format("%Y").to_string(), "2009");
    assert_eq!(event("1997-051").month.format("%Y").to_string(), "2009");
    assert_eq!(events[0].launch_id, "1999-025", "the largest");
}

#[test]
fn stats_history_needs_only_a_satcat_and_prints_long_form_csv() {
    let dir = tempfile::tempdir().unwrap();
    let satcat = dir.path().join("satcat.csv");
    std::fs::write(
        &satcat,
        "OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE\n\
         SL-1 R/B,1957-001A,1,R/B,D,CIS,1957-10-04,TYMSC,1957-12-01,96.19,65.10,,,20.4200,,EA,IMP\n\
         SPUTNIK 1,1957-001B,2,PAY,D,CIS,1957-10-04,TYMSC,1958-01-03,96.10,65.00,,,,,EA,IMP\n\
         VANGUARD 1,1958-002B,5,PAY,-,US,1958-03-17,AFETR,,132.59,34.24,3817,653,0.1221,,EA,ORB\n\
         VANGUARD 2,1959-001A,11,PAY,-,US,1959-02-17,AFETR,,121.4,32.9,3298,557,,,EA,ORB\n",
    )
    .unwrap();
    let output = orbitscope(&[
        "stats",
        "--history",
        "--by",
        "owner",
        "--as-of",
        "1959-06-01",
        "--format",
        "csv",
        "--satcat",
        satcat.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "date,group,in_orbit\n\
         1957-01-01,US,0\n1957-01-01,CIS,0\n\
         1958-01-01,US,0\n1958-01-01,CIS,1\n\
         1959-01-01,US,1\n1959-01-01,CIS,0\n",
        "up to the SATCAT's newest launch (1959-02-17), not to --as-of"
    );
    let refused = orbitscope(&[
        "stats",
        "--history",
        "--by",
        "regime",
        "--satcat",
        satcat.to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("by type or by owner"));
}
