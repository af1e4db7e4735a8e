use chrono::NaiveDate;

use super::*;
use crate::catalog::gp::tle::parse_tle;
use crate::catalog::{Registration, RegistrationSource, SatcatInfo};

const ISS: &str = "ISS (ZARYA)
1 25544U 98067A   20350.24982050  .00000614  00000+0  19181-4 0  9994
2 25544  51.6439 172.5713 0001646 123.4001  50.7130 15.49187914260085
";

/// `count` copies of the ISS element set under each owner, NORAD numbers from 1.
fn objects(owners: &[(&str, usize)]) -> Vec<SpaceObject> {
    let elements = parse_tle(ISS, "iss.tle").records.remove(0);
    let mut out = Vec::new();
    for (owner, count) in owners {
        for _ in 0..*count {
            out.push(SpaceObject {
                norad_id: out.len() as u32 + 1,
                cospar_id: None,
                name: format!("{owner} SAT"),
                elements: elements.clone(),
                gp_source: 0,
                satcat: Some(SatcatInfo::for_tests(
                    ObjectType::Payload,
                    owner,
                    NaiveDate::from_ymd_opt(2020, 1, 1),
                )),
                registration: Registration::NotRegistered {
                    state: None,
                    source: RegistrationSource::Gcat,
                },
                registration_source_id: None,
            });
        }
    }
    out
}

#[test]
fn every_palette_keeps_its_classes_apart() {
    let distinct = |colors: Vec<Rgba>| {
        for (i, a) in colors.iter().enumerate() {
            for b in &colors[i + 1..] {
                assert_ne!(a, b);
            }
        }
    };
    distinct(ObjectType::ALL.iter().map(|&t| type_color(t)).collect());
    distinct(
        RegistrationStatus::ALL
            .iter()
            .map(|&s| registration_color(s))
            .collect(),
    );
    distinct(Regime::ALL.iter().map(|&r| regime_color(r)).collect());
    distinct(LensClass::ALL.iter().map(|&c| lens_color(c)).collect());
    let mut owners: Vec<Rgba> = (0..OWNER_COLOR_COUNT)
        .map(|rank| Palette::color_of_class(&ColorClass::Owner(rank, String::new())))
        .collect();
    owners.push(Palette::color_of_class(&ColorClass::OtherOwners));
    distinct(owners);
}

/// Owner colours go to the owners with the most shown objects, ties by code: the same
/// filter gives the same colours whatever the catalog order; the rest are "other".
#[test]
fn owner_colours_are_ranked_and_stable() {
    let many: Vec<(&str, usize)> = vec![
        ("US", 9),
        ("PRC", 8),
        ("CIS", 7),
        ("UK", 6),
        ("FR", 5),
        ("JPN", 4),
        ("IND", 3),
        ("ESA", 3),
        ("ISS", 1),
    ];
    let catalog = objects(&many);
    let mask = vec![true; catalog.len()];
    let palette = Palette::new(ColorMode::Owner, &catalog, &mask);
    assert_eq!(
        palette.ranked_owners,
        ["US", "PRC", "CIS", "UK", "FR", "JPN", "ESA"],
        "ESA before IND on a tie"
    );
    let mut reversed = catalog.clone();
    reversed.reverse();
    assert_eq!(Palette::new(ColorMode::Owner, &reversed, &mask), palette);

    let legend = palette.legend(&catalog, &mask);
    assert_eq!(legend.len(), 8);
    assert_eq!(legend[0].label, "United States (US)");
    assert_eq!(legend[0].count, 9);
    assert_eq!(legend[7].class, ColorClass::OtherOwners);
    assert_eq!(legend[7].count, 4, "IND and ISS");
    assert_eq!(legend.iter().map(|e| e.count).sum::<usize>(), catalog.len());

    // A filter changes the ranking: hide the US objects and PRC comes first.
    let hide_us: Vec<bool> = catalog
        .iter()
        .map(|o| o.owner_code() != Some("US"))
        .collect();
    let filtered = Palette::new(ColorMode::Owner, &catalog, &hide_us);
    assert_eq!(filtered.ranked_owners[0], "PRC");
    assert_eq!(filtered.ranked_owners.len(), 7);
    assert!(filtered.ranked_owners.contains(&"IND".to_owned()));
}

#[test]
fn clicking_a_legend_entry_narrows_the_filter_to_it() {
    let catalog = objects(&[("US", 2), ("PRC", 1)]);
    let mask = vec![true; catalog.len()];
    let palette = Palette::new(ColorMode::Owner, &catalog, &mask);
    let legend = palette.legend(&catalog, &mask);
    let prc = palette
        .narrow_to(&legend[1].class, &Filter::default(), &catalog)
        .unwrap();
    assert_eq!(prc.owners.iter().collect::<Vec<_>>(), ["PRC"]);
    assert_eq!(catalog.iter().filter(|o| prc.matches(o)).count(), 1);

    let by_type = Palette::new(ColorMode::ObjectType, &catalog, &mask);
    let entry = &by_type.legend(&catalog, &mask)[0];
    assert_eq!((entry.label.as_str(), entry.count), ("payload", 3));
    let payloads = by_type.narrow_to(&entry.class, &prc, &catalog).unwrap();
    assert_eq!(payloads.types.len(), 1);
    assert_eq!(payloads.owners, prc.owners, "other criteria kept");
}

/// The treaty lens: every owner launched in 2020 here; Luxembourg acceded to REG in 2021,
/// Finland's date is not known, Angola is no party, SES is a company.
#[test]
fn the_treaty_lens_classes_owners_at_launch() {
    let catalog = objects(&[("US", 2), ("LUXE", 1), ("FIN", 1), ("ANG", 1), ("SES", 1)]);
    let mask = vec![true; catalog.len()];
    let palette = Palette::new(ColorMode::RegistrationConvention, &catalog, &mask);
    let legend: Vec<(String, usize)> = palette
        .legend(&catalog, &mask)
        .into_iter()
        .map(|entry| (entry.label, entry.count))
        .collect();
    assert_eq!(
        legend,
        [
            ("party at launch".to_owned(), 2),
            ("became a party after launch".to_owned(), 1),
            ("party, date of deposit unknown".to_owned(), 1),
            ("not a party".to_owned(), 1),
            ("company, joint or unknown owner".to_owned(), 1),
        ]
    );
    let at_launch = palette
        .narrow_to(
            &ColorClass::Treaty(LensClass::BoundAtLaunch),
            &Filter::default(),
            &catalog,
        )
        .unwrap();
    let shown: Vec<bool> = at_launch.mask(&catalog);
    assert_eq!(shown, [true, true, false, false, false, false]);
    assert!(
        palette
            .narrow_to(
                &ColorClass::Treaty(LensClass::NotBound),
                &Filter::default(),
                &catalog
            )
            .is_none()
    );
}

#[test]
fn srgb_bytes_survive_the_round_trip_through_linear_light() {
    for channel in 0..=255u8 {
        let color = srgb(channel, 255 - channel, channel / 2);
        assert_eq!(to_srgb8(color), [channel, 255 - channel, channel / 2]);
    }
    assert_eq!(to_srgb8(type_color(ObjectType::Payload)), [86, 180, 233]);
}
