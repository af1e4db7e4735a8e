//! OrbitScope: the public space catalog, propagated with SGP4, on a 3D globe.
//!
//! The crate is a pure core (parsing, joining, orbit mechanics, statistics) that never touches
//! Bevy, plus thin layers over it: the command line (`cli`) and, with the `gui` feature, the
//! Bevy app (`app`). Data flows one way: `sources` → `catalog` → `orbit` → screen or stdout.

pub mod catalog;
pub mod cli;
pub mod conjunction;
pub mod digest;
pub mod export;
pub mod filter;
pub mod geometry;
pub mod loader;
pub mod markers;
pub mod numfmt;
pub mod orbit;
pub mod orbit_lines;
pub mod palette;
pub mod passes;
pub mod picking;
pub mod render_space;
pub mod scenario;
pub mod sources;
pub mod stats;
pub mod treaty;
pub mod video;
pub mod view;

#[cfg(feature = "gui")]
pub mod app;

/// When the process started (forced first thing in `main`): `measure` reports the time to the
/// first frame with markers from it.
pub static PROCESS_START: std::sync::LazyLock<std::time::Instant> =
    std::sync::LazyLock::new(std::time::Instant::now);
