//! The real active catalog (16 400 objects, joined with SATCAT and GCAT) and its replication
//! to larger sizes, shared by the benches that need it.

use std::path::PathBuf;

use orbitscope::catalog::SpaceObject;
use orbitscope::loader::{SourceSelection, load_catalog};

fn shared(relative: &str) -> PathBuf {
    let dir = std::env::var_os("ORBITSCOPE_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        PathBuf::from,
    );
    dir.join(relative)
}

pub fn active_catalog() -> Vec<SpaceObject> {
    let selection = SourceSelection {
        gp_files: vec![shared("celestrak-gp/active_2026-08-22/active.csv")],
        satcat_file: Some(shared(
            "satcat/satcat_active_payloads_2026-08-22_celestrak-layout.csv",
        )),
        gcat_file: Some(shared("un-registration/gcat_psatcat_2025-04-07.tsv")),
        ..SourceSelection::default()
    };
    load_catalog(&selection, &mut |_, _, _| {})
        .expect("the benches read ../shared/data")
        .catalog
        .objects
}

/// The catalog repeated to `count` objects (new NORAD numbers, same orbits and owners).
pub fn replicated(objects: &[SpaceObject], count: usize) -> Vec<SpaceObject> {
    objects
        .iter()
        .cycle()
        .take(count)
        .enumerate()
        .map(|(index, object)| SpaceObject {
            norad_id: index as u32 + 1,
            ..object.clone()
        })
        .collect()
}
