//! Real public snapshots in ../shared/data: cross-format equality and full catalog joins.

use std::collections::HashMap;

use orbitscope::catalog::gp::{GpFormat, GpRecord, parse_gp};
use orbitscope::catalog::satcat::parse_satcat;
use orbitscope::loader::{SourceSelection, load_catalog};
use orbitscope::stats::{GroupBy, group_counts};

use crate::support::{active_selection, read_shared, shared_file};

fn parse(relative: &str) -> (GpFormat, Vec<GpRecord>, usize) {
    let (format, parsed) = parse_gp(&read_shared(relative), relative);
    (
        format.expect("format detected"),
        parsed.records,
        parsed.issues.len(),
    )
}

fn by_norad(records: Vec<GpRecord>) -> HashMap<u64, GpRecord> {
    records.into_iter().map(|r| (r.norad_id, r)).collect()
}

fn epoch_difference_us(a: &GpRecord, b: &GpRecord) -> i64 {
    (a.datetime - b.datetime).num_microseconds().unwrap().abs()
}

/// Asserts two element sets of the same object agree within TLE precision.
fn assert_same_elements(a: &GpRecord, b: &GpRecord, context: &str) {
    let id = a.norad_id;
    assert!(
        epoch_difference_us(a, b) <= 1,
        "{context} {id}: epochs {} vs {}",
        a.datetime,
        b.datetime
    );
    let close = |x: f64, y: f64, tolerance: f64, what: &str| {
        assert!(
            (x - y).abs() <= tolerance,
            "{context} {id} {what}: {x} vs {y}"
        );
    };
    close(a.inclination, b.inclination, 1e-4, "inclination");
    close(a.right_ascension, b.right_ascension, 1e-4, "RAAN");
    close(
        a.argument_of_perigee,
        b.argument_of_perigee,
        1e-4,
        "argument of perigee",
    );
    close(a.mean_anomaly, b.mean_anomaly, 1e-4, "mean anomaly");
    close(a.mean_motion, b.mean_motion, 1e-8, "mean motion");
    // TLE eccentricity has 7 digits, truncated (not rounded) from the 8 of OMM.
    close(a.eccentricity, b.eccentricity, 1e-7, "eccentricity");
    // TLE BSTAR has 5 significant digits; OMM may carry more.
    let bstar_unit = 10f64.powf(b.drag_term.abs().max(1e-12).log10().floor() - 4.0);
    close(a.drag_term, b.drag_term, 0.5 * bstar_unit + 1e-15, "BSTAR");
    close(
        a.mean_motion_dot,
        b.mean_motion_dot,
        1e-8,
        "mean motion dot",
    );
    assert_eq!(
        a.revolution_number % 100_000,
        b.revolution_number % 100_000,
        "{context} {id} rev"
    );
    // TLE names are cut to 24 characters.
    let (name_a, name_b) = (
        a.object_name.clone().unwrap_or_default(),
        b.object_name.clone().unwrap_or_default(),
    );
    let shorter = name_a.len().min(name_b.len()).min(22);
    assert_eq!(name_a[..shorter], name_b[..shorter], "{context} {id} names");
}

#[test]
#[ignore = "reads ../shared/data"]
fn real_data_stations_in_five_formats_agree() {
    let dir = "celestrak-gp/stations_5formats_2020-12-15";
    let (tle_format, tle, tle_issues) = parse(&format!("{dir}/stations.tle"));
    assert_eq!((tle_format, tle.len(), tle_issues), (GpFormat::Tle, 76, 0));
    let tle = by_norad(tle);
    for (file, expected) in [
        ("stations.csv", GpFormat::OmmCsv),
        ("stations.json", GpFormat::OmmJson),
        ("stations.xml", GpFormat::OmmXml),
        ("stations.kvn", GpFormat::OmmKvn),
    ] {
        let (format, records, issues) = parse(&format!("{dir}/{file}"));
        assert_eq!((format, records.len(), issues), (expected, 76, 0), "{file}");
        for record in &records {
            let from_tle = tle
                .get(&record.norad_id)
                .expect("same objects in every format");
            assert_same_elements(record, from_tle, file);
            assert_eq!(
                record.international_designator, from_tle.international_designator,
                "{file}"
            );
        }
    }
}

#[test]
#[ignore = "reads ../shared/data"]
fn real_data_active_tle_and_csv_of_the_same_day_agree() {
    let (_, csv, csv_issues) = parse("celestrak-gp/active_2026-08-22/active.csv");
    let (_, tle, tle_issues) = parse("celestrak-gp/active_2026-08-22/active.tle");
    assert_eq!((csv.len(), csv_issues), (16_400, 0));
    assert_eq!((tle.len(), tle_issues), (16_069, 0));
    let csv = by_norad(csv);
    let mut truncated_names = 0;
    for record in &tle {
        let omm = csv
            .get(&record.norad_id)
            .expect("every TLE object is in the CSV");
        assert_same_elements(omm, record, "active");
        truncated_names += usize::from(omm.object_name != record.object_name);
    }
    assert_eq!(
        truncated_names, 48,
        "CelesTrak cuts 48 long names to fit 24 characters"
    );
    let six_digit = csv.keys().filter(|&&id| id >= 100_000).count();
    assert_eq!(six_digit, 331, "objects 100000-100401 exist only in OMM");
}

#[test]
#[ignore = "reads ../shared/data"]
fn real_data_every_tle_snapshot_parses_cleanly() {
    for (file, objects) in [
        (
            "celestrak-gp/misc/spacetrack_full_catalog_3le_2019-03.txt",
            17_892,
        ),
        ("celestrak-gp/misc/geo_2026-05-30.tle", 574),
        ("celestrak-gp/groups_2026-06-14/active.tle", 15_699),
        (
            "celestrak-gp/groups_2026-06-14/fengyun-1c-debris.tle",
            1_914,
        ),
        ("celestrak-gp/debris_2021-10-02/1999-025.txt", 2_686),
        ("celestrak-gp/json_2025-06-29/starlink.json", 7_814),
    ] {
        let (_, records, issues) = parse(file);
        assert_eq!((records.len(), issues), (objects, 0), "{file}");
    }
}

#[test]
#[ignore = "reads ../shared/data"]
fn real_data_full_join_counts() {
    let selection = active_selection();
    let loaded = load_catalog(&selection, &mut |_, _, _| {}).unwrap();
    let catalog = &loaded.catalog;
    let report = &catalog.report;
    // Expected values computed independently (Python csv module over the same files).
    assert_eq!(report.objects, 16_400);
    assert_eq!(report.with_satcat, 16_398);
    assert_eq!(report.satcat_rows_unmatched, 19_894 - 16_398);
    assert_eq!(report.gcat_matches, 10_137);
    assert_eq!(catalog.issues.iter().filter(|i| i.skipped).count(), 0);
    let registered = catalog
        .objects
        .iter()
        .filter(|o| o.registration.is_registered())
        .count();
    assert_eq!(registered, 6_708);

    let rows = group_counts(&catalog.objects, GroupBy::Owner);
    let us = rows.iter().find(|row| row.group == "US").unwrap();
    assert_eq!(
        (us.objects, us.payloads, us.registered),
        (12_353, 12_353, 4_800)
    );
    let prc = rows.iter().find(|row| row.group == "PRC").unwrap();
    assert_eq!(prc.objects, 1_477);
    let none = rows.iter().find(|row| row.group == "-").unwrap();
    assert_eq!(none.objects, 2);
    assert_eq!(rows.iter().map(|r| r.objects).sum::<usize>(), 16_400);

    // The README's headline: the active payloads GCAT records as not registered, by owner
    // (the filter `--registration not-registered --type payload`, as the window shows it).
    {
        use orbitscope::catalog::ObjectType;
        use orbitscope::filter::RegistrationStatus;
        let unregistered: Vec<_> = catalog
            .objects
            .iter()
            .filter(|o| {
                o.object_type() == ObjectType::Payload
                    && RegistrationStatus::of(&o.registration) == RegistrationStatus::NotRegistered
            })
            .collect();
        let of = |owner: &str| {
            unregistered
                .iter()
                .filter(|o| o.owner_code() == Some(owner))
                .count()
        };
        assert_eq!(
            (unregistered.len(), of("US"), of("PRC"), of("CIS"), of("FR")),
            (3_429, 2_431, 487, 54, 43),
            "the README's figures"
        );
    }

    // The UN register itself overrides GCAT where both speak.
    let with_unoosa = SourceSelection {
        unoosa_file: Some(shared_file(
            "un-registration/unoosa_osoindex_registry_partial_2025.csv",
        )),
        ..selection
    };
    let loaded = load_catalog(&with_unoosa, &mut |_, _, _| {}).unwrap();
    let report = &loaded.catalog.report;
    assert_eq!(report.unoosa_matches, 1_051);
    assert!(report.with_registration_data >= 10_137);
}

#[test]
#[ignore = "reads ../shared/data"]
fn real_data_the_2017_satcat_in_its_legacy_layout_reads_whole() {
    let parsed = parse_satcat(
        &read_shared("satcat/satcat_full_2017-01_hrbrmstr.csv"),
        "old.csv",
    );
    assert_eq!(parsed.records.len(), 41_916, "{:?}", parsed.issues.first());
    let payloads = parsed
        .records
        .iter()
        .filter(|r| r.object_type == orbitscope::catalog::ObjectType::Payload)
        .count();
    assert_eq!(payloads, 7_490, "SOURCES.md counts 7 490 payloads");
    let in_orbit = parsed
        .records
        .iter()
        .filter(|r| r.decay_date.is_none())
        .count();
    assert_eq!(
        in_orbit, 17_880,
        "SOURCES.md: 17 880 rows have no decay date"
    );
}

/// Every owner code of the active SATCAT maps to a treaty subject, and every state code maps to
/// the ISO code the independently compiled owner table (SOURCES.md §6b) gives it.
#[test]
#[ignore = "reads ../shared/data"]
fn real_data_every_owner_code_maps_to_a_treaty_subject() {
    use orbitscope::catalog::owners::{OwnerKind, satcat_owner};
    use orbitscope::treaty::{TreatySubject, treaty_subject};

    let satcat = parse_satcat(
        &read_shared("satcat/satcat_active_payloads_2026-08-22_celestrak-layout.csv"),
        "satcat.csv",
    );
    let mut codes: Vec<String> = satcat
        .records
        .iter()
        .map(|r| r.owner_code.clone())
        .collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 106, "SOURCES.md §6b: 106 owner codes");
    for code in &codes {
        let owner = satcat_owner(code);
        let kind = owner
            .kind
            .unwrap_or_else(|| panic!("{code}: not a known owner code"));
        let subject = treaty_subject(code);
        match kind {
            OwnerKind::State | OwnerKind::Organisation => {
                assert_ne!(subject, TreatySubject::NotApplicable, "{code}");
            }
            OwnerKind::Commercial => assert_eq!(subject, TreatySubject::NotApplicable, "{code}"),
            OwnerKind::Other => {}
        }
    }

    let table = read_shared("satcat/celestrak_satcat_sources_current.csv");
    let mut reader = csv::Reader::from_reader(table.as_slice());
    let mut states = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let (code, kind, iso3) = (&row[0], &row[2], &row[3]);
        if kind == "state" {
            states += 1;
            assert_eq!(
                treaty_subject(code),
                TreatySubject::State { iso3: leak(iso3) },
                "{code}"
            );
        }
    }
    assert_eq!(states, 103);
}

fn leak(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}

/// "Which of China's payloads launched since 2020 are not registered, and is China a party to
/// the Registration Convention?" — answered from the real catalog.
#[test]
#[ignore = "reads ../shared/data"]
fn real_data_gap_list_answers_the_china_question() {
    use chrono::NaiveDate;
    use orbitscope::filter::{Filter, RegistrationStatus, YearRange};
    use orbitscope::stats::gap::RegistrationGap;

    let selection = active_selection();
    let catalog = load_catalog(&selection, &mut |_, _, _| {}).unwrap().catalog;
    let china_since_2020 = Filter {
        owners: ["PRC".to_owned()].into(),
        launched: Some(YearRange {
            from: 2020,
            to: i32::MAX,
        }),
        ..Filter::default()
    };
    let shown: Vec<_> = catalog
        .objects
        .iter()
        .filter(|o| china_since_2020.matches(o))
        .collect();
    let gap = RegistrationGap::of(
        shown.iter().copied(),
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    );
    let unregistered = shown
        .iter()
        .filter(|o| RegistrationStatus::of(&o.registration) != RegistrationStatus::Registered)
        .count();
    assert_eq!(gap.rows.len(), unregistered);
    // The README's figures: 1 042 of China's 1 216 payloads launched since 2020.
    assert_eq!((shown.len(), unregistered), (1_216, 1_042));
    assert!(
        gap.rows
            .iter()
            .all(|row| row.owner == "PRC" && row.reg == "party")
    );
    // China deposited in 1988: every launch since 2020 was under the Convention.
    assert!(gap.rows.iter().all(|row| row.reg_at_launch == "yes"));
    // The register names the responsible state where it can (GCAT holds Russia responsible
    // for one PRC-owned payload); otherwise it is the owner's.
    let china = gap
        .rows
        .iter()
        .filter(|row| row.registering_state == "China")
        .count();
    assert!(china + 1 >= gap.rows.len(), "{china} of {}", gap.rows.len());
    let summary = &gap.owners[0];
    assert_eq!(summary.owner, "PRC");
    assert_eq!(summary.reg, "party since 1988-12-12");
    assert_eq!(summary.not_registered + summary.no_data, unregistered);
    assert_eq!((summary.not_registered, summary.no_data), (472, 570));
}
