//! Exact SGP4 over the real active catalog replicated to 30k, 100k and 1M objects: one core,
//! all cores, each kernel width, the crate's per-object path it replaced, and one whole fixed
//! tick as the app runs it (SGP4 + render-space conversion, chunk by chunk).
//! Run: `cargo bench --no-default-features --bench propagate` (beside it, for the C++
//! reference: `python3 benches/python_sgp4_peer.py ../shared/data/celestrak-gp/active_2026-08-22/active.csv`).

use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use glam::Vec3;
use orbitscope::catalog::gp::parse_gp;
use orbitscope::markers::propagate_to_render_space;
use orbitscope::orbit::{
    BatchPropagator, Instant, KernelWidth, PropagationMode, ReferencePropagator, StateBuffers,
};

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
/// copies do not share positions (as `benches/python_sgp4_peer.py` does).
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
    println!("kernel width on this CPU: {}", KernelWidth::detect());
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

    // Each width on one core, and the crate's per-object path the kernel replaced.
    let elements = replicated(&base, 100_000);
    let mut widths = c.benchmark_group("sgp4_width_one_core");
    widths.sample_size(15);
    widths.throughput(Throughput::Elements(100_000));
    for width in KernelWidth::ALL {
        let mut propagator =
            BatchPropagator::with_width(&elements, PropagationMode::Improved, width);
        let mut states = StateBuffers::default();
        let mut seconds = 0.0;
        widths.bench_function(BenchmarkId::new(width.name(), 100_000), |b| {
            b.iter(|| {
                seconds += 1.0 / 30.0;
                propagator.propagate_into_serial(at().plus_minutes(seconds / 60.0), &mut states);
            });
        });
    }
    let near: Vec<sgp4::Elements> = elements
        .iter()
        .filter(|e| e.mean_motion > 6.4)
        .cloned()
        .collect();
    let deep: Vec<sgp4::Elements> = elements
        .iter()
        .filter(|e| e.mean_motion <= 6.4)
        .cloned()
        .collect();
    for (name, subset) in [("near_only", &near), ("deep_only", &deep)] {
        let mut propagator = BatchPropagator::new(subset, PropagationMode::Improved);
        let mut states = StateBuffers::default();
        let mut seconds = 0.0;
        widths.bench_function(BenchmarkId::new(name, subset.len()), |b| {
            b.iter(|| {
                seconds += 1.0 / 30.0;
                propagator.propagate_into_serial(at().plus_minutes(seconds / 60.0), &mut states);
            });
        });
    }
    let references: Vec<ReferencePropagator> = elements
        .iter()
        .map(|elements| ReferencePropagator::new(elements, PropagationMode::Improved))
        .collect();
    let mut seconds = 0.0;
    widths.bench_function(BenchmarkId::new("crate_per_object", 100_000), |b| {
        b.iter(|| {
            seconds += 1.0 / 30.0;
            let at = at().plus_minutes(seconds / 60.0);
            references
                .iter()
                .filter(|reference| reference.propagate(at).is_ok())
                .count()
        });
    });
    widths.finish();
    drop(references);

    let mut tick = c.benchmark_group("fixed_tick");
    tick.sample_size(10);
    for count in [100_000, 1_000_000] {
        let elements = replicated(&base, count);
        let mut propagator = BatchPropagator::new(&elements, PropagationMode::Improved);
        drop(elements);
        let mut states = StateBuffers::default();
        let (mut world, mut valid): (Vec<Vec3>, Vec<bool>) = (Vec::new(), Vec::new());
        tick.throughput(Throughput::Elements(count as u64));
        let mut seconds = 0.0;
        tick.bench_function(format!("sgp4_and_render_space/{count}"), |b| {
            b.iter(|| {
                seconds += 1.0 / 30.0;
                let at = at().plus_minutes(seconds / 60.0);
                propagate_to_render_space(&mut propagator, at, &mut states, &mut world, &mut valid);
            });
        });
    }
    tick.finish();
}

criterion_group!(benches, propagation);
criterion_main!(benches);
