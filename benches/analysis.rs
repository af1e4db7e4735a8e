//! The statistics behind `orbitscope stats` and the analysis windows, over the real active
//! catalog (16 400 objects) and replicated to 100 000: counts by owner with rates and treaty
//! columns, the registration gap list, everything the statistics window plots, and the treaty
//! lens colouring. All recomputed when the filter or the catalog changes, never per frame.
//! Needs ../shared/data (or `$ORBITSCOPE_SHARED_DATA`).
//! Run: `cargo bench --no-default-features --bench analysis`.

mod common;

use chrono::NaiveDate;
use common::{active_catalog, replicated};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use orbitscope::palette::{ColorMode, Palette};
use orbitscope::stats::charts::Charts;
use orbitscope::stats::gap::RegistrationGap;
use orbitscope::stats::{GroupBy, group_counts};

fn analysis(c: &mut Criterion) {
    let active = active_catalog();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let mut group = c.benchmark_group("analysis");
    group.sample_size(20);
    for objects in [active.clone(), replicated(&active, 100_000)] {
        let n = objects.len();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("stats_by_owner/{n}"), |b| {
            b.iter(|| group_counts(&objects, GroupBy::Owner));
        });
        group.bench_function(format!("stats_by_altitude_band/{n}"), |b| {
            b.iter(|| group_counts(&objects, GroupBy::AltitudeBand));
        });
        group.bench_function(format!("gap_list/{n}"), |b| {
            b.iter(|| RegistrationGap::of(&objects, as_of));
        });
        let mask = vec![true; n];
        group.bench_function(format!("statistics_window/{n}"), |b| {
            b.iter(|| Charts::of(&objects, Some(&mask), as_of));
        });
        group.bench_function(format!("treaty_lens_colours/{n}"), |b| {
            b.iter(|| {
                let palette = Palette::new(ColorMode::RegistrationConvention, &objects, &mask);
                let colors: Vec<_> = objects.iter().map(|o| palette.color(o)).collect();
                (colors, palette.legend(&objects, &mask))
            });
        });
    }
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
