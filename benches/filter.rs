//! The filter over the real active catalog joined with SATCAT and GCAT (16 400 objects), and
//! replicated to 100 000: the mask, the counts beside every choice, and the owner palette with
//! its legend — all recomputed when the filter changes, never per frame — and the orbits the
//! window draws for a filtered set.
//! Needs ../shared/data (or `$ORBITSCOPE_SHARED_DATA`).
//! Run: `cargo bench --no-default-features --bench filter`.

mod common;

use common::{active_catalog, replicated};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use orbitscope::filter::{ChoiceCounts, Filter, RegistrationStatus};
use orbitscope::palette::{ColorMode, Palette};

fn filter(c: &mut Criterion) {
    let active = active_catalog();
    let china_unregistered = Filter {
        owners: ["PRC".to_owned()].into(),
        registration: [RegistrationStatus::NotRegistered].into(),
        ..Filter::default()
    };
    let mut group = c.benchmark_group("filter");
    for objects in [active.clone(), replicated(&active, 100_000)] {
        let n = objects.len();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("mask/{n}"), |b| {
            b.iter(|| china_unregistered.mask(&objects));
        });
        group.bench_function(format!("choice_counts/{n}"), |b| {
            b.iter(|| ChoiceCounts::of(&china_unregistered, &objects));
        });
        let mask = vec![true; n];
        group.bench_function(format!("owner_palette_and_legend/{n}"), |b| {
            b.iter(|| {
                let palette = Palette::new(ColorMode::Owner, &objects, &mask);
                let colors: Vec<_> = objects.iter().map(|o| palette.color(o)).collect();
                (colors, palette.legend(&objects, &mask))
            });
        });
    }
    group.finish();

    // The window's orbits of a filtered set: the most it draws, 1 000 orbits of 129 points.
    let mut orbits = c.benchmark_group("filtered_orbits");
    let elements: Vec<_> = active
        .iter()
        .take(orbitscope::filter::MAX_FILTERED_ORBITS)
        .map(|object| object.elements.clone())
        .collect();
    let start = orbitscope::orbit::Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap());
    orbits.throughput(Throughput::Elements(elements.len() as u64));
    orbits.sample_size(20);
    orbits.bench_function("orbit_paths/1000x129", |b| {
        b.iter(|| orbitscope::orbit::tracks::orbit_paths_teme(&elements, start, 128));
    });
    orbits.finish();
}

criterion_group!(benches, filter);
criterion_main!(benches);
