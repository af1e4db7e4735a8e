//! Exact SGP4 over the real active catalog replicated to 30k and 100k objects: one core, all
//! cores, and one whole fixed tick (SGP4 + render-space conversion) at 100k.
//! Run: `cargo bench --no-default-features --bench propagate`.

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use glam::Vec3;
use orbitscope::catalog::gp::parse_gp;
use orbitscope::markers::world_positions;
use orbitscope::orbit::{BatchPropagator, Instant, PropagationMode, StateBuffers};

fn active_elements() -> Vec<sgp4::Elements> {
    let dir = std::env::var_os("ORBITSCOPE_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        PathBuf::from,
    );
    let bytes = std::fs::read(dir.join("celestrak-gp/active_2026-08-22/active.csv"))
        .expect("the benches read ../shared/data");
    parse_gp(&bytes, "active.csv").1.records
}

/// The catalog repeated to `count` objects, each copy with its mean anomaly shifted so that
/// copies do not share positions.
fn replicated(base: &[sgp4::Elements], count: usize) -> Vec<sgp4::Elements> {
    (0..count)
        .map(|i| {
            let mut elements = base[i % base.len()].clone();
            let copy = (i / base.len()) as f64;
            elements.mean_anomaly = (elements.mean_anomaly + 37.0 * copy) % 360.0;
            elements
        })
        .collect()
}

fn at() -> Instant {
    Instant::from_utc("2026-08-22T12:00:00Z".parse().unwrap())
}

fn propagation(c: &mut Criterion) {
    let base = active_elements();
    let mut group = c.benchmark_group("sgp4_catalog");
    group.sample_size(20);
    for count in [30_000, 100_000] {
        let elements = replicated(&base, count);
        let mut propagator = BatchPropagator::new(&elements, PropagationMode::Improved);
        let mut states = StateBuffers::default();
        group.throughput(Throughput::Elements(count as u64));
        let mut seconds = 0.0;
        group.bench_function(format!("one_core/{count}"), |b| {
            b.iter(|| {
                seconds += 1.0 / 30.0;
                propagator.propagate_into_serial(at().plus_minutes(seconds / 60.0), &mut states);
            });
        });
        group.bench_function(format!("all_cores/{count}"), |b| {
            b.iter(|| {
                seconds += 1.0 / 30.0;
                propagator.propagate_into(at().plus_minutes(seconds / 60.0), &mut states);
            });
        });
    }
    group.finish();

    let elements = replicated(&base, 100_000);
    let mut propagator = BatchPropagator::new(&elements, PropagationMode::Improved);
    let mut states = StateBuffers::default();
    let (mut world, mut valid): (Vec<Vec3>, Vec<bool>) = (Vec::new(), Vec::new());
    let mut tick = c.benchmark_group("fixed_tick");
    tick.sample_size(20);
    tick.throughput(Throughput::Elements(100_000));
    let mut seconds = 0.0;
    tick.bench_function("sgp4_and_render_space/100000", |b| {
        b.iter(|| {
            seconds += 1.0 / 30.0;
            propagator.propagate_into(at().plus_minutes(seconds / 60.0), &mut states);
            world_positions(&states, &mut world, &mut valid);
        });
    });
    tick.finish();
}

criterion_group!(benches, propagation);
criterion_main!(benches);
