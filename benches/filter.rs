//! The filter over the real active catalog joined with SATCAT and GCAT (16 400 objects), and
//! replicated to 100 000: the mask, the counts beside every choice, and the owner palette with
//! its legend — all recomputed when the filter changes, never per frame — and the orbit
//! instances the window draws for every shown object.
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

    // Every shown object's orbit: the instances taken from the propagated states (the
    // window's refresh, at most once a simulated minute), for the active catalog and 100 000.
    let mut orbits = c.benchmark_group("orbit_instances");
    let at = orbitscope::orbit::Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap());
    for objects in [active.clone(), replicated(&active, 100_000)] {
        let n = objects.len();
        let mut propagator = orbitscope::orbit::BatchPropagator::new(
            objects.iter().map(|object| &object.elements),
            orbitscope::orbit::PropagationMode::Improved,
        );
        let mut states = orbitscope::orbit::StateBuffers::with_len(n);
        propagator.propagate_into(at, &mut states);
        let shown = vec![true; n];
        let colors = vec![[0.4, 0.7, 1.0, 1.0]; n];
        let (mut instances, mut rows) = (Vec::new(), Vec::new());
        orbits.throughput(Throughput::Elements(n as u64));
        orbits.bench_function(format!("pack/{n}"), |b| {
            b.iter(|| {
                orbitscope::orbit_lines::pack_orbit_instances(
                    &states,
                    &shown,
                    &colors,
                    0.35,
                    &mut instances,
                    &mut rows,
                );
            });
        });
    }
    orbits.finish();
}

criterion_group!(benches, filter);
criterion_main!(benches);
