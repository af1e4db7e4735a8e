//! Close approaches: `orbitscope conjunctions` on a fixture it can check by hand, and the
//! screening against the brute-force oracle on real catalogs (ignored: needs ../shared/data).

use std::path::Path;

use orbitscope::conjunction::dense::dense_minima;
use orbitscope::conjunction::{Progress, ScreeningRequest, screen};
use orbitscope::loader::{SourceSelection, load_catalog};
use orbitscope::orbit::Instant;

use crate::support::{orbitscope, shared_file};

// The ISS (a real element set), a follower 0.023° of mean anomaly behind it (~2.7 km, in
// formation) and a copy flying the same plane the other way (head-on crossings).
pub(super) const OMM_CSV: &str = "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT
ISS (ZARYA),1998-067A,2026-08-22T07:57:46.835712,15.49187914,.0001646,51.6439,172.5713,123.4001,50.7130,0,U,25544,999,26008,.19181E-4,.614E-5,0
FOLLOWER,2026-900A,2026-08-22T07:57:46.835712,15.49187914,.0001646,51.6439,172.5713,123.4001,50.6900,0,U,90001,999,1,.19181E-4,.614E-5,0
RETRO,2026-901A,2026-08-22T07:57:46.835712,15.49100000,.0001646,128.3561,352.5713,236.5999,50.7130,0,U,90002,999,1,.19181E-4,.614E-5,0
";

pub(super) const SATCAT: &str = "OBJECT_NAME,OBJECT_ID,NORAD_CAT_ID,OBJECT_TYPE,OPS_STATUS_CODE,OWNER,LAUNCH_DATE,LAUNCH_SITE,DECAY_DATE,PERIOD,INCLINATION,APOGEE,PERIGEE,RCS,DATA_STATUS_CODE,ORBIT_CENTER,ORBIT_TYPE
ISS (ZARYA),1998-067A,25544,PAY,+,ISS,1998-11-20,TYMSC,,92.9,51.64,422,417,,,EA,ORB
FOLLOWER,2026-900A,90001,PAY,+,US,2026-08-01,AFWTR,,92.9,51.64,422,417,,,EA,ORB
RETRO,2026-901A,90002,PAY,+,PRC,2026-08-01,JSC,,92.9,128.36,422,417,,,EA,ORB
";

const SPAN: [&str; 4] = ["--from", "2026-08-22T08:00:00Z", "--days", "0.1"];

pub(super) fn fixture(dir: &Path) -> Vec<String> {
    let gp = dir.join("gp.csv");
    let satcat = dir.join("satcat.csv");
    std::fs::write(&gp, OMM_CSV).unwrap();
    std::fs::write(&satcat, SATCAT).unwrap();
    vec![
        "--gp".into(),
        gp.display().to_string(),
        "--satcat".into(),
        satcat.display().to_string(),
        "--offline".into(),
    ]
}

fn run(dir: &Path, extra: &[&str]) -> std::process::Output {
    let sources = fixture(dir);
    let mut args = vec!["conjunctions"];
    args.extend(SPAN);
    args.extend(extra);
    args.extend(sources.iter().map(String::as_str));
    orbitscope(&args)
}

pub(super) fn csv_rows(output: &std::process::Output) -> Vec<Vec<String>> {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header.join(","),
        "norad_a,norad_b,tca_utc,miss_km,speed_kms,radial_km,intrack_km,crosstrack_km,\
         name_a,name_b,owner_a,owner_b,registration_a,registration_b"
    );
    reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn conjunctions_csv_lists_every_pair_with_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let rows = csv_rows(&run(
        dir.path(),
        &["--threshold-km", "50", "--format", "csv"],
    ));
    let pairs: std::collections::BTreeSet<(String, String)> =
        rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    assert!(
        pairs.contains(&("25544".into(), "90001".into())),
        "{rows:?}"
    );
    assert!(
        pairs.contains(&("25544".into(), "90002".into())),
        "{rows:?}"
    );
    for row in &rows {
        let (a, b): (u64, u64) = (row[0].parse().unwrap(), row[1].parse().unwrap());
        assert!(a < b, "{row:?}");
        // RFC 3339 with milliseconds, inside the span.
        let tca = chrono::DateTime::parse_from_rfc3339(&row[2]).unwrap();
        assert_eq!(row[2].len(), "2026-08-22T08:00:00.000Z".len(), "{}", row[2]);
        assert!(
            row[2].as_str() > "2026-08-22T08:00" && row[2].as_str() < "2026-08-22T10:25",
            "{tca}"
        );
        let miss: f64 = row[3].parse().unwrap();
        assert!(miss < 50.0);
        let components: Vec<f64> = row[5..8].iter().map(|v| v.parse().unwrap()).collect();
        let norm = components.iter().map(|c| c * c).sum::<f64>().sqrt();
        assert!((norm - miss).abs() < 1e-3, "{row:?}");
        let speed: f64 = row[4].parse().unwrap();
        if b == 90002 {
            assert!(speed > 14.0, "head-on: {row:?}");
            assert_eq!(row[11], "PRC");
            assert!(row[10] == "ISS" || row[10] == "US", "{row:?}");
        } else {
            assert!(speed < 0.1, "formation: {row:?}");
        }
    }
}

#[test]
fn conjunctions_filter_chooses_the_primaries() {
    let dir = tempfile::tempdir().unwrap();
    // The PRC object against everything: only its pairs.
    let rows = csv_rows(&run(
        dir.path(),
        &["--threshold-km", "50", "--format", "csv", "--owner", "PRC"],
    ));
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r[1] == "90002"), "{rows:?}");
    // Among themselves, one object has no pair.
    let rows = csv_rows(&run(
        dir.path(),
        &[
            "--threshold-km",
            "50",
            "--format",
            "csv",
            "--owner",
            "PRC",
            "--against",
            "filtered",
        ],
    ));
    assert!(rows.is_empty(), "{rows:?}");
    // Top N by miss distance.
    let rows = csv_rows(&run(
        dir.path(),
        &[
            "--threshold-km",
            "50",
            "--format",
            "csv",
            "--sort",
            "miss",
            "--top",
            "2",
        ],
    ));
    assert_eq!(rows.len(), 2);
    assert!(rows[0][3].parse::<f64>().unwrap() <= rows[1][3].parse::<f64>().unwrap());
}

#[test]
fn conjunctions_table_collapses_the_pair_in_formation() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["--threshold-km", "50"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("1 persistent pairs"), "{text}");
    assert!(text.contains("90001 FOLLOWER"), "{text}");
    let summary = run(dir.path(), &["--threshold-km", "50", "--summary"]);
    let summary = String::from_utf8(summary.stdout).unwrap();
    assert!(summary.contains("2026-08-22"), "{summary}");
    assert!(summary.contains("ISS–PRC"), "{summary}");
    let json = run(dir.path(), &["--threshold-km", "50", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        value
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["persistent"] == true)
    );
}

#[test]
fn conjunctions_refuses_bad_spans_and_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let sources = fixture(dir.path());
    for (args, word) in [
        (vec!["--threshold-km", "0"], "threshold"),
        (vec!["--threshold-km=-3"], "threshold"),
        (vec!["--days=-1"], "span"),
        (
            vec![
                "--from",
                "2026-08-23T00:00:00Z",
                "--to",
                "2026-08-22T00:00:00Z",
            ],
            "span",
        ),
    ] {
        let mut all = vec!["conjunctions"];
        all.extend(args);
        all.extend(sources.iter().map(String::as_str));
        let output = orbitscope(&all);
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(word), "{stderr}");
    }
}

/// Screens `count` objects of `files` (every k-th, in NORAD order) over `span_s` and checks the
/// result against the brute-force oracle: every minimum found, TCA within 10 ms and miss
/// within 10 m (or, for a pair drifting at cm/s, positions at both TCAs within a metre), and
/// no event the oracle lacks.
fn agrees_with_the_oracle(
    files: &[&str],
    from: &str,
    count: usize,
    span_s: f64,
    threshold_km: f64,
) {
    let selection = SourceSelection {
        gp_files: files.iter().map(|file| shared_file(file)).collect(),
        offline: true,
        ..SourceSelection::default()
    };
    let catalog = load_catalog(&selection, &mut |_, _, _| {}).unwrap().catalog;
    let mut objects: Vec<&orbitscope::catalog::SpaceObject> = catalog.objects.iter().collect();
    objects.sort_by_key(|object| object.norad_id);
    let stride = (objects.len() / count).max(1);
    let chosen: Vec<&sgp4::Elements> = objects
        .iter()
        .step_by(stride)
        .take(count)
        .map(|object| &object.elements)
        .collect();
    let primary = vec![true; chosen.len()];
    let start = Instant::from_utc(orbitscope::orbit::parse_utc(from).unwrap());
    let request = ScreeningRequest {
        start,
        span_s,
        threshold_km,
    };
    let screening = screen(&chosen, &primary, &request, &Progress::default()).unwrap();
    let oracle = dense_minima(&chosen, &primary, start, span_s, threshold_km);
    eprintln!(
        "{files:?}: {} objects, {} events (oracle {}), {} persistent pairs",
        chosen.len(),
        screening.approaches.len(),
        oracle.len(),
        screening.persistent_pairs
    );
    assert!(!oracle.is_empty(), "the sample must hold events to compare");
    let (mut worst_time, mut worst_miss) = (0.0_f64, 0.0_f64);
    for minimum in &oracle {
        if minimum.miss_km > threshold_km - 0.01 {
            continue;
        }
        let approach = screening
            .approaches
            .iter()
            .find(|a| {
                (a.first as usize, a.second as usize) == (minimum.first, minimum.second)
                    && (a.time_s - minimum.time_s).abs() < 0.5
            })
            .unwrap_or_else(|| panic!("missed {minimum:?}"));
        let offset = (approach.time_s - minimum.time_s).abs();
        assert!(
            offset < 0.01 || offset * approach.speed_km_s < 0.001,
            "{approach:?} {minimum:?}"
        );
        assert!(
            (approach.miss_km - minimum.miss_km).abs() < 0.01,
            "{approach:?} {minimum:?}"
        );
        if approach.speed_km_s > 0.1 {
            worst_time = worst_time.max(offset);
        }
        worst_miss = worst_miss.max((approach.miss_km - minimum.miss_km).abs());
    }
    for approach in &screening.approaches {
        if approach.miss_km > threshold_km - 0.01 {
            continue;
        }
        assert!(
            oracle
                .iter()
                .any(|m| (approach.first as usize, approach.second as usize)
                    == (m.first, m.second)
                    && (approach.time_s - m.time_s).abs() < 0.5),
            "the oracle has no {approach:?}"
        );
    }
    eprintln!(
        "worst TCA difference {worst_time:.2e} s (faster than 0.1 km/s), miss {worst_miss:.2e} km"
    );
}

#[test]
#[ignore = "reads ../shared/data"]
fn real_data_conjunctions_2019_full_catalog_agree_with_the_oracle() {
    agrees_with_the_oracle(
        &["celestrak-gp/misc/spacetrack_full_catalog_3le_2019-03.txt"],
        "2019-03-20T00:00:00Z",
        2000,
        12.0 * 3600.0,
        20.0,
    );
}

#[test]
#[ignore = "reads ../shared/data"]
fn real_data_conjunctions_june_2026_groups_with_debris_agree_with_the_oracle() {
    agrees_with_the_oracle(
        &[
            "celestrak-gp/groups_2026-06-14/starlink.tle",
            "celestrak-gp/groups_2026-06-14/cosmos-1408-debris.tle",
            "celestrak-gp/groups_2026-06-14/fengyun-1c-debris.tle",
            "celestrak-gp/groups_2026-06-14/iridium-33-debris.tle",
            "celestrak-gp/groups_2026-06-14/cosmos-2251-debris.tle",
        ],
        "2026-06-14T12:00:00Z",
        2000,
        6.0 * 3600.0,
        20.0,
    );
}

#[test]
#[ignore = "reads ../shared/data"]
fn real_data_conjunctions_active_catalog_agree_with_the_oracle() {
    agrees_with_the_oracle(
        &["celestrak-gp/active_2026-08-22/active.tle"],
        "2026-08-22T12:00:00Z",
        2000,
        6.0 * 3600.0,
        20.0,
    );
}

/// The window's screening, headless: a run fills the table with the events the command line
/// finds, a click on one asks for the clock at its TCA (paused), both objects selected and
/// framed and the pair drawn, and the result is dropped when the filter changes.
#[cfg(feature = "gui")]
#[test]
fn conjunctions_window_fills_and_goes_to_the_tca() {
    use bevy::prelude::*;
    use orbitscope::app::{
        AnalysisPlugin, AppAction, ClockAction, CloseApproaches, ConjunctionRequest,
        ConjunctionRequests, ConjunctionSettings, FilterSettings, LoadReport, ShownPair,
        SimulationPlugin, go_to_actions,
    };

    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path());
    let selection = SourceSelection {
        gp_files: vec![dir.path().join("gp.csv")],
        satcat_file: Some(dir.path().join("satcat.csv")),
        offline: true,
        ..SourceSelection::default()
    };
    let loaded = load_catalog(&selection, &mut |_, _, _| {}).unwrap();
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .insert_resource(LoadReport::of(&loaded, None))
        .add_plugins(SimulationPlugin {
            catalog: std::sync::Arc::new(loaded.catalog),
            start: Instant::from_utc("2026-08-22T08:00:00Z".parse().unwrap()),
        })
        .add_plugins(AnalysisPlugin);
    app.update();
    app.world_mut()
        .resource_mut::<ConjunctionRequests>()
        .0
        .push(ConjunctionRequest::Run(ConjunctionSettings {
            days: 0.1,
            threshold_km: 50.0,
            ..ConjunctionSettings::default()
        }));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let report = loop {
        app.update();
        if let Some(report) = app.world().resource::<CloseApproaches>().report.clone() {
            break report;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the screening never finished"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let pairs: std::collections::BTreeSet<(u64, u64)> = report
        .conjunctions
        .iter()
        .map(|c| (c.a.norad_id, c.b.norad_id))
        .collect();
    assert_eq!(
        pairs,
        [(25544, 90001), (25544, 90002), (90001, 90002)]
            .into_iter()
            .collect()
    );

    let index = report
        .conjunctions
        .iter()
        .position(|c| c.b.norad_id == 90002)
        .unwrap();
    let event = &report.conjunctions[index];
    let actions = go_to_actions(&report, index, false);
    assert_eq!(
        actions,
        vec![
            AppAction::Clock(ClockAction::JumpTo(Instant::from_utc(event.tca))),
            AppAction::Clock(ClockAction::TogglePause),
            AppAction::FocusPair(event.a.index, event.b.index),
            AppAction::Conjunctions(ConjunctionRequest::Show(Some(index))),
        ]
    );
    app.world_mut()
        .resource_mut::<ConjunctionRequests>()
        .0
        .push(ConjunctionRequest::Show(Some(index)));
    app.update();
    let approaches = app.world().resource::<CloseApproaches>();
    assert_eq!(approaches.shown, Some(index));
    assert_eq!(
        approaches.pair,
        Some(ShownPair {
            first: event.a.index,
            second: event.b.index,
            tca: Instant::from_utc(event.tca),
        })
    );

    // Kept over idle frames, without being marked changed; dropped when the filter changes.
    app.update();
    let before = app.world().resource_ref::<CloseApproaches>().last_changed();
    app.update();
    app.update();
    let approaches = app.world().resource_ref::<CloseApproaches>();
    assert_eq!(
        approaches.last_changed(),
        before,
        "idle frames marked the state changed"
    );
    assert!(approaches.report.is_some());
    app.world_mut().resource_mut::<FilterSettings>().0.search = Some("ISS".to_owned());
    app.update();
    let approaches = app.world().resource::<CloseApproaches>();
    assert!(approaches.report.is_none() && approaches.shown.is_none());
    assert!(
        approaches.pair.is_none(),
        "the pair drawn goes with its report"
    );
}
