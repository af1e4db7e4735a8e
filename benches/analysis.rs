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

/// Congestion over time (the statistics window's history tab and `stats --history`) from the
/// full SATCAT of January 2017 (41 916 rows), and from those rows tiled to 67 000, the size of
/// today's full SATCAT.
fn history(c: &mut Criterion) {
    use orbitscope::catalog::satcat::parse_satcat;
    use orbitscope::stats::charts::Congestion;
    let path = std::env::var_os("ORBITSCOPE_SHARED_DATA")
        .map_or_else(
            || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
            std::path::PathBuf::from,
        )
        .join("satcat/satcat_full_2017-01_hrbrmstr.csv");
    let rows = parse_satcat(&std::fs::read(path).expect("the 2017 SATCAT"), "2017").records;
    let mut tiled = rows.clone();
    let mut next = 100_000;
    while tiled.len() < 67_000 {
        for row in &rows {
            if tiled.len() == 67_000 {
                break;
            }
            let mut copy = row.clone();
            copy.norad_id = next;
            next += 1;
            tiled.push(copy);
        }
    }
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let mut group = c.benchmark_group("history");
    group.sample_size(20);
    for rows in [rows, tiled] {
        let n = rows.len();
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("in_orbit_by_type_and_owner/{n}"), |b| {
            b.iter(|| Congestion::of(&rows, as_of));
        });
    }
    group.finish();
}

criterion_group!(benches, analysis, history);
criterion_main!(benches);
