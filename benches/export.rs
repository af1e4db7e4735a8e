//! Exports (`orbitscope export`): the whole active catalog (16 400 objects, joined with SATCAT
//! and GCAT, coloured by owner) as CZML for one day at 60 s, the target of issue 26, and the
//! other formats over two hours; and the catalog replicated to 100 000 objects (copies with new
//! NORAD numbers) as CZML over two hours, for the scaling. The text goes to a counting sink, so this times SGP4, the
//! Earth-fixed rotation and the formatting on all cores; the command line adds the disk (the
//! README gives both). Needs ../shared/data (or `$ORBITSCOPE_SHARED_DATA`).
//! Run: `cargo bench --no-default-features --bench export`.

mod common;

use common::{active_catalog, replicated};
use criterion::{Criterion, criterion_group, criterion_main};
use orbitscope::export::{ExportObject, Format, TimeGrid, write_export};
use orbitscope::orbit::Instant;
use orbitscope::palette::{ColorMode, Palette};

/// Counts what would be written.
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn at(text: &str) -> Instant {
    Instant::from_utc(text.parse().unwrap())
}

fn export(c: &mut Criterion) {
    let catalog = active_catalog();
    let palette = Palette::new(ColorMode::Owner, &catalog, &vec![true; catalog.len()]);
    let objects: Vec<ExportObject> = catalog
        .iter()
        .map(|object| ExportObject::new(object, &palette))
        .collect();
    let day = TimeGrid::new(at("2026-08-22T00:00:00Z"), at("2026-08-23T00:00:00Z"), 60.0).unwrap();
    let two_hours =
        TimeGrid::new(at("2026-08-22T00:00:00Z"), at("2026-08-22T02:00:00Z"), 60.0).unwrap();
    let run = |format: Format, grid: &TimeGrid| {
        let mut sink = Counter(0);
        let report = write_export(&mut sink, format, &objects, grid, &|_, _| {}).unwrap();
        (report.written, sink.0)
    };
    for (name, format, grid) in [
        ("czml 1 day", Format::Czml, &day),
        ("kml 2 h", Format::Kml, &two_hours),
        ("geojson 2 h", Format::GeoJson, &two_hours),
    ] {
        let (written, bytes) = run(format, grid);
        println!(
            "export/{name}: {written} of {} objects, {} samples each, {:.1} MB",
            objects.len(),
            grid.len(),
            bytes as f64 / 1e6
        );
    }
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.bench_function("czml_active_1_day_60s", |b| {
        b.iter(|| run(Format::Czml, &day));
    });
    group.bench_function("kml_active_2h_60s", |b| {
        b.iter(|| run(Format::Kml, &two_hours));
    });
    group.bench_function("geojson_tracks_active_2h_60s", |b| {
        b.iter(|| run(Format::GeoJson, &two_hours));
    });
    group.bench_function("geojson_points_active", |b| {
        b.iter(|| {
            run(
                Format::GeoJson,
                &TimeGrid::instant(at("2026-08-22T00:00:00Z")),
            )
        });
    });
    let large = replicated(&catalog, 100_000);
    let palette = Palette::new(ColorMode::Owner, &large, &vec![true; large.len()]);
    let large: Vec<ExportObject> = large
        .iter()
        .map(|object| ExportObject::new(object, &palette))
        .collect();
    group.bench_function("czml_replicated_100000_2h_60s", |b| {
        b.iter(|| {
            let mut sink = Counter(0);
            write_export(&mut sink, Format::Czml, &large, &two_hours, &|_, _| {}).unwrap()
        });
    });
    group.finish();
}

criterion_group!(benches, export);
criterion_main!(benches);
