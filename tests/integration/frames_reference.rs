//! Frame conversions against an independent tool: Skyfield 1.55 / python-sgp4 2.27 positions
//! kept in `tests/reference/skyfield_positions.csv` (regenerate with the script beside it).

use chrono::{DateTime, Utc};
use orbitscope::cli::compute_positions;
use orbitscope::loader::{SourceSelection, load_catalog};
use orbitscope::orbit::Instant;

use crate::support::shared_file;

const REFERENCE: &str = include_str!("../reference/skyfield_positions.csv");

#[test]
#[ignore = "reads ../shared/data"]
fn frames_reference_geodetic_and_teme_agree_with_skyfield() {
    let selection = SourceSelection {
        gp_files: vec![shared_file("celestrak-gp/active_2026-08-22/active.csv")],
        offline: true,
        ..SourceSelection::default()
    };
    let catalog = load_catalog(&selection, &mut |_, _, _| {}).unwrap().catalog;
    let mut checked = 0;
    for line in REFERENCE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("norad"))
    {
        let fields: Vec<&str> = line.split(',').collect();
        let norad: u32 = fields[0].parse().unwrap();
        let at: DateTime<Utc> = fields[1].parse().unwrap();
        let number = |i: usize| fields[i].parse::<f64>().unwrap();
        let index = catalog
            .index_of(norad)
            .expect("object in the active catalog");
        let (rows, failures) = compute_positions(&catalog, &[index], Instant::from_utc(at));
        assert!(failures.is_empty(), "{failures:?}");
        let row = &rows[0];
        let dlat = (row.lat_deg - number(2)).abs();
        let dlon = ((row.lon_deg - number(3) + 540.0) % 360.0 - 180.0).abs();
        let dalt = (row.alt_km - number(4)).abs();
        assert!(
            dlat < 0.01 && dlon < 0.01 && dalt < 1.0,
            "{norad} {at}: Δlat {dlat} Δlon {dlon} Δalt {dalt}"
        );
        for (ours, theirs) in [
            (row.x_km, number(5)),
            (row.y_km, number(6)),
            (row.z_km, number(7)),
        ] {
            assert!(
                (ours - theirs).abs() < 1e-5,
                "{norad} {at}: TEME {ours} vs {theirs}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 14);
}
