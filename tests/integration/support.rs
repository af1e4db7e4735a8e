//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The shared real-data snapshots (`../shared/data` beside the checkout).
pub fn shared_data() -> PathBuf {
    let dir = std::env::var_os("ORBITSCOPE_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"),
        PathBuf::from,
    );
    assert!(
        dir.join("SOURCES.md").exists(),
        "real-data tests need the shared data at {} (set ORBITSCOPE_SHARED_DATA)",
        dir.display()
    );
    dir
}

pub fn shared_file(relative: &str) -> PathBuf {
    shared_data().join(relative)
}

pub fn read_shared(relative: &str) -> Vec<u8> {
    let path = shared_file(relative);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The active catalog of 2026-08-22 with its SATCAT and GCAT's payload catalog, as files.
pub fn active_selection() -> orbitscope::loader::SourceSelection {
    orbitscope::loader::SourceSelection {
        gp_files: vec![shared_file("celestrak-gp/active_2026-08-22/active.csv")],
        satcat_file: Some(shared_file(
            "satcat/satcat_active_payloads_2026-08-22_celestrak-layout.csv",
        )),
        gcat_file: Some(shared_file("un-registration/gcat_psatcat_2025-04-07.tsv")),
        offline: true,
        ..orbitscope::loader::SourceSelection::default()
    }
}

/// Runs the `orbitscope` binary with the given arguments and an isolated cache directory.
pub fn orbitscope(args: &[&str]) -> std::process::Output {
    orbitscope_without(args, &[])
}

/// [`orbitscope`] with some environment variables removed (e.g. `DISPLAY`).
///
/// A run that could not connect to the X server is tried again (up to three times): Xvfb,
/// busy serving the other render tests on two cores, once refused a connection in a cold CI
/// run (winit's `XOpenDisplayFailed`), which says nothing about OrbitScope.
pub fn orbitscope_without(args: &[&str], removed_env: &[&str]) -> std::process::Output {
    orbitscope_with(args, &[], removed_env)
}

/// [`orbitscope_without`] with some environment variables set as well.
pub fn orbitscope_with(
    args: &[&str],
    set_env: &[(&str, &str)],
    removed_env: &[&str],
) -> std::process::Output {
    let cache = tempfile::tempdir().expect("temp dir");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_orbitscope"));
    command.args(args).env("ORBITSCOPE_CACHE_DIR", cache.path());
    for (name, value) in set_env {
        command.env(name, value);
    }
    for name in removed_env {
        command.env_remove(name);
    }
    let mut tries = 1;
    loop {
        let output = command.output().expect("run orbitscope");
        let display_refused = !output.status.success()
            && String::from_utf8_lossy(&output.stderr).contains("XOpenDisplayFailed");
        if !display_refused || tries == 3 {
            return output;
        }
        tries += 1;
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
}
