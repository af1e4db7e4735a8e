//! Parsing the real active catalog (16 400 objects) as OMM CSV, OMM JSON and TLE.
//! Needs ../shared/data (or `$ORBITSCOPE_SHARED_DATA`). Run: `cargo bench --no-default-features --bench parse`.

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use orbitscope::catalog::gp::parse_gp;

fn shared(relative: &str) -> Vec<u8> {
    let dir = std::env::var_os("ORBITSCOPE_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        PathBuf::from,
    );
    std::fs::read(dir.join(relative)).expect("the benches read ../shared/data")
}

/// CelesTrak-style JSON of the same catalog (numbers as JSON numbers), made from the CSV.
fn json_from_csv(csv_bytes: &[u8]) -> Vec<u8> {
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let headers = reader.headers().unwrap().clone();
    let records: Vec<serde_json::Map<String, serde_json::Value>> = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            headers
                .iter()
                .zip(record.iter())
                .map(|(key, value)| {
                    let text = key == "OBJECT_NAME" || key == "OBJECT_ID";
                    let json = if let (Ok(integer), false) = (value.parse::<i64>(), text) {
                        serde_json::Value::from(integer)
                    } else if let (Ok(number), false) = (value.parse::<f64>(), text) {
                        serde_json::Value::from(number)
                    } else {
                        serde_json::Value::String(value.to_owned())
                    };
                    (key.to_owned(), json)
                })
                .collect()
        })
        .collect();
    serde_json::to_vec(&records).unwrap()
}

fn parse_active(c: &mut Criterion) {
    let csv = shared("celestrak-gp/active_2026-08-22/active.csv");
    let tle = shared("celestrak-gp/active_2026-08-22/active.tle");
    let json = json_from_csv(&csv);
    let mut group = c.benchmark_group("parse_active");
    for (name, bytes, objects) in [
        ("omm_csv", &csv, 16_400),
        ("omm_json", &json, 16_400),
        ("tle", &tle, 16_069),
    ] {
        group.throughput(Throughput::Elements(objects));
        group.bench_function(name, |b| {
            b.iter(|| {
                let (_, parsed) = parse_gp(bytes, "active");
                assert_eq!(parsed.records.len() as u64, objects);
                parsed
            });
        });
    }
    group.finish();
}

criterion_group!(benches, parse_active);
criterion_main!(benches);
