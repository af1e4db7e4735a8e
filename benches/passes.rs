//! Passes and look angles over the real active catalog (`active.tle` of 2026-08-22).
//! Run: `cargo bench --no-default-features --bench passes`. Skips, saying so, where the
//! shared data is absent. The whole catalog over 14 days is timed once (outside criterion,
//! printed); criterion samples a one-day span of the catalog, one object over ten sites for
//! 30 days, and the look angles of the whole catalog at one instant.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use orbitscope::catalog::gp::parse_gp;
use orbitscope::orbit::{BatchPropagator, Instant, PropagationMode, StateBuffers};
use orbitscope::passes::look::look_batch;
use orbitscope::passes::{PassOptions, Site, SiteFrame, Span, find_passes};

fn active_tle() -> Option<Vec<sgp4::Elements>> {
    let dir = std::env::var_os("ORBITSCOPE_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        PathBuf::from,
    );
    let path = dir.join("celestrak-gp/active_2026-08-22/active.tle");
    match std::fs::read(&path) {
        Ok(bytes) => Some(parse_gp(&bytes, "active.tle").1.records),
        Err(error) => {
            eprintln!("skipping the passes benches: {}: {error}", path.display());
            None
        }
    }
}

fn start() -> Instant {
    Instant::from_utc("2026-08-22T00:00:00Z".parse().unwrap())
}

fn passes(c: &mut Criterion) {
    let Some(elements) = active_tle() else {
        return;
    };
    let all: Vec<&sgp4::Elements> = elements.iter().collect();
    let greenwich = Site::parse("51.48,-0.0,50").unwrap();
    let options = PassOptions::default();

    // One-off: the whole catalog, one site, 14 days (too long to sample repeatedly).
    let clock = std::time::Instant::now();
    let found = find_passes(
        &all,
        std::slice::from_ref(&greenwich),
        Span::days(start(), 14.0),
        &options,
        &|_, _| {},
    )
    .unwrap();
    let count: usize = found.iter().map(|entry| entry.passes.len()).sum();
    println!(
        "passes/catalog_14_days (one run): {} objects, {count} passes, {:.2} s",
        all.len(),
        clock.elapsed().as_secs_f64()
    );

    let mut group = c.benchmark_group("passes");
    group.sample_size(10);
    group.bench_function("catalog_1_day", |b| {
        b.iter(|| {
            find_passes(
                &all,
                std::slice::from_ref(&greenwich),
                Span::days(start(), 1.0),
                &options,
                &|_, _| {},
            )
            .unwrap()
        });
    });
    let iss = elements
        .iter()
        .find(|e| e.norad_id == 25544)
        .expect("the ISS is in the active catalog");
    let sites: Vec<Site> = (0..10)
        .map(|i| {
            Site::new(
                format!("site {i}"),
                -60.0 + 13.0 * f64::from(i),
                -170.0 + 35.0 * f64::from(i),
                100.0,
            )
            .unwrap()
        })
        .collect();
    group.bench_function("one_object_10_sites_30_days", |b| {
        b.iter(|| {
            find_passes(
                &[iss],
                &sites,
                Span::days(start(), 30.0),
                &options,
                &|_, _| {},
            )
            .unwrap()
        });
    });
    group.finish();

    let mut propagator = BatchPropagator::new(&elements, PropagationMode::Improved);
    let mut states = StateBuffers::default();
    let frame = SiteFrame::new(&greenwich);
    let mut seconds = 0.0;
    c.bench_function("look/catalog_one_instant", |b| {
        b.iter(|| {
            seconds += 1.0;
            look_batch(
                &mut propagator,
                &mut states,
                &frame,
                start().plus_minutes(seconds / 60.0),
            )
        });
    });
}

criterion_group!(benches, passes);
criterion_main!(benches);
