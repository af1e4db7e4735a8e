//! Close-approach screening (`orbitscope conjunctions`): all against all on the 2019 full
//! catalog with debris (17 892 objects), the ISS against the active catalog, and the active
//! catalog replicated to 50 000 and 100 000 distinct objects (copies turned in mean anomaly and
//! RAAN) for the scaling. Spans are cut to keep a criterion sample short; the README gives the
//! 7-day runs of the command itself. Needs ../shared/data (or `$ORBITSCOPE_SHARED_DATA`).
//! Run: `cargo bench --no-default-features --bench conjunctions`.

mod common;

use common::{active_catalog, replicated};
use criterion::{Criterion, criterion_group, criterion_main};
use orbitscope::catalog::SpaceObject;
use orbitscope::conjunction::{Progress, ScreeningRequest, screen};
use orbitscope::loader::{SourceSelection, load_catalog};
use orbitscope::orbit::{Instant, parse_utc};

fn full_2019() -> Vec<SpaceObject> {
    let dir = std::env::var_os("ORBITSCOPE_SHARED_DATA").map_or_else(
        || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        std::path::PathBuf::from,
    );
    let selection = SourceSelection {
        gp_files: vec![dir.join("celestrak-gp/misc/spacetrack_full_catalog_3le_2019-03.txt")],
        offline: true,
        ..SourceSelection::default()
    };
    load_catalog(&selection, &mut |_, _, _| {})
        .expect("the benches read ../shared/data")
        .catalog
        .objects
}

/// `count` distinct objects from `objects`: the catalog replicated, copy k turned by
/// k × 137.5° of mean anomaly and k × 7.3° of RAAN, so that no two copies fly together.
fn turned_copies(objects: &[SpaceObject], count: usize) -> Vec<SpaceObject> {
    let mut copies = replicated(objects, count);
    for (index, object) in copies.iter_mut().enumerate() {
        let copy = (index / objects.len()) as f64;
        object.elements.mean_anomaly = (object.elements.mean_anomaly + copy * 137.5) % 360.0;
        object.elements.right_ascension = (object.elements.right_ascension + copy * 7.3) % 360.0;
    }
    copies
}

fn request(from: &str, hours: f64) -> ScreeningRequest {
    ScreeningRequest {
        start: Instant::from_utc(parse_utc(from).unwrap()),
        span_s: hours * 3600.0,
        threshold_km: 5.0,
    }
}

fn run(objects: &[SpaceObject], primary: &[bool], request: &ScreeningRequest) -> usize {
    let elements: Vec<&sgp4::Elements> = objects.iter().map(|o| &o.elements).collect();
    screen(&elements, primary, request, &Progress::default())
        .unwrap()
        .approaches
        .len()
}

fn conjunctions(c: &mut Criterion) {
    let mut group = c.benchmark_group("conjunctions");
    group.sample_size(10);

    let full = full_2019();
    let everyone = vec![true; full.len()];
    let day = request("2019-03-20T00:00:00Z", 24.0);
    eprintln!(
        "full 2019 catalog, 1 day: {} events",
        run(&full, &everyone, &day)
    );
    group.bench_function(format!("all_vs_all_2019_full/{}/1day", full.len()), |b| {
        b.iter(|| run(&full, &everyone, &day));
    });

    let active = active_catalog();
    let iss: Vec<bool> = active.iter().map(|o| o.norad_id == 25544).collect();
    let week = request("2026-08-22T12:00:00Z", 7.0 * 24.0);
    eprintln!(
        "ISS against the active catalog, 7 days: {} events",
        run(&active, &iss, &week)
    );
    group.bench_function(format!("iss_vs_active/{}/7days", active.len()), |b| {
        b.iter(|| run(&active, &iss, &week));
    });

    let two_hours = request("2026-08-22T12:00:00Z", 2.0);
    for count in [active.len(), 50_000, 100_000] {
        let objects = turned_copies(&active, count);
        let everyone = vec![true; count];
        eprintln!(
            "active catalog turned to {count} objects, 2 h: {} events",
            run(&objects, &everyone, &two_hours)
        );
        group.bench_function(format!("all_vs_all_active_turned/{count}/2h"), |b| {
            b.iter(|| run(&objects, &everyone, &two_hours));
        });
    }
    group.finish();
}

criterion_group!(benches, conjunctions);
criterion_main!(benches);
