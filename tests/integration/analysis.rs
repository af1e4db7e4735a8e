//! Headless App tests of the analysis windows' data: the statistics the window shows are the
//! numbers `orbitscope stats` prints for the same filter (one function behind both), they are
//! recomputed when the filter changes and not per frame, and a data refresh swaps in the new
//! catalog with the selection kept by NORAD number.

use std::sync::Arc;

use bevy::prelude::*;
use orbitscope::app::{
    Analysis, AnalysisPlugin, AnalysisViews, CatalogData, DataRefresh, FilterSettings, LoadReport,
    Propagation, RefreshKind, RefreshState, Selection, SimulationPlugin,
};
use orbitscope::filter::{Filter, RegistrationStatus};
use orbitscope::loader::{LoadedCatalog, SourceSelection, load_catalog};
use orbitscope::orbit::Instant;

use crate::fault_server::{OMM, Reply, selection_for, serve};
use crate::support::{active_selection, orbitscope, shared_file};

fn app_on(loaded: LoadedCatalog, selection: Option<SourceSelection>) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .insert_resource(LoadReport::of(&loaded, selection))
        .add_plugins(SimulationPlugin {
            catalog: Arc::new(loaded.catalog),
            start: Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap()),
        })
        .add_plugins(AnalysisPlugin);
    app
}

fn open_statistics(app: &mut App) {
    app.world_mut().resource_mut::<AnalysisViews>().statistics = true;
}

/// Runs frames until the charts computed in the background have arrived.
fn settle(app: &mut App) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        app.update();
        if !app.world().resource::<Analysis>().busy() {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "charts never arrived");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

fn set_filter(app: &mut App, filter: Filter) {
    app.world_mut().resource_mut::<FilterSettings>().0 = filter;
}

fn owners_json(rows: &[orbitscope::stats::StatsRow]) -> serde_json::Value {
    serde_json::to_value(rows).unwrap()
}

/// The window's per-owner rows equal `orbitscope stats --by owner --format json` for the same
/// filters, on the real catalog.
#[test]
#[ignore = "reads ../shared/data"]
fn real_data_statistics_window_equals_the_command_line() {
    let files = [
        ("--gp", "celestrak-gp/active_2026-08-22/active.csv"),
        (
            "--satcat",
            "satcat/satcat_active_payloads_2026-08-22_celestrak-layout.csv",
        ),
        ("--gcat", "un-registration/gcat_psatcat_2025-04-07.tsv"),
    ];
    let paths: Vec<String> = files
        .iter()
        .map(|(_, file)| shared_file(file).display().to_string())
        .collect();
    let selection = active_selection();
    let loaded = load_catalog(&selection, &mut |_, _, _| {}).unwrap();
    let mut app = app_on(loaded, None);
    open_statistics(&mut app);

    let cases: [(&[&str], Filter); 3] = [
        (&[], Filter::default()),
        (
            &["--registration", "not-registered", "--launched", "2020.."],
            Filter {
                registration: [RegistrationStatus::NotRegistered].into(),
                launched: Some(orbitscope::filter::YearRange {
                    from: 2020,
                    to: i32::MAX,
                }),
                ..Filter::default()
            },
        ),
        (
            &["--party-at-launch", "REG", "--altitude", "500..600"],
            Filter {
                party_at_launch: [orbitscope::treaty::Treaty::Reg].into(),
                altitude: Some(orbitscope::filter::AltitudeRange {
                    low_km: 500.0,
                    high_km: 600.0,
                }),
                ..Filter::default()
            },
        ),
    ];
    for (flags, filter) in cases {
        set_filter(&mut app, filter);
        settle(&mut app);
        let analysis = app.world().resource::<Analysis>();
        let charts = analysis.charts.as_ref().expect("computed");
        let mut args = vec!["stats", "--by", "owner", "--format", "json"];
        for ((flag, _), path) in files.iter().zip(&paths) {
            args.extend([*flag, path.as_str()]);
        }
        args.extend_from_slice(flags);
        let output = orbitscope(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let shown_rows = owners_json(&charts.owners);
        let (shown_rows, printed) = (shown_rows.as_array().unwrap(), printed.as_array().unwrap());
        assert_eq!(shown_rows.len(), printed.len(), "flags {flags:?}");
        for (window, cli) in shown_rows.iter().zip(printed) {
            // serde_json reads floats back to within an ulp, not always bit for bit.
            let rate = |row: &serde_json::Value| row["payload_registration_rate"].as_f64();
            match (rate(window), rate(cli)) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{window} vs {cli}"),
                (a, b) => assert_eq!(a, b),
            }
            let without_rate = |row: &serde_json::Value| {
                let mut row = row.clone();
                row.as_object_mut()
                    .unwrap()
                    .remove("payload_registration_rate");
                row
            };
            assert_eq!(without_rate(window), without_rate(cli), "flags {flags:?}");
        }
        let shown: usize = charts.owners.iter().map(|row| row.objects).sum();
        assert_eq!(shown, charts.objects);
    }
}

/// Charts are computed when a window needs them and the filter changed, never per frame.
#[test]
fn statistics_follow_the_filter_not_the_frames() {
    let loaded = fixture_catalog();
    let mut app = app_on(loaded, None);
    app.update();
    assert_eq!(
        app.world().resource::<Analysis>().computed,
        0,
        "no window open"
    );
    open_statistics(&mut app);
    settle(&mut app);
    for _ in 0..5 {
        app.update();
    }
    assert_eq!(app.world().resource::<Analysis>().computed, 1);
    set_filter(
        &mut app,
        Filter {
            registration: [RegistrationStatus::Registered].into(),
            ..Filter::default()
        },
    );
    settle(&mut app);
    app.update();
    let analysis = app.world().resource::<Analysis>();
    assert_eq!(analysis.computed, 2);
    assert_eq!(analysis.charts.as_ref().unwrap().objects, 0);
}

fn fixture_catalog() -> LoadedCatalog {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("iss.json");
    std::fs::write(&path, OMM).unwrap();
    load_catalog(
        &SourceSelection {
            gp_files: vec![path],
            ..SourceSelection::default()
        },
        &mut |_, _, _| {},
    )
    .unwrap()
}

/// The data window's refresh: downloads in the background, swaps in the new catalog and keeps
/// the selection by NORAD number; the propagator follows the new catalog.
#[test]
fn a_refresh_swaps_in_the_new_catalog() {
    let server = serve(vec![
        Reply::ok(OMM, "\"gp\""),
        Reply::Status(404),
        Reply::Status(404),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let selection = selection_for(&server, cache.path());
    let loaded = fixture_catalog();
    let mut app = app_on(loaded, Some(selection.clone()));
    app.world_mut().resource_mut::<Selection>().selected = Some(0);
    let before = Arc::as_ptr(&app.world().resource::<CatalogData>().0);
    app.world_mut()
        .resource_mut::<DataRefresh>()
        .start(selection, RefreshKind::Catalogs, false);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.world().resource::<DataRefresh>().is_running() {
        assert!(
            std::time::Instant::now() < deadline,
            "refresh never finished"
        );
        app.update();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let state = app.world().resource::<DataRefresh>().state.clone();
    let RefreshState::Done {
        reloaded,
        failures,
        lines,
        ..
    } = state
    else {
        panic!("{state:?}");
    };
    assert!(reloaded, "{lines:?}");
    assert!(failures, "SATCAT and GCAT answered 404: {lines:?}");
    assert!(lines.iter().any(|line| line.contains("404")), "{lines:?}");
    let catalog = Arc::clone(&app.world().resource::<CatalogData>().0);
    assert_ne!(Arc::as_ptr(&catalog), before, "a new catalog");
    assert_eq!(
        app.world().resource::<Propagation>().propagator.len(),
        catalog.objects.len()
    );
    let selected = app.world().resource::<Selection>().selected;
    assert_eq!(
        selected.map(|index| catalog.objects[index].norad_id),
        Some(25544),
        "the selection follows its NORAD number"
    );
    let report = app.world().resource::<LoadReport>();
    assert!(
        report.selection.is_some(),
        "a later refresh still knows the sources"
    );
    assert!(report.loads.iter().any(|load| load.info.kind == "gp"));
}

/// The data window's "update the UN register": a pass through the index in the background,
/// then the catalog reloaded from the cache with the register's answers, attributed to it.
#[test]
fn a_register_update_from_the_window_attributes_answers_to_the_un_register() {
    use orbitscope::catalog::Registration;
    use orbitscope::sources::{Cache, CacheMeta, Endpoints};
    let index = crate::unoosa_server::serve_index(
        vec![crate::unoosa_server::values(
            "1998-067A",
            "ISS (ZARYA)",
            "Russian Federation",
            true,
        )],
        15,
        false,
        std::collections::HashMap::new(),
    );
    let cache = tempfile::tempdir().unwrap();
    let mut meta = CacheMeta {
        url: "seeded".into(),
        fetched_at: Some(chrono::Utc::now()),
        ..CacheMeta::default()
    };
    Cache::new(cache.path())
        .store("gp-active.json", OMM.as_bytes(), &mut meta)
        .unwrap();
    let selection = SourceSelection {
        cache_dir: Some(cache.path().to_owned()),
        endpoints: Endpoints {
            celestrak: "http://127.0.0.1:9".into(),
            gcat: "http://127.0.0.1:9".into(),
            unoosa: index.base.clone(),
            spacetrack: index.base.clone(),
        },
        ..SourceSelection::default()
    };
    let mut app = app_on(fixture_catalog(), Some(selection.clone()));
    app.world_mut()
        .resource_mut::<DataRefresh>()
        .start(selection, RefreshKind::UnRegister, false);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.world().resource::<DataRefresh>().is_running() {
        assert!(
            std::time::Instant::now() < deadline,
            "the pass never finished"
        );
        app.update();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let state = app.world().resource::<DataRefresh>().state.clone();
    let RefreshState::Done {
        reloaded,
        lines,
        what,
        ..
    } = state
    else {
        panic!("{state:?}");
    };
    assert!(reloaded, "{lines:?}");
    assert_eq!(what, RefreshKind::UnRegister);
    assert!(
        lines[0].starts_with("UN register: full pass complete"),
        "{lines:?}"
    );
    let catalog = Arc::clone(&app.world().resource::<CatalogData>().0);
    let iss = &catalog.objects[0];
    assert!(matches!(iss.registration, Registration::Registered { .. }));
    let source = &catalog.sources[iss.registration_source_id.unwrap()];
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(
        source.attribution(),
        format!("according to the UN register, fetched {today}")
    );
    assert_eq!(index.requests(), 1);
}
