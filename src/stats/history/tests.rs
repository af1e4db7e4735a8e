use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn entry(
    norad_id: NoradId,
    launch: NaiveDate,
    decay: Option<NaiveDate>,
    kind: ObjectType,
    name: &str,
) -> HistoryEntry {
    HistoryEntry {
        norad_id,
        launch: Some(launch),
        decay,
        object_type: kind,
        owner: if name.starts_with("FENGYUN") {
            "PRC".into()
        } else {
            "US".into()
        },
        launch_id: Some(if name.starts_with("FENGYUN") {
            "1999-025".into()
        } else {
            format!("{}-001", launch.year())
        }),
        name: name.into(),
    }
}

#[test]
fn a_fragment_is_dated_by_the_launches_numbered_before_it() {
    let entries = [
        entry(1, day(1999, 5, 10), None, ObjectType::Payload, "FENGYUN 1C"),
        entry(2, day(2007, 1, 5), None, ObjectType::Payload, "SAT A"),
        // Numbered after a 2007-01-05 launch, though its parent flew in 1999.
        entry(
            3,
            day(1999, 5, 10),
            None,
            ObjectType::Debris,
            "FENGYUN 1C DEB",
        ),
        entry(4, day(2007, 2, 1), None, ObjectType::Payload, "SAT B"),
    ];
    let dates = catalogued_on(&entries);
    assert_eq!(
        dates,
        [
            Some(day(1999, 5, 10)),
            Some(day(2007, 1, 5)),
            Some(day(2007, 1, 5)),
            Some(day(2007, 2, 1))
        ]
    );
    // Order of the input does not matter: numbers do.
    let mut reversed = entries.to_vec();
    reversed.reverse();
    let mut back = catalogued_on(&reversed);
    back.reverse();
    assert_eq!(back, dates);
}

#[test]
fn counts_include_the_entry_date_and_the_decay_date() {
    let entries = [
        entry(
            1,
            day(1958, 1, 1),
            Some(day(1960, 1, 1)),
            ObjectType::Payload,
            "A",
        ),
        entry(
            2,
            day(1958, 6, 1),
            Some(day(1959, 12, 31)),
            ObjectType::RocketBody,
            "B R/B",
        ),
        entry(3, day(1961, 1, 1), None, ObjectType::Payload, "C"),
    ];
    let history = History::compute(&entries, HistoryBy::Type, Step::Year, day(1962, 6, 1));
    // The newest launch (1961-01-01) ends the series: nothing is known after it.
    assert_eq!(
        History::compute(&entries, HistoryBy::Type, Step::Year, day(1990, 1, 1))
            .dates
            .len(),
        5
    );
    assert_eq!(history.dates.first(), Some(&day(1957, 1, 1)));
    assert_eq!(history.dates.last(), Some(&day(1961, 1, 1)));
    let payloads = history.groups.iter().position(|g| g == "payload").unwrap();
    let rockets = history
        .groups
        .iter()
        .position(|g| g == "rocket_body")
        .unwrap();
    // 1957 1958 1959 1960 1961
    assert_eq!(history.counts[payloads], [0, 1, 1, 1, 1]);
    assert_eq!(history.counts[rockets], [0, 0, 1, 0, 0]);
    assert_eq!(history.totals(), [0, 1, 2, 1, 1]);
    let rows = history.rows();
    assert_eq!(rows.len(), 10);
    assert_eq!(
        rows[2],
        HistoryRow {
            date: day(1958, 1, 1),
            group: "payload".into(),
            in_orbit: 1
        }
    );
}

#[test]
fn monthly_steps_start_with_sputnik_and_owners_group() {
    assert_eq!(
        Step::Month.dates(day(1958, 1, 15)),
        [
            day(1957, 10, 1),
            day(1957, 11, 1),
            day(1957, 12, 1),
            day(1958, 1, 1)
        ]
    );
    let entries = [
        entry(1, day(1999, 5, 10), None, ObjectType::Payload, "FENGYUN 1C"),
        entry(2, day(2000, 1, 1), None, ObjectType::Payload, "X"),
        entry(3, day(2000, 1, 1), None, ObjectType::Payload, "Y"),
    ];
    let history = History::compute(&entries, HistoryBy::Owner, Step::Year, day(2001, 1, 1));
    assert_eq!(history.groups, ["US", "PRC"], "largest first");
    let top = history.top(1);
    assert_eq!(
        top.groups,
        ["US", "PRC"],
        "nothing to fold for one more group"
    );
    let top = History::compute(&entries, HistoryBy::Owner, Step::Year, day(2001, 1, 1)).top(0);
    assert_eq!(top.groups, ["other"]);
    assert_eq!(top.counts[0].last(), Some(&3));
    let mut undated = entries.to_vec();
    undated[0].launch = None;
    assert_eq!(
        History::compute(&undated, HistoryBy::Owner, Step::Year, day(2001, 1, 1)).undated,
        1
    );
}

#[test]
fn the_largest_debris_parents_are_the_events() {
    let mut entries = vec![entry(
        1,
        day(1999, 5, 10),
        None,
        ObjectType::Payload,
        "FENGYUN 1C",
    )];
    entries.push(entry(2, day(2007, 1, 11), None, ObjectType::Payload, "SAT"));
    for n in 0..5 {
        entries.push(entry(
            10 + n,
            day(1999, 5, 10),
            None,
            ObjectType::Debris,
            "FENGYUN 1C DEB",
        ));
    }
    entries.push(entry(
        30,
        day(2008, 3, 2),
        None,
        ObjectType::Payload,
        "LATER",
    ));
    entries.push(entry(
        31,
        day(2008, 3, 2),
        None,
        ObjectType::Debris,
        "LATER DEB",
    ));
    let events = debris_events(&entries, 5);
    assert_eq!(
        events[0],
        DebrisEvent {
            month: day(2007, 1, 1),
            launch_id: "1999-025".into(),
            parent: "FENGYUN 1C".into(),
            fragments: 5,
        }
    );
    assert_eq!(events.len(), 2);
    assert_eq!(debris_events(&entries, 1).len(), 1);
}
