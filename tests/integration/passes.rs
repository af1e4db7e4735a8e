//! `orbitscope passes` and `orbitscope look` on a small fixture the tests write, and (ignored,
//! real data) the whole active catalog against a dense SGP4 reference on a sample.

use std::path::Path;

use crate::support::{orbitscope, orbitscope_with};

// Real element sets (CelesTrak, public): ISS and NOAA 20 of 2026-06-13, GOES 16 of 2026-08-22,
// and Vallado's MINOTAUR R/B (2005), long decayed by 2026: SGP4 fails on it.
pub(crate) const FIXTURE: &str = "ISS (ZARYA)
1 25544U 98067A   26164.83523427  .00008738  00000+0  16534-3 0  9990
2 25544  51.6333 316.6832 0004955 182.4672 177.6293 15.49214103571238
NOAA 20 (JPSS-1)
1 43013U 17073A   26164.82944647  .00000020  00000+0  30441-4 0  9999
2 43013  98.7773 104.3219 0000288  70.1500 289.9707 14.19511127443998
GOES 16
1 41866U 16071A   26234.26780986 -.00000093  00000+0  00000+0 0  9994
2 41866   0.4963  85.0062 0001230 103.0975 134.1537  1.00273215 35767
MINOTAUR R/B
1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534
2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708
";

const HEADER: &str = "norad_id,name,owner,registration,rise_utc,rise_az_deg,culmination_utc,\
                      culmination_el_deg,culmination_az_deg,set_utc,set_az_deg,duration_s,visible";

fn fixture(dir: &Path) -> String {
    let path = dir.join("fixture.tle");
    std::fs::write(&path, FIXTURE).unwrap();
    path.display().to_string()
}

fn passes(gp: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "passes",
        "--gp",
        gp,
        "--site",
        "51.48,-0.0,50",
        "--from",
        "2026-06-14T00:00:00Z",
        "--days",
        "1",
    ];
    args.extend_from_slice(extra);
    orbitscope(&args)
}

fn ok(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "orbitscope failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn parse_time(text: &str) -> chrono::DateTime<chrono::Utc> {
    assert!(
        text.len() == 24 && text.ends_with('Z') && text.as_bytes()[19] == b'.',
        "{text} is not RFC 3339 with milliseconds"
    );
    text.parse().unwrap()
}

#[test]
fn passes_csv_has_the_exact_columns_sorted_by_rise() {
    let dir = tempfile::tempdir().unwrap();
    let gp = fixture(dir.path());
    let output = passes(&gp, &["--format", "csv"]);
    let out = ok(&output);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() >= 5, "{out}");
    let mut previous = None;
    let mut norads = std::collections::BTreeSet::new();
    for row in &rows {
        assert_eq!(row.len(), 13, "{row:?}");
        norads.insert(row[0]);
        assert_eq!(row[2], "", "no SATCAT: no owner");
        assert_eq!(row[3], "no-data");
        let rise = parse_time(row[4]);
        let culmination = parse_time(row[6]);
        let set = parse_time(row[9]);
        assert!(rise <= culmination && culmination <= set, "{row:?}");
        let duration: f64 = row[11].parse().unwrap();
        let span = (set - rise).num_milliseconds() as f64 / 1000.0;
        assert!((duration - span).abs() < 0.002, "{row:?}");
        let elevation: f64 = row[7].parse().unwrap();
        assert!((10.0..=90.0).contains(&elevation), "{row:?}");
        for az in [row[5], row[8], row[10]] {
            let az: f64 = az.parse().unwrap();
            assert!((0.0..360.0).contains(&az), "{row:?}");
        }
        assert!(matches!(row[12], "true" | "false"));
        if let Some(previous) = previous {
            assert!(previous <= rise, "sorted by rise");
        }
        previous = Some(rise);
    }
    // ISS and NOAA 20 pass over London; GOES 16 (parked at 105° W in 2026) stays below 10°.
    assert!(
        norads.contains("25544") && norads.contains("43013"),
        "{norads:?}"
    );
    assert!(!norads.contains("41866"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("NORAD 28872 (MINOTAUR R/B)") && stderr.contains("1 of 4 objects failed"),
        "{stderr}"
    );
}

#[test]
fn passes_json_ics_and_table_agree_with_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let gp = fixture(dir.path());
    let csv_rows = ok(&passes(&gp, &["--format", "csv"])).lines().count() - 1;
    let json: serde_json::Value =
        serde_json::from_str(&ok(&passes(&gp, &["--format", "json"]))).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), csv_rows);
    for key in [
        "norad_id",
        "rise_utc",
        "culmination_el_deg",
        "set_az_deg",
        "visible",
        "rise_clipped",
    ] {
        assert!(items[0].get(key).is_some(), "{key} in {}", items[0]);
    }
    let ics = ok(&passes(&gp, &["--format", "ics"]));
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(ics.matches("BEGIN:VEVENT\r\n").count(), csv_rows);
    let table = ok(&passes(&gp, &[]));
    assert!(
        table.contains("NORAD") && table.contains("ISS (ZARYA)"),
        "{table}"
    );
    assert_eq!(table.lines().count(), csv_rows + 2, "{table}");
    // --visible keeps a subset; --min-elevation 0 finds more.
    let visible = ok(&passes(&gp, &["--format", "csv", "--visible"]))
        .lines()
        .count()
        - 1;
    assert!(visible <= csv_rows);
    let low = ok(&passes(&gp, &["--format", "csv", "--min-elevation", "0"]))
        .lines()
        .count()
        - 1;
    assert!(low > csv_rows);
}

#[test]
fn bad_sites_and_spans_are_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let gp = fixture(dir.path());
    for (site, field) in [
        ("91,0", "latitude"),
        ("abc,0", "latitude"),
        ("0,0,-20000", "height"),
    ] {
        let output = orbitscope(&["passes", "--gp", &gp, "--site", site]);
        assert_eq!(output.status.code(), Some(2), "{site}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(field), "{site}: {stderr}");
    }
    let output = orbitscope(&["passes", "--gp", &gp, "--site", "0,0", "--days", "0"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("days"));
    let output = orbitscope(&["passes", "--gp", &gp]);
    assert!(!output.status.success(), "a site is required");
}

#[test]
fn site_names_come_from_the_site_book() {
    let dir = tempfile::tempdir().unwrap();
    let gp = fixture(dir.path());
    let config = dir.path().join("config");
    let config_dir = config.display().to_string();
    let env = [("ORBITSCOPE_CONFIG_DIR", config_dir.as_str())];
    let args = [
        "passes",
        "--gp",
        &gp,
        "--site-name",
        "Greenwich",
        "--from",
        "2026-06-14",
        "--days",
        "1",
        "--format",
        "csv",
    ];
    let missing = orbitscope_with(&args, &env, &[]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("sites.json"));
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("sites.json"),
        r#"{"sites":[{"name":"Greenwich","latitude_deg":51.48,"longitude_deg":-0.0,"height_m":50}]}"#,
    )
    .unwrap();
    let named = ok(&orbitscope_with(&args, &env, &[]));
    let direct = ok(&passes(&gp, &["--format", "csv"]));
    assert_eq!(named, direct);
}

#[test]
fn look_lists_the_sky_highest_first() {
    let dir = tempfile::tempdir().unwrap();
    let gp = fixture(dir.path());
    let out = ok(&orbitscope(&[
        "look",
        "--gp",
        &gp,
        "--site",
        "0,-105",
        "--at",
        "2026-06-14T00:00:00Z",
        "--format",
        "csv",
        "--min-elevation",
        "-90",
    ]));
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("norad_id,name,owner,registration,azimuth_deg,elevation_deg,range_km,range_rate_km_s")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 3, "the decayed one is left out: {out}");
    assert_eq!(rows[0][0], "41866", "GOES 16 is nearly overhead");
    let elevations: Vec<f64> = rows.iter().map(|r| r[5].parse().unwrap()).collect();
    assert!(
        elevations.windows(2).all(|w| w[0] >= w[1]),
        "{elevations:?}"
    );
    assert!(elevations[0] > 80.0);
    let above = ok(&orbitscope(&[
        "look",
        "--gp",
        &gp,
        "--site",
        "0,-105",
        "--at",
        "2026-06-14T00:00:00Z",
        "--format",
        "json",
    ]));
    let above: serde_json::Value = serde_json::from_str(&above).unwrap();
    assert!(
        above
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["elevation_deg"].as_f64().unwrap() >= 0.0)
    );
}

/// The whole active catalog from Greenwich for a day; ~200 objects checked against SGP4 every
/// second (every reference pass found, rise/set/culmination within 1 s).
#[test]
#[ignore = "reads ../shared/data"]
fn real_data_passes_of_the_active_catalog_match_a_dense_reference() {
    use glam::DVec3;
    use orbitscope::orbit::frames::{Geodetic, geodetic_to_ecef, teme_to_ecef};
    use orbitscope::orbit::{Instant, PropagationMode, ReferencePropagator, gmst_rad};
    use orbitscope::passes::{PassOptions, Site, Span, find_passes};

    let bytes = crate::support::read_shared("celestrak-gp/active_2026-08-22/active.tle");
    let elements = orbitscope::catalog::gp::parse_gp(&bytes, "active.tle")
        .1
        .records;
    assert!(elements.len() > 10_000);
    let site = Site::parse("51.48,-0.0,50").unwrap();
    let start = Instant::from_utc("2026-08-22T00:00:00Z".parse().unwrap());
    let span = Span::days(start, 1.0);
    let all: Vec<&sgp4::Elements> = elements.iter().collect();
    let clock = std::time::Instant::now();
    let found = find_passes(
        &all,
        std::slice::from_ref(&site),
        span,
        &PassOptions::default(),
        &|_, _| {},
    )
    .unwrap();
    eprintln!("{} objects, one day: {:?}", all.len(), clock.elapsed());
    let geodetic = Geodetic {
        latitude_rad: 51.48f64.to_radians(),
        longitude_rad: 0.0,
        altitude_km: 0.05,
    };
    let position = geodetic_to_ecef(&geodetic);
    let up = DVec3::new(
        geodetic.latitude_rad.cos(),
        0.0,
        geodetic.latitude_rad.sin(),
    );
    let stride = all.len() / 200;
    let mut checked = 0;
    for index in (0..all.len()).step_by(stride) {
        let entry = &found[index];
        assert_eq!(entry.object, index);
        let reference = ReferencePropagator::new(all[index], PropagationMode::Improved);
        let elevation_at = |second: f64| {
            let at = start.plus_minutes(second / 60.0);
            reference.propagate(at).map_or(f64::MIN, |(r, _)| {
                let rho = teme_to_ecef(DVec3::from_array(r), gmst_rad(at)) - position;
                (rho.dot(up) / rho.length()).asin().to_degrees()
            })
        };
        let mut elevations = Vec::with_capacity(86_401);
        let mut failed = false;
        for second in 0..=86_400 {
            let at = start.plus_minutes(f64::from(second) / 60.0);
            let Ok((r, _)) = reference.propagate(at) else {
                failed = true;
                break;
            };
            let rho = teme_to_ecef(DVec3::from_array(r), gmst_rad(at)) - position;
            elevations.push((rho.dot(up) / rho.length()).asin().to_degrees());
        }
        if failed {
            assert!(
                entry.failure.is_some(),
                "object {index} fails in the reference"
            );
            continue;
        }
        assert!(entry.failure.is_none(), "{index}: {:?}", entry.failure);
        // Reference passes: runs at or above 10°, ends interpolated.
        let mut expected = Vec::new();
        let mut i = 0;
        while i < elevations.len() {
            if elevations[i] < 10.0 {
                i += 1;
                continue;
            }
            let begin = i;
            while i < elevations.len() && elevations[i] >= 10.0 {
                i += 1;
            }
            let cross =
                |k: usize| k as f64 + (10.0 - elevations[k]) / (elevations[k + 1] - elevations[k]);
            let rise = if begin == 0 { 0.0 } else { cross(begin - 1) };
            let set = if i == elevations.len() {
                86_400.0
            } else {
                cross(i - 1)
            };
            // The peak: golden-section search on the exact elevation around the best second.
            let best = (begin..i)
                .max_by(|&x, &y| elevations[x].total_cmp(&elevations[y]))
                .unwrap_or(begin);
            let ratio = 0.5 * (5f64.sqrt() - 1.0);
            let (mut lo, mut hi) = (
                (best as f64 - 1.0).max(0.0),
                (best as f64 + 1.0).min(86_400.0),
            );
            while hi - lo > 1e-4 {
                let (x1, x2) = (hi - ratio * (hi - lo), lo + ratio * (hi - lo));
                if elevation_at(x1) < elevation_at(x2) {
                    lo = x1;
                } else {
                    hi = x2;
                }
            }
            let top_t = 0.5 * (lo + hi);
            let top = elevation_at(top_t).max(elevations[best]);
            expected.push((rise, set, top, top_t));
        }
        assert_eq!(
            entry.passes.len(),
            expected.len(),
            "object {index}: {:#?} {expected:?}",
            entry.passes
        );
        for (pass, (rise, set, top, top_t)) in entry.passes.iter().zip(&expected) {
            let seconds = |at: Instant| at.minutes_since(start) * 60.0;
            assert!(
                (seconds(pass.rise.at) - rise).abs() < 1.0,
                "{index}: {pass:?} {rise}"
            );
            assert!(
                (seconds(pass.set.at) - set).abs() < 1.0,
                "{index}: {pass:?} {set}"
            );
            assert!(
                (pass.culmination.elevation_deg - top).abs() < 0.01,
                "{index}: {pass:?} {top}"
            );
            let clipped = pass.rise_clipped || pass.set_clipped;
            let flat = all[index].mean_motion < 6.0;
            if !clipped && !flat {
                let at = seconds(pass.culmination.at);
                assert!((at - top_t).abs() < 1.0, "{index}: {pass:?} {top_t}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 150, "{checked}");
}

/// The window's searches, headless: a site typed in is saved to the book, the selected ISS's
/// passes over it fill the table (the same passes the core finds), a click asks for the clock
/// at the rise (paused), the object selected and the camera above the site, the sky track runs
/// from the minimum elevation, and idle frames leave the state unchanged.
#[cfg(feature = "gui")]
#[test]
fn passes_window_fills_and_goes_to_the_rise() {
    use bevy::prelude::*;
    use orbitscope::app::{
        AnalysisPlugin, AppAction, ClockAction, LoadReport, PassRequest, PassRequests, PassScope,
        PassSettings, Selection, SimulationPlugin, SitesAndPasses, go_to_pass_actions,
    };
    use orbitscope::loader::{SourceSelection, load_catalog};
    use orbitscope::orbit::Instant;
    use orbitscope::passes::{PassOptions, Site, SiteBook, Span, passes_of};

    let dir = tempfile::tempdir().unwrap();
    let selection = SourceSelection {
        gp_files: vec![fixture(dir.path()).into()],
        offline: true,
        ..SourceSelection::default()
    };
    let loaded = load_catalog(&selection, &mut |_, _, _| {}).unwrap();
    let report = LoadReport::of(&loaded, None);
    let catalog = std::sync::Arc::new(loaded.catalog);
    let iss = catalog.index_of(25544).unwrap();
    let start = Instant::from_utc("2026-06-14T00:00:00Z".parse().unwrap());
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .insert_resource(report)
        .add_plugins(SimulationPlugin {
            catalog: std::sync::Arc::clone(&catalog),
            start,
        })
        .add_plugins(AnalysisPlugin);
    let book = dir.path().join("config").join("sites.json");
    app.world_mut().resource_mut::<SitesAndPasses>().book_path = Some(book.clone());
    let greenwich = Site::new("Greenwich", 51.48, -0.0, 50.0).unwrap();
    app.world_mut().resource_mut::<PassRequests>().0.extend([
        PassRequest::ToggleWindow,
        PassRequest::AddSite(greenwich.clone()),
    ]);
    app.update();
    assert_eq!(
        SiteBook::load(&book).unwrap().sites,
        std::slice::from_ref(&greenwich)
    );
    app.world_mut().resource_mut::<Selection>().selected = Some(iss);
    let settings = PassSettings {
        days: 1.0,
        min_elevation_deg: 10.0,
    };
    app.world_mut()
        .resource_mut::<PassRequests>()
        .0
        .push(PassRequest::Run(PassScope::SelectedOverEverySite, settings));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let table = loop {
        app.update();
        if let Some(table) = app.world().resource::<SitesAndPasses>().table.clone() {
            break table;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the search never finished"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let expected = passes_of(
        &catalog.objects[iss].elements,
        &greenwich,
        Span::days(start, 1.0),
        &PassOptions::default(),
    )
    .unwrap();
    assert!(
        !expected.passes.is_empty(),
        "the ISS passes over Greenwich that day"
    );
    let found: Vec<_> = table.rows.iter().map(|row| row.pass).collect();
    assert_eq!(found, expected.passes);

    let first = &table.rows[0].pass;
    assert_eq!(
        go_to_pass_actions(&table, 0, false),
        vec![
            AppAction::Clock(ClockAction::JumpTo(first.rise.at)),
            AppAction::Clock(ClockAction::TogglePause),
            AppAction::Focus(iss),
            AppAction::LookAbove {
                latitude_deg: 51.48,
                longitude_deg: -0.0,
            },
            AppAction::Passes(PassRequest::Show(Some(0))),
        ]
    );
    app.world_mut()
        .resource_mut::<PassRequests>()
        .0
        .push(PassRequest::Show(Some(0)));
    app.update();
    let state = app.world().resource::<SitesAndPasses>();
    assert_eq!(state.shown, Some(0));
    let (_, rise) = state.track.first().expect("the pass's sky track");
    let starts_at_minimum = (rise.elevation_deg - 10.0).abs() < 0.01 || first.rise_clipped;
    assert!(starts_at_minimum, "{rise:?}");

    // The window's CSV export writes what the command line writes for the same passes.
    let exported = orbitscope::passes::csv::passes_csv(
        table
            .rows
            .iter()
            .map(|row| (&catalog.objects[table.objects[row.object]], &row.pass)),
    )
    .unwrap();
    let gp = dir.path().join("fixture.tle");
    let cli = passes(
        gp.to_str().unwrap(),
        &["--norad", "25544", "--format", "csv"],
    );
    assert_eq!(String::from_utf8(exported).unwrap(), ok(&cli));

    app.update();
    let before = app.world().resource_ref::<SitesAndPasses>().last_changed();
    app.update();
    app.update();
    assert_eq!(
        app.world().resource_ref::<SitesAndPasses>().last_changed(),
        before,
        "idle frames marked the state changed"
    );
}
