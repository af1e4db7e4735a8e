//! Integration tests, one binary (each test binary links the whole app: keep them few).
//!
//! Groups, by module:
//! - `cli`, `fetch_client`, `fetch_faults`, `clock`: self-contained, run by plain `cargo test`.
//! - `real_data`, `sgp4_verification`, `frames_reference`: read `../shared/data` (or
//!   `$ORBITSCOPE_SHARED_DATA`); `#[ignore]`d so that a checkout without the data still passes
//!   `cargo test`; CI runs them with `-- --ignored real_data sgp4_verification frames_reference`.

mod cli;
#[cfg(feature = "gui")]
mod clock;
mod fault_server;
mod fetch_client;
mod fetch_faults;
mod frames_reference;
mod real_data;
#[cfg(feature = "gui")]
mod render;
mod sgp4_verification;
mod support;
