//! Integration tests, one binary (each test binary links the whole app: keep them few).
//!
//! Groups: the self-contained tests (local HTTP servers, fixtures the tests write, headless ECS
//! apps) run by plain `cargo test`. The tests that read `../shared/data` (or
//! `$ORBITSCOPE_SHARED_DATA`: `real_data`, `sgp4_verification`, `frames_reference`,
//! `kernel_accuracy` and the `real_data_*` tests elsewhere) and the render tests (a display with
//! Vulkan) are `#[ignore]`d, so that a checkout without the data or a display still passes
//! `cargo test`; CI (`.ci/run`) runs them all with
//! `xvfb-run … cargo test --test integration -- --ignored`.

#[cfg(feature = "gui")]
mod analysis;
mod cli;
#[cfg(feature = "gui")]
mod clock;
mod conjunctions;
mod export;
mod fault_server;
mod fetch_client;
mod fetch_faults;
mod frames_reference;
mod history;
mod kernel_accuracy;
mod orbit_ellipses;
mod passes;
mod real_data;
#[cfg(feature = "gui")]
mod render;
#[cfg(feature = "gui")]
mod render_analysis;
#[cfg(feature = "gui")]
mod render_orbits;
#[cfg(feature = "gui")]
mod render_scenarios;
#[cfg(feature = "gui")]
mod scenario_cli;
mod sgp4_verification;
mod spacetrack;
mod support;
mod un_register;
mod unoosa_server;
#[cfg(feature = "gui")]
mod video;
