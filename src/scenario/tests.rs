use chrono::{DateTime, Utc};

use super::*;

const EXAMPLES: [(&str, &str); 4] = [
    (
        "who-registers.json",
        include_str!("../../assets/scenarios/who-registers.json"),
    ),
    (
        "debris-clouds.json",
        include_str!("../../assets/scenarios/debris-clouds.json"),
    ),
    (
        "geo-belt.json",
        include_str!("../../assets/scenarios/geo-belt.json"),
    ),
    (
        "iss-close-approach.json",
        include_str!("../../assets/scenarios/iss-close-approach.json"),
    ),
];

#[test]
fn every_example_parses_and_writes_back_byte_for_byte() {
    for (name, text) in EXAMPLES {
        let scenario = Scenario::parse(text, name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scenario.to_json(), text, "{name}: save → load → save");
        assert!(!scenario.caption.title.is_empty(), "{name} has a caption");
    }
}

#[test]
fn a_scenario_round_trips_with_open_ranges_and_relative_time() {
    let mut scenario = Scenario::at(SceneTime::parse("now-6h").unwrap());
    scenario.filter.altitude = Some(crate::filter::AltitudeRange {
        low_km: 35_000.0,
        high_km: f64::INFINITY,
    });
    scenario.filter.launched = Some(crate::filter::YearRange {
        from: 2020,
        to: i32::MAX,
    });
    scenario
        .filter
        .party_at_launch
        .insert(crate::treaty::Treaty::Reg);
    scenario.groups = vec!["cosmos-2251-debris".into()];
    let text = scenario.to_json();
    assert!(text.contains("\"time\": \"now-6h\""), "{text}");
    assert!(text.contains("\"high_km\": null"), "{text}");
    let back = Scenario::parse(&text, "saved.json").unwrap();
    assert_eq!(back, scenario);
    assert_eq!(back.to_json(), text);
}

#[test]
fn scene_times_resolve_against_now() {
    let now: DateTime<Utc> = "2026-11-26T08:00:00Z".parse().unwrap();
    let at = |text: &str| SceneTime::parse(text).unwrap().resolve(now).to_rfc3339();
    assert_eq!(at("now"), "2026-11-26T08:00:00+00:00");
    assert_eq!(at("now-6h"), "2026-11-26T02:00:00+00:00");
    assert_eq!(at("now+30m"), "2026-11-26T08:30:00+00:00");
    assert_eq!(at("now-2d"), "2026-11-24T08:00:00+00:00");
    assert_eq!(at("2026-08-22T12:00:00Z"), "2026-08-22T12:00:00+00:00");
    for bad in [
        "now-",
        "now*2h",
        "now-6y",
        "yesterday",
        "now-99999999999d",
        "now−6h",
        "now-6м",
        "now-",
    ] {
        assert!(SceneTime::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(SceneTime::parse("now-90m").unwrap().to_string(), "now-90m");
    assert_eq!(SceneTime::parse("now+120m").unwrap().to_string(), "now+2h");
}

fn refused(text: &str) -> ScenarioError {
    Scenario::parse(text, "bad.json").expect_err("must be refused")
}

fn minimal(extra: &str) -> String {
    format!("{{\n  \"version\": 1,\n  \"time\": \"now\"{extra}\n}}\n")
}

#[test]
fn bad_scenarios_are_refused_with_the_field_and_line() {
    let syntax = refused("{\n  \"version\": 1,\n  \"time\": \"now\"\n  \"color\": \"owner\"\n}");
    assert_eq!(syntax.line, Some(4), "{syntax}");

    let colour = refused(&minimal(",\n  \"color\": \"rainbow\""));
    assert_eq!(colour.field, "color", "{colour}");
    assert_eq!(colour.line, Some(4), "{colour}");
    assert!(colour.message.contains("rainbow"), "{colour}");

    let unknown = refused(&minimal(",\n  \"colour\": \"owner\""));
    assert!(
        unknown.message.contains("unknown field `colour`"),
        "{unknown}"
    );
    assert_eq!(unknown.line, Some(4), "{unknown}");

    let nested = refused(&minimal(
        ",\n  \"filter\": {\n    \"owner\": [\"PRC\"]\n  }",
    ));
    assert!(nested.message.contains("unknown field `owner`"), "{nested}");
    assert_eq!(nested.line, Some(5), "{nested}");

    let negative = refused(&minimal(
        ",\n  \"output\": {\"width\": -5, \"height\": 100}",
    ));
    assert_eq!(negative.field, "output.width", "{negative}");

    let absurd = refused(&minimal(
        ",\n  \"output\": {\"width\": 100000, \"height\": 100}",
    ));
    assert_eq!(absurd.field, "output.width", "{absurd}");
    assert_eq!(absurd.line, Some(4), "{absurd}");
    assert!(absurd.message.contains("7680"), "{absurd}");

    let future = refused("{\n  \"version\": 4,\n  \"time\": \"now\"\n}");
    assert_eq!(future.field, "version");
    assert_eq!(future.line, Some(2));
    assert!(future.message.contains("newer"), "{future}");

    let missing = refused("{\n  \"time\": \"now\"\n}");
    assert_eq!(missing.field, "version", "{missing}");

    let time = refused("{\n  \"version\": 1,\n  \"time\": \"tomorrow\"\n}");
    assert_eq!(time.field, "time", "{time}");
    assert_eq!(time.line, Some(3), "{time}");

    let disagree = refused(&minimal(
        ",\n  \"camera\": {\"follow\": 25544},\n  \"selected\": 20580",
    ));
    assert_eq!(disagree.field, "camera.follow", "{disagree}");

    let far = refused(&minimal(",\n  \"camera\": {\"distance\": 0.5}"));
    assert_eq!(far.field, "camera.distance", "{far}");
    let group = refused(&minimal(",\n  \"groups\": [\"../etc\"]"));
    assert_eq!(group.field, "groups", "{group}");
    assert_eq!(
        group.to_string().split(':').next().unwrap(),
        "bad.json line 4, field `groups`"
    );
}

/// Version 1 files said `"filtered_orbits": true|false`: they still load, as `all`|`selected`,
/// and are written back as the current version.
#[test]
fn a_version_1_orbit_flag_reads_as_the_orbits_choice() {
    let version_1 = |flag: &str| {
        format!(
            "{{\n  \"version\": 1,\n  \"time\": \"now\",\n  \"show\": {{\"filtered_orbits\": {flag}}}\n}}\n"
        )
    };
    let all = Scenario::parse(&version_1("true"), "old.json").unwrap();
    assert_eq!(all.show.orbits, OrbitsShown::All);
    assert_eq!(all.version, SCENARIO_VERSION);
    assert!(all.to_json().contains("\"orbits\": \"all\""));
    let selected = Scenario::parse(&version_1("false"), "old.json").unwrap();
    assert_eq!(selected.show.orbits, OrbitsShown::Selected);
    let bad = Scenario::parse(&version_1("\"every\""), "old.json").unwrap_err();
    assert_eq!(bad.field, "show.filtered_orbits", "{bad}");
    let opacity = Scenario::parse(
        "{\n  \"version\": 2,\n  \"time\": \"now\",\n  \"show\": {\"orbit_opacity\": 1.5}\n}\n",
        "bright.json",
    )
    .unwrap_err();
    assert_eq!(opacity.field, "show.orbit_opacity", "{opacity}");
}

/// A scenario can name a close approach (version 3); version 2 files, which cannot, still load
/// and write back without the field.
#[test]
fn a_conjunction_is_read_checked_and_written_back() {
    let text = "{\n  \"version\": 3,\n  \"time\": \"2019-03-20T06:00:00Z\",\n  \
                \"conjunction\": {\"pair\": [25544, 43205]}\n}\n";
    let scenario = Scenario::parse(text, "tca.json").unwrap();
    let shown = scenario.conjunction.expect("the pair is read");
    assert_eq!(shown.pair, [25544, 43205]);
    assert_eq!(shown.within_minutes, DEFAULT_WITHIN_MINUTES);
    let again = Scenario::parse(&scenario.to_json(), "again.json").unwrap();
    assert_eq!(again, scenario);

    let old = Scenario::parse(&minimal(""), "old.json").unwrap();
    assert_eq!(old.conjunction, None);
    assert!(!old.to_json().contains("conjunction"), "{}", old.to_json());

    let twice = refused(&minimal(",\n  \"conjunction\": {\"pair\": [5, 5]}"));
    assert_eq!(twice.field, "conjunction.pair", "{twice}");
    assert_eq!(twice.line, Some(4), "{twice}");
    let one = refused(&minimal(",\n  \"conjunction\": {\"pair\": [5]}"));
    assert_eq!(one.field, "conjunction.pair", "{one}");
    let wide = refused(&minimal(
        ",\n  \"conjunction\": {\"pair\": [5, 6], \"within_minutes\": 0}",
    ));
    assert_eq!(wide.field, "conjunction.within_minutes", "{wide}");
    let other = refused(&minimal(
        ",\n  \"selected\": 6,\n  \"conjunction\": {\"pair\": [5, 6]}",
    ));
    assert_eq!(other.field, "selected", "{other}");
}

/// Sites travel with a scenario (version 3); a bad one is refused naming the site and field.
#[test]
fn sites_are_read_checked_and_written_back() {
    let text = minimal(
        ",\n  \"sites\": [{\"name\": \"Greenwich\", \"latitude_deg\": 51.48, \
         \"longitude_deg\": 0.0, \"height_m\": 50.0}]",
    );
    let scenario = Scenario::parse(&text, "sites.json").unwrap();
    assert_eq!(scenario.sites.len(), 1);
    assert_eq!(scenario.sites[0].name, "Greenwich");
    let again = Scenario::parse(&scenario.to_json(), "again.json").unwrap();
    assert_eq!(again, scenario);
    assert!(
        !Scenario::parse(&minimal(""), "old.json")
            .unwrap()
            .to_json()
            .contains("sites")
    );

    let bad = refused(&minimal(
        ",\n  \"sites\": [{\"name\": \"North\", \"latitude_deg\": 91.0, \
         \"longitude_deg\": 0.0}]",
    ));
    assert_eq!(bad.field, "sites[0].latitude", "{bad}");
    assert!(bad.message.contains("91"), "{bad}");
}
