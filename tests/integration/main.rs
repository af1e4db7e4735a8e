//! Integration tests, one binary (each test binary links the whole app: keep them few).
//!
//! Groups, by module:
//! - `cli`, `fetch_client`, `fetch_faults`, `clock`, `analysis`: self-contained, run by plain
//!   `cargo test` (`analysis` has one real-data test, ignored like those below).
//! - `real_data`, `sgp4_verification`, `frames_reference`: read `../shared/data` (or
//!   `$ORBITSCOPE_SHARED_DATA`); `#[ignore]`d so that a checkout without the data still passes
//!   `cargo test`; CI runs them with `-- --ignored real_data sgp4_verification frames_reference`.

#[cfg(feature = "gui")]
mod analysis;
mod cli;
#[cfg(feature = "gui")]
mod clock;
mod fault_server;
mod fetch_client;
mod fetch_faults;
mod frames_reference;
mod history;
mod kernel_accuracy;
mod real_data;
#[cfg(feature = "gui")]
mod render;
#[cfg(feature = "gui")]
mod render_analysis;
#[cfg(feature = "gui")]
mod render_scenarios;
#[cfg(feature = "gui")]
mod scenario_cli;
mod sgp4_verification;
mod spacetrack;
mod support;
mod un_register;
mod unoosa_server;
