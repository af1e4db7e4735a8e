use chrono::NaiveDate;

use super::charts::Charts;
use super::gap::{GAP_CSV_HEADER, RegistrationGap};
use super::*;
use crate::filter::tests::fixture;

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn row<'a>(rows: &'a [StatsRow], group: &str) -> &'a StatsRow {
    rows.iter()
        .find(|row| row.group == group)
        .unwrap_or_else(|| panic!("no group {group} in {rows:?}"))
}

#[test]
fn registration_rate_counts_payloads_with_their_denominator() {
    // Fixture: ISS (ISS, registered), GPS (US, not registered), GOES (US, registered),
    // MOLNIYA (CIS, no data); all payloads.
    let rows = group_counts(&fixture(), GroupBy::Owner);
    let us = row(&rows, "US");
    assert_eq!((us.payloads, us.payloads_registered), (2, 1));
    assert_eq!(us.payload_registration_rate, Some(0.5));
    assert_eq!((us.registered, us.not_registered), (1, 1));
    assert_eq!(us.owner_reg, "party");
    assert_eq!(us.owner_ost, "party");
    let cis = row(&rows, "CIS");
    assert_eq!(cis.payload_registration_rate, Some(0.0));
    assert_eq!(
        cis.reg_bound_at_launch, 0,
        "launched 1975, REG deposit 1978"
    );
    assert_eq!(row(&rows, "ISS").owner_reg, "n/a");
    let sum = total(&rows);
    assert_eq!((sum.objects, sum.payloads_registered), (4, 2));
    assert_eq!(sum.payload_registration_rate, Some(0.5));
    assert_eq!(sum.reg_bound_at_launch, 2, "both US payloads");
    assert_eq!(sum.owner_reg, "", "treaty columns belong to owner rows");
}

#[test]
fn every_grouping_accounts_for_every_object() {
    let objects = fixture();
    for by in [
        GroupBy::Owner,
        GroupBy::Registration,
        GroupBy::Type,
        GroupBy::Regime,
        GroupBy::StateOfRegistry,
        GroupBy::LaunchYear,
        GroupBy::AltitudeBand,
    ] {
        let rows = group_counts(&objects, by);
        assert_eq!(total(&rows).objects, 4, "{by:?}");
    }
    let regimes = group_counts(&objects, GroupBy::Regime);
    assert_eq!(regimes.len(), 4, "LEO, MEO, GEO, HEO: {regimes:?}");
    // The not-registered GPS satellite's responsible state counts with the registered ones.
    let states = group_counts(&objects, GroupBy::StateOfRegistry);
    assert_eq!(row(&states, "US").objects, 2);
    assert_eq!(row(&states, "US").label, "United States");
    assert_eq!(
        row(&states, "-").objects,
        1,
        "MOLNIYA: no data names no state"
    );
}

#[test]
fn ordered_groupings_come_in_order() {
    let years: Vec<String> = group_counts(&fixture(), GroupBy::LaunchYear)
        .into_iter()
        .map(|row| row.group)
        .collect();
    assert_eq!(years, ["1975", "1998", "2016", "2026"]);
    let bands = group_counts(&fixture(), GroupBy::AltitudeBand);
    let iss = &bands[0];
    // The ISS element set of 2020-12-15 (15.49 rev/day): a mean altitude of about 420 km.
    assert_eq!(iss.group, "400-450");
    assert_eq!(iss.label, "400–450 km mean altitude");
    assert_eq!(bands.last().unwrap().group, "35750-35800", "GOES 16 in GEO");
}

#[test]
fn the_gap_list_holds_unregistered_payloads_longest_outstanding_first() {
    let gap = RegistrationGap::of(&fixture(), day(2026, 11, 26));
    let ids: Vec<u32> = gap.rows.iter().map(|row| row.norad_id).collect();
    assert_eq!(ids, [8195, 68791], "MOLNIYA (1975) before GPS (2026)");
    let molniya = &gap.rows[0];
    assert_eq!(molniya.registration, "no-data");
    assert_eq!(molniya.registering_state, "Russian Federation");
    assert_eq!(molniya.owner_kind, "state");
    assert_eq!((molniya.reg, molniya.reg_at_launch), ("party", "no"));
    assert_eq!(molniya.reg_since, "1978-01-13");
    assert_eq!(
        molniya.days_since_launch,
        Some((day(2026, 11, 26) - day(1975, 12, 3)).num_days())
    );
    let gps = &gap.rows[1];
    assert_eq!(gps.registration, "not-registered");
    assert_eq!(
        gps.registering_state, "United States",
        "GCAT names the responsible state"
    );
    assert_eq!(gps.reg_at_launch, "yes");
    assert_eq!(gps.days_since_launch, Some(182));

    let us = gap.owners.iter().find(|owner| owner.owner == "US").unwrap();
    assert_eq!(
        (us.payloads, us.registered, us.not_registered, us.no_data),
        (2, 1, 1, 0)
    );
    assert_eq!(us.median_days_unregistered, Some(182));
    assert_eq!(us.reg, "party since 1976-09-15");
}

#[test]
fn gap_csv_starts_with_the_documented_columns_and_escapes_text() {
    let mut objects = fixture();
    objects[1].name = "GPS, \"BIII\"\n10".into();
    let gap = RegistrationGap::of(&objects, day(2026, 11, 26));
    let mut out = Vec::new();
    gap.write_csv(&mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    assert_eq!(reader.headers().unwrap(), &GAP_CSV_HEADER[..]);
    assert_eq!(
        &GAP_CSV_HEADER[..6],
        [
            "norad_id",
            "object_id",
            "name",
            "owner",
            "launch_date",
            "registration"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(&records[1][0], "68791");
    assert_eq!(&records[1][2], "GPS, \"BIII\"\n10");
    assert_eq!(&records[1][4], "2026-05-28");
    assert_eq!(&records[1][5], "not-registered");
    assert_eq!(&records[1][12], crate::treaty::PARTIES_AS_OF);
}

#[test]
fn stats_csv_round_trips_whatever_the_text() {
    let mut rows = group_counts(&fixture(), GroupBy::Owner);
    rows[0].group = "A\"B\nC".into();
    rows[0].label = "Acme, \"the\" company".into();
    let mut out = Vec::new();
    write_csv(&mut out, &rows).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    assert_eq!(reader.headers().unwrap(), &CSV_HEADER[..]);
    let back: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(back.len(), rows.len());
    assert_eq!(&back[0][0], "A\"B\nC");
    assert_eq!(&back[0][14], "Acme, \"the\" company");
}

#[test]
fn charts_follow_the_mask() {
    let objects = fixture();
    let all = Charts::of(&objects, None, day(2026, 11, 26));
    assert_eq!(all.objects, 4);
    assert_eq!(all.objects_between(400.0, 450.0), [1, 0, 0, 0]);
    assert_eq!(all.launches[&2016], [1, 0, 0]);
    assert_eq!(all.launches[&2026], [0, 1, 0]);
    assert_eq!(all.density_leo.above, 3, "only the ISS is below 2 000 km");
    assert_eq!(all.density_leo.at(420.0, 51.6), 1);
    assert_eq!(all.gap.rows.len(), 2);
    let us_only = Charts::of(
        &objects,
        Some(&[false, true, true, false]),
        day(2026, 11, 26),
    );
    assert_eq!(us_only.objects, 2);
    assert_eq!(us_only.owners.len(), 1);
    assert_eq!(
        us_only.owners[0],
        group_counts(&objects[1..3], GroupBy::Owner)[0]
    );
    assert_eq!(us_only.gap.rows.len(), 1);
}

#[test]
fn coverage_counts_each_source_per_type() {
    use crate::catalog::{Catalog, SourceInfo};
    let source = |kind| SourceInfo {
        kind,
        location: format!("{kind}.file"),
        fetched_at: None,
    };
    let mut objects = fixture();
    objects[3].satcat = None;
    let catalog = Catalog {
        objects,
        sources: vec![source("gp"), source("satcat"), source("gcat")],
        ..Catalog::default()
    };
    let rows = super::coverage::coverage_by_type(&catalog);
    // MOLNIYA lost its SATCAT row: its type comes from its name (unknown), and it has no
    // registration data.
    let [(payload, payloads), (unknown, unknowns)] = rows[..] else {
        panic!("{rows:?}");
    };
    assert_eq!(
        (payload, unknown),
        (ObjectType::Payload, ObjectType::Unknown)
    );
    assert_eq!(
        (payloads.objects, payloads.satcat, payloads.gcat),
        (3, 3, 3)
    );
    assert_eq!(payloads.unoosa, 0);
    assert_eq!(
        (unknowns.objects, unknowns.satcat, unknowns.gcat),
        (1, 0, 0)
    );
}

#[test]
fn ranking_by_rate_needs_enough_payloads() {
    let row = |group: &str, payloads: usize, registered: usize| StatsRow {
        group: group.into(),
        payloads,
        payloads_registered: registered,
        payload_registration_rate: Some(registered as f64 / payloads as f64),
        ..StatsRow::default()
    };
    let rows = [
        row("A", 100, 50),
        row("B", 5, 5),
        row("C", 20, 19),
        row("D", 40, 38),
    ];
    let ranked: Vec<&str> = ranked_by_rate(&rows)
        .iter()
        .map(|r| r.group.as_str())
        .collect();
    assert_eq!(
        ranked,
        ["D", "C", "A"],
        "95 % of 40 before 95 % of 20; B has too few"
    );
}

#[test]
fn the_gap_as_of_a_past_date_leaves_out_later_launches() {
    // GPS BIII-10 was launched on 2026-05-28.
    let gap = RegistrationGap::of(&fixture(), day(2026, 1, 1));
    let ids: Vec<u32> = gap.rows.iter().map(|row| row.norad_id).collect();
    assert_eq!(ids, [8195]);
    assert!(
        gap.rows
            .iter()
            .all(|row| row.days_since_launch.unwrap_or(0) >= 0)
    );
}
