//! `orbitscope export` on the fixtures of the passes and CLI tests, checked structurally as
//! Cesium, Google Earth and GIS tools would read the files; and (ignored, real data) the whole
//! active catalog.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::orbitscope;

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// ISS, NOAA 20, GOES 16 and a decayed rocket body (the passes tests' element sets).
fn fixture(dir: &Path) -> String {
    write(dir, "fixture.tle", crate::passes::FIXTURE)
}

/// Six hours every two minutes from 2026-06-14: 181 samples.
const SPAN: [&str; 6] = [
    "--from",
    "2026-06-14T00:00:00Z",
    "--to",
    "2026-06-14T06:00:00Z",
    "--step",
    "2m",
];
const SAMPLES: usize = 181;

/// Runs `export` into `dir/name` with the fixture and `extra`; returns the file and stderr.
fn export(dir: &Path, name: &str, extra: &[&str]) -> (String, String) {
    let gp = fixture(dir);
    let out = dir.join(name);
    let out_text = out.display().to_string();
    let mut args = vec!["export", "--gp", &gp, "--out", &out_text];
    args.extend_from_slice(extra);
    let output = orbitscope(&args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "export failed: {stderr}");
    (std::fs::read_to_string(&out).unwrap(), stderr)
}

fn assert_decayed_object_reported(stderr: &str) {
    assert!(
        stderr.contains("NORAD 28872 (MINOTAUR R/B)")
            && stderr.contains("1 of 4 objects did not propagate"),
        "{stderr}"
    );
}

#[test]
fn czml_has_the_document_first_unique_ids_and_every_sample() {
    let dir = tempfile::tempdir().unwrap();
    let (text, stderr) = export(dir.path(), "out.czml", &SPAN);
    assert_decayed_object_reported(&stderr);
    assert!(stderr.contains("wrote 3 objects × 181 samples"), "{stderr}");
    let packets: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(packets[0]["id"], "document");
    assert_eq!(packets[0]["version"], "1.0");
    let clock = &packets[0]["clock"];
    assert_eq!(
        clock["interval"],
        "2026-06-14T00:00:00Z/2026-06-14T06:00:00Z"
    );
    assert_eq!(clock["currentTime"], "2026-06-14T00:00:00Z");
    assert!(clock["multiplier"].as_f64().unwrap() > 0.0);
    let objects = &packets[1..];
    assert_eq!(objects.len(), 3, "the decayed rocket body is left out");
    let ids: BTreeSet<&str> = packets.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), packets.len(), "ids are unique");
    for packet in objects {
        assert!(packet["name"].as_str().is_some_and(|name| !name.is_empty()));
        assert!(packet["description"].as_str().unwrap().contains("<table>"));
        let position = &packet["position"];
        assert_eq!(position["epoch"], "2026-06-14T00:00:00Z");
        assert_eq!(position["referenceFrame"], "FIXED");
        assert_eq!(position["interpolationAlgorithm"], "LAGRANGE");
        assert_eq!(position["interpolationDegree"], 5);
        let samples = position["cartesian"].as_array().unwrap();
        assert_eq!(samples.len(), 4 * SAMPLES, "{}", packet["id"]);
        let mut previous = f64::NEG_INFINITY;
        for sample in samples.chunks(4) {
            let t = sample[0].as_f64().unwrap();
            assert!(t > previous, "times increase");
            previous = t;
            let radius_km = sample[1..]
                .iter()
                .map(|c| c.as_f64().unwrap().powi(2))
                .sum::<f64>()
                .sqrt()
                / 1000.0;
            assert!(
                (6_500.0..50_000.0).contains(&radius_km),
                "{}: {radius_km} km",
                packet["id"]
            );
        }
        assert_eq!(previous, 6.0 * 3600.0);
        let rgba = packet["point"]["color"]["rgba"].as_array().unwrap();
        assert_eq!(rgba.len(), 4);
        assert!(packet["path"]["trailTime"].as_f64().unwrap() > 0.0);
    }
}

/// Counts per `gx:Track`: its `when`s and its `gx:coord`s.
fn kml_tracks(text: &str) -> (Vec<(usize, usize)>, usize, usize) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut tracks = Vec::new();
    let (mut placemarks, mut line_strings) = (0, 0);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(element) => match element.name().as_ref() {
                b"gx:Track" => tracks.push((0, 0)),
                b"when" => tracks.last_mut().unwrap().0 += 1,
                b"gx:coord" => tracks.last_mut().unwrap().1 += 1,
                b"Placemark" => placemarks += 1,
                b"LineString" => line_strings += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (tracks, placemarks, line_strings)
}

#[test]
fn kml_parses_with_one_track_per_object_and_as_many_times_as_places() {
    let dir = tempfile::tempdir().unwrap();
    let (text, stderr) = export(dir.path(), "out.kml", &SPAN);
    assert_decayed_object_reported(&stderr);
    let (tracks, placemarks, line_strings) = kml_tracks(&text);
    assert_eq!(tracks.len(), 3);
    for (whens, coords) in tracks {
        assert_eq!(whens, SAMPLES);
        assert_eq!(coords, whens);
    }
    // A track and a ground track per object; six hours of LEO cross the antimeridian.
    assert_eq!(placemarks, 6);
    assert!(line_strings > 3, "{line_strings}");
    assert!(text.contains("xmlns:gx=\"http://www.google.com/kml/ext/2.2\""));
    assert!(text.contains("<altitudeMode>absolute</altitudeMode>"));
    assert!(text.contains("<altitudeMode>clampToGround</altitudeMode>"));
}

#[test]
fn geojson_tracks_are_longitude_first_and_never_cross_the_antimeridian() {
    let dir = tempfile::tempdir().unwrap();
    let (text, stderr) = export(dir.path(), "tracks.geojson", &SPAN);
    assert_decayed_object_reported(&stderr);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["type"], "FeatureCollection");
    let features = value["features"].as_array().unwrap();
    assert_eq!(features.len(), 3);
    let mut split = 0;
    for feature in features {
        assert_eq!(feature["type"], "Feature");
        let geometry = &feature["geometry"];
        let lines: Vec<&serde_json::Value> = match geometry["type"].as_str().unwrap() {
            "LineString" => vec![&geometry["coordinates"]],
            "MultiLineString" => {
                split += 1;
                geometry["coordinates"].as_array().unwrap().iter().collect()
            }
            other => panic!("{other}"),
        };
        let mut points = 0;
        for line in lines {
            let line: Vec<[f64; 2]> = line
                .as_array()
                .unwrap()
                .iter()
                .map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()])
                .collect();
            assert!(line.len() >= 2);
            points += line.len();
            for [lon, lat] in &line {
                assert!(lon.abs() <= 180.0 && lat.abs() <= 90.0, "{lon} {lat}");
            }
            for pair in line.windows(2) {
                assert!(
                    (pair[1][0] - pair[0][0]).abs() <= 180.0,
                    "a segment crosses the antimeridian: {pair:?}"
                );
            }
        }
        assert!(points >= SAMPLES, "{points}");
        let properties = &feature["properties"];
        assert!(properties["norad_id"].as_u64().is_some());
        assert!(properties["stroke"].as_str().unwrap().starts_with('#'));
    }
    // ISS and NOAA 20 go round four times in six hours; GOES 16 stays near 75° W.
    assert_eq!(split, 2);
}

#[test]
fn geojson_without_to_is_points_with_the_properties_of_positions() {
    let dir = tempfile::tempdir().unwrap();
    let gp = write(dir.path(), "gp.csv", crate::cli::OMM_CSV);
    let satcat = write(dir.path(), "satcat.csv", crate::cli::SATCAT);
    let gcat = write(dir.path(), "psatcat.tsv", crate::cli::GCAT);
    let out = dir.path().join("points.geojson").display().to_string();
    let sources = ["--gp", &gp, "--satcat", &satcat, "--gcat", &gcat];
    let mut args = vec!["export", "--out", &out, "--from", "2026-08-22T12:00:00Z"];
    args.extend_from_slice(&sources);
    let output = orbitscope(&args);
    assert!(output.status.success(), "{output:?}");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let features = value["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    // The same instant from `positions`: the point is its longitude, latitude.
    let mut args = vec!["positions", "--at", "2026-08-22T12:00:00Z"];
    args.extend_from_slice(&sources);
    let positions = String::from_utf8(orbitscope(&args).stdout).unwrap();
    for (feature, row) in features.iter().zip(positions.lines().skip(1)) {
        let row: Vec<&str> = row.split(',').collect();
        assert_eq!(feature["geometry"]["type"], "Point");
        let coordinates = feature["geometry"]["coordinates"].as_array().unwrap();
        let lon = coordinates[0].as_f64().unwrap();
        let lat = coordinates[1].as_f64().unwrap();
        let properties = &feature["properties"];
        assert_eq!(properties["norad_id"].to_string(), row[0]);
        assert_eq!(properties["object_id"], row[1]);
        assert_eq!(properties["name"], row[2]);
        let (row_lat, row_lon): (f64, f64) = (row[3].parse().unwrap(), row[4].parse().unwrap());
        assert!(
            (lat - row_lat).abs() < 1e-5 && (lon - row_lon).abs() < 1e-5,
            "{row:?}"
        );
        let alt: f64 = row[5].parse().unwrap();
        assert!((properties["alt_km"].as_f64().unwrap() - alt).abs() < 1e-3);
        assert_eq!(properties["object_type"], "payload");
        assert_eq!(properties["regime"], "leo");
    }
    let iss = &features[0]["properties"];
    assert_eq!(iss["owner"], "ISS");
    assert_eq!(iss["registration"], "registered");
    let saramago = &features[1]["properties"];
    assert_eq!(saramago["owner"], "POR");
    assert_eq!(saramago["registration"], "not-registered");
    assert_ne!(
        iss["marker-color"], saramago["marker-color"],
        "owner colours"
    );
}

#[test]
fn bad_arguments_are_refused_naming_the_flag_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let gp = fixture(dir.path());
    let out = dir.path().join("out.czml").display().to_string();
    let no_extension = dir.path().join("out").display().to_string();
    let cases: [(&str, &[&str], &str); 7] = [
        (&out, &["--step", "0"], "--step"),
        (&out, &["--step", "-60"], "--step"),
        (
            &out,
            &["--from", "2026-06-14", "--to", "2026-06-14"],
            "--to",
        ),
        (
            &out,
            &["--from", "2026-06-14", "--to", "2026-06-13"],
            "--from",
        ),
        (&out, &["--format", "shapefile"], "--format"),
        (&no_extension, &[], "--format"),
        (&out, &["--points"], "--points"),
    ];
    for (out, extra, flag) in cases {
        let mut args = vec!["export", "--gp", &gp, "--out", out];
        args.extend_from_slice(extra);
        let output = orbitscope(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{extra:?} was accepted");
        assert!(stderr.contains(flag), "{extra:?}: {stderr}");
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(left, ["fixture.tle"], "nothing written");
}

#[test]
fn an_existing_file_is_replaced_whole_and_no_temporary_file_stays() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("out.geojson"), "old").unwrap();
    let (text, _) = export(dir.path(), "out.geojson", &["--from", "2026-06-14"]);
    assert!(text.starts_with("{\"type\":\"FeatureCollection\""));
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["fixture.tle", "out.geojson"]);
}

/// The whole active catalog (16 400 objects): CZML for the default two hours at 60 s, and the
/// GeoJSON points of the same start, each object once, checked as above.
#[test]
#[ignore = "reads ../shared/data"]
fn real_data_the_active_catalog_exports_as_czml_and_geojson() {
    let gp = crate::support::shared_file("celestrak-gp/active_2026-08-22/active.csv");
    let gp = gp.display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let czml = dir.path().join("active.czml").display().to_string();
    let clock = std::time::Instant::now();
    let output = orbitscope(&[
        "export",
        "--gp",
        &gp,
        "--offline",
        "--from",
        "2026-08-22T00:00:00Z",
        "--out",
        &czml,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    eprintln!("{stderr}(whole run {:?})", clock.elapsed());
    let packets: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&czml).unwrap()).unwrap();
    assert_eq!(packets[0]["id"], "document");
    let failed = stderr
        .lines()
        .filter(|line| line.starts_with("NORAD "))
        .count();
    assert_eq!(
        packets.len() - 1 + failed,
        16_400,
        "every object written or named"
    );
    assert!(failed < 20, "{failed}");
    let mut ids = BTreeSet::new();
    for packet in &packets[1..] {
        assert!(ids.insert(packet["id"].as_str().unwrap().to_owned()));
        let samples = packet["position"]["cartesian"].as_array().unwrap();
        assert_eq!(samples.len(), 4 * 121);
        let first_radius_km = samples[1..4]
            .iter()
            .map(|c| c.as_f64().unwrap().powi(2))
            .sum::<f64>()
            .sqrt()
            / 1000.0;
        // Above SGP4's Earth radius (objects re-entering that day fly lower than 6 500 km).
        assert!(
            (6_378.0..500_000.0).contains(&first_radius_km),
            "{}: {first_radius_km}",
            packet["id"]
        );
    }

    let points = dir.path().join("active.geojson").display().to_string();
    let output = orbitscope(&[
        "export",
        "--gp",
        &gp,
        "--offline",
        "--from",
        "2026-08-22T00:00:00Z",
        "--out",
        &points,
    ]);
    assert!(output.status.success());
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&points).unwrap()).unwrap();
    let features = value["features"].as_array().unwrap();
    assert!(features.len() + failed >= 16_400, "{}", features.len());
    for feature in features {
        let coordinates = feature["geometry"]["coordinates"].as_array().unwrap();
        assert!(coordinates[0].as_f64().unwrap().abs() <= 180.0);
        assert!(coordinates[1].as_f64().unwrap().abs() <= 90.0);
    }
}
