use chrono::NaiveDate;

use super::*;
use crate::catalog::gp::tle::parse_tle;
use crate::catalog::{RegistrationSource, SatcatInfo};

// Real element sets (facts): ISS (LEO), GPS BIII-10 (MEO), GOES 16 (GEO), MOLNIYA 1-36 (HEO).
const TLES: &str = "ISS (ZARYA)
1 25544U 98067A   20350.24982050  .00000614  00000+0  19181-4 0  9994
2 25544  51.6439 172.5713 0001646 123.4001  50.7130 15.49187914260085
GPS BIII-10 (PRN 13)
1 68791U 26087A   26158.43909353  .00000057  00000+0  00000+0 0  9992
2 68791  54.9638 208.1735 0020931 107.2972 251.8874  2.00569573   638
GOES 16
1 41866U 16071A   26234.26780986 -.00000093  00000+0  00000+0 0  9994
2 41866   0.4963  85.0062 0001230 103.0975 134.1537  1.00273215 35767
MOLNIYA 1-36
1 08195U 75081A   06176.33215444  .00000099  00000-0  11873-3 0   813
2 08195  64.1586 279.0717 6877146 264.7651  20.2257  2.00491383225656
";

fn satcat(owner: &str, kind: ObjectType, launched: (i32, u32, u32)) -> Option<SatcatInfo> {
    let (year, month, day) = launched;
    Some(SatcatInfo::for_tests(
        kind,
        owner,
        NaiveDate::from_ymd_opt(year, month, day),
    ))
}

fn registered(state: &str) -> Registration {
    Registration::Registered {
        document: Some("ST/SG/SER.E/1".into()),
        state_of_registry: state.into(),
        raw_state: state.into(),
        source: RegistrationSource::Gcat,
    }
}

/// Four objects with known owners, types, launch years and registration.
pub(crate) fn fixture() -> Vec<SpaceObject> {
    let parsed = parse_tle(TLES, "fixture.tle");
    assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
    let facts = [
        ("ISS", ObjectType::Payload, (1998, 11, 20), registered("RU")),
        (
            "US",
            ObjectType::Payload,
            (2026, 5, 28),
            Registration::NotRegistered {
                state: Some("US".into()),
                source: RegistrationSource::Gcat,
            },
        ),
        ("US", ObjectType::Payload, (2016, 11, 19), registered("US")),
        (
            "CIS",
            ObjectType::Payload,
            (1975, 12, 3),
            Registration::NoData,
        ),
    ];
    parsed
        .records
        .into_iter()
        .zip(facts)
        .map(
            |(elements, (owner, kind, launched, registration))| SpaceObject {
                norad_id: elements.norad_id as u32,
                cospar_id: elements.international_designator.clone(),
                name: elements.object_name.clone().unwrap_or_default(),
                elements,
                gp_source: 0,
                satcat: satcat(owner, kind, launched),
                registration,
                registration_source_id: Some(2),
            },
        )
        .collect()
}

fn names(filter: &Filter, objects: &[SpaceObject]) -> Vec<String> {
    objects
        .iter()
        .filter(|object| filter.matches(object))
        .map(|object| object.name.clone())
        .collect()
}

#[test]
fn an_empty_filter_lets_everything_through() {
    let objects = fixture();
    assert!(Filter::default().is_empty());
    assert_eq!(Filter::default().mask(&objects), vec![true; 4]);
}

#[test]
fn each_criterion_alone() {
    let objects = fixture();
    let owners = Filter {
        owners: ["US".to_owned()].into(),
        ..Filter::default()
    };
    assert_eq!(
        names(&owners, &objects),
        ["GPS BIII-10 (PRN 13)", "GOES 16"]
    );

    let unregistered = Filter {
        registration: [
            RegistrationStatus::NotRegistered,
            RegistrationStatus::NoData,
        ]
        .into(),
        ..Filter::default()
    };
    assert_eq!(
        names(&unregistered, &objects),
        ["GPS BIII-10 (PRN 13)", "MOLNIYA 1-36"]
    );

    let by_russia = Filter {
        states_of_registry: ["RU".to_owned()].into(),
        ..Filter::default()
    };
    assert_eq!(names(&by_russia, &objects), ["ISS (ZARYA)"]);

    let regimes = |regime: Regime| Filter {
        regimes: [regime].into(),
        ..Filter::default()
    };
    assert_eq!(names(&regimes(Regime::Leo), &objects), ["ISS (ZARYA)"]);
    assert_eq!(
        names(&regimes(Regime::Meo), &objects),
        ["GPS BIII-10 (PRN 13)"]
    );
    assert_eq!(names(&regimes(Regime::Geo), &objects), ["GOES 16"]);
    assert_eq!(names(&regimes(Regime::Heo), &objects), ["MOLNIYA 1-36"]);

    let launched = Filter {
        launched: Some(YearRange {
            from: 1990,
            to: 2000,
        }),
        ..Filter::default()
    };
    assert_eq!(names(&launched, &objects), ["ISS (ZARYA)"]);

    // Molniya's perigee is near 1 900 km, so it crosses 1 000–2 000 km; the ISS flies at ~420.
    let shell = Filter {
        altitude: Some(AltitudeRange {
            low_km: 1000.0,
            high_km: 2000.0,
        }),
        ..Filter::default()
    };
    assert_eq!(names(&shell, &objects), ["MOLNIYA 1-36"]);

    let types = Filter {
        types: [ObjectType::Debris].into(),
        ..Filter::default()
    };
    assert!(names(&types, &objects).is_empty());

    let status = Filter {
        ops_status: ["+".to_owned()].into(),
        ..Filter::default()
    };
    assert_eq!(names(&status, &objects).len(), 4);
}

#[test]
fn search_by_name_number_or_cospar_prefix() {
    let objects = fixture();
    let search = |text: &str| {
        names(
            &Filter {
                search: Some(text.to_owned()),
                ..Filter::default()
            },
            &objects,
        )
    };
    assert_eq!(search("iss"), ["ISS (ZARYA)"]);
    assert_eq!(search("25544"), ["ISS (ZARYA)"]);
    assert_eq!(search("1998-067"), ["ISS (ZARYA)"]);
    assert_eq!(search("2016-071a"), ["GOES 16"]);
    assert_eq!(search("prn 13"), ["GPS BIII-10 (PRN 13)"]);
    assert!(search("nothing like it").is_empty());
    // Spaces, hyphens and brackets are not what a user remembers of a name.
    assert_eq!(search("gps biii 10"), ["GPS BIII-10 (PRN 13)"]);
    assert_eq!(search("BIII10"), ["GPS BIII-10 (PRN 13)"]);
    assert_eq!(search("iss zarya"), ["ISS (ZARYA)"]);
    assert_eq!(search("goes-16"), ["GOES 16"]);
}

#[test]
fn criteria_combine_with_and_choices_with_or() {
    let objects = fixture();
    let filter = Filter {
        owners: ["US".to_owned(), "CIS".to_owned()].into(),
        registration: [
            RegistrationStatus::NotRegistered,
            RegistrationStatus::NoData,
        ]
        .into(),
        ..Filter::default()
    };
    assert_eq!(
        names(&filter, &objects),
        ["GPS BIII-10 (PRN 13)", "MOLNIYA 1-36"]
    );
    // Counting the owner choices against the other criteria ignores the owner criterion.
    let except_owner: Vec<bool> = objects
        .iter()
        .map(|object| filter.matches_except(object, Some(Criterion::Owner)))
        .collect();
    assert_eq!(except_owner, [false, true, false, true]);
}

#[test]
fn choice_counts_count_each_choice_against_the_other_criteria() {
    let objects = fixture();
    let filter = Filter {
        owners: ["US".to_owned()].into(),
        registration: [RegistrationStatus::Registered].into(),
        ..Filter::default()
    };
    let counts = ChoiceCounts::of(&filter, &objects);
    assert_eq!((counts.shown, counts.total), (1, 4), "GOES 16 only");
    // Owners among the registered objects: ISS and GOES 16.
    assert_eq!(counts.owners.get("ISS"), Some(&1));
    assert_eq!(counts.owners.get("US"), Some(&1));
    assert_eq!(counts.owners.get("CIS"), None);
    // Registration statuses among US objects: GOES registered, GPS not.
    assert_eq!(
        counts.registration.get(&RegistrationStatus::Registered),
        Some(&1)
    );
    assert_eq!(
        counts.registration.get(&RegistrationStatus::NotRegistered),
        Some(&1)
    );
    assert_eq!(counts.registration.get(&RegistrationStatus::NoData), None);
    // Criteria the filter leaves open count what the whole filter keeps.
    assert_eq!(counts.regimes.get(&Regime::Geo), Some(&1));
    assert_eq!(counts.regimes.len(), 1);
    // The shown count equals the mask and the stats of the same filter.
    let shown = filter.mask(&objects).iter().filter(|&&s| s).count();
    assert_eq!(
        ChoiceCounts::with_mask(&filter, &objects).1,
        filter.mask(&objects)
    );
    let stats = crate::stats::group_counts(
        objects.iter().filter(|o| filter.matches(o)),
        crate::stats::GroupBy::Owner,
    );
    assert_eq!(counts.shown, shown);
    assert_eq!(stats.iter().map(|row| row.objects).sum::<usize>(), shown);
}

#[test]
fn treaty_criteria_test_the_owner_today_and_at_launch() {
    let objects = fixture();
    let party_to_reg = Filter {
        party_to: [Treaty::Reg].into(),
        ..Filter::default()
    };
    // The ISS partnership is no party; the former USSR (CIS) is, as the Russian Federation.
    assert_eq!(
        names(&party_to_reg, &objects),
        ["GPS BIII-10 (PRN 13)", "GOES 16", "MOLNIYA 1-36"]
    );
    let reg_at_launch = Filter {
        party_at_launch: [Treaty::Reg].into(),
        ..Filter::default()
    };
    // MOLNIYA 1-36 was launched in 1975; the USSR deposited its REG instrument in 1978.
    assert_eq!(
        names(&reg_at_launch, &objects),
        ["GPS BIII-10 (PRN 13)", "GOES 16"]
    );
    let ost_at_launch = Filter {
        party_at_launch: [Treaty::Ost].into(),
        ..Filter::default()
    };
    assert_eq!(
        names(&ost_at_launch, &objects),
        ["GPS BIII-10 (PRN 13)", "GOES 16", "MOLNIYA 1-36"]
    );
    let both = Filter {
        party_at_launch: [Treaty::Ost, Treaty::Reg].into(),
        ..Filter::default()
    };
    assert_eq!(names(&both, &objects), ["GPS BIII-10 (PRN 13)", "GOES 16"]);
}

#[test]
fn the_catalog_as_of_a_date_hides_what_was_not_yet_catalogued_or_had_decayed() {
    let mut objects = fixture();
    // The Soyuz-era object (launched 1975) decayed in 2000; the ISS fragment-like entry was
    // catalogued years after its launch.
    objects[3].satcat.as_mut().unwrap().decay_date = NaiveDate::from_ymd_opt(2000, 1, 1);
    objects[0].satcat.as_mut().unwrap().catalogued_on = NaiveDate::from_ymd_opt(2007, 1, 1);
    let on = |y, m, d| Filter {
        in_orbit_on: NaiveDate::from_ymd_opt(y, m, d),
        ..Filter::default()
    };
    assert_eq!(
        names(&on(1999, 12, 31), &objects).len(),
        1,
        "only the 1975 object"
    );
    assert_eq!(
        names(&on(2000, 1, 1), &objects).len(),
        1,
        "the decay day still counts"
    );
    assert!(names(&on(2000, 1, 2), &objects).is_empty());
    assert_eq!(
        names(&on(2017, 1, 1), &objects).len(),
        2,
        "ISS (catalogued 2007) and 2016"
    );
    assert_eq!(names(&on(2026, 8, 22), &objects).len(), 3);
    let mut unknown = objects.clone();
    unknown[2].satcat = None;
    assert_eq!(
        names(&on(2026, 8, 22), &unknown).len(),
        2,
        "no SATCAT: cannot be placed"
    );
}
